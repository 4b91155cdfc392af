// The SQLite append keeps the chain's head in memory (ChainHeadHint) and moves the stored head
// by compare-and-set. These tests pin what that must not change: the hash is the reference
// definition's, and rolled-back appends, group-commit members that fail, and appends by another
// store on the same file never fork or break the chain.
import assert from "node:assert/strict";
import { createHash, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, test } from "node:test";
import { verifyChain } from "../../src/audit/verify.js";
import { chainHash, GENESIS_HASH, hashedContent } from "../../src/store/audit-chain.js";
import type { AuditEventDraft } from "../../src/store/records.js";
import { SqlStore } from "../../src/store/sql/sql-store.js";
import { SqliteDriver } from "../../src/store/sqlite/sqlite-driver.js";

function draft(i: number, extra: Partial<AuditEventDraft> = {}): AuditEventDraft {
  return {
    eventId: randomUUID(),
    eventTime: 1_700_000_000_000 + i,
    account: "000000000000",
    region: "us-east-1",
    eventName: "UpdateUserIdentityInfo",
    record: { eventVersion: "1.09", n: i, tags: { "10": "a", "9": "b", z: [1, { y: 2, x: null }] }, é: "\u2028" },
    ...extra,
  };
}

const reference = (prev: string, e: AuditEventDraft & { seq: number }) =>
  createHash("sha256").update(prev).update("\n").update(hashedContent(e)).digest("hex");

describe("chainHash", () => {
  test("is SHA-256(prevHash, newline, hashedContent), with and without the optional fields", () => {
    const full = { ...draft(1, { principalArn: "arn:aws:iam::000000000000:root", targetUserId: "u", errorCode: "X" }), seq: 7 };
    const bare = { ...draft(2), seq: 1 };
    for (const e of [full, bare]) assert.equal(chainHash(GENESIS_HASH, e), reference(GENESIS_HASH, e));
  });
});

describe("SQLite append with the head kept in memory", () => {
  let dir: string;
  let stores: SqlStore[];
  const open = async () => {
    const s = await SqlStore.open(new SqliteDriver({ file: join(dir, "db.sqlite"), durability: "normal" }));
    stores.push(s);
    return s;
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "sb-head-hint-"));
    stores = [];
  });
  afterEach(async () => {
    for (const s of stores) await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("a rolled-back transaction's append leaves no trace; the next one links to the last committed event", async () => {
    const store = await open();
    const first = await store.audit.append(draft(1));
    await assert.rejects(
      store.atomically(async (tx) => {
        await tx.audit.record(draft(2));
        throw new Error("the change failed");
      }),
      /the change failed/,
    );
    const next = await store.audit.append(draft(3));
    assert.equal(next.seq, 2);
    assert.equal(next.prevHash, first.hash);
    assert.deepEqual(await verifyChain(store), { ok: true, events: 2, headHash: next.hash });
  });

  test("members of one group commit, one failing after its append: the others chain without it", async () => {
    const store = await open();
    const results = await Promise.allSettled(
      [1, 2, 3, 4, 5, 6].map((i) =>
        store.atomically(async (tx) => {
          await tx.audit.record(draft(i));
          if (i % 3 === 0) throw new Error(`member ${i} fails`);
        }),
      ),
    );
    assert.deepEqual(
      results.map((r) => r.status),
      ["fulfilled", "fulfilled", "rejected", "fulfilled", "fulfilled", "rejected"],
    );
    const v = await verifyChain(store);
    assert.equal(v.ok && v.events, 4);
  });

  test("another store on the same file appends in between: the hint is stale, the append re-reads the head", async () => {
    const a = await open();
    const b = await open();
    for (let i = 0; i < 5; i++) {
      await a.audit.append(draft(i * 2));
      await b.audit.append(draft(i * 2 + 1));
    }
    const v = await verifyChain(a);
    assert.equal(v.ok && v.events, 10);
  });

  test("the head row is written once per group transaction and is right after every COMMIT; head() inside one is its own", async () => {
    const store = await open();
    const inside: number[] = [];
    const events = await Promise.all(
      [1, 2, 3, 4].map((i) =>
        store.atomically(async (tx) => {
          await tx.audit.record(draft(i));
          inside.push((await tx.audit.head()).seq);
        }),
      ),
    );
    assert.equal(events.length, 4);
    assert.deepEqual(inside, [1, 2, 3, 4]);
    const v = await verifyChain(store);
    assert.deepEqual(await store.audit.head(), { seq: 4, hash: v.ok ? v.headHash : "" });
  });

  test("an append undone by a nested savepoint, and a reset, in one group transaction: the chain stays linear", async () => {
    const store = await open();
    await store.audit.append(draft(0));
    const results = await Promise.allSettled([
      store.atomically(async (tx) => {
        await tx.audit.record(draft(1));
        // a repository's own transaction (nested savepoint) that fails after an append: undone, caught
        await assert.rejects(
          (tx.audit as unknown as { db: { tx<T>(fn: (q: unknown) => Promise<T>): Promise<T> } }).db.tx(async () => {
            await tx.audit.record(draft(2));
            throw new Error("nested fails");
          }),
        );
        await tx.audit.record(draft(3));
        assert.equal((await tx.audit.head()).seq, 3, "0, 1 and 3");
      }),
      store.atomically(async (tx) => {
        const v = await verifyChain(tx);
        assert.equal(v.ok && v.events, 3, "the batch so far is one linear chain: 0, 1, 3");
      }),
      store.clear(),
      store.atomically((tx) => tx.audit.record(draft(4))),
    ]);
    assert.deepEqual(
      results.map((r) => r.status),
      ["fulfilled", "fulfilled", "fulfilled", "fulfilled"],
    );
    const v = await verifyChain(store);
    assert.equal(v.ok && v.events, 1, "after the reset, only the last event");
    assert.equal((await store.audit.head()).seq, 1);
  });
});
