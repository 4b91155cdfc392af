// SqlDriver over a pg.Pool. The shared SQL (written once with `?` placeholders) is translated to
// `$1..$n` once per distinct text. Errors are mapped to the store's vocabulary: unique violations
// become UniqueViolation; anything that means "the database cannot answer now" (refused or dropped
// connections, server shutdown, timeouts, pool exhaustion) becomes StoreUnavailable, so the
// pipeline answers 500 fast. Broken clients are discarded and the pool reconnects on demand, so the
// driver recovers by itself when the database comes back.
import pg from "pg";
import type { Logger } from "../../common/log.js";
import type { Migration, SqlDriver, SqlExecutor, SqlValue } from "../sql/driver.js";
import { LATEST_SCHEMA_VERSION, SchemaTooNew } from "../sql/migrations.js";
import { StoreUnavailable, UniqueViolation } from "../store.js";

export interface PostgresOptions {
  /** libpq-style connection URL, e.g. postgres://user@host:5432/db */
  url: string;
  /** schema holding the tables (created by migrate() when missing); default: the server's search_path */
  schema?: string;
  /** maximum pool connections (default 16) */
  poolSize?: number;
  /** connecting, and waiting for a free pool connection, fail after this long (default 2000) */
  connectTimeoutMs?: number;
  /** server-side statement_timeout; the client gives up 1 s later (default 5000) */
  statementTimeoutMs?: number;
  /** use named (server-side prepared) statements; default true (see the measurements in the report) */
  namedStatements?: boolean;
  /** receives errors of idle connections (which the pool has already discarded) */
  logger?: Logger;
}

/** pg_advisory_xact_lock key serialising migrations across nodes ("SWBD"). */
export const MIGRATION_LOCK_KEY = 0x53574244;
const MIGRATION_TIMEOUT_MS = 300_000;
const PING_TIMEOUT_MS = 1000;

const INT8_OID = 20;
const parseInt8 = (v: string): number => Number(v);

/**
 * Per-pool type parsers (not pg's global registry): int8 (BIGINT columns, COUNT(*)) as a JS number.
 * The values stored here are epoch milliseconds and counts, far below 2^53.
 */
const TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    oid === INT8_OID && format !== "binary" ? parseInt8 : pg.types.getTypeParser(oid, format ?? "text")) as typeof pg.types.getTypeParser,
};

export const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/**
 * PostgreSQL spelling of the shared DDL — the ONE place where the dialects' schemas differ.
 * SQLite compares TEXT with the BINARY collation (memcmp of the UTF-8 bytes); PostgreSQL would
 * use the database's collation (e.g. en_US, where "alice" < "Zed"). Declaring every TEXT column
 * COLLATE "C" makes comparisons and ORDER BY byte order in UTF-8 databases, so keyset pagination
 * (`name > ? ORDER BY name`) pages identically on both engines, and indexes serve those queries.
 * `INTEGER PRIMARY KEY` (SQLite's rowid alias) becomes BIGINT: PostgreSQL's INTEGER is 32 bits.
 * Only a bare type name `TEXT` (upper case, as the shared DDL writes it) is rewritten; a data
 * migration needing TEXT elsewhere (e.g. inside CAST) should write it in lower case.
 */
export function postgresDdl(statement: string): string {
  return statement.replace(/\bTEXT\b(?!\s+COLLATE)/g, 'TEXT COLLATE "C"').replace(/\bINTEGER PRIMARY KEY\b/g, "BIGINT PRIMARY KEY");
}

/** `?` → `$1..$n`, skipping quoted literals and identifiers. */
export function toPositional(sql: string): string {
  let out = "";
  let n = 0;
  let quote: string | undefined;
  for (const ch of sql) {
    if (quote) {
      if (ch === quote) quote = undefined;
      out += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
    } else if (ch === "?") {
      n += 1;
      out += `$${n}`;
    } else {
      out += ch;
    }
  }
  return out;
}

// ---- errors ----------------------------------------------------------------------------------

const NETWORK_ERRNOS = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "EHOSTDOWN",
  "ENETUNREACH",
  "ENETDOWN",
  "EAI_AGAIN",
]);

