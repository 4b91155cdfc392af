// IAM authorization over HTTP with the real @aws-sdk/client-connect (and one AWS CLI call):
// the documented ABAC pattern end to end — admins tagged role=admin through CreateUser, a
// help-desk principal that may edit everyone's identity info except an admin's — plus implicit
// denies, no existence leak, connect:InstanceId and aws:SourceIp conditions, keys made by
// `switchboard iam` working against a running server, an invalid --iam file stopping the
// server, and denied calls in the audit trail.
//
// The root (`test`) first builds the instance and users on a --data directory; the server is then
// restarted on the same data with an --iam file whose policies name that instance.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  ConnectClient as Client,
  type ConnectClient,
  DescribeUserCommand,
  ListInstancesCommand,
  ListUsersCommand,
  UpdateUserIdentityInfoCommand,
} from "@aws-sdk/client-connect";
import { rejectsAws } from "../helpers/assert-aws.js";
import { isolatedAwsEnv } from "../helpers/aws-env.js";
import { createInstance, createUser, type InstanceFixture } from "../helpers/fixtures.js";
import { runCli, spawnServer } from "../helpers/process.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

const ACCOUNT = "000000000000";
const AWS = "/usr/bin/aws";
const CLI_SERVICE_ERROR = 254;
const iamArn = (name: string) => `arn:aws:iam::${ACCOUNT}:user/${name}`;

interface Key {
  accessKeyId: string;
  secretAccessKey: string;
}
const KEYS: Record<string, Key> = {
  helpdesk: { accessKeyId: "AKIAHELPDESK00000001", secretAccessKey: "helpdesk-secret-0123456789abcdefghijklmn" },
  nopolicy: { accessKeyId: "AKIANOPOLICY00000001", secretAccessKey: "nopolicy-secret-0123456789abcdefghijklmn" },
  scoped: { accessKeyId: "AKIASCOPED0000000001", secretAccessKey: "scoped-secret-0123456789abcdefghijklmnop" },
  localonly: { accessKeyId: "AKIALOCALONLY0000001", secretAccessKey: "localonly-secret-0123456789abcdefghijklm" },
  tenonly: { accessKeyId: "AKIATENONLY000000001", secretAccessKey: "tenonly-secret-0123456789abcdefghijklmno" },
};

let dir: string;
let server: TestServer;
let root: ConnectClient;
let inst: InstanceFixture;
let other: InstanceFixture;
let admin: { id: string; arn: string };
let agent: { id: string; arn: string };

const as = (name: keyof typeof KEYS & string): ConnectClient => server.client(KEYS[name] as Key);

const email = async (userId: string, instanceId = inst.id) =>
  (await root.send(new DescribeUserCommand({ InstanceId: instanceId, UserId: userId }))).User?.IdentityInfo?.Email;

const setEmail = (c: ConnectClient, userId: string, address: string, instanceId = inst.id) =>
  c.send(
    new UpdateUserIdentityInfoCommand({
      InstanceId: instanceId,
      UserId: userId,
      IdentityInfo: { FirstName: "Jane", LastName: "Doe", Email: address },
    }),
  );

