// The outbox repository: messages (enqueue, claimDue leases, retries) and revert tokens, in one and two processes.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { test } from "node:test";
import type { OutboxMessageRecord } from "../../src/store/records.js";
import { UniqueViolation } from "../../src/store/store.js";
import { contract, withRemote } from "./engines.js";
import { byteOrder, newId, newScope, outboxMessage, range, revertToken, T0, withInstance } from "./fixtures.js";

contract("outbox", (ctx) => {
  test("outbox enqueue and list(status): round trip, ordered by created time then id", async () => {
    const { store } = ctx;
    const s = newScope();
    const ids = [newId(), newId()].sort(byteOrder) as [string, string];
    const messages = [
      outboxMessage({ account: s.account, createdTime: T0 + 2, id: ids[1], nextAttemptTime: T0 + 5_000_000_000 }),
      outboxMessage({ account: s.account, createdTime: T0 + 2, id: ids[0], status: "sent", attempts: 1, sentTime: T0 + 3 }),
      outboxMessage({ account: s.account, createdTime: T0 + 1, status: "failed", attempts: 8, lastError: "550 mailbox unavailable" }),
    ];
    for (const m of messages) await store.outbox.enqueue(m);
    const mine = (rows: OutboxMessageRecord[]) => rows.filter((m) => m.account === s.account);
    const [late, sent, failed] = messages as [OutboxMessageRecord, OutboxMessageRecord, OutboxMessageRecord];
    assert.deepEqual(mine(await store.outbox.list()), [failed, sent, late]);
    assert.deepEqual(mine(await store.outbox.list("pending")), [late]);
    assert.deepEqual(mine(await store.outbox.list("sent")), [sent]);
    assert.deepEqual(mine(await store.outbox.list("failed")), [failed]);
    assert.equal(typeof mine(await store.outbox.list())[2]?.nextAttemptTime, "number");
    await assert.rejects(store.outbox.enqueue(late), UniqueViolation, "the id is the key");
  });

  test("outbox claimDue: due pending messages only, leased (another claim gets none) until the lease ends", async () => {
    await ctx.fresh(async (own) => {
      const st = own.store;
      const now = T0 + 1_000_000;
      const due = range(1, 4).map((i) => outboxMessage({ nextAttemptTime: now - 10 * i, createdTime: T0 + i }));
      const exactlyNow = outboxMessage({ nextAttemptTime: now });
      const lease = 60_000;
      const future = outboxMessage({ nextAttemptTime: now + 10 * lease });
      const sent = outboxMessage({ nextAttemptTime: now - 100, status: "sent", attempts: 1, sentTime: now - 50 });
      const failed = outboxMessage({ nextAttemptTime: now - 100, status: "failed", attempts: 5, lastError: "gave up" });
      for (const m of [...due, exactlyNow, future, sent, failed]) await st.outbox.enqueue(m);

      const first = await st.outbox.claimDue(now, lease, 3);
      assert.deepEqual(first, [due[3], due[2], due[1]], "the most overdue first, up to limit");
      const second = await st.outbox.claimDue(now, lease, 10);
      assert.deepEqual(
        second.map((m) => m.id),
        [due[0]?.id, exactlyNow.id],
        "the rest of what is due; not the claimed, the future, the sent or the failed",
      );
      const claimed = [...first, ...second].map((m) => m.id);
      assert.deepEqual(await st.outbox.claimDue(now + 1, lease, 10), [], "everything due is leased");
      assert.deepEqual(await st.outbox.claimDue(now + lease - 1, lease, 10), [], "… until the lease ends");
      assert.deepEqual(
        (await st.outbox.list("pending")).map((m) => m.id).sort(),
        [...claimed, future.id].sort(),
        "a claim does not change the status",
      );

      const expired = await st.outbox.claimDue(now + lease + 1, lease, 10);
      assert.deepEqual(
        expired.map((m) => m.id).sort(),
        [...claimed].sort(),
        "after the lease: claimable again (the future one is not due yet)",
      );
      assert.deepEqual(await st.outbox.claimDue(now + lease + 2, lease, 10), []);
      assert.deepEqual(await st.outbox.claimDue(now + lease, lease, 0), [], "limit 0");
    });
  });

  test("outbox lease holds across stores: another process's claimDue gets none of a leased message", {
    skip: ctx.noSecondConnection,
  }, async () => {
    await ctx.fresh(async (own) =>
      withRemote(own, async (remote) => {
        const now = T0 + 2_000_000;
        const messages = range(1, 5).map((i) => outboxMessage({ nextAttemptTime: now - i }));
        for (const m of messages) await own.store.outbox.enqueue(m);
        const mine = await own.store.outbox.claimDue(now, 30_000, 3);
        assert.equal(mine.length, 3);
        const theirs = await remote.outbox.claimDue(now + 10, 30_000, 10);
        assert.deepEqual(
          theirs.map((m) => m.id).sort(),
          messages
            .map((m) => m.id)
            .filter((id) => !mine.some((m) => m.id === id))
            .sort(),
          "only the unclaimed ones",
        );
        assert.deepEqual(await remote.outbox.claimDue(now + 20, 30_000, 10), []);
        assert.deepEqual(await own.store.outbox.claimDue(now + 20, 30_000, 10), []);
        const again = await remote.outbox.claimDue(now + 30_001, 30_000, 10);
        assert.deepEqual(again.map((m) => m.id).sort(), mine.map((m) => m.id).sort(), "mine expired; theirs (claimed later) not yet");
      }),
    );
  });

  test("outbox markSent and markAttemptFailed (pending: next attempt time respected; gave up: failed)", async () => {
    await ctx.fresh(async (own) => {
      const st = own.store;
      const now = T0 + 3_000_000;
      const [a, b, c] = range(1, 3).map((i) => outboxMessage({ nextAttemptTime: now - i, createdTime: T0 + i })) as [
        OutboxMessageRecord,
        OutboxMessageRecord,
        OutboxMessageRecord,
      ];
      for (const m of [a, b, c]) await st.outbox.enqueue(m);
      assert.equal((await st.outbox.claimDue(now, 60_000, 10)).length, 3);

      await st.outbox.markSent(a.id, now + 5);
      await st.outbox.markAttemptFailed(b.id, "421 try again later", now + 120_000, false);
      await st.outbox.markAttemptFailed(c.id, "550 no such user", now + 1, true);

      const byId = new Map((await st.outbox.list()).map((m) => [m.id, m]));
      assert.deepEqual(byId.get(a.id), { ...a, status: "sent", attempts: 1, sentTime: now + 5 });
      assert.deepEqual(byId.get(b.id), {
        ...b,
        status: "pending",
        attempts: 1,
        lastError: "421 try again later",
        nextAttemptTime: now + 120_000,
      });
      assert.deepEqual(byId.get(c.id), { ...c, status: "failed", attempts: 1, lastError: "550 no such user", nextAttemptTime: now + 1 });
      assert.deepEqual(
        (await st.outbox.list("failed")).map((m) => m.id),
        [c.id],
      );
      assert.deepEqual(
        (await st.outbox.list("sent")).map((m) => m.id),
        [a.id],
      );

      // the failed attempt ended b's lease, but it is not due before its next attempt time
      assert.deepEqual(await st.outbox.claimDue(now + 120_000 - 1, 60_000, 10), []);
      const retry = await st.outbox.claimDue(now + 120_000, 60_000, 10);
      assert.deepEqual(retry, [byId.get(b.id)], "due again at its next attempt time; sent and failed never");
      await st.outbox.markAttemptFailed(b.id, "421 still later", now + 300_000, false);
      assert.deepEqual(await st.outbox.claimDue(now + 299_999, 60_000, 10), []);
      const third = await st.outbox.claimDue(now + 300_000, 60_000, 10);
      assert.equal(third[0]?.attempts, 2);
      assert.equal(third[0]?.lastError, "421 still later");
      await st.outbox.markSent(b.id, now + 300_001);
      assert.deepEqual(await st.outbox.claimDue(now + 10_000_000, 60_000, 10), []);
      assert.deepEqual(await st.outbox.list("pending"), []);
      const doneB = (await st.outbox.list("sent")).find((m) => m.id === b.id);
      assert.equal(doneB?.attempts, 3);
      assert.equal(doneB?.sentTime, now + 300_001);
    });
  });

  test("outbox: concurrent claimDue (one store) never returns one message twice", async () => {
    await ctx.fresh(async (own) => {
      const st = own.store;
      const now = T0 + 4_000_000;
      // many share one next attempt time: ties in the claim order
      const messages = range(1, 40).map((i) => outboxMessage({ nextAttemptTime: now - (i % 4) }));
      for (const m of messages) await st.outbox.enqueue(m);
      const seen: string[] = [];
      for (let round = 0; round < 20 && seen.length < 40; round++) {
        const batches = await Promise.all(range(1, 6).map(() => st.outbox.claimDue(now + round, 60_000, 3)));
        for (const b of batches) seen.push(...b.map((m) => m.id));
      }
      assert.equal(new Set(seen).size, seen.length, "no message claimed twice");
      assert.deepEqual([...seen].sort(), messages.map((m) => m.id).sort(), "every message claimed once");
    });
  });

  test("outbox: concurrent claimDue from two processes never returns one message twice", { skip: ctx.noSecondConnection }, async () => {
    await ctx.fresh(async (own) =>
      withRemote(own, async (remote) => {
        const now = T0 + 5_000_000;
        const messages = range(1, 40).map((i) => outboxMessage({ nextAttemptTime: now - (i % 3) }));
        for (const m of messages) await own.store.outbox.enqueue(m);
        const seen: string[] = [];
        for (let round = 0; round < 20 && seen.length < 40; round++) {
          const batches = await Promise.all(
            range(1, 3).flatMap(() => [own.store.outbox.claimDue(now + round, 60_000, 3), remote.outbox.claimDue(now + round, 60_000, 3)]),
          );
          for (const b of batches) seen.push(...b.map((m) => m.id));
        }
        assert.equal(new Set(seen).size, seen.length, "no message claimed twice");
        assert.deepEqual([...seen].sort(), messages.map((m) => m.id).sort(), "every message claimed once");
      }),
    );
  });

  test("revert tokens: put/get round trip; useRevertToken true once, then false", async () => {
    const { store } = ctx;
    const { s, instanceId } = await withInstance(store);
    const t = revertToken(s, instanceId, newId());
    await store.outbox.putRevertToken(t);
    assert.deepEqual(await store.outbox.getRevertToken(t.tokenHash), t, "no usedTime while unused");
    assert.equal(await store.outbox.getRevertToken(randomBytes(32).toString("hex")), undefined);
    await assert.rejects(store.outbox.putRevertToken(t), UniqueViolation);

    assert.equal(await store.outbox.useRevertToken(t.tokenHash, T0 + 5_000_000_000), true);
    assert.deepEqual(
      await store.outbox.getRevertToken(t.tokenHash),
      { ...t, previous: {}, usedTime: T0 + 5_000_000_000 },
      "used: the old identity is forgotten",
    );
    assert.equal(await store.outbox.useRevertToken(t.tokenHash, T0 + 5_000_000_001), false);
    assert.equal((await store.outbox.getRevertToken(t.tokenHash))?.usedTime, T0 + 5_000_000_000, "the first use stays recorded");
    assert.equal(await store.outbox.useRevertToken(randomBytes(32).toString("hex"), T0), false, "an unknown token");

    const used = { ...revertToken(s, instanceId, newId()), usedTime: T0 + 1 };
    await store.outbox.putRevertToken(used);
    assert.deepEqual(await store.outbox.getRevertToken(used.tokenHash), used);
    assert.equal(await store.outbox.useRevertToken(used.tokenHash, T0 + 2), false, "stored as used");
  });

  test("revert tokens forget their old identity: per user, per instance, once expired (issue 10)", async () => {
    const { store } = ctx;
    const { s, instanceId } = await withInstance(store);
    const other = await withInstance(store);
    const [a, b, c] = [revertToken(s, instanceId, "user-a"), revertToken(s, instanceId, "user-b"), revertToken(s, instanceId, "user-c")];
    const elsewhere = revertToken(other.s, other.instanceId, "user-a");
    const expired = { ...revertToken(other.s, other.instanceId, "user-x"), expiresTime: T0 + 10 };
    for (const t of [a, b, c, elsewhere, expired]) await store.outbox.putRevertToken(t);
    const previousOf = async (t: { tokenHash: string }) => (await store.outbox.getRevertToken(t.tokenHash))?.previous;

    assert.equal(await store.outbox.forgetRevertTokens(s, instanceId, "user-a"), 1);
    assert.deepEqual(await previousOf(a), {});
    assert.deepEqual(await previousOf(b), b.previous, "another user's is kept");
    assert.deepEqual(await previousOf(elsewhere), elsewhere.previous, "another instance's is kept");
    assert.equal(await store.outbox.forgetRevertTokens(s, instanceId), 2, "the rest of the instance");
    assert.deepEqual(await previousOf(c), {});

    assert.equal(await store.outbox.purgeExpiredRevertTokens(T0 + 9), 0, "not yet expired");
    assert.equal(await store.outbox.purgeExpiredRevertTokens(T0 + 10), 1);
    assert.deepEqual(await previousOf(expired), {});
    assert.deepEqual(await previousOf(elsewhere), elsewhere.previous, "a valid link keeps it");
    const kept = await store.outbox.getRevertToken(expired.tokenHash);
    assert.equal(kept?.userId, "user-x", "the row keeps what the audit needs");
  });

  test("10 concurrent useRevertToken → exactly one true", async () => {
    const { store } = ctx;
    const { s, instanceId } = await withInstance(store);
    const t = revertToken(s, instanceId, newId());
    await store.outbox.putRevertToken(t);
    const results = await Promise.all(range(1, 10).map((i) => store.outbox.useRevertToken(t.tokenHash, T0 + i)));
    assert.equal(results.filter(Boolean).length, 1, JSON.stringify(results));
    const winner = results.indexOf(true) + 1;
    assert.equal((await store.outbox.getRevertToken(t.tokenHash))?.usedTime, T0 + winner, "the winner's time");
  });

  test("10 concurrent useRevertToken from two processes → exactly one true", { skip: ctx.noSecondConnection }, async () => {
    await ctx.fresh(async (own) =>
      withRemote(own, async (remote) => {
        const { s, instanceId } = await withInstance(own.store);
        for (let round = 0; round < 3; round++) {
          const t = revertToken(s, instanceId, newId());
          await own.store.outbox.putRevertToken(t);
          const results = await Promise.all(
            range(1, 5).flatMap((i) => [
              own.store.outbox.useRevertToken(t.tokenHash, T0 + i),
              remote.outbox.useRevertToken(t.tokenHash, T0 + 10 + i),
            ]),
          );
          assert.equal(results.filter(Boolean).length, 1, JSON.stringify(results));
        }
      }),
    );
  });
});
