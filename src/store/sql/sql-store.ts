// The Store, written once over SqlDriver: the SQLite and PostgreSQL stores differ only in driver.
import type {
  AuditRepo,
  HierarchyRepo,
  IamRepo,
  InstancesRepo,
  OutboxRepo,
  ProfilesRepo,
  QueuesRepo,
  Store,
  StoreHealth,
  TagsRepo,
  UsersRepo,
} from "../store.js";
import { ChainHeadHint, SqlAudit } from "./audit-repo.js";
import type { SqlDriver, SqlExecutor } from "./driver.js";
import { SqlHierarchy } from "./hierarchy-repo.js";
import { SqlIam } from "./iam-repo.js";
import { SqlInstances } from "./instances-repo.js";
import { MIGRATIONS } from "./migrations.js";
import { SqlOutbox } from "./outbox-repo.js";
import { SqlProfiles } from "./profiles-repo.js";
import { SqlQueues } from "./queues-repo.js";
import { SqlTags } from "./tags-repo.js";
import { SqlUsers } from "./users-repo.js";

/** An executor that can open a transaction; inside one, "opening" another just joins it. */
type Session = SqlExecutor & { tx<T>(fn: (q: SqlExecutor) => Promise<T>): Promise<T> };

class Repos {
  readonly instances: InstancesRepo;
  readonly users: UsersRepo;
  readonly profiles: ProfilesRepo;
  readonly queues: QueuesRepo;
  readonly hierarchy: HierarchyRepo;
  readonly tags: TagsRepo;
  readonly audit: AuditRepo;
  readonly iam: IamRepo;
  readonly outbox: OutboxRepo;
  constructor(session: Session, dialect: SqlDriver["dialect"], headHint: ChainHeadHint, inTransaction: boolean) {
    this.instances = new SqlInstances(session, dialect);
    this.users = new SqlUsers(session, dialect);
    this.profiles = new SqlProfiles(session, dialect);
    this.queues = new SqlQueues(session, dialect);
    this.hierarchy = new SqlHierarchy(session, dialect);
    this.tags = new SqlTags(session, dialect);
    this.audit = new SqlAudit(session, dialect, headHint, inTransaction);
    this.iam = new SqlIam(session);
    this.outbox = new SqlOutbox(session);
  }
}

/** The Store seen from inside a transaction. */
class TxStore extends Repos implements Store {
  atomically<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    return fn(this);
  }
  health(): Promise<StoreHealth> {
    throw new Error("health() is not available inside a transaction");
  }
  close(): Promise<void> {
    throw new Error("close() is not available inside a transaction");
  }
}

/**
 * The session inside a transaction. A repository's own transaction (e.g. a
 * multi-statement create) joins the outer one; on SQLite it runs in a SAVEPOINT, so when it fails
 * and the caller catches the error and goes on, its partial work is undone. PostgreSQL needs no
 * savepoint for that guarantee: after any failed statement it refuses to COMMIT, which the driver
 * reports as an error — and a savepoint there would cost two round trips on every request.
 */
function joined(q: SqlExecutor, dialect: SqlDriver["dialect"], headHint: ChainHeadHint): Session {
  let depth = 0;
  const session: Session = {
    all: (sql, params) => q.all(sql, params),
    get: (sql, params) => q.get(sql, params),
    run: (sql, params) => q.run(sql, params),
    ...(q.queue ? { queue: q.queue.bind(q) } : {}),
    tx: async (fn) => {
      if (dialect !== "sqlite") return fn(session);
      const name = `nested_${++depth}`;
      await q.run(`SAVEPOINT ${name}`);
      try {
        const result = await fn(session);
        await q.run(`RELEASE ${name}`);
        return result;
      } catch (err) {
        headHint.forget(); // an append inside may be undone
        await q.run(`ROLLBACK TO ${name}`);
        await q.run(`RELEASE ${name}`);
        throw err;
      } finally {
        depth--;
      }
    },
  };
  return session;
}

export class SqlStore extends Repos implements Store {
  private constructor(
    private readonly db: SqlDriver,
    private readonly headHint: ChainHeadHint,
  ) {
    super(db, db.dialect, headHint, false);
  }

  /** Opens the store on a driver and brings its schema up to date. */
  static async open(db: SqlDriver): Promise<SqlStore> {
    await db.migrate(MIGRATIONS);
    return new SqlStore(db, new ChainHeadHint());
  }

  atomically<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    const { dialect } = this.db;
    return this.db
      .tx((q) => fn(new TxStore(joined(q, dialect, this.headHint), dialect, this.headHint, true)))
      .catch((err: unknown) => {
        // Rolled back (the member, or its group's COMMIT): what it appended is gone.
        this.headHint.forget();
        throw err;
      });
  }

  async health(): Promise<StoreHealth> {
    try {
      await this.db.ping();
      return { ok: true, engine: this.db.dialect };
    } catch (err) {
      return { ok: false, engine: this.db.dialect, detail: err instanceof Error ? err.message : String(err) };
    }
  }

  close(): Promise<void> {
    return this.db.close();
  }
}
