// The profiles repository: the default profiles an instance is created with, get/list, name uniqueness.
import assert from "node:assert/strict";
import { test } from "node:test";
import { UniqueViolation } from "../../src/store/store.js";
import { contract } from "./engines.js";
import { allPages, byteOrder, defaultProfiles, instanceRecord, newId, newScope, plain, profileRecord, SECURITY_NAMES } from "./fixtures.js";

contract("profiles", (ctx) => {
  test("instance create with default profiles, get, profiles get/list", async () => {
    const { store } = ctx;
    const s = newScope();
    const id = newId();
    const inst = instanceRecord(s, id, `alias-${id.slice(0, 8)}`);
    const profiles = defaultProfiles(s, id);
    await store.instances.create(s, inst, profiles);

    assert.deepEqual(plain(await store.instances.get(s, id)), plain(inst));
    assert.equal(await store.instances.get(s, newId()), undefined);
    assert.equal(await store.instances.count(s), 1);

    for (const p of profiles) assert.deepEqual(plain(await store.profiles.get(s, id, p.kind, p.id)), plain(p));
    const routingId = profiles.find((p) => p.kind === "routing")?.id ?? "";
    assert.equal(await store.profiles.get(s, id, "security", routingId), undefined, "kind is part of the key");

    const security = await allPages(
      2,
      (after) => store.profiles.list(s, id, "security", { after, limit: 2 }),
      (p) => p.name,
    );
    assert.deepEqual(
      security.map((p) => p.name),
      [...SECURITY_NAMES].sort(byteOrder),
    );
    assert.deepEqual(
      security.map((p) => p.name),
      ["Admin", "Agent", "CallCenterManager", "QualityAnalyst", "agent"],
    );
    const routing = await store.profiles.list(s, id, "routing", { limit: 10 });
    assert.deepEqual(
      routing.map((p) => p.name),
      ["Basic Routing Profile"],
    );
  });

  test("duplicate profile name within a kind → UniqueViolation (the instance is not created)", async () => {
    const { store } = ctx;
    const s = newScope();
    const id = newId();
    const profiles = [profileRecord(s, id, "security", "Same"), profileRecord(s, id, "security", "Same")];
    await assert.rejects(store.instances.create(s, instanceRecord(s, id), profiles), UniqueViolation);
    assert.equal(await store.instances.get(s, id), undefined);
    assert.equal(await store.instances.count(s), 0);
  });
});
