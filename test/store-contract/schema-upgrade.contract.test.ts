// Upgrading a database written at schema v2 to v3: the users' references move from the doc to
// their columns and membership rows, each routing profile's default outbound queue becomes a
// queue row, and the records read back exactly as they were written.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { Scope } from "../../src/common/arn.js";
import { defaultQueues, defaultProfiles as instanceDefaults } from "../../src/operations/instances/defaults.js";
import type { ProfileRecord, UserRecord } from "../../src/store/records.js";
import type { SqlDriver } from "../../src/store/sql/driver.js";
import { MIGRATIONS } from "../../src/store/sql/migrations.js";
import { SqlStore } from "../../src/store/sql/sql-store.js";
import { contract } from "./engines.js";
import { instanceRecord, newId, newScope, plain, T0, userRecord } from "./fixtures.js";

/** Writes an instance and its profiles the way schema v2 did (the doc held the whole record). */
async function v2Instance(db: SqlDriver, s: Scope, instanceId: string, profiles: ProfileRecord[]): Promise<void> {
  const { id, ...doc } = instanceRecord(s, instanceId);
  await db.run(
    "INSERT INTO instances (account, region, id, identity_management_type, alias, created_time, doc) VALUES (?, ?, ?, ?, ?, ?, ?)",
    [s.account, s.region, id, doc.identityManagementType, null, doc.createdTime, JSON.stringify(doc)],
  );
  for (const p of profiles) {
    await db.run(
      "INSERT INTO profiles (account, region, instance_id, kind, id, name, doc, last_modified_time, last_modified_region) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      [
        s.account,
        s.region,
        p.instanceId,
        p.kind,
        p.id,
        p.name,
        JSON.stringify({ arn: p.arn, attributes: p.attributes }),
        p.lastModifiedTime,
        p.lastModifiedRegion,
      ],
    );
  }
}

