// Rule tests for the security-profile operations (CreateSecurityProfile, DescribeSecurityProfile,
// UpdateSecurityProfile, DeleteSecurityProfile, ListSecurityProfilePermissions) and the four
// default profiles, run through the operation harness: the model's validation, then the invoke
// step, on an in-memory store — no HTTP. Rules: src/operations/security-profiles/*.ts and the
// README's "Fidelity notes".
import assert from "node:assert/strict";
import { describe, type TestContext, test } from "node:test";
import type { Scope } from "../../src/common/arn.js";
import type { CreateSecurityProfileRequest } from "../../src/model/types.gen.js";
import type { ServedConnectOperation } from "../../src/operations/connect-service.js";
import { DOCUMENTED_PERMISSIONS } from "../../src/operations/security-profiles/permission-names.js";
import type { ProfileRecord } from "../../src/store/records.js";
import { HARNESS_ACCOUNT, type HarnessOptions, type OperationHarness, operationHarness } from "../helpers/operation-harness.js";
import {
  type Expected,
  INVALID_PARAMETER,
  INVALID_REQUEST,
  lastEvent as last,
  NOT_FOUND,
  refusedChange as refusedChangeIn,
  refusedRead as refusedReadIn,
} from "../helpers/refusals.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const NOBODY = "00000000-0000-4000-8000-000000000000";
const WEST: Scope = { account: HARNESS_ACCOUNT, region: "eu-west-2" };

// ---------------------------------------------------------------------------------------------
// Fixtures

interface Fixture {
  h: OperationHarness;
  id: string;
  arn: string;
  /** the default security profiles, by name */
  defaults: Record<string, { id: string; arn: string }>;
  routingProfileId: string;
}

let aliasSeq = 0;

async function addInstance(h: OperationHarness, scope?: Scope): Promise<Omit<Fixture, "h">> {
  const opts = scope ? { scope } : {};
  const created = await h.run(
    "CreateInstance",
    {
      IdentityManagementType: "CONNECT_MANAGED",
      InstanceAlias: `sb-sp-${++aliasSeq}`,
      InboundCallsEnabled: true,
      OutboundCallsEnabled: true,
    },
    opts,
  );
  const id = created.Id as string;
  const sp = await h.run("ListSecurityProfiles", { InstanceId: id }, opts);
  const rp = await h.run("ListRoutingProfiles", { InstanceId: id }, opts);
  const defaults: Fixture["defaults"] = {};
  for (const p of sp.SecurityProfileSummaryList ?? []) defaults[p.Name as string] = { id: p.Id as string, arn: p.Arn as string };
  return { id, arn: created.Arn as string, defaults, routingProfileId: rp.RoutingProfileSummaryList?.[0]?.Id as string };
}

async function fixture(t: TestContext, options: HarnessOptions = {}): Promise<Fixture> {
  const h = await operationHarness(options);
  t.after(() => h.close());
  return { h, ...(await addInstance(h)) };
}

const defaultProfile = (f: Fixture, name: string) => {
  const p = f.defaults[name];
  assert.ok(p, `the default profile ${name} exists`);
  return p;
};

async function create(f: Fixture, over: Partial<CreateSecurityProfileRequest> = {}): Promise<{ id: string; arn: string }> {
  const out = await f.h.run("CreateSecurityProfile", { InstanceId: f.id, SecurityProfileName: "Supervisors", ...over });
  assert.ok(out.SecurityProfileId && out.SecurityProfileArn);
  return { id: out.SecurityProfileId, arn: out.SecurityProfileArn };
}

const describeProfile = async (f: Fixture, id: string) =>
  (await f.h.run("DescribeSecurityProfile", { InstanceId: f.id, SecurityProfileId: id })).SecurityProfile;

/** Every page of ListSecurityProfilePermissions. */
async function allPermissions(f: Fixture, id: string, pageSize?: number): Promise<string[]> {
  const out: string[] = [];
  let token: string | undefined;
  do {
    const page = await f.h.run("ListSecurityProfilePermissions", {
      InstanceId: f.id,
      SecurityProfileId: id,
      ...(pageSize ? { MaxResults: pageSize } : {}),
      ...(token ? { NextToken: token } : {}),
    });
    out.push(...(page.Permissions ?? []));
    token = page.NextToken;
  } while (token);
  return out;
}

/** The instance's security profiles as the store holds them (what "nothing changed" is checked on). */
const profilesOf = (f: Fixture): Promise<ProfileRecord[]> => f.h.store.profiles.list(f.h.scope, f.id, "security", { limit: 10_000 });

