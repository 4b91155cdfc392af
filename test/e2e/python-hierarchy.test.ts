// The hierarchy family and the instance attributes through the real Python clients: one boto3
// flow (test/e2e/python/boto3_hierarchy.py records every answer, this checks them) and one AWS
// CLI v2 flow (shorthand and JSON arguments, the CLI's own pagination, its error exit).
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { isolatedAwsEnv } from "../helpers/aws-env.js";
import {
  type Attempt,
  assertClientsInstalled,
  awsConnect,
  CLI_SERVICE_ERROR,
  clientError,
  ok,
  PYTHON,
  parseJson,
  run,
} from "../helpers/python-clients.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

const BOTO3_SCRIPT = fileURLToPath(new URL("./python/boto3_hierarchy.py", import.meta.url));

let server: TestServer;
let env: NodeJS.ProcessEnv;

before(async () => {
  assertClientsInstalled();
  server = await startTestServer();
  env = isolatedAwsEnv();
});
after(async () => {
  await server?.close();
});

interface Summary {
  Id: string;
  Arn: string;
  Name: string;
  LastModifiedTime?: string;
  LastModifiedRegion?: string;
}
interface Level extends Summary {}
type Path = Partial<Record<"LevelOne" | "LevelTwo" | "LevelThree" | "LevelFour" | "LevelFive", Summary>>;
interface Group extends Summary {
  LevelId: string;
  HierarchyPath: Path;
  Tags: Record<string, string>;
}
interface Created {
  HierarchyGroupId: string;
  HierarchyGroupArn: string;
}
interface Boto3Report {
  instance: { Id: string; Arn: string };
  retry: Attempt<{ Id: string; Arn: string }>;
  tokenReusedOtherwise: Attempt<unknown>;
  updateAttribute: Attempt<Record<string, never>>;
  describeAttribute: Attempt<{ Attribute: { AttributeType: string; Value: string } }>;
  updateInbound: Attempt<Record<string, never>>;
  describeInstance: Attempt<{ Instance: { InboundCallsEnabled: boolean; OutboundCallsEnabled: boolean; InstanceStatus: string } }>;
  badValue: Attempt<unknown>;
  attributes: { AttributeType: string; Value: string }[];
  emptyStructure: Attempt<{ HierarchyStructure: Record<string, Level> }>;
  groupWithoutLevel: Attempt<unknown>;
  setStructure: Attempt<Record<string, never>>;
  structure: Attempt<{ HierarchyStructure: Record<string, Level> }>;
  gap: Attempt<unknown>;
  groups: { top: Created; division: Created; team: Created };
  describeTeam: Attempt<{ HierarchyGroup: Group }>;
  duplicate: Attempt<unknown>;
  rename: Attempt<Record<string, never>>;
  describeTeamAfterRename: Attempt<{ HierarchyGroup: Group }>;
  listed: Summary[];
  deleteParent: Attempt<unknown>;
  removeOccupiedLevel: Attempt<unknown>;
  unknownGroup: Attempt<unknown>;
  deletes: Attempt<Record<string, never>>[];
  describeDeleted: Attempt<unknown>;
  removeStructure: Attempt<Record<string, never>>;
  structureAfterRemove: Attempt<{ HierarchyStructure: Record<string, Level> }>;
}

