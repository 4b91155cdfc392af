// The chain's two hash rules (src/store/audit-chain.ts): events are written with the current one
// (the record as stored), and events an earlier version wrote with the original one (the
// record's canonical JSON) still verify — and are still checked: an edit in either kind is found.
// A snapshot carries both kinds and re-chains each by its own rule, the records in their order.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { afterEach, beforeEach, describe, test } from "node:test";
import { verifyChain } from "../../src/audit/verify.js";
import { exportSnapshot, importSnapshot, parseSnapshot, snapshotText } from "../../src/snapshot/snapshot.js";
import { chainHash, chainHashV1, GENESIS_HASH, hashedContent, storedHashRule } from "../../src/store/audit-chain.js";
import type { AuditEventDraft } from "../../src/store/records.js";
import { eventValues, INSERT_EVENT, SET_HEAD } from "../../src/store/sql/audit-repo.js";
import { SqlStore } from "../../src/store/sql/sql-store.js";
import { SqliteDriver } from "../../src/store/sqlite/sqlite-driver.js";

/** Members deliberately out of sorted order, integer-like keys and a character JSON leaves as is. */
function draft(i: number): AuditEventDraft {
  return {
    eventId: `00000000-0000-4000-8000-00000000000${i}`,
    eventTime: 1_700_000_000_000 + i * 1000,
    account: "000000000000",
    region: "us-east-1",
    eventName: "UpdateUserIdentityInfo",
    ...(i === 2 ? { principalArn: "arn:aws:iam::000000000000:root", targetUserId: "user-2", errorCode: "AccessDeniedException" } : {}),
    record: {
      eventVersion: "1.09",
      userIdentity: { type: "Root", accountId: "000000000000" },
      eventName: "UpdateUserIdentityInfo",
      tags: { "10": "a", "9": "b" },
      n: i,
      é: "\u2028",
    },
  };
}

/** Written by 562791b (the last version with only the original rule) for draft(1..3) from the genesis hash. */
const WRITTEN_BY_562791B = [
  "809d2bd414cfc1dc9eff21c0e09e03b5ddb2db9afb67e68150da7baedd26b15a",
  "e392918535ccdec3f0e9c3609668cab311f5c33fa961d9469e09cf78f3b469f0",
  "d973baa6e8372d20796b85287ab380bcc3154bf198126024144790085a7f2504",
];

let driver: SqliteDriver;
let store: SqlStore;

/** Events 1..3 as an earlier version left them: rows hashed by the original rule, the head row moved. */
async function writeOldTrail(): Promise<void> {
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= 3; seq++) {
    const d = draft(seq);
    const hash = chainHashV1(prev, { ...d, seq });
    await driver.run(INSERT_EVENT, eventValues(d, seq, JSON.stringify(d.record), prev, hash));
    prev = hash;
  }
  await driver.run(SET_HEAD, [3, prev]);
}

beforeEach(async () => {
  driver = new SqliteDriver({ file: ":memory:", durability: "normal" });
  store = await SqlStore.open(driver);
});
afterEach(() => store.close());