/** SQLSTATEs meaning the server cannot serve now (besides class 08, connection exception). */
const UNAVAILABLE_SQLSTATES = new Set([
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now (starting up / recovering)
  "57P05", // idle_session_timeout
  "57014", // query_canceled: statement_timeout
  "53000", // insufficient_resources
  "53100", // disk_full
  "53200", // out_of_memory
  "53300", // too_many_connections
  "55P03", // lock_not_available (lock_timeout)
  "25P03", // idle_in_transaction_session_timeout
]);

/** Errors raised by pg/pg-pool themselves, which carry no code. */
const CLIENT_UNAVAILABLE_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|Query read timeout|not queryable|Client was closed|Cannot use a pool after calling end|connection timeout/i;

const codeOf = (err: unknown): string | undefined => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
};

function isUnavailable(err: unknown): boolean {
  const code = codeOf(err);
  if (code !== undefined && (NETWORK_ERRNOS.has(code) || code.startsWith("08") || UNAVAILABLE_SQLSTATES.has(code))) return true;
  if (err instanceof AggregateError) return err.errors.some(isUnavailable);
  return err instanceof Error && code === undefined && CLIENT_UNAVAILABLE_MESSAGES.test(err.message);
}

/**
 * Whether the connection that raised err must be discarded rather than returned to the pool:
 * anything that is not an ordinary error reported by a healthy server session.
 */
function isBroken(err: unknown): boolean {
  if (!(err instanceof pg.DatabaseError)) return true;
  const code = err.code ?? "";
  return code.startsWith("08") || code.startsWith("57P");
}

/** Maps a pg error to the store's errors; anything else is rethrown unchanged. */
function translate(err: unknown): never {
  if (err instanceof UniqueViolation || err instanceof StoreUnavailable) throw err;
  if (err instanceof pg.DatabaseError && err.code === "23505") {
    throw new UniqueViolation(err.constraint ? `${err.table ?? "?"}.${err.constraint}` : err.message);
  }
  if (isUnavailable(err)) {
    const msg = err instanceof Error ? err.message || codeOf(err) || err.name : String(err);
    throw new StoreUnavailable(`PostgreSQL unavailable: ${msg}`, { cause: err });
  }
  throw err;
}

// ---- the driver ------------------------------------------------------------------------------

interface Prepared {
  text: string;
  name: string | undefined;
}

/** pg's QueryConfig plus the per-query client-side timeout pg supports but @types/pg omits. */
type TimedQuery = pg.QueryConfig<SqlValue[]> & { query_timeout?: number };
type Runner = (sql: string, params?: readonly SqlValue[]) => Promise<pg.QueryResult>;

export class PostgresDriver implements SqlDriver {
  readonly dialect = "postgres" as const;
  private readonly pool: pg.Pool;
  private readonly schema: string | undefined;
  private readonly named: boolean;
  private readonly prepared = new Map<string, Prepared>();
  private ended = false;

  constructor(opts: PostgresOptions) {
    const statementTimeoutMs = opts.statementTimeoutMs ?? 5000;
    this.schema = opts.schema;
    this.named = opts.namedStatements ?? true;
    const config: pg.PoolConfig = {
      connectionString: opts.url,
      max: opts.poolSize ?? 16,
      connectionTimeoutMillis: opts.connectTimeoutMs ?? 2000,
      statement_timeout: statementTimeoutMs,
      // Client side: a server that stops answering (hung, partitioned) fails fast too.
      query_timeout: statementTimeoutMs + 1000,
      idleTimeoutMillis: 30_000,
      keepAlive: true,
      application_name: "switchboard",
      types: TYPES,
      // Queries are written at once, not after the previous answer: a transaction's BEGIN and its
      // queued writes share round trips with the statements next to them (see transaction()).
      pipeline: true,
    };
    if (opts.schema !== undefined) {
      // A startup parameter, so every connection has it from its first statement. In `options`,
      // spaces and backslashes are escaped with a backslash; the identifier itself is quoted.
      config.options = `-c search_path=${quoteIdent(opts.schema).replace(/[\\\s]/g, (c) => `\\${c}`)}`;
    }
    this.pool = new pg.Pool(config);
    // An idle client that loses its connection emits 'error' on the pool (already removed from
    // it); unhandled, that event would crash the process.
    this.pool.on("error", (err) => {
      opts.logger?.log("warn", "postgres idle connection lost", { code: codeOf(err), error: err.message });
    });
    // A checked-out client has no pool listener; errors surface through its queries instead.
    this.pool.on("connect", (client) => {
      client.on("error", () => {});
    });
  }

