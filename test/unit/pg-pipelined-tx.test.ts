// PostgresDriver's pipelined transactions: BEGIN shares the first SELECT's round trip and queued
// writes (SqlExecutor.queue) share the COMMIT's, yet a transaction still commits all or nothing,
// in the order its statements were issued, and reports the first failure as it was.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { PostgresDriver } from "../../src/store/postgres/pg-driver.js";
import type { SqlExecutor } from "../../src/store/sql/driver.js";
import { UniqueViolation } from "../../src/store/store.js";
import { dropSchema, freshSchemaName, PG_URL } from "../helpers/postgres.js";

const SKIP = process.env.SWITCHBOARD_SKIP_PG === "1";

describe("PostgreSQL pipelined transactions", { skip: SKIP }, () => {
  const schema = freshSchemaName("pipeline");
  let db: PostgresDriver;
  before(async () => {
    db = new PostgresDriver({ url: PG_URL, schema, poolSize: 2 });
    await db.migrate([{ version: 1, name: "t", statements: ["CREATE TABLE t (k TEXT PRIMARY KEY, v INTEGER NOT NULL)"] }]);
  });
  after(async () => {
    await db.close();
    await dropSchema(schema);
  });
  const queue = (q: SqlExecutor, sql: string, params: (string | number)[]) => {
    assert.ok(q.queue, "the PostgreSQL executor queues");
    q.queue(sql, params);
  };
  const keys = async () => (await db.all<{ k: string }>("SELECT k FROM t ORDER BY k")).map((r) => r.k);

  test("a queued write commits with the transaction; BEGIN rides with the first SELECT", async () => {
    await db.tx(async (q) => {
      assert.deepEqual(await q.all("SELECT k FROM t"), []);
      queue(q, "INSERT INTO t (k, v) VALUES (?, ?)", ["a", 1]);
    });
    assert.deepEqual(await keys(), ["a"]);
  });

  test("fn throws right after queueing: the write is rolled back, not committed after the ROLLBACK", async () => {
    await assert.rejects(
      db.tx(async (q) => {
        queue(q, "INSERT INTO t (k, v) VALUES (?, ?)", ["doomed", 1]);
        throw new Error("boom");
      }),
      /boom/,
    );
    assert.deepEqual(await keys(), ["a"]);
  });

  test("a queued write that fails fails the commit with its own error; nothing of the transaction stays", async () => {
    await assert.rejects(
      db.tx(async (q) => {
        await q.run("INSERT INTO t (k, v) VALUES (?, ?)", ["b", 2]);
        queue(q, "INSERT INTO t (k, v) VALUES (?, ?)", ["a", 3]); // duplicate key
      }),
      UniqueViolation,
    );
    assert.deepEqual(await keys(), ["a"]);
  });

  test("a statement after a failed queued write reports the queued failure", async () => {
    await assert.rejects(
      db.tx(async (q) => {
        queue(q, "INSERT INTO t (k, v) VALUES (?, ?)", ["a", 4]);
        await q.get("SELECT v FROM t WHERE k = ?", ["a"]);
      }),
      UniqueViolation,
    );
  });

  test("a write as the first statement waits for BEGIN: it is inside the transaction", async () => {
    await assert.rejects(
      db.tx(async (q) => {
        await q.run("INSERT INTO t (k, v) VALUES (?, ?)", ["c", 5]);
        throw new Error("undo");
      }),
      /undo/,
    );
    assert.deepEqual(await keys(), ["a"]);
  });
});
