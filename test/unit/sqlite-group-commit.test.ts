// The SQLite group commit without a savepoint per member: a failing member undoes exactly its
// own work (the batch is rolled back to its start and the earlier members' statements run
// again), whatever it did before failing, and the members before and after it commit.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, test } from "node:test";
import type { SqlExecutor } from "../../src/store/sql/driver.js";
import { SqliteDriver } from "../../src/store/sqlite/sqlite-driver.js";

describe("SQLite group commit: failing members undo only their own work", () => {
  let dir: string;
  let db: SqliteDriver;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "sb-group-commit-"));
    db = new SqliteDriver({ file: join(dir, "db.sqlite"), durability: "normal" });
    await db.migrate([{ version: 1, name: "t", statements: ["CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL)"] }]);
  });
  afterEach(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const rows = () => db.all<{ k: string; v: number }>("SELECT k, v FROM t ORDER BY k");

  test("members fail before writing, after writing, inside a nested savepoint, after a failed statement", async () => {
    await db.run("INSERT INTO t (k, v) VALUES ('base', 0)");
    const member = (i: number, body: (q: SqlExecutor) => Promise<void>) =>
      db.tx(async (q) => {
        await body(q);
        return i;
      });
    const results = await Promise.allSettled([
      member(0, async (q) => {
        await q.run("INSERT INTO t (k, v) VALUES ('a', 1)");
        await q.run("UPDATE t SET v = v + 1 WHERE k = 'base'");
      }),
      member(1, async () => {
        throw new Error("fails before writing");
      }),
      member(2, async (q) => {
        await q.run("INSERT INTO t (k, v) VALUES ('b', 2)");
        await q.run("UPDATE t SET v = v + 10 WHERE k = 'base'");
        throw new Error("fails after writing");
      }),
      member(3, async (q) => {
        // a failed statement, caught: its own work undone by itself, the member goes on
        await assert.rejects(q.run("INSERT INTO t (k, v) VALUES ('a', 99)"));
        await q.run("SAVEPOINT nested_1");
        await q.run("UPDATE t SET v = 500 WHERE k = 'a'");
        await q.run("ROLLBACK TO nested_1");
        await q.run("RELEASE nested_1");
        await q.run("INSERT INTO t (k, v) VALUES ('c', 3)");
        assert.equal(await q.run("UPDATE t SET v = v + 1 WHERE k = 'base'"), 1);
      }),
      member(4, async (q) => {
        await q.run("INSERT INTO t (k, v) VALUES ('d', 4)");
        await q.run("DELETE FROM t WHERE k = 'a'");
        throw new Error("fails after writing, again");
      }),
      member(5, async (q) => {
        assert.deepEqual(await q.get("SELECT v FROM t WHERE k = 'a'"), { v: 1 }, "member 4's delete is undone");
        await q.run("INSERT INTO t (k, v) VALUES ('e', 5)");
      }),
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      ["fulfilled", "rejected", "rejected", "fulfilled", "rejected", "fulfilled"],
    );
    assert.deepEqual(await rows(), [
      { k: "a", v: 1 },
      { k: "base", v: 2 },
      { k: "c", v: 3 },
      { k: "e", v: 5 },
    ]);
  });

  test("the next batch starts clean after a batch whose members failed", async () => {
    await Promise.allSettled([
      db.tx(async (q) => {
        await q.run("INSERT INTO t (k, v) VALUES ('x', 1)");
        throw new Error("no");
      }),
    ]);
    await db.tx((q) => q.run("INSERT INTO t (k, v) VALUES ('y', 2)"));
    assert.deepEqual(await rows(), [{ k: "y", v: 2 }]);
  });
});
