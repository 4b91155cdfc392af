// --durability on SQLite: once the store is open, every connection runs with the synchronous
// level asked for, whether the file was brand new (created without fsync, see sqlite-driver.ts)
// or already there.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { SqlStore } from "../../src/store/sql/sql-store.js";
import { SqliteDriver } from "../../src/store/sqlite/sqlite-driver.js";

const LEVEL = { normal: 1, full: 2 } as const;

for (const durability of ["normal", "full"] as const) {
  test(`durability ${durability}: synchronous=${LEVEL[durability]} on a brand-new file and on an existing one`, async () => {
    const dir = mkdtempSync(join(tmpdir(), "switchboard-durability-"));
    try {
      const file = join(dir, "db.sqlite");
      for (const when of ["brand new", "existing"]) {
        const driver = new SqliteDriver({ file, durability });
        const store = await SqlStore.open(driver);
        try {
          const row = await driver.get<{ synchronous: number }>("PRAGMA synchronous");
          assert.equal(row?.synchronous, LEVEL[durability], when);
          assert.equal((await driver.get<{ journal_mode: string }>("PRAGMA journal_mode"))?.journal_mode, "wal", when);
        } finally {
          await store.close();
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
