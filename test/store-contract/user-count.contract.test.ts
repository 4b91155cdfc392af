// The per-instance user count (schema v5) that CreateUser's quota check reads instead of a
// COUNT(*) over the directory: kept by users.create and users.delete in their transaction, gone
// with a rolled-back create, and backfilled from the users already there by the migration.
import assert from "node:assert/strict";
import { test } from "node:test";
import { MIGRATIONS } from "../../src/store/sql/migrations.js";
import { SqlStore } from "../../src/store/sql/sql-store.js";
import { contract } from "./engines.js";
import { instanceRecord, newId, newScope, userRecord, withInstance } from "./fixtures.js";

contract("user count", (ctx) => {
  test("create and delete move the count; a rolled-back create, a failed create and a missing delete do not", async () => {
    const { store } = ctx;
    const { s, instanceId } = await withInstance(store);
    const other = await withInstance(store);
    assert.equal(await store.users.count(s, instanceId), 0);
    const a = userRecord(s, instanceId, "a");
    const b = userRecord(s, instanceId, "b");
    await store.users.create(s, a);
    await store.users.create(s, b);
    await store.users.create(other.s, userRecord(other.s, other.instanceId, "a"));
    assert.equal(await store.users.count(s, instanceId), 2);
    assert.equal(await store.users.count(other.s, other.instanceId), 1);

    await assert.rejects(store.users.create(s, { ...userRecord(s, instanceId, "A"), id: newId() })); // username taken
    await assert.rejects(
      store.atomically(async (tx) => {
        await tx.users.create(s, userRecord(s, instanceId, "c"));
        assert.equal(await tx.users.count(s, instanceId), 3, "seen inside the transaction");
        throw new Error("roll back");
      }),
      /roll back/,
    );
    assert.equal(await store.users.count(s, instanceId), 2);

    assert.equal(await store.users.delete(s, instanceId, a.id), true);
    assert.equal(await store.users.delete(s, instanceId, a.id), false);
    assert.equal(await store.users.count(s, instanceId), 1);
    assert.equal(await store.users.count(s, newId()), 0, "an unknown instance has none");
  });

  test("the v5 migration counts the users already there", async () => {
    const bare = await ctx.engine.bare();
    try {
      const db = bare.driver;
      await db.migrate(MIGRATIONS.filter((m) => m.version < 5));
      const s = newScope();
      const [full, empty] = [newId(), newId()];
      // Rows as schema v4 wrote them (no user_count column yet).
      for (const id of [full, empty]) {
        const { id: _, ...doc } = instanceRecord(s, id);
        await db.run("INSERT INTO instances (account, region, id, identity_management_type, created_time, doc) VALUES (?, ?, ?, ?, ?, ?)", [
          s.account,
          s.region,
          id,
          doc.identityManagementType,
          doc.createdTime,
          JSON.stringify(doc),
        ]);
      }
      for (const name of ["u1", "u2", "u3"]) {
        const u = userRecord(s, full, name);
        await db.run(
          `INSERT INTO users (account, region, instance_id, id, username, username_key, routing_profile_id, doc, last_modified_time, last_modified_region)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          [s.account, s.region, full, u.id, u.username, u.username, u.routingProfileId, "{}", u.lastModifiedTime, u.lastModifiedRegion],
        );
      }
      const store = await SqlStore.open(db); // migrates to v5
      assert.equal(await store.users.count(s, full), 3);
      assert.equal(await store.users.count(s, empty), 0);
    } finally {
      await bare.cleanup();
    }
  });
});
