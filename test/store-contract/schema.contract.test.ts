// Schema migrations: migrate() is idempotent; a database from a newer Switchboard is refused.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { SqlDriver } from "../../src/store/sql/driver.js";
import { LATEST_SCHEMA_VERSION, MIGRATIONS, SchemaTooNew } from "../../src/store/sql/migrations.js";
import { SqlStore } from "../../src/store/sql/sql-store.js";
import { contract } from "./engines.js";
import { T0, withInstance } from "./fixtures.js";

contract("schema", (ctx) => {
  test("migrate() again is a no-op", async (t) => {
    const { store } = ctx;
    const driver = ctx.opened.driver;
    if (!driver) return t.skip("not a SQL store");
    const { s, instanceId } = await withInstance(store);
    const rowsBefore = await driver.all<{ version: number; applied_at: number }>(
      "SELECT version, applied_at FROM schema_migrations ORDER BY version",
    );
    assert.deepEqual(
      rowsBefore.map((r) => Number(r.version)),
      MIGRATIONS.map((m) => m.version),
    );
    await driver.migrate(MIGRATIONS);
    await driver.migrate(MIGRATIONS);
    if (ctx.opened.connect) {
      const again = ctx.opened.connect();
      await SqlStore.open(again);
      await again.close();
    }
    const afterRows = await driver.all<{ version: number; applied_at: number }>(
      "SELECT version, applied_at FROM schema_migrations ORDER BY version",
    );
    assert.deepEqual(afterRows, rowsBefore);
    assert.ok(await store.instances.get(s, instanceId), "data survives");
  });

  test("a database from a newer Switchboard (schema version 999) → SchemaTooNew", async (t) => {
    if (!ctx.opened.driver) return t.skip("not a SQL store");
    const own = await ctx.open(); // its own database: this one becomes unusable
    try {
      const driver = own.driver as SqlDriver;
      await driver.run("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", [999, "from the future", T0]);
      const expected = (err: unknown) => {
        assert.ok(err instanceof SchemaTooNew, `SchemaTooNew, got ${String(err)}`);
        assert.match(err.message, /schema version 999/);
        assert.match(err.message, new RegExp(`up to version ${LATEST_SCHEMA_VERSION}\\b`));
        assert.match(err.message, /Upgrade Switchboard/);
        return true;
      };
      await assert.rejects(SqlStore.open(driver), expected);
      if (own.connect) {
        const fresh = own.connect();
        try {
          await assert.rejects(SqlStore.open(fresh), expected);
        } finally {
          await fresh.close();
        }
      }
    } finally {
      await own.cleanup();
    }
  });
});
