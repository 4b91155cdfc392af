// Scoping across repositories: the same ids under another account or region are another row.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { ProfileRecord } from "../../src/store/records.js";
import { contract } from "./engines.js";
import { instanceRecord, newScope, plain, T0, userRecord, withInstance } from "./fixtures.js";

contract("scoping", (ctx) => {
  test("the same ids under another account or region are invisible", async () => {
    const { store } = ctx;
    const { s, instanceId, profiles } = await withInstance(store);
    const u = userRecord(s, instanceId, "scoped");
    await store.users.create(s, u);
    const p = profiles[0] as ProfileRecord;

    for (const o of [
      { account: s.account, region: "eu-central-1" },
      { account: newScope().account, region: s.region },
    ]) {
      assert.equal(await store.instances.get(o, instanceId), undefined);
      assert.equal(await store.instances.count(o), 0);
      assert.deepEqual(await store.instances.list(o, { limit: 10 }), []);
      assert.equal(await store.users.get(o, instanceId, u.id), undefined);
      assert.equal(await store.users.count(o, instanceId), 0);
      assert.deepEqual(await store.users.list(o, instanceId, { limit: 10 }), []);
      assert.equal(await store.users.updateIdentityInfo(o, instanceId, u.id, { firstName: "x" }, T0 + 1), false);
      assert.equal(await store.users.delete(o, instanceId, u.id), false);
      assert.equal(await store.profiles.get(o, instanceId, p.kind, p.id), undefined);
      assert.deepEqual(await store.profiles.list(o, instanceId, "security", { limit: 10 }), []);
      assert.equal(await store.instances.delete(o, instanceId), false);

      // and the same ids can be created there independently
      await store.instances.create(o, instanceRecord(o, instanceId), [{ ...p, lastModifiedRegion: o.region }]);
      await store.users.create(o, { ...u, identityInfo: { firstName: "twin" } });
      assert.deepEqual((await store.users.get(o, instanceId, u.id))?.identityInfo, { firstName: "twin" });
    }
    assert.deepEqual(plain(await store.users.get(s, instanceId, u.id)), plain(u), "the original is untouched");
    assert.equal(await store.users.count(s, instanceId), 1);
  });
});
