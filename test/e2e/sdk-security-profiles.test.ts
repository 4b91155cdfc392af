// Round trips with the real @aws-sdk/client-connect over HTTP: CreateSecurityProfile,
// DescribeSecurityProfile, UpdateSecurityProfile, DeleteSecurityProfile and
// ListSecurityProfilePermissions (with the SDK's paginator), every error they answer, and the
// four default profiles.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  type ConnectClient,
  CreateSecurityProfileCommand,
  type CreateSecurityProfileCommandInput,
  DeleteSecurityProfileCommand,
  DescribeSecurityProfileCommand,
  ListSecurityProfilePermissionsCommand,
  ListSecurityProfilesCommand,
  paginateListSecurityProfilePermissions,
  ResourceInUseException,
  UpdateSecurityProfileCommand,
} from "@aws-sdk/client-connect";
import { rejectsAws } from "../helpers/assert-aws.js";
import { createInstance, createUser, type InstanceFixture } from "../helpers/fixtures.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

let server: TestServer;
let c: ConnectClient;

before(async () => {
  server = await startTestServer(["--max-security-profiles-per-instance", "6"]);
  c = server.client();
});
after(() => server.close());

const MISSING = "00000000-0000-4000-8000-000000000000";

async function create(inst: InstanceFixture, extra: Partial<CreateSecurityProfileCommandInput> = {}) {
  const out = await c.send(new CreateSecurityProfileCommand({ InstanceId: inst.id, SecurityProfileName: "Supervisors", ...extra }));
  return { id: out.SecurityProfileId as string, arn: out.SecurityProfileArn as string };
}

const describeProfile = async (inst: InstanceFixture, id: string) =>
  (await c.send(new DescribeSecurityProfileCommand({ InstanceId: inst.id, SecurityProfileId: id }))).SecurityProfile;

async function permissions(inst: InstanceFixture, id: string, pageSize = 60): Promise<string[]> {
  const out: string[] = [];
  for await (const page of paginateListSecurityProfilePermissions(
    { client: c, pageSize },
    { InstanceId: inst.id, SecurityProfileId: id },
  )) {
    out.push(...(page.Permissions ?? []));
  }
  return out;
}

