// Real clients against a running Switchboard: Debian's boto3 (1.26) and AWS CLI v2 (2.9), both
// called by absolute path (/usr/bin/python3, /usr/bin/aws) because the `python3` and `aws` on
// PATH may be other installs. scripts/ensure-test-deps.sh installs them on a fresh machine.
// Each client is isolated from the user's configuration: credentials from the environment only,
// config and credentials files /dev/null, no pager, no instance metadata, no user site-packages.
// The clients set up their own instance and user; nothing here reaches into the server.
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
const BOTO3_SCRIPT = fileURLToPath(new URL("./python/boto3_identity_info.py", import.meta.url));
const CLI_SERVICE_ERROR = 254; // the AWS CLI v2's exit code for an error the service returned

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const clientEnv = () => isolatedAwsEnv();

/** Runs a program to completion (or the timeout); a non-zero exit is a result, not a rejection. */
function run(file: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { env, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, encoding: "utf8" }, (error, stdout, stderr) => {
      if (error === null) return resolve({ code: 0, stdout, stderr });
      if (error.killed || error.signal) {
        return reject(new Error(`${file} ${args.join(" ")}: killed (${error.signal ?? "timeout"}) after ${timeoutMs} ms\n${stderr}`));
      }
      if (typeof error.code !== "number") return reject(error); // could not start it at all (ENOENT, …)
      resolve({ code: error.code, stdout, stderr });
    });
  });
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    assert.fail(`${what}: stdout is not JSON:\n${text}`);
  }
}

let server: TestServer;
let env: NodeJS.ProcessEnv;

before(async () => {
  for (const bin of [PYTHON, AWS]) {
    assert.ok(existsSync(bin), `${bin} is missing: run scripts/ensure-test-deps.sh (installs python3-boto3 and awscli)`);
  }
  server = await startTestServer();
  env = clientEnv();
});

after(async () => {
  await server?.close();
});

// ---------------------------------------------------------------------------------------------
// boto3
// ---------------------------------------------------------------------------------------------

interface IdentityInfo {
  FirstName?: string;
  LastName?: string;
  Email?: string;
  SecondaryEmail?: string;
  Mobile?: string;
}
interface WireUser {
  Id: string;
  Arn: string;
  Username: string;
  IdentityInfo: IdentityInfo;
  PhoneConfig: Record<string, unknown>;
  SecurityProfileIds: string[];
  RoutingProfileId: string;
}
type Attempt<T> = { ok: { status: number; body: T } } | { error: { code: string; message: string; status: number } };
interface Summary {
  Id: string;
  Arn: string;
  Name: string;
}
interface Boto3Report {
  instance: { Id: string; Arn: string };
  securityProfiles: Summary[];
  routingProfiles: Summary[];
  user: { UserId: string; UserArn: string; Username: string; AgentProfileId: string; RoutingProfileId: string };
  update: Attempt<Record<string, never>>;
  describeAfterUpdate: Attempt<{ User: WireUser }>;
  updateByUserArn: Attempt<Record<string, never>>;
  describeByUserArn: Attempt<{ User: WireUser }>;
  updateByInstanceArn: Attempt<Record<string, never>>;
  describeByInstanceArn: Attempt<{ User: WireUser }>;
  unknownUserId: string;
  updateUnknownUser: Attempt<unknown>;
  updateBadSecondaryEmail: Attempt<unknown>;
  describeAfterBadUpdate: Attempt<{ User: WireUser }>;
  wrongSecret: Attempt<unknown>;
  wrongSecretUpdate: Attempt<unknown>;
  describeAfterWrongSecretUpdate: Attempt<{ User: WireUser }>;
  unknownAccessKey: Attempt<unknown>;
  rightKeys: Attempt<{ InstanceSummaryList: { Id: string; Arn: string; InstanceAlias?: string }[] }>;
}

/** The successful answer of a recorded call (fails the test with the error otherwise). */
function ok<T>(a: Attempt<T>, what: string): { status: number; body: T } {
  if ("error" in a) assert.fail(`${what}: expected success, got ${JSON.stringify(a.error)}`);
  return a.ok;
}
/** The ClientError of a recorded call (fails the test if the call succeeded). */
function clientError<T>(a: Attempt<T>, what: string): { code: string; message: string; status: number } {
  if ("ok" in a) assert.fail(`${what}: expected a ClientError, got success ${JSON.stringify(a.ok)}`);
  return a.error;
}

