// PostgreSQL only: what the driver does beyond the contract (concurrent migrations, collation,
// an unreachable or killed server, statement timeouts). Skipped with SWITCHBOARD_SKIP_PG=1.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, test } from "node:test";
import { PostgresDriver } from "../../src/store/postgres/pg-driver.js";
import { MIGRATIONS } from "../../src/store/sql/migrations.js";
import { SqlStore } from "../../src/store/sql/sql-store.js";
import { StoreUnavailable } from "../../src/store/store.js";
import { dropSchema, PG_URL } from "../helpers/postgres.js";
import { newSchemaName, reachablePostgres, SKIP_PG } from "./engines.js";
import { defaultProfiles, instanceRecord, newId, newScope } from "./fixtures.js";

describe("PostgreSQL driver", { skip: SKIP_PG ? "SWITCHBOARD_SKIP_PG=1" : false }, () => {
  test("two pools migrating one fresh schema concurrently: both succeed, each version applied once", async () => {
    const schema = newSchemaName();
    const a = await reachablePostgres(schema);
    const b = new PostgresDriver({ url: PG_URL, schema });
    try {
      const [sa, sb] = await Promise.all([SqlStore.open(a), SqlStore.open(b)]);
      const rows = await a.all<{ version: number; n: number }>(
        "SELECT version, COUNT(*) AS n FROM schema_migrations GROUP BY version ORDER BY version",
      );
      assert.deepEqual(
        rows,
        MIGRATIONS.map((m) => ({ version: m.version, n: 1 })),
      );
      // both stores work on the one schema
      const s = newScope();
      const id = newId();
      await sa.instances.create(s, instanceRecord(s, id), []);
      assert.ok(await sb.instances.get(s, id));
    } finally {
      await a.close();
      await b.close();
      await dropSchema(schema);
    }
  });

  test('TEXT columns are COLLATE "C" (byte order whatever the database collation)', async () => {
    const schema = newSchemaName();
    const d = await reachablePostgres(schema);
    try {
      await SqlStore.open(d);
      const rows = await d.all<{ table_name: string; column_name: string; collation_name: string | null }>(
        `SELECT table_name, column_name, collation_name FROM information_schema.columns
          WHERE table_schema = ? AND table_name IN ('instances', 'users', 'profiles') AND data_type = 'text'`,
        [schema],
      );
      assert.ok(rows.length >= 20);
      for (const r of rows) assert.equal(r.collation_name, "C", `${r.table_name}.${r.column_name}`);
      // and comparisons follow it: in most locales 'a' < 'B'; in byte order 'B' < 'a'
      const cmp = await d.get<{ lt: boolean }>("SELECT (? COLLATE \"C\") < 'a' AS lt", ["B"]);
      assert.equal(cmp?.lt, true);
    } finally {
      await d.close();
      await dropSchema(schema);
    }
  });

  test("an unreachable server → StoreUnavailable fast; health reports it", async () => {
    const d = new PostgresDriver({ url: "postgres://postgres@127.0.0.1:1/test", connectTimeoutMs: 1000 });
    const store = await (async () => {
      try {
        return await SqlStore.open(d);
      } catch (err) {
        assert.ok(err instanceof StoreUnavailable, `StoreUnavailable, got ${String(err)}`);
        return undefined;
      }
    })();
    assert.equal(store, undefined);
    const t0 = Date.now();
    await assert.rejects(d.get("SELECT 1"), StoreUnavailable);
    await assert.rejects(d.run("SELECT 1"), StoreUnavailable);
    await assert.rejects(
      d.tx(async () => 1),
      StoreUnavailable,
    );
    await assert.rejects(d.ping(), StoreUnavailable);
    assert.ok(Date.now() - t0 < 2000, "fails fast");
    await d.close();
  });

  test("connections killed by the server: no crash, StoreUnavailable at most, then recovery", async () => {
    const schema = newSchemaName();
    const app = `sb_kill_${process.pid}_${randomBytes(3).toString("hex")}`;
    const url = `${PG_URL}${PG_URL.includes("?") ? "&" : "?"}application_name=${app}`;
    const d = new PostgresDriver({ url, schema, poolSize: 4 });
    const admin = await reachablePostgres(schema);
    try {
      const store = await SqlStore.open(d);
      const s = newScope();
      // fill the pool with idle connections, and hold one inside a transaction
      await Promise.all(Array.from({ length: 4 }, () => store.instances.count(s)));
      let release = () => {};
      const held = new Promise<void>((r) => {
        release = r;
      });
      const inTx = d.tx(async (q) => {
        await q.get("SELECT 1 AS one");
        await held;
        return q.get("SELECT 1 AS one");
      });
      await new Promise((r) => setTimeout(r, 50));
      const killed = await admin.all<{ pid: number }>(
        "SELECT pg_terminate_backend(pid) AS ok, pid FROM pg_stat_activity WHERE application_name = ?",
        [app],
      );
      assert.ok(killed.length >= 1, "some connections were killed");
      await new Promise((r) => setTimeout(r, 100));
      release();
      await assert.rejects(inTx, StoreUnavailable, "a transaction on a killed connection");

      let ok = false;
      for (let i = 0; i < 10 && !ok; i++) {
        try {
          assert.equal(await store.instances.count(s), 0);
          ok = true;
        } catch (err) {
          assert.ok(err instanceof StoreUnavailable, `StoreUnavailable, got ${String(err)}`);
        }
      }
      assert.ok(ok, "the pool recovered");
      const id = newId();
      await store.instances.create(s, instanceRecord(s, id), defaultProfiles(s, id));
      assert.equal((await store.health()).ok, true);
    } finally {
      await d.close();
      await admin.close();
      await dropSchema(schema);
    }
  });

  test("a statement timeout → StoreUnavailable, and the connection stays usable", async () => {
    const schema = newSchemaName();
    const d = await reachablePostgres(schema);
    const slow = new PostgresDriver({ url: PG_URL, schema, poolSize: 1, statementTimeoutMs: 200 });
    try {
      await assert.rejects(slow.get("SELECT pg_sleep(2)"), StoreUnavailable);
      assert.deepEqual(await slow.get("SELECT 1 AS one"), { one: 1 });
    } finally {
      await slow.close();
      await d.close();
      await dropSchema(schema);
    }
  });
});
