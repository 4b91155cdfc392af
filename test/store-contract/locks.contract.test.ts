// Row locks (store.ts, LockMode, InstancesRepo.lockKeys): instances.lockKeys holds an instance
// against deletion; profiles.lock and hierarchy.lockGroup read the row like get / getGroup, and
// inside a transaction hold it — "share" for whoever assigns it to a user,
// "update" for whoever deletes it. The property they exist for: a delete that locks, then counts
// the users holding the row, sees every assignment made under a share lock that got there first
// (PostgreSQL: row locks; SQLite: the single write lock gives the same order).
import assert from "node:assert/strict";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { contract } from "./engines.js";
import { groupRecord, levelRecords, newId, otherScopes, plain, userRecord, withInstance } from "./fixtures.js";

contract("row locks", (ctx) => {
  test("lock / lockGroup read the row in either mode; undefined for a missing id, another kind or another scope", async () => {
    const { store } = ctx;
    const { s, instanceId, profiles } = await withInstance(store);
    const security = profiles.find((p) => p.kind === "security");
    const routing = profiles.find((p) => p.kind === "routing");
    assert.ok(security && routing);
    await store.hierarchy.putLevels(s, instanceId, levelRecords(s, instanceId, ["Site"]));
    const group = groupRecord(s, instanceId, "London");
    await store.hierarchy.createGroup(s, group);
    for (const mode of ["share", "update"] as const) {
      assert.deepEqual(plain(await store.profiles.lock(s, instanceId, "security", security.id, mode)), plain(security));
      assert.deepEqual(plain(await store.atomically((tx) => tx.profiles.lock(s, instanceId, "routing", routing.id, mode))), plain(routing));
      assert.equal(await store.profiles.lock(s, instanceId, "routing", security.id, mode), undefined, "kind is part of the key");
      assert.equal(await store.profiles.lock(s, instanceId, "security", newId(), mode), undefined);
      assert.deepEqual(plain(await store.hierarchy.lockGroup(s, instanceId, group.id, mode)), plain(group));
      assert.equal(await store.hierarchy.lockGroup(s, instanceId, newId(), mode), undefined);
      for (const o of otherScopes(s)) {
        assert.equal(await store.profiles.lock(o, instanceId, "security", security.id, mode), undefined);
        assert.equal(await store.hierarchy.lockGroup(o, instanceId, group.id, mode), undefined);
      }
    }
  });

  test("instances.lockKeys reads the instance (undefined when missing or in another scope); a delete waits for its transaction", async () => {
    const { store } = ctx;
    const { s, instanceId } = await withInstance(store);
    assert.equal((await store.instances.lockKeys(s, instanceId))?.id, instanceId);
    assert.equal(await store.instances.lockKeys(s, newId()), undefined);
    for (const o of otherScopes(s)) assert.equal(await store.instances.lockKeys(o, instanceId), undefined);

    const order: string[] = [];
    let held!: () => void;
    const heldLock = new Promise<void>((resolve) => {
      held = resolve;
    });
    const assign = store.atomically(async (tx) => {
      assert.ok(await tx.instances.lockKeys(s, instanceId));
      held();
      await sleep(150);
      // still there: the delete waits for this transaction
      assert.ok(await tx.instances.get(s, instanceId));
      order.push("holder: committing");
    });
    await heldLock;
    const remove = store.atomically(async (tx) => {
      const deleted = await tx.instances.delete(s, instanceId);
      order.push("delete: done");
      return deleted;
    });
    const [, deleted] = await Promise.all([assign, remove]);
    assert.equal(deleted, true);
    assert.deepEqual(order, ["holder: committing", "delete: done"]);
    assert.equal(await store.instances.get(s, instanceId), undefined);
  });

  test("an update lock waits for a share lock's transaction; the delete's count then sees the assignment it made", async () => {
    const { store } = ctx;
    const { s, instanceId, profiles } = await withInstance(store);
    const profile = profiles.find((p) => p.kind === "security");
    assert.ok(profile);
    const user = userRecord(s, instanceId, `lock${newId().slice(0, 6)}`);
    await store.users.create(s, user);
    const order: string[] = [];

    let shared!: () => void;
    const sharedLock = new Promise<void>((resolve) => {
      shared = resolve;
    });
    const assign = store.atomically(async (tx) => {
      assert.ok(await tx.profiles.lock(s, instanceId, "security", profile.id, "share"));
      order.push("assign: locked");
      shared();
      await sleep(150); // the delete starts meanwhile
      assert.ok(await tx.users.update(s, instanceId, user.id, { securityProfileIds: [profile.id] }, Date.now()));
      order.push("assign: committing");
    });
    await sharedLock;
    const remove = store.atomically(async (tx) => {
      assert.ok(await tx.profiles.lock(s, instanceId, "security", profile.id, "update"));
      order.push("delete: locked");
      return tx.users.countReferencing(s, instanceId, { securityProfileId: profile.id });
    });
    const [, holders] = await Promise.all([assign, remove]);
    assert.deepEqual(order, ["assign: locked", "assign: committing", "delete: locked"]);
    assert.equal(holders, 1, "the delete counts the assignment that held the lock first");
  });

  test("the same for a hierarchy group and the user assigned to it", async () => {
    const { store } = ctx;
    const { s, instanceId } = await withInstance(store);
    await store.hierarchy.putLevels(s, instanceId, levelRecords(s, instanceId, ["Site"]));
    const group = groupRecord(s, instanceId, "London");
    await store.hierarchy.createGroup(s, group);
    const user = userRecord(s, instanceId, `lock${newId().slice(0, 6)}`);
    await store.users.create(s, user);
    let shared!: () => void;
    const sharedLock = new Promise<void>((resolve) => {
      shared = resolve;
    });
    const assign = store.atomically(async (tx) => {
      assert.ok(await tx.hierarchy.lockGroup(s, instanceId, group.id, "share"));
      shared();
      await sleep(150);
      assert.ok(await tx.users.update(s, instanceId, user.id, { hierarchyGroupId: group.id }, Date.now()));
    });
    await sharedLock;
    const remove = store.atomically(async (tx) => {
      assert.ok(await tx.hierarchy.lockGroup(s, instanceId, group.id, "update"));
      return tx.users.countReferencing(s, instanceId, { hierarchyGroupId: group.id });
    });
    const [, holders] = await Promise.all([assign, remove]);
    assert.equal(holders, 1);
  });
});
