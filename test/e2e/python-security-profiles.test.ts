// A security profile's life through real Python clients: Debian's boto3 (1.26) and AWS CLI v2
// (2.9), called by absolute path as in clients-python-cli.test.ts and isolated from the user's
// configuration. Their 2.9-era model lacks the newest SecurityProfile members
// (HierarchyRestrictedResources …), so the flow uses the members both know.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { isolatedAwsEnv } from "../helpers/aws-env.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

const PYTHON = "/usr/bin/python3";
const AWS = "/usr/bin/aws";
const SCRIPT = fileURLToPath(new URL("./python/boto3_security_profiles.py", import.meta.url));
const CLI_SERVICE_ERROR = 254;

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { env, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, encoding: "utf8" }, (error, stdout, stderr) => {
      if (error === null) return resolve({ code: 0, stdout, stderr });
      if (error.killed || error.signal) return reject(new Error(`${file}: killed after ${timeoutMs} ms\n${stderr}`));
      if (typeof error.code !== "number") return reject(error);
      resolve({ code: error.code, stdout, stderr });
    });
  });
}

type Attempt<T> =
  | { ok: { status: number; body: T } }
  | { error: { code: string; message: string; status: number; members: Record<string, unknown> } };
const ok = <T>(a: Attempt<T>, what: string) => {
  if ("error" in a) assert.fail(`${what}: expected success, got ${JSON.stringify(a.error)}`);
  return a.ok;
};
const clientError = <T>(a: Attempt<T>, what: string) => {
  if ("ok" in a) assert.fail(`${what}: expected a ClientError, got ${JSON.stringify(a.ok)}`);
  return a.error;
};

interface WireProfile {
  Id: string;
  Arn: string;
  SecurityProfileName: string;
  Description?: string;
  OrganizationResourceId: string;
  Tags: Record<string, string>;
}
interface Report {
  instance: { Id: string; Arn: string };
  created: { SecurityProfileId: string; SecurityProfileArn: string };
  describe: Attempt<{ SecurityProfile: WireProfile }>;
  permissions: string[];
  adminPermissions: string[];
  duplicate: Attempt<unknown>;
  update: Attempt<Record<string, never>>;
  permissionsAfterUpdate: string[];
  describeAfterUpdate: Attempt<{ SecurityProfile: WireProfile }>;
  tag: Attempt<Record<string, never>>;
  tagsAfterTag: Attempt<{ tags: Record<string, string> }>;
  untag: Attempt<Record<string, never>>;
  tagsAfterUntag: Attempt<{ tags: Record<string, string> }>;
  tagReserved: Attempt<unknown>;
  deleteInUse: Attempt<unknown>;
  deleteDefault: Attempt<unknown>;
  delete: Attempt<Record<string, never>>;
  describeAfterDelete: Attempt<unknown>;
}

let server: TestServer;
let env: NodeJS.ProcessEnv;

before(async () => {
  for (const bin of [PYTHON, AWS]) assert.ok(existsSync(bin), `${bin} is missing: run scripts/ensure-test-deps.sh`);
  server = await startTestServer();
  // No __pycache__ beside the scripts (the boto3 script imports recorded_calls.py).
  env = { ...isolatedAwsEnv(), PYTHONDONTWRITEBYTECODE: "1" };
});
after(() => server?.close());

