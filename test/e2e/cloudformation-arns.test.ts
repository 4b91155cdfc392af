// The AWS::Connect::User lifecycle as CloudFormation's handler drives it, through boto3 1.26
// (test/e2e/python/boto3_cloudformation_arns.py records every answer, this checks them): ARNs in
// every Id position — InstanceId and UserId percent-encoded in the path, RoutingProfileId,
// SecurityProfileIds and HierarchyGroupId in bodies — all five IdentityInfo members sent with
// null where unset (a null member is an absent one), updates in the handler's order
// (IdentityInfo, PhoneConfig, RoutingProfile, Hierarchy, SecurityProfiles, Untag, Tag), and
// Describe* answering bare IDs. ARNs of another instance, region or account name nothing.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { isolatedAwsEnv } from "../helpers/aws-env.js";
import { type Attempt, assertClientsInstalled, clientError, ok, PYTHON, parseJson, run } from "../helpers/python-clients.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

const SCRIPT = fileURLToPath(new URL("./python/boto3_cloudformation_arns.py", import.meta.url));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let server: TestServer;

before(async () => {
  assertClientsInstalled();
  server = await startTestServer();
});
after(async () => {
  await server?.close();
});

interface Ref {
  Id: string;
  Arn: string;
}
interface User {
  Id: string;
  Arn: string;
  Username: string;
  IdentityInfo: Record<string, string>;
  PhoneConfig: Record<string, unknown>;
  SecurityProfileIds: string[];
  RoutingProfileId: string;
  HierarchyGroupId?: string;
  Tags: Record<string, string>;
}
interface Report {
  refs: Record<"instance" | "agent" | "basic" | "sales" | "leads" | "site" | "team" | "otherAdmin", Ref>;
  create: Attempt<{ UserId: string; UserArn: string }>;
  readCreated: Attempt<{ User: User }>;
  updates: [string, Attempt<Record<string, never>>][];
  readUpdated: Attempt<{ User: User }>;
  readBare: Attempt<{ User: User }>;
  readRoutingByArn: Attempt<{ RoutingProfile: { RoutingProfileId: string; Name: string } }>;
  readGroupByArn: Attempt<{ HierarchyGroup: { Id: string; Name: string; HierarchyPath: Record<string, Ref> } }>;
  refused: Record<string, Attempt<unknown>>;
  readAfterRefusals: Attempt<{ User: User }>;
  delete: Attempt<Record<string, never>>;
  readDeleted: Attempt<unknown>;
}

