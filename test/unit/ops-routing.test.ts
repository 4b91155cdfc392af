// Rule tests for the routing-profile and queue operations (DescribeRoutingProfile,
// ListRoutingProfileQueues, CreateRoutingProfile, DeleteRoutingProfile, UpdateRoutingProfileName /
// Concurrency / DefaultOutboundQueue, Associate/DisassociateRoutingProfileQueues, ListQueues,
// DescribeQueue) and the BasicQueue every instance has, run through the operation harness: the
// model's validation, then the invoke step, on an in-memory store — no HTTP. Rules:
// src/operations/routing-profiles/*.ts, src/operations/queues/*.ts, src/operations/instances/defaults.ts.
import assert from "node:assert/strict";
import { describe, type TestContext, test } from "node:test";
import type { Scope } from "../../src/common/arn.js";
import type { ServiceError } from "../../src/common/errors.js";
import type { CreateRoutingProfileRequest, MediaConcurrency, RoutingProfileQueueConfig } from "../../src/model/types.gen.js";
import { CONNECT_OPERATIONS, type ServedConnectOperation } from "../../src/operations/connect-service.js";
import { queueDetails } from "../../src/operations/queues/queue-record.js";
import { routingDetails } from "../../src/operations/routing-profiles/details.js";
import type { AuditEventRecord, ProfileRecord, QueueRecord, UserRecord } from "../../src/store/records.js";
import {
  HARNESS_ACCOUNT,
  HARNESS_SCOPE,
  type HarnessOptions,
  type OperationHarness,
  operationHarness,
} from "../helpers/operation-harness.js";
import { queueRecord } from "../store-contract/fixtures.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const NOBODY = "00000000-0000-4000-8000-000000000000";
const WEST: Scope = { account: HARNESS_ACCOUNT, region: "eu-west-2" };
const VOICE_CHAT: MediaConcurrency[] = [
  { Channel: "VOICE", Concurrency: 1 },
  { Channel: "CHAT", Concurrency: 3 },
];

// ---------------------------------------------------------------------------------------------
// Fixtures

interface Ref {
  id: string;
  arn: string;
}

interface Fixture {
  h: OperationHarness;
  id: string;
  arn: string;
  basicQueue: Ref;
  defaultProfile: Ref;
  agentProfileId: string;
}

let aliasSeq = 0;

async function addInstance(h: OperationHarness, scope: Scope = HARNESS_SCOPE): Promise<Omit<Fixture, "h">> {
  const opts = { scope };
  const created = await h.run(
    "CreateInstance",
    {
      IdentityManagementType: "CONNECT_MANAGED",
      InstanceAlias: `sb-rt-${++aliasSeq}`,
      InboundCallsEnabled: true,
      OutboundCallsEnabled: true,
    },
    opts,
  );
  const id = created.Id as string;
  const queues = await h.run("ListQueues", { InstanceId: id }, opts);
  const routing = await h.run("ListRoutingProfiles", { InstanceId: id }, opts);
  const security = await h.run("ListSecurityProfiles", { InstanceId: id }, opts);
  const q = queues.QueueSummaryList?.[0];
  const r = routing.RoutingProfileSummaryList?.[0];
  const agent = security.SecurityProfileSummaryList?.find((p) => p.Name === "Agent");
  assert.ok(q?.Id && q.Arn && r?.Id && r.Arn && agent?.Id);
  return {
    id,
    arn: created.Arn as string,
    basicQueue: { id: q.Id, arn: q.Arn },
    defaultProfile: { id: r.Id, arn: r.Arn },
    agentProfileId: agent.Id,
  };
}

async function fixture(t: TestContext, options: HarnessOptions = {}): Promise<Fixture> {
  const h = await operationHarness(options);
  t.after(() => h.close());
  return { h, ...(await addInstance(h)) };
}

/** A standard queue put straight into the store (Switchboard serves no CreateQueue). */
async function addQueue(f: Fixture, name: string, instanceId = f.id): Promise<Ref> {
  const q = queueRecord(f.h.scope, instanceId, name);
  await f.h.store.queues.create(f.h.scope, q);
  return { id: q.id, arn: q.arn };
}

function profileInput(f: Fixture, over: Partial<CreateRoutingProfileRequest> = {}): CreateRoutingProfileRequest {
  return {
    InstanceId: f.id,
    Name: "Support",
    Description: "Support agents",
    DefaultOutboundQueueId: f.basicQueue.id,
    MediaConcurrencies: VOICE_CHAT,
    ...over,
  };
}

async function createProfile(f: Fixture, over: Partial<CreateRoutingProfileRequest> = {}): Promise<Ref> {
  const out = await f.h.run("CreateRoutingProfile", profileInput(f, over));
  assert.ok(out.RoutingProfileId && out.RoutingProfileArn);
  return { id: out.RoutingProfileId, arn: out.RoutingProfileArn };
}

const config = (queueId: string, channel: RoutingProfileQueueConfig["QueueReference"]["Channel"], priority = 1, delay = 0) => ({
  QueueReference: { QueueId: queueId, Channel: channel },
  Priority: priority,
  Delay: delay,
});

async function createUser(f: Fixture, routingProfileId: string, username = `u${++aliasSeq}`): Promise<UserRecord> {
  const out = await f.h.run("CreateUser", {
    InstanceId: f.id,
    Username: username,
    Password: "Corr3ct-Horse",
    IdentityInfo: { FirstName: "Ada", LastName: "Lovelace" },
    PhoneConfig: { PhoneType: "SOFT_PHONE" },
    SecurityProfileIds: [f.agentProfileId],
    RoutingProfileId: routingProfileId,
  });
  const user = await f.h.store.users.get(f.h.scope, f.id, out.UserId as string);
  assert.ok(user);
  return user;
}

const describeProfile = async (f: Fixture, id: string) => {
  const out = await f.h.run("DescribeRoutingProfile", { InstanceId: f.id, RoutingProfileId: id });
  assert.ok(out.RoutingProfile);
  return out.RoutingProfile;
};

/** Every page of ListRoutingProfileQueues, as "name/channel/priority/delay". */
async function profileQueues(f: Fixture, id: string, pageSize?: number): Promise<string[]> {
  const out: string[] = [];
  let token: string | undefined;
  do {
    const page = await f.h.run("ListRoutingProfileQueues", {
      InstanceId: f.id,
      RoutingProfileId: id,
      ...(pageSize ? { MaxResults: pageSize } : {}),
      ...(token ? { NextToken: token } : {}),
    });
    for (const s of page.RoutingProfileQueueConfigSummaryList ?? []) out.push(`${s.QueueName}/${s.Channel}/${s.Priority}/${s.Delay}`);
    token = page.NextToken;
  } while (token !== undefined && out.length < 10_000);
  return out;
}

/** What "nothing changed" is checked on: the instance's routing profiles, queues and users as stored. */
async function stateOf(f: Fixture): Promise<{ profiles: ProfileRecord[]; queues: QueueRecord[]; users: UserRecord[] }> {
  const page = { limit: 10_000 };
  return {
    profiles: await f.h.store.profiles.list(f.h.scope, f.id, "routing", page),
    queues: await f.h.store.queues.list(f.h.scope, f.id, page),
    users: await f.h.store.users.list(f.h.scope, f.id, page),
  };
}

function last(events: AuditEventRecord[]): AuditEventRecord {
  const e = events.at(-1);
  assert.ok(e, "the audit trail is not empty");
  return e;
}

interface Expected {
  code: string;
  status: number;
  names?: RegExp;
}

const INVALID_PARAMETER = (names?: RegExp): Expected => ({ code: "InvalidParameterException", status: 400, ...(names ? { names } : {}) });
const INVALID_REQUEST = (names?: RegExp): Expected => ({ code: "InvalidRequestException", status: 400, ...(names ? { names } : {}) });
const NOT_FOUND = (names?: RegExp): Expected => ({ code: "ResourceNotFoundException", status: 404, ...(names ? { names } : {}) });
const DUPLICATE = (names?: RegExp): Expected => ({ code: "DuplicateResourceException", status: 409, ...(names ? { names } : {}) });

