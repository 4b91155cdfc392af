// The engines the Store contract runs on, and `contract()`, which runs a repository's cases on every
// one of them: SQLite on a file, SQLite in memory and PostgreSQL. A new engine is one entry in
// ENGINES; a new repository's contract is one file, `<name>.contract.test.ts`, calling contract().
// Each case builds its own account/instance ids, so cases never see each other's rows.
// PostgreSQL: SWITCHBOARD_TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/test); each file
// uses fresh schemas, dropped at the end. An unreachable server FAILS the PostgreSQL part unless
// SWITCHBOARD_SKIP_PG=1.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe } from "node:test";
import { PostgresDriver } from "../../src/store/postgres/pg-driver.js";
import type { SqlDriver } from "../../src/store/sql/driver.js";
import { SqlStore } from "../../src/store/sql/sql-store.js";
import { SqliteDriver } from "../../src/store/sqlite/sqlite-driver.js";
import type { Store } from "../../src/store/store.js";
import { dropSchema, freshSchemaName, PG_URL } from "../helpers/postgres.js";
import { type RemoteSpec, type RemoteStore, spawnStore } from "./remote-store.js";

/** A store opened on a database of its own, with what the cases need to reach that database again. */
export interface Opened {
  store: Store;
  cleanup(): Promise<void>;
  /** the driver under store, for the schema cases (SQL engines only) */
  driver?: SqlDriver;
  /** a new driver on the same database (absent for ":memory:"); the caller closes it */
  connect?: () => SqlDriver;
  /** how another process opens the same database (absent for ":memory:") */
  remote?: RemoteSpec;
}

export const SKIP_PG = process.env.SWITCHBOARD_SKIP_PG === "1";
const redact = (url: string) => url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
export const newSchemaName = () => freshSchemaName("test");

/** A driver on a database of its own, its schema not migrated yet (the upgrade cases start from an older one). */
export interface BareDatabase {
  driver: SqlDriver;
  /** closes the driver and removes the database */
  cleanup(): Promise<void>;
}

/** A store on a bare database (migrated by SqlStore.open); closing the store closes the driver, so cleanup stays bare's. */
async function storeOn(bare: BareDatabase, more: Omit<Opened, "store" | "driver" | "cleanup"> = {}): Promise<Opened> {
  let store: SqlStore;
  try {
    store = await SqlStore.open(bare.driver);
  } catch (err) {
    await bare.cleanup();
    throw err;
  }
  return { store, driver: bare.driver, cleanup: bare.cleanup, ...more };
}

