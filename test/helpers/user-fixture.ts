// An instance with one user, built through the operation harness the way a caller would: what the
// per-operation rule tests of the user updates (test/unit/ops-users-*.test.ts) start from, and
// the checks they share (a refusal changes nothing and is audited once).
import assert from "node:assert/strict";
import type { TestContext } from "node:test";
import type { Scope } from "../../src/common/arn.js";
import type { ServiceError } from "../../src/common/errors.js";
import type { CreateUserRequest } from "../../src/model/types.gen.js";
import type { ServedConnectOperation } from "../../src/operations/connect-service.js";
import type { AuditEventRecord, UserRecord } from "../../src/store/records.js";
import { HARNESS_SCOPE, type HarnessOptions, type OperationHarness, operationHarness } from "./operation-harness.js";

export const NOBODY = "00000000-0000-4000-8000-000000000000";

export interface Ref {
  id: string;
  arn: string;
}

export interface UserFixture {
  h: OperationHarness;
  instance: Ref;
  /** the default profiles of a new instance */
  agent: Ref;
  admin: Ref;
  basicRouting: Ref;
  user: Ref;
}

let seq = 0;

/** A new CONNECT_MANAGED instance in `scope`, with its default profiles. */
export async function addInstance(h: OperationHarness, scope: Scope = HARNESS_SCOPE): Promise<Omit<UserFixture, "h" | "user">> {
  const opts = { scope };
  const created = await h.run(
    "CreateInstance",
    {
      IdentityManagementType: "CONNECT_MANAGED",
      InstanceAlias: `sb-users-${++seq}`,
      InboundCallsEnabled: true,
      OutboundCallsEnabled: true,
    },
    opts,
  );
  const id = created.Id as string;
  const security = await h.run("ListSecurityProfiles", { InstanceId: id }, opts);
  const routing = await h.run("ListRoutingProfiles", { InstanceId: id }, opts);
  const sp = (name: string): Ref => {
    const p = security.SecurityProfileSummaryList?.find((s) => s.Name === name);
    assert.ok(p?.Id && p.Arn, name);
    return { id: p.Id, arn: p.Arn };
  };
  const rp = routing.RoutingProfileSummaryList?.[0];
  assert.ok(rp?.Id && rp.Arn);
  return { instance: { id, arn: created.Arn as string }, agent: sp("Agent"), admin: sp("Admin"), basicRouting: { id: rp.Id, arn: rp.Arn } };
}

export async function addUser(
  h: OperationHarness,
  f: Omit<UserFixture, "h" | "user">,
  over: Partial<CreateUserRequest> = {},
  scope: Scope = HARNESS_SCOPE,
): Promise<Ref> {
  const out = await h.run(
    "CreateUser",
    {
      InstanceId: f.instance.id,
      Username: `agent${++seq}`,
      Password: "Corr3ct-Horse",
      IdentityInfo: { FirstName: "Ada", LastName: "Lovelace" },
      PhoneConfig: { PhoneType: "SOFT_PHONE", AutoAccept: true, AfterContactWorkTimeLimit: 30 },
      SecurityProfileIds: [f.agent.id],
      RoutingProfileId: f.basicRouting.id,
      ...over,
    },
    { scope },
  );
  return { id: out.UserId as string, arn: out.UserArn as string };
}

export async function userFixture(t: TestContext, options: HarnessOptions = {}): Promise<UserFixture> {
  const h = await operationHarness(options);
  t.after(() => h.close());
  const base = await addInstance(h);
  return { h, ...base, user: await addUser(h, base) };
}

/** The user as stored. */
export async function storedUser(f: UserFixture, id = f.user.id): Promise<UserRecord> {
  const u = await f.h.store.users.get(f.h.scope, f.instance.id, id);
  assert.ok(u, "the user exists");
  return u;
}

export async function addSecurityProfile(f: UserFixture, name: string, instanceId = f.instance.id, scope?: Scope): Promise<Ref> {
  const out = await f.h.run("CreateSecurityProfile", { InstanceId: instanceId, SecurityProfileName: name }, scope ? { scope } : {});
  return { id: out.SecurityProfileId as string, arn: out.SecurityProfileArn as string };
}

