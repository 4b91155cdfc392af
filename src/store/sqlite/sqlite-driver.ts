// SqlDriver over better-sqlite3 (synchronous, in-process). Statements are prepared once and
// cached. WAL mode; synchronous=NORMAL survives a killed process, FULL also a power cut.
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import type { Migration, SqlDriver, SqlExecutor, SqlValue } from "../sql/driver.js";
import { LATEST_SCHEMA_VERSION, SchemaTooNew } from "../sql/migrations.js";
import { UniqueViolation } from "../store.js";

export interface SqliteOptions {
  /** a file path, or ":memory:" */
  file: string;
  durability: "normal" | "full";
}

function translateError(err: unknown): never {
  const code = (err as { code?: unknown }).code;
  if (code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY") {
    throw new UniqueViolation(err instanceof Error ? err.message : String(err));
  }
  throw err;
}

export class SqliteDriver implements SqlDriver {
  readonly dialect = "sqlite" as const;
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  /** set while a transaction is open; other callers wait, so they never join it by accident */
  private txOpen: Promise<void> | undefined;
  private readonly direct: SqlExecutor;

  constructor(opts: SqliteOptions) {
    if (opts.file !== ":memory:") mkdirSync(dirname(opts.file), { recursive: true });
    this.db = new Database(opts.file);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma(`synchronous = ${opts.durability === "full" ? "FULL" : "NORMAL"}`);
    this.db.pragma("foreign_keys = ON");
    this.db.pragma("busy_timeout = 5000");
    this.direct = {
      all: async <T>(sql: string, params: readonly SqlValue[] = []) => this.stmt(sql).all(...params) as T[],
      get: async <T>(sql: string, params: readonly SqlValue[] = []) => this.stmt(sql).get(...params) as T | undefined,
      run: async (sql: string, params: readonly SqlValue[] = []) => {
        try {
          return this.stmt(sql).run(...params).changes;
        } catch (err) {
          translateError(err);
        }
      },
    };
  }

  private stmt(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  async all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    // No await between this check and the statement: nobody can open a transaction in between.
    while (this.txOpen) await this.txOpen;
    return this.direct.all<T>(sql, params);
  }

  async get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
    // No await between this check and the statement: nobody can open a transaction in between.
    while (this.txOpen) await this.txOpen;
    return this.direct.get<T>(sql, params);
  }

  async run(sql: string, params?: readonly SqlValue[]): Promise<number> {
    // No await between this check and the statement: nobody can open a transaction in between.
    while (this.txOpen) await this.txOpen;
    return this.direct.run(sql, params);
  }

  async tx<T>(fn: (q: SqlExecutor) => Promise<T>): Promise<T> {
    while (this.txOpen) await this.txOpen;
    let release = () => {};
    this.txOpen = new Promise<void>((r) => {
      release = r;
    });
    this.stmt("BEGIN IMMEDIATE").run();
    try {
      const result = await fn(this.direct);
      this.stmt("COMMIT").run();
      return result;
    } catch (err) {
      if (this.db.inTransaction) this.stmt("ROLLBACK").run();
      throw err;
    } finally {
      this.txOpen = undefined;
      release();
    }
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
        this.db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)").run(m.version, m.name, Date.now());
      }
    });
    applyAll.immediate();
  }

  async ping(): Promise<void> {
    this.stmt("SELECT 1").get();
  }

  async close(): Promise<void> {
    while (this.txOpen) await this.txOpen;
    this.statements.clear();
    if (this.db.open) this.db.close();
  }
}