async function bareSqliteFile(): Promise<BareDatabase & { file: string }> {
  const dir = await mkdtemp(join(tmpdir(), "sb-contract-"));
  const file = join(dir, "store.db");
  const driver = new SqliteDriver({ file, durability: "normal" });
  return {
    driver,
    file,
    cleanup: async () => {
      await driver.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function openSqliteFile(): Promise<Opened> {
  const bare = await bareSqliteFile();
  const { file } = bare;
  return storeOn(bare, { connect: () => new SqliteDriver({ file, durability: "normal" }), remote: { engine: "sqlite", file } });
}

async function bareSqliteMemory(): Promise<BareDatabase> {
  const driver = new SqliteDriver({ file: ":memory:", durability: "normal" });
  return { driver, cleanup: () => driver.close() };
}

const openSqliteMemory = async (): Promise<Opened> => storeOn(await bareSqliteMemory());

/** A PostgresDriver on a schema; fails with instructions when the server is not reachable. */
export async function reachablePostgres(schema: string): Promise<PostgresDriver> {
  const driver = new PostgresDriver({ url: PG_URL, schema });
  try {
    await driver.ping();
  } catch (err) {
    await driver.close();
    throw new Error(
      `PostgreSQL is not reachable at ${redact(PG_URL)} (${err instanceof Error ? err.message : String(err)}). ` +
        "Start it (pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start), point SWITCHBOARD_TEST_PG_URL " +
        "at a server, or set SWITCHBOARD_SKIP_PG=1 to skip the PostgreSQL part.",
    );
  }
  return driver;
}

async function barePostgres(): Promise<BareDatabase & { schema: string }> {
  const schema = newSchemaName();
  const driver = await reachablePostgres(schema);
  return {
    driver,
    schema,
    cleanup: async () => {
      await driver.close();
      await dropSchema(schema);
    },
  };
}

async function openPostgres(): Promise<Opened> {
  const bare = await barePostgres();
  const { schema } = bare;
  return storeOn(bare, { connect: () => new PostgresDriver({ url: PG_URL, schema }), remote: { engine: "postgres", url: PG_URL, schema } });
}

// ---- the engines -----------------------------------------------------------------------------

export interface Engine {
  /** the suite's name in the report */
  name: string;
  /** a store on a database of its own */
  open(): Promise<Opened>;
  /** a driver on a database of its own, not migrated */
  bare(): Promise<BareDatabase>;
  /** why the engine's cases are all skipped (false: they run) */
  skip: string | false;
  /** why cases needing a second connection to the database (another store or process) are skipped */
  noSecondConnection: string | false;
  /** why cases with a second store on the database in this very process are skipped */
  noSecondStoreInProcess: string | false;
}

const ONE_CONNECTION = "an in-memory database has one connection only";

/** Every engine the contract runs on. */
export const ENGINES: readonly Engine[] = [
  {
    name: "SQLite (file)",
    open: openSqliteFile,
    bare: bareSqliteFile,
    skip: false,
    noSecondConnection: false,
    // A process opens a SQLite file once: its group commit holds the write lock across a turn of the
    // event loop, so a second connection in the same process waits on it synchronously. Two
    // processes on one file are covered by the cases with a store in another process.
    noSecondStoreInProcess: "a second SQLite connection in the process waits synchronously on the first's group commit",
  },
  {
    name: "SQLite (:memory:)",
    open: openSqliteMemory,
    bare: bareSqliteMemory,
    skip: false,
    noSecondConnection: ONE_CONNECTION,
    noSecondStoreInProcess: ONE_CONNECTION,
  },
  {
    name: "PostgreSQL",
    open: openPostgres,
    bare: barePostgres,
    skip: SKIP_PG ? "SWITCHBOARD_SKIP_PG=1" : false,
    noSecondConnection: false,
    noSecondStoreInProcess: false,
  },
];

// ---- the runner ------------------------------------------------------------------------------

/** What a repository's cases get on each engine. Read `store` and `opened` inside a case: they are open only while the cases run. */
export interface ContractContext {
  /** the engine's store shared by this file's cases */
  readonly store: Store;
  /** the shared store's database (its driver, a second connection, a remote spec) */
  readonly opened: Opened;
  readonly engine: Engine;
  /** a store on a database of its own; the caller cleans it up */
  open(): Promise<Opened>;
  /** a store on a database of its own (an empty audit chain, an empty outbox), cleaned up after fn */
  fresh<T>(fn: (own: Opened) => Promise<T>): Promise<T>;
  /** Engine.noSecondConnection, for a case's skip */
  readonly noSecondConnection: string | false;
  /** Engine.noSecondStoreInProcess, for a case's skip */
  readonly noSecondStoreInProcess: string | false;
}

/** A store in another process on own's database, closed after fn. */
export async function withRemote<T>(own: Opened, fn: (remote: RemoteStore) => Promise<T>): Promise<T> {
  assert.ok(own.remote, "a database another process can open");
  const remote = await spawnStore(own.remote);
  try {
    return await fn(remote);
  } finally {
    await remote.close();
  }
}

/**
 * Registers a repository's contract: `cases` runs once per engine, inside a suite of its own that
 * opens the engine's store before the cases and cleans it up after them; it registers the cases
 * with node:test's `test()`.
 */
export function contract(name: string, cases: (ctx: ContractContext) => void): void {
  describe(name, () => {
    for (const engine of ENGINES) {
      describe(engine.name, { skip: engine.skip }, () => {
        let h: Opened | undefined;
        before(async () => {
          h = await engine.open();
        });
        after(async () => {
          await h?.cleanup();
        });
        const opened = (): Opened => {
          assert.ok(h, `the ${engine.name} store is open only while the cases run: read ctx.store inside a test`);
          return h;
        };
        cases({
          get store() {
            return opened().store;
          },
          get opened() {
            return opened();
          },
          engine,
          open: engine.open,
          fresh: async (fn) => {
            const own = await engine.open();
            try {
              return await fn(own);
            } finally {
              await own.cleanup();
            }
          },
          noSecondConnection: engine.noSecondConnection,
          noSecondStoreInProcess: engine.noSecondStoreInProcess,
        });
      });
    }
  });
}
