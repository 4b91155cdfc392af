// The exact call sequences of the Terraform AWS provider (hashicorp/terraform-provider-aws,
// internal/service/connect/*.go), replayed with the real @aws-sdk/client-connect: for each
// resource its Create, Read, Update (only the changed parts, in the provider's order), Delete and
// "disappears" checks, and the data sources' lookups — asserting every response member the
// provider reads into its state. A middleware records the operations each step sends, so the
// sequence itself is asserted too.
//
// What the provider does, step by step (its source, read for this test):
//  - aws_connect_instance: CreateInstance with a ClientToken, DescribeInstance until
//    InstanceStatus is ACTIVE, one UpdateInstanceAttribute per attribute set (GetOk: true values
//    only), Read = DescribeInstance (CreatedTime is formatted unconditionally) and one
//    DescribeInstanceAttribute per attribute, parsed with strconv.ParseBool; Delete, then
//    DescribeInstance until ResourceNotFoundException.
//  - aws_connect_user: CreateUser (tags inside it) then DescribeUser at once; Update in the order
//    UpdateUserHierarchy (no HierarchyGroupId = clear), UpdateUserIdentityInfo,
//    UpdateUserPhoneConfig (the whole config; the Go SDK sends AutoAccept and ACW even when
//    false/0), UpdateUserRoutingProfile, UpdateUserSecurityProfiles (the whole set), then
//    UntagResource and TagResource on the ARN; tags read from DescribeUser's Tags; Delete, and a
//    Read after a deletion outside Terraform gets ResourceNotFoundException.
//  - data sources: ListX paged with MaxResults 60, exactly one summary with that name, then
//    DescribeX (+ ListSecurityProfilePermissions / ListRoutingProfileQueues with MaxResults 60).
//  - aws_connect_routing_profile, aws_connect_security_profile, aws_connect_user_hierarchy_structure
//    (Delete = the update with an empty structure), aws_connect_user_hierarchy_group.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  AssociateRoutingProfileQueuesCommand,
  type ConnectClient,
  CreateInstanceCommand,
  CreateRoutingProfileCommand,
  CreateSecurityProfileCommand,
  CreateUserCommand,
  CreateUserHierarchyGroupCommand,
  DeleteInstanceCommand,
  DeleteRoutingProfileCommand,
  DeleteSecurityProfileCommand,
  DeleteUserCommand,
  DeleteUserHierarchyGroupCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstanceCommand,
  DescribeQueueCommand,
  DescribeRoutingProfileCommand,
  DescribeSecurityProfileCommand,
  DescribeUserCommand,
  DescribeUserHierarchyGroupCommand,
  DescribeUserHierarchyStructureCommand,
  DisassociateRoutingProfileQueuesCommand,
  type HierarchyGroupSummary,
  type HierarchyLevel,
  type InstanceAttributeType,
  ListQueuesCommand,
  paginateListQueues,
  paginateListRoutingProfileQueues,
  paginateListRoutingProfiles,
  paginateListSecurityProfilePermissions,
  paginateListSecurityProfiles,
  paginateListUsers,
  type RoutingProfileQueueConfigSummary,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateInstanceAttributeCommand,
  UpdateRoutingProfileConcurrencyCommand,
  UpdateRoutingProfileDefaultOutboundQueueCommand,
  UpdateRoutingProfileNameCommand,
  UpdateSecurityProfileCommand,
  UpdateUserHierarchyCommand,
  UpdateUserHierarchyGroupNameCommand,
  UpdateUserHierarchyStructureCommand,
  UpdateUserIdentityInfoCommand,
  UpdateUserPhoneConfigCommand,
  UpdateUserRoutingProfileCommand,
  UpdateUserSecurityProfilesCommand,
} from "@aws-sdk/client-connect";
import { rejectsAws } from "../helpers/assert-aws.js";
import { createInstance, type InstanceFixture, unique } from "../helpers/fixtures.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { queueRecord } from "../store-contract/fixtures.js";

const SCOPE = { account: "000000000000", region: "us-east-1" };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** the provider's page size for every listing it pages (ListXMaxResults = 60) */
const PAGE = 60;

let server: TestServer;
let c: ConnectClient;
/** the operations sent since the last take() */
let sent: string[] = [];
const take = () => {
  const out = sent;
  sent = [];
  return out;
};

before(async () => {
  server = await startTestServer();
  c = server.client();
  c.middlewareStack.add(
    (next, context) => async (args) => {
      sent.push(String(context.commandName).replace(/Command$/, ""));
      return next(args);
    },
    { step: "initialize", name: "recordOperation" },
  );
});
after(() => server.close());

/** Go's strconv.ParseBool, which the provider parses attribute values with. */
function parseBool(v: string | undefined): boolean {
  if (v !== undefined && ["1", "t", "T", "TRUE", "true", "True"].includes(v)) return true;
  if (v !== undefined && ["0", "f", "F", "FALSE", "false", "False"].includes(v)) return false;
  assert.fail(`strconv.ParseBool would fail on ${JSON.stringify(v)}`);
}

const isTime = (d: unknown) => d instanceof Date && !Number.isNaN(d.getTime());

