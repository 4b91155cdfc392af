// Transactions: atomically commits or rolls back every repository's writes together (group commit on SQLite), nesting joins the outer one.
import assert from "node:assert/strict";
import { test } from "node:test";
import { GENESIS_HASH } from "../../src/store/audit-chain.js";
import type { AuditEventRecord, OutboxMessageRecord, RevertTokenRecord, UserRecord } from "../../src/store/records.js";
import { SqlStore } from "../../src/store/sql/sql-store.js";
import { type Store, UniqueViolation } from "../../src/store/store.js";
import { contract } from "./engines.js";
import {
  accessKey,
  assertChain,
  auditDraft,
  bySeq,
  defaultProfiles,
  iamPrincipal,
  instanceRecord,
  newId,
  newScope,
  outboxMessage,
  outcome,
  plain,
  profileRecord,
  range,
  revertToken,
  SECURITY_NAMES,
  T0,
  userRecord,
  wholeChain,
  withInstance,
} from "./fixtures.js";

contract("transactions", (ctx) => {
  test("atomically commits every write of fn together, returns its value; reads inside see its own writes", async () => {
    const { store } = ctx;
    const s = newScope();
    const instanceId = newId();
    const inst = instanceRecord(s, instanceId);
    const profiles = defaultProfiles(s, instanceId);
    const u = userRecord(s, instanceId, "tx.user", { email: "tx@example.com" });
    const msg = outboxMessage({ account: s.account, region: s.region });
    const token = revertToken(s, instanceId, u.id);
    const principal = iamPrincipal(s.account, "tx-admin");
    const draft = auditDraft({ account: s.account, targetUserId: u.id });
    const rev0 = await store.iam.revision();
    const head0 = await store.audit.head();
    // another connection sees none of it before the COMMIT (":memory:" has no other connection)
    const peer = ctx.opened.connect ? await SqlStore.open(ctx.opened.connect()) : undefined;
    try {
      const result = await store.atomically(async (tx) => {
        await tx.instances.create(s, inst, profiles);
        await tx.users.create(s, u);
        const event = await tx.audit.append(draft);
        await tx.outbox.enqueue(msg);
        await tx.outbox.putRevertToken(token);
        await tx.iam.putPrincipal(principal);

        assert.deepEqual(plain(await tx.instances.get(s, instanceId)), plain(inst));
        assert.deepEqual(await tx.instances.listScopes(s.account), [s]);
        assert.equal((await tx.profiles.list(s, instanceId, "security", { limit: 10 })).length, SECURITY_NAMES.length);
        assert.deepEqual(plain(await tx.users.get(s, instanceId, u.id)), plain(u));
        assert.equal(await tx.users.count(s, instanceId), 1);
        assert.equal((await tx.users.lockForUpdate(s, instanceId, u.id))?.username, "tx.user");
        assert.deepEqual(await tx.audit.head(), { seq: event.seq, hash: event.hash });
        assert.deepEqual(plain(await tx.audit.list({ account: s.account, order: "asc", limit: 10 })), plain([event]));
        assert.deepEqual(
          (await tx.outbox.list("pending")).filter((m) => m.id === msg.id),
          [msg],
        );
        assert.deepEqual(await tx.outbox.getRevertToken(token.tokenHash), token);
        assert.deepEqual(await tx.iam.getPrincipal(s.account, principal.name), principal);
        assert.equal(await tx.iam.revision(), rev0 + 1);

        if (peer) {
          assert.equal(await peer.instances.get(s, instanceId), undefined, "uncommitted: invisible elsewhere");
          assert.equal(await peer.users.get(s, instanceId, u.id), undefined);
          assert.deepEqual(await peer.audit.head(), head0);
          assert.equal((await peer.outbox.list()).filter((m) => m.id === msg.id).length, 0);
          assert.equal(await peer.outbox.getRevertToken(token.tokenHash), undefined);
          assert.equal(await peer.iam.getPrincipal(s.account, principal.name), undefined);
          assert.equal(await peer.iam.revision(), rev0);
        }
        return { event, answer: 42 };
      });

      assert.equal(result.answer, 42);
      assert.equal(result.event.seq, head0.seq + 1);
      assert.equal(result.event.prevHash, head0.hash);
      for (const st of peer ? [store, peer] : [store]) {
        assert.deepEqual(plain(await st.instances.get(s, instanceId)), plain(inst));
        assert.deepEqual(plain(await st.users.get(s, instanceId, u.id)), plain(u));
        assert.deepEqual(await st.audit.head(), { seq: result.event.seq, hash: result.event.hash });
        assert.deepEqual(plain(await st.audit.list({ account: s.account, order: "asc", limit: 10 })), plain([result.event]));
        assert.deepEqual(
          (await st.outbox.list()).filter((m) => m.id === msg.id),
          [msg],
        );
        assert.deepEqual(await st.outbox.getRevertToken(token.tokenHash), token);
        assert.deepEqual(await st.iam.getPrincipal(s.account, principal.name), principal);
        assert.equal(await st.iam.revision(), rev0 + 1);
      }
    } finally {
      await peer?.close();
    }
  });

  test("a throw inside atomically rolls back every write (instance, user, audit event, outbox, token, IAM) and rethrows it", async () => {
    const { store } = ctx;
    const s = newScope();
    const instanceId = newId();
    const u = userRecord(s, instanceId, "doomed");
    const msg = outboxMessage({ account: s.account, region: s.region });
    const token = revertToken(s, instanceId, u.id);
    const principal = iamPrincipal(s.account, "doomed-admin");
    const rev0 = await store.iam.revision();
    const head0 = await store.audit.head();
    const writeAll = async (tx: Store) => {
      await tx.instances.create(s, instanceRecord(s, instanceId), defaultProfiles(s, instanceId));
      await tx.users.create(s, u);
      const event = await tx.audit.append(auditDraft({ account: s.account, targetUserId: u.id }));
      await tx.outbox.enqueue(msg);
      await tx.outbox.putRevertToken(token);
      await tx.iam.putPrincipal(principal);
      await tx.iam.putAccessKey(accessKey(principal));
      return event;
    };
    const boom = new Error("boom");
    await assert.rejects(
      store.atomically(async (tx) => {
        const event = await writeAll(tx);
        assert.equal(event.seq, head0.seq + 1);
        assert.ok(await tx.users.get(s, instanceId, u.id), "visible inside before the throw");
        throw boom;
      }),
      (err) => err === boom,
    );

    assert.equal(await store.instances.get(s, instanceId), undefined);
    assert.equal(await store.instances.count(s), 0);
    assert.deepEqual(await store.instances.listScopes(s.account), []);
    assert.deepEqual(await store.profiles.list(s, instanceId, "security", { limit: 10 }), []);
    assert.equal(await store.users.get(s, instanceId, u.id), undefined);
    assert.deepEqual(await store.audit.head(), head0, "the head did not move");
    assert.deepEqual(await store.audit.list({ account: s.account, order: "asc", limit: 10 }), []);
    assert.deepEqual(await store.audit.chain(head0.seq, 10), []);
    assert.equal((await store.outbox.list()).filter((m) => m.id === msg.id).length, 0);
    assert.equal(await store.outbox.getRevertToken(token.tokenHash), undefined);
    assert.equal(await store.iam.getPrincipal(s.account, principal.name), undefined);
    assert.deepEqual(await store.iam.listAccessKeys(s.account, principal.name), []);
    assert.equal(await store.iam.revision(), rev0, "the IAM revision bumps rolled back too");

    // nothing half-done blocks the same writes now, and the chain goes on from the old head
    const event = await store.atomically(writeAll);
    assert.equal(event.seq, head0.seq + 1);
    assert.equal(event.prevHash, head0.hash);
    assert.ok(await store.users.get(s, instanceId, u.id));
    assert.equal(await store.iam.revision(), rev0 + 2);
  });

  test("a store error inside atomically that propagates rolls back the earlier writes", async () => {
    const { store } = ctx;
    const { s, instanceId } = await withInstance(store);
    const a = userRecord(s, instanceId, "first");
    const head0 = await store.audit.head();
    await assert.rejects(
      store.atomically(async (tx) => {
        await tx.users.create(s, a);
        await tx.audit.append(auditDraft({ account: s.account }));
        await tx.users.create(s, userRecord(s, instanceId, "FIRST"));
      }),
      UniqueViolation,
    );
    assert.equal(await store.users.get(s, instanceId, a.id), undefined);
    assert.deepEqual(await store.audit.head(), head0);
  });

  test("nested atomically joins the outer transaction", async () => {
    const { store } = ctx;
    const { s, instanceId } = await withInstance(store);
    const [a, b, c, d] = ["nested.a", "nested.b", "nested.c", "nested.d"].map((n) => userRecord(s, instanceId, n)) as [
      UserRecord,
      UserRecord,
      UserRecord,
      UserRecord,
    ];
    const eventName = `Nested-${newId()}`;

    const value = await store.atomically(async (tx) => {
      await tx.users.create(s, a);
      const inner = await tx.atomically(async (tx2) => {
        assert.ok(await tx2.users.get(s, instanceId, a.id), "the inner one sees the outer one's writes");
        await tx2.users.create(s, b);
        return "inner";
      });
      assert.ok(await tx.users.get(s, instanceId, b.id), "the outer one sees the inner one's writes");
      return `${inner}+outer`;
    });
    assert.equal(value, "inner+outer");
    assert.ok(await store.users.get(s, instanceId, a.id));
    assert.ok(await store.users.get(s, instanceId, b.id));

    // the inner one returned, the outer one throws: the inner one's writes go too
    const late = new Error("outer fails after the inner one returned");
    await assert.rejects(
      store.atomically(async (tx) => {
        await tx.atomically(async (tx2) => {
          await tx2.users.create(s, c);
          await tx2.audit.append(auditDraft({ account: s.account, eventName }));
        });
        throw late;
      }),
      (err) => err === late,
    );
    assert.equal(await store.users.get(s, instanceId, c.id), undefined);
    assert.deepEqual(await store.audit.list({ eventName, order: "asc", limit: 10 }), []);

    // the inner one throws and the outer one lets it through: all of it goes
    const early = new Error("inner fails");
    await assert.rejects(
      store.atomically(async (tx) => {
        await tx.users.create(s, d);
        await tx.atomically(async () => {
          throw early;
        });
      }),
      (err) => err === early,
    );
    assert.equal(await store.users.get(s, instanceId, d.id), undefined);
    assert.equal(await store.users.count(s, instanceId), 2);
  });

  test("atomically never resolves without committing: a store error caught inside fn", async () => {
    const { store } = ctx;
    const { s, instanceId } = await withInstance(store);
    const kept = userRecord(s, instanceId, "kept");
    const result = await outcome(
      store.atomically(async (tx) => {
        await tx.users.create(s, kept);
        await assert.rejects(tx.users.create(s, userRecord(s, instanceId, "KEPT")), UniqueViolation);
        return "resolved";
      }),
    );
    if (result.ok) {
      assert.ok(await store.users.get(s, instanceId, kept.id), "atomically resolved, so its writes must be committed");
    } else {
      assert.equal(await store.users.get(s, instanceId, kept.id), undefined, "atomically rejected, so nothing may be committed");
    }

    // with a write after the caught error
    const later = userRecord(s, instanceId, "later");
    const other = userRecord(s, instanceId, "other");
    const second = await outcome(
      store.atomically(async (tx) => {
        await tx.users.create(s, other);
        await assert.rejects(tx.users.create(s, userRecord(s, instanceId, "OTHER")), UniqueViolation);
        await tx.users.create(s, later);
        return "resolved";
      }),
    );
    const present = [await store.users.get(s, instanceId, other.id), await store.users.get(s, instanceId, later.id)].map(Boolean);
    assert.deepEqual(present, second.ok ? [true, true] : [false, false], JSON.stringify(second));
  });

  test("instances.create failing inside atomically (error caught, fn resolves) leaves no half-created instance", async () => {
    const { store } = ctx;
    const s = newScope();
    const id = newId();
    const twins = [profileRecord(s, id, "security", "Same"), profileRecord(s, id, "security", "Same")];
    await outcome(
      store.atomically(async (tx) => {
        await assert.rejects(tx.instances.create(s, instanceRecord(s, id), twins), UniqueViolation);
      }),
    );
    assert.equal(await store.instances.get(s, id), undefined, "no half-created instance");
    assert.equal(await store.profiles.get(s, id, "security", twins[0]?.id ?? ""), undefined);
    assert.deepEqual(await store.instances.listScopes(s.account), []);
  });

  test("audit.append failing inside atomically (error caught, fn resolves) leaves no gap in the chain", async () => {
    await ctx.fresh(async (own) => {
      const st = own.store;
      const s = newScope();
      const first = await st.audit.append(auditDraft({ account: s.account }));
      await outcome(
        st.atomically(async (tx) => {
          await assert.rejects(tx.audit.append({ ...auditDraft({ account: s.account }), eventId: first.eventId }), UniqueViolation);
          return tx.audit.append(auditDraft({ account: s.account })); // a later append in the same transaction
        }),
      );
      await st.audit.append(auditDraft({ account: s.account }));
      const chain = await st.audit.chain(0, 100);
      assertChain(chain, { seq: 0, hash: GENESIS_HASH });
      const last = chain[chain.length - 1] as AuditEventRecord;
      assert.deepEqual(await st.audit.head(), { seq: last.seq, hash: last.hash });
    });
  });

  test("20 concurrent atomically, each creating a user and appending its audit event: all commit, one linear chain", async () => {
    await ctx.fresh(async (own) => {
      const st = own.store;
      const { s, instanceId } = await withInstance(st);
      const users = range(0, 19).map((i) => userRecord(s, instanceId, `parallel${i}`));
      const events = await Promise.all(
        users.map((u, i) =>
          st.atomically(async (tx) => {
            await tx.users.create(s, u);
            return tx.audit.append(auditDraft({ account: s.account, targetUserId: u.id, eventTime: T0 + i }));
          }),
        ),
      );
      assert.equal(await st.users.count(s, instanceId), 20);
      for (const u of users) assert.ok(await st.users.get(s, instanceId, u.id));
      const chain = await wholeChain(st);
      assert.deepEqual(
        chain.map((e) => e.seq),
        range(1, 20),
      );
      assert.deepEqual(plain(chain), plain([...events].sort(bySeq)));
      assert.deepEqual(chain.map((e) => e.targetUserId).sort(), users.map((u) => u.id).sort());
      const last = chain[19] as AuditEventRecord;
      assert.deepEqual(await st.audit.head(), { seq: 20, hash: last.hash });
    });
  });

  test("10 concurrent atomically where every odd one throws after writing: exactly the even ones' writes remain", async () => {
    // On SQLite these share one group COMMIT, each in its own SAVEPOINT.
    await ctx.fresh(async (own) => {
      const st = own.store;
      const { s, instanceId } = await withInstance(st);
      const users = range(0, 9).map((i) => userRecord(s, instanceId, `member${i}`));
      const messages = range(0, 9).map(() => outboxMessage({ account: s.account, region: s.region }));
      const tokens = users.map((u) => revertToken(s, instanceId, u.id));
      const settled = await Promise.allSettled(
        range(0, 9).map((i) =>
          st.atomically(async (tx) => {
            const u = users[i] as UserRecord;
            await tx.users.create(s, u);
            await tx.audit.append(auditDraft({ account: s.account, targetUserId: u.id }));
            await tx.outbox.enqueue(messages[i] as OutboxMessageRecord);
            await tx.outbox.putRevertToken(tokens[i] as RevertTokenRecord);
            await tx.iam.putPrincipal(iamPrincipal(s.account, `member${i}`));
            if (i % 2 === 1) throw new Error(`odd ${i}`);
            return i;
          }),
        ),
      );
      assert.deepEqual(
        settled.map((r) => (r.status === "fulfilled" ? r.value : (r.reason as Error).message)),
        range(0, 9).map((i) => (i % 2 === 0 ? i : `odd ${i}`)),
      );
      const even = (_: unknown, i: number) => i % 2 === 0;
      const present = async (u: UserRecord) => (await st.users.get(s, instanceId, u.id)) !== undefined;
      assert.deepEqual(
        await Promise.all(users.map(present)),
        range(0, 9).map((i) => i % 2 === 0),
      );
      assert.equal(await st.users.count(s, instanceId), 5);
      assert.deepEqual(
        (await st.outbox.list()).map((m) => m.id).sort(),
        messages
          .filter(even)
          .map((m) => m.id)
          .sort(),
      );
      for (const [i, t] of tokens.entries()) assert.equal((await st.outbox.getRevertToken(t.tokenHash)) !== undefined, i % 2 === 0);
      assert.deepEqual(
        (await st.iam.listPrincipals(s.account)).map((p) => p.name),
        ["member0", "member2", "member4", "member6", "member8"],
      );
      const chain = await wholeChain(st);
      assert.deepEqual(
        chain.map((e) => e.seq),
        range(1, 5),
      );
      assert.deepEqual(
        chain.map((e) => e.targetUserId).sort(),
        users
          .filter(even)
          .map((u) => u.id)
          .sort(),
      );
      assert.equal(await st.iam.revision(), 5);
    });
  });

  test("writes racing transactions that roll back are never lost", async () => {
    const { store } = ctx;
    const { s, instanceId } = await withInstance(store);
    const ops: Promise<unknown>[] = [];
    for (let i = 0; i < 10; i++) {
      // inserts the instance and one profile, then fails on the second: rolled back
      const bad = newId();
      const twins = [profileRecord(s, bad, "security", "Same"), profileRecord(s, bad, "security", "Same")];
      ops.push(assert.rejects(store.instances.create(s, instanceRecord(s, bad), twins), UniqueViolation));
      ops.push(store.users.create(s, userRecord(s, instanceId, `writer${i}`)));
    }
    await Promise.all(ops);
    assert.equal(await store.users.count(s, instanceId), 10);
    assert.equal(await store.instances.count(s), 1);
  });
});
