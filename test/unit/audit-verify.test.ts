// `switchboard audit verify` (verifyChain): an intact chain verifies; each kind of tampering —
// an edited row, a removed row (middle, first, newest), rows swapped, a rehashed edit, an edited
// head — is reported at the first broken event with its reason.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, test } from "node:test";
import { verifyChain } from "../../src/audit/verify.js";
import { chainHash, GENESIS_HASH } from "../../src/store/audit-chain.js";
import type { AuditEventDraft } from "../../src/store/records.js";
import { SqlStore } from "../../src/store/sql/sql-store.js";
import { SqliteDriver } from "../../src/store/sqlite/sqlite-driver.js";

let driver: SqliteDriver;
let store: SqlStore;

function draft(i: number): AuditEventDraft {
  return {
    eventId: randomUUID(),
    eventTime: 1_700_000_000_000 + i * 1000,
    account: "000000000000",
    region: "us-east-1",
    eventName: i % 2 === 0 ? "UpdateUserIdentityInfo" : "CreateUser",
    principalArn: "arn:aws:iam::000000000000:root",
    targetUserId: `user-${i}`,
    record: { eventVersion: "1.09", eventName: "UpdateUserIdentityInfo", n: i, nested: { b: [1, 2, { c: "x" }], a: null } },
  };
}

async function appendEvents(n: number): Promise<void> {
  for (let i = 1; i <= n; i++) await store.audit.append(draft(i));
}

beforeEach(async () => {
  driver = new SqliteDriver({ file: ":memory:", durability: "normal" });
  store = await SqlStore.open(driver);
});
afterEach(() => store.close());