/** A standard queue put into the server's store (Switchboard serves no CreateQueue). */
async function addQueue(inst: InstanceFixture, name: string) {
  const q = queueRecord(SCOPE, inst.id, name);
  await server.store.queues.create(SCOPE, q);
  return { id: q.id, arn: q.arn };
}

// ---------------------------------------------------------------------------------------------
// aws_connect_instance

describe("aws_connect_instance", () => {
  // InstanceAttributeMapping() (enum.go) and the schema's defaults: true for these three.
  const ATTRIBUTES: Record<string, InstanceAttributeType> = {
    auto_resolve_best_voices_enabled: "AUTO_RESOLVE_BEST_VOICES",
    contact_flow_logs_enabled: "CONTACTFLOW_LOGS",
    contact_lens_enabled: "CONTACT_LENS",
    early_media_enabled: "EARLY_MEDIA",
    inbound_calls_enabled: "INBOUND_CALLS",
    multi_party_conference_enabled: "MULTI_PARTY_CONFERENCE",
    outbound_calls_enabled: "OUTBOUND_CALLS",
  };
  const config: Record<string, boolean> = {
    auto_resolve_best_voices_enabled: true,
    contact_flow_logs_enabled: false,
    contact_lens_enabled: true,
    early_media_enabled: true,
    inbound_calls_enabled: true,
    multi_party_conference_enabled: false,
    outbound_calls_enabled: false,
  };

  async function read(id: string): Promise<Record<string, boolean>> {
    const d = (await c.send(new DescribeInstanceCommand({ InstanceId: id }))).Instance;
    assert.ok(d);
    assert.equal(d.Id, id);
    assert.match(d.Arn ?? "", new RegExp(`^arn:aws:connect:us-east-1:000000000000:instance/${id}$`));
    assert.ok(isTime(d.CreatedTime), "CreatedTime is formatted unconditionally (a nil would panic)");
    assert.equal(d.IdentityManagementType, "CONNECT_MANAGED");
    assert.equal(typeof d.InboundCallsEnabled, "boolean");
    assert.equal(typeof d.OutboundCallsEnabled, "boolean");
    assert.equal(typeof d.InstanceAlias, "string");
    assert.ok(d.ServiceRole === undefined || typeof d.ServiceRole === "string");
    assert.equal(d.InstanceStatus, "ACTIVE");
    const state: Record<string, boolean> = {};
    for (const [key, type] of Object.entries(ATTRIBUTES)) {
      const a = (await c.send(new DescribeInstanceAttributeCommand({ InstanceId: id, AttributeType: type }))).Attribute;
      assert.equal(a?.AttributeType, type);
      state[key] = parseBool(a?.Value);
    }
    assert.equal(state.inbound_calls_enabled, d.InboundCallsEnabled);
    assert.equal(state.outbound_calls_enabled, d.OutboundCallsEnabled);
    return state;
  }

  test("create (ClientToken, wait for ACTIVE, the attributes set), read, update one attribute, delete and wait", async () => {
    take();
    const input = {
      ClientToken: unique("terraform-"),
      IdentityManagementType: "CONNECT_MANAGED" as const,
      InboundCallsEnabled: config.inbound_calls_enabled,
      OutboundCallsEnabled: config.outbound_calls_enabled,
      InstanceAlias: unique("tf-inst-"),
    };
    const created = await c.send(new CreateInstanceCommand(input));
    const id = created.Id as string;
    assert.match(id, UUID);
    // waitInstanceCreated: Pending CREATION_IN_PROGRESS, Target ACTIVE
    let status: string | undefined;
    for (let i = 0; i < 10 && status !== "ACTIVE"; i++) {
      status = (await c.send(new DescribeInstanceCommand({ InstanceId: id }))).Instance?.InstanceStatus;
      assert.ok(status === "ACTIVE" || status === "CREATION_IN_PROGRESS", String(status));
    }
    assert.equal(status, "ACTIVE");
    // The SDK's retry of the same create (same ClientToken) is the same instance.
    assert.equal((await c.send(new CreateInstanceCommand(input))).Id, id);
    for (const [key, type] of Object.entries(ATTRIBUTES)) {
      if (config[key])
        await c.send(new UpdateInstanceAttributeCommand({ InstanceId: id, AttributeType: type, Value: String(config[key]) }));
    }
    assert.deepEqual(await read(id), config, "the state read back is the configuration");
    const createCalls = take();
    assert.equal(createCalls[0], "CreateInstance");
    assert.equal(createCalls.filter((n) => n === "UpdateInstanceAttribute").length, 4);
    assert.equal(createCalls.filter((n) => n === "DescribeInstanceAttribute").length, 7);

    // Update: one UpdateInstanceAttribute per changed attribute (Go's FormatBool: "true"/"false").
    await c.send(new UpdateInstanceAttributeCommand({ InstanceId: id, AttributeType: "CONTACTFLOW_LOGS", Value: "true" }));
    await c.send(new UpdateInstanceAttributeCommand({ InstanceId: id, AttributeType: "EARLY_MEDIA", Value: "false" }));
    await c.send(new UpdateInstanceAttributeCommand({ InstanceId: id, AttributeType: "OUTBOUND_CALLS", Value: "true" }));
    assert.deepEqual(await read(id), {
      ...config,
      contact_flow_logs_enabled: true,
      early_media_enabled: false,
      outbound_calls_enabled: true,
    });

    // Delete, then waitInstanceDeleted: DescribeInstance until ResourceNotFoundException.
    take();
    await c.send(new DeleteInstanceCommand({ InstanceId: id }));
    await rejectsAws(c.send(new DescribeInstanceCommand({ InstanceId: id })), "ResourceNotFoundException", 404);
    // A second delete (a retried apply) is ResourceNotFoundException, which the provider ignores.
    await rejectsAws(c.send(new DeleteInstanceCommand({ InstanceId: id })), "ResourceNotFoundException", 404);
    assert.deepEqual(take(), ["DeleteInstance", "DescribeInstance", "DeleteInstance"]);
  });
});

