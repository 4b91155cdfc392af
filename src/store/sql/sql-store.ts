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
import { SqlAudit, SqliteChainHead } from "./audit-repo.js";
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

/** Tables holding one bookkeeping row each, reset in place by clear(). */
const SINGLETONS = ["schema_migrations", "audit_head", "iam_revision"];

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
  constructor(session: Session, dialect: SqlDriver["dialect"], chainHead: SqliteChainHead | undefined, inTransaction: boolean) {
    this.instances = new SqlInstances(session, dialect);
    this.users = new SqlUsers(session, dialect, inTransaction);
    this.profiles = new SqlProfiles(session, dialect);
    this.queues = new SqlQueues(session, dialect);
    this.hierarchy = new SqlHierarchy(session, dialect);
    this.tags = new SqlTags(session, dialect);
    this.audit = new SqlAudit(session, dialect, chainHead, inTransaction);
    this.iam = new SqlIam(session);
    this.outbox = new SqlOutbox(session);
    this.session = session;
    this.dialect = dialect;
    this.chainHead = chainHead;
  }
  private readonly session: Session;
  private readonly dialect: SqlDriver["dialect"];
  private readonly chainHead: SqliteChainHead | undefined;

  /** Every table the schema has (so tables added by later migrations are cleared too). */
  private async tables(): Promise<string[]> {
    const rows =
      this.dialect === "sqlite"
        ? await this.session.all("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        : await this.session.all(
            "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
          );
    return rows.map((r) => String((r as { name: string }).name)).filter((n) => !SINGLETONS.includes(n));
  }

  clear(): Promise<void> {
    return this.session.tx(async (q) => {
      const tables = await this.tables();
      if (this.dialect === "postgres") {
        // TRUNCATE locks its tables one by one; taken in the wrong order it deadlocks with a
        // transaction holding one and waiting for another (seen: the audit linker holds the
        // chain's head row and waits for audit_pending, while the reset holds audit_pending and
        // waits for the head row → 500). So: first the head row (the linker's first lock, which it
        // then waits on), then instances (the first table every request's transaction reads, so
        // in-flight ones finish and new ones queue behind), then the rest.
        await q.get("SELECT seq FROM audit_head WHERE id = 1 FOR UPDATE");
        const ordered = [...tables].sort((a, b) => Number(b === "instances") - Number(a === "instances"));
        if (ordered.length > 0) await q.run(`TRUNCATE ${ordered.map((t) => `"${t}"`).join(", ")}`);
      } else {
        // Foreign keys are checked at COMMIT, when every referencing row is gone too.
        await q.run("PRAGMA defer_foreign_keys = ON");
        for (const t of tables) await q.run(`DELETE FROM "${t}"`);
      }
      await q.run(`UPDATE audit_head SET seq = 0, hash = '${"0".repeat(64)}' WHERE id = 1`);
      this.chainHead?.forget(); // the row is written: the next append reads it
      await q.run("UPDATE iam_revision SET revision = revision + 1 WHERE id = 1");
    });
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
function joined(q: SqlExecutor, dialect: SqlDriver["dialect"], chainHead: SqliteChainHead | undefined): Session {
  let depth = 0;
  const session: Session = {
    all: (sql, params) => q.all(sql, params),
    get: (sql, params) => q.get(sql, params),
    run: (sql, params) => q.run(sql, params),
    ...(q.queue ? { queue: q.queue.bind(q) } : {}),
    tx: async (fn) => {
      if (dialect !== "sqlite") return fn(session);
      const name = `nested_${++depth}`;
      const mark = chainHead?.mark();
      await q.run(`SAVEPOINT ${name}`);
      try {
        const result = await fn(session);
        await q.run(`RELEASE ${name}`);
        return result;
      } catch (err) {
        await q.run(`ROLLBACK TO ${name}`);
        await q.run(`RELEASE ${name}`);
        chainHead?.rollBack(mark); // an append inside is undone
        throw err;
      } finally {
        depth--;
      }
    },
  };
  return session;
}

/** The chain head of each SQLite driver's group transactions, shared by the stores on it. */
const chainHeads = new WeakMap<SqlDriver, SqliteChainHead>();

function chainHeadOf(db: SqlDriver): SqliteChainHead | undefined {
  if (db.dialect !== "sqlite") return undefined;
  let head = chainHeads.get(db);
  if (head === undefined) {
    if (!db.participate) throw new Error("a SQLite store needs a driver that runs its hooks at every group commit");
    head = new SqliteChainHead();
    db.participate(head);
    chainHeads.set(db, head);
  }
  return head;
}

export class SqlStore extends Repos implements Store {
  private constructor(
    private readonly db: SqlDriver,
    private readonly head: SqliteChainHead | undefined,
  ) {
    super(db, db.dialect, head, false);
  }

  /** Opens the store on a driver and brings its schema up to date. */
  static async open(db: SqlDriver): Promise<SqlStore> {
    await db.migrate(MIGRATIONS);
    return new SqlStore(db, chainHeadOf(db));
  }

  atomically<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    const { dialect } = this.db;
    return this.db.tx((q) => fn(new TxStore(joined(q, dialect, this.head), dialect, this.head, true)));
  }

  override clear(): Promise<void> {
    return this.atomically((tx) => tx.clear());
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