/** A hierarchy group written straight into the store (its operations are another family's). */
async function addGroup(f: Fixture, name = "Tier 1"): Promise<{ id: string; arn: string }> {
  const id = crypto.randomUUID();
  const arn = `${f.arn}/agent-group/${id}`;
  await f.h.store.hierarchy.createGroup(f.h.scope, {
    id,
    arn,
    instanceId: f.id,
    name,
    level: 1,
    tags: {},
    lastModifiedTime: f.h.clock.now(),
    lastModifiedRegion: f.h.scope.region,
  });
  return { id, arn };
}

async function addUser(f: Fixture, securityProfileIds: string[], username = "ada"): Promise<{ id: string; arn: string }> {
  const out = await f.h.run("CreateUser", {
    InstanceId: f.id,
    Username: username,
    Password: "Corr3ct-Horse",
    IdentityInfo: { FirstName: "Ada", LastName: "Lovelace" },
    PhoneConfig: { PhoneType: "SOFT_PHONE" },
    SecurityProfileIds: securityProfileIds,
    RoutingProfileId: f.routingProfileId,
  });
  return { id: out.UserId as string, arn: out.UserArn as string };
}

const refusedChange = (f: Fixture, name: ServedConnectOperation, input: unknown, want: Expected) =>
  refusedChangeIn(f.h, () => profilesOf(f), name, input, want);
const refusedRead = (f: Fixture, name: ServedConnectOperation, input: unknown, want: Expected) => refusedReadIn(f.h, name, input, want);

const otherAccountArn = (arn: string) => arn.replace(`:${HARNESS_ACCOUNT}:`, ":111122223333:");
const otherRegionArn = (arn: string) => arn.replace(":us-east-1:", ":eu-west-2:");
const otherPartitionArn = (arn: string) => arn.replace("arn:aws:", "arn:aws-cn:");

// ---------------------------------------------------------------------------------------------
// The default profiles

describe("the four default security profiles", () => {
  test("Admin holds every documented permission, Users.Edit / Users.EditPermission / SecurityProfiles.* included", async (t) => {
    const f = await fixture(t);
    const admin = await allPermissions(f, defaultProfile(f, "Admin").id);
    assert.deepEqual(admin, [...DOCUMENTED_PERMISSIONS].sort());
    for (const p of [
      "Users.Edit",
      "Users.EditPermission",
      "Users.Create",
      "SecurityProfiles.Create",
      "SecurityProfiles.Delete",
      "SecurityProfiles.Edit",
      "SecurityProfiles.View",
    ]) {
      assert.ok(admin.includes(p), `Admin holds ${p}`);
    }
    assert.ok(!admin.includes("ListenCallRecordings"), "legacy permissions are not part of Admin");
  });

  test("Agent: the CCP and outbound calls", async (t) => {
    const f = await fixture(t);
    assert.deepEqual(await allPermissions(f, defaultProfile(f, "Agent").id), ["BasicAgentAccess", "OutboundCallAccess"]);
  });

  test("CallCenterManager: users, hierarchy, routing and metrics — never Users.EditPermission or SecurityProfiles.*", async (t) => {
    const f = await fixture(t);
    const p = await allPermissions(f, defaultProfile(f, "CallCenterManager").id);
    for (const want of [
      "Users.Create",
      "Users.Edit",
      "Users.View",
      "AgentGrouping.Edit",
      "RoutingPolicies.Edit",
      "Queues.View",
      "AccessMetrics",
    ]) {
      assert.ok(p.includes(want), `CallCenterManager holds ${want}`);
    }
    assert.ok(!p.includes("Users.EditPermission"));
    assert.ok(!p.some((x) => x.startsWith("SecurityProfiles.")));
    assert.ok(!p.includes("BasicAgentAccess"));
  });

  test("QualityAnalyst: metrics only", async (t) => {
    const f = await fixture(t);
    const p = await allPermissions(f, defaultProfile(f, "QualityAnalyst").id);
    assert.ok(p.includes("AccessMetrics") && p.includes("AccessMetrics.HistoricalMetrics.Access"));
    assert.ok(
      p.every((x) => x.startsWith("AccessMetrics") || x === "ContactSearch.View" || x === "MetricsReports.View"),
      p.join(","),
    );
  });

  test("DescribeSecurityProfile of a default: AWS's description, no tags, the instance as OrganizationResourceId", async (t) => {
    const f = await fixture(t);
    const admin = defaultProfile(f, "Admin");
    const p = await describeProfile(f, admin.id);
    assert.equal(p?.SecurityProfileName, "Admin");
    assert.equal(p?.Description, "Grants administrators permission to perform all actions.");
    assert.deepEqual(p?.Tags, {});
    assert.equal(p?.OrganizationResourceId, f.id);
    assert.equal(p?.Arn, admin.arn);
  });

  test("a default stored before permissions were kept (empty attributes) reads as its documented list", async (t) => {
    const f = await fixture(t);
    const agent = defaultProfile(f, "Agent");
    await f.h.store.profiles.update(f.h.scope, f.id, "security", agent.id, { attributes: {} }, f.h.clock.now());
    assert.deepEqual(await allPermissions(f, agent.id), ["BasicAgentAccess", "OutboundCallAccess"]);
  });

  test("the defaults cannot be deleted (InvalidRequestException), and stay", async (t) => {
    const f = await fixture(t);
    for (const name of ["Admin", "Agent", "CallCenterManager", "QualityAnalyst"]) {
      const p = defaultProfile(f, name);
      await refusedChange(f, "DeleteSecurityProfile", { InstanceId: f.id, SecurityProfileId: p.id }, INVALID_REQUEST(new RegExp(name)));
    }
  });

  test("a default can be updated like any other profile", async (t) => {
    const f = await fixture(t);
    const agent = defaultProfile(f, "Agent");
    await f.h.run("UpdateSecurityProfile", { InstanceId: f.id, SecurityProfileId: agent.id, Permissions: ["BasicAgentAccess"] });
    assert.deepEqual(await allPermissions(f, agent.id), ["BasicAgentAccess"]);
  });
});