// ---------------------------------------------------------------------------------------------
// Data sources

/** The provider's findXSummary: every page with MaxResults 60, exactly one summary named so. */
async function single<T extends { Name?: string }>(pages: AsyncIterable<T[]>, name: string): Promise<T> {
  const found: T[] = [];
  let n = 0;
  for await (const page of pages) {
    n++;
    assert.ok(page.length <= PAGE, "a page holds at most MaxResults");
    found.push(...page.filter((s) => s.Name === name));
  }
  assert.ok(n >= 1);
  assert.equal(found.length, 1, `exactly one summary named ${name} (tfresource.AssertSingleValueResult)`);
  return found[0] as T;
}

async function* summaries<P, T>(pages: AsyncIterable<P>, key: (p: P) => T[] | undefined): AsyncIterable<T[]> {
  for await (const p of pages) yield key(p) ?? [];
}

async function permissionsOf(instanceId: string, profileId: string): Promise<string[]> {
  const out: string[] = [];
  for await (const p of paginateListSecurityProfilePermissions(
    { client: c, pageSize: PAGE },
    { InstanceId: instanceId, SecurityProfileId: profileId },
  )) {
    out.push(...(p.Permissions ?? []));
  }
  return out;
}

async function routingQueuesOf(instanceId: string, profileId: string): Promise<RoutingProfileQueueConfigSummary[]> {
  const out: RoutingProfileQueueConfigSummary[] = [];
  for await (const p of paginateListRoutingProfileQueues(
    { client: c, pageSize: PAGE },
    { InstanceId: instanceId, RoutingProfileId: profileId },
  )) {
    out.push(...(p.RoutingProfileQueueConfigSummaryList ?? []));
  }
  return out;
}