  private statement(sql: string): Prepared {
    let p = this.prepared.get(sql);
    if (!p) {
      p = { text: toPositional(sql), name: this.named ? `sb_${this.prepared.size}` : undefined };
      this.prepared.set(sql, p);
    }
    return p;
  }

  private async connect(): Promise<pg.PoolClient> {
    try {
      return await this.pool.connect();
    } catch (err) {
      translate(err);
    }
  }

  private config(sql: string, params: readonly SqlValue[] = []): TimedQuery {
    const p = this.statement(sql);
    const config: TimedQuery = { text: p.text, values: params as SqlValue[] };
    if (p.name !== undefined) config.name = p.name;
    return config;
  }

  private static executor(run: Runner): SqlExecutor {
    return {
      all: async <T>(sql: string, params?: readonly SqlValue[]) => (await run(sql, params)).rows as T[],
      get: async <T>(sql: string, params?: readonly SqlValue[]) => (await run(sql, params)).rows[0] as T | undefined,
      run: async (sql: string, params?: readonly SqlValue[]) => (await run(sql, params)).rowCount ?? 0,
    };
  }

  /** One statement on a pooled connection, outside any transaction. */
  private async once(sql: string, params?: readonly SqlValue[]): Promise<pg.QueryResult> {
    const client = await this.connect();
    let result: pg.QueryResult;
    try {
      result = await client.query(this.config(sql, params));
    } catch (err) {
      client.release(isBroken(err) ? (err as Error) : undefined);
      translate(err);
    }
    client.release();
    return result;
  }

