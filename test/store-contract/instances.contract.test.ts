// The instances repository: create, count, list, delete (cascading), uniqueness, listScopes, client tokens, attributes and tags.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Scope } from "../../src/common/arn.js";
import type { ProfileRecord, UserRecord } from "../../src/store/records.js";
import { UniqueViolation } from "../../src/store/store.js";
import { contract } from "./engines.js";
import {
  allPages,
  byteOrder,
  defaultProfiles,
  instanceRecord,
  newId,
  newScope,
  otherScopes,
  plain,
  SECURITY_NAMES,
  userRecord,
  withInstance,
} from "./fixtures.js";

contract("instances", (ctx) => {
  test("instance count and list pagination (after, limit+1)", async () => {
    const { store } = ctx;
    const s = newScope();
    const ids = Array.from({ length: 7 }, newId);
    for (const id of ids) await store.instances.create(s, instanceRecord(s, id), []);
    assert.equal(await store.instances.count(s), 7);

    const first = await store.instances.list(s, { limit: 3 });
    assert.equal(first.length, 4, "limit+1 rows when more exist");
    const all = await allPages(
      3,
      (after) => store.instances.list(s, { after, limit: 3 }),
      (i) => i.id,
    );
    assert.deepEqual(
      all.map((i) => i.id),
      [...ids].sort(byteOrder),
    );
    const everything = await store.instances.list(s, { limit: 100 });
    assert.equal(everything.length, 7);
    const lastId = [...ids].sort(byteOrder)[6] ?? "";
    assert.deepEqual(await store.instances.list(s, { after: lastId, limit: 3 }), []);
  });

  test("instance delete cascades to users and profiles", async () => {
    const { store } = ctx;
    const { s, instanceId, profiles } = await withInstance(store);
    const users = [userRecord(s, instanceId, "one"), userRecord(s, instanceId, "two")];
    for (const u of users) await store.users.create(s, u);
    assert.equal(await store.users.count(s, instanceId), 2);

    assert.equal(await store.instances.delete(s, instanceId), true);
    assert.equal(await store.instances.get(s, instanceId), undefined);
    assert.equal(await store.instances.count(s), 0);
    assert.equal(await store.users.count(s, instanceId), 0);
    for (const u of users) assert.equal(await store.users.get(s, instanceId, u.id), undefined);
    for (const p of profiles) assert.equal(await store.profiles.get(s, instanceId, p.kind, p.id), undefined);
    assert.deepEqual(await store.profiles.list(s, instanceId, "security", { limit: 10 }), []);
    assert.equal(await store.instances.delete(s, instanceId), false);

    // the ids are free again
    await store.instances.create(s, instanceRecord(s, instanceId), [profiles[0] as ProfileRecord]);
    await store.users.create(s, users[0] as UserRecord);
    assert.equal(await store.users.count(s, instanceId), 1);
  });

  test("duplicate alias or id → UniqueViolation, and nothing of the failed create remains", async () => {
    const { store } = ctx;
    const s = newScope();
    const alias = `dup-${newId().slice(0, 8)}`;
    const first = newId();
    await store.instances.create(s, instanceRecord(s, first, alias), defaultProfiles(s, first));

    const second = newId();
    const secondProfiles = defaultProfiles(s, second);
    await assert.rejects(store.instances.create(s, instanceRecord(s, second, alias), secondProfiles), UniqueViolation);
    assert.equal(await store.instances.get(s, second), undefined);
    for (const p of secondProfiles) assert.equal(await store.profiles.get(s, second, p.kind, p.id), undefined);

    await assert.rejects(store.instances.create(s, instanceRecord(s, first), []), UniqueViolation);
    assert.equal(await store.instances.count(s), 1);

    // no alias is not a duplicate alias; the same alias in another scope is another alias
    const a = newId();
    const b = newId();
    await store.instances.create(s, instanceRecord(s, a), []);
    await store.instances.create(s, instanceRecord(s, b), []);
    const other = newScope();
    await store.instances.create(other, instanceRecord(other, newId(), alias), []);
    assert.equal(await store.instances.count(s), 3);
  });

  test("parallel instance creates in one scope all land", async () => {
    const { store } = ctx;
    const s = newScope();
    const ids = Array.from({ length: 10 }, newId);
    await Promise.all(ids.map((id) => store.instances.create(s, instanceRecord(s, id), defaultProfiles(s, id))));
    assert.equal(await store.instances.count(s), 10);
    for (const id of ids) assert.equal((await store.profiles.list(s, id, "security", { limit: 10 })).length, SECURITY_NAMES.length);
  });

  test("instances.listScopes: the distinct (account, region) pairs holding an instance, ordered", async () => {
    const { store } = ctx;
    const [lo, hi] = [newScope().account, newScope().account].sort(byteOrder) as [string, string];
    const placed: [Scope, string][] = [
      [{ account: hi, region: "us-west-2" }, newId()],
      [{ account: lo, region: "us-west-2" }, newId()],
      [{ account: lo, region: "eu-central-1" }, newId()],
      [{ account: lo, region: "us-west-2" }, newId()], // a second instance in one scope: still one scope
      [{ account: hi, region: "ap-southeast-2" }, newId()],
    ];
    for (const [scope, id] of placed) await store.instances.create(scope, instanceRecord(scope, id), []);

    assert.deepEqual(await store.instances.listScopes(lo), [
      { account: lo, region: "eu-central-1" },
      { account: lo, region: "us-west-2" },
    ]);
    assert.deepEqual(await store.instances.listScopes(hi), [
      { account: hi, region: "ap-southeast-2" },
      { account: hi, region: "us-west-2" },
    ]);
    const all = await store.instances.listScopes();
    assert.deepEqual(
      all.filter((x) => x.account === lo || x.account === hi),
      [
        { account: lo, region: "eu-central-1" },
        { account: lo, region: "us-west-2" },
        { account: hi, region: "ap-southeast-2" },
        { account: hi, region: "us-west-2" },
      ],
    );
    for (let i = 1; i < all.length; i++) {
      const [a, b] = [all[i - 1], all[i]] as [Scope, Scope];
      const cmp = byteOrder(a.account, b.account) || byteOrder(a.region, b.region);
      assert.ok(cmp < 0, `ordered and distinct: ${JSON.stringify(a)} before ${JSON.stringify(b)}`);
    }
    assert.deepEqual(await store.instances.listScopes(newScope().account), []);

    // a scope is listed while it holds an instance
    const [, hiAp] = placed[4] as [Scope, string];
    assert.equal(await store.instances.delete({ account: hi, region: "ap-southeast-2" }, hiAp), true);
    assert.deepEqual(await store.instances.listScopes(hi), [{ account: hi, region: "us-west-2" }]);
    const [, loWest] = placed[1] as [Scope, string];
    assert.equal(await store.instances.delete({ account: lo, region: "us-west-2" }, loWest), true);
    assert.deepEqual(
      (await store.instances.listScopes(lo)).map((x) => x.region),
      ["eu-central-1", "us-west-2"],
    );
  });

  test("getByClientToken: the instance made with the token; a taken token → UniqueViolation, per scope", async () => {
    const { store } = ctx;
    const s = newScope();
    const token = `token-${newId()}`;
    const id = newId();
    const inst = { ...instanceRecord(s, id), clientToken: token };
    await store.instances.create(s, inst, defaultProfiles(s, id));
    assert.deepEqual(plain(await store.instances.getByClientToken(s, token)), plain(inst));
    assert.equal((await store.instances.get(s, id))?.clientToken, token);
    assert.equal(await store.instances.getByClientToken(s, `token-${newId()}`), undefined);

    const second = newId();
    const secondProfiles = defaultProfiles(s, second);
    await assert.rejects(store.instances.create(s, { ...instanceRecord(s, second), clientToken: token }, secondProfiles), UniqueViolation);
    assert.equal(await store.instances.get(s, second), undefined, "nothing of the failed create remains");
    for (const p of secondProfiles) assert.equal(await store.profiles.get(s, second, p.kind, p.id), undefined);

    // instances without a token never collide; the same token elsewhere is another token
    await store.instances.create(s, instanceRecord(s, newId()), []);
    await store.instances.create(s, instanceRecord(s, newId()), []);
    for (const o of otherScopes(s)) {
      assert.equal(await store.instances.getByClientToken(o, token), undefined);
      const there = newId();
      await store.instances.create(o, { ...instanceRecord(o, there), clientToken: token }, []);
      assert.equal((await store.instances.getByClientToken(o, token))?.id, there);
    }
    assert.equal((await store.instances.getByClientToken(s, token))?.id, id);

    // the token is free again once its instance is deleted
    assert.equal(await store.instances.delete(s, id), true);
    assert.equal(await store.instances.getByClientToken(s, token), undefined);
    await store.instances.create(s, { ...instanceRecord(s, second), clientToken: token }, []);
  });

  test("update replaces attributes and tags, the rest stays; false when missing or out of scope", async () => {
    const { store } = ctx;
    const { s, instanceId } = await withInstance(store);
    const before = await store.instances.get(s, instanceId);
    assert.ok(before);
    assert.equal(before.attributes, undefined, "no attributes written: every type has its default");

    const attributes = { INBOUND_CALLS: "false", CONTACT_LENS: "true" };
    assert.equal(await store.instances.update(s, instanceId, { attributes }), true);
    assert.deepEqual(plain(await store.instances.get(s, instanceId)), plain({ ...before, attributes }));
    const tags = { z: "1", a: "2" };
    assert.equal(await store.instances.update(s, instanceId, { tags }), true);
    const got = await store.instances.get(s, instanceId);
    assert.deepEqual(plain(got), plain({ ...before, attributes, tags }));
    assert.deepEqual(Object.keys(got?.tags ?? {}), ["z", "a"], "tags keep their order");
    assert.equal(await store.instances.update(s, instanceId, {}), true, "an empty patch changes nothing");
    assert.deepEqual(plain(await store.instances.get(s, instanceId)), plain({ ...before, attributes, tags }));

    assert.equal(await store.instances.update(s, newId(), { tags: {} }), false);
    for (const o of otherScopes(s)) assert.equal(await store.instances.update(o, instanceId, { tags: { hijacked: "yes" } }), false);
    assert.deepEqual((await store.instances.get(s, instanceId))?.tags, tags);
  });
});