describe("boto3 1.26 (Debian python3-boto3): hierarchy and instance attributes", () => {
  const alias = `pyh-${randomUUID().slice(0, 8)}`;
  let r: Boto3Report;

  before(async () => {
    // The script imports recording.py next to it; no bytecode is written into the tree.
    const res = await run(PYTHON, [BOTO3_SCRIPT, server.url, alias], { ...env, PYTHONDONTWRITEBYTECODE: "1" }, 60_000);
    assert.equal(res.code, 0, `boto3 script failed (exit ${res.code}):\n${res.stderr}`);
    r = parseJson(res.stdout, "boto3 script") as Boto3Report;
  });

  test("create_instance retried with its ClientToken returns the same instance; reused otherwise → InvalidRequestException", () => {
    assert.deepEqual(ok(r.retry, "retry").body, r.instance);
    const e = clientError(r.tokenReusedOtherwise, "token reused with other parameters");
    assert.equal(e.code, "InvalidRequestException");
    assert.equal(e.status, 400);
    assert.match(e.message, /clientToken/);
  });

  test("instance attributes: update and describe, INBOUND_CALLS reaches describe_instance, a bad value is refused, the paginator lists every type", () => {
    assert.equal(ok(r.updateAttribute, "update_instance_attribute").status, 200);
    assert.deepEqual(ok(r.describeAttribute, "describe_instance_attribute").body.Attribute, {
      AttributeType: "CONTACT_LENS",
      Value: "true",
    });
    ok(r.updateInbound, "update INBOUND_CALLS");
    const inst = ok(r.describeInstance, "describe_instance").body.Instance;
    assert.equal(inst.InboundCallsEnabled, false);
    assert.equal(inst.OutboundCallsEnabled, true);
    assert.equal(inst.InstanceStatus, "ACTIVE");
    const bad = clientError(r.badValue, "a non-boolean value");
    assert.equal(bad.code, "InvalidParameterException");
    assert.equal(bad.status, 400);
    assert.equal(r.attributes.length, 12);
    const values = Object.fromEntries(r.attributes.map((a) => [a.AttributeType, a.Value]));
    assert.equal(values.INBOUND_CALLS, "false");
    assert.equal(values.OUTBOUND_CALLS, "true");
    assert.equal(values.CONTACT_LENS, "true");
    assert.equal(values.MULTI_PARTY_CHAT_CONFERENCE, "false", "types newer than boto3 1.26's model come through too");
  });

  test("the structure: empty at first, a group needs its level, three levels read back, a gap is refused", () => {
    assert.deepEqual(ok(r.emptyStructure, "empty structure").body.HierarchyStructure, {});
    const early = clientError(r.groupWithoutLevel, "group before any level");
    assert.equal(early.code, "ResourceNotFoundException");
    assert.equal(early.status, 404);
    assert.equal(ok(r.setStructure, "update_user_hierarchy_structure").status, 200);
    const s = ok(r.structure, "describe_user_hierarchy_structure").body.HierarchyStructure;
    assert.deepEqual(Object.keys(s), ["LevelOne", "LevelTwo", "LevelThree"]);
    assert.equal(s.LevelOne?.Name, "Company");
    assert.equal(s.LevelThree?.Arn, `${r.instance.Arn}/agent-group-level/3`);
    assert.equal(clientError(r.gap, "a gap").code, "InvalidParameterException");
  });

  test("groups: created under their parents (ARNs accepted) with tags; the whole path; duplicates refused; renames seen", () => {
    const { top, division, team } = r.groups;
    assert.equal(team.HierarchyGroupArn, `${r.instance.Arn}/agent-group/${team.HierarchyGroupId}`);
    const g = ok(r.describeTeam, "describe_user_hierarchy_group").body.HierarchyGroup;
    assert.equal(g.Id, team.HierarchyGroupId);
    assert.equal(g.Name, "EU Site");
    assert.equal(g.LevelId, "3");
    assert.deepEqual(g.Tags, { team: "eu" });
    assert.deepEqual(
      [g.HierarchyPath.LevelOne?.Id, g.HierarchyPath.LevelTwo?.Id, g.HierarchyPath.LevelThree?.Id],
      [top.HierarchyGroupId, division.HierarchyGroupId, team.HierarchyGroupId],
    );
    const dup = clientError(r.duplicate, "a sibling's name");
    assert.equal(dup.code, "DuplicateResourceException");
    assert.equal(dup.status, 409);
    ok(r.rename, "update_user_hierarchy_group_name");
    assert.equal(
      ok(r.describeTeamAfterRename, "describe after rename").body.HierarchyGroup.HierarchyPath.LevelTwo?.Name,
      "Services Division",
    );
    assert.deepEqual(
      r.listed.map((s) => s.Name),
      ["EU Site", "Example Corp", "Services Division"],
    );
  });

  test("refusals: a parent with children, an occupied level (ResourceType in the body), an unknown group", () => {
    const parent = clientError(r.deleteParent, "delete a parent");
    assert.equal(parent.code, "ResourceInUseException");
    assert.equal(parent.status, 409);
    const level = clientError(r.removeOccupiedLevel, "remove an occupied level");
    assert.equal(level.code, "ResourceInUseException");
    assert.equal(level.extra?.ResourceType, "HIERARCHY_LEVEL");
    assert.equal(level.extra?.ResourceId, `${r.instance.Arn}/agent-group-level/2`);
    assert.equal(clientError(r.unknownGroup, "unknown group").code, "ResourceNotFoundException");
  });

  test("clean-up as Terraform's Delete: groups bottom up, then an empty structure", () => {
    for (const d of r.deletes) assert.equal(ok(d, "delete_user_hierarchy_group").status, 200);
    assert.equal(clientError(r.describeDeleted, "describe a deleted group").code, "ResourceNotFoundException");
    ok(r.removeStructure, "empty structure");
    assert.deepEqual(ok(r.structureAfterRemove, "structure after removal").body.HierarchyStructure, {});
  });
});

