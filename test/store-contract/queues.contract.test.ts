// The queues repository: create/get/list, names unique within an instance, update (monotonic
// lastModifiedTime, members not given untouched), scoping, and the cascade on instance delete.
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
  queueRecord,
  T0,
  USERNAMES,
  USERNAMES_BYTE_ORDER,
  withInstance,
} from "./fixtures.js";

contract("queues", (ctx) => {
  test("instances.create with queues; get, list by name in byte order, paginated", async () => {
    const { store } = ctx;
    const s = newScope();
    const instanceId = newId();
    const basic = { ...queueRecord(s, instanceId, "BasicQueue"), tags: { b: "2", a: "1" } };
    await store.instances.create(s, instanceRecord(s, instanceId), defaultProfiles(s, instanceId), [basic]);
    assert.deepEqual(plain(await store.queues.get(s, instanceId, basic.id)), plain(basic));
    assert.deepEqual(Object.keys((await store.queues.get(s, instanceId, basic.id))?.tags ?? {}), ["b", "a"], "tags keep their order");
    assert.equal(await store.queues.get(s, instanceId, newId()), undefined);

    for (const name of USERNAMES) await store.queues.create(s, queueRecord(s, instanceId, name));
    const expected = [...USERNAMES, "BasicQueue"].sort(byteOrder);
    assert.deepEqual(
      expected.filter((n) => n !== "BasicQueue"),
      USERNAMES_BYTE_ORDER,
      "fixture sanity",
    );
    for (const limit of [1, 4, 20]) {
      const paged = await allPages(
        limit,
        (after) => store.queues.list(s, instanceId, { after, limit }),
        (q) => q.name,
      );
      assert.deepEqual(
        paged.map((q) => q.name),
        expected,
        `limit ${limit}`,
      );
    }
  });

  test("duplicate queue name in an instance → UniqueViolation, on create and on rename", async () => {
    const { store } = ctx;
    const { s, instanceId } = await withInstance(store);
    const a = queueRecord(s, instanceId, "Sales");
    const b = queueRecord(s, instanceId, "Support");
    await store.queues.create(s, a);
    await store.queues.create(s, b);
    await assert.rejects(store.queues.create(s, queueRecord(s, instanceId, "Sales")), UniqueViolation);
    await assert.rejects(store.queues.create(s, { ...queueRecord(s, instanceId, "Other"), id: a.id }), UniqueViolation, "the same id");
    await assert.rejects(store.queues.update(s, instanceId, b.id, { name: "Sales" }, T0 + 1), UniqueViolation);
    assert.equal((await store.queues.get(s, instanceId, b.id))?.name, "Support", "the failed rename changed nothing");
    assert.equal((await store.queues.list(s, instanceId, { limit: 10 })).length, 2);

    // the same name in another instance is another queue
    const other = newId();
    await store.instances.create(s, instanceRecord(s, other), []);
    await store.queues.create(s, queueRecord(s, other, "Sales"));
  });

  test("update replaces the given members only; lastModifiedTime never moves backwards; false when missing", async () => {
    const { store } = ctx;
    const { s, instanceId } = await withInstance(store);
    const q = { ...queueRecord(s, instanceId, "Q"), tags: { keep: "me" } };
    await store.queues.create(s, q);
    const late = T0 + 5_000_000_000;
    assert.equal(await store.queues.update(s, instanceId, q.id, { attributes: { description: "d", status: "DISABLED" } }, late), true);
    let got = await store.queues.get(s, instanceId, q.id);
    assert.deepEqual(got?.attributes, { description: "d", status: "DISABLED" });
    assert.deepEqual(got?.tags, { keep: "me" });
    assert.equal(got?.name, "Q");
    assert.equal(got?.lastModifiedTime, late);

    assert.equal(await store.queues.update(s, instanceId, q.id, { name: "Q2", tags: { z: "1", y: "2" } }, T0 + 1), true);
    got = await store.queues.get(s, instanceId, q.id);
    assert.equal(got?.name, "Q2", "the write applies …");
    assert.deepEqual(Object.entries(got?.tags ?? {}), [
      ["z", "1"],
      ["y", "2"],
    ]);
    assert.deepEqual(got?.attributes, { description: "d", status: "DISABLED" });
    assert.equal(got?.lastModifiedTime, late, "… but the time stays the latest");
    assert.equal(typeof got?.lastModifiedTime, "number");

    assert.equal(await store.queues.update(s, instanceId, newId(), { name: "x" }, T0 + 2), false);
    assert.equal(await store.queues.update(s, newId(), q.id, { name: "x" }, T0 + 2), false);
  });

  test("scoping: another account or region sees nothing; instance delete takes the queues", async () => {
    const { store } = ctx;
    const { s, instanceId } = await withInstance(store);
    const q = queueRecord(s, instanceId, "Scoped");
    await store.queues.create(s, q);
    for (const o of otherScopes(s)) {
      assert.equal(await store.queues.get(o, instanceId, q.id), undefined);
      assert.deepEqual(await store.queues.list(o, instanceId, { limit: 10 }), []);
      assert.equal(await store.queues.update(o, instanceId, q.id, { name: "hijacked" }, T0 + 1), false);
    }
    assert.equal((await store.queues.get(s, instanceId, q.id))?.name, "Scoped");

    assert.equal(await store.instances.delete(s, instanceId), true);
    assert.equal(await store.queues.get(s, instanceId, q.id), undefined);
    await store.instances.create(s, instanceRecord(s, instanceId), []);
    assert.deepEqual(await store.queues.list(s, instanceId, { limit: 10 }), [], "nothing is left behind for a new instance of that id");
    await store.queues.create(s, q);
  });
});
