// The tags repository: tags by ARN for every taggable type, read back by the resource's own get
// (its Describe*), and refusal of ARNs that name nothing here (another account, region or
// partition, an unknown type, a missing resource, a malformed ARN).
import assert from "node:assert/strict";
import { test } from "node:test";
import { hierarchyGroupArn, instanceArn, type Scope } from "../../src/common/arn.js";
import type { Tags } from "../../src/store/records.js";
import type { Store } from "../../src/store/store.js";
import { contract } from "./engines.js";
import { groupRecord, newId, newScope, queueRecord, T0, userRecord, withInstance } from "./fixtures.js";

/** One instance with one resource of every taggable type; each ARN with how its owner reads the tags. */
async function taggables(store: Store) {
  const { s, instanceId, profiles } = await withInstance(store);
  const user = userRecord(s, instanceId, "tagged", { firstName: "Tag" });
  const queue = queueRecord(s, instanceId, "TaggedQueue");
  const group = groupRecord(s, instanceId, "TaggedGroup");
  await store.users.create(s, user);
  await store.queues.create(s, queue);
  await store.hierarchy.createGroup(s, group);
  const security = profiles.find((p) => p.kind === "security");
  const routing = profiles.find((p) => p.kind === "routing");
  assert.ok(security && routing);
  const resources: { type: string; arn: string; read(): Promise<Tags | undefined> }[] = [
    { type: "instance", arn: instanceArn(s, instanceId), read: async () => (await store.instances.get(s, instanceId))?.tags },
    { type: "agent", arn: user.arn, read: async () => (await store.users.get(s, instanceId, user.id))?.tags },
    {
      type: "security-profile",
      arn: security.arn,
      read: async () => (await store.profiles.get(s, instanceId, "security", security.id))?.tags,
    },
    { type: "routing-profile", arn: routing.arn, read: async () => (await store.profiles.get(s, instanceId, "routing", routing.id))?.tags },
    { type: "queue", arn: queue.arn, read: async () => (await store.queues.get(s, instanceId, queue.id))?.tags },
    { type: "agent-group", arn: group.arn, read: async () => (await store.hierarchy.getGroup(s, instanceId, group.id))?.tags },
  ];
  return { s, instanceId, user, resources };
}

contract("tags", (ctx) => {
  test("get and put by ARN for every taggable type; the resource reads the same tags, in order", async () => {
    const { store } = ctx;
    const { s, instanceId, user, resources } = await taggables(store);
    for (const r of resources) {
      const before = await store.tags.get(s, r.arn);
      assert.ok(before, `${r.type}: found`);
      assert.deepEqual(before, (await r.read()) ?? {}, `${r.type}: the tags its own get returns (profiles without tags: none)`);

      const tags = { zeta: r.type, alpha: "1", "aws:cloudformation:stack-name": "s" };
      assert.equal(await store.tags.put(s, r.arn, tags), true, `${r.type}: put`);
      assert.deepEqual(Object.entries((await store.tags.get(s, r.arn)) ?? {}), Object.entries(tags), `${r.type}: get, in order`);
      assert.deepEqual(Object.entries((await r.read()) ?? {}), Object.entries(tags), `${r.type}: its own get, in order`);

      assert.equal(await store.tags.put(s, r.arn, {}), true);
      assert.deepEqual(await store.tags.get(s, r.arn), {}, `${r.type}: replaced as a whole`);
      assert.deepEqual(await r.read(), {});
    }
    const got = await store.users.get(s, instanceId, user.id);
    assert.deepEqual(got?.identityInfo, { firstName: "Tag" }, "the rest of the record is untouched");
    assert.equal(got?.lastModifiedTime, T0);
    assert.deepEqual(got?.securityProfileIds, user.securityProfileIds);
  });

  test("ARNs that name nothing in the scope → undefined / false, and nothing is written", async () => {
    const { store } = ctx;
    const { s, instanceId, user, resources } = await taggables(store);
    const swap = (arn: string, field: number, value: string) => {
      const parts = arn.split(":");
      parts[field] = value;
      return parts.join(":");
    };
    const elsewhere: Scope = { account: newScope().account, region: s.region };
    const refused = [
      ...resources.flatMap((r) => [
        swap(r.arn, 4, elsewhere.account), // another account
        swap(r.arn, 3, "eu-central-1"), // another region
        swap(r.arn, 1, "aws-cn"), // another partition
        `${r.arn}/extra`,
      ]),
      `${instanceArn(s, instanceId)}/contact-flow/${newId()}`, // a type without tags here
      `${instanceArn(s, instanceId)}/agent`, // a type without an id
      `${instanceArn(s, instanceId)}/agent/${newId()}`, // no such user
      `${instanceArn(s, newId())}`, // no such instance
      `${instanceArn(s, newId())}/agent/${user.id}`, // the user, under another instance
      user.arn.replace("/agent/", "/security-profile/"), // the user's id as a profile
      (resources.find((r) => r.type === "security-profile")?.arn ?? "").replace("/security-profile/", "/routing-profile/"), // kind is part of the key
      hierarchyGroupArn(s, instanceId, newId()),
      user.arn.replace(":connect:", ":iam:"),
      "not an arn",
      "",
    ];
    for (const arn of refused) {
      assert.equal(await store.tags.get(s, arn), undefined, `get ${arn}`);
      assert.equal(await store.tags.put(s, arn, { hijacked: "yes" }), false, `put ${arn}`);
    }
    for (const r of resources) assert.ok(!("hijacked" in ((await r.read()) ?? {})), `${r.type} untouched`);
    // and from another scope, the right ARN names nothing either
    for (const r of resources) assert.equal(await store.tags.put(elsewhere, r.arn, { hijacked: "yes" }), false);
  });

  test("tags of a user and its identity written at once both land", async () => {
    const { store } = ctx;
    const { s, instanceId, user } = await taggables(store);
    await Promise.all([
      store.tags.put(s, user.arn, { team: "blue" }),
      store.users.updateIdentityInfo(s, instanceId, user.id, { firstName: "Both" }, T0 + 1),
      store.users.update(
        s,
        instanceId,
        user.id,
        { phoneConfig: { phoneType: "DESK_PHONE", autoAccept: true, afterContactWorkTimeLimit: 5 } },
        T0 + 2,
      ),
    ]);
    const got = await store.users.get(s, instanceId, user.id);
    assert.deepEqual(got?.tags, { team: "blue" });
    assert.deepEqual(got?.identityInfo, { firstName: "Both" });
    assert.equal(got?.phoneConfig.phoneType, "DESK_PHONE");
  });
});
