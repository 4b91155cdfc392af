// CloudTrail's LookupEvents on Switchboard's port, with the real @aws-sdk/client-cloudtrail and
// the AWS CLI (`aws cloudtrail lookup-events`): finding the trail's events by EventName and
// EventId, paging, CloudTrailEvent carrying the stored record, regional scoping, CloudTrail's
// error names, authentication with the same credentials as Connect, and IAM authorization of
// cloudtrail:LookupEvents.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { CloudTrailClient, type Event, LookupEventsCommand, type LookupEventsCommandInput } from "@aws-sdk/client-cloudtrail";
import { type ConnectClient, UpdateUserIdentityInfoCommand } from "@aws-sdk/client-connect";
import { SignatureV4 } from "@smithy/signature-v4";
import { NodeSha256 } from "../../bench/node-sha256.js";
import { rejectsAws } from "../helpers/assert-aws.js";
import { isolatedAwsEnv } from "../helpers/aws-env.js";
import { createInstance, createUser, type InstanceFixture } from "../helpers/fixtures.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

const AWS = "/usr/bin/aws";
const AUDITOR = { accessKeyId: "AKIAAUDITOR000000001", secretAccessKey: "auditor-secret-0123456789abcdefghijklmno" };
const HELPDESK = { accessKeyId: "AKIAHELPDESK00000009", secretAccessKey: "helpdesk-secret-0123456789abcdefghijklmn" };

let dir: string;
let server: TestServer;
let c: ConnectClient;
let inst: InstanceFixture;
let user: { id: string };
let updateRequestId: string;

const trail = (opts: { region?: string; accessKeyId?: string; secretAccessKey?: string } = {}) =>
  new CloudTrailClient({
    endpoint: server.url,
    region: opts.region ?? "us-east-1",
    credentials: { accessKeyId: opts.accessKeyId ?? "test", secretAccessKey: opts.secretAccessKey ?? "test" },
    maxAttempts: 1,
  });

