// The profiles repository: the default profiles an instance is created with, get/list, name uniqueness,
// count/create/update/delete, tags, scoping.
import assert from "node:assert/strict";
import { test } from "node:test";
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
  profileRecord,
  SECURITY_NAMES,
  T0,
  withInstance,
} from "./fixtures.js";

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

  test("count, create, update, delete; names unique per kind (create and rename); tags", async () => {
    const { store } = ctx;
    const { s, instanceId } = await withInstance(store);
    assert.equal(await store.profiles.count(s, instanceId, "security"), SECURITY_NAMES.length);
    assert.equal(await store.profiles.count(s, instanceId, "routing"), 1);
    assert.equal(await store.profiles.count(s, newId(), "security"), 0);

    const p = { ...profileRecord(s, instanceId, "security", "Supervisor"), tags: { b: "2", a: "1" } };
    await store.profiles.create(s, p);
    assert.deepEqual(plain(await store.profiles.get(s, instanceId, "security", p.id)), plain(p));
    assert.equal(await store.profiles.count(s, instanceId, "security"), SECURITY_NAMES.length + 1);
    await assert.rejects(store.profiles.create(s, profileRecord(s, instanceId, "security", "Supervisor")), UniqueViolation);
    await assert.rejects(store.profiles.create(s, profileRecord(s, instanceId, "security", "Admin")), UniqueViolation);
    await store.profiles.create(s, profileRecord(s, instanceId, "routing", "Supervisor")); // another kind, another name space

    const late = T0 + 5_000_000_000;
    assert.equal(await store.profiles.update(s, instanceId, "security", p.id, { attributes: { permissions: ["X"] } }, late), true);
    assert.equal(await store.profiles.update(s, instanceId, "security", p.id, { name: "Lead", tags: { z: "1", y: "2" } }, T0 + 1), true);
    const got = await store.profiles.get(s, instanceId, "security", p.id);
    assert.deepEqual(
      plain(got),
      plain({ ...p, name: "Lead", attributes: { permissions: ["X"] }, tags: { z: "1", y: "2" }, lastModifiedTime: late }),
    );
    assert.deepEqual(Object.keys(got?.tags ?? {}), ["z", "y"], "tags keep their order");
    await assert.rejects(store.profiles.update(s, instanceId, "security", p.id, { name: "Agent" }, T0 + 2), UniqueViolation);
    assert.equal((await store.profiles.get(s, instanceId, "security", p.id))?.name, "Lead", "the failed rename changed nothing");
    assert.equal(
      await store.profiles.update(s, instanceId, "routing", p.id, { name: "Wrong kind" }, T0 + 2),
      false,
      "kind is part of the key",
    );
    assert.equal(await store.profiles.update(s, instanceId, "security", newId(), { name: "Nobody" }, T0 + 2), false);

    assert.equal(await store.profiles.delete(s, instanceId, "routing", p.id), false);
    assert.equal(await store.profiles.delete(s, instanceId, "security", p.id), true);
    assert.equal(await store.profiles.delete(s, instanceId, "security", p.id), false);
    assert.equal(await store.profiles.get(s, instanceId, "security", p.id), undefined);
    await store.profiles.create(s, profileRecord(s, instanceId, "security", "Supervisor")); // the name is free again
  });

  test("scoping: another account or region sees no profile and changes none", async () => {
    const { store } = ctx;
    const { s, instanceId, profiles } = await withInstance(store);
    const p = profiles[0];
    assert.ok(p);
    for (const o of otherScopes(s)) {
      assert.equal(await store.profiles.count(o, instanceId, p.kind), 0);
      assert.equal(await store.profiles.update(o, instanceId, p.kind, p.id, { name: "hijacked" }, T0 + 1), false);
      assert.equal(await store.profiles.delete(o, instanceId, p.kind, p.id), false);
    }
    assert.deepEqual(plain(await store.profiles.get(s, instanceId, p.kind, p.id)), plain(p));
  });
});
