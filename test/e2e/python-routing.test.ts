// Routing profiles and queues through the real Python clients: Debian's boto3 (1.26) and AWS CLI
// v2 (2.9), both by absolute path (see test/e2e/clients-python-cli.test.ts for why), isolated
// from the user's configuration. Neither has DeleteRoutingProfile in its model, so the flows end
// with their profiles in place.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { isolatedAwsEnv } from "../helpers/aws-env.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

const PYTHON = "/usr/bin/python3";
const AWS = "/usr/bin/aws";
const SCRIPT = fileURLToPath(new URL("./python/boto3_routing.py", import.meta.url));
const CLI_SERVICE_ERROR = 254;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Exit code and output of a program (a non-zero exit is a result; a timeout or a failure to start rejects). */
async function exec(file: string, args: string[], timeout: number): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(file, args, {
      env: isolatedAwsEnv(),
      timeout,
      maxBuffer: 16 << 20,
      encoding: "utf8",
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: unknown; killed?: boolean; stdout?: string; stderr?: string };
    if (typeof e.code !== "number" || e.killed) throw err;
    return { code: e.code, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

let server: TestServer;

before(async () => {
  for (const bin of [PYTHON, AWS]) assert.ok(existsSync(bin), `${bin} is missing: run scripts/ensure-test-deps.sh`);
  server = await startTestServer();
});
after(() => server?.close());

interface Summary {
  QueueId: string;
  QueueArn: string;
  QueueName: string;
  Priority: number;
  Delay: number;
  Channel: string;
}
interface Profile {
  Name: string;
  RoutingProfileId: string;
  RoutingProfileArn: string;
  Description?: string;
  DefaultOutboundQueueId: string;
  MediaConcurrencies: { Channel: string; Concurrency: number }[];
  NumberOfAssociatedQueues: number;
  NumberOfAssociatedUsers: number;
  Tags: Record<string, string>;
}
interface ErrorReport {
  code: string;
  message: string;
  status: number;
}
interface Report {
  instance: { Id: string; Arn: string };
  queues: { Id: string; Arn: string; Name: string; QueueType: string }[];
  basicQueue: { Name: string; QueueId: string; QueueArn: string; Status: string; Tags: Record<string, string> };
  agentQueues: unknown[];
  defaultProfile: Profile;
  defaultProfileQueues: Summary[];
  created: { RoutingProfileId: string; RoutingProfileArn: string };
  createdProfile: Profile;
  updatedProfile: Profile;
  updatedQueues: Summary[];
  duplicateName: ErrorReport | null;
  voiceTwo: ErrorReport | null;
  unknownQueue: ErrorReport | null;
  alreadyAssociated: ErrorReport | null;
  unknownProfile: ErrorReport | null;
  profilesAfter: string[];
}

const key = (s: Summary) => `${s.QueueName}/${s.Channel}/${s.Priority}/${s.Delay}`;

describe("boto3 1.26: BasicQueue, the default profile and a routing profile's life", () => {
  let r: Report;
  let basicId = "";

  before(async () => {
    const res = await exec(PYTHON, [SCRIPT, server.url, `py-rt-${randomUUID().slice(0, 8)}`], 60_000);
    assert.equal(res.code, 0, `boto3 script failed (exit ${res.code}):\n${res.stderr}`);
    r = JSON.parse(res.stdout) as Report;
    basicId = r.basicQueue.QueueId;
  });

  test("list_queues and describe_queue: BasicQueue, STANDARD, ENABLED; no agent queues", () => {
    assert.deepEqual(
      r.queues.map((q) => [q.Name, q.QueueType]),
      [["BasicQueue", "STANDARD"]],
    );
    assert.match(basicId, UUID);
    assert.equal(r.basicQueue.QueueArn, `${r.instance.Arn}/queue/${basicId}`);
    assert.equal(r.basicQueue.Status, "ENABLED");
    assert.deepEqual(r.basicQueue.Tags, {});
    assert.deepEqual(r.agentQueues, []);
  });

  test("the default profile: BasicQueue outbound and on VOICE, CHAT and TASK", () => {
    assert.equal(r.defaultProfile.Name, "Basic Routing Profile");
    assert.equal(r.defaultProfile.DefaultOutboundQueueId, basicId);
    assert.equal(r.defaultProfile.NumberOfAssociatedQueues, 1);
    assert.deepEqual(r.defaultProfileQueues.map(key), ["BasicQueue/CHAT/1/0", "BasicQueue/TASK/1/0", "BasicQueue/VOICE/1/0"]);
  });

  test("create_routing_profile then describe_routing_profile: every member as sent", () => {
    assert.equal(r.created.RoutingProfileArn, `${r.instance.Arn}/routing-profile/${r.created.RoutingProfileId}`);
    const p = r.createdProfile;
    assert.equal(p.Name, "Support");
    assert.equal(p.Description, "Support agents");
    assert.equal(p.DefaultOutboundQueueId, basicId);
    assert.deepEqual(p.MediaConcurrencies, [
      { Channel: "VOICE", Concurrency: 1 },
      { Channel: "CHAT", Concurrency: 3 },
    ]);
    assert.deepEqual(p.Tags, { team: "support" });
    assert.equal(p.NumberOfAssociatedQueues, 1);
    assert.equal(p.NumberOfAssociatedUsers, 0);
  });

  test("the updates (concurrency, outbound queue, name, disassociate, associate by id and ARN) read back", () => {
    const p = r.updatedProfile;
    assert.equal(p.Name, "Support 2");
    assert.equal(p.Description, "Second line");
    assert.deepEqual(
      p.MediaConcurrencies.map((m) => `${m.Channel}=${m.Concurrency}`),
      ["VOICE=1", "CHAT=5", "TASK=2"],
    );
    assert.deepEqual(r.updatedQueues.map(key), ["BasicQueue/CHAT/2/0", "BasicQueue/TASK/3/10"]);
    for (const s of r.updatedQueues) assert.equal(s.QueueArn, r.basicQueue.QueueArn);
  });

  test("errors as botocore reports them; the refused calls created nothing", () => {
    assert.deepEqual([r.duplicateName?.code, r.duplicateName?.status], ["DuplicateResourceException", 409]);
    assert.deepEqual([r.voiceTwo?.code, r.voiceTwo?.status], ["InvalidParameterException", 400]);
    assert.match(r.voiceTwo?.message ?? "", /mediaConcurrencies\.1\.member\.concurrency/);
    assert.deepEqual([r.unknownQueue?.code, r.unknownQueue?.status], ["ResourceNotFoundException", 404]);
    assert.deepEqual([r.alreadyAssociated?.code, r.alreadyAssociated?.status], ["InvalidRequestException", 400]);
    assert.deepEqual([r.unknownProfile?.code, r.unknownProfile?.status], ["ResourceNotFoundException", 404]);
    assert.deepEqual(r.profilesAfter, ["Basic Routing Profile", "Support 2"]);
  });
});

describe("AWS CLI v2 2.9: a routing profile through list-queues, create, associate, update, describe", () => {
  let instanceId = "";
  let basicId = "";

  const aws = (args: string[]) => exec(AWS, ["connect", ...args, "--endpoint-url", server.url, "--output", "json"], 30_000);
  async function awsOk(args: string[]): Promise<unknown> {
    const res = await aws(args);
    assert.equal(res.code, 0, `aws connect ${args.join(" ")} exited ${res.code}:\n${res.stderr}`);
    return res.stdout.trim() === "" ? undefined : JSON.parse(res.stdout);
  }

  before(async () => {
    const inst = (await awsOk([
      "create-instance",
      "--identity-management-type",
      "CONNECT_MANAGED",
      "--instance-alias",
      `cli-rt-${randomUUID().slice(0, 8)}`,
      "--inbound-calls-enabled",
      "--outbound-calls-enabled",
    ])) as { Id: string };
    instanceId = inst.Id;
    const queues = (await awsOk(["list-queues", "--instance-id", instanceId, "--queue-types", "STANDARD"])) as {
      QueueSummaryList: { Id: string; Name: string }[];
    };
    basicId = queues.QueueSummaryList.find((q) => q.Name === "BasicQueue")?.Id ?? "";
    assert.match(basicId, UUID);
  });

  test("describe-queue, create-routing-profile (JSON and shorthand), associate, update-name, list-routing-profile-queues", async () => {
    const q = (await awsOk(["describe-queue", "--instance-id", instanceId, "--queue-id", basicId])) as {
      Queue: { Name: string; Status: string };
    };
    assert.deepEqual([q.Queue.Name, q.Queue.Status], ["BasicQueue", "ENABLED"]);
    const created = (await awsOk([
      "create-routing-profile",
      "--instance-id",
      instanceId,
      "--name",
      "CLI profile",
      "--description",
      "from the CLI",
      "--default-outbound-queue-id",
      basicId,
      "--media-concurrencies",
      JSON.stringify([
        { Channel: "VOICE", Concurrency: 1 },
        { Channel: "CHAT", Concurrency: 2 },
      ]),
      "--tags",
      "team=cli",
    ])) as { RoutingProfileId: string };
    const id = created.RoutingProfileId;
    assert.equal(
      await awsOk([
        "associate-routing-profile-queues",
        "--instance-id",
        instanceId,
        "--routing-profile-id",
        id,
        "--queue-configs",
        `QueueReference={QueueId=${basicId},Channel=CHAT},Priority=4,Delay=20`,
      ]),
      undefined,
    );
    await awsOk(["update-routing-profile-name", "--instance-id", instanceId, "--routing-profile-id", id, "--name", "CLI profile 2"]);
    const d = (await awsOk(["describe-routing-profile", "--instance-id", instanceId, "--routing-profile-id", id])) as {
      RoutingProfile: Profile;
    };
    assert.equal(d.RoutingProfile.Name, "CLI profile 2");
    assert.equal(d.RoutingProfile.Description, "from the CLI");
    assert.deepEqual(d.RoutingProfile.Tags, { team: "cli" });
    assert.equal(d.RoutingProfile.NumberOfAssociatedQueues, 1);
    // the CLI pages on its own (--page-size is the request's MaxResults)
    const list = (await awsOk([
      "list-routing-profile-queues",
      "--instance-id",
      instanceId,
      "--routing-profile-id",
      id,
      "--page-size",
      "1",
    ])) as {
      RoutingProfileQueueConfigSummaryList: Summary[];
    };
    assert.deepEqual(list.RoutingProfileQueueConfigSummaryList.map(key), ["BasicQueue/CHAT/4/20"]);
  });

  test("a VOICE concurrency of 2: exit code 254, InvalidParameterException on stderr", async () => {
    const res = await aws([
      "create-routing-profile",
      "--instance-id",
      instanceId,
      "--name",
      "Two voices",
      "--description",
      "x",
      "--default-outbound-queue-id",
      basicId,
      "--media-concurrencies",
      "Channel=VOICE,Concurrency=2",
    ]);
    assert.equal(res.code, CLI_SERVICE_ERROR, res.stderr);
    assert.match(res.stderr, /\(InvalidParameterException\) when calling the CreateRoutingProfile operation/);
  });
});