describe("security profiles through the SDK", () => {
  test("create with every member; describe returns them; tags included; ListSecurityProfiles lists it", async () => {
    const inst = await createInstance(c);
    const { id, arn } = await create(inst, {
      Description: "Floor leads",
      Permissions: ["BasicAgentAccess", "Users.View", "AccessMetrics"],
      Tags: { team: "red" },
      AllowedAccessControlTags: { floor: "2" },
      TagRestrictedResources: ["User"],
      HierarchyRestrictedResources: ["User"],
      Applications: [{ Namespace: "crm.example.com", ApplicationPermissions: ["ACCESS"] }],
    });
    assert.equal(arn, `${inst.arn}/security-profile/${id}`);
    const p = await describeProfile(inst, id);
    assert.equal(p?.Id, id);
    assert.equal(p?.Arn, arn);
    assert.equal(p?.SecurityProfileName, "Supervisors");
    assert.equal(p?.OrganizationResourceId, inst.id);
    assert.equal(p?.Description, "Floor leads");
    assert.deepEqual(p?.Tags, { team: "red" });
    assert.deepEqual(p?.AllowedAccessControlTags, { floor: "2" });
    assert.deepEqual(p?.TagRestrictedResources, ["User"]);
    assert.deepEqual(p?.HierarchyRestrictedResources, ["User"]);
    assert.equal(p?.LastModifiedRegion, "us-east-1");
    assert.ok(p?.LastModifiedTime instanceof Date && Math.abs(p.LastModifiedTime.getTime() - Date.now()) < 60_000);
    assert.deepEqual(await permissions(inst, id), ["AccessMetrics", "BasicAgentAccess", "Users.View"]);
    const listed = await c.send(new ListSecurityProfilesCommand({ InstanceId: inst.id }));
    assert.deepEqual(
      listed.SecurityProfileSummaryList?.map((s) => s.Name),
      ["Admin", "Agent", "CallCenterManager", "QualityAnalyst", "Supervisors"],
    );
  });

  test("the defaults: Admin holds Users.Edit, Users.EditPermission and SecurityProfiles.*; Agent the CCP", async () => {
    const inst = await createInstance(c);
    const admin = await permissions(inst, inst.adminProfileId, 50);
    for (const p of [
      "Users.Edit",
      "Users.EditPermission",
      "SecurityProfiles.Create",
      "SecurityProfiles.Edit",
      "SecurityProfiles.Delete",
      "SecurityProfiles.View",
    ]) {
      assert.ok(admin.includes(p), p);
    }
    assert.ok(admin.length > 100, "Admin pages through many permissions");
    assert.deepEqual(await permissions(inst, inst.agentProfileId), ["BasicAgentAccess", "OutboundCallAccess"]);
    const page = await c.send(
      new ListSecurityProfilePermissionsCommand({ InstanceId: inst.id, SecurityProfileId: inst.adminProfileId, MaxResults: 10 }),
    );
    assert.equal(page.Permissions?.length, 10);
    assert.ok(page.NextToken);
    assert.ok(page.LastModifiedTime instanceof Date);
    assert.equal(page.LastModifiedRegion, "us-east-1");
    await rejectsAws(
      c.send(new DeleteSecurityProfileCommand({ InstanceId: inst.id, SecurityProfileId: inst.adminProfileId })),
      "InvalidRequestException",
      400,
    );
  });

  test("update keeps omitted members and replaces the ones sent; ARNs work in every Id position", async () => {
    const inst = await createInstance(c);
    const { id, arn } = await create(inst, { Description: "before", Permissions: ["BasicAgentAccess"] });
    await c.send(new UpdateSecurityProfileCommand({ InstanceId: inst.arn, SecurityProfileId: arn, Description: "after" }));
    assert.deepEqual(await permissions(inst, id), ["BasicAgentAccess"]);
    await c.send(
      new UpdateSecurityProfileCommand({ InstanceId: inst.id, SecurityProfileId: id, Permissions: ["Users.View", "Users.Edit"] }),
    );
    assert.deepEqual(await permissions(inst, id), ["Users.Edit", "Users.View"]);
    assert.equal((await describeProfile(inst, arn))?.Description, "after");
  });

  test("delete; then Describe, Update, Delete and ListSecurityProfilePermissions answer ResourceNotFoundException", async () => {
    const inst = await createInstance(c);
    const { id } = await create(inst);
    await c.send(new DeleteSecurityProfileCommand({ InstanceId: inst.id, SecurityProfileId: id }));
    const ids = { InstanceId: inst.id, SecurityProfileId: id };
    await rejectsAws(c.send(new DescribeSecurityProfileCommand(ids)), "ResourceNotFoundException", 404);
    await rejectsAws(c.send(new UpdateSecurityProfileCommand({ ...ids, Description: "x" })), "ResourceNotFoundException", 404);
    await rejectsAws(c.send(new DeleteSecurityProfileCommand(ids)), "ResourceNotFoundException", 404);
    await rejectsAws(c.send(new ListSecurityProfilePermissionsCommand(ids)), "ResourceNotFoundException", 404);
  });

  test("a profile a user holds: ResourceInUseException (409) with ResourceType and ResourceId", async () => {
    const inst = await createInstance(c);
    const { id } = await create(inst);
    const user = await createUser(c, inst, { SecurityProfileIds: [id] });
    try {
      await c.send(new DeleteSecurityProfileCommand({ InstanceId: inst.id, SecurityProfileId: id }));
      assert.fail("the delete succeeded");
    } catch (err) {
      assert.ok(err instanceof ResourceInUseException, String(err));
      assert.equal(err.$metadata.httpStatusCode, 409);
      assert.equal(err.ResourceType, "USER");
      assert.equal(err.ResourceId, user.arn);
    }
    assert.ok(await describeProfile(inst, id));
  });

  test("errors of CreateSecurityProfile: DuplicateResource 409, LimitExceeded 429, InvalidParameter 400, ResourceNotFound 404", async () => {
    const inst = await createInstance(c);
    await create(inst, { SecurityProfileName: "One" });
    assert.match(await rejectsAws(create(inst, { SecurityProfileName: "One" }), "DuplicateResourceException", 409), /One/);
    await rejectsAws(create(inst, { SecurityProfileName: "bad/name" }), "InvalidParameterException", 400);
    await rejectsAws(create(inst, { SecurityProfileName: "Bad", Permissions: ["not valid"] }), "InvalidParameterException", 400);
    await rejectsAws(create(inst, { SecurityProfileName: "Bad", Tags: { "aws:x": "y" } }), "InvalidParameterException", 400);
    await rejectsAws(
      create(inst, { SecurityProfileName: "Bad", AllowedAccessControlHierarchyGroupId: MISSING }),
      "ResourceNotFoundException",
      404,
    );
    await rejectsAws(create({ ...inst, id: MISSING }, { SecurityProfileName: "Bad" }), "ResourceNotFoundException", 404);
    await create(inst, { SecurityProfileName: "Two" });
    assert.match(await rejectsAws(create(inst, { SecurityProfileName: "Three" }), "LimitExceededException", 429), /maximum of 6/);
    const listed = await c.send(new ListSecurityProfilesCommand({ InstanceId: inst.id }));
    assert.equal(listed.SecurityProfileSummaryList?.length, 6, "no refused create left a profile behind");
  });

  test("foreign ARNs never resolve; another region sees nothing", async () => {
    const inst = await createInstance(c);
    const other = await createInstance(c);
    const { id, arn } = await create(inst);
    await rejectsAws(
      c.send(new DescribeSecurityProfileCommand({ InstanceId: other.id, SecurityProfileId: arn })),
      "ResourceNotFoundException",
      404,
    );
    await rejectsAws(
      c.send(
        new DescribeSecurityProfileCommand({ InstanceId: inst.id, SecurityProfileId: arn.replace(":000000000000:", ":111122223333:") }),
      ),
      "ResourceNotFoundException",
      404,
    );
    const eu = server.client({ region: "eu-west-2" });
    await rejectsAws(
      eu.send(new DescribeSecurityProfileCommand({ InstanceId: inst.id, SecurityProfileId: id })),
      "ResourceNotFoundException",
      404,
    );
  });

  test("ListSecurityProfilePermissions: MaxResults out of range and a forged token are InvalidParameterException", async () => {
    const inst = await createInstance(c);
    const ids = { InstanceId: inst.id, SecurityProfileId: inst.adminProfileId };
    await rejectsAws(c.send(new ListSecurityProfilePermissionsCommand({ ...ids, MaxResults: 1001 })), "InvalidParameterException", 400);
    await rejectsAws(c.send(new ListSecurityProfilePermissionsCommand({ ...ids, NextToken: "forged" })), "InvalidParameterException", 400);
  });
});