  async all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    return (await this.once(sql, params)).rows as T[];
  }

  async get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> {
    return (await this.once(sql, params)).rows[0] as T | undefined;
  }

  async run(sql: string, params?: readonly SqlValue[]): Promise<number> {
    return (await this.once(sql, params)).rowCount ?? 0;
  }

  /**
   * BEGIN … fn … COMMIT on one client; ROLLBACK when fn throws. The client goes back to the pool,
   * or, when its connection broke, is discarded (closing it rolls back on the server).
   *
   * Round trips: the connections pipeline (pg's `pipeline` mode: a query is written at once, not
   * after the previous answer), so BEGIN goes on the wire together with the first statement when
   * that is a plain SELECT (were BEGIN to fail, a read outside the transaction changes nothing),
   * and queued writes (SqlExecutor.queue, e.g. the audit event) together with the COMMIT. Every
   * statement is written in the order it was issued.
   */
  private async transaction<T>(
    fn: (query: (config: TimedQuery) => Promise<pg.QueryResult>, queue: (config: TimedQuery) => void) => Promise<T>,
  ): Promise<T> {
    const client = await this.connect();
    let broken: Error | undefined;
    const send = (config: TimedQuery): Promise<pg.QueryResult> =>
      client.query(config).catch((err: unknown) => {
        if (isBroken(err)) broken ??= err as Error;
        throw err;
      });
    let begun: Promise<unknown> | undefined = send({ text: "BEGIN" });
    begun.catch(() => {}); // awaited below; never an unhandled rejection meanwhile
    /** queued writes, in order: the first failure is the transaction's */
    const queued: Promise<unknown>[] = [];
    const firstQueuedFailure = async (): Promise<unknown> => {
      for (const p of queued) {
        const failed = await p.then(
          () => undefined,
          (err: unknown) => err ?? new Error("a queued statement failed"),
        );
        if (failed !== undefined) return failed;
      }
      return undefined;
    };
    const query = async (config: TimedQuery): Promise<pg.QueryResult> => {
      if (begun) {
        const pipelined = /^\s*SELECT\b/i.test(config.text);
        const b = begun;
        begun = undefined;
        if (!pipelined) await b;
        const [, result] = await Promise.all([b, send(config)]);
        return result;
      }
      try {
        return await send(config);
      } catch (err) {
        // After a queued write failed, later statements only say "transaction aborted": report the cause.
        throw (await firstQueuedFailure()) ?? err;
      }
    };
    const queue = (config: TimedQuery): void => {
      // Written now, in order, whatever comes next (a ROLLBACK must follow it, not overtake it).
      // Right behind an unanswered BEGIN too: BEGIN fails only when the connection does, and
      // then so does this write; BEGIN's answer is checked with the queued writes' before COMMIT.
      if (begun) {
        queued.push(begun);
        begun = undefined;
      }
      const p = send(config);
      p.catch(() => {});
      queued.push(p);
    };
    let result: T;
    try {
      result = await fn(query, queue);
      if (begun) await begun; // fn ran no statement at all
      // A transaction in which a statement failed (an error fn caught and got past) cannot
      // commit: PostgreSQL answers COMMIT with ROLLBACK and no error. Never report success then.
      const commit = send({ text: "COMMIT" });
      commit.catch(() => {});
      const failed = await firstQueuedFailure();
      if (failed !== undefined) {
        await commit.catch(() => {});
        throw failed;
      }
      const committed = await commit;
      if (committed.command === "ROLLBACK") {
        throw new Error("the transaction was rolled back by PostgreSQL: a statement in it had failed");
      }
    } catch (err) {
      if (!broken) {
        // After a failed COMMIT the server has already rolled back; ROLLBACK is then a no-op.
        await send({ text: "ROLLBACK" }).catch(() => {});
      }
      client.release(broken);
      translate(err);
    }
    client.release();
    return result;
  }

  tx<T>(fn: (q: SqlExecutor) => Promise<T>): Promise<T> {
    return this.transaction((query, queue) =>
      fn({
        ...PostgresDriver.executor(async (sql, params) => {
          try {
            return await query(this.config(sql, params));
          } catch (err) {
            translate(err);
          }
        }),
        queue: (sql, params) => queue(this.config(sql, params)),
      }),
    );
  }

  async migrate(migrations: readonly Migration[]): Promise<void> {
    await this.transaction(async (query) => {
      // DDL and waiting for another node's migration may take longer than a request may.
      const q = (text: string, values: SqlValue[] = []) => query({ text, values, query_timeout: MIGRATION_TIMEOUT_MS });
      await q("SET LOCAL statement_timeout = 0");
      // Several nodes starting at once: the first migrates, the others wait here and then find
      // nothing to do. Taken before creating the schema, which is not race-free otherwise.
      await q("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK_KEY]);
      if (this.schema !== undefined) {
        // Looked up first: CREATE SCHEMA checks the CREATE privilege on the database even when the
        // schema exists, and a deployment may grant only the schema.
        const found = await q("SELECT 1 FROM pg_namespace WHERE nspname = $1", [this.schema]);
        if (found.rowCount === 0) await q(`CREATE SCHEMA ${quoteIdent(this.schema)}`);
      }
      await q("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
      const row = (await q("SELECT MAX(version) AS v FROM schema_migrations")).rows[0] as { v: number | null } | undefined;
      const current = row?.v ?? 0;
      if (current > LATEST_SCHEMA_VERSION) throw new SchemaTooNew(current);
      for (const m of migrations) {
        if (m.version <= current) continue;
        for (const s of m.statements) await q(postgresDdl(s));
        // already PostgreSQL's own spelling: run as written
        for (const s of m.dialectStatements?.postgres ?? []) await q(s);
        await q("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)", [m.version, m.name, Date.now()]);
      }
    });
  }

  async ping(): Promise<void> {
    const client = await this.connect();
    try {
      await client.query({ text: "SELECT 1", query_timeout: PING_TIMEOUT_MS } as TimedQuery);
    } catch (err) {
      client.release(isBroken(err) ? (err as Error) : undefined);
      translate(err);
    }
    client.release();
  }

  async close(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    await this.pool.end();
  }
}