describe("AWS CLI v2 2.9 (Debian awscli): hierarchy and instance attributes", () => {
  const { aws, awsOk } = awsConnect(
    () => server.url,
    () => env,
  );
  let instanceId = "";
  let instanceArn = "";

  before(async () => {
    const inst = (await awsOk([
      "create-instance",
      "--identity-management-type",
      "CONNECT_MANAGED",
      "--instance-alias",
      `clih-${randomUUID().slice(0, 8)}`,
      "--inbound-calls-enabled",
      "--outbound-calls-enabled",
    ])) as { Id: string; Arn: string };
    instanceId = inst.Id;
    instanceArn = inst.Arn;
  });

  test("instance attributes: update-, describe- and list-instance-attributes (the CLI pages by itself)", async () => {
    assert.equal(
      await awsOk(["update-instance-attribute", "--instance-id", instanceId, "--attribute-type", "EARLY_MEDIA", "--value", "true"]),
      undefined,
    );
    const d = (await awsOk(["describe-instance-attribute", "--instance-id", instanceId, "--attribute-type", "EARLY_MEDIA"])) as {
      Attribute: { AttributeType: string; Value: string };
    };
    assert.deepEqual(d.Attribute, { AttributeType: "EARLY_MEDIA", Value: "true" });
    const all = (await awsOk(["list-instance-attributes", "--instance-id", instanceId, "--page-size", "3"])) as {
      Attributes: { AttributeType: string; Value: string }[];
    };
    assert.equal(all.Attributes.length, 12);
    assert.equal(all.Attributes.find((a) => a.AttributeType === "EARLY_MEDIA")?.Value, "true");
  });

  test("structure with shorthand, groups with --parent-group-id and --tags, describe, rename, list, delete", async () => {
    await awsOk([
      "update-user-hierarchy-structure",
      "--instance-id",
      instanceId,
      "--hierarchy-structure",
      "LevelOne={Name=Company},LevelTwo={Name=Team}",
    ]);
    const s = (await awsOk(["describe-user-hierarchy-structure", "--instance-id", instanceId])) as {
      HierarchyStructure: Record<string, Level>;
    };
    assert.deepEqual(
      Object.entries(s.HierarchyStructure).map(([k, v]) => [k, v.Name, v.Arn]),
      [
        ["LevelOne", "Company", `${instanceArn}/agent-group-level/1`],
        ["LevelTwo", "Team", `${instanceArn}/agent-group-level/2`],
      ],
    );
    const top = (await awsOk([
      "create-user-hierarchy-group",
      "--instance-id",
      instanceId,
      "--name",
      "HQ",
      "--tags",
      "env=test",
    ])) as Created;
    const child = (await awsOk([
      "create-user-hierarchy-group",
      "--instance-id",
      instanceId,
      "--name",
      "Support",
      "--parent-group-id",
      top.HierarchyGroupId,
    ])) as Created;
    const g = (
      (await awsOk(["describe-user-hierarchy-group", "--instance-id", instanceId, "--hierarchy-group-id", child.HierarchyGroupId])) as {
        HierarchyGroup: Group;
      }
    ).HierarchyGroup;
    assert.equal(g.LevelId, "2");
    assert.equal(g.HierarchyPath.LevelOne?.Id, top.HierarchyGroupId);
    assert.equal(g.HierarchyPath.LevelTwo?.Arn, child.HierarchyGroupArn);
    const topRead = (
      (await awsOk(["describe-user-hierarchy-group", "--instance-id", instanceId, "--hierarchy-group-id", top.HierarchyGroupArn])) as {
        HierarchyGroup: Group;
      }
    ).HierarchyGroup;
    assert.deepEqual(topRead.Tags, { env: "test" });
    await awsOk([
      "update-user-hierarchy-group-name",
      "--instance-id",
      instanceId,
      "--hierarchy-group-id",
      top.HierarchyGroupId,
      "--name",
      "Headquarters",
    ]);
    const listed = (await awsOk(["list-user-hierarchy-groups", "--instance-id", instanceId, "--page-size", "1"])) as {
      UserHierarchyGroupSummaryList: Summary[];
    };
    assert.deepEqual(
      listed.UserHierarchyGroupSummaryList.map((x) => x.Name),
      ["Headquarters", "Support"],
    );
    const refused = await aws(["delete-user-hierarchy-group", "--instance-id", instanceId, "--hierarchy-group-id", top.HierarchyGroupId]);
    assert.equal(refused.code, CLI_SERVICE_ERROR, `exit code (stderr: ${refused.stderr})`);
    assert.match(refused.stderr, /\(ResourceInUseException\) when calling the DeleteUserHierarchyGroup operation/);
    for (const id of [child.HierarchyGroupId, top.HierarchyGroupId]) {
      assert.equal(await awsOk(["delete-user-hierarchy-group", "--instance-id", instanceId, "--hierarchy-group-id", id]), undefined);
    }
    await awsOk(["update-user-hierarchy-structure", "--instance-id", instanceId, "--hierarchy-structure", "{}"]);
    const empty = (await awsOk(["describe-user-hierarchy-structure", "--instance-id", instanceId])) as { HierarchyStructure: object };
    assert.deepEqual(empty.HierarchyStructure, {});
  });

  test("a group whose level is missing: exit code 254, ResourceNotFoundException on stderr", async () => {
    const res = await aws(["create-user-hierarchy-group", "--instance-id", instanceId, "--name", "orphan"]);
    assert.equal(res.code, CLI_SERVICE_ERROR, `exit code (stderr: ${res.stderr})`);
    assert.match(res.stderr, /\(ResourceNotFoundException\) when calling the CreateUserHierarchyGroup operation/);
  });
});