// ---------------------------------------------------------------------------------------------
// CreateSecurityProfile

describe("CreateSecurityProfile", () => {
  test("DescribeSecurityProfile reads back every member; ListSecurityProfiles lists it", async (t) => {
    const f = await fixture(t);
    const group = await addGroup(f);
    f.h.clock.advance(60_000);
    const { id, arn } = await create(f, {
      SecurityProfileName: "Team leads",
      Description: "Leads of the support floor",
      Permissions: ["Users.View", "BasicAgentAccess", "Users.View"],
      Tags: { team: "red" },
      AllowedAccessControlTags: { floor: "2" },
      TagRestrictedResources: ["User", "Queue"],
      HierarchyRestrictedResources: ["User"],
      AllowedAccessControlHierarchyGroupId: group.id,
      Applications: [{ Namespace: "crm.example.com", ApplicationPermissions: ["ACCESS"] }],
    });
    assert.match(id, UUID);
    assert.equal(arn, `${f.arn}/security-profile/${id}`);
    const p = await describeProfile(f, id);
    assert.deepEqual(p, {
      Id: id,
      OrganizationResourceId: f.id,
      Arn: arn,
      SecurityProfileName: "Team leads",
      Description: "Leads of the support floor",
      Tags: { team: "red" },
      AllowedAccessControlTags: { floor: "2" },
      TagRestrictedResources: ["User", "Queue"],
      LastModifiedTime: new Date(f.h.clock.now()),
      LastModifiedRegion: "us-east-1",
      HierarchyRestrictedResources: ["User"],
      AllowedAccessControlHierarchyGroupId: group.id,
    });
    assert.deepEqual(await allPermissions(f, id), ["BasicAgentAccess", "Users.View"], "sorted, each once");
    const listed = await f.h.run("ListSecurityProfiles", { InstanceId: f.id });
    assert.ok(listed.SecurityProfileSummaryList?.some((s) => s.Id === id && s.Name === "Team leads"));
  });

  test("only the name is required: no permissions, no tags", async (t) => {
    const f = await fixture(t);
    const { id } = await create(f);
    const p = await describeProfile(f, id);
    assert.deepEqual(p?.Tags, {});
    assert.equal(p?.Description, undefined);
    assert.deepEqual(await allPermissions(f, id), []);
  });

  test("ARNs are accepted for InstanceId and AllowedAccessControlHierarchyGroupId (stored as the id)", async (t) => {
    const f = await fixture(t);
    const group = await addGroup(f);
    const { id } = await create(f, { InstanceId: f.arn, AllowedAccessControlHierarchyGroupId: group.arn });
    assert.equal((await describeProfile(f, id))?.AllowedAccessControlHierarchyGroupId, group.id);
  });

  test("the success event: eventName, readOnly false, the request, the new ids", async (t) => {
    const f = await fixture(t);
    const before = (await f.h.auditEvents()).length;
    const { id, arn } = await create(f, { Permissions: ["BasicAgentAccess"], Tags: { team: "red" } });
    const events = await f.h.auditEvents();
    assert.equal(events.length, before + 1);
    const e = last(events);
    assert.equal(e.eventName, "CreateSecurityProfile");
    assert.equal(e.errorCode, undefined);
    assert.equal(e.record.readOnly, false);
    assert.deepEqual(e.record.requestParameters, {
      securityProfileName: "Supervisors",
      permissions: ["BasicAgentAccess"],
      instanceId: f.id,
      tags: { team: "red" },
    });
    assert.deepEqual(e.record.responseElements, { securityProfileId: id, securityProfileArn: arn });
  });

  test("a taken name: DuplicateResourceException (409), nothing created", async (t) => {
    const f = await fixture(t);
    await create(f, { SecurityProfileName: "Supervisors" });
    await refusedChange(
      f,
      "CreateSecurityProfile",
      { InstanceId: f.id, SecurityProfileName: "Supervisors" },
      { code: "DuplicateResourceException", status: 409, names: /Supervisors/ },
    );
    await refusedChange(
      f,
      "CreateSecurityProfile",
      { InstanceId: f.id, SecurityProfileName: "Admin" },
      { code: "DuplicateResourceException", status: 409, names: /Admin/ },
    );
  });

  test("the same name in another instance is fine", async (t) => {
    const f = await fixture(t);
    const other = await addInstance(f.h);
    await create(f);
    await f.h.run("CreateSecurityProfile", { InstanceId: other.id, SecurityProfileName: "Supervisors" });
  });

  test("the quota counts the defaults: LimitExceededException (429) at securityProfilesPerInstance", async (t) => {
    const f = await fixture(t, { quotas: { securityProfilesPerInstance: 6 } });
    await create(f, { SecurityProfileName: "One" });
    await create(f, { SecurityProfileName: "Two" });
    await refusedChange(
      f,
      "CreateSecurityProfile",
      { InstanceId: f.id, SecurityProfileName: "Three" },
      { code: "LimitExceededException", status: 429, names: /maximum of 6 security profiles/ },
    );
  });

  test("the model's constraints: name pattern and length, 500 permissions, 4 access-control tags, 10 restricted resources", async (t) => {
    const f = await fixture(t);
    const base = { InstanceId: f.id, SecurityProfileName: "Ok" };
    await refusedChange(
      f,
      "CreateSecurityProfile",
      { ...base, SecurityProfileName: "no/slash" },
      INVALID_PARAMETER(/'securityProfileName'/),
    );
    await refusedChange(
      f,
      "CreateSecurityProfile",
      { ...base, SecurityProfileName: "x".repeat(128) },
      INVALID_PARAMETER(/'securityProfileName'/),
    );
    await refusedChange(f, "CreateSecurityProfile", { ...base, Description: "d".repeat(251) }, INVALID_PARAMETER(/'description'/));
    const many = Array.from({ length: 501 }, (_, i) => `Custom${i}.Access`);
    await refusedChange(f, "CreateSecurityProfile", { ...base, Permissions: many }, INVALID_PARAMETER(/'permissions'/));
    const fiveTags = { a: "1", b: "2", c: "3", d: "4", e: "5" };
    await refusedChange(
      f,
      "CreateSecurityProfile",
      { ...base, AllowedAccessControlTags: fiveTags },
      INVALID_PARAMETER(/'allowedAccessControlTags'/),
    );
    const eleven = Array.from({ length: 11 }, (_, i) => `R${i}`);
    await refusedChange(
      f,
      "CreateSecurityProfile",
      { ...base, TagRestrictedResources: eleven },
      INVALID_PARAMETER(/'tagRestrictedResources'/),
    );
  });

  test("permission names: any documented-shape name is accepted, anything else refused naming the entry", async (t) => {
    const f = await fixture(t);
    // A third-party application's permission (<app name>.Access) is not on any fixed list.
    const { id } = await create(f, { Permissions: ["BasicAgentAccess", "MyCrmApp.Access", "AccessMetrics.RealTimeMetrics.Access"] });
    assert.deepEqual(await allPermissions(f, id), ["AccessMetrics.RealTimeMetrics.Access", "BasicAgentAccess", "MyCrmApp.Access"]);
    for (const bad of ["Users Edit", "Users.", ".Users", "Users..Edit", "Users.Edit!", "*"]) {
      await refusedChange(
        f,
        "CreateSecurityProfile",
        { InstanceId: f.id, SecurityProfileName: "Bad", Permissions: ["BasicAgentAccess", bad] },
        INVALID_PARAMETER(/'permissions\.2\.member' failed to satisfy constraint: Member must be a security profile permission name/),
      );
    }
  });

  test("HierarchyRestrictedResources accepts only User; ApplicationPermissions only ACCESS", async (t) => {
    const f = await fixture(t);
    await refusedChange(
      f,
      "CreateSecurityProfile",
      { InstanceId: f.id, SecurityProfileName: "Bad", HierarchyRestrictedResources: ["Queue"] },
      INVALID_PARAMETER(/'hierarchyRestrictedResources\.1\.member'.*\[User\]/),
    );
    await refusedChange(
      f,
      "CreateSecurityProfile",
      { InstanceId: f.id, SecurityProfileName: "Bad", Applications: [{ Namespace: "crm", ApplicationPermissions: ["WRITE"] }] },
      INVALID_PARAMETER(/'applications\.1\.member\.applicationPermissions\.1\.member'/),
    );
  });

  test("Tags: the model's limits, and the aws: prefix in any case", async (t) => {
    const f = await fixture(t);
    const base = { InstanceId: f.id, SecurityProfileName: "Tagged" };
    await refusedChange(f, "CreateSecurityProfile", { ...base, Tags: {} }, INVALID_PARAMETER(/'tags'/));
    await refusedChange(f, "CreateSecurityProfile", { ...base, Tags: { "aws:team": "x" } }, INVALID_PARAMETER(/tags/));
    await refusedChange(
      f,
      "CreateSecurityProfile",
      { ...base, Tags: { "AWS:team": "x" } },
      INVALID_PARAMETER(/'AWS:team' at 'tags'.*aws:/),
    );
    await refusedChange(f, "CreateSecurityProfile", { ...base, Tags: { ["k".repeat(129)]: "x" } }, INVALID_PARAMETER(/tags/));
    await refusedChange(f, "CreateSecurityProfile", { ...base, Tags: { k: "v".repeat(257) } }, INVALID_PARAMETER(/tags/));
    const fiftyOne = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, "v"]));
    await refusedChange(f, "CreateSecurityProfile", { ...base, Tags: fiftyOne }, INVALID_PARAMETER(/'tags'/));
  });

  test("AllowedAccessControlHierarchyGroupId must name a group of the instance (ResourceNotFoundException)", async (t) => {
    const f = await fixture(t);
    const other = await addInstance(f.h);
    const foreign = await addGroup({ ...f, ...other });
    const group = await addGroup(f);
    const base = { InstanceId: f.id, SecurityProfileName: "Restricted" };
    for (const label of [
      NOBODY,
      foreign.id,
      foreign.arn,
      otherAccountArn(group.arn),
      otherRegionArn(group.arn),
      `${f.arn}/queue/${group.id}`,
    ]) {
      await refusedChange(
        f,
        "CreateSecurityProfile",
        { ...base, AllowedAccessControlHierarchyGroupId: label },
        NOT_FOUND(/Hierarchy group not found/),
      );
    }
  });

  test("the instance must exist in the caller's account and region", async (t) => {
    const f = await fixture(t);
    const base = { SecurityProfileName: "Nowhere" };
    for (const label of [NOBODY, otherAccountArn(f.arn), otherRegionArn(f.arn), otherPartitionArn(f.arn)]) {
      await refusedChange(f, "CreateSecurityProfile", { ...base, InstanceId: label }, NOT_FOUND(/Instance not found/));
    }
  });
});