/** A refused change: the expected error, nothing stored changed, one new event — the refusal. */
async function refusedChange(f: Fixture, name: ServedConnectOperation, input: unknown, expected: Expected): Promise<ServiceError> {
  const before = await stateOf(f);
  const eventsBefore = await f.h.auditEvents();
  const err = await f.h.failure(name, input);
  assert.equal(err.code, expected.code, err.message);
  assert.equal(err.status, expected.status);
  if (expected.names) assert.match(err.message, expected.names);
  assert.deepEqual(await stateOf(f), before, "a refused change changes nothing");
  const events = await f.h.auditEvents();
  assert.equal(events.length, eventsBefore.length + 1, "exactly one new event: the refusal");
  const e = last(events);
  assert.equal(e.eventName, name);
  assert.equal(e.errorCode, expected.code);
  assert.equal(e.record.readOnly, false);
  assert.equal(e.record.errorMessage, err.message);
  assert.equal(e.record.responseElements, null);
  return err;
}

/** A refused read: the expected error, not audited. */
async function refusedRead(
  f: Fixture,
  name: ServedConnectOperation,
  input: unknown,
  expected: Expected,
  scope?: Scope,
): Promise<ServiceError> {
  const before = (await f.h.auditEvents()).length;
  const err = await f.h.failure(name, input, scope ? { scope } : {});
  assert.equal(err.code, expected.code, err.message);
  assert.equal(err.status, expected.status);
  if (expected.names) assert.match(err.message, expected.names);
  assert.equal((await f.h.auditEvents()).length, before, "a refused read is not audited");
  return err;
}

/** The one event a successful change adds. */
async function changeEvent<T>(
  f: Fixture,
  name: ServedConnectOperation,
  run: () => Promise<T>,
): Promise<{ out: T; event: AuditEventRecord }> {
  const before = (await f.h.auditEvents()).length;
  const out = await run();
  const events = await f.h.auditEvents();
  assert.equal(events.length, before + 1, "one event for one change");
  const event = last(events);
  assert.equal(event.eventName, name);
  assert.equal(event.errorCode, undefined);
  assert.equal(event.record.readOnly, false);
  assert.equal(event.eventTime, f.h.clock.now());
  return { out, event };
}

