// SqlDriver over better-sqlite3 (synchronous, in-process). Statements are prepared once and
// cached. WAL mode; synchronous=NORMAL survives a killed process, FULL also a power cut.
import { existsSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import Database from "better-sqlite3";
import type { Migration, SqlDriver, SqlExecutor, SqlValue, TransactionHook } from "../sql/driver.js";
import { LATEST_SCHEMA_VERSION, SchemaTooNew } from "../sql/migrations.js";
import { StoreUnavailable, UniqueViolation } from "../store.js";

export interface SqliteOptions {
  /** a file path, or ":memory:" */
  file: string;
  durability: "normal" | "full";
}

// The native addon, taken from where npm builds it (build/Release): better-sqlite3 need not
// search for it (the bindings package tries a dozen paths and reads a stack trace, ~1 ms of every
// start). Built elsewhere, bindings searches for it as better-sqlite3 itself would — loaded
// from better-sqlite3's own folder, since its copy bundled into dist/bundle cannot find its way
// (it needs the module's __filename).
function nativeAddon(): string | object {
  const root = dirname(createRequire(import.meta.url).resolve("better-sqlite3/package.json"));
  const built = join(root, "build", "Release", "better_sqlite3.node");
  if (existsSync(built)) return built;
  const bindings = createRequire(join(root, "package.json"))("bindings") as (o: object) => object;
  return bindings({ bindings: "better_sqlite3.node", module_root: root });
}
/** Database's options, found once per process. better-sqlite3 takes the addon itself as well as its path (lib/database.js); its types say path only. */
let addonOption: Database.Options | undefined;

function translateError(err: unknown): never {
  const code = (err as { code?: unknown }).code;
  // Another process (e.g. a `switchboard iam` command) held the write lock past busy_timeout:
  // a transient condition, answered as InternalServiceException (500, retried by every SDK).
  if (code === "SQLITE_BUSY" || code === "SQLITE_LOCKED") {
    throw new StoreUnavailable("the SQLite database is locked by another process", { cause: err });
  }
  if (code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY") {
    throw new UniqueViolation(err instanceof Error ? err.message : String(err));
  }
  throw err;
}

/**
 * Group commit. A COMMIT costs far more than the statements of one request (it appends every
 * changed page to the WAL), so transactions that arrive in the same turn of the event loop share
 * one, and one COMMIT at the end of the turn (setImmediate) makes them durable together. Nobody
 * is answered before that COMMIT, so an acknowledged write is still a committed write; if the
 * COMMIT fails, every member fails.
 *
 * Members run one at a time, and a failing member undoes only its own work — without a
 * savepoint per member (two statements, and a copy of every page it touches, on every request):
 * the batch records the statements its members ran (the redo log). A member that fails before
 * it wrote anything has nothing to undo (a failed statement undoes itself); one that fails after
 * writing rolls the batch back to its start (SAVEPOINT batch, opened once with the transaction,
 * so the write lock is never let go) and the earlier members' statements run again, in order:
 * on the same data, from the same statements, they make the same changes.
 */
interface Batch {
  members: number;
  /** no new members once the COMMIT is under way (or the batch could not be put back) */
  closing: boolean;
  /** every statement the members ran that may change something, with its parameters, in order */
  redo: { sql: string; params: readonly SqlValue[] }[];
  /** the batch could not be put back after a member failed: its COMMIT fails with this */
  broken?: unknown;
  /** resolves after COMMIT; rejects when it failed */
  committed: Promise<void>;
  /** resolves either way */
  settled: Promise<void>;
  settle(error?: unknown): void;
}

/** Members per batch; beyond this a transaction waits for the next one. */
const MAX_BATCH = 64;

const noop = () => {};

export class SqliteDriver implements SqlDriver {
  readonly dialect = "sqlite" as const;
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  /** the open group-commit transaction, if any */
  private batch: Batch | undefined;
  /** set while one member's function runs: members run one at a time */
  private memberRunning: Promise<void> | undefined;
  private readonly direct: SqlExecutor;
  /** what --durability asks for (a brand-new file runs without until migrate() is done) */
  private readonly synchronous: "NORMAL" | "FULL";
  /** state kept in step with every group transaction (participate) */
  private hook: TransactionHook | undefined;

  constructor(opts: SqliteOptions) {
    if (opts.file !== ":memory:") mkdirSync(dirname(opts.file), { recursive: true });
    const brandNew = opts.file !== ":memory:" && !existsSync(opts.file);
    addonOption ??= { nativeBinding: nativeAddon() as string };
    this.db = new Database(opts.file, addonOption);
    this.synchronous = opts.durability === "full" ? "FULL" : "NORMAL";
    // A brand-new file under `normal` is created without fsync (the switch to WAL and the first
    // migrations: six fsyncs, part of the cold start); migrate() then sets NORMAL. Nothing is
    // acknowledged before that, and NORMAL syncs nothing before the first checkpoint either (which
    // syncs the WAL and the file), so a power cut meanwhile loses no more than NORMAL may. `full`
    // syncs from the start.
    this.db.pragma(`synchronous = ${brandNew && this.synchronous === "NORMAL" ? "OFF" : this.synchronous}`);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("foreign_keys = ON");
    this.db.pragma("busy_timeout = 5000");
    // Checkpoint every ~40 MB of WAL instead of ~4 MB: hot pages (a user's row, the audit head)
    // are copied back to the database file once per checkpoint, not once per few commits.
    this.db.pragma("wal_autocheckpoint = 10000");
    this.direct = {
      all: async <T>(sql: string, params: readonly SqlValue[] = []) => {
        const statement = this.stmt(sql);
        const rows = statement.all(...params) as T[];
        if (!statement.readonly) this.ran(sql, params);
        return rows;
      },
      get: async <T>(sql: string, params: readonly SqlValue[] = []) => {
        const statement = this.stmt(sql);
        const row = statement.get(...params) as T | undefined;
        if (!statement.readonly) this.ran(sql, params);
        return row;
      },
      run: async (sql: string, params: readonly SqlValue[] = []) => {
        let changes: number;
        try {
          changes = this.stmt(sql).run(...params).changes;
        } catch (err) {
          translateError(err);
        }
        // Every run() is recorded, savepoints and pragmas too: redone in order, they undo what they undid.
        this.ran(sql, params);
        return changes;
      },
    };
  }

  /** A statement that ran in the open batch (redo log); a copy of its parameters, read now. */
  private ran(sql: string, params: readonly SqlValue[]): void {
    const batch = this.batch;
    if (batch !== undefined && this.memberRunning !== undefined)
      batch.redo.push({ sql, params: params.length === 0 ? params : params.slice() });
  }

  private stmt(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  /**
   * Statements outside a transaction wait until no transaction is open, so they neither join
   * one by accident nor read what it has not committed yet. No await between the check and the
   * statement: nobody can open a transaction in between.
   */
  private async quiet(): Promise<void> {
    while (this.batch || this.memberRunning) await (this.batch ? this.batch.settled : this.memberRunning);
  }

  async all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    if (this.batch || this.memberRunning) await this.quiet();
    return this.direct.all<T>(sql, params);
  }

  async get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
    if (this.batch || this.memberRunning) await this.quiet();
    return this.direct.get<T>(sql, params);
  }

  async run(sql: string, params?: readonly SqlValue[]): Promise<number> {
    if (this.batch || this.memberRunning) await this.quiet();
    return this.direct.run(sql, params);
  }

  async tx<T>(fn: (q: SqlExecutor) => Promise<T>): Promise<T> {
    for (;;) {
      if (this.memberRunning) await this.memberRunning;
      else if (this.batch && (this.batch.closing || this.batch.members >= MAX_BATCH)) await this.batch.settled;
      else break;
    }
    const batch = this.batch ?? this.openBatch();
    batch.members++;
    let release = () => {};
    this.memberRunning = new Promise<void>((r) => {
      release = r;
    });
    let result: T;
    const hook = this.hook;
    const mark = hook?.mark();
    const start = batch.redo.length;
    try {
      result = await fn(this.direct);
    } catch (err) {
      // Before the next member runs: its work undone, and the hook's state with it.
      if (batch.redo.length > start || !this.db.inTransaction) this.undoMember(batch, start);
      if (batch.broken === undefined) hook?.rollBack(mark);
      throw err;
    } finally {
      this.memberRunning = undefined;
      release();
    }
    await batch.committed;
    return result;
  }

  /** Back to the batch's state before the member whose statements start at redo[start]. */
  private undoMember(batch: Batch, start: number): void {
    try {
      // Not in a transaction: the engine rolled all of it back (e.g. a full disk); nothing to redo on.
      if (!this.db.inTransaction) throw new Error("the group transaction was rolled back by SQLite");
      this.stmt("ROLLBACK TO batch").run();
      const redo = batch.redo;
      for (let i = 0; i < start; i++) {
        const r = redo[i] as Batch["redo"][number];
        this.stmt(r.sql).run(...r.params);
      }
      redo.length = start;
    } catch (err) {
      // The earlier members' work cannot be put back: they fail with the COMMIT, none is answered.
      batch.broken = err;
      batch.closing = true;
    }
  }

  private openBatch(): Batch {
    try {
      this.stmt("BEGIN IMMEDIATE").run();
      this.stmt("SAVEPOINT batch").run();
    } catch (err) {
      if (this.db.inTransaction) this.stmt("ROLLBACK").run();
      translateError(err);
    }
    let settle: Batch["settle"] = () => {};
    const committed = new Promise<void>((resolve, reject) => {
      settle = (error) => (error === undefined ? resolve() : reject(error));
    });
    const batch: Batch = { members: 0, closing: false, redo: [], committed, settled: committed.then(noop, noop), settle };
    this.batch = batch;
    setImmediate(() => void this.commitBatch(batch));
    return batch;
  }

  private async commitBatch(batch: Batch): Promise<void> {
    batch.closing = true;
    while (this.memberRunning) await this.memberRunning;
    try {
      if (batch.broken !== undefined) throw batch.broken;
      if (this.hook) await this.hook.flush(this.direct);
      this.stmt("COMMIT").run();
      this.endBatch();
      batch.settle();
    } catch (err) {
      if (this.db.inTransaction) this.stmt("ROLLBACK").run();
      this.endBatch();
      batch.settle(err);
    }
  }

  private endBatch(): void {
    this.batch = undefined;
    this.hook?.ended();
  }

  participate(hook: TransactionHook): void {
    if (this.hook) throw new Error("the driver already has its transaction hook");
    this.hook = hook;
  }

  async migrate(migrations: readonly Migration[]): Promise<void> {
    this.db.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
    );
    const applyAll = this.db.transaction(() => {
      const row = this.db.prepare("SELECT MAX(version) AS v FROM schema_migrations").get() as { v: number | null };
      const current = row.v ?? 0;
      if (current > LATEST_SCHEMA_VERSION) throw new SchemaTooNew(current);
      for (const m of migrations) {
        if (m.version <= current) continue;
        for (const s of m.statements) this.db.exec(s);
        for (const s of m.dialectStatements?.sqlite ?? []) this.db.exec(s);
        this.db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)").run(m.version, m.name, Date.now());
      }
    });
    applyAll.immediate();
    this.db.pragma(`synchronous = ${this.synchronous}`);
  }

  async ping(): Promise<void> {
    this.stmt("SELECT 1").get();
  }

  async close(): Promise<void> {
    await this.quiet();
    this.statements.clear();
    if (this.db.open) this.db.close();
  }
}
