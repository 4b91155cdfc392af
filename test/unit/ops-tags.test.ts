// Rule tests for TagResource, UntagResource and ListTagsForResource on every resource Switchboard
// tags (instance, user, security profile, routing profile, queue, hierarchy group), run through
// the operation harness: the model's validation, then the invoke step, on an in-memory store —
// no HTTP. Rules: src/operations/tags/*.ts and the README's "Fidelity notes".
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, type TestContext, test } from "node:test";
import type { Scope } from "../../src/common/arn.js";
import type { ServedConnectOperation } from "../../src/operations/connect-service.js";
import type { Tags } from "../../src/store/records.js";
import { HARNESS_ACCOUNT, type OperationHarness, operationHarness } from "../helpers/operation-harness.js";
import { type Expected, INVALID_PARAMETER, lastEvent as last, NOT_FOUND, refusedChange as refusedChangeIn } from "../helpers/refusals.js";

const NOBODY = "00000000-0000-4000-8000-000000000000";
const WEST: Scope = { account: HARNESS_ACCOUNT, region: "eu-west-2" };

interface Resource {
  kind: string;
  arn: string;
  /** the resource's tags as its own Describe* (or the store's record) shows them */
  describedTags(): Promise<Tags | undefined>;
}

interface Fixture {
  h: OperationHarness;
  id: string;
  arn: string;
  resources: Resource[];
  user: { id: string; arn: string };
}

let aliasSeq = 0;

async function fixture(t: TestContext): Promise<Fixture> {
  const h = await operationHarness();
  t.after(() => h.close());
  const created = await h.run("CreateInstance", {
    IdentityManagementType: "CONNECT_MANAGED",
    InstanceAlias: `sb-tags-${++aliasSeq}`,
    InboundCallsEnabled: true,
    OutboundCallsEnabled: true,
  });
  const id = created.Id as string;
  const arn = created.Arn as string;
  const sp = await h.run("ListSecurityProfiles", { InstanceId: id });
  const agent = sp.SecurityProfileSummaryList?.find((p) => p.Name === "Agent");
  const rp = (await h.run("ListRoutingProfiles", { InstanceId: id })).RoutingProfileSummaryList?.[0];
  assert.ok(agent?.Id && rp?.Id && rp.Arn);
  const u = await h.run("CreateUser", {
    InstanceId: id,
    Username: "ada",
    Password: "Corr3ct-Horse",
    IdentityInfo: { FirstName: "Ada", LastName: "Lovelace" },
    PhoneConfig: { PhoneType: "SOFT_PHONE" },
    SecurityProfileIds: [agent.Id],
    RoutingProfileId: rp.Id,
  });
  const user = { id: u.UserId as string, arn: u.UserArn as string };
  const profile = await h.run("CreateSecurityProfile", { InstanceId: id, SecurityProfileName: "Tagged" });
  const now = h.clock.now();
  const queueId = randomUUID();
  const queueArn = `${arn}/queue/${queueId}`;
  await h.store.queues.create(h.scope, {
    id: queueId,
    arn: queueArn,
    instanceId: id,
    name: "Support",
    attributes: {},
    tags: {},
    lastModifiedTime: now,
    lastModifiedRegion: h.scope.region,
  });
  const groupId = randomUUID();
  const groupArn = `${arn}/agent-group/${groupId}`;
  await h.store.hierarchy.createGroup(h.scope, {
    id: groupId,
    arn: groupArn,
    instanceId: id,
    name: "Tier 1",
    level: 1,
    tags: {},
    lastModifiedTime: now,
    lastModifiedRegion: h.scope.region,
  });
  const resources: Resource[] = [
    { kind: "instance", arn, describedTags: async () => (await h.run("DescribeInstance", { InstanceId: id })).Instance?.Tags },
    {
      kind: "user",
      arn: user.arn,
      describedTags: async () => (await h.run("DescribeUser", { InstanceId: id, UserId: user.id })).User?.Tags,
    },
    {
      kind: "security profile",
      arn: profile.SecurityProfileArn as string,
      describedTags: async () =>
        (await h.run("DescribeSecurityProfile", { InstanceId: id, SecurityProfileId: profile.SecurityProfileId as string })).SecurityProfile
          ?.Tags,
    },
    {
      kind: "routing profile",
      arn: rp.Arn,
      describedTags: async () => (await h.store.profiles.get(h.scope, id, "routing", rp.Id as string))?.tags,
    },
    { kind: "queue", arn: queueArn, describedTags: async () => (await h.store.queues.get(h.scope, id, queueId))?.tags },
    { kind: "hierarchy group", arn: groupArn, describedTags: async () => (await h.store.hierarchy.getGroup(h.scope, id, groupId))?.tags },
  ];
  return { h, id, arn, resources, user };
}

