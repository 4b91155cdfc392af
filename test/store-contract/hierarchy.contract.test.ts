// The hierarchy repository: levels replaced as a whole; groups with sibling-unique names, counts,
// descendants at any depth, listing by (name, id), rename, tags, delete, scoping and the cascade.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Scope } from "../../src/common/arn.js";
import type { HierarchyGroupRecord } from "../../src/store/records.js";
import { type Store, UniqueViolation } from "../../src/store/store.js";
import { contract } from "./engines.js";
import { allPages, byteOrder, groupRecord, instanceRecord, levelRecords, newId, otherScopes, plain, T0, withInstance } from "./fixtures.js";

/** Creates the groups in order (parents before children). */
async function createAll(store: Store, s: Scope, groups: HierarchyGroupRecord[]) {
  for (const g of groups) await store.hierarchy.createGroup(s, g);
}

contract("hierarchy", (ctx) => {
  test("levels: none for a new instance, ordered 1..5, replaced as a whole", async () => {
    const { store } = ctx;
    const { s, instanceId } = await withInstance(store);
    assert.deepEqual(await store.hierarchy.levels(s, instanceId), []);

    const five = levelRecords(s, instanceId, ["Region", "Site", "Floor", "Team", "Pod"]);
    await store.hierarchy.putLevels(s, instanceId, [...five].reverse());
    assert.deepEqual(plain(await store.hierarchy.levels(s, instanceId)), plain(five));

    const two = levelRecords(s, instanceId, ["Division", "Group"]);
    await store.hierarchy.putLevels(s, instanceId, two);
    assert.deepEqual(plain(await store.hierarchy.levels(s, instanceId)), plain(two), "levels not given are removed");
    const [one] = await store.hierarchy.levels(s, instanceId);
    assert.equal(typeof one?.level, "number");
    assert.equal(typeof one?.lastModifiedTime, "number");

    await store.hierarchy.putLevels(s, instanceId, []);
    assert.deepEqual(await store.hierarchy.levels(s, instanceId), []);

    for (const o of otherScopes(s)) assert.deepEqual(await store.hierarchy.levels(o, instanceId), []);
  });

  test("groups: get with parent, counts, descendants at every depth", async () => {
    const { store } = ctx;
    const { s, instanceId } = await withInstance(store);
    // root ─┬─ a ─┬─ a1 ── a1x ── a1xy
    //       │     └─ a2
    //       └─ b
    // other (a second level-one group)
    const root = groupRecord(s, instanceId, "root");
    const a = groupRecord(s, instanceId, "a", root);
    const b = groupRecord(s, instanceId, "b", root);
    const a1 = groupRecord(s, instanceId, "a1", a);
    const a2 = groupRecord(s, instanceId, "a2", a);
    const a1x = groupRecord(s, instanceId, "a1x", a1);
    const a1xy = { ...groupRecord(s, instanceId, "a1xy", a1x), tags: { depth: "5" } };
    const other = groupRecord(s, instanceId, "other");
    await createAll(store, s, [root, a, b, a1, a2, a1x, a1xy, other]);

    assert.deepEqual(plain(await store.hierarchy.getGroup(s, instanceId, a1xy.id)), plain(a1xy));
    const gotRoot = await store.hierarchy.getGroup(s, instanceId, root.id);
    assert.deepEqual(plain(gotRoot), plain(root));
    assert.equal(gotRoot?.parentId, undefined, "a level-one group has no parent");
    assert.equal(a1xy.level, 5);
    assert.equal(await store.hierarchy.getGroup(s, instanceId, newId()), undefined);

    assert.equal(await store.hierarchy.countGroups(s, instanceId), 8);
    assert.equal(await store.hierarchy.countChildren(s, instanceId, root.id), 2);
    assert.equal(await store.hierarchy.countChildren(s, instanceId, a.id), 2);
    assert.equal(await store.hierarchy.countChildren(s, instanceId, a1xy.id), 0);
    assert.deepEqual(
      await Promise.all([1, 2, 3, 4, 5].map((level) => store.hierarchy.countAtLevel(s, instanceId, level))),
      [2, 2, 2, 1, 1],
    );

    const ids = (...gs: HierarchyGroupRecord[]) => gs.map((g) => g.id).sort(byteOrder);
    assert.deepEqual(await store.hierarchy.descendants(s, instanceId, root.id), ids(a, b, a1, a2, a1x, a1xy));
    assert.deepEqual(await store.hierarchy.descendants(s, instanceId, a.id), ids(a1, a2, a1x, a1xy));
    assert.deepEqual(await store.hierarchy.descendants(s, instanceId, a1x.id), ids(a1xy));
    assert.deepEqual(await store.hierarchy.descendants(s, instanceId, a1xy.id), []);
    assert.deepEqual(await store.hierarchy.descendants(s, instanceId, other.id), []);
    assert.deepEqual(await store.hierarchy.descendants(s, instanceId, newId()), []);
  });

  test("sibling names are unique (level one, and under one parent); cousins may share a name", async () => {
    const { store } = ctx;
    const { s, instanceId } = await withInstance(store);
    const east = groupRecord(s, instanceId, "East");
    const west = groupRecord(s, instanceId, "West");
    await createAll(store, s, [east, west]);
    await assert.rejects(store.hierarchy.createGroup(s, groupRecord(s, instanceId, "East")), UniqueViolation, "two level-one Easts");

    const eastSales = groupRecord(s, instanceId, "Sales", east);
    await store.hierarchy.createGroup(s, eastSales);
    await assert.rejects(store.hierarchy.createGroup(s, groupRecord(s, instanceId, "Sales", east)), UniqueViolation);
    await store.hierarchy.createGroup(s, groupRecord(s, instanceId, "Sales", west));
    await store.hierarchy.createGroup(s, groupRecord(s, instanceId, "Sales")); // a level-one Sales: no sibling of those
    await assert.rejects(store.hierarchy.createGroup(s, { ...groupRecord(s, instanceId, "Unique"), id: east.id }), UniqueViolation);
    assert.equal(await store.hierarchy.countGroups(s, instanceId), 5);

    await assert.rejects(store.hierarchy.renameGroup(s, instanceId, west.id, "East", T0 + 1), UniqueViolation);
    assert.equal((await store.hierarchy.getGroup(s, instanceId, west.id))?.name, "West");
    const late = T0 + 5_000_000_000;
    assert.equal(await store.hierarchy.renameGroup(s, instanceId, west.id, "Pacific", late), true);
    assert.equal(await store.hierarchy.renameGroup(s, instanceId, west.id, "Westward", T0 + 1), true);
    const renamed = await store.hierarchy.getGroup(s, instanceId, west.id);
    assert.equal(renamed?.name, "Westward");
    assert.equal(renamed?.lastModifiedTime, late, "lastModifiedTime never moves backwards");
    await store.hierarchy.createGroup(s, groupRecord(s, instanceId, "West")); // the old name is free
    assert.equal(await store.hierarchy.renameGroup(s, instanceId, newId(), "Nobody", T0 + 2), false);
  });

  test("listGroups: ordered by name then id, paged by `name\\u0000id`, repeated names included", async () => {
    const { store } = ctx;
    const { s, instanceId } = await withInstance(store);
    const parents = ["P1", "P2", "P3"].map((n) => groupRecord(s, instanceId, n));
    const children = parents.flatMap((p) => ["Team", "Zed", "alpha"].map((n) => groupRecord(s, instanceId, n, p)));
    await createAll(store, s, [...parents, ...children]);
    const expected = [...parents, ...children].sort((x, y) => byteOrder(x.name, y.name) || byteOrder(x.id, y.id)).map((g) => g.id);
    for (const limit of [1, 2, 4, 50]) {
      const paged = await allPages(
        limit,
        (after) => store.hierarchy.listGroups(s, instanceId, { after, limit }),
        (g) => `${g.name}\u0000${g.id}`,
      );
      assert.deepEqual(
        paged.map((g) => g.id),
        expected,
        `limit ${limit}`,
      );
    }
  });

  test("setGroupTags and deleteGroup; false when missing", async () => {
    const { store } = ctx;
    const { s, instanceId } = await withInstance(store);
    const g = groupRecord(s, instanceId, "Tagged");
    await store.hierarchy.createGroup(s, g);
    assert.equal(await store.hierarchy.setGroupTags(s, instanceId, g.id, { z: "1", a: "2" }), true);
    const got = await store.hierarchy.getGroup(s, instanceId, g.id);
    assert.deepEqual(Object.entries(got?.tags ?? {}), [
      ["z", "1"],
      ["a", "2"],
    ]);
    assert.equal(got?.lastModifiedTime, T0, "tags are not a modification of the group");
    assert.equal(await store.hierarchy.setGroupTags(s, instanceId, newId(), {}), false);
    assert.equal(await store.hierarchy.deleteGroup(s, instanceId, g.id), true);
    assert.equal(await store.hierarchy.deleteGroup(s, instanceId, g.id), false);
    assert.equal(await store.hierarchy.getGroup(s, instanceId, g.id), undefined);
  });

  test("scoping: another account or region sees nothing; instance delete takes levels and groups", async () => {
    const { store } = ctx;
    const { s, instanceId } = await withInstance(store);
    const root = groupRecord(s, instanceId, "root");
    const child = groupRecord(s, instanceId, "child", root);
    await createAll(store, s, [root, child]);
    await store.hierarchy.putLevels(s, instanceId, levelRecords(s, instanceId, ["L1", "L2"]));
    for (const o of otherScopes(s)) {
      assert.equal(await store.hierarchy.getGroup(o, instanceId, root.id), undefined);
      assert.deepEqual(await store.hierarchy.listGroups(o, instanceId, { limit: 10 }), []);
      assert.equal(await store.hierarchy.countGroups(o, instanceId), 0);
      assert.equal(await store.hierarchy.countChildren(o, instanceId, root.id), 0);
      assert.equal(await store.hierarchy.countAtLevel(o, instanceId, 1), 0);
      assert.deepEqual(await store.hierarchy.descendants(o, instanceId, root.id), []);
      assert.equal(await store.hierarchy.renameGroup(o, instanceId, root.id, "x", T0 + 1), false);
      assert.equal(await store.hierarchy.setGroupTags(o, instanceId, root.id, { x: "y" }), false);
      assert.equal(await store.hierarchy.deleteGroup(o, instanceId, root.id), false);
    }
    assert.equal(await store.hierarchy.countGroups(s, instanceId), 2);

    assert.equal(await store.instances.delete(s, instanceId), true);
    await store.instances.create(s, instanceRecord(s, instanceId), []);
    assert.equal(await store.hierarchy.countGroups(s, instanceId), 0);
    assert.deepEqual(await store.hierarchy.levels(s, instanceId), []);
    await createAll(store, s, [root, child]); // the ids and names are free again
  });
});