const lookup = (input: LookupEventsCommandInput, client = trail()) => client.send(new LookupEventsCommand(input));
const byName = (name: string): LookupEventsCommandInput => ({ LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: name }] });

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "sb-cloudtrail-"));
  const iam = join(dir, "iam.json");
  await writeFile(
    iam,
    JSON.stringify({
      principals: [
        {
          name: "auditor",
          account: "000000000000",
          accessKeys: [AUDITOR],
          policies: {
            ReadTrail: { Version: "2012-10-17", Statement: { Effect: "Allow", Action: "cloudtrail:LookupEvents", Resource: "*" } },
          },
        },
        {
          name: "helpdesk",
          account: "000000000000",
          accessKeys: [HELPDESK],
          policies: { Connect: { Version: "2012-10-17", Statement: { Effect: "Allow", Action: "connect:*", Resource: "*" } } },
        },
      ],
    }),
  );
  server = await startTestServer(["--iam", iam]);
  c = server.client();
  inst = await createInstance(c);
  user = await createUser(c, inst, { IdentityInfo: { FirstName: "Jane", LastName: "Doe", Email: "jane@example.com" } });
  const out = await c.send(
    new UpdateUserIdentityInfoCommand({
      InstanceId: inst.id,
      UserId: user.id,
      IdentityInfo: { FirstName: "Jane", LastName: "Doe", Email: "john@example.org" },
    }),
  );
  updateRequestId = out.$metadata.requestId as string;
});
after(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

const recordOf = (e: Event) => JSON.parse(e.CloudTrailEvent as string) as Record<string, unknown>;

describe("LookupEvents with @aws-sdk/client-cloudtrail", () => {
  let updateEvent: Event;

  test("finds the UpdateUserIdentityInfo event by EventName", async () => {
    const out = await lookup(byName("UpdateUserIdentityInfo"));
    assert.equal(out.Events?.length, 1);
    updateEvent = out.Events?.[0] as Event;
    assert.equal(updateEvent.EventName, "UpdateUserIdentityInfo");
    assert.equal(updateEvent.EventSource, "connect.amazonaws.com");
    assert.equal(updateEvent.ReadOnly, "false");
    assert.equal(updateEvent.AccessKeyId, "test");
    assert.equal(updateEvent.Username, "root");
    assert.ok(updateEvent.EventTime instanceof Date && Math.abs(updateEvent.EventTime.getTime() - Date.now()) < 60_000);
    assert.deepEqual(updateEvent.Resources, [
      { ResourceType: "AWS::Connect::Instance", ResourceName: inst.id },
      { ResourceType: "AWS::Connect::User", ResourceName: user.id },
    ]);
    const r = recordOf(updateEvent);
    assert.equal(r.requestID, updateRequestId);
    assert.equal(r.eventID, updateEvent.EventId);
    assert.deepEqual(r.additionalEventData, {
      changedMembers: ["Email"],
      changes: { Email: { old: "j***@example.com", new: "j***@example.org" } },
    });
    assert.equal(out.NextToken, undefined);
  });

  test("finds it by EventId; CloudTrailEvent is the stored record", async () => {
    const out = await lookup({ LookupAttributes: [{ AttributeKey: "EventId", AttributeValue: updateEvent.EventId as string }] });
    assert.deepEqual(out.Events, [updateEvent]);
    const stored = (await server.store.audit.list({ order: "desc", limit: 100 })).find((e) => e.eventId === updateEvent.EventId);
    assert.deepEqual(recordOf(updateEvent), stored?.record);
  });

  test("other attributes and the time range reach the same event", async () => {
    const t = (updateEvent.EventTime as Date).getTime() / 1000;
    const ids = async (input: LookupEventsCommandInput) => (await lookup(input)).Events?.map((e) => e.EventId) ?? [];
    assert.ok((await ids({ LookupAttributes: [{ AttributeKey: "ResourceName", AttributeValue: user.id }] })).includes(updateEvent.EventId));
    assert.ok((await ids({ LookupAttributes: [{ AttributeKey: "Username", AttributeValue: "root" }] })).includes(updateEvent.EventId));
    assert.ok(
      (await ids({ ...byName("UpdateUserIdentityInfo"), StartTime: new Date(t * 1000), EndTime: new Date(t * 1000) })).includes(
        updateEvent.EventId,
      ),
    );
    assert.deepEqual(await ids({ ...byName("UpdateUserIdentityInfo"), StartTime: new Date((t + 1) * 1000) }), []);
  });

  test("pages with MaxResults 1 through the same events, newest first", async () => {
    const all = (await lookup({})).Events ?? [];
    assert.ok(all.length >= 3, "CreateInstance, CreateUser, UpdateUserIdentityInfo");
    const paged: Event[] = [];
    let token: string | undefined;
    do {
      const out = await lookup({ MaxResults: 1, NextToken: token });
      assert.ok((out.Events?.length ?? 0) <= 1);
      paged.push(...(out.Events ?? []));
      token = out.NextToken;
    } while (token && paged.length < 100);
    assert.deepEqual(
      paged.map((e) => e.EventId),
      all.map((e) => e.EventId),
    );
    const times = paged.map((e) => (e.EventTime as Date).getTime());
    assert.deepEqual(
      times,
      [...times].sort((a, b) => b - a),
    );
  });

  test("events are scoped to the caller's region", async () => {
    assert.deepEqual((await lookup(byName("UpdateUserIdentityInfo"), trail({ region: "eu-west-2" }))).Events, []);
  });

  test("CloudTrail's errors, as the SDK names them", async () => {
    await rejectsAws(
      lookup({
        LookupAttributes: [
          { AttributeKey: "EventName", AttributeValue: "UpdateUserIdentityInfo" },
          { AttributeKey: "Username", AttributeValue: "root" },
        ],
      }),
      "InvalidLookupAttributesException",
      400,
    );
    await rejectsAws(lookup({ MaxResults: 51 }), "InvalidMaxResultsException", 400);
    await rejectsAws(
      lookup({ StartTime: new Date(2_000_000_000_000), EndTime: new Date(1_000_000_000_000) }),
      "InvalidTimeRangeException",
      400,
    );
    await rejectsAws(lookup({ NextToken: "not-a-token" }), "InvalidNextTokenException", 400);
  });

  test("a wrong secret is refused and recorded as a failed authentication", async () => {
    await rejectsAws(lookup({}, trail({ secretAccessKey: "wrong" })), "InvalidSignatureException", 400);
    const failed =
      (await lookup({ LookupAttributes: [{ AttributeKey: "EventSource", AttributeValue: "cloudtrail.amazonaws.com" }] })).Events ?? [];
    assert.equal(failed.length, 1);
    const r = recordOf(failed[0] as Event);
    assert.equal(r.eventName, "LookupEvents");
    assert.equal(r.errorCode, "InvalidSignatureException");
    assert.deepEqual(r.userIdentity, { type: "Unknown", accessKeyId: "test" });
    await rejectsAws(lookup({}, trail({ accessKeyId: "AKIANOBODY0000000000" })), "UnrecognizedClientException", 400);
  });

  test("an unknown CloudTrail operation is UnknownOperationException", async () => {
    const url = new URL(server.url);
    const signer = new SignatureV4({
      service: "cloudtrail",
      region: "us-east-1",
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
      sha256: NodeSha256,
    });
    const signed = await signer.sign({
      method: "POST",
      protocol: "http:",
      hostname: url.hostname,
      port: Number(url.port),
      path: "/",
      query: {},
      headers: {
        host: url.host,
        "content-type": "application/x-amz-json-1.1",
        "x-amz-target": "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.DescribeTrails",
      },
      body: "{}",
    });
    const res = await fetch(`${server.url}/`, { method: "POST", headers: signed.headers, body: "{}" });
    assert.equal(res.status, 400);
    assert.match(res.headers.get("content-type") ?? "", /application\/x-amz-json-1\.1/);
    const body = (await res.json()) as { __type: string; message: string };
    assert.equal(body.__type, "UnknownOperationException");
    assert.match(body.message, /DescribeTrails/);
  });
});

describe("authorization of cloudtrail:LookupEvents", () => {
  test("a principal allowed cloudtrail:LookupEvents reads the trail", async () => {
    const out = await lookup(byName("UpdateUserIdentityInfo"), trail(AUDITOR));
    assert.equal(out.Events?.length, 1);
  });

  test("a principal without it is denied, and the denial is recorded", async () => {
    const message = await rejectsAws(lookup({}, trail(HELPDESK)), "AccessDeniedException", 400);
    assert.equal(
      message,
      "User: arn:aws:iam::000000000000:user/helpdesk is not authorized to perform: cloudtrail:LookupEvents on resource: * because no identity-based policy allows the cloudtrail:LookupEvents action",
    );
    const denied = (await lookup({ LookupAttributes: [{ AttributeKey: "Username", AttributeValue: "helpdesk" }] })).Events ?? [];
    assert.equal(denied.length, 1);
    const r = recordOf(denied[0] as Event);
    assert.equal(r.errorCode, "AccessDeniedException");
    assert.equal(r.eventSource, "cloudtrail.amazonaws.com");
    assert.deepEqual(r.requestParameters, {});
  });
});

describe("aws cloudtrail lookup-events (AWS CLI v2)", () => {
  const clientEnv = () => isolatedAwsEnv();

  const run = (args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve, reject) => {
      execFile(AWS, args, { env: clientEnv(), timeout: 60_000, encoding: "utf8" }, (error, stdout, stderr) => {
        if (error === null) return resolve({ code: 0, stdout, stderr });
        if (typeof error.code !== "number") return reject(error);
        resolve({ code: error.code, stdout, stderr });
      });
    });

  test("--lookup-attributes AttributeKey=EventName,AttributeValue=UpdateUserIdentityInfo returns the event", async () => {
    assert.ok(existsSync(AWS), `${AWS} is missing: run scripts/ensure-test-deps.sh`);
    const res = await run([
      "cloudtrail",
      "lookup-events",
      "--endpoint-url",
      server.url,
      "--output",
      "json",
      "--lookup-attributes",
      "AttributeKey=EventName,AttributeValue=UpdateUserIdentityInfo",
    ]);
    assert.equal(res.code, 0, res.stderr);
    const out = JSON.parse(res.stdout) as { Events: { EventId: string; EventName: string; CloudTrailEvent: string; ReadOnly: string }[] };
    assert.equal(out.Events.length, 1);
    const e = out.Events[0];
    assert.equal(e?.EventName, "UpdateUserIdentityInfo");
    assert.equal(e?.ReadOnly, "false");
    assert.equal((JSON.parse(e?.CloudTrailEvent as string) as { requestID: string }).requestID, updateRequestId);
  });

  test("a CloudTrail error reaches the CLI by name", async () => {
    const res = await run([
      "cloudtrail",
      "lookup-events",
      "--endpoint-url",
      server.url,
      "--lookup-attributes",
      "AttributeKey=EventName,AttributeValue=UpdateUserIdentityInfo",
      "AttributeKey=Username,AttributeValue=root",
    ]);
    assert.equal(res.code, 254, res.stderr);
    assert.match(res.stderr, /InvalidLookupAttributesException/);
  });
});