const listTags = async (f: Fixture, arn: string) => (await f.h.run("ListTagsForResource", { resourceArn: arn })).tags;

/** Every resource's tags, read through ListTagsForResource (what "nothing changed" is checked on). */
const allTags = (f: Fixture) => Promise.all(f.resources.map((r) => listTags(f, r.arn)));

const refusedChange = (f: Fixture, name: ServedConnectOperation, input: unknown, want: Expected) =>
  refusedChangeIn(f.h, () => allTags(f), name, input, want);

const otherAccountArn = (arn: string) => arn.replace(`:${HARNESS_ACCOUNT}:`, ":111122223333:");
const otherRegionArn = (arn: string) => arn.replace(":us-east-1:", ":eu-west-2:");
const otherPartitionArn = (arn: string) => arn.replace("arn:aws:", "arn:aws-cn:");

describe("TagResource / UntagResource / ListTagsForResource on every taggable resource", () => {
  test("tag, overwrite, untag: ListTagsForResource and the resource's own tags agree", async (t) => {
    const f = await fixture(t);
    for (const r of f.resources) {
      assert.deepEqual(await listTags(f, r.arn), {}, `${r.kind} starts untagged`);
      await f.h.run("TagResource", { resourceArn: r.arn, tags: { team: "red", floor: "2" } });
      await f.h.run("TagResource", { resourceArn: r.arn, tags: { team: "blue", cost: "" } });
      const expected = { team: "blue", floor: "2", cost: "" };
      assert.deepEqual(await listTags(f, r.arn), expected, `${r.kind}: merged, an existing key takes the new value`);
      assert.deepEqual(await r.describedTags(), expected, `${r.kind}: its Describe* shows the same tags`);
      await f.h.run("UntagResource", { resourceArn: r.arn, tagKeys: ["floor", "never-there"] });
      assert.deepEqual(await listTags(f, r.arn), { team: "blue", cost: "" }, `${r.kind}: untagged; an absent key is ignored`);
      assert.deepEqual(await r.describedTags(), { team: "blue", cost: "" });
    }
  });

  test("the events: TagResource / UntagResource audited with their request; a user's tags name the user; ListTags is not audited", async (t) => {
    const f = await fixture(t);
    let before = (await f.h.auditEvents()).length;
    await f.h.run("TagResource", { resourceArn: f.user.arn, tags: { role: "admin" } });
    let events = await f.h.auditEvents();
    assert.equal(events.length, before + 1);
    let e = last(events);
    assert.equal(e.eventName, "TagResource");
    assert.equal(e.errorCode, undefined);
    assert.equal(e.targetUserId, f.user.id);
    assert.equal(e.record.readOnly, false);
    assert.deepEqual(e.record.requestParameters, { resourceArn: f.user.arn, tags: { role: "admin" } });

    await f.h.run("UntagResource", { resourceArn: f.user.arn, tagKeys: ["role"] });
    e = last(await f.h.auditEvents());
    assert.equal(e.eventName, "UntagResource");
    assert.equal(e.targetUserId, f.user.id);
    assert.deepEqual(e.record.requestParameters, { resourceArn: f.user.arn, tagKeys: ["role"] });

    await f.h.run("TagResource", { resourceArn: f.arn, tags: { env: "test" } });
    assert.equal(last(await f.h.auditEvents()).targetUserId, undefined, "not a user: no target user");

    before = (await f.h.auditEvents()).length;
    await listTags(f, f.arn);
    events = await f.h.auditEvents();
    assert.equal(events.length, before, "a read is not audited");
  });

  test("at most 50 tags in total after the merge (InvalidParameterException); exactly 50 is fine", async (t) => {
    const f = await fixture(t);
    const [, user] = f.resources;
    assert.ok(user);
    const tags = (from: number, n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${from + i}`, "v"]));
    await f.h.run("TagResource", { resourceArn: user.arn, tags: tags(0, 30) });
    await refusedChange(
      f,
      "TagResource",
      { resourceArn: user.arn, tags: tags(30, 21) },
      INVALID_PARAMETER(/at most 50 tags; this request would leave it 51/),
    );
    // Overwriting existing keys does not count twice.
    await f.h.run("TagResource", { resourceArn: user.arn, tags: { ...tags(0, 30), ...tags(30, 20) } });
    assert.equal(Object.keys((await listTags(f, user.arn)) ?? {}).length, 50);
    await refusedChange(f, "TagResource", { resourceArn: user.arn, tags: { one: "more" } }, INVALID_PARAMETER(/'tags'/));
    await f.h.run("TagResource", { resourceArn: user.arn, tags: { k0: "changed" } });
  });

  test("the model's limits: 1..50 tags per call, key 1..128, value 0..256; 1..50 keys to remove", async (t) => {
    const f = await fixture(t);
    const arn = f.user.arn;
    await refusedChange(f, "TagResource", { resourceArn: arn, tags: {} }, INVALID_PARAMETER(/'tags'/));
    await refusedChange(f, "TagResource", { resourceArn: arn, tags: { ["k".repeat(129)]: "v" } }, INVALID_PARAMETER(/tags/));
    await refusedChange(f, "TagResource", { resourceArn: arn, tags: { k: "v".repeat(257) } }, INVALID_PARAMETER(/tags/));
    const fiftyOne = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, "v"]));
    await refusedChange(f, "TagResource", { resourceArn: arn, tags: fiftyOne }, INVALID_PARAMETER(/'tags'/));
    await f.h.run("TagResource", { resourceArn: arn, tags: { ["k".repeat(128)]: "v".repeat(256) } });
    await refusedChange(f, "UntagResource", { resourceArn: arn, tagKeys: [] }, INVALID_PARAMETER(/'tagKeys'/));
    await refusedChange(f, "UntagResource", { resourceArn: arn, tagKeys: ["k".repeat(129)] }, INVALID_PARAMETER(/tagKeys/));
  });

  test("aws: is reserved on both sides, in any case", async (t) => {
    const f = await fixture(t);
    const arn = f.user.arn;
    await f.h.run("TagResource", { resourceArn: arn, tags: { keep: "me" } });
    for (const key of ["aws:team", "AWS:team", "Aws:team"]) {
      await refusedChange(f, "TagResource", { resourceArn: arn, tags: { ok: "1", [key]: "x" } }, INVALID_PARAMETER(/tags/));
      await refusedChange(f, "UntagResource", { resourceArn: arn, tagKeys: ["keep", key] }, INVALID_PARAMETER(/tagKeys/));
    }
    // A prefix elsewhere in the key is an ordinary key.
    await f.h.run("TagResource", { resourceArn: arn, tags: { "team:aws:x": "ok" } });
    assert.deepEqual(await listTags(f, arn), { keep: "me", "team:aws:x": "ok" });
  });

  test("an ARN of another account, region or partition, a missing resource or an untracked type: ResourceNotFoundException", async (t) => {
    const f = await fixture(t);
    const missing = [
      ...f.resources.flatMap((r) => [otherAccountArn(r.arn), otherRegionArn(r.arn), otherPartitionArn(r.arn)]),
      `arn:aws:connect:us-east-1:${HARNESS_ACCOUNT}:instance/${NOBODY}`,
      `${f.arn}/agent/${NOBODY}`,
      `${f.arn}/security-profile/${NOBODY}`,
      `${f.arn}/routing-profile/${NOBODY}`,
      `${f.arn}/queue/${NOBODY}`,
      `${f.arn}/agent-group/${NOBODY}`,
      `${f.arn}/contact-flow/${NOBODY}`,
      `${f.arn}/agent-group-level/1`,
      `${f.arn}/queue/agent/${f.user.id}`,
      // The user's id under the wrong type names nothing.
      `${f.arn}/routing-profile/${f.user.id}`,
      // Connect resources outside instances, which Switchboard does not hold.
      `arn:aws:connect:us-east-1:${HARNESS_ACCOUNT}:phone-number/${NOBODY}`,
    ];
    for (const arn of missing) {
      await refusedChange(f, "TagResource", { resourceArn: arn, tags: { a: "b" } }, NOT_FOUND(/Resource not found/));
      await refusedChange(f, "UntagResource", { resourceArn: arn, tagKeys: ["a"] }, NOT_FOUND(/Resource not found/));
      const err = await f.h.failure("ListTagsForResource", { resourceArn: arn });
      assert.equal(err.code, "ResourceNotFoundException", arn);
    }
  });

  test("what is not an Amazon Connect ARN at all: InvalidParameterException naming resourceArn", async (t) => {
    const f = await fixture(t);
    for (const arn of [f.user.id, "not-an-arn", `arn:aws:iam::${HARNESS_ACCOUNT}:user/ada`, "arn:aws:connect"]) {
      await refusedChange(f, "TagResource", { resourceArn: arn, tags: { a: "b" } }, INVALID_PARAMETER(/'resourceArn'/));
      const err = await f.h.failure("ListTagsForResource", { resourceArn: arn });
      assert.equal(err.code, "InvalidParameterException");
    }
  });

  test("a resource of another region's instance is tagged from that region only", async (t) => {
    const f = await fixture(t);
    const west = await f.h.run(
      "CreateInstance",
      {
        IdentityManagementType: "CONNECT_MANAGED",
        InstanceAlias: `sb-tags-w${++aliasSeq}`,
        InboundCallsEnabled: true,
        OutboundCallsEnabled: true,
      },
      { scope: WEST },
    );
    const arn = west.Arn as string;
    await refusedChange(f, "TagResource", { resourceArn: arn, tags: { a: "b" } }, NOT_FOUND());
    await f.h.run("TagResource", { resourceArn: arn, tags: { a: "b" } }, { scope: WEST });
    assert.deepEqual((await f.h.run("ListTagsForResource", { resourceArn: arn }, { scope: WEST })).tags, { a: "b" });
  });

  test("tags given at creation are listed (CreateUser, CreateSecurityProfile, CreateInstance)", async (t) => {
    const f = await fixture(t);
    const sp = await f.h.run("CreateSecurityProfile", { InstanceId: f.id, SecurityProfileName: "WithTags", Tags: { team: "red" } });
    assert.deepEqual(await listTags(f, sp.SecurityProfileArn as string), { team: "red" });
    const inst = await f.h.run("CreateInstance", {
      IdentityManagementType: "CONNECT_MANAGED",
      InstanceAlias: `sb-tags-c${++aliasSeq}`,
      InboundCallsEnabled: true,
      OutboundCallsEnabled: true,
      Tags: { env: "prod" },
    });
    assert.deepEqual(await listTags(f, inst.Arn as string), { env: "prod" });
  });
});