describe("boto3 1.26: a security profile from create to delete", () => {
  let r: Report;
  before(async () => {
    const res = await run(PYTHON, [SCRIPT, server.url, `py-sp-${randomUUID().slice(0, 8)}`], env, 60_000);
    assert.equal(res.code, 0, `boto3 script failed (exit ${res.code}):\n${res.stderr}`);
    r = JSON.parse(res.stdout) as Report;
  });

  test("create, then describe reads every member back", () => {
    assert.equal(r.created.SecurityProfileArn, `${r.instance.Arn}/security-profile/${r.created.SecurityProfileId}`);
    const p = ok(r.describe, "describe_security_profile").body.SecurityProfile;
    assert.equal(p.Id, r.created.SecurityProfileId);
    assert.equal(p.SecurityProfileName, "Py Supervisors");
    assert.equal(p.Description, "made by boto3");
    assert.equal(p.OrganizationResourceId, r.instance.Id);
    assert.deepEqual(p.Tags, { team: "red" });
  });

  test("the permissions paginator (page size 2) and Admin's permissions", () => {
    assert.deepEqual(r.permissions, ["AccessMetrics", "BasicAgentAccess", "Users.View"]);
    for (const p of ["Users.Edit", "Users.EditPermission", "SecurityProfiles.Edit"]) assert.ok(r.adminPermissions.includes(p), p);
  });

  test("a second profile of the same name: DuplicateResourceException (409)", () => {
    const e = clientError(r.duplicate, "duplicate create");
    assert.equal(e.code, "DuplicateResourceException");
    assert.equal(e.status, 409);
  });

  test("update by ARN replaces the permissions and keeps the description", () => {
    assert.equal(ok(r.update, "update_security_profile").status, 200);
    assert.deepEqual(r.permissionsAfterUpdate, ["OutboundCallAccess"]);
    assert.equal(ok(r.describeAfterUpdate, "describe after update").body.SecurityProfile.Description, "made by boto3");
  });

  test("tag_resource / list_tags_for_resource / untag_resource; aws: keys refused", () => {
    ok(r.tag, "tag_resource");
    assert.deepEqual(ok(r.tagsAfterTag, "list after tag").body.tags, { team: "blue", floor: "2" });
    ok(r.untag, "untag_resource");
    assert.deepEqual(ok(r.tagsAfterUntag, "list after untag").body.tags, { team: "blue" });
    const e = clientError(r.tagReserved, "tag aws:owner");
    assert.equal(e.code, "InvalidParameterException");
    assert.equal(e.status, 400);
  });

  test("delete: refused while a user holds it (409, ResourceType USER) and for a default; then gone", () => {
    const inUse = clientError(r.deleteInUse, "delete in use");
    assert.equal(inUse.code, "ResourceInUseException");
    assert.equal(inUse.status, 409);
    assert.equal(inUse.members.ResourceType, "USER");
    assert.match(String(inUse.members.ResourceId), /\/agent\//);
    const def = clientError(r.deleteDefault, "delete Admin");
    assert.equal(def.code, "InvalidRequestException");
    assert.equal(ok(r.delete, "delete_security_profile").status, 200);
    const gone = clientError(r.describeAfterDelete, "describe after delete");
    assert.equal(gone.code, "ResourceNotFoundException");
    assert.equal(gone.status, 404);
  });
});

describe("AWS CLI v2 2.9: create / describe / tag / delete", () => {
  const aws = (args: string[]) => run(AWS, ["connect", ...args, "--endpoint-url", server.url, "--output", "json"], env, 30_000);
  async function awsOk(args: string[]): Promise<Record<string, unknown> | undefined> {
    const res = await aws(args);
    assert.equal(res.code, 0, `aws connect ${args.join(" ")} exited ${res.code}:\n${res.stderr}`);
    return res.stdout.trim() === "" ? undefined : (JSON.parse(res.stdout) as Record<string, unknown>);
  }

  test("the whole flow, with the profile addressed by id and by ARN", async () => {
    const inst = await awsOk([
      "create-instance",
      "--identity-management-type",
      "CONNECT_MANAGED",
      "--instance-alias",
      `cli-sp-${randomUUID().slice(0, 8)}`,
      "--inbound-calls-enabled",
      "--outbound-calls-enabled",
    ]);
    const instanceId = inst?.Id as string;
    const created = await awsOk([
      "create-security-profile",
      "--instance-id",
      instanceId,
      "--security-profile-name",
      "CLI Leads",
      "--description",
      "made by the CLI",
      "--permissions",
      "BasicAgentAccess",
      "Users.View",
      "--tags",
      "team=red",
    ]);
    const id = created?.SecurityProfileId as string;
    const arn = created?.SecurityProfileArn as string;
    assert.equal(arn, `${inst?.Arn as string}/security-profile/${id}`);

    const described = await awsOk(["describe-security-profile", "--instance-id", instanceId, "--security-profile-id", arn]);
    const p = described?.SecurityProfile as Record<string, unknown>;
    assert.equal(p.SecurityProfileName, "CLI Leads");
    assert.equal(p.Description, "made by the CLI");
    assert.deepEqual(p.Tags, { team: "red" });

    const perms = await awsOk(["list-security-profile-permissions", "--instance-id", instanceId, "--security-profile-id", id]);
    assert.deepEqual(perms?.Permissions, ["BasicAgentAccess", "Users.View"]);

    assert.equal(await awsOk(["tag-resource", "--resource-arn", arn, "--tags", "floor=3"]), undefined);
    assert.deepEqual((await awsOk(["list-tags-for-resource", "--resource-arn", arn]))?.tags, { team: "red", floor: "3" });
    assert.equal(await awsOk(["untag-resource", "--resource-arn", arn, "--tag-keys", "team", "floor"]), undefined);
    assert.deepEqual((await awsOk(["list-tags-for-resource", "--resource-arn", arn]))?.tags, {});

    assert.equal(await awsOk(["delete-security-profile", "--instance-id", instanceId, "--security-profile-id", id]), undefined);
    const res = await aws(["describe-security-profile", "--instance-id", instanceId, "--security-profile-id", id]);
    assert.equal(res.code, CLI_SERVICE_ERROR, res.stderr);
    assert.match(res.stderr, /ResourceNotFoundException/);
  });
});