/** The IAM file: policies that name the instance root created. */
function iamFile(instance: InstanceFixture) {
  const key = (name: string) => [KEYS[name]];
  return {
    principals: [
      {
        name: "helpdesk",
        tags: { team: "support" },
        accessKeys: key("helpdesk"),
        policies: {
          HelpDesk: {
            Version: "2012-10-17",
            Statement: [
              { Sid: "ManageTheInstance", Effect: "Allow", Action: "connect:*", Resource: [instance.arn, `${instance.arn}/*`] },
              {
                Sid: "NeverAnAdminsIdentity",
                Effect: "Deny",
                Action: "connect:UpdateUserIdentityInfo",
                Resource: "*",
                Condition: { StringEquals: { "aws:ResourceTag/role": "admin" } },
              },
            ],
          },
        },
      },
      { name: "nopolicy", accessKeys: key("nopolicy") },
      {
        name: "scoped",
        accessKeys: key("scoped"),
        policies: {
          OneInstance: {
            Version: "2012-10-17",
            Statement: {
              Effect: "Allow",
              Action: ["connect:DescribeUser", "connect:ListUsers"],
              Resource: "*",
              Condition: { StringEquals: { "connect:InstanceId": instance.id } },
            },
          },
        },
      },
      {
        name: "localonly",
        accessKeys: key("localonly"),
        policies: {
          FromHere: {
            Version: "2012-10-17",
            Statement: {
              Effect: "Allow",
              Action: "connect:Describe*",
              Resource: "*",
              Condition: { IpAddress: { "aws:SourceIp": "127.0.0.1/32" } },
            },
          },
        },
      },
      {
        name: "tenonly",
        accessKeys: key("tenonly"),
        policies: {
          FromTen: {
            Version: "2012-10-17",
            Statement: {
              Effect: "Allow",
              Action: "connect:Describe*",
              Resource: "*",
              Condition: { IpAddress: { "aws:SourceIp": "10.0.0.0/8" } },
            },
          },
        },
      },
    ],
  };
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "sb-iam-abac-"));
  const data = join(dir, "data");
  // 1. The root builds the instance and its users (admins tagged through CreateUser).
  const setup = await startTestServer(["--data", data]);
  try {
    const c = setup.client();
    inst = await createInstance(c);
    other = await createInstance(c);
    admin = await createUser(c, inst, {
      IdentityInfo: { FirstName: "Ada", LastName: "Admin", Email: "ada@example.com" },
      SecurityProfileIds: [inst.adminProfileId],
      Tags: { role: "admin" },
    });
    agent = await createUser(c, inst, {
      IdentityInfo: { FirstName: "Bo", LastName: "Agent", Email: "bo@example.com" },
      Tags: { role: "agent" },
    });
  } finally {
    await setup.close();
  }
  // 2. The same data, now with principals and policies from an --iam file.
  const file = join(dir, "iam.json");
  await writeFile(file, JSON.stringify(iamFile(inst), null, 2));
  server = await startTestServer(["--data", data, "--iam", file]);
  root = server.client();
});

after(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("the help-desk / admin ABAC pattern", () => {
  test("the help desk changes a normal user's email", async () => {
    await setEmail(as("helpdesk"), agent.id, "bo.new@example.com");
    assert.equal(await email(agent.id), "bo.new@example.com");
  });

  test("… but gets AccessDeniedException (403, AWS's exact message) for an admin, and nothing changes", async () => {
    const msg = await rejectsAws(setEmail(as("helpdesk"), admin.id, "attacker@example.com"), "AccessDeniedException", 403);
    assert.equal(
      msg,
      `User: ${iamArn("helpdesk")} is not authorized to perform: connect:UpdateUserIdentityInfo on resource: ${admin.arn} with an explicit deny in an identity-based policy`,
    );
    assert.equal(await email(admin.id), "ada@example.com");
  });

  test("… still does everything else to the admin (the Deny is that narrow)", async () => {
    const u = await as("helpdesk").send(new DescribeUserCommand({ InstanceId: inst.id, UserId: admin.id }));
    assert.deepEqual(u.User?.Tags, { role: "admin" });
  });

  test("… and may not touch another instance (its Allow names this one)", async () => {
    const msg = await rejectsAws(as("helpdesk").send(new ListUsersCommand({ InstanceId: other.id })), "AccessDeniedException", 403);
    assert.equal(
      msg,
      `User: ${iamArn("helpdesk")} is not authorized to perform: connect:ListUsers on resource: ${other.arn} because no identity-based policy allows the connect:ListUsers action`,
    );
  });

  test("the AWS CLI gets the same denial: exit 254, AccessDeniedException on stderr", async () => {
    const env = isolatedAwsEnv({ accessKeyId: KEYS.helpdesk?.accessKeyId, secretAccessKey: KEYS.helpdesk?.secretAccessKey });
    const args = ["connect", "update-user-identity-info", "--endpoint-url", server.url, "--instance-id", inst.id, "--user-id", admin.id];
    args.push("--identity-info", "FirstName=Ada,LastName=Admin,Email=attacker@example.com");
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      execFile(AWS, args, { env, timeout: 60_000, encoding: "utf8" }, (error, _stdout, stderr) => {
        if (error === null) return resolve({ code: 0, stderr });
        if (typeof error.code !== "number") return reject(error);
        resolve({ code: error.code, stderr });
      });
    });
    assert.equal(r.code, CLI_SERVICE_ERROR, r.stderr);
    assert.match(r.stderr, /AccessDeniedException/);
    assert.match(r.stderr, /with an explicit deny in an identity-based policy/);
    assert.equal(await email(admin.id), "ada@example.com");
  });
});

