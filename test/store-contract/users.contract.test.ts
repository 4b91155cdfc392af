// The users repository: create/get/list/delete, username uniqueness, identity updates, lockForUpdate, concurrent writers,
// update by patch, and the references (security profile memberships, routing profile, hierarchy group) it keeps.
import assert from "node:assert/strict";
import { test } from "node:test";
import { isDeepStrictEqual } from "node:util";
import type { Scope } from "../../src/common/arn.js";
import type { IdentityInfo, PhoneConfig } from "../../src/store/records.js";
import { type Store, UniqueViolation } from "../../src/store/store.js";
import { contract } from "./engines.js";
import {
  allPages,
  byteOrder,
  instanceRecord,
  newId,
  newScope,
  otherScopes,
  plain,
  range,
  T0,
  USERNAMES,
  USERNAMES_BYTE_ORDER,
  userRecord,
  withInstance,
} from "./fixtures.js";

contract("users", (ctx) => {
  test("user create, get, count, delete", async () => {
    const { store } = ctx;
    const { s, instanceId } = await withInstance(store);
    const u = userRecord(s, instanceId, "agent.one", {
      firstName: "Ada",
      lastName: "Lovelace",
      email: "ada@example.com",
      secondaryEmail: "ada2@example.com",
      mobile: "+15555550100",
    });
    u.directoryUserId = "dir-1";
    u.hierarchyGroupId = "hg-1";
    u.tags = { dept: "support", "aws:x": "y" };
    await store.users.create(s, u);
    assert.deepEqual(plain(await store.users.get(s, instanceId, u.id)), plain(u));

    const bare = userRecord(s, instanceId, "agent.two");
    await store.users.create(s, bare);
    const got = await store.users.get(s, instanceId, bare.id);
    assert.deepEqual(got?.identityInfo, {});
    assert.deepEqual(plain(got), plain(bare));

    assert.equal(await store.users.count(s, instanceId), 2);
    assert.equal(await store.users.get(s, instanceId, newId()), undefined);
    assert.equal(await store.users.delete(s, instanceId, u.id), true);
    assert.equal(await store.users.delete(s, instanceId, u.id), false);
    assert.equal(await store.users.get(s, instanceId, u.id), undefined);
    assert.equal(await store.users.count(s, instanceId), 1);
  });

  test("users list ordered by username in UTF-8 byte order, paginated", async () => {
    const { store } = ctx;
    assert.deepEqual([...USERNAMES].sort(byteOrder), USERNAMES_BYTE_ORDER, "fixture sanity");
    const { s, instanceId } = await withInstance(store);
    for (const name of USERNAMES) await store.users.create(s, userRecord(s, instanceId, name));

    const one = await store.users.list(s, instanceId, { limit: 100 });
    assert.deepEqual(
      one.map((u) => u.username),
      USERNAMES_BYTE_ORDER,
    );
    for (const limit of [1, 3, 8]) {
      const paged = await allPages(
        limit,
        (after) => store.users.list(s, instanceId, { after, limit }),
        (u) => u.username,
      );
      assert.deepEqual(
        paged.map((u) => u.username),
        USERNAMES_BYTE_ORDER,
        `limit ${limit}`,
      );
    }
    // `after` need not be an existing username
    const fromB = await store.users.list(s, instanceId, { after: "b", limit: 100 });
    assert.deepEqual(
      fromB.map((u) => u.username),
      ["bob", "Émile", "Ａlpha", "😀grin"],
    );
  });

  test("users listSummaries: the same pages as list, only the summary's members", async () => {
    const { store } = ctx;
    const { s, instanceId } = await withInstance(store);
    for (const [i, name] of USERNAMES.entries()) {
      const u = userRecord(s, instanceId, name, { firstName: "F", email: `u${i}@example.com` });
      u.lastModifiedTime = T0 + i * 1001;
      await store.users.create(s, u);
    }
    const summary = (u: { id: string; arn: string; username: string; lastModifiedTime: number; lastModifiedRegion: string }) => ({
      id: u.id,
      arn: u.arn,
      username: u.username,
      lastModifiedTime: u.lastModifiedTime,
      lastModifiedRegion: u.lastModifiedRegion,
    });
    for (const limit of [1, 3, 100]) {
      for (const after of [undefined, "b", USERNAMES_BYTE_ORDER[2]]) {
        const page = { ...(after === undefined ? {} : { after }), limit };
        const full = await store.users.list(s, instanceId, page);
        assert.deepEqual(
          plain(await store.users.listSummaries(s, instanceId, page)),
          plain(full.map(summary)),
          `limit ${limit} after ${after}`,
        );
      }
    }
    // an instance of another scope lists nothing
    for (const o of otherScopes(s)) assert.deepEqual(await store.users.listSummaries(o, instanceId, { limit: 10 }), []);
  });

  test("username uniqueness is case-insensitive within an instance", async () => {
    const { store } = ctx;
    const { s, instanceId } = await withInstance(store);
    await store.users.create(s, userRecord(s, instanceId, "Alice"));
    await assert.rejects(store.users.create(s, userRecord(s, instanceId, "alice")), UniqueViolation);
    await assert.rejects(store.users.create(s, userRecord(s, instanceId, "ALICE")), UniqueViolation);
    await assert.rejects(store.users.create(s, userRecord(s, instanceId, "Alice")), UniqueViolation);
    assert.equal(await store.users.count(s, instanceId), 1);

    // the same username in another instance is fine
    const other = newId();
    await store.instances.create(s, instanceRecord(s, other), []);
    await store.users.create(s, userRecord(s, other, "alice"));
    // the same user id twice is a violation too
    const u = userRecord(s, instanceId, "bob");
    await store.users.create(s, u);
    await assert.rejects(store.users.create(s, { ...u, username: "carol" }), UniqueViolation);
  });

  test("updateIdentityInfo replaces all five fields; false for a missing user", async () => {
    const { store } = ctx;
    const { s, instanceId } = await withInstance(store);
    const full: IdentityInfo = {
      firstName: "F",
      lastName: "L",
      email: "e@example.com",
      secondaryEmail: "s@example.com",
      mobile: "+15555550101",
    };
    const u = userRecord(s, instanceId, "ident", full);
    await store.users.create(s, u);

    assert.equal(await store.users.updateIdentityInfo(s, instanceId, u.id, { firstName: "Only" }, T0 + 10), true);
    let got = await store.users.get(s, instanceId, u.id);
    assert.deepEqual(got?.identityInfo, { firstName: "Only" }, "omitted fields are cleared");
    assert.equal(got?.lastModifiedTime, T0 + 10);

    const other: IdentityInfo = { lastName: "L2", email: "e2@example.com", mobile: "+15555550102" };
    const elsewhere = { account: s.account, region: s.region };
    assert.equal(await store.users.updateIdentityInfo(elsewhere, instanceId, u.id, other, T0 + 20), true);
    got = await store.users.get(s, instanceId, u.id);
    assert.deepEqual(got?.identityInfo, other);
    assert.equal(got?.username, "ident", "other columns untouched");
    assert.deepEqual(got?.securityProfileIds, u.securityProfileIds);

    assert.equal(await store.users.updateIdentityInfo(s, instanceId, newId(), full, T0 + 30), false);
    assert.equal(await store.users.updateIdentityInfo(s, newId(), u.id, full, T0 + 30), false);
    assert.deepEqual((await store.users.get(s, instanceId, u.id))?.identityInfo, other);
  });

  test("lastModifiedTime never decreases when an older time is written", async () => {
    const { store } = ctx;
    const { s, instanceId } = await withInstance(store);
    const u = userRecord(s, instanceId, "clock");
    await store.users.create(s, u);
    const late = T0 + 5_000_000_000; // beyond 2^32 ms offsets: BIGINT round trip
    assert.equal(await store.users.updateIdentityInfo(s, instanceId, u.id, { firstName: "new" }, late), true);
    assert.equal(await store.users.updateIdentityInfo(s, instanceId, u.id, { firstName: "older" }, T0 + 1), true);
    const got = await store.users.get(s, instanceId, u.id);
    assert.equal(got?.lastModifiedTime, late);
    assert.equal(typeof got?.lastModifiedTime, "number");
    assert.deepEqual(got?.identityInfo, { firstName: "older" }, "the write itself still applies");
  });

  test("counts are numbers", async () => {
    const { store } = ctx;
    const { s, instanceId } = await withInstance(store);
    assert.equal(typeof (await store.instances.count(s)), "number");
    assert.equal(typeof (await store.users.count(s, instanceId)), "number");
    assert.equal(await store.users.count(s, newId()), 0);
  });

  test("20 parallel updateIdentityInfo on one user → exactly one writer's info, never a mix", async () => {
    const { store } = ctx;
    const { s, instanceId } = await withInstance(store);
    const u = userRecord(s, instanceId, "contended");
    await store.users.create(s, u);
    const infos: IdentityInfo[] = Array.from({ length: 20 }, (_, i) =>
      i % 2 === 0
        ? {
            firstName: `f${i}`,
            lastName: `l${i}`,
            email: `e${i}@example.com`,
            secondaryEmail: `s${i}@example.com`,
            mobile: `+1555555${1000 + i}`,
          }
        : { firstName: `f${i}`, email: `e${i}@example.com` },
    );
    const results = await Promise.all(infos.map((info, i) => store.users.updateIdentityInfo(s, instanceId, u.id, info, T0 + 1 + i)));
    assert.deepEqual(
      results,
      infos.map(() => true),
    );
    const got = await store.users.get(s, instanceId, u.id);
    assert.ok(
      infos.some((info) => isDeepStrictEqual(got?.identityInfo, info)),
      `final identity ${JSON.stringify(got?.identityInfo)} is one writer's`,
    );
    assert.equal(got?.lastModifiedTime, T0 + 20, "the newest time wins regardless of commit order");
  });

  test("10 parallel creates of the same username → exactly one succeeds", async () => {
    const { store } = ctx;
    const { s, instanceId } = await withInstance(store);
    const variants = ["racer", "Racer", "RACER", "racer", "rAcer", "racer", "raceR", "racer", "RaCeR", "racer"];
    const settled = await Promise.allSettled(variants.map((name) => store.users.create(s, userRecord(s, instanceId, name))));
    const ok = settled.filter((r) => r.status === "fulfilled");
    const failed = settled.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    assert.equal(ok.length, 1, `exactly one create succeeds: ${JSON.stringify(settled.map((r) => r.status))}`);
    for (const f of failed) assert.ok(f.reason instanceof UniqueViolation, `UniqueViolation, got ${String(f.reason)}`);
    assert.equal(await store.users.count(s, instanceId), 1);
  });

  test("users.lockForUpdate returns id, instance, username, identity and time; undefined when missing or out of scope", async () => {
    const { store } = ctx;
    const { s, instanceId } = await withInstance(store);
    const info: IdentityInfo = {
      firstName: "Lock",
      lastName: "Smith",
      email: "lock@example.com",
      secondaryEmail: "lock2@example.com",
      mobile: "+15555550111",
    };
    const u = userRecord(s, instanceId, "Locked.User", info);
    u.lastModifiedTime = T0 + 5_000_000_000;
    u.tags = { not: "returned" };
    await store.users.create(s, u);
    const bare = userRecord(s, instanceId, "bare");
    await store.users.create(s, bare);
    const expected = { id: u.id, instanceId, username: "Locked.User", identityInfo: info, lastModifiedTime: T0 + 5_000_000_000 };

    // exactly these keys (strict deepEqual), outside a transaction and inside one
    assert.deepEqual(await store.users.lockForUpdate(s, instanceId, u.id), expected);
    assert.deepEqual(await store.users.lockForUpdate(s, instanceId, bare.id), {
      id: bare.id,
      instanceId,
      username: "bare",
      identityInfo: {},
      lastModifiedTime: T0,
    });
    const otherInstance = newId();
    await store.instances.create(s, instanceRecord(s, otherInstance), []);
    const missing: [Scope, string, string][] = [
      [s, instanceId, newId()],
      [s, newId(), u.id],
      [s, otherInstance, u.id],
      [{ account: s.account, region: "eu-central-1" }, instanceId, u.id],
      [{ account: newScope().account, region: s.region }, instanceId, u.id],
    ];
    for (const [scope, inst, id] of missing) assert.equal(await store.users.lockForUpdate(scope, inst, id), undefined);

    await store.atomically(async (tx) => {
      assert.deepEqual(await tx.users.lockForUpdate(s, instanceId, u.id), expected);
      for (const [scope, inst, id] of missing) assert.equal(await tx.users.lockForUpdate(scope, inst, id), undefined);
      assert.equal(await tx.users.updateIdentityInfo(s, instanceId, u.id, { firstName: "Relocked" }, T0 + 6_000_000_000), true);
      assert.deepEqual(await tx.users.lockForUpdate(s, instanceId, u.id), {
        ...expected,
        identityInfo: { firstName: "Relocked" },
        lastModifiedTime: T0 + 6_000_000_000,
      });
    });
    const after = await store.users.lockForUpdate(s, instanceId, u.id);
    assert.equal(typeof after?.lastModifiedTime, "number");
    assert.deepEqual(after?.identityInfo, { firstName: "Relocked" });
  });

  test("10 concurrent read-modify-writes through lockForUpdate in atomically → no lost update", async () => {
    const { store } = ctx;
    const { s, instanceId } = await withInstance(store);
    const u = userRecord(s, instanceId, "counter", { firstName: "0", lastName: "Count" });
    await store.users.create(s, u);
    await Promise.all(
      range(1, 10).map((i) =>
        store.atomically(async (tx) => {
          const locked = await tx.users.lockForUpdate(s, instanceId, u.id);
          assert.ok(locked);
          const n = Number(locked.identityInfo.firstName);
          await new Promise((r) => setTimeout(r, 2)); // give an unlocked reader the chance to read the same n
          assert.equal(
            await tx.users.updateIdentityInfo(s, instanceId, u.id, { ...locked.identityInfo, firstName: String(n + 1) }, T0 + i),
            true,
          );
        }),
      ),
    );
    const got = await store.users.get(s, instanceId, u.id);
    assert.deepEqual(got?.identityInfo, { firstName: "10", lastName: "Count" });
    assert.equal(got?.lastModifiedTime, T0 + 10);
  });

  test("update replaces the given members only, in one write; false for a missing user", async () => {
    const { store } = ctx;
    const { s, instanceId } = await withInstance(store);
    const u = userRecord(s, instanceId, "patched", { firstName: "Kept" });
    u.hierarchyGroupId = newId();
    u.tags = { a: "1" };
    await store.users.create(s, u);
    const desk: PhoneConfig = { phoneType: "DESK_PHONE", autoAccept: true, afterContactWorkTimeLimit: 30, deskPhoneNumber: "+15555550123" };

    assert.equal(await store.users.update(s, instanceId, u.id, { phoneConfig: desk }, T0 + 1), true);
    let got = await store.users.get(s, instanceId, u.id);
    assert.deepEqual(plain(got), plain({ ...u, phoneConfig: desk, lastModifiedTime: T0 + 1 }));

    const routingProfileId = newId();
    const securityProfileIds = [newId(), newId()];
    const tags = { z: "26", b: "2" };
    assert.equal(
      await store.users.update(s, instanceId, u.id, { routingProfileId, securityProfileIds, tags, hierarchyGroupId: null }, T0 + 2),
      true,
    );
    got = await store.users.get(s, instanceId, u.id);
    assert.deepEqual(
      plain(got),
      plain({ ...u, phoneConfig: desk, routingProfileId, securityProfileIds, tags, hierarchyGroupId: undefined, lastModifiedTime: T0 + 2 }),
      "null detaches the user from the hierarchy",
    );
    assert.deepEqual(Object.keys(got?.tags ?? {}), ["z", "b"], "tags keep their order");
    const [listed] = await store.users.list(s, instanceId, { limit: 1 });
    assert.deepEqual(plain(listed), plain(got), "list reads the same record");

    const phoneWithoutDesk: PhoneConfig = { phoneType: "SOFT_PHONE", autoAccept: false, afterContactWorkTimeLimit: 0 };
    assert.equal(await store.users.update(s, instanceId, u.id, { phoneConfig: phoneWithoutDesk }, T0 + 3), true);
    assert.deepEqual(
      (await store.users.get(s, instanceId, u.id))?.phoneConfig,
      phoneWithoutDesk,
      "the phone config is replaced, not merged",
    );

    assert.equal(await store.users.update(s, instanceId, u.id, {}, T0 + 4), true, "an empty patch only touches the time");
    assert.equal((await store.users.get(s, instanceId, u.id))?.lastModifiedTime, T0 + 4);
    assert.equal(await store.users.update(s, instanceId, newId(), { routingProfileId }, T0 + 5), false);
    assert.equal(await store.users.update(s, instanceId, newId(), { securityProfileIds }, T0 + 5), false);
    assert.equal(
      await store.users.countReferencing(s, instanceId, { securityProfileId: securityProfileIds[0] ?? "" }),
      1,
      "no rows for a missing user",
    );
    assert.equal(await store.users.update(s, newId(), u.id, { tags: {} }, T0 + 5), false);
    for (const o of otherScopes(s)) {
      assert.equal(await store.users.update(o, instanceId, u.id, { routingProfileId: "hijacked" }, T0 + 6), false);
    }
    assert.equal((await store.users.get(s, instanceId, u.id))?.routingProfileId, routingProfileId);
  });

  test("update: lastModifiedTime never moves backwards; the write still applies", async () => {
    const { store } = ctx;
    const { s, instanceId } = await withInstance(store);
    const u = userRecord(s, instanceId, "update.clock");
    await store.users.create(s, u);
    const late = T0 + 5_000_000_000;
    assert.equal(await store.users.update(s, instanceId, u.id, { tags: { n: "1" } }, late), true);
    assert.equal(await store.users.update(s, instanceId, u.id, { tags: { n: "2" } }, T0 + 1), true);
    assert.equal(await store.users.updateIdentityInfo(s, instanceId, u.id, { firstName: "older" }, T0 + 2), true);
    const got = await store.users.get(s, instanceId, u.id);
    assert.equal(got?.lastModifiedTime, late);
    assert.deepEqual(got?.tags, { n: "2" });
  });

  test("references follow create, update and delete: counted, listed by username, scoped", async () => {
    const { store } = ctx;
    const { s, instanceId } = await withInstance(store);
    const [sp1, sp2, sp3, rp1, rp2, hg1, hg2] = Array.from({ length: 7 }, newId) as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const make = (username: string, securityProfileIds: string[], routingProfileId: string, hierarchyGroupId?: string) => {
      const u = { ...userRecord(s, instanceId, username), securityProfileIds, routingProfileId };
      if (hierarchyGroupId !== undefined) u.hierarchyGroupId = hierarchyGroupId;
      return u;
    };
    const zed = make("Zed", [sp1, sp2], rp1, hg1);
    const alice = make("alice", [sp1, sp1], rp1); // a repeated id is one membership
    const bob = make("bob", [sp2], rp2, hg1);
    for (const u of [zed, alice, bob]) await store.users.create(s, u);
    assert.deepEqual((await store.users.get(s, instanceId, alice.id))?.securityProfileIds, [sp1, sp1], "the record keeps what was given");

    const refs = async (ref: Parameters<Store["users"]["listReferencing"]>[2]) => {
      const ids = await store.users.listReferencing(s, instanceId, ref);
      assert.equal(await store.users.countReferencing(s, instanceId, ref), ids.length, `count matches list for ${JSON.stringify(ref)}`);
      return ids;
    };
    // ordered by username in byte order: "Zed" < "alice" < "bob"
    assert.deepEqual(await refs({ securityProfileId: sp1 }), [zed.id, alice.id]);
    assert.deepEqual(await refs({ securityProfileId: sp2 }), [zed.id, bob.id]);
    assert.deepEqual(await refs({ securityProfileId: sp3 }), []);
    assert.deepEqual(await refs({ routingProfileId: rp1 }), [zed.id, alice.id]);
    assert.deepEqual(await refs({ routingProfileId: rp2 }), [bob.id]);
    assert.deepEqual(await refs({ hierarchyGroupId: hg1 }), [zed.id, bob.id]);
    assert.deepEqual(await refs({ hierarchyGroupId: hg2 }), []);

    assert.equal(
      await store.users.update(s, instanceId, zed.id, { securityProfileIds: [sp3], routingProfileId: rp2, hierarchyGroupId: hg2 }, T0 + 1),
      true,
    );
    assert.equal(await store.users.update(s, instanceId, bob.id, { hierarchyGroupId: null }, T0 + 1), true);
    assert.deepEqual(await refs({ securityProfileId: sp1 }), [alice.id]);
    assert.deepEqual(await refs({ securityProfileId: sp2 }), [bob.id]);
    assert.deepEqual(await refs({ securityProfileId: sp3 }), [zed.id]);
    assert.deepEqual(await refs({ routingProfileId: rp1 }), [alice.id]);
    assert.deepEqual(await refs({ routingProfileId: rp2 }), [zed.id, bob.id]);
    assert.deepEqual(await refs({ hierarchyGroupId: hg1 }), []);
    assert.deepEqual(await refs({ hierarchyGroupId: hg2 }), [zed.id]);
    assert.equal(await store.users.update(s, instanceId, alice.id, { securityProfileIds: [] }, T0 + 2), true);
    assert.deepEqual(await refs({ securityProfileId: sp1 }), []);

    for (const o of otherScopes(s)) {
      assert.equal(await store.users.countReferencing(o, instanceId, { securityProfileId: sp3 }), 0);
      assert.deepEqual(await store.users.listReferencing(o, instanceId, { routingProfileId: rp2 }), []);
    }
    assert.equal(await store.users.countReferencing(s, newId(), { routingProfileId: rp2 }), 0, "another instance");

    assert.equal(await store.users.delete(s, instanceId, zed.id), true);
    assert.deepEqual(await refs({ securityProfileId: sp3 }), []);
    assert.deepEqual(await refs({ hierarchyGroupId: hg2 }), []);
    assert.deepEqual(await refs({ routingProfileId: rp2 }), [bob.id]);

    assert.equal(await store.instances.delete(s, instanceId), true);
    await store.instances.create(s, instanceRecord(s, instanceId), []);
    assert.deepEqual(await refs({ securityProfileId: sp2 }), [], "the memberships went with the instance");
    await store.users.create(s, bob); // and the same user and memberships can be created again
    assert.deepEqual(await refs({ securityProfileId: sp2 }), [bob.id]);
  });

  test("parallel updates of different members of one user all land", async () => {
    const { store } = ctx;
    const { s, instanceId } = await withInstance(store);
    const u = userRecord(s, instanceId, "parallel.members");
    await store.users.create(s, u);
    const phoneConfig: PhoneConfig = { phoneType: "DESK_PHONE", autoAccept: true, afterContactWorkTimeLimit: 9 };
    const securityProfileIds = [newId()];
    const results = await Promise.all([
      store.users.update(s, instanceId, u.id, { phoneConfig }, T0 + 1),
      store.users.update(s, instanceId, u.id, { tags: { t: "1" } }, T0 + 2),
      store.users.update(s, instanceId, u.id, { securityProfileIds }, T0 + 3),
      store.users.update(s, instanceId, u.id, { routingProfileId: "rp" }, T0 + 4),
      store.users.updateIdentityInfo(s, instanceId, u.id, { firstName: "Par" }, T0 + 5),
    ]);
    assert.deepEqual(results, [true, true, true, true, true]);
    assert.deepEqual(
      plain(await store.users.get(s, instanceId, u.id)),
      plain({
        ...u,
        phoneConfig,
        tags: { t: "1" },
        securityProfileIds,
        routingProfileId: "rp",
        identityInfo: { firstName: "Par" },
        lastModifiedTime: T0 + 5,
      }),
    );
    assert.deepEqual(await store.users.listReferencing(s, instanceId, { securityProfileId: securityProfileIds[0] ?? "" }), [u.id]);
  });
});