describe("AWS::Connect::User through boto3 with ARNs everywhere", () => {
  let r: Report;
  let created: { UserId: string; UserArn: string };

  before(async () => {
    const alias = `cfn-${randomUUID().slice(0, 8)}`;
    const res = await run(PYTHON, [SCRIPT, server.url, alias], { ...isolatedAwsEnv(), PYTHONDONTWRITEBYTECODE: "1" }, 60_000);
    assert.equal(res.code, 0, `boto3 script failed (exit ${res.code}):\n${res.stderr}`);
    r = parseJson(res.stdout, "boto3 script") as Report;
    created = ok(r.create, "create").body;
  });

  test("CreateUser with ARNs and null members; DescribeUser by ARNs answers bare IDs, the nulls absent", () => {
    assert.match(created.UserId, UUID);
    assert.equal(created.UserArn, `${r.refs.instance.Arn}/agent/${created.UserId}`);
    const u = ok(r.readCreated, "readCreated").body.User;
    assert.equal(u.Id, created.UserId);
    assert.equal(u.Arn, created.UserArn);
    assert.equal(u.Username, "cfn.agent");
    assert.deepEqual(u.IdentityInfo, { FirstName: "Cloud", LastName: "Formation" }, "null members are absent, not stored as null");
    assert.deepEqual(u.PhoneConfig, { PhoneType: "SOFT_PHONE", AutoAccept: false, AfterContactWorkTimeLimit: 0 });
    assert.deepEqual(u.SecurityProfileIds, [r.refs.agent.Id]);
    assert.equal(u.RoutingProfileId, r.refs.basic.Id);
    assert.equal(u.HierarchyGroupId, r.refs.site.Id);
    assert.deepEqual(u.Tags, { stack: "cfn", env: "test" });
  });

  test("the updates in the handler's order each answer 200; the user read back holds every change, as bare IDs", () => {
    assert.deepEqual(
      r.updates.map(([name]) => name),
      [
        "UpdateUserIdentityInfo",
        "UpdateUserPhoneConfig",
        "UpdateUserRoutingProfile",
        "UpdateUserHierarchy",
        "UpdateUserSecurityProfiles",
        "UntagResource",
        "TagResource",
      ],
    );
    for (const [name, a] of r.updates) assert.equal(ok(a, name).status, 200, name);
    const u = ok(r.readUpdated, "readUpdated").body.User;
    assert.deepEqual(u.IdentityInfo, { FirstName: "Cloud", LastName: "Formed", Email: "cfn@example.com", Mobile: "+14155550100" });
    assert.deepEqual(u.PhoneConfig, {
      PhoneType: "DESK_PHONE",
      AutoAccept: true,
      AfterContactWorkTimeLimit: 45,
      DeskPhoneNumber: "+442071838750",
    });
    assert.equal(u.RoutingProfileId, r.refs.sales.Id);
    assert.equal(u.HierarchyGroupId, r.refs.team.Id);
    assert.deepEqual(u.SecurityProfileIds, [r.refs.leads.Id, r.refs.agent.Id]);
    assert.deepEqual(u.Tags, { stack: "cfn-2", owner: "ops" });
    assert.deepEqual(ok(r.readBare, "readBare").body.User, u, "bare IDs describe the same user");
  });

  test("Describe* take ARNs in every Id position too", () => {
    const rp = ok(r.readRoutingByArn, "readRoutingByArn").body.RoutingProfile;
    assert.deepEqual([rp.RoutingProfileId, rp.Name], [r.refs.sales.Id, "Sales"]);
    const g = ok(r.readGroupByArn, "readGroupByArn").body.HierarchyGroup;
    assert.deepEqual([g.Id, g.Name, g.HierarchyPath.LevelOne?.Id], [r.refs.team.Id, "Nights", r.refs.site.Id]);
  });

  test("an ARN of another region, account or instance names nothing: ResourceNotFoundException, the user unchanged", () => {
    for (const [name, a] of Object.entries(r.refused)) {
      const e = clientError(a, name);
      assert.deepEqual([e.code, e.status], ["ResourceNotFoundException", 404], `${name}: ${e.message}`);
    }
    assert.deepEqual(ok(r.readAfterRefusals, "readAfterRefusals").body.User, ok(r.readUpdated, "readUpdated").body.User);
  });

  test("DeleteUser by ARNs; DescribeUser then answers ResourceNotFoundException", () => {
    assert.equal(ok(r.delete, "delete").status, 200);
    const e = clientError(r.readDeleted, "readDeleted");
    assert.deepEqual([e.code, e.status], ["ResourceNotFoundException", 404]);
  });

  test("every change is in the audit trail, against the user, with the ARNs as sent", async () => {
    const events = (await server.store.audit.chain(0, 100_000)).filter((e) => e.targetUserId === created.UserId && !e.errorCode);
    assert.deepEqual(
      events.map((e) => e.eventName),
      [
        "CreateUser",
        "UpdateUserIdentityInfo",
        "UpdateUserPhoneConfig",
        "UpdateUserRoutingProfile",
        "UpdateUserHierarchy",
        "UpdateUserSecurityProfiles",
        "UntagResource",
        "TagResource",
        "DeleteUser",
      ],
    );
    const params = events.find((e) => e.eventName === "UpdateUserSecurityProfiles")?.record.requestParameters as Record<string, unknown>;
    assert.equal(params.instanceId ?? params.InstanceId, r.refs.instance.Arn);
  });
});
