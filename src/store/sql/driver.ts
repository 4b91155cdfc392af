// The narrow interface the shared repositories need from a SQL engine. SQL text is written once
// with `?` placeholders in the subset that SQLite and PostgreSQL share; each driver adapts it.

export type SqlValue = string | number | null;

export interface SqlExecutor {
  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  /** resolves to the number of rows changed */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
  /**
   * Inside a transaction, on engines that can pipeline (PostgreSQL): a write whose result nobody
   * reads, sent at once and not waited for — it goes on the wire with what follows (the COMMIT).
   * Its failure fails the transaction: the commit throws that error. Absent: use run().
   */
  queue?(sql: string, params?: readonly SqlValue[]): void;
}

export interface SqlDriver extends SqlExecutor {
  readonly dialect: "sqlite" | "postgres";
  /** Runs fn in one transaction: committed when fn resolves, rolled back when it throws. */
  tx<T>(fn: (q: SqlExecutor) => Promise<T>): Promise<T>;
  /** Runs the schema migrations that are not applied yet (serialised across processes). */
  migrate(migrations: readonly Migration[]): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
  /**
   * SQLite's group commit: hook takes part in every group transaction from now on (see
   * TransactionHook); one per driver. Absent on PostgreSQL, whose transactions are one request's each.
   */
  participate?(hook: TransactionHook): void;
}

/**
 * State kept in memory for the open group transaction (SQLite: the audit chain's head), which
 * the driver keeps in step with the database: rolled back with a member's savepoint, written
 * right before the COMMIT, forgotten when the transaction ends.
 */
export interface TransactionHook {
  /** a member's savepoint opens: what to go back to if it is rolled back */
  mark(): unknown;
  /** that savepoint was rolled back */
  rollBack(mark: unknown): void;
  /** in the transaction, right before COMMIT: its deferred writes (a failure fails the COMMIT) */
  flush(q: SqlExecutor): Promise<void>;
  /** the transaction ended (committed or rolled back) */
  ended(): void;
}

export interface Migration {
  version: number;
  name: string;
  /** statements in the shared SQL subset, run in order inside one transaction */
  statements: readonly string[];
  /**
   * Statements in each engine's own SQL (data migrations that read JSON, which the shared subset
   * cannot), run as written after `statements`, in the same transaction.
   */
  dialectStatements?: { readonly sqlite: readonly string[]; readonly postgres: readonly string[] };
}