describe("the chain's hash rules", () => {
  test("the original rule is byte for byte the one earlier versions wrote", () => {
    let prev = GENESIS_HASH;
    for (let seq = 1; seq <= 3; seq++) {
      const hash = chainHashV1(prev, { ...draft(seq), seq });
      assert.equal(hash, WRITTEN_BY_562791B[seq - 1]);
      prev = hash;
    }
  });

  test("the current rule covers the record as written: a different hash for members out of sorted order", () => {
    const e = { ...draft(1), seq: 1 };
    assert.notEqual(chainHash(GENESIS_HASH, e), chainHashV1(GENESIS_HASH, e));
    const sortedRecord = { ...e, record: JSON.parse(JSON.stringify(e.record, Object.keys(e.record).sort())) };
    assert.notEqual(chainHash(GENESIS_HASH, sortedRecord), chainHash(GENESIS_HASH, e), "the member order is covered");
    assert.equal(storedHashRule({ ...e, prevHash: GENESIS_HASH, hash: chainHash(GENESIS_HASH, e) }), "current");
    assert.equal(storedHashRule({ ...e, prevHash: GENESIS_HASH, hash: chainHashV1(GENESIS_HASH, e) }), "original");
    assert.equal(storedHashRule({ ...e, prevHash: GENESIS_HASH, hash: "0".repeat(64) }), undefined);
  });

  test("the hash is SHA-256 over hashedContent for members that need escaping too", () => {
    for (const text of ["plain", 'a "quote"', "back\\slash", "ctl\u0001", "lone \ud800", "pair \ud83d\ude00", "é", "\u2028", ""]) {
      const e = {
        ...draft(2),
        eventId: text,
        eventName: text,
        principalArn: text,
        targetUserId: text,
        errorCode: text,
        region: text,
        seq: 2,
      };
      assert.equal(
        chainHash(GENESIS_HASH, e),
        createHash("sha256")
          .update(`${GENESIS_HASH}\n${hashedContent(e)}`)
          .digest("hex"),
        text,
      );
      assert.match(hashedContent(e), /^\{"account":/);
      assert.deepEqual(JSON.parse(hashedContent(e)).principalArn, text);
    }
  });

  test("an earlier version's trail verifies, new events extend it by the current rule, and the whole chain verifies", async () => {
    await writeOldTrail();
    assert.deepEqual(await verifyChain(store), { ok: true, events: 3, headHash: WRITTEN_BY_562791B[2] });
    const e4 = await store.audit.append(draft(4));
    assert.equal(e4.prevHash, WRITTEN_BY_562791B[2]);
    assert.equal(e4.hash, chainHash(e4.prevHash, e4));
    assert.notEqual(e4.hash, chainHashV1(e4.prevHash, e4));
    const e5 = await store.audit.append(draft(5));
    assert.deepEqual(await verifyChain(store, { pageSize: 2 }), { ok: true, events: 5, headHash: e5.hash });
  });

  test("an edit is found in an event of either rule", async () => {
    await writeOldTrail();
    await store.audit.append(draft(4));
    await store.audit.append(draft(5));
    await driver.run("UPDATE audit_events SET record = replace(record, '\"n\":2', '\"n\":20') WHERE seq = 2");
    assert.deepEqual(await verifyChain(store), { ok: false, seq: 2, reason: "event 2 was edited: its hash does not match its content" });
    await driver.run("UPDATE audit_events SET record = replace(record, '\"n\":20', '\"n\":2') WHERE seq = 2");
    assert.equal((await verifyChain(store)).ok, true);
    await driver.run("UPDATE audit_events SET event_name = 'DescribeUser' WHERE seq = 5");
    assert.deepEqual(await verifyChain(store), { ok: false, seq: 5, reason: "event 5 was edited: its hash does not match its content" });
  });

  test("the current rule: the same members in another order in the stored text is an edit", async () => {
    await store.audit.append(draft(1));
    const reordered = JSON.stringify(draft(1).record, [
      "userIdentity",
      "type",
      "accountId",
      "eventVersion",
      "eventName",
      "tags",
      "10",
      "9",
      "n",
      "é",
    ]);
    assert.deepEqual(JSON.parse(reordered), draft(1).record, "the same data");
    await driver.run("UPDATE audit_events SET record = ? WHERE seq = 1", [reordered]);
    assert.deepEqual(await verifyChain(store), { ok: false, seq: 1, reason: "event 1 was edited: its hash does not match its content" });
  });
});

describe("a snapshot's audit trail", () => {
  test("keeps each record's member order and re-chains events of both rules with their hashes", async () => {
    await writeOldTrail();
    await store.audit.append(draft(4));
    const text = snapshotText(await exportSnapshot(store, { audit: true }));
    const first = text.indexOf('"eventVersion"');
    assert.ok(
      first > 0 &&
        first < text.indexOf('"userIdentity"', first) &&
        text.indexOf('"userIdentity"', first) < text.indexOf('"eventName"', first),
    );
    const target = await SqlStore.open(new SqliteDriver({ file: ":memory:", durability: "normal" }));
    try {
      const summary = await importSnapshot(target, parseSnapshot(text));
      assert.equal(summary.auditEvents, 4);
      assert.deepEqual(
        (await target.audit.chain(0, 10)).map((e) => e.hash),
        (await store.audit.chain(0, 10)).map((e) => e.hash),
      );
      assert.equal((await verifyChain(target)).ok, true);
      assert.equal(snapshotText(await exportSnapshot(target, { audit: true })), text, "the same bytes");
    } finally {
      await target.close();
    }
  });

  test("one exported by an earlier version (records' keys sorted, the original rule) imports with its hashes", async () => {
    await writeOldTrail();
    const s = parseSnapshot(snapshotText(await exportSnapshot(store, { audit: true })));
    // what earlier versions wrote: every key sorted, the records' too
    const sortDeep = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(sortDeep)
        : v !== null && typeof v === "object"
          ? Object.fromEntries(
              Object.keys(v)
                .sort()
                .map((k) => [k, sortDeep((v as Record<string, unknown>)[k])]),
            )
          : v;
    const old = parseSnapshot(JSON.stringify(sortDeep(s)));
    const target = await SqlStore.open(new SqliteDriver({ file: ":memory:", durability: "normal" }));
    try {
      assert.equal((await importSnapshot(target, old)).auditEvents, 3);
      assert.deepEqual(
        (await target.audit.chain(0, 10)).map((e) => e.hash),
        WRITTEN_BY_562791B,
      );
      assert.equal((await verifyChain(target)).ok, true);
      const forged = parseSnapshot(JSON.stringify(sortDeep(s)));
      (forged.audit?.[1]?.record as { n: number }).n = 200;
      const fresh = await SqlStore.open(new SqliteDriver({ file: ":memory:", durability: "normal" }));
      try {
        await assert.rejects(importSnapshot(fresh, forged), /audit chain is not intact at event 2/);
      } finally {
        await fresh.close();
      }
    } finally {
      await target.close();
    }
  });
});