// ---------------------------------------------------------------------------------------------
// DescribeSecurityProfile

describe("DescribeSecurityProfile", () => {
  test("by id or ARN, with the instance by id or ARN", async (t) => {
    const f = await fixture(t);
    const { id, arn } = await create(f);
    for (const [instance, profile] of [
      [f.id, id],
      [f.arn, arn],
      [f.id, arn],
      [f.arn, id],
    ] as const) {
      const out = await f.h.run("DescribeSecurityProfile", { InstanceId: instance, SecurityProfileId: profile });
      assert.equal(out.SecurityProfile?.Id, id);
    }
  });

  test("a missing profile, or an ARN of another instance, account, region or type: ResourceNotFoundException, not audited", async (t) => {
    const f = await fixture(t);
    const other = await addInstance(f.h);
    const { id, arn } = await create(f);
    const foreignAdmin = other.defaults.Admin?.arn as string;
    for (const label of [
      NOBODY,
      foreignAdmin,
      otherAccountArn(arn),
      otherRegionArn(arn),
      otherPartitionArn(arn),
      arn.replace("/security-profile/", "/routing-profile/"),
    ]) {
      await refusedRead(
        f,
        "DescribeSecurityProfile",
        { InstanceId: f.id, SecurityProfileId: label },
        NOT_FOUND(/Security profile not found/),
      );
    }
    await refusedRead(
      f,
      "DescribeSecurityProfile",
      { InstanceId: other.id, SecurityProfileId: id },
      NOT_FOUND(/Security profile not found/),
    );
    await refusedRead(f, "DescribeSecurityProfile", { InstanceId: NOBODY, SecurityProfileId: id }, NOT_FOUND(/Instance not found/));
  });

  test("a profile of another region's instance is not visible from here", async (t) => {
    const f = await fixture(t);
    const west = await addInstance(f.h, WEST);
    const westAdmin = west.defaults.Admin?.id as string;
    await refusedRead(f, "DescribeSecurityProfile", { InstanceId: west.id, SecurityProfileId: westAdmin }, NOT_FOUND());
    const out = await f.h.run("DescribeSecurityProfile", { InstanceId: west.id, SecurityProfileId: westAdmin }, { scope: WEST });
    assert.equal(out.SecurityProfile?.LastModifiedRegion, "eu-west-2");
  });

  test("tags written by TagResource are the profile's Tags", async (t) => {
    const f = await fixture(t);
    const { id, arn } = await create(f, { Tags: { team: "red" } });
    await f.h.run("TagResource", { resourceArn: arn, tags: { floor: "2" } });
    assert.deepEqual((await describeProfile(f, id))?.Tags, { team: "red", floor: "2" });
  });
});