describe("data sources: aws_connect_security_profile, _routing_profile, _queue, _user by name", () => {
  let inst: InstanceFixture;

  before(async () => {
    inst = await createInstance(c);
    // More than one page of security profiles, and names that only start alike.
    for (let i = 0; i < PAGE; i++) {
      await c.send(new CreateSecurityProfileCommand({ InstanceId: inst.id, SecurityProfileName: `Filler ${String(i).padStart(2, "0")}` }));
    }
    await c.send(
      new CreateSecurityProfileCommand({
        InstanceId: inst.id,
        SecurityProfileName: "Supervisor",
        Description: "Floor supervisors",
        Permissions: ["BasicAgentAccess", "Users.View"],
        Tags: { team: "floor" },
      }),
    );
    await c.send(new CreateSecurityProfileCommand({ InstanceId: inst.id, SecurityProfileName: "Supervisor 2" }));
  });

  test("aws_connect_security_profile by name: pages, one match, DescribeSecurityProfile + ListSecurityProfilePermissions", async () => {
    take();
    const summary = await single(
      summaries(paginateListSecurityProfiles({ client: c, pageSize: PAGE }, { InstanceId: inst.id }), (p) => p.SecurityProfileSummaryList),
      "Supervisor",
    );
    const pages = take().filter((n) => n === "ListSecurityProfiles").length;
    assert.ok(pages >= 2, `the 66 profiles take ${pages} pages of 60`);
    const p = (await c.send(new DescribeSecurityProfileCommand({ InstanceId: inst.id, SecurityProfileId: summary.Id }))).SecurityProfile;
    assert.equal(p?.Id, summary.Id);
    assert.equal(p?.Arn, `${inst.arn}/security-profile/${summary.Id}`);
    assert.equal(p?.SecurityProfileName, "Supervisor");
    assert.equal(p?.Description, "Floor supervisors");
    assert.equal(p?.OrganizationResourceId, inst.id);
    assert.deepEqual(p?.Tags, { team: "floor" });
    assert.deepEqual((await permissionsOf(inst.id, summary.Id as string)).sort(), ["BasicAgentAccess", "Users.View"]);
    // The default Admin profile's permissions take more than one page of 60.
    take();
    const admin = await permissionsOf(inst.id, inst.adminProfileId);
    assert.ok(admin.length > PAGE && take().length >= 2);
    assert.equal(new Set(admin).size, admin.length, "no permission twice across pages");
  });

  test("aws_connect_routing_profile by name: one match, DescribeRoutingProfile + ListRoutingProfileQueues", async () => {
    const summary = await single(
      summaries(paginateListRoutingProfiles({ client: c, pageSize: PAGE }, { InstanceId: inst.id }), (p) => p.RoutingProfileSummaryList),
      "Basic Routing Profile",
    );
    const rp = (await c.send(new DescribeRoutingProfileCommand({ InstanceId: inst.id, RoutingProfileId: summary.Id }))).RoutingProfile;
    assert.ok(rp);
    assert.equal(rp.RoutingProfileId, summary.Id);
    assert.equal(rp.RoutingProfileArn, `${inst.arn}/routing-profile/${summary.Id}`);
    assert.equal(rp.Name, "Basic Routing Profile");
    assert.ok(rp.Description === undefined || typeof rp.Description === "string");
    assert.match(rp.DefaultOutboundQueueId ?? "", UUID);
    assert.ok((rp.MediaConcurrencies ?? []).every((m) => typeof m.Channel === "string" && typeof m.Concurrency === "number"));
    assert.deepEqual(rp.Tags, {});
    const queues = await routingQueuesOf(inst.id, summary.Id as string);
    assert.ok(queues.length > 0);
    for (const q of queues) {
      assert.equal(q.QueueId, rp.DefaultOutboundQueueId);
      assert.equal(q.QueueArn, `${inst.arn}/queue/${q.QueueId}`);
      assert.equal(q.QueueName, "BasicQueue");
      assert.equal(typeof q.Channel, "string");
      assert.equal(typeof q.Priority, "number");
      assert.equal(typeof q.Delay, "number");
    }
  });

  test('aws_connect_queue "BasicQueue": ListQueues (no type filter) then DescribeQueue', async () => {
    const summary = await single(
      summaries(paginateListQueues({ client: c, pageSize: PAGE }, { InstanceId: inst.id }), (p) => p.QueueSummaryList),
      "BasicQueue",
    );
    const q = (await c.send(new DescribeQueueCommand({ InstanceId: inst.id, QueueId: summary.Id }))).Queue;
    assert.ok(q);
    assert.equal(q.QueueId, summary.Id);
    assert.equal(q.QueueArn, `${inst.arn}/queue/${summary.Id}`);
    assert.equal(q.Name, "BasicQueue");
    assert.equal(q.Status, "ENABLED");
    assert.deepEqual(q.Tags, {});
    for (const v of [q.Description, q.HoursOfOperationId]) assert.ok(v === undefined || typeof v === "string");
    assert.ok(q.MaxContacts === undefined || typeof q.MaxContacts === "number");
    const occ = q.OutboundCallerConfig;
    assert.ok(occ === undefined || typeof occ === "object");
  });

  test("aws_connect_user by name: ListUsers pages, one match, DescribeUser", async () => {
    for (const Username of ["tf.reader", "tf.reader2"]) {
      await c.send(
        new CreateUserCommand({
          InstanceId: inst.id,
          Username,
          Password: "Passw0rd1",
          IdentityInfo: { FirstName: "Tera", LastName: "Form" },
          PhoneConfig: { PhoneType: "SOFT_PHONE" },
          SecurityProfileIds: [inst.agentProfileId],
          RoutingProfileId: inst.routingProfileId,
        }),
      );
    }
    const found: { Id?: string; Username?: string }[] = [];
    for await (const p of paginateListUsers({ client: c, pageSize: PAGE }, { InstanceId: inst.id })) {
      found.push(...(p.UserSummaryList ?? []).filter((u) => u.Username === "tf.reader"));
    }
    assert.equal(found.length, 1);
    const u = (await c.send(new DescribeUserCommand({ InstanceId: inst.id, UserId: found[0]?.Id }))).User;
    assert.equal(u?.Username, "tf.reader");
    assert.equal(u?.Arn, `${inst.arn}/agent/${found[0]?.Id}`);
  });
});

// ---------------------------------------------------------------------------------------------
// aws_connect_user

async function basicQueueId(instanceId: string): Promise<string> {
  const q = await c.send(new ListQueuesCommand({ InstanceId: instanceId, QueueTypes: ["STANDARD"] }));
  const id = q.QueueSummaryList?.find((s) => s.Name === "BasicQueue")?.Id;
  assert.ok(id);
  return id;
}