describe("implicit deny and existence", () => {
  test("a principal without policies: AWS's implicit-deny message", async () => {
    const msg = await rejectsAws(setEmail(as("nopolicy"), agent.id, "x@example.com"), "AccessDeniedException", 403);
    assert.equal(
      msg,
      `User: ${iamArn("nopolicy")} is not authorized to perform: connect:UpdateUserIdentityInfo on resource: ${agent.arn} because no identity-based policy allows the connect:UpdateUserIdentityInfo action`,
    );
    await rejectsAws(as("nopolicy").send(new ListInstancesCommand({})), "AccessDeniedException", 403);
  });

  test("a denied call on a user that does not exist is AccessDenied, exactly as for one that does", async () => {
    const missing = "00000000-0000-0000-0000-00000000dead";
    const forMissing = await rejectsAws(setEmail(as("nopolicy"), missing, "x@example.com"), "AccessDeniedException", 403);
    const forExisting = await rejectsAws(setEmail(as("nopolicy"), agent.id, "x@example.com"), "AccessDeniedException", 403);
    assert.equal(forMissing.replace(missing, "ID"), forExisting.replace(agent.id, "ID"));
    // Scoped to the other instance: denied whether or not the user exists there.
    await rejectsAws(as("scoped").send(new DescribeUserCommand({ InstanceId: other.id, UserId: missing })), "AccessDeniedException", 403);
    // A caller who IS allowed learns that the user is missing, as in AWS.
    await rejectsAws(setEmail(as("helpdesk"), missing, "x@example.com"), "ResourceNotFoundException", 404);
  });
});

describe("condition keys", () => {
  test("connect:InstanceId: allowed in the named instance only", async () => {
    const listed = await as("scoped").send(new ListUsersCommand({ InstanceId: inst.id }));
    assert.ok((listed.UserSummaryList ?? []).some((u) => u.Id === admin.id));
    await as("scoped").send(new DescribeUserCommand({ InstanceId: inst.id, UserId: agent.id }));
    const msg = await rejectsAws(as("scoped").send(new ListUsersCommand({ InstanceId: other.id })), "AccessDeniedException", 403);
    assert.match(msg, /because no identity-based policy allows the connect:ListUsers action$/);
  });

  test("aws:SourceIp: 127.0.0.1/32 allows this client, 10.0.0.0/8 does not", async () => {
    const u = await as("localonly").send(new DescribeUserCommand({ InstanceId: inst.id, UserId: agent.id }));
    assert.equal(u.User?.Id, agent.id);
    const msg = await rejectsAws(
      as("tenonly").send(new DescribeUserCommand({ InstanceId: inst.id, UserId: agent.id })),
      "AccessDeniedException",
      403,
    );
    assert.equal(
      msg,
      `User: ${iamArn("tenonly")} is not authorized to perform: connect:DescribeUser on resource: ${agent.arn} because no identity-based policy allows the connect:DescribeUser action`,
    );
  });
});

describe("audit trail", () => {
  test("denied calls are recorded with the principal, the error code and message", async () => {
    await rejectsAws(setEmail(as("helpdesk"), admin.id, "audit-probe@example.com"), "AccessDeniedException", 403);
    const events = await server.store.audit.list({
      eventName: "UpdateUserIdentityInfo",
      principalArn: iamArn("helpdesk"),
      order: "desc",
      limit: 20,
    });
    const denied = events.filter((e) => e.errorCode === "AccessDeniedException");
    assert.ok(denied.length >= 1, `no AccessDenied event among ${events.length}`);
    const record = denied[0]?.record as Record<string, unknown>;
    assert.equal(record.errorCode, "AccessDeniedException");
    assert.match(String(record.errorMessage), /with an explicit deny in an identity-based policy/);
    assert.equal((record.userIdentity as Record<string, unknown>).arn, iamArn("helpdesk"));
    // The attacker's address is not kept in clear.
    assert.ok(!JSON.stringify(denied[0]).includes("audit-probe@example.com"));
    const allowed = events.filter((e) => e.errorCode === undefined);
    assert.ok(allowed.length >= 1, "the help desk's permitted change is there too");
  });
});