// ---------------------------------------------------------------------------------------------
// UpdateSecurityProfile

describe("UpdateSecurityProfile", () => {
  test("members sent replace; members omitted are kept (Terraform sends only what changed)", async (t) => {
    const f = await fixture(t);
    const group = await addGroup(f);
    const { id } = await create(f, {
      Description: "before",
      Permissions: ["BasicAgentAccess", "Users.View"],
      AllowedAccessControlTags: { floor: "2" },
      TagRestrictedResources: ["User"],
      HierarchyRestrictedResources: ["User"],
      AllowedAccessControlHierarchyGroupId: group.id,
      Tags: { team: "red" },
    });
    await f.h.run("UpdateSecurityProfile", { InstanceId: f.id, SecurityProfileId: id, Description: "after" });
    let p = await describeProfile(f, id);
    assert.equal(p?.Description, "after");
    assert.deepEqual(await allPermissions(f, id), ["BasicAgentAccess", "Users.View"], "Permissions omitted: kept");
    assert.deepEqual(p?.AllowedAccessControlTags, { floor: "2" });
    assert.deepEqual(p?.TagRestrictedResources, ["User"]);
    assert.equal(p?.AllowedAccessControlHierarchyGroupId, group.id);

    await f.h.run("UpdateSecurityProfile", { InstanceId: f.id, SecurityProfileId: id, Permissions: ["OutboundCallAccess"] });
    assert.deepEqual(await allPermissions(f, id), ["OutboundCallAccess"], "Permissions sent: the whole list is replaced");
    p = await describeProfile(f, id);
    assert.equal(p?.Description, "after", "Description omitted: kept");

    await f.h.run("UpdateSecurityProfile", {
      InstanceId: f.id,
      SecurityProfileId: id,
      Permissions: [],
      AllowedAccessControlTags: {},
      TagRestrictedResources: [],
      Description: "",
    });
    p = await describeProfile(f, id);
    assert.deepEqual(await allPermissions(f, id), [], "an empty list clears");
    assert.deepEqual(p?.AllowedAccessControlTags, {});
    assert.deepEqual(p?.TagRestrictedResources, []);
    assert.equal(p?.Description, "");
    assert.deepEqual(p?.Tags, { team: "red" }, "tags are not an UpdateSecurityProfile member");
  });

  test("bumps LastModifiedTime/Region (ListSecurityProfilePermissions reports them too)", async (t) => {
    const f = await fixture(t);
    const { id } = await create(f);
    f.h.clock.advance(120_000);
    await f.h.run("UpdateSecurityProfile", { InstanceId: f.id, SecurityProfileId: id, Permissions: ["BasicAgentAccess"] });
    const p = await describeProfile(f, id);
    assert.equal(p?.LastModifiedTime?.getTime(), f.h.clock.now());
    const page = await f.h.run("ListSecurityProfilePermissions", { InstanceId: f.id, SecurityProfileId: id });
    assert.equal(page.LastModifiedTime?.getTime(), f.h.clock.now());
    assert.equal(page.LastModifiedRegion, "us-east-1");
  });

  test("by ARN; the success event names the profile", async (t) => {
    const f = await fixture(t);
    const { id, arn } = await create(f);
    await f.h.run("UpdateSecurityProfile", { InstanceId: f.arn, SecurityProfileId: arn, Permissions: ["BasicAgentAccess"] });
    const e = last(await f.h.auditEvents());
    assert.equal(e.eventName, "UpdateSecurityProfile");
    assert.equal(e.errorCode, undefined);
    assert.equal(e.record.readOnly, false);
    assert.deepEqual(e.record.requestParameters, { instanceId: f.arn, securityProfileId: arn, permissions: ["BasicAgentAccess"] });
    assert.deepEqual(await allPermissions(f, id), ["BasicAgentAccess"]);
  });

  test("refusals change nothing: bad permission, unknown group, missing or foreign profile", async (t) => {
    const f = await fixture(t);
    const other = await addInstance(f.h);
    const { id, arn } = await create(f, { Permissions: ["BasicAgentAccess"] });
    const base = { InstanceId: f.id, SecurityProfileId: id };
    await refusedChange(
      f,
      "UpdateSecurityProfile",
      { ...base, Permissions: ["not a permission"] },
      INVALID_PARAMETER(/'permissions\.1\.member'/),
    );
    await refusedChange(
      f,
      "UpdateSecurityProfile",
      { ...base, HierarchyRestrictedResources: ["Queue"] },
      INVALID_PARAMETER(/hierarchyRestrictedResources/),
    );
    await refusedChange(
      f,
      "UpdateSecurityProfile",
      { ...base, AllowedAccessControlHierarchyGroupId: NOBODY },
      NOT_FOUND(/Hierarchy group not found/),
    );
    await refusedChange(f, "UpdateSecurityProfile", { ...base, Description: "x".repeat(251) }, INVALID_PARAMETER(/'description'/));
    for (const label of [NOBODY, otherAccountArn(arn), otherRegionArn(arn), other.defaults.Admin?.arn as string]) {
      await refusedChange(
        f,
        "UpdateSecurityProfile",
        { ...base, SecurityProfileId: label, Permissions: [] },
        NOT_FOUND(/Security profile not found/),
      );
    }
    assert.deepEqual(await allPermissions(f, id), ["BasicAgentAccess"]);
  });
});