describe("aws_connect_user", () => {
  let inst: InstanceFixture;
  let leads: string;
  let sales: string;
  let site: string;
  let team: string;

  before(async () => {
    inst = await createInstance(c);
    leads = (await c.send(new CreateSecurityProfileCommand({ InstanceId: inst.id, SecurityProfileName: "Leads" })))
      .SecurityProfileId as string;
    const routing = await c.send(
      new CreateRoutingProfileCommand({
        InstanceId: inst.id,
        Name: "Sales",
        Description: "Sales",
        DefaultOutboundQueueId: await basicQueueId(inst.id),
        MediaConcurrencies: [{ Channel: "VOICE", Concurrency: 1 }],
      }),
    );
    sales = routing.RoutingProfileId as string;
    await c.send(
      new UpdateUserHierarchyStructureCommand({
        InstanceId: inst.id,
        HierarchyStructure: { LevelOne: { Name: "Site" }, LevelTwo: { Name: "Team" } },
      }),
    );
    site = (await c.send(new CreateUserHierarchyGroupCommand({ InstanceId: inst.id, Name: "London" }))).HierarchyGroupId as string;
    team = (await c.send(new CreateUserHierarchyGroupCommand({ InstanceId: inst.id, Name: "Nights", ParentGroupId: site })))
      .HierarchyGroupId as string;
  });

  /** resourceUserRead: DescribeUser, and every member it sets in the state. */
  async function read(userId: string) {
    const u = (await c.send(new DescribeUserCommand({ InstanceId: inst.id, UserId: userId }))).User;
    assert.ok(u, "a User in the output (else NewEmptyResultError)");
    assert.equal(u.Id, userId);
    assert.equal(u.Arn, `${inst.arn}/agent/${userId}`);
    assert.ok(u.PhoneConfig, "phone_config is required in the schema");
    assert.equal(typeof u.PhoneConfig.AutoAccept, "boolean");
    assert.equal(typeof u.PhoneConfig.AfterContactWorkTimeLimit, "number");
    return {
      directory_user_id: u.DirectoryUserId,
      hierarchy_group_id: u.HierarchyGroupId,
      identity_info: { email: u.IdentityInfo?.Email, first_name: u.IdentityInfo?.FirstName, last_name: u.IdentityInfo?.LastName },
      name: u.Username,
      phone_config: {
        after_contact_work_time_limit: u.PhoneConfig.AfterContactWorkTimeLimit,
        auto_accept: u.PhoneConfig.AutoAccept,
        desk_phone_number: u.PhoneConfig.DeskPhoneNumber,
        phone_type: u.PhoneConfig.PhoneType,
      },
      routing_profile_id: u.RoutingProfileId,
      security_profile_ids: [...(u.SecurityProfileIds ?? [])].sort(),
      tags: u.Tags,
    };
  }

  test("create (tags inside) then DescribeUser at once; every update step in order; tags; delete", async () => {
    take();
    const created = await c.send(
      new CreateUserCommand({
        InstanceId: inst.id,
        PhoneConfig: { PhoneType: "SOFT_PHONE", AfterContactWorkTimeLimit: 0, AutoAccept: false },
        RoutingProfileId: inst.routingProfileId,
        SecurityProfileIds: [inst.agentProfileId],
        Tags: { Name: "tf-user", env: "test" },
        Username: "tf.user",
        HierarchyGroupId: site,
        IdentityInfo: { Email: "tf.user@example.com", FirstName: "Tera", LastName: "Form" },
        Password: "Passw0rd1",
      }),
    );
    const userId = created.UserId as string;
    assert.match(userId, UUID);
    // No retry: a user just created must never be ResourceNotFoundException.
    assert.deepEqual(await read(userId), {
      directory_user_id: undefined,
      hierarchy_group_id: site,
      identity_info: { email: "tf.user@example.com", first_name: "Tera", last_name: "Form" },
      name: "tf.user",
      phone_config: { after_contact_work_time_limit: 0, auto_accept: false, desk_phone_number: undefined, phone_type: "SOFT_PHONE" },
      routing_profile_id: inst.routingProfileId,
      security_profile_ids: [inst.agentProfileId],
      tags: { Name: "tf-user", env: "test" },
    });
    assert.deepEqual(take(), ["CreateUser", "DescribeUser"]);

    // One apply changing everything: resourceUserUpdate's order, then the tags, then Read.
    const arn = created.UserArn as string;
    await c.send(new UpdateUserHierarchyCommand({ InstanceId: inst.id, UserId: userId, HierarchyGroupId: team }));
    await c.send(
      new UpdateUserIdentityInfoCommand({
        InstanceId: inst.id,
        UserId: userId,
        IdentityInfo: { Email: "tera@example.com", FirstName: "Tera", LastName: "Formed" },
      }),
    );
    await c.send(
      new UpdateUserPhoneConfigCommand({
        InstanceId: inst.id,
        UserId: userId,
        PhoneConfig: { PhoneType: "DESK_PHONE", AfterContactWorkTimeLimit: 60, AutoAccept: true, DeskPhoneNumber: "+112345678912" },
      }),
    );
    await c.send(new UpdateUserRoutingProfileCommand({ InstanceId: inst.id, UserId: userId, RoutingProfileId: sales }));
    await c.send(
      new UpdateUserSecurityProfilesCommand({ InstanceId: inst.id, UserId: userId, SecurityProfileIds: [leads, inst.agentProfileId] }),
    );
    await c.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ["env"] }));
    await c.send(new TagResourceCommand({ resourceArn: arn, tags: { Name: "tf-user-2", owner: "ops" } }));
    assert.deepEqual(await read(userId), {
      directory_user_id: undefined,
      hierarchy_group_id: team,
      identity_info: { email: "tera@example.com", first_name: "Tera", last_name: "Formed" },
      name: "tf.user",
      phone_config: { after_contact_work_time_limit: 60, auto_accept: true, desk_phone_number: "+112345678912", phone_type: "DESK_PHONE" },
      routing_profile_id: sales,
      security_profile_ids: [inst.agentProfileId, leads].sort(),
      tags: { Name: "tf-user-2", owner: "ops" },
    });
    assert.deepEqual(take(), [
      "UpdateUserHierarchy",
      "UpdateUserIdentityInfo",
      "UpdateUserPhoneConfig",
      "UpdateUserRoutingProfile",
      "UpdateUserSecurityProfiles",
      "UntagResource",
      "TagResource",
      "DescribeUser",
    ]);

    // hierarchy_group_id removed from the configuration: UpdateUserHierarchy without it clears it.
    // Back to a soft phone: the whole config again, without the desk number.
    await c.send(new UpdateUserHierarchyCommand({ InstanceId: inst.id, UserId: userId }));
    await c.send(
      new UpdateUserPhoneConfigCommand({
        InstanceId: inst.id,
        UserId: userId,
        PhoneConfig: { PhoneType: "SOFT_PHONE", AfterContactWorkTimeLimit: 60, AutoAccept: true },
      }),
    );
    const cleared = await read(userId);
    assert.equal(cleared.hierarchy_group_id, undefined);
    assert.deepEqual(cleared.phone_config, {
      after_contact_work_time_limit: 60,
      auto_accept: true,
      desk_phone_number: undefined,
      phone_type: "SOFT_PHONE",
    });

    // Delete; the next Read is ResourceNotFoundException (removed from state).
    await c.send(new DeleteUserCommand({ InstanceId: inst.id, UserId: userId }));
    await rejectsAws(c.send(new DescribeUserCommand({ InstanceId: inst.id, UserId: userId })), "ResourceNotFoundException", 404);
    // What it held can go now: the group, the routing profile, the security profile.
    await c.send(new DeleteUserHierarchyGroupCommand({ InstanceId: inst.id, HierarchyGroupId: team }));
    await c.send(new DeleteRoutingProfileCommand({ InstanceId: inst.id, RoutingProfileId: sales }));
    await c.send(new DeleteSecurityProfileCommand({ InstanceId: inst.id, SecurityProfileId: leads }));
  });

  test("disappears: deleted outside Terraform, the Read gets ResourceNotFoundException", async () => {
    const created = await c.send(
      new CreateUserCommand({
        InstanceId: inst.id,
        PhoneConfig: { PhoneType: "SOFT_PHONE", AfterContactWorkTimeLimit: 0, AutoAccept: false },
        RoutingProfileId: inst.routingProfileId,
        SecurityProfileIds: [inst.agentProfileId],
        Username: "tf.gone",
        IdentityInfo: { FirstName: "Gone", LastName: "Soon" },
        Password: "Passw0rd1",
      }),
    );
    await read(created.UserId as string);
    await c.send(new DeleteUserCommand({ InstanceId: inst.id, UserId: created.UserId }));
    await rejectsAws(c.send(new DescribeUserCommand({ InstanceId: inst.id, UserId: created.UserId })), "ResourceNotFoundException", 404);
  });
});