describe("the --iam file at start-up", () => {
  test("an invalid policy stops the server (exit 1) naming file, principal, policy, statement and reason — never a secret", async () => {
    const file = join(dir, "bad-iam.json");
    await writeFile(
      file,
      JSON.stringify({
        principals: [
          {
            name: "helpdesk",
            accessKeys: [{ accessKeyId: "AKIABADFILE000000001", secretAccessKey: "NEVER-PRINT-THIS-SECRET" }],
            policies: {
              HelpDesk: {
                Version: "2012-10-17",
                Statement: [
                  { Sid: "Fine", Effect: "Allow", Action: "connect:*", Resource: "*" },
                  {
                    Sid: "Typo",
                    Effect: "Allow",
                    Action: "connect:*",
                    Resource: "*",
                    Condition: { StringEqualz: { "aws:ResourceTag/role": "x" } },
                  },
                ],
              },
            },
          },
        ],
      }),
    );
    const r = await runCli(["serve", "--port", "0", "--memory", "--iam", file]);
    assert.equal(r.code, 1, r.output);
    assert.ok(r.output.includes(file), r.output);
    assert.match(r.output, /principal "helpdesk", policy "HelpDesk": Statement\[1\] \(Sid "Typo"\): .*StringEqualz/);
    assert.doesNotMatch(r.output, /listening/);
    assert.ok(!r.output.includes("NEVER-PRINT-THIS-SECRET"));
  });
});

describe("switchboard iam against a running server", () => {
  test("a key made by create-access-key works at once; a deleted key stops within seconds; secrets shown once", async () => {
    const data = join(dir, "cli-data");
    const s = await spawnServer(["--data", data, "--log-level", "warn"]);
    const client = (key: Key) => new Client({ endpoint: s.url, region: "us-east-1", credentials: key, maxAttempts: 1 });
    try {
      const iam = (...args: string[]) => runCli(["iam", ...args, "--data", data]);
      assert.equal((await iam("create-user", "clerk", "--tag", "team=ops")).code, 0);
      const policy = JSON.stringify({
        Version: "2012-10-17",
        Statement: { Effect: "Allow", Action: "connect:ListInstances", Resource: "*" },
      });
      const put = await iam("put-user-policy", "clerk", "Lister", "--policy-document", policy);
      assert.equal(put.code, 0, put.output);
      const bad = await iam(
        "put-user-policy",
        "clerk",
        "Bad",
        "--policy-document",
        '{"Version":"2012-10-17","Statement":{"Effect":"Allow"}}',
      );
      assert.equal(bad.code, 2);
      assert.match(bad.output, /Statement\[0\]/);

      const made = await iam("create-access-key", "clerk");
      assert.equal(made.code, 0, made.output);
      const ak = (JSON.parse(made.output) as { AccessKey: { AccessKeyId: string; SecretAccessKey: string; UserName: string } }).AccessKey;
      assert.match(ak.AccessKeyId, /^AKIA[A-Z2-7]{16}$/);
      assert.equal(ak.SecretAccessKey.length, 40);
      const key = { accessKeyId: ak.AccessKeyId, secretAccessKey: ak.SecretAccessKey };

      // The first use works: the unknown key makes the server check the store's IAM revision at
      // once (no retry here, and no waiting for the once-a-second refresh).
      await client(key).send(new ListInstancesCommand({}));
      await rejectsAws(
        client(key).send(new ListUsersCommand({ InstanceId: "00000000-0000-0000-0000-000000000000" })),
        "AccessDeniedException",
        403,
      );

      const shown = await iam("get-user", "clerk", "--json");
      assert.equal(shown.code, 0);
      const view = JSON.parse(shown.output) as {
        AccessKeys: { AccessKeyId: string }[];
        PolicyNames: string[];
        Tags: Record<string, string>;
      };
      assert.deepEqual(
        view.AccessKeys.map((k) => k.AccessKeyId),
        [ak.AccessKeyId],
      );
      assert.deepEqual(view.PolicyNames, ["Lister"]);
      assert.deepEqual(view.Tags, { team: "ops" });
      assert.ok(!shown.output.includes(ak.SecretAccessKey), "get-user never shows the secret");

      assert.equal((await iam("delete-access-key", ak.AccessKeyId)).code, 0);
      const deadline = Date.now() + 5000;
      for (;;) {
        try {
          await client(key).send(new ListInstancesCommand({}));
        } catch (err) {
          assert.equal((err as { name: string }).name, "UnrecognizedClientException");
          break;
        }
        assert.ok(Date.now() < deadline, "the deleted key still works after 5 s");
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.ok(!s.output().includes(ak.SecretAccessKey), "the server never logs a secret");
    } finally {
      s.child.kill("SIGTERM");
      await s.exited;
    }
  });
});