// ---------------------------------------------------------------------------------------------
// DeleteSecurityProfile

describe("DeleteSecurityProfile", () => {
  test("deletes: Describe then answers ResourceNotFoundException; the event names it", async (t) => {
    const f = await fixture(t);
    const { id, arn } = await create(f, { Tags: { team: "red" } });
    await f.h.run("DeleteSecurityProfile", { InstanceId: f.id, SecurityProfileId: arn });
    await refusedRead(f, "DescribeSecurityProfile", { InstanceId: f.id, SecurityProfileId: id }, NOT_FOUND());
    await refusedRead(f, "ListTagsForResource", { resourceArn: arn }, NOT_FOUND());
    const e = last(await f.h.auditEvents());
    assert.equal(e.eventName, "DeleteSecurityProfile");
    assert.equal(e.errorCode, undefined);
    assert.deepEqual(e.record.requestParameters, { instanceId: f.id, securityProfileId: arn });
  });

  test("a profile users still hold: ResourceInUseException (409) with ResourceType USER and a holder's ARN", async (t) => {
    const f = await fixture(t);
    const { id } = await create(f);
    const agent = defaultProfile(f, "Agent");
    const bea = await addUser(f, [agent.id, id], "bea");
    await addUser(f, [id], "cy");
    const err = await refusedChange(
      f,
      "DeleteSecurityProfile",
      { InstanceId: f.id, SecurityProfileId: id },
      { code: "ResourceInUseException", status: 409, names: /assigned to 2 users/ },
    );
    assert.deepEqual(err.extra, { ResourceType: "USER", ResourceId: bea.arn }, "the first holder by username");
    assert.ok(await describeProfile(f, id));
  });

  test("once no user holds it, it can be deleted", async (t) => {
    const f = await fixture(t);
    const { id } = await create(f);
    const u = await addUser(f, [id]);
    await f.h.failure("DeleteSecurityProfile", { InstanceId: f.id, SecurityProfileId: id });
    await f.h.run("DeleteUser", { InstanceId: f.id, UserId: u.id });
    await f.h.run("DeleteSecurityProfile", { InstanceId: f.id, SecurityProfileId: id });
  });

  test("missing, already deleted, or foreign: ResourceNotFoundException, audited, nothing deleted", async (t) => {
    const f = await fixture(t);
    const other = await addInstance(f.h);
    const { id, arn } = await create(f);
    const gone = await create(f, { SecurityProfileName: "Gone" });
    await f.h.run("DeleteSecurityProfile", { InstanceId: f.id, SecurityProfileId: gone.id });
    for (const label of [NOBODY, gone.id, otherAccountArn(arn), otherRegionArn(arn), otherPartitionArn(arn)]) {
      await refusedChange(
        f,
        "DeleteSecurityProfile",
        { InstanceId: f.id, SecurityProfileId: label },
        NOT_FOUND(/Security profile not found/),
      );
    }
    await refusedChange(f, "DeleteSecurityProfile", { InstanceId: other.id, SecurityProfileId: id }, NOT_FOUND());
  });

  test("the name is free again after a delete", async (t) => {
    const f = await fixture(t);
    const { id } = await create(f, { SecurityProfileName: "Reused" });
    await f.h.run("DeleteSecurityProfile", { InstanceId: f.id, SecurityProfileId: id });
    await create(f, { SecurityProfileName: "Reused" });
  });
});