// ---------------------------------------------------------------------------------------------
// aws_connect_routing_profile

describe("aws_connect_routing_profile", () => {
  test("create with queue configs and tags; read; update concurrency, outbound queue, name, queues, tags; delete", async () => {
    const inst = await createInstance(c);
    const basic = await basicQueueId(inst.id);
    const second = await addQueue(inst, "Escalations");
    take();
    const created = await c.send(
      new CreateRoutingProfileCommand({
        DefaultOutboundQueueId: basic,
        Description: "tf description",
        InstanceId: inst.id,
        MediaConcurrencies: [{ Channel: "VOICE", Concurrency: 1 }],
        Name: "tf-routing",
        Tags: { Name: "tf-routing" },
        QueueConfigs: [{ Delay: 2, Priority: 1, QueueReference: { Channel: "VOICE", QueueId: basic } }],
      }),
    );
    const id = created.RoutingProfileId as string;
    const read = async () => {
      const rp = (await c.send(new DescribeRoutingProfileCommand({ InstanceId: inst.id, RoutingProfileId: id }))).RoutingProfile;
      assert.ok(rp);
      assert.equal(rp.RoutingProfileArn, created.RoutingProfileArn);
      assert.equal(rp.RoutingProfileId, id);
      const queues = await routingQueuesOf(inst.id, id);
      for (const q of queues) assert.equal(q.QueueArn, `${inst.arn}/queue/${q.QueueId}`);
      return {
        default_outbound_queue_id: rp.DefaultOutboundQueueId,
        description: rp.Description,
        media_concurrencies: (rp.MediaConcurrencies ?? []).map((m) => `${m.Channel}=${m.Concurrency}`).sort(),
        name: rp.Name,
        queue_configs: queues
          .map((q) => `${q.QueueName}/${q.QueueId === basic ? "basic" : "second"}/${q.Channel}/${q.Priority}/${q.Delay}`)
          .sort(),
        tags: rp.Tags,
      };
    };
    assert.deepEqual(await read(), {
      default_outbound_queue_id: basic,
      description: "tf description",
      media_concurrencies: ["VOICE=1"],
      name: "tf-routing",
      queue_configs: ["BasicQueue/basic/VOICE/1/2"],
      tags: { Name: "tf-routing" },
    });
    assert.deepEqual(take(), ["CreateRoutingProfile", "DescribeRoutingProfile", "ListRoutingProfileQueues"]);

    // Update: concurrency, default outbound queue, name+description, then disassociate the removed
    // queue configs before associating the added ones; then the tags.
    await c.send(
      new UpdateRoutingProfileConcurrencyCommand({
        InstanceId: inst.id,
        RoutingProfileId: id,
        MediaConcurrencies: [
          { Channel: "VOICE", Concurrency: 1 },
          { Channel: "CHAT", Concurrency: 2 },
        ],
      }),
    );
    await c.send(
      new UpdateRoutingProfileDefaultOutboundQueueCommand({ InstanceId: inst.id, RoutingProfileId: id, DefaultOutboundQueueId: second.id }),
    );
    await c.send(
      new UpdateRoutingProfileNameCommand({
        InstanceId: inst.id,
        RoutingProfileId: id,
        Name: "tf-routing-2",
        Description: "tf description 2",
      }),
    );
    await c.send(
      new DisassociateRoutingProfileQueuesCommand({
        InstanceId: inst.id,
        RoutingProfileId: id,
        QueueReferences: [{ Channel: "VOICE", QueueId: basic }],
      }),
    );
    await c.send(
      new AssociateRoutingProfileQueuesCommand({
        InstanceId: inst.id,
        RoutingProfileId: id,
        QueueConfigs: [
          { Delay: 5, Priority: 2, QueueReference: { Channel: "VOICE", QueueId: basic } },
          { Delay: 0, Priority: 1, QueueReference: { Channel: "CHAT", QueueId: second.id } },
        ],
      }),
    );
    await c.send(new TagResourceCommand({ resourceArn: created.RoutingProfileArn, tags: { Name: "tf-routing-2" } }));
    assert.deepEqual(await read(), {
      default_outbound_queue_id: second.id,
      description: "tf description 2",
      media_concurrencies: ["CHAT=2", "VOICE=1"],
      name: "tf-routing-2",
      queue_configs: ["BasicQueue/basic/VOICE/2/5", "Escalations/second/CHAT/1/0"],
      tags: { Name: "tf-routing-2" },
    });

    await c.send(new DeleteRoutingProfileCommand({ InstanceId: inst.id, RoutingProfileId: id }));
    await rejectsAws(
      c.send(new DescribeRoutingProfileCommand({ InstanceId: inst.id, RoutingProfileId: id })),
      "ResourceNotFoundException",
      404,
    );
    // The provider's delete ignores ResourceNotFoundException (already gone).
    await rejectsAws(
      c.send(new DeleteRoutingProfileCommand({ InstanceId: inst.id, RoutingProfileId: id })),
      "ResourceNotFoundException",
      404,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// aws_connect_security_profile

describe("aws_connect_security_profile", () => {
  test("create with permissions and tags; read with permissions; update description, permissions, tags; delete", async () => {
    const inst = await createInstance(c);
    take();
    const created = await c.send(
      new CreateSecurityProfileCommand({
        InstanceId: inst.id,
        SecurityProfileName: "tf-security",
        Description: "tf description",
        Permissions: ["BasicAgentAccess", "OutboundCallAccess"],
        Tags: { Name: "tf-security", env: "test" },
      }),
    );
    const id = created.SecurityProfileId as string;
    const read = async () => {
      const p = (await c.send(new DescribeSecurityProfileCommand({ InstanceId: inst.id, SecurityProfileId: id }))).SecurityProfile;
      assert.ok(p);
      assert.equal(p.Arn, created.SecurityProfileArn);
      assert.equal(p.Id, id);
      assert.equal(p.OrganizationResourceId, inst.id);
      return {
        description: p.Description,
        name: p.SecurityProfileName,
        permissions: (await permissionsOf(inst.id, id)).sort(),
        tags: p.Tags,
      };
    };
    assert.deepEqual(await read(), {
      description: "tf description",
      name: "tf-security",
      permissions: ["BasicAgentAccess", "OutboundCallAccess"],
      tags: { Name: "tf-security", env: "test" },
    });
    assert.deepEqual(take(), ["CreateSecurityProfile", "DescribeSecurityProfile", "ListSecurityProfilePermissions"]);

    await c.send(
      new UpdateSecurityProfileCommand({
        InstanceId: inst.id,
        SecurityProfileId: id,
        Description: "tf description 2",
        Permissions: ["BasicAgentAccess", "Users.View"],
      }),
    );
    await c.send(new UntagResourceCommand({ resourceArn: created.SecurityProfileArn, tagKeys: ["env"] }));
    await c.send(new TagResourceCommand({ resourceArn: created.SecurityProfileArn, tags: { Name: "tf-security-2" } }));
    assert.deepEqual(await read(), {
      description: "tf description 2",
      name: "tf-security",
      permissions: ["BasicAgentAccess", "Users.View"],
      tags: { Name: "tf-security-2" },
    });

    await c.send(new DeleteSecurityProfileCommand({ InstanceId: inst.id, SecurityProfileId: id }));
    await rejectsAws(
      c.send(new DescribeSecurityProfileCommand({ InstanceId: inst.id, SecurityProfileId: id })),
      "ResourceNotFoundException",
      404,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// aws_connect_user_hierarchy_structure and aws_connect_user_hierarchy_group

const LEVELS = ["LevelOne", "LevelTwo", "LevelThree", "LevelFour", "LevelFive"] as const;

describe("aws_connect_user_hierarchy_structure", () => {
  test("create = update with the levels; read each level's arn, id, name; rename; delete = update with an empty structure", async () => {
    const inst = await createInstance(c);
    const read = async () => {
      const s = (await c.send(new DescribeUserHierarchyStructureCommand({ InstanceId: inst.id }))).HierarchyStructure;
      assert.ok(s, "a HierarchyStructure in the output");
      const out: Record<string, string> = {};
      for (const level of LEVELS) {
        const l: HierarchyLevel | undefined = s[level];
        if (!l) continue;
        assert.match(l.Id ?? "", /.+/);
        // AWS's CLI example shows a level's ARN ending in agent-group-level/<its number>.
        assert.equal(l.Arn, `${inst.arn}/agent-group-level/${LEVELS.indexOf(level) + 1}`);
        out[level] = l.Name as string;
      }
      return out;
    };
    assert.deepEqual(await read(), {});
    await c.send(
      new UpdateUserHierarchyStructureCommand({
        InstanceId: inst.id,
        HierarchyStructure: { LevelOne: { Name: "Company" }, LevelTwo: { Name: "Division" }, LevelThree: { Name: "Team" } },
      }),
    );
    assert.deepEqual(await read(), { LevelOne: "Company", LevelTwo: "Division", LevelThree: "Team" });
    await c.send(
      new UpdateUserHierarchyStructureCommand({
        InstanceId: inst.id,
        HierarchyStructure: { LevelOne: { Name: "Company" }, LevelTwo: { Name: "Region" } },
      }),
    );
    assert.deepEqual(await read(), { LevelOne: "Company", LevelTwo: "Region" });
    await c.send(new UpdateUserHierarchyStructureCommand({ InstanceId: inst.id, HierarchyStructure: {} }));
    assert.deepEqual(await read(), {});
  });
});

describe("aws_connect_user_hierarchy_group", () => {
  test("create with parent and tags; read HierarchyPath, LevelId, tags; rename; tags; delete child then parent", async () => {
    const inst = await createInstance(c);
    await c.send(
      new UpdateUserHierarchyStructureCommand({
        InstanceId: inst.id,
        HierarchyStructure: { LevelOne: { Name: "Site" }, LevelTwo: { Name: "Team" } },
      }),
    );
    const parent = await c.send(
      new CreateUserHierarchyGroupCommand({ InstanceId: inst.id, Name: "tf-parent", Tags: { Name: "tf-parent" } }),
    );
    take();
    const child = await c.send(
      new CreateUserHierarchyGroupCommand({
        InstanceId: inst.id,
        Name: "tf-child",
        ParentGroupId: parent.HierarchyGroupId,
        Tags: { Name: "tf-child" },
      }),
    );
    const id = child.HierarchyGroupId as string;
    const summary = (s: HierarchyGroupSummary | undefined) => {
      assert.ok(s);
      assert.equal(s.Arn, `${inst.arn}/agent-group/${s.Id}`);
      return `${s.Id === id ? "child" : s.Id === parent.HierarchyGroupId ? "parent" : s.Id}:${s.Name}`;
    };
    const read = async () => {
      const g = (await c.send(new DescribeUserHierarchyGroupCommand({ InstanceId: inst.id, HierarchyGroupId: id }))).HierarchyGroup;
      assert.ok(g);
      assert.equal(g.Arn, child.HierarchyGroupArn);
      assert.equal(g.Id, id);
      const path = g.HierarchyPath ?? {};
      return {
        hierarchy_path: Object.fromEntries(LEVELS.filter((l) => path[l]).map((l) => [l, summary(path[l])])),
        level_id: g.LevelId,
        name: g.Name,
        tags: g.Tags,
      };
    };
    assert.deepEqual(await read(), {
      hierarchy_path: { LevelOne: "parent:tf-parent", LevelTwo: "child:tf-child" },
      level_id: "2",
      name: "tf-child",
      tags: { Name: "tf-child" },
    });
    assert.deepEqual(take(), ["CreateUserHierarchyGroup", "DescribeUserHierarchyGroup"]);

    await c.send(new UpdateUserHierarchyGroupNameCommand({ InstanceId: inst.id, HierarchyGroupId: id, Name: "tf-child-2" }));
    await c.send(new TagResourceCommand({ resourceArn: child.HierarchyGroupArn, tags: { Name: "tf-child-2" } }));
    assert.deepEqual(await read(), {
      hierarchy_path: { LevelOne: "parent:tf-parent", LevelTwo: "child:tf-child-2" },
      level_id: "2",
      name: "tf-child-2",
      tags: { Name: "tf-child-2" },
    });

    // Terraform destroys dependents first: the child, then the parent.
    await rejectsAws(
      c.send(new DeleteUserHierarchyGroupCommand({ InstanceId: inst.id, HierarchyGroupId: parent.HierarchyGroupId })),
      "ResourceInUseException",
      409,
    );
    await c.send(new DeleteUserHierarchyGroupCommand({ InstanceId: inst.id, HierarchyGroupId: id }));
    await c.send(new DeleteUserHierarchyGroupCommand({ InstanceId: inst.id, HierarchyGroupId: parent.HierarchyGroupId }));
    await rejectsAws(
      c.send(new DescribeUserHierarchyGroupCommand({ InstanceId: inst.id, HierarchyGroupId: id })),
      "ResourceNotFoundException",
      404,
    );
  });
});