describe("verifyChain", () => {
  test("an empty trail is intact", async () => {
    assert.deepEqual(await verifyChain(store), { ok: true, events: 0, headHash: GENESIS_HASH });
  });

  test("an intact chain verifies, across pages", async () => {
    await appendEvents(10);
    const head = await store.audit.head();
    for (const pageSize of [1, 3, 10, 1000]) {
      assert.deepEqual(await verifyChain(store, { pageSize }), { ok: true, events: 10, headHash: head.hash });
    }
  });

  test("the hash is SHA-256 over the previous hash and the event's canonical JSON, as the store writes it", async () => {
    await appendEvents(2);
    const [first, second] = await store.audit.chain(0, 10);
    assert.ok(first && second);
    assert.equal(first.prevHash, GENESIS_HASH);
    assert.equal(first.hash, chainHash(GENESIS_HASH, first));
    assert.equal(second.prevHash, first.hash);
    assert.equal(second.hash, chainHash(first.hash, second));
  });

  test("an edited record is reported at that event", async () => {
    await appendEvents(10);
    await driver.run("UPDATE audit_events SET record = replace(record, 'UpdateUserIdentityInfo', 'DescribeUser') WHERE seq = 7");
    assert.deepEqual(await verifyChain(store, { pageSize: 3 }), {
      ok: false,
      seq: 7,
      reason: "event 7 was edited: its hash does not match its content",
    });
  });

  test("an edited indexed column (not only the record) is reported too", async () => {
    await appendEvents(5);
    await driver.run("UPDATE audit_events SET principal_arn = 'arn:aws:iam::000000000000:user/someone-else' WHERE seq = 2");
    const r = await verifyChain(store);
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.seq, 2);
    assert.match(!r.ok ? r.reason : "", /event 2 was edited/);
  });

  test("an edit with its hash recomputed breaks the next link", async () => {
    await appendEvents(10);
    const [e7] = await store.audit.chain(6, 1);
    assert.ok(e7);
    const edited = { ...e7, record: { ...e7.record, n: 700 } };
    await driver.run("UPDATE audit_events SET record = ?, hash = ? WHERE seq = 7", [
      JSON.stringify(edited.record),
      chainHash(e7.prevHash, edited),
    ]);
    const r = await verifyChain(store);
    assert.deepEqual(r, {
      ok: false,
      seq: 8,
      reason: "event 8 does not follow event 7 (reordered or replaced): its prev_hash is not event 7's hash",
    });
  });

  test("a removed middle event is reported as missing", async () => {
    await appendEvents(10);
    await driver.run("DELETE FROM audit_events WHERE seq = 5");
    assert.deepEqual(await verifyChain(store, { pageSize: 4 }), { ok: false, seq: 5, reason: "event 5 is missing" });
  });

  test("several removed events are reported from the first", async () => {
    await appendEvents(10);
    await driver.run("DELETE FROM audit_events WHERE seq IN (4, 5, 6)");
    assert.deepEqual(await verifyChain(store), { ok: false, seq: 4, reason: "events 4 to 6 are missing" });
  });

  test("a removed first event is reported", async () => {
    await appendEvents(3);
    await driver.run("DELETE FROM audit_events WHERE seq = 1");
    assert.deepEqual(await verifyChain(store), { ok: false, seq: 1, reason: "event 1 is missing" });
  });

  test("removed newest events are caught by the head", async () => {
    await appendEvents(14);
    await driver.run("DELETE FROM audit_events WHERE seq > 12");
    assert.deepEqual(await verifyChain(store, { pageSize: 5 }), {
      ok: false,
      seq: 13,
      reason: "the chain ends at event 12 but the head says 14 (the newest events were removed)",
    });
  });

  test("all events removed is caught by the head", async () => {
    await appendEvents(3);
    await driver.run("DELETE FROM audit_events");
    assert.deepEqual(await verifyChain(store), {
      ok: false,
      seq: 1,
      reason: "the chain is empty but the head says 3 (the newest events were removed)",
    });
  });

  test("the newest event removed and the head's seq moved back: the head's hash no longer matches", async () => {
    await appendEvents(5);
    await driver.run("DELETE FROM audit_events WHERE seq = 5");
    await driver.run("UPDATE audit_head SET seq = 4 WHERE id = 1");
    const r = await verifyChain(store);
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.seq, 4);
    assert.match(!r.ok ? r.reason : "", /the head's hash is not event 4's hash/);
  });

  test("two rows' seq swapped is reported at the first of them", async () => {
    await appendEvents(6);
    await driver.tx(async (q) => {
      await q.run("UPDATE audit_events SET seq = -3 WHERE seq = 3");
      await q.run("UPDATE audit_events SET seq = 3 WHERE seq = 5");
      await q.run("UPDATE audit_events SET seq = 5 WHERE seq = -3");
    });
    assert.deepEqual(await verifyChain(store), {
      ok: false,
      seq: 3,
      reason: "event 3 does not follow event 2 (reordered or replaced): its prev_hash is not event 2's hash",
    });
  });

  test("a swap involving the first event is reported at event 1", async () => {
    await appendEvents(3);
    await driver.tx(async (q) => {
      await q.run("UPDATE audit_events SET seq = -1 WHERE seq = 1");
      await q.run("UPDATE audit_events SET seq = 1 WHERE seq = 2");
      await q.run("UPDATE audit_events SET seq = 2 WHERE seq = -1");
    });
    const r = await verifyChain(store);
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.seq, 1);
    assert.match(!r.ok ? r.reason : "", /event 1 does not start the chain/);
  });

  test("events appended after the head was read are not required (a server keeps writing)", async () => {
    await appendEvents(4);
    let first = true;
    const racing = {
      audit: {
        head: () => store.audit.head(),
        chain: async (after: number, limit: number) => {
          if (first) {
            first = false;
            await store.audit.append(draft(99)); // lands while verifying
          }
          return store.audit.chain(after, limit);
        },
      },
    } as unknown as SqlStore;
    const r = await verifyChain(racing, { pageSize: 2 });
    assert.equal(r.ok, true);
    assert.equal(r.ok && r.events, 4);
    assert.equal((await verifyChain(store)).ok, true);
  });
});