/** Labels that name nothing here: another account's, region's or partition's ARN, another type's. */
function foreignArns(arn: string, otherType: string): string[] {
  return [
    arn.replace(`:${HARNESS_ACCOUNT}:`, ":111122223333:"),
    arn.replace(":us-east-1:", ":eu-west-2:"),
    arn.replace("arn:aws:", "arn:aws-cn:"),
    arn.replace(/\/(queue|routing-profile)\//, `/${otherType}/`),
  ];
}

// ---------------------------------------------------------------------------------------------
// What a new instance has

describe("a new instance: BasicQueue and the Basic Routing Profile", () => {
  test("ListQueues lists BasicQueue, STANDARD, with an ARN inside the instance and the instance's creation time", async (t) => {
    const h = await operationHarness();
    t.after(() => h.close());
    h.clock.advance(7_000);
    const created = h.clock.now();
    const f = { h, ...(await addInstance(h)) };
    h.clock.advance(60_000);
    const { QueueSummaryList, NextToken } = await h.run("ListQueues", { InstanceId: f.id });
    assert.equal(NextToken, undefined);
    assert.equal(QueueSummaryList?.length, 1);
    const q = QueueSummaryList?.[0];
    assert.match(q?.Id ?? "", UUID);
    assert.equal(q?.Arn, `${f.arn}/queue/${q?.Id}`);
    assert.equal(q?.Name, "BasicQueue");
    assert.equal(q?.QueueType, "STANDARD");
    assert.equal(q?.LastModifiedTime?.getTime(), created);
    assert.equal(q?.LastModifiedRegion, "us-east-1");
  });

  test("DescribeQueue BasicQueue: name, ids, ENABLED, no tags; no description, hours, caller id or contact limit", async (t) => {
    const f = await fixture(t);
    const { Queue } = await f.h.run("DescribeQueue", { InstanceId: f.id, QueueId: f.basicQueue.id });
    assert.deepEqual(Object.fromEntries(Object.entries(Queue ?? {}).filter(([, v]) => v !== undefined)), {
      Name: "BasicQueue",
      QueueArn: f.basicQueue.arn,
      QueueId: f.basicQueue.id,
      Status: "ENABLED",
      Tags: {},
      LastModifiedTime: new Date(f.h.clock.now()),
      LastModifiedRegion: "us-east-1",
    });
  });

  test("DescribeRoutingProfile of the default: IsDefault, BasicQueue as default outbound queue, 2 chats, no users yet", async (t) => {
    const f = await fixture(t);
    const p = await describeProfile(f, f.defaultProfile.id);
    assert.equal(p.Name, "Basic Routing Profile");
    assert.equal(p.RoutingProfileId, f.defaultProfile.id);
    assert.equal(p.RoutingProfileArn, f.defaultProfile.arn);
    assert.equal(p.InstanceId, f.id);
    assert.equal(p.IsDefault, true);
    assert.equal(p.DefaultOutboundQueueId, f.basicQueue.id);
    assert.deepEqual(p.MediaConcurrencies, [
      { Channel: "VOICE", Concurrency: 1 },
      { Channel: "CHAT", Concurrency: 2 },
      { Channel: "TASK", Concurrency: 1 },
    ]);
    assert.equal(p.NumberOfAssociatedQueues, 1);
    assert.equal(p.NumberOfAssociatedUsers, 0);
    assert.deepEqual(p.Tags, {});
    assert.equal(p.Description, undefined);
    assert.equal(p.AssociatedQueueIds, undefined, "DescribeRoutingProfile does not populate AssociatedQueueIds (AWS's page)");
    assert.equal(p.LastModifiedTime?.getTime(), f.h.clock.now());
    assert.equal(p.LastModifiedRegion, "us-east-1");
  });

  test("the default profile routes from BasicQueue on VOICE, CHAT and TASK at priority 1, delay 0", async (t) => {
    const f = await fixture(t);
    const page = await f.h.run("ListRoutingProfileQueues", { InstanceId: f.id, RoutingProfileId: f.defaultProfile.id });
    assert.equal(page.NextToken, undefined);
    assert.equal(page.LastModifiedTime?.getTime(), f.h.clock.now());
    assert.equal(page.LastModifiedRegion, "us-east-1");
    assert.deepEqual(page.RoutingProfileQueueConfigSummaryList, [
      ...["CHAT", "TASK", "VOICE"].map((Channel) => ({
        QueueId: f.basicQueue.id,
        QueueArn: f.basicQueue.arn,
        QueueName: "BasicQueue",
        Priority: 1,
        Delay: 0,
        Channel,
      })),
    ]);
  });

  test("each instance has a BasicQueue of its own, in its region", async (t) => {
    const f = await fixture(t);
    const other = await addInstance(f.h);
    const west = await addInstance(f.h, WEST);
    assert.notEqual(other.basicQueue.id, f.basicQueue.id);
    assert.ok(other.basicQueue.arn.startsWith(`${other.arn}/queue/`));
    assert.ok(west.basicQueue.arn.startsWith(`arn:aws:connect:eu-west-2:${HARNESS_ACCOUNT}:instance/${west.id}/queue/`));
    const p = await f.h.run("DescribeRoutingProfile", { InstanceId: west.id, RoutingProfileId: west.defaultProfile.id }, { scope: WEST });
    assert.equal(p.RoutingProfile?.DefaultOutboundQueueId, west.basicQueue.id);
    assert.equal(p.RoutingProfile?.LastModifiedRegion, "eu-west-2");
  });

  test("DeleteInstance takes the queues with it", async (t) => {
    const f = await fixture(t);
    await f.h.run("DeleteInstance", { InstanceId: f.id });
    assert.equal(await f.h.store.queues.get(f.h.scope, f.id, f.basicQueue.id), undefined);
  });

  test("NumberOfAssociatedUsers follows CreateUser and DeleteUser", async (t) => {
    const f = await fixture(t);
    const a = await createUser(f, f.defaultProfile.id);
    await createUser(f, f.defaultProfile.arn);
    assert.equal((await describeProfile(f, f.defaultProfile.id)).NumberOfAssociatedUsers, 2);
    await f.h.run("DeleteUser", { InstanceId: f.id, UserId: a.id });
    assert.equal((await describeProfile(f, f.defaultProfile.id)).NumberOfAssociatedUsers, 1);
  });
});

describe("records written before queues were kept (the store's migration adds the BasicQueue row)", () => {
  const legacy: ProfileRecord = {
    id: "rp-1",
    arn: "arn:aws:connect:us-east-1:000000000000:instance/i-1/routing-profile/rp-1",
    instanceId: "i-1",
    kind: "routing",
    name: "Basic Routing Profile",
    // what src/operations/instances/defaults.ts wrote before
    attributes: {
      isDefault: true,
      mediaConcurrencies: [{ Channel: "VOICE", Concurrency: 1 }],
      defaultOutboundQueue: { id: "q-1", arn: "arn:aws:connect:us-east-1:000000000000:instance/i-1/queue/q-1", name: "BasicQueue" },
    },
    lastModifiedTime: 0,
    lastModifiedRegion: "us-east-1",
  };

  test("the old default profile reads with BasicQueue as its outbound queue and on VOICE, CHAT and TASK", () => {
    const d = routingDetails(legacy);
    assert.equal(d.defaultOutboundQueue.id, "q-1");
    assert.equal(d.isDefault, true);
    assert.deepEqual(
      d.queueConfigs.map((c) => `${c.queueId}/${c.channel}/${c.priority}/${c.delay}`),
      ["q-1/VOICE/1/0", "q-1/CHAT/1/0", "q-1/TASK/1/0"],
    );
  });

  test("once written again, the stored associations are what counts (an emptied list stays empty)", () => {
    const d = routingDetails({ ...legacy, attributes: { ...legacy.attributes, queueConfigs: [] } });
    assert.deepEqual(d.queueConfigs, []);
  });

  test('the migrated BasicQueue row (description "") reads as ENABLED, STANDARD, without a description', () => {
    const row: QueueRecord = {
      ...queueRecord(HARNESS_SCOPE, "i-1", "BasicQueue"),
      attributes: { description: "", status: "ENABLED", type: "STANDARD" },
    };
    assert.deepEqual(queueDetails(row), { status: "ENABLED", type: "STANDARD" });
  });
});

// ---------------------------------------------------------------------------------------------
// DescribeRoutingProfile / DescribeQueue: which resource

describe("DescribeRoutingProfile / DescribeQueue: ids, ARNs, foreign labels", () => {
  test("ARNs are accepted for InstanceId, RoutingProfileId and QueueId", async (t) => {
    const f = await fixture(t);
    const byArn = await f.h.run("DescribeRoutingProfile", { InstanceId: f.arn, RoutingProfileId: f.defaultProfile.arn });
    assert.equal(byArn.RoutingProfile?.RoutingProfileId, f.defaultProfile.id);
    const q = await f.h.run("DescribeQueue", { InstanceId: f.arn, QueueId: f.basicQueue.arn });
    assert.equal(q.Queue?.QueueId, f.basicQueue.id);
  });

  test("unknown ids → ResourceNotFoundException naming the label; reads are not audited", async (t) => {
    const f = await fixture(t);
    await refusedRead(
      f,
      "DescribeRoutingProfile",
      { InstanceId: f.id, RoutingProfileId: NOBODY },
      NOT_FOUND(/Routing profile not found: 0000/),
    );
    await refusedRead(f, "DescribeQueue", { InstanceId: f.id, QueueId: NOBODY }, NOT_FOUND(/Queue not found: 0000/));
    await refusedRead(f, "DescribeQueue", { InstanceId: NOBODY, QueueId: f.basicQueue.id }, NOT_FOUND(/Instance not found/));
    await refusedRead(
      f,
      "ListRoutingProfileQueues",
      { InstanceId: f.id, RoutingProfileId: NOBODY },
      NOT_FOUND(/Routing profile not found/),
    );
  });

  test("ARNs of another account, region, partition, type or instance name nothing", async (t) => {
    const f = await fixture(t);
    const other = await addInstance(f.h);
    for (const RoutingProfileId of [...foreignArns(f.defaultProfile.arn, "queue"), other.defaultProfile.arn, other.defaultProfile.id]) {
      await refusedRead(f, "DescribeRoutingProfile", { InstanceId: f.id, RoutingProfileId }, NOT_FOUND(/Routing profile not found/));
    }
    for (const QueueId of [...foreignArns(f.basicQueue.arn, "routing-profile"), other.basicQueue.arn, other.basicQueue.id]) {
      await refusedRead(f, "DescribeQueue", { InstanceId: f.id, QueueId }, NOT_FOUND(/Queue not found/));
    }
  });

  test("a queue of another region is not visible", async (t) => {
    const f = await fixture(t);
    await refusedRead(f, "DescribeQueue", { InstanceId: f.id, QueueId: f.basicQueue.id }, NOT_FOUND(), WEST);
  });
});

// ---------------------------------------------------------------------------------------------
// CreateRoutingProfile

describe("CreateRoutingProfile: what is created", () => {
  test("DescribeRoutingProfile and ListRoutingProfileQueues read back every member", async (t) => {
    const f = await fixture(t);
    const sales = await addQueue(f, "Sales");
    f.h.clock.advance(30_000);
    const created = await createProfile(f, {
      MediaConcurrencies: [
        { Channel: "VOICE", Concurrency: 1, CrossChannelBehavior: { BehaviorType: "ROUTE_ANY_CHANNEL" } },
        { Channel: "CHAT", Concurrency: 10 },
        { Channel: "TASK", Concurrency: 10 },
        { Channel: "EMAIL", Concurrency: 10 },
      ],
      QueueConfigs: [config(sales.id, "VOICE", 2, 30), config(f.basicQueue.id, "CHAT", 1, 0), config(sales.id, "EMAIL", 5, 9999)],
      Tags: { team: "support" },
      AgentAvailabilityTimer: "TIME_SINCE_LAST_INBOUND",
    });
    assert.match(created.id, UUID);
    assert.equal(created.arn, `${f.arn}/routing-profile/${created.id}`);
    const p = await describeProfile(f, created.id);
    assert.deepEqual(p, {
      InstanceId: f.id,
      Name: "Support",
      RoutingProfileArn: created.arn,
      RoutingProfileId: created.id,
      Description: "Support agents",
      MediaConcurrencies: [
        { Channel: "VOICE", Concurrency: 1, CrossChannelBehavior: { BehaviorType: "ROUTE_ANY_CHANNEL" } },
        { Channel: "CHAT", Concurrency: 10 },
        { Channel: "TASK", Concurrency: 10 },
        { Channel: "EMAIL", Concurrency: 10 },
      ],
      DefaultOutboundQueueId: f.basicQueue.id,
      Tags: { team: "support" },
      NumberOfAssociatedQueues: 2,
      NumberOfAssociatedUsers: 0,
      AgentAvailabilityTimer: "TIME_SINCE_LAST_INBOUND",
      LastModifiedTime: new Date(f.h.clock.now()),
      LastModifiedRegion: "us-east-1",
      IsDefault: false,
    });
    assert.deepEqual(await profileQueues(f, created.id), ["BasicQueue/CHAT/1/0", "Sales/EMAIL/5/9999", "Sales/VOICE/2/30"]);
    const listed = await f.h.run("ListRoutingProfiles", { InstanceId: f.id });
    assert.deepEqual(
      listed.RoutingProfileSummaryList?.map((s) => s.Name),
      ["Basic Routing Profile", "Support"],
    );
  });

  test("without QueueConfigs, Tags or AgentAvailabilityTimer: no queues, empty tags, no timer", async (t) => {
    const f = await fixture(t);
    const created = await createProfile(f);
    const p = await describeProfile(f, created.id);
    assert.equal(p.NumberOfAssociatedQueues, 0);
    assert.deepEqual(p.Tags, {});
    assert.equal(p.AgentAvailabilityTimer, undefined);
    assert.deepEqual(await profileQueues(f, created.id), []);
  });

  test("ARNs are accepted for InstanceId, DefaultOutboundQueueId and the queues of QueueConfigs; stored as ids", async (t) => {
    const f = await fixture(t);
    const created = await createProfile(f, {
      InstanceId: f.arn,
      DefaultOutboundQueueId: f.basicQueue.arn,
      QueueConfigs: [config(f.basicQueue.arn, "VOICE")],
    });
    const p = await describeProfile(f, created.id);
    assert.equal(p.DefaultOutboundQueueId, f.basicQueue.id);
    const page = await f.h.run("ListRoutingProfileQueues", { InstanceId: f.id, RoutingProfileId: created.id });
    assert.equal(page.RoutingProfileQueueConfigSummaryList?.[0]?.QueueId, f.basicQueue.id);
  });

  test("the new profile can be given to users, and counts them", async (t) => {
    const f = await fixture(t);
    const created = await createProfile(f);
    await createUser(f, created.arn);
    assert.equal((await describeProfile(f, created.id)).NumberOfAssociatedUsers, 1);
    assert.equal((await describeProfile(f, f.defaultProfile.id)).NumberOfAssociatedUsers, 0);
  });

  test("the success event: eventName, readOnly false, the request in lower camel case, the new ids", async (t) => {
    const f = await fixture(t);
    const { out, event } = await changeEvent(f, "CreateRoutingProfile", () =>
      f.h.run("CreateRoutingProfile", profileInput(f, { QueueConfigs: [config(f.basicQueue.id, "VOICE")], Tags: { k: "v" } })),
    );
    assert.equal(event.targetUserId, undefined);
    assert.deepEqual(event.record.requestParameters, {
      instanceId: f.id,
      name: "Support",
      description: "Support agents",
      defaultOutboundQueueId: f.basicQueue.id,
      queueConfigs: [{ queueReference: { queueId: f.basicQueue.id, channel: "VOICE" }, priority: 1, delay: 0 }],
      mediaConcurrencies: [
        { channel: "VOICE", concurrency: 1 },
        { channel: "CHAT", concurrency: 3 },
      ],
      tags: { k: "v" },
    });
    assert.deepEqual(event.record.responseElements, { routingProfileId: out.RoutingProfileId, routingProfileArn: out.RoutingProfileArn });
  });
});

describe("CreateRoutingProfile: rules", () => {
  test("a name taken in the instance → DuplicateResourceException; the same name in another instance is fine", async (t) => {
    const f = await fixture(t);
    await createProfile(f);
    await refusedChange(f, "CreateRoutingProfile", profileInput(f), DUPLICATE(/Support/));
    await refusedChange(f, "CreateRoutingProfile", profileInput(f, { Name: "Basic Routing Profile" }), DUPLICATE(/Basic Routing Profile/));
    const other = await addInstance(f.h);
    await f.h.run("CreateRoutingProfile", { ...profileInput(f), InstanceId: other.id, DefaultOutboundQueueId: other.basicQueue.id });
  });

  test("the routing profiles quota → LimitExceededException (429); the default profile counts", async (t) => {
    const f = await fixture(t, { quotas: { routingProfilesPerInstance: 2 } });
    await createProfile(f, { Name: "One" });
    const err = await refusedChange(f, "CreateRoutingProfile", profileInput(f, { Name: "Two" }), {
      code: "LimitExceededException",
      status: 429,
      names: /maximum of 2 routing profiles/,
    });
    assert.match(err.message, new RegExp(f.id));
  });

  test("an unknown or foreign DefaultOutboundQueueId → ResourceNotFoundException naming it", async (t) => {
    const f = await fixture(t);
    const other = await addInstance(f.h);
    for (const label of [NOBODY, other.basicQueue.id, other.basicQueue.arn, ...foreignArns(f.basicQueue.arn, "routing-profile")]) {
      await refusedChange(f, "CreateRoutingProfile", profileInput(f, { DefaultOutboundQueueId: label }), NOT_FOUND(/Queue not found/));
    }
  });

  test("an unknown queue in QueueConfigs → ResourceNotFoundException", async (t) => {
    const f = await fixture(t);
    await refusedChange(
      f,
      "CreateRoutingProfile",
      profileInput(f, { QueueConfigs: [config(f.basicQueue.id, "VOICE"), config(NOBODY, "CHAT")] }),
      NOT_FOUND(new RegExp(`Queue not found: ${NOBODY}`)),
    );
  });

  test("VOICE concurrency above 1 → InvalidParameterException naming mediaConcurrencies.N.member.concurrency", async (t) => {
    const f = await fixture(t);
    await refusedChange(
      f,
      "CreateRoutingProfile",
      profileInput(f, {
        MediaConcurrencies: [
          { Channel: "CHAT", Concurrency: 2 },
          { Channel: "VOICE", Concurrency: 2 },
        ],
      }),
      INVALID_PARAMETER(/Value '2' at 'mediaConcurrencies\.2\.member\.concurrency'.*less than or equal to 1/),
    );
  });

  test("CHAT, TASK and EMAIL take 1..10 (the model's range)", async (t) => {
    const f = await fixture(t);
    for (const Channel of ["CHAT", "TASK", "EMAIL"] as const) {
      for (const Concurrency of [0, 11]) {
        await refusedChange(
          f,
          "CreateRoutingProfile",
          profileInput(f, { MediaConcurrencies: [{ Channel, Concurrency }] }),
          INVALID_PARAMETER(/mediaConcurrencies\.1\.member\.concurrency/),
        );
      }
    }
  });

  test("no channel, or a channel twice → InvalidParameterException", async (t) => {
    const f = await fixture(t);
    await refusedChange(f, "CreateRoutingProfile", profileInput(f, { MediaConcurrencies: [] }), INVALID_PARAMETER(/'mediaConcurrencies'/));
    await refusedChange(
      f,
      "CreateRoutingProfile",
      profileInput(f, {
        MediaConcurrencies: [
          { Channel: "CHAT", Concurrency: 2 },
          { Channel: "CHAT", Concurrency: 3 },
        ],
      }),
      INVALID_PARAMETER(/Value 'CHAT' at 'mediaConcurrencies\.2\.member\.channel'/),
    );
  });

  test("a queue and channel pair twice in QueueConfigs (by id and by ARN) → InvalidParameterException", async (t) => {
    const f = await fixture(t);
    await refusedChange(
      f,
      "CreateRoutingProfile",
      profileInput(f, { QueueConfigs: [config(f.basicQueue.id, "VOICE"), config(f.basicQueue.arn, "VOICE", 2)] }),
      INVALID_PARAMETER(/'queueConfigs\.2\.member\.queueReference'/),
    );
  });

  test("a queue on a channel the profile does not handle → InvalidRequestException naming the channel", async (t) => {
    const f = await fixture(t);
    await refusedChange(
      f,
      "CreateRoutingProfile",
      profileInput(f, { QueueConfigs: [config(f.basicQueue.id, "VOICE"), config(f.basicQueue.id, "TASK")] }),
      INVALID_REQUEST(/Value 'TASK' at 'queueConfigs\.2\.member\.queueReference\.channel'/),
    );
  });

  test("the model's limits: Name 1..127, Description 1..250, 1..10 QueueConfigs, Priority 1..99, Delay 0..9999, required members", async (t) => {
    const f = await fixture(t);
    const queues = await Promise.all(Array.from({ length: 11 }, (_, i) => addQueue(f, `Q${i}`)));
    const cases: [Partial<CreateRoutingProfileRequest> | Record<string, unknown>, RegExp][] = [
      [{ Name: "x".repeat(128) }, /'name'/],
      [{ Name: "" }, /'name'/],
      [{ Description: "x".repeat(251) }, /'description'/],
      [{ QueueConfigs: [] }, /'queueConfigs'/],
      [{ QueueConfigs: queues.map((q) => config(q.id, "VOICE")) }, /'queueConfigs'/],
      [{ QueueConfigs: [config(f.basicQueue.id, "VOICE", 0)] }, /queueConfigs\.1\.member\.priority/],
      [{ QueueConfigs: [config(f.basicQueue.id, "VOICE", 100)] }, /queueConfigs\.1\.member\.priority/],
      [{ QueueConfigs: [config(f.basicQueue.id, "VOICE", 1, 10_000)] }, /queueConfigs\.1\.member\.delay/],
      [{ Description: undefined }, /'description'/],
      [{ DefaultOutboundQueueId: undefined }, /'defaultOutboundQueueId'/],
      [{ MediaConcurrencies: undefined }, /'mediaConcurrencies'/],
      [{ Tags: { "aws:team": "x" } }, /tags/],
    ];
    for (const [over, names] of cases) {
      await refusedChange(f, "CreateRoutingProfile", { ...profileInput(f), ...over }, INVALID_PARAMETER(names));
    }
  });

  test("an unknown instance → ResourceNotFoundException", async (t) => {
    const f = await fixture(t);
    await refusedChange(f, "CreateRoutingProfile", profileInput(f, { InstanceId: NOBODY }), NOT_FOUND(/Instance not found/));
  });
});

// ---------------------------------------------------------------------------------------------
// DeleteRoutingProfile

describe("DeleteRoutingProfile", () => {
  test("deletes the profile (by ARN too); Describe and List no longer find it; the event", async (t) => {
    const f = await fixture(t);
    const a = await createProfile(f, { Name: "A" });
    const b = await createProfile(f, { Name: "B" });
    const { event } = await changeEvent(f, "DeleteRoutingProfile", () =>
      f.h.run("DeleteRoutingProfile", { InstanceId: f.id, RoutingProfileId: a.id }),
    );
    assert.deepEqual(event.record.requestParameters, { instanceId: f.id, routingProfileId: a.id });
    await f.h.run("DeleteRoutingProfile", { InstanceId: f.arn, RoutingProfileId: b.arn });
    await refusedRead(f, "DescribeRoutingProfile", { InstanceId: f.id, RoutingProfileId: a.id }, NOT_FOUND());
    const listed = await f.h.run("ListRoutingProfiles", { InstanceId: f.id });
    assert.deepEqual(
      listed.RoutingProfileSummaryList?.map((p) => p.Name),
      ["Basic Routing Profile"],
    );
    await refusedChange(f, "DeleteRoutingProfile", { InstanceId: f.id, RoutingProfileId: a.id }, NOT_FOUND(/Routing profile not found/));
  });

  test("a profile users still have → ResourceInUseException (409); once they are gone it can be deleted", async (t) => {
    const f = await fixture(t);
    const p = await createProfile(f);
    const user = await createUser(f, p.id);
    await refusedChange(
      f,
      "DeleteRoutingProfile",
      { InstanceId: f.id, RoutingProfileId: p.id },
      {
        code: "ResourceInUseException",
        status: 409,
        names: /assigned to 1 user/,
      },
    );
    await f.h.run("DeleteUser", { InstanceId: f.id, UserId: user.id });
    await f.h.run("DeleteRoutingProfile", { InstanceId: f.id, RoutingProfileId: p.id });
  });

  test("the instance's default profile → InvalidRequestException, even with no users", async (t) => {
    const f = await fixture(t);
    await refusedChange(
      f,
      "DeleteRoutingProfile",
      { InstanceId: f.id, RoutingProfileId: f.defaultProfile.id },
      INVALID_REQUEST(/default routing profile/),
    );
  });

  test("unknown, foreign or other-instance labels → ResourceNotFoundException", async (t) => {
    const f = await fixture(t);
    const other = await addInstance(f.h);
    for (const RoutingProfileId of [NOBODY, other.defaultProfile.id, ...foreignArns(f.defaultProfile.arn, "queue")]) {
      await refusedChange(f, "DeleteRoutingProfile", { InstanceId: f.id, RoutingProfileId }, NOT_FOUND());
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Updates

describe("UpdateRoutingProfileName", () => {
  test("Name alone keeps the description; Description alone keeps the name; LastModifiedTime moves", async (t) => {
    const f = await fixture(t);
    const p = await createProfile(f);
    f.h.clock.advance(1_000);
    const { event } = await changeEvent(f, "UpdateRoutingProfileName", () =>
      f.h.run("UpdateRoutingProfileName", { InstanceId: f.id, RoutingProfileId: p.id, Name: "Support tier 2" }),
    );
    assert.deepEqual(event.record.requestParameters, { instanceId: f.id, routingProfileId: p.id, name: "Support tier 2" });
    let d = await describeProfile(f, p.id);
    assert.equal(d.Name, "Support tier 2");
    assert.equal(d.Description, "Support agents");
    assert.equal(d.LastModifiedTime?.getTime(), f.h.clock.now());
    await f.h.run("UpdateRoutingProfileName", { InstanceId: f.arn, RoutingProfileId: p.arn, Description: "Second line" });
    d = await describeProfile(f, p.id);
    assert.equal(d.Name, "Support tier 2");
    assert.equal(d.Description, "Second line");
  });

  test("both together (as Terraform sends them); the profile's own name again is no conflict", async (t) => {
    const f = await fixture(t);
    const p = await createProfile(f);
    await f.h.run("UpdateRoutingProfileName", { InstanceId: f.id, RoutingProfileId: p.id, Name: "Support", Description: "Changed" });
    assert.equal((await describeProfile(f, p.id)).Description, "Changed");
    await f.h.run("UpdateRoutingProfileName", { InstanceId: f.id, RoutingProfileId: f.defaultProfile.id, Name: "Basic" });
    assert.equal((await describeProfile(f, f.defaultProfile.id)).Name, "Basic");
  });

  test("neither Name nor Description → InvalidParameterException; a taken name → DuplicateResourceException", async (t) => {
    const f = await fixture(t);
    const p = await createProfile(f);
    await refusedChange(f, "UpdateRoutingProfileName", { InstanceId: f.id, RoutingProfileId: p.id }, INVALID_PARAMETER(/'name'/));
    await refusedChange(
      f,
      "UpdateRoutingProfileName",
      { InstanceId: f.id, RoutingProfileId: p.id, Name: "Basic Routing Profile", Description: "x" },
      DUPLICATE(/Basic Routing Profile/),
    );
    await refusedChange(
      f,
      "UpdateRoutingProfileName",
      { InstanceId: f.id, RoutingProfileId: p.id, Name: "x".repeat(128) },
      INVALID_PARAMETER(/'name'/),
    );
    await refusedChange(f, "UpdateRoutingProfileName", { InstanceId: f.id, RoutingProfileId: NOBODY, Name: "x" }, NOT_FOUND());
  });
});

describe("UpdateRoutingProfileConcurrency", () => {
  test("the list replaces the channels; associated queues stay; the event", async (t) => {
    const f = await fixture(t);
    const p = await createProfile(f, { QueueConfigs: [config(f.basicQueue.id, "CHAT")] });
    f.h.clock.advance(1_000);
    const MediaConcurrencies: MediaConcurrency[] = [
      { Channel: "TASK", Concurrency: 4 },
      { Channel: "VOICE", Concurrency: 1 },
    ];
    const { event } = await changeEvent(f, "UpdateRoutingProfileConcurrency", () =>
      f.h.run("UpdateRoutingProfileConcurrency", { InstanceId: f.id, RoutingProfileId: p.arn, MediaConcurrencies }),
    );
    assert.deepEqual(event.record.requestParameters, {
      instanceId: f.id,
      routingProfileId: p.arn,
      mediaConcurrencies: [
        { channel: "TASK", concurrency: 4 },
        { channel: "VOICE", concurrency: 1 },
      ],
    });
    const d = await describeProfile(f, p.id);
    assert.deepEqual(d.MediaConcurrencies, MediaConcurrencies);
    assert.equal(d.LastModifiedTime?.getTime(), f.h.clock.now());
    assert.deepEqual(await profileQueues(f, p.id), ["BasicQueue/CHAT/1/0"]);
  });

  test("the same rules as CreateRoutingProfile: VOICE 1, each channel once, at least one", async (t) => {
    const f = await fixture(t);
    const p = await createProfile(f);
    const cases: [MediaConcurrency[], RegExp][] = [
      [[{ Channel: "VOICE", Concurrency: 2 }], /mediaConcurrencies\.1\.member\.concurrency/],
      [
        [
          { Channel: "TASK", Concurrency: 2 },
          { Channel: "TASK", Concurrency: 2 },
        ],
        /mediaConcurrencies\.2\.member\.channel/,
      ],
      [[], /'mediaConcurrencies'/],
      [[{ Channel: "CHAT", Concurrency: 11 }], /mediaConcurrencies\.1\.member\.concurrency/],
    ];
    for (const [MediaConcurrencies, names] of cases) {
      await refusedChange(
        f,
        "UpdateRoutingProfileConcurrency",
        { InstanceId: f.id, RoutingProfileId: p.id, MediaConcurrencies },
        INVALID_PARAMETER(names),
      );
    }
    await refusedChange(
      f,
      "UpdateRoutingProfileConcurrency",
      { InstanceId: f.id, RoutingProfileId: NOBODY, MediaConcurrencies: VOICE_CHAT },
      NOT_FOUND(),
    );
  });
});

describe("UpdateRoutingProfileDefaultOutboundQueue", () => {
  test("sets the queue (by id or ARN), stored as its id", async (t) => {
    const f = await fixture(t);
    const sales = await addQueue(f, "Sales");
    const p = await createProfile(f);
    const { event } = await changeEvent(f, "UpdateRoutingProfileDefaultOutboundQueue", () =>
      f.h.run("UpdateRoutingProfileDefaultOutboundQueue", { InstanceId: f.id, RoutingProfileId: p.id, DefaultOutboundQueueId: sales.arn }),
    );
    assert.deepEqual(event.record.requestParameters, { instanceId: f.id, routingProfileId: p.id, defaultOutboundQueueId: sales.arn });
    assert.equal((await describeProfile(f, p.id)).DefaultOutboundQueueId, sales.id);
    await f.h.run("UpdateRoutingProfileDefaultOutboundQueue", {
      InstanceId: f.id,
      RoutingProfileId: f.defaultProfile.id,
      DefaultOutboundQueueId: sales.id,
    });
    assert.equal((await describeProfile(f, f.defaultProfile.id)).DefaultOutboundQueueId, sales.id);
  });

  test("an unknown or foreign queue, or an unknown profile → ResourceNotFoundException", async (t) => {
    const f = await fixture(t);
    const other = await addInstance(f.h);
    const p = await createProfile(f);
    for (const DefaultOutboundQueueId of [NOBODY, other.basicQueue.arn, ...foreignArns(f.basicQueue.arn, "routing-profile")]) {
      await refusedChange(
        f,
        "UpdateRoutingProfileDefaultOutboundQueue",
        { InstanceId: f.id, RoutingProfileId: p.id, DefaultOutboundQueueId },
        NOT_FOUND(/Queue not found/),
      );
    }
    await refusedChange(
      f,
      "UpdateRoutingProfileDefaultOutboundQueue",
      { InstanceId: f.id, RoutingProfileId: NOBODY, DefaultOutboundQueueId: f.basicQueue.id },
      NOT_FOUND(/Routing profile not found/),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Associate / Disassociate

describe("AssociateRoutingProfileQueues / DisassociateRoutingProfileQueues", () => {
  test("associate adds pairs, disassociate removes exactly the pairs named (ids or ARNs); the events", async (t) => {
    const f = await fixture(t);
    const sales = await addQueue(f, "Sales");
    const p = await createProfile(f, { QueueConfigs: [config(f.basicQueue.id, "VOICE")] });
    const { event } = await changeEvent(f, "AssociateRoutingProfileQueues", () =>
      f.h.run("AssociateRoutingProfileQueues", {
        InstanceId: f.id,
        RoutingProfileId: p.id,
        QueueConfigs: [config(sales.arn, "VOICE", 3, 15), config(sales.id, "CHAT", 2), config(f.basicQueue.id, "CHAT", 9)],
      }),
    );
    assert.deepEqual(event.record.requestParameters, {
      instanceId: f.id,
      routingProfileId: p.id,
      queueConfigs: [
        { queueReference: { queueId: sales.arn, channel: "VOICE" }, priority: 3, delay: 15 },
        { queueReference: { queueId: sales.id, channel: "CHAT" }, priority: 2, delay: 0 },
        { queueReference: { queueId: f.basicQueue.id, channel: "CHAT" }, priority: 9, delay: 0 },
      ],
    });
    assert.deepEqual(await profileQueues(f, p.id), ["BasicQueue/CHAT/9/0", "BasicQueue/VOICE/1/0", "Sales/CHAT/2/0", "Sales/VOICE/3/15"]);
    assert.equal((await describeProfile(f, p.id)).NumberOfAssociatedQueues, 2);

    await changeEvent(f, "DisassociateRoutingProfileQueues", () =>
      f.h.run("DisassociateRoutingProfileQueues", {
        InstanceId: f.arn,
        RoutingProfileId: p.arn,
        QueueReferences: [
          { QueueId: sales.arn, Channel: "VOICE" },
          { QueueId: f.basicQueue.id, Channel: "CHAT" },
        ],
      }),
    );
    assert.deepEqual(await profileQueues(f, p.id), ["BasicQueue/VOICE/1/0", "Sales/CHAT/2/0"]);
    // a pair removed can be associated again, with other settings
    await f.h.run("AssociateRoutingProfileQueues", {
      InstanceId: f.id,
      RoutingProfileId: p.id,
      QueueConfigs: [config(sales.id, "VOICE", 7, 7)],
    });
    assert.deepEqual(await profileQueues(f, p.id), ["BasicQueue/VOICE/1/0", "Sales/CHAT/2/0", "Sales/VOICE/7/7"]);
  });

  test("the default profile's BasicQueue associations can be removed and restored", async (t) => {
    const f = await fixture(t);
    const refs = (["VOICE", "CHAT", "TASK"] as const).map((Channel) => ({ QueueId: f.basicQueue.id, Channel }));
    await f.h.run("DisassociateRoutingProfileQueues", { InstanceId: f.id, RoutingProfileId: f.defaultProfile.id, QueueReferences: refs });
    assert.deepEqual(await profileQueues(f, f.defaultProfile.id), []);
    assert.equal((await describeProfile(f, f.defaultProfile.id)).NumberOfAssociatedQueues, 0);
    await f.h.run("AssociateRoutingProfileQueues", {
      InstanceId: f.id,
      RoutingProfileId: f.defaultProfile.id,
      QueueConfigs: refs.map((r) => config(r.QueueId, r.Channel)),
    });
    assert.equal((await profileQueues(f, f.defaultProfile.id)).length, 3);
  });

  test("associate: a pair already associated, or a channel the profile does not handle → InvalidRequestException", async (t) => {
    const f = await fixture(t);
    const p = await createProfile(f, { QueueConfigs: [config(f.basicQueue.id, "VOICE")] });
    await refusedChange(
      f,
      "AssociateRoutingProfileQueues",
      { InstanceId: f.id, RoutingProfileId: p.id, QueueConfigs: [config(f.basicQueue.arn, "VOICE", 5)] },
      INVALID_REQUEST(/already associated/),
    );
    await refusedChange(
      f,
      "AssociateRoutingProfileQueues",
      { InstanceId: f.id, RoutingProfileId: p.id, QueueConfigs: [config(f.basicQueue.id, "EMAIL")] },
      INVALID_REQUEST(/Value 'EMAIL' at 'queueConfigs\.1\.member\.queueReference\.channel'/),
    );
  });

  test("associate: a pair twice in the request → InvalidParameterException; an unknown or foreign queue → ResourceNotFoundException", async (t) => {
    const f = await fixture(t);
    const other = await addInstance(f.h);
    const p = await createProfile(f);
    await refusedChange(
      f,
      "AssociateRoutingProfileQueues",
      { InstanceId: f.id, RoutingProfileId: p.id, QueueConfigs: [config(f.basicQueue.id, "CHAT"), config(f.basicQueue.arn, "CHAT")] },
      INVALID_PARAMETER(/queueConfigs\.2\.member\.queueReference/),
    );
    for (const queue of [NOBODY, other.basicQueue.id, other.basicQueue.arn, ...foreignArns(f.basicQueue.arn, "routing-profile")]) {
      await refusedChange(
        f,
        "AssociateRoutingProfileQueues",
        { InstanceId: f.id, RoutingProfileId: p.id, QueueConfigs: [config(f.basicQueue.id, "VOICE"), config(queue, "CHAT")] },
        NOT_FOUND(/Queue not found/),
      );
    }
    await refusedChange(
      f,
      "AssociateRoutingProfileQueues",
      { InstanceId: f.id, RoutingProfileId: NOBODY, QueueConfigs: [config(f.basicQueue.id, "VOICE")] },
      NOT_FOUND(/Routing profile not found/),
    );
    await refusedChange(
      f,
      "AssociateRoutingProfileQueues",
      { InstanceId: f.id, RoutingProfileId: p.id, QueueConfigs: [] },
      INVALID_PARAMETER(/'queueConfigs'/),
    );
  });

  test("a routing profile holds at most 50 queues (InvalidRequestException past that)", async (t) => {
    const f = await fixture(t);
    const queues: Ref[] = [];
    for (let i = 0; i < 50; i++) queues.push(await addQueue(f, `Q${String(i).padStart(2, "0")}`));
    const p = await createProfile(f, { QueueConfigs: [config(f.basicQueue.id, "VOICE")] });
    for (let i = 0; i < 49; i += 10) {
      await f.h.run("AssociateRoutingProfileQueues", {
        InstanceId: f.id,
        RoutingProfileId: p.id,
        QueueConfigs: queues.slice(i, Math.min(i + 10, 49)).map((q) => config(q.id, "VOICE")),
      });
    }
    assert.equal((await describeProfile(f, p.id)).NumberOfAssociatedQueues, 50);
    // another channel of a queue already there is no new queue
    await f.h.run("AssociateRoutingProfileQueues", {
      InstanceId: f.id,
      RoutingProfileId: p.id,
      QueueConfigs: [config(f.basicQueue.id, "CHAT")],
    });
    const last = queues[49];
    assert.ok(last);
    await refusedChange(
      f,
      "AssociateRoutingProfileQueues",
      { InstanceId: f.id, RoutingProfileId: p.id, QueueConfigs: [config(last.id, "VOICE")] },
      INVALID_REQUEST(/at most 50 queues/),
    );
  });

  test("disassociate: a pair not associated → InvalidRequestException; twice in the request, none or more than 10 → InvalidParameterException", async (t) => {
    const f = await fixture(t);
    const p = await createProfile(f, { QueueConfigs: [config(f.basicQueue.id, "VOICE")] });
    const ref = (Channel: "VOICE" | "CHAT", QueueId = f.basicQueue.id) => ({ QueueId, Channel });
    const input = (QueueReferences: unknown[]) => ({ InstanceId: f.id, RoutingProfileId: p.id, QueueReferences });
    await refusedChange(
      f,
      "DisassociateRoutingProfileQueues",
      input([ref("VOICE"), ref("CHAT")]),
      INVALID_REQUEST(/queueReferences\.2\.member.*not associated/),
    );
    await refusedChange(f, "DisassociateRoutingProfileQueues", input([ref("VOICE", NOBODY)]), INVALID_REQUEST(/not associated/));
    await refusedChange(
      f,
      "DisassociateRoutingProfileQueues",
      input([ref("VOICE"), ref("VOICE", f.basicQueue.arn)]),
      INVALID_PARAMETER(/queueReferences\.2\.member/),
    );
    await refusedChange(
      f,
      "DisassociateRoutingProfileQueues",
      input([]),
      INVALID_PARAMETER(/'queueReferences'.*greater than or equal to 1/),
    );
    await refusedChange(
      f,
      "DisassociateRoutingProfileQueues",
      input(Array.from({ length: 11 }, () => ref("VOICE"))),
      INVALID_PARAMETER(/'queueReferences'.*less than or equal to 10/),
    );
    await refusedChange(
      f,
      "DisassociateRoutingProfileQueues",
      { InstanceId: f.id, RoutingProfileId: NOBODY, QueueReferences: [ref("VOICE")] },
      NOT_FOUND(/Routing profile not found/),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Listings

describe("ListRoutingProfileQueues: pagination", () => {
  test("pages of MaxResults, in queue name then channel order, each pair once", async (t) => {
    const f = await fixture(t);
    const names = ["Delta", "alpha", "Charlie", "Bravo"];
    const queues = [];
    for (const n of names) queues.push({ name: n, ...(await addQueue(f, n)) });
    const p = await createProfile(f, {
      QueueConfigs: queues.flatMap((q) => [config(q.id, "CHAT"), config(q.id, "VOICE")]),
    });
    const all = await profileQueues(f, p.id);
    assert.deepEqual(all, [
      "Bravo/CHAT/1/0",
      "Bravo/VOICE/1/0",
      "Charlie/CHAT/1/0",
      "Charlie/VOICE/1/0",
      "Delta/CHAT/1/0",
      "Delta/VOICE/1/0",
      "alpha/CHAT/1/0",
      "alpha/VOICE/1/0",
    ]);
    assert.deepEqual(await profileQueues(f, p.id, 3), all);
    const first = await f.h.run("ListRoutingProfileQueues", { InstanceId: f.id, RoutingProfileId: p.id, MaxResults: 8 });
    assert.equal(first.NextToken, undefined, "a page that ends at the last pair has no NextToken");
  });

  test("a token is bound to its profile; forged tokens and MaxResults outside 1..100 → InvalidParameterException", async (t) => {
    const f = await fixture(t);
    const p = await createProfile(f, { QueueConfigs: [config(f.basicQueue.id, "VOICE"), config(f.basicQueue.id, "CHAT")] });
    const first = await f.h.run("ListRoutingProfileQueues", { InstanceId: f.id, RoutingProfileId: p.id, MaxResults: 1 });
    assert.ok(first.NextToken);
    await refusedRead(
      f,
      "ListRoutingProfileQueues",
      { InstanceId: f.id, RoutingProfileId: f.defaultProfile.id, NextToken: first.NextToken },
      INVALID_PARAMETER(/nextToken/),
    );
    await refusedRead(
      f,
      "ListRoutingProfileQueues",
      { InstanceId: f.id, RoutingProfileId: p.id, NextToken: "AAAA" },
      INVALID_PARAMETER(/nextToken/),
    );
    for (const MaxResults of [0, 101]) {
      await refusedRead(
        f,
        "ListRoutingProfileQueues",
        { InstanceId: f.id, RoutingProfileId: p.id, MaxResults },
        INVALID_PARAMETER(/maxResults/),
      );
    }
    const second = await f.h.run("ListRoutingProfileQueues", {
      InstanceId: f.arn,
      RoutingProfileId: p.arn,
      MaxResults: 1,
      NextToken: first.NextToken,
    });
    assert.equal(second.RoutingProfileQueueConfigSummaryList?.[0]?.Channel, "VOICE");
    assert.equal(second.NextToken, undefined);
  });
});

describe("ListQueues", () => {
  test("QueueTypes: STANDARD lists the queues; AGENT alone lists none (Switchboard keeps no agent queues)", async (t) => {
    const f = await fixture(t);
    const standard = await f.h.run("ListQueues", { InstanceId: f.id, QueueTypes: ["STANDARD"] });
    assert.deepEqual(
      standard.QueueSummaryList?.map((q) => q.Name),
      ["BasicQueue"],
    );
    const both = await f.h.run("ListQueues", { InstanceId: f.id, QueueTypes: ["AGENT", "STANDARD"] });
    assert.equal(both.QueueSummaryList?.length, 1);
    const agent = await f.h.run("ListQueues", { InstanceId: f.arn, QueueTypes: ["AGENT"] });
    assert.deepEqual(agent.QueueSummaryList, []);
    assert.equal(agent.NextToken, undefined);
  });

  test("pages by name with MaxResults (Terraform's 60 included); tokens bound to the instance and the filter", async (t) => {
    const f = await fixture(t);
    for (let i = 0; i < 64; i++) await addQueue(f, `Q${String(i).padStart(2, "0")}`);
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await f.h.run("ListQueues", { InstanceId: f.id, MaxResults: 60, ...(token ? { NextToken: token } : {}) });
      seen.push(...(page.QueueSummaryList ?? []).map((q) => q.Name as string));
      token = page.NextToken;
      pages++;
    } while (token !== undefined && pages < 10);
    assert.equal(pages, 2);
    assert.equal(seen.length, 65);
    assert.deepEqual(seen, [...seen].sort());
    assert.equal(new Set(seen).size, 65);

    const first = await f.h.run("ListQueues", { InstanceId: f.id, MaxResults: 1 });
    assert.ok(first.NextToken);
    const other = await addInstance(f.h);
    await refusedRead(f, "ListQueues", { InstanceId: other.id, NextToken: first.NextToken }, INVALID_PARAMETER(/nextToken/));
    await refusedRead(
      f,
      "ListQueues",
      { InstanceId: f.id, QueueTypes: ["STANDARD"], NextToken: first.NextToken },
      INVALID_PARAMETER(/nextToken/),
    );
    await refusedRead(f, "ListRoutingProfiles", { InstanceId: f.id, NextToken: first.NextToken }, INVALID_PARAMETER(/nextToken/));
    for (const MaxResults of [0, 1001])
      await refusedRead(f, "ListQueues", { InstanceId: f.id, MaxResults }, INVALID_PARAMETER(/maxResults/));
    await refusedRead(
      f,
      "ListQueues",
      { InstanceId: f.id, QueueTypes: ["STANDARD", "AGENT", "STANDARD"] },
      INVALID_PARAMETER(/queueTypes/),
    );
  });

  test("an unknown or foreign instance → ResourceNotFoundException", async (t) => {
    const f = await fixture(t);
    for (const InstanceId of [NOBODY, f.arn.replace(":us-east-1:", ":eu-west-2:"), `${f.arn}/queue/x`]) {
      await refusedRead(f, "ListQueues", { InstanceId }, NOT_FOUND(/Instance not found/));
    }
  });
});

// ---------------------------------------------------------------------------------------------
// IAM targets

describe("IAM targets: the routing profile, and each queue a request names", () => {
  const resources = (name: ServedConnectOperation, input: Record<string, unknown>) => {
    const op = CONNECT_OPERATIONS[name];
    assert.ok(op);
    return op.iam.flatMap((i) => {
      const r = i.target.resolve(input, HARNESS_SCOPE);
      return (Array.isArray(r) ? r : [r]).map((x) => `${i.action} ${x.resourceArn}`);
    });
  };
  const INSTANCE = "11111111-2222-4333-8444-555555555555";
  const base = `arn:aws:connect:us-east-1:${HARNESS_ACCOUNT}:instance/${INSTANCE}`;
  const rp = `${base}/routing-profile/rp-1`;

  test("reads and single-profile changes ask about the profile (or queue, or instance); ARN labels give the same resource", () => {
    assert.deepEqual(resources("DescribeRoutingProfile", { InstanceId: base, RoutingProfileId: rp }), [
      `connect:DescribeRoutingProfile ${rp}`,
    ]);
    assert.deepEqual(resources("ListRoutingProfileQueues", { InstanceId: INSTANCE, RoutingProfileId: "rp-1" }), [
      `connect:ListRoutingProfileQueues ${rp}`,
    ]);
    for (const name of ["DeleteRoutingProfile", "UpdateRoutingProfileName", "UpdateRoutingProfileConcurrency"] as const) {
      assert.deepEqual(resources(name, { InstanceId: INSTANCE, RoutingProfileId: "rp-1" }), [`connect:${name} ${rp}`]);
    }
    assert.deepEqual(resources("DescribeQueue", { InstanceId: INSTANCE, QueueId: `${base}/queue/q-1` }), [
      `connect:DescribeQueue ${base}/queue/q-1`,
    ]);
    assert.deepEqual(resources("ListQueues", { InstanceId: INSTANCE }), [`connect:ListQueues ${base}`]);
  });

  test("create: …/routing-profile/* with its tags as aws:RequestTag, and each queue it names (once)", () => {
    const op = CONNECT_OPERATIONS.CreateRoutingProfile;
    assert.ok(op);
    const input = {
      InstanceId: INSTANCE,
      DefaultOutboundQueueId: "q-1",
      QueueConfigs: [config(`${base}/queue/q-2`, "VOICE"), config("q-1", "CHAT")],
      Tags: { team: "a" },
    };
    assert.deepEqual(resources("CreateRoutingProfile", input), [
      `connect:CreateRoutingProfile ${base}/routing-profile/*`,
      `connect:CreateRoutingProfile ${base}/queue/q-1`,
      `connect:CreateRoutingProfile ${base}/queue/q-2`,
    ]);
    const first = op.iam[0]?.target.resolve(input, HARNESS_SCOPE);
    assert.deepEqual(Array.isArray(first) ? undefined : first?.requestTags, { team: "a" });
  });

  test("default outbound queue, associate and disassociate: the profile and each queue", () => {
    assert.deepEqual(
      resources("UpdateRoutingProfileDefaultOutboundQueue", { InstanceId: INSTANCE, RoutingProfileId: rp, DefaultOutboundQueueId: "q-1" }),
      [`connect:UpdateRoutingProfileDefaultOutboundQueue ${rp}`, `connect:UpdateRoutingProfileDefaultOutboundQueue ${base}/queue/q-1`],
    );
    assert.deepEqual(
      resources("AssociateRoutingProfileQueues", {
        InstanceId: INSTANCE,
        RoutingProfileId: "rp-1",
        QueueConfigs: [config("q-1", "VOICE"), config("q-2", "CHAT")],
      }),
      [
        `connect:AssociateRoutingProfileQueues ${rp}`,
        `connect:AssociateRoutingProfileQueues ${base}/queue/q-1`,
        `connect:AssociateRoutingProfileQueues ${base}/queue/q-2`,
      ],
    );
    assert.deepEqual(
      resources("DisassociateRoutingProfileQueues", {
        InstanceId: base,
        RoutingProfileId: "rp-1",
        QueueReferences: [{ QueueId: "q-3", Channel: "VOICE" }],
      }),
      [`connect:DisassociateRoutingProfileQueues ${rp}`, `connect:DisassociateRoutingProfileQueues ${base}/queue/q-3`],
    );
  });

  test("reads are declared as reads, changes as changes", () => {
    const reads = ["DescribeRoutingProfile", "ListRoutingProfileQueues", "ListQueues", "DescribeQueue"];
    const changes = [
      "CreateRoutingProfile",
      "DeleteRoutingProfile",
      "UpdateRoutingProfileName",
      "UpdateRoutingProfileConcurrency",
      "UpdateRoutingProfileDefaultOutboundQueue",
      "AssociateRoutingProfileQueues",
      "DisassociateRoutingProfileQueues",
    ];
    for (const n of reads) assert.equal(CONNECT_OPERATIONS[n]?.mutates, false, n);
    for (const n of changes) assert.equal(CONNECT_OPERATIONS[n]?.mutates, true, n);
  });
});