describe("boto3 1.26 (Debian python3-boto3)", () => {
  const alias = `py-${randomUUID().slice(0, 8)}`;
  let r: Boto3Report;

  before(async () => {
    const res = await run(PYTHON, [BOTO3_SCRIPT, server.url, alias], env, 60_000);
    assert.equal(res.code, 0, `boto3 script failed (exit ${res.code}):\n${res.stderr}`);
    r = parseJson(res.stdout, "boto3 script") as Boto3Report;
  });

  test("setup through boto3: the new instance's default profiles, a user on it", () => {
    assert.match(r.instance.Id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(r.instance.Arn, `arn:aws:connect:us-east-1:000000000000:instance/${r.instance.Id}`);
    assert.deepEqual(r.securityProfiles.map((p) => p.Name).sort(), ["Admin", "Agent", "CallCenterManager", "QualityAnalyst"]);
    for (const p of r.securityProfiles) assert.equal(p.Arn, `${r.instance.Arn}/security-profile/${p.Id}`);
    assert.deepEqual(
      r.routingProfiles.map((p) => p.Name),
      ["Basic Routing Profile"],
    );
    assert.equal(r.routingProfiles[0]?.Arn, `${r.instance.Arn}/routing-profile/${r.routingProfiles[0]?.Id}`);
    assert.equal(r.user.UserArn, `${r.instance.Arn}/agent/${r.user.UserId}`);
  });

  test("update_user_identity_info as documented, then describe_user reads every member back", () => {
    const upd = ok(r.update, "update_user_identity_info");
    assert.equal(upd.status, 200);
    assert.deepEqual(upd.body, {});
    const d = ok(r.describeAfterUpdate, "describe_user");
    assert.equal(d.status, 200);
    const u = d.body.User;
    assert.deepEqual(u.IdentityInfo, {
      FirstName: "Grace",
      LastName: "Hopper",
      Email: "grace.hopper@example.com",
      SecondaryEmail: "ghopper+alt@example.org",
      Mobile: "+15555550123",
    });
    // The rest of the user is untouched by the update.
    assert.equal(u.Id, r.user.UserId);
    assert.equal(u.Arn, r.user.UserArn);
    assert.equal(u.Username, r.user.Username);
    assert.deepEqual(u.SecurityProfileIds, [r.user.AgentProfileId]);
    assert.equal(u.RoutingProfileId, r.user.RoutingProfileId);
    assert.deepEqual(u.PhoneConfig, { PhoneType: "SOFT_PHONE", AutoAccept: false, AfterContactWorkTimeLimit: 0 });
  });

  test("the user addressed by its ARN as UserId (update and describe)", () => {
    assert.equal(ok(r.updateByUserArn, "update by user ARN").status, 200);
    const u = ok(r.describeByUserArn, "describe by user ARN").body.User;
    assert.equal(u.Id, r.user.UserId);
    assert.equal(u.Arn, r.user.UserArn);
    assert.deepEqual(u.IdentityInfo, {
      FirstName: "Katherine",
      LastName: "Johnson",
      Email: "kjohnson@example.com",
      SecondaryEmail: "kj.second@example.net",
      Mobile: "+447700900123",
    });
  });

  test("the instance addressed by its ARN as InstanceId (update and describe)", () => {
    assert.equal(ok(r.updateByInstanceArn, "update by instance ARN").status, 200);
    const u = ok(r.describeByInstanceArn, "describe by instance ARN").body.User;
    assert.equal(u.Id, r.user.UserId);
    assert.equal(u.Arn, r.user.UserArn);
    assert.deepEqual(u.IdentityInfo, {
      FirstName: "Dorothy",
      LastName: "Vaughan",
      Email: "dvaughan@example.com",
      SecondaryEmail: "dv.second@example.net",
      Mobile: "+61491570006",
    });
  });

  test("update of a user that does not exist: ClientError ResourceNotFoundException, HTTP 404", () => {
    const e = clientError(r.updateUnknownUser, "update unknown user");
    assert.equal(e.code, "ResourceNotFoundException");
    assert.equal(e.status, 404);
    assert.equal(typeof e.message, "string");
    assert.ok(e.message.length > 0, "the error carries a message");
  });

  test("update with a malformed SecondaryEmail: ClientError InvalidParameterException, HTTP 400, nothing changed", () => {
    const e = clientError(r.updateBadSecondaryEmail, "update bad SecondaryEmail");
    assert.equal(e.code, "InvalidParameterException");
    assert.equal(e.status, 400);
    assert.match(e.message, /secondaryEmail/i);
    const prior = ok(r.describeByInstanceArn, "describe before").body.User.IdentityInfo;
    const now = ok(r.describeAfterBadUpdate, "describe after refused update").body.User.IdentityInfo;
    assert.deepEqual(now, prior);
  });

  test("signature: a wrong secret key is InvalidSignatureException (403) and changes nothing", () => {
    const e = clientError(r.wrongSecret, "list_instances, wrong secret");
    assert.equal(e.code, "InvalidSignatureException");
    assert.equal(e.status, 403);
    const w = clientError(r.wrongSecretUpdate, "update_user_identity_info, wrong secret");
    assert.equal(w.code, "InvalidSignatureException");
    assert.equal(w.status, 403);
    const prior = ok(r.describeAfterBadUpdate, "describe before").body.User.IdentityInfo;
    const now = ok(r.describeAfterWrongSecretUpdate, "describe after wrongly signed update").body.User.IdentityInfo;
    assert.deepEqual(now, prior);
  });

  test("signature: an unknown access key is UnrecognizedClientException (403); the right keys are accepted", () => {
    const e = clientError(r.unknownAccessKey, "list_instances, unknown access key");
    assert.equal(e.code, "UnrecognizedClientException");
    assert.equal(e.status, 403);
    const list = ok(r.rightKeys, "list_instances, right keys");
    const mine = list.body.InstanceSummaryList.find((i) => i.Id === r.instance.Id);
    assert.ok(mine, "list_instances lists the instance boto3 created");
    assert.equal(mine.Arn, r.instance.Arn);
    assert.equal(mine.InstanceAlias, alias);
  });
});

// ---------------------------------------------------------------------------------------------
// AWS CLI v2
// ---------------------------------------------------------------------------------------------

describe("AWS CLI v2 2.9 (Debian awscli)", () => {
  const alias = `cli-${randomUUID().slice(0, 8)}`;
  const username = `cli-${randomUUID().replaceAll("-", "").slice(0, 12)}`;
  let instanceId = "";
  let userId = "";
  let userArn = "";

  /** `aws connect <args…>` against the test server, JSON output. */
  const aws = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) =>
    run(AWS, ["connect", ...args, "--endpoint-url", server.url, "--output", "json"], { ...env, ...extraEnv }, 30_000);

  /** A CLI call that must succeed; its parsed stdout (undefined when it prints nothing). */
  async function awsOk(args: string[]): Promise<unknown> {
    const res = await aws(args);
    assert.equal(res.code, 0, `aws connect ${args.join(" ")} exited ${res.code}:\n${res.stderr}`);
    return res.stdout.trim() === "" ? undefined : parseJson(res.stdout, `aws connect ${args[0]}`);
  }

  const describeUser = async () =>
    ((await awsOk(["describe-user", "--instance-id", instanceId, "--user-id", userId])) as { User: WireUser }).User;

  before(async () => {
    const inst = (await awsOk([
      "create-instance",
      "--identity-management-type",
      "CONNECT_MANAGED",
      "--instance-alias",
      alias,
      "--inbound-calls-enabled",
      "--outbound-calls-enabled",
    ])) as { Id: string; Arn: string };
    instanceId = inst.Id;
    const [sp, rp] = (await Promise.all([
      awsOk(["list-security-profiles", "--instance-id", instanceId]),
      awsOk(["list-routing-profiles", "--instance-id", instanceId]),
    ])) as [{ SecurityProfileSummaryList: Summary[] }, { RoutingProfileSummaryList: Summary[] }];
    const agent = sp.SecurityProfileSummaryList.find((p) => p.Name === "Agent");
    const basic = rp.RoutingProfileSummaryList.find((p) => p.Name === "Basic Routing Profile");
    assert.ok(agent, "list-security-profiles lists Agent");
    assert.ok(basic, "list-routing-profiles lists Basic Routing Profile");
    const user = (await awsOk([
      "create-user",
      "--instance-id",
      instanceId,
      "--username",
      username,
      "--password",
      "Sw1tchboard-pass",
      "--identity-info",
      "FirstName=Initial,LastName=Name",
      "--phone-config",
      "PhoneType=SOFT_PHONE,AfterContactWorkTimeLimit=0",
      "--security-profile-ids",
      agent.Id,
      "--routing-profile-id",
      basic.Id,
    ])) as { UserId: string; UserArn: string };
    userId = user.UserId;
    userArn = user.UserArn;
    assert.equal(userArn, `${inst.Arn}/agent/${userId}`);
  });

  test("update-user-identity-info with shorthand --identity-info, read back by describe-user", async () => {
    const out = await awsOk([
      "update-user-identity-info",
      "--instance-id",
      instanceId,
      "--user-id",
      userId,
      "--identity-info",
      "FirstName=Grace,LastName=Hopper,Email=grace.hopper@example.com",
    ]);
    assert.equal(out, undefined, "update-user-identity-info prints nothing");
    const u = await describeUser();
    assert.equal(u.Id, userId);
    assert.equal(u.Arn, userArn);
    assert.equal(u.Username, username);
    assert.deepEqual(u.IdentityInfo, { FirstName: "Grace", LastName: "Hopper", Email: "grace.hopper@example.com" });
  });

  test("update-user-identity-info with JSON --identity-info (all five members, non-ASCII names)", async () => {
    const info = {
      FirstName: "Zoë",
      LastName: "Ødegård-Núñez",
      Email: "zoe.odegard@example.com",
      SecondaryEmail: "zoe+backup@example.org",
      Mobile: "+4915112345678",
    };
    await awsOk(["update-user-identity-info", "--instance-id", instanceId, "--user-id", userId, "--identity-info", JSON.stringify(info)]);
    const u = await describeUser();
    assert.deepEqual(u.IdentityInfo, info);
  });

  test("the update replaces IdentityInfo as a whole: members left out are cleared", async () => {
    // Switchboard's documented choice (src/operations/users/update-user-identity-info.ts).
    await awsOk([
      "update-user-identity-info",
      "--instance-id",
      instanceId,
      "--user-id",
      userId,
      "--identity-info",
      "FirstName=Ada,LastName=Lovelace,Email=ada@example.com",
    ]);
    const u = await describeUser();
    assert.deepEqual(u.IdentityInfo, { FirstName: "Ada", LastName: "Lovelace", Email: "ada@example.com" });
  });

  test("describe-user of an unknown user: exit code 254, ResourceNotFoundException on stderr", async () => {
    const unknown = randomUUID();
    const res = await aws(["describe-user", "--instance-id", instanceId, "--user-id", unknown]);
    assert.equal(res.code, CLI_SERVICE_ERROR, `exit code (stderr: ${res.stderr})`);
    assert.equal(res.stdout.trim(), "");
    assert.match(res.stderr, /An error occurred \(ResourceNotFoundException\) when calling the DescribeUser operation/);
  });

  test("a wrong secret key: exit code 254, InvalidSignatureException on stderr", async () => {
    const res = await aws(["list-users", "--instance-id", instanceId], { AWS_SECRET_ACCESS_KEY: "not-the-secret" });
    assert.equal(res.code, CLI_SERVICE_ERROR, `exit code (stderr: ${res.stderr})`);
    assert.match(res.stderr, /\(InvalidSignatureException\) when calling the ListUsers operation/);
  });

  test("list-users lists the user", async () => {
    const out = (await awsOk(["list-users", "--instance-id", instanceId])) as {
      UserSummaryList: { Id: string; Arn: string; Username: string }[];
    };
    assert.deepEqual(
      out.UserSummaryList.map(({ Id, Arn, Username }) => ({ Id, Arn, Username })),
      [{ Id: userId, Arn: userArn, Username: username }],
    );
  });
});