/** Writes a user the way schema v2 did: every reference inside the doc. */
async function v2User(db: SqlDriver, s: Scope, u: UserRecord): Promise<void> {
  const { arn, phoneConfig, directoryUserId, securityProfileIds, routingProfileId, hierarchyGroupId, tags } = u;
  const doc = { arn, phoneConfig, directoryUserId, securityProfileIds, routingProfileId, hierarchyGroupId, tags };
  const i = u.identityInfo;
  await db.run(
    `INSERT INTO users (account, region, instance_id, id, username, username_key, first_name, last_name, email, secondary_email, mobile, doc, last_modified_time, last_modified_region)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [
      s.account,
      s.region,
      u.instanceId,
      u.id,
      u.username,
      u.username.toLowerCase(),
      i.firstName ?? null,
      i.lastName ?? null,
      i.email ?? null,
      i.secondaryEmail ?? null,
      i.mobile ?? null,
      JSON.stringify(doc),
      u.lastModifiedTime,
      u.lastModifiedRegion,
    ],
  );
}

contract("schema upgrade v2 → v3", (ctx) => {
  test("users' references, memberships and the default BasicQueue are backfilled; records read back unchanged", async () => {
    const bare = await ctx.engine.bare();
    try {
      const db = bare.driver;
      await db.migrate(MIGRATIONS.slice(0, 2));
      const s = newScope();
      const instanceId = newId();
      const profiles = instanceDefaults(s, instanceId, T0 + 7);
      await v2Instance(db, s, instanceId, profiles);
      const [admin, agent] = profiles.filter((p) => p.kind === "security") as [ProfileRecord, ProfileRecord];
      const routing = profiles.find((p) => p.kind === "routing") as ProfileRecord;
      const grouped: UserRecord = {
        ...userRecord(s, instanceId, "grouped", { firstName: "Ada", email: "ada@example.com" }),
        securityProfileIds: [agent.id, admin.id],
        routingProfileId: routing.id,
        hierarchyGroupId: newId(),
        directoryUserId: "dir-1",
        tags: { zeta: "1", alpha: "2" },
      };
      const loose: UserRecord = { ...userRecord(s, instanceId, "Loose"), securityProfileIds: [agent.id], routingProfileId: routing.id };
      await v2User(db, s, grouped);
      await v2User(db, s, loose);
      const bareInstance = newId(); // an instance without profiles has no queue to make
      await v2Instance(db, s, bareInstance, []);

      const store = await SqlStore.open(db); // migrates to v3
      const versions = await db.all<{ version: number | string }>("SELECT version FROM schema_migrations ORDER BY version");
      assert.deepEqual(
        versions.map((v) => Number(v.version)),
        MIGRATIONS.map((m) => m.version),
      );

      for (const u of [grouped, loose]) assert.deepEqual(plain(await store.users.get(s, instanceId, u.id)), plain(u));
      assert.deepEqual(
        Object.keys((await store.users.get(s, instanceId, grouped.id))?.tags ?? {}),
        ["zeta", "alpha"],
        "tags keep their order",
      );
      const rows = await db.all<{ id: string; routing_profile_id: string; hierarchy_group_id: string | null; doc: string }>(
        "SELECT id, routing_profile_id, hierarchy_group_id, doc FROM users WHERE account = ? AND region = ? ORDER BY username",
        [s.account, s.region],
      );
      assert.deepEqual(
        rows.map((r) => [r.id, r.routing_profile_id, r.hierarchy_group_id]),
        [
          [loose.id, routing.id, null],
          [grouped.id, routing.id, grouped.hierarchyGroupId],
        ],
      );
      for (const r of rows) {
        const doc = JSON.parse(r.doc) as Record<string, unknown>;
        assert.deepEqual(Object.keys(doc), [
          "arn",
          "phoneConfig",
          ...(r.id === grouped.id ? ["directoryUserId"] : []),
          "securityProfileIds",
          "tags",
        ]);
      }
      const memberships = await db.all<{ user_id: string; profile_id: string }>(
        "SELECT user_id, profile_id FROM user_security_profiles WHERE account = ? AND region = ? AND instance_id = ?",
        [s.account, s.region, instanceId],
      );
      assert.equal(memberships.length, 3);
      assert.deepEqual(await store.users.listReferencing(s, instanceId, { securityProfileId: agent.id }), [loose.id, grouped.id]);
      assert.deepEqual(await store.users.listReferencing(s, instanceId, { securityProfileId: admin.id }), [grouped.id]);
      assert.equal(await store.users.countReferencing(s, instanceId, { routingProfileId: routing.id }), 2);
      assert.deepEqual(await store.users.listReferencing(s, instanceId, { hierarchyGroupId: grouped.hierarchyGroupId ?? "" }), [
        grouped.id,
      ]);

      const queue = routing.attributes.defaultOutboundQueue as { id: string; arn: string; name: string };
      assert.deepEqual(plain(await store.queues.get(s, instanceId, queue.id)), {
        id: queue.id,
        arn: queue.arn,
        instanceId,
        name: "BasicQueue",
        attributes: { description: "", status: "ENABLED", type: "STANDARD" },
        tags: {},
        lastModifiedTime: T0 + 7,
        lastModifiedRegion: s.region,
      });
      assert.deepEqual(
        plain(await store.queues.list(s, instanceId, { limit: 10 })),
        plain(defaultQueues(profiles)),
        "what CreateInstance now writes for a new instance",
      );
      assert.deepEqual(await store.queues.list(s, bareInstance, { limit: 10 }), []);
      assert.deepEqual(
        plain(await store.profiles.get(s, instanceId, "routing", routing.id)),
        plain(routing),
        "profiles read back unchanged",
      );

      // and the upgraded rows take v3 writes
      assert.equal(
        await store.users.update(s, instanceId, grouped.id, { hierarchyGroupId: null, securityProfileIds: [admin.id] }, T0 + 8),
        true,
      );
      assert.deepEqual(await store.users.listReferencing(s, instanceId, { securityProfileId: agent.id }), [loose.id]);
      assert.equal((await store.users.get(s, instanceId, grouped.id))?.hierarchyGroupId, undefined);
      assert.equal(await store.tags.put(s, loose.arn, { upgraded: "yes" }), true);
      assert.deepEqual((await store.users.get(s, instanceId, loose.id))?.tags, { upgraded: "yes" });
    } finally {
      await bare.cleanup();
    }
  });
});