// ---------------------------------------------------------------------------------------------
// ListSecurityProfilePermissions

describe("ListSecurityProfilePermissions", () => {
  test("pages in name order; pages join to the whole list; 100 to a page by default", async (t) => {
    const f = await fixture(t);
    const names = Array.from({ length: 230 }, (_, i) => `Custom${String(i).padStart(3, "0")}.Access`).reverse();
    const { id } = await create(f, { Permissions: names });
    const first = await f.h.run("ListSecurityProfilePermissions", { InstanceId: f.id, SecurityProfileId: id });
    assert.equal(first.Permissions?.length, 100);
    assert.ok(first.NextToken);
    assert.deepEqual(await allPermissions(f, id, 7), [...names].sort());
    assert.deepEqual(await allPermissions(f, id), [...names].sort());
    const whole = await f.h.run("ListSecurityProfilePermissions", { InstanceId: f.id, SecurityProfileId: id, MaxResults: 1000 });
    assert.equal(whole.Permissions?.length, 230);
    assert.equal(whole.NextToken, undefined);
  });

  test("a token of another profile's listing, or a forged one, is refused", async (t) => {
    const f = await fixture(t);
    const a = await create(f, { SecurityProfileName: "A", Permissions: ["A.One", "A.Two"] });
    const b = await create(f, { SecurityProfileName: "B", Permissions: ["B.One", "B.Two"] });
    const page = await f.h.run("ListSecurityProfilePermissions", { InstanceId: f.id, SecurityProfileId: a.id, MaxResults: 1 });
    assert.ok(page.NextToken);
    const err = await f.h.failure("ListSecurityProfilePermissions", {
      InstanceId: f.id,
      SecurityProfileId: b.id,
      NextToken: page.NextToken,
    });
    assert.equal(err.status, 400);
    const forged = await f.h.failure("ListSecurityProfilePermissions", { InstanceId: f.id, SecurityProfileId: a.id, NextToken: "forged" });
    assert.equal(forged.status, 400);
  });

  test("MaxResults outside 1..1000, a missing or foreign profile: refused, not audited", async (t) => {
    const f = await fixture(t);
    const { id, arn } = await create(f);
    await refusedRead(
      f,
      "ListSecurityProfilePermissions",
      { InstanceId: f.id, SecurityProfileId: id, MaxResults: 0 },
      INVALID_PARAMETER(/'maxResults'/),
    );
    await refusedRead(
      f,
      "ListSecurityProfilePermissions",
      { InstanceId: f.id, SecurityProfileId: id, MaxResults: 1001 },
      INVALID_PARAMETER(/'maxResults'/),
    );
    for (const label of [NOBODY, otherAccountArn(arn), otherRegionArn(arn)]) {
      await refusedRead(
        f,
        "ListSecurityProfilePermissions",
        { InstanceId: f.id, SecurityProfileId: label },
        NOT_FOUND(/Security profile not found/),
      );
    }
  });
});