export async function addRoutingProfile(f: UserFixture, name: string, instanceId = f.instance.id, scope?: Scope): Promise<Ref> {
  const queues = await f.h.run("ListQueues", { InstanceId: instanceId }, scope ? { scope } : {});
  const basicQueue = queues.QueueSummaryList?.[0]?.Id;
  assert.ok(basicQueue);
  const out = await f.h.run(
    "CreateRoutingProfile",
    {
      InstanceId: instanceId,
      Name: name,
      Description: name,
      DefaultOutboundQueueId: basicQueue,
      MediaConcurrencies: [{ Channel: "VOICE", Concurrency: 1 }],
    },
    scope ? { scope } : {},
  );
  return { id: out.RoutingProfileId as string, arn: out.RoutingProfileArn as string };
}

/** A hierarchy of two levels (creating the structure the first time) and a group at level one, or below `parent`. */
export async function addGroup(f: UserFixture, name: string, parent?: Ref, instanceId = f.instance.id, scope?: Scope): Promise<Ref> {
  const opts = scope ? { scope } : {};
  const structure = await f.h.run("DescribeUserHierarchyStructure", { InstanceId: instanceId }, opts);
  if (!structure.HierarchyStructure?.LevelOne) {
    await f.h.run(
      "UpdateUserHierarchyStructure",
      { InstanceId: instanceId, HierarchyStructure: { LevelOne: { Name: "Site" }, LevelTwo: { Name: "Team" } } },
      opts,
    );
  }
  const out = await f.h.run(
    "CreateUserHierarchyGroup",
    { InstanceId: instanceId, Name: name, ...(parent ? { ParentGroupId: parent.id } : {}) },
    opts,
  );
  return { id: out.HierarchyGroupId as string, arn: out.HierarchyGroupArn as string };
}

export interface Expected {
  code: string;
  status: number;
  names?: RegExp;
}

export const INVALID_PARAMETER = (names?: RegExp): Expected => ({
  code: "InvalidParameterException",
  status: 400,
  ...(names ? { names } : {}),
});
export const NOT_FOUND = (names?: RegExp): Expected => ({ code: "ResourceNotFoundException", status: 404, ...(names ? { names } : {}) });
export const IN_USE = (names?: RegExp): Expected => ({ code: "ResourceInUseException", status: 409, ...(names ? { names } : {}) });

function last(events: AuditEventRecord[]): AuditEventRecord {
  const e = events.at(-1);
  assert.ok(e, "the audit trail is not empty");
  return e;
}

/** The users of the instance as stored: what "nothing changed" is checked on. */
const usersOf = (f: UserFixture) => f.h.store.users.list(f.h.scope, f.instance.id, { limit: 10_000 });

/** A refused change: the expected error, no user changed, one new event — the refusal. */
export async function refusedChange(
  f: UserFixture,
  name: ServedConnectOperation,
  input: unknown,
  expected: Expected,
): Promise<ServiceError> {
  const before = await usersOf(f);
  const eventsBefore = await f.h.auditEvents();
  const err = await f.h.failure(name, input);
  assert.equal(err.code, expected.code, err.message);
  assert.equal(err.status, expected.status);
  if (expected.names) assert.match(err.message, expected.names);
  assert.deepEqual(await usersOf(f), before, "a refused change changes no user");
  const events = await f.h.auditEvents();
  assert.equal(events.length, eventsBefore.length + 1, "exactly one new event: the refusal");
  const e = last(events);
  assert.equal(e.eventName, name);
  assert.equal(e.errorCode, expected.code);
  assert.equal(e.record.readOnly, false);
  return err;
}

/** The last audit event, which a successful change must be. */
export async function lastChange(f: UserFixture, name: ServedConnectOperation): Promise<AuditEventRecord> {
  const e = last(await f.h.auditEvents());
  assert.equal(e.eventName, name);
  assert.equal(e.errorCode ?? null, null);
  assert.equal(e.record.readOnly, false);
  return e;
}

/** The resources IAM is asked about, as "action resource". */
export function iamResources(
  op: { iam: readonly { action: string; target: { resolve: (i: unknown, s: Scope) => unknown } }[] } | undefined,
  input: unknown,
): string[] {
  assert.ok(op);
  return op.iam.flatMap((i) => {
    const r = i.target.resolve(input, HARNESS_SCOPE) as { resourceArn: string } | { resourceArn: string }[];
    return (Array.isArray(r) ? r : [r]).map((x) => `${i.action} ${x.resourceArn}`);
  });
}
