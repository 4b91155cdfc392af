// Fault injection with the real SDK v3: injected throttles and 500s retried to success, a rule
// without limit outlasting the retries, a dropped connection retried, latency, nth/principal/
// resource matching; nothing an injected failure touches is written (store and audit trail);
// /_switchboard/faults refuses unsigned calls and IAM principals without switchboard:ManageFaults;
// --faults FILE at start-up; the request log marks injected calls.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { after, before, describe, test } from "node:test";
import {
  ConnectClient,
  CreateUserCommand,
  DescribeUserCommand,
  ListUsersCommand,
  UpdateUserIdentityInfoCommand,
} from "@aws-sdk/client-connect";
import { startServer } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { rejectsAws } from "../helpers/assert-aws.js";
import { createInstance, createUser, type InstanceFixture } from "../helpers/fixtures.js";
import { runCli } from "../helpers/process.js";
import { signedFetch, startTestServer, type TestServer } from "../helpers/server.js";

const KEYS = {
  faultAdmin: { accessKeyId: "AKIAFAULTADMIN000001", secretAccessKey: "faultadminsecret0000000000000000000000001" },
  helpdesk: { accessKeyId: "AKIAHELPDESK00000001", secretAccessKey: "helpdesksecret000000000000000000000000001" },
};

const dir = mkdtempSync(join(tmpdir(), "sb-faults-"));
let server: TestServer;
let inst: InstanceFixture;
let user: { id: string; arn: string };

/** A client that retries as the SDK does by default (standard mode), up to `attempts`. */
const retrying = (attempts: number, key?: { accessKeyId: string; secretAccessKey: string }) =>
  new ConnectClient({
    endpoint: server.url,
    region: "us-east-1",
    credentials: key ?? { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: attempts,
  });

const setName = (c: ConnectClient, firstName: string, userId = user.id) =>
  c.send(
    new UpdateUserIdentityInfoCommand({ InstanceId: inst.id, UserId: userId, IdentityInfo: { FirstName: firstName, LastName: "Doe" } }),
  );
const firstName = async (userId = user.id) =>
  (await server.client().send(new DescribeUserCommand({ InstanceId: inst.id, UserId: userId }))).User?.IdentityInfo?.FirstName;
const auditCount = async () => (await server.store.audit.chain(0, 100_000)).length;
const rule = (id: string) => server.faults.list().find((r) => r.id === id);

before(async () => {
  const iam = join(dir, "iam.json");
  writeFileSync(
    iam,
    JSON.stringify({
      principals: [
        {
          name: "faultadmin",
          accessKeys: [KEYS.faultAdmin],
          policies: {
            Faults: {
              Version: "2012-10-17",
              Statement: [{ Effect: "Allow", Action: ["switchboard:ManageFaults", "connect:*"], Resource: "*" }],
            },
          },
        },
        {
          name: "helpdesk",
          accessKeys: [KEYS.helpdesk],
          policies: { Connect: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "connect:*", Resource: "*" }] } },
        },
      ],
    }),
  );
  server = await startTestServer(["--iam", iam]);
  inst = await createInstance(server.client());
  user = await createUser(server.client(), inst);
});
after(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("the SDK retries injected failures", () => {
  test("two ThrottlingExceptions (429), then success on the third attempt", async () => {
    server.faults.replace({ rules: [{ id: "throttle", operation: "UpdateUserIdentityInfo", error: "ThrottlingException", count: 2 }] });
    const out = await setName(retrying(3), "Retried");
    assert.equal(out.$metadata.attempts, 3);
    assert.equal(await firstName(), "Retried");
    assert.deepEqual([rule("throttle")?.injected, rule("throttle")?.remaining], [2, 0]);
  });

  test("two InternalServiceExceptions (500), then success", async () => {
    server.faults.replace({ rules: [{ id: "boom", operation: "Update*", error: "InternalServiceException", count: 2 }] });
    const out = await setName(retrying(3), "AfterFiveHundreds");
    assert.equal(out.$metadata.attempts, 3);
    assert.equal(await firstName(), "AfterFiveHundreds");
  });

  test("a rule without limit: the SDK gives up after its attempts with the injected error", async () => {
    server.faults.replace({ rules: [{ id: "always", operation: "UpdateUserIdentityInfo", error: "ThrottlingException" }] });
    const before = await firstName();
    const err = await setName(retrying(3), "Never").then(
      () => assert.fail("expected the call to fail"),
      (e: { name: string; $metadata: { attempts?: number; httpStatusCode?: number }; message: string }) => e,
    );
    assert.equal(err.name, "ThrottlingException");
    assert.equal(err.$metadata.httpStatusCode, 429);
    assert.equal(err.$metadata.attempts, 3);
    assert.match(err.message, /fault rule "always"/);
    assert.equal(rule("always")?.injected, 3);
    assert.equal(await firstName(), before);
    server.faults.clear();
  });

  test("a dropped connection is retried by the SDK, and the change is made once", async () => {
    server.faults.replace({ rules: [{ id: "drop", operation: "UpdateUserIdentityInfo", drop: true, count: 1 }] });
    const events = await auditCount();
    const out = await setName(retrying(3), "AfterDrop");
    assert.equal(out.$metadata.attempts, 2);
    assert.equal(await firstName(), "AfterDrop");
    assert.equal(await auditCount(), events + 1, "one audit event: the dropped attempt wrote nothing");
    assert.equal(rule("drop")?.injected, 1);
  });

  test("LimitExceededException (429 in the model) and AccessDeniedException (403, not retried)", async () => {
    server.faults.replace({
      rules: [
        { id: "limit", operation: "UpdateUserIdentityInfo", error: "LimitExceededException", count: 1 },
        { id: "denied", operation: "DescribeUser", error: "AccessDeniedException", message: "injected denial", count: 1 },
      ],
    });
    assert.equal((await setName(retrying(2), "AfterLimit")).$metadata.attempts, 2);
    const err = await retrying(3)
      .send(new DescribeUserCommand({ InstanceId: inst.id, UserId: user.id }))
      .then(
        () => assert.fail("expected AccessDeniedException"),
        (e: { name: string; message: string; $metadata: { attempts?: number; httpStatusCode?: number } }) => e,
      );
    assert.deepEqual(
      [err.name, err.message, err.$metadata.httpStatusCode, err.$metadata.attempts],
      ["AccessDeniedException", "injected denial", 403, 1],
    );
    server.faults.clear();
  });
});

describe("nothing injected is written", () => {
  test("a refused UpdateUserIdentityInfo and CreateUser leave the store and the audit trail as they were", async () => {
    await setName(server.client(), "Before");
    server.faults.replace({ rules: [{ operation: "*", error: "InternalServiceException" }] });
    const events = await auditCount();
    await rejectsAws(setName(server.client(), "Injected"), "InternalServiceException", 500);
    await rejectsAws(
      server.client().send(
        new CreateUserCommand({
          InstanceId: inst.id,
          Username: "neverwritten",
          Password: "Passw0rd!Passw0rd",
          IdentityInfo: { FirstName: "N", LastName: "W" },
          PhoneConfig: { PhoneType: "SOFT_PHONE" },
          SecurityProfileIds: [inst.agentProfileId],
          RoutingProfileId: inst.routingProfileId,
        }),
      ),
      "InternalServiceException",
      500,
    );
    server.faults.clear();
    assert.equal(await auditCount(), events, "no audit event for an injected failure");
    assert.equal(await firstName(), "Before");
    const users = await server.client().send(new ListUsersCommand({ InstanceId: inst.id }));
    assert.ok(!users.UserSummaryList?.some((u) => u.Username === "neverwritten"));
  });
});

describe("matching", () => {
  test("nth: every second matching call fails", async () => {
    server.faults.replace({ rules: [{ id: "even", operation: "DescribeUser", error: "InternalServiceException", nth: 2 }] });
    const results: string[] = [];
    for (let i = 0; i < 4; i++) {
      results.push(
        await server
          .client()
          .send(new DescribeUserCommand({ InstanceId: inst.id, UserId: user.id }))
          .then(
            () => "ok",
            (e: Error) => e.name,
          ),
      );
    }
    assert.deepEqual(results, ["ok", "InternalServiceException", "ok", "InternalServiceException"]);
    assert.deepEqual([rule("even")?.matched, rule("even")?.injected], [4, 2]);
    server.faults.clear();
  });

  test("principal and resource globs pick whom and what", async () => {
    const other = await createUser(server.client(), inst);
    server.faults.replace({
      rules: [
        { id: "helpdesk", operation: "*", principal: "arn:aws:iam::*:user/help*", error: "ThrottlingException" },
        { id: "one-user", operation: "DescribeUser", resource: `*/agent/${other.id}`, error: "InternalServiceException" },
      ],
    });
    const helpdesk = retrying(1, KEYS.helpdesk);
    await rejectsAws(helpdesk.send(new DescribeUserCommand({ InstanceId: inst.id, UserId: user.id })), "ThrottlingException", 429);
    await server.client().send(new DescribeUserCommand({ InstanceId: inst.id, UserId: user.id }));
    await rejectsAws(
      server.client().send(new DescribeUserCommand({ InstanceId: inst.id, UserId: other.id })),
      "InternalServiceException",
      500,
    );
    server.faults.clear();
  });

  test("latency: the call answers normally, later", async () => {
    server.faults.replace({ rules: [{ id: "slow", operation: "DescribeUser", latencyMs: 600, count: 1 }] });
    const t0 = performance.now();
    const out = await server.client().send(new DescribeUserCommand({ InstanceId: inst.id, UserId: user.id }));
    assert.ok(performance.now() - t0 >= 590, "delayed by the rule");
    assert.equal(out.User?.Id, user.id);
    assert.deepEqual([rule("slow")?.injected, rule("slow")?.remaining], [1, 0]);
    await server.client().send(new DescribeUserCommand({ InstanceId: inst.id, UserId: user.id }));
    assert.deepEqual([rule("slow")?.matched, rule("slow")?.injected], [1, 1], "a spent rule no longer matches");
    server.faults.clear();
  });
});

describe("/_switchboard/faults", () => {
  const path = "/_switchboard/faults";
  const doc = JSON.stringify({ rules: [{ id: "t", operation: "ListUsers", error: "ThrottlingException", count: 1 }] });

  test("the root replaces, reads and removes the rules", async () => {
    const put = await signedFetch(server.url, "PUT", path, doc);
    assert.equal(put.status, 200, put.text);
    const got = await signedFetch(server.url, "GET", path);
    assert.equal(got.status, 200);
    assert.deepEqual(got.json().rules, [
      { id: "t", operation: "ListUsers", error: "ThrottlingException", count: 1, matched: 0, injected: 0, remaining: 1 },
    ]);
    await rejectsAws(server.client().send(new ListUsersCommand({ InstanceId: inst.id })), "ThrottlingException", 429);
    const del = await signedFetch(server.url, "DELETE", path);
    assert.equal(del.status, 200);
    assert.deepEqual(server.faults.list(), []);
  });

  test("an invalid document is refused whole (400, every problem named), the rules in force stay", async () => {
    server.faults.replace({ rules: [{ id: "keep", operation: "Nothing", latencyMs: 1 }] });
    const bad = await signedFetch(
      server.url,
      "PUT",
      path,
      JSON.stringify({
        rules: [
          { operation: "X", error: "NoSuchError" },
          { operation: "Y", error: "ThrottlingException", drop: true },
        ],
      }),
    );
    assert.equal(bad.status, 400);
    assert.equal(bad.headers.get("x-amzn-errortype"), "InvalidRequestException");
    assert.match(bad.text, /rules\[0\]: \\"error\\": NoSuchError is not an error of the Connect model/);
    assert.match(bad.text, /rules\[1\]: \\"error\\" and \\"drop\\" exclude each other/);
    const notJson = await signedFetch(server.url, "PUT", path, "{rules:");
    assert.equal(notJson.headers.get("x-amzn-errortype"), "SerializationException");
    assert.deepEqual(
      server.faults.list().map((r) => r.id),
      ["keep"],
    );
    server.faults.clear();
  });

  test("unsigned calls are refused; an IAM principal needs switchboard:ManageFaults (connect:* is not enough)", async () => {
    const unsigned = await fetch(`${server.url}${path}`, { method: "PUT", body: doc });
    assert.equal(unsigned.status, 403);
    assert.equal(unsigned.headers.get("x-amzn-errortype"), "MissingAuthenticationTokenException");
    const denied = await signedFetch(server.url, "PUT", path, doc, {
      accessKeyId: KEYS.helpdesk.accessKeyId,
      secret: KEYS.helpdesk.secretAccessKey,
    });
    assert.equal(denied.status, 403);
    assert.equal(denied.headers.get("x-amzn-errortype"), "AccessDeniedException");
    assert.match(denied.text, /not authorized to perform: switchboard:ManageFaults on resource: \*/);
    const wrongSecret = await signedFetch(server.url, "GET", path, undefined, { secret: "wrong" });
    assert.equal(wrongSecret.headers.get("x-amzn-errortype"), "InvalidSignatureException");
    assert.deepEqual(server.faults.list(), []);
    // The denial is audited like any other.
    const events = await server.store.audit.chain(0, 100_000);
    assert.ok(events.some((e) => e.eventName === "PutFaults" && e.errorCode === "AccessDeniedException"));

    const allowed = await signedFetch(server.url, "PUT", path, doc, {
      accessKeyId: KEYS.faultAdmin.accessKeyId,
      secret: KEYS.faultAdmin.secretAccessKey,
    });
    assert.equal(allowed.status, 200, allowed.text);
    assert.equal(server.faults.list().length, 1);
    server.faults.clear();
  });

  test("other methods and paths: UnknownOperationException", async () => {
    const post = await signedFetch(server.url, "POST", path, "{}");
    assert.equal(post.status, 404);
    assert.equal(post.headers.get("x-amzn-errortype"), "UnknownOperationException");
  });
});

describe("--faults FILE and the request log", () => {
  test("rules from the file are in force from the start; injected calls are marked in the log", async () => {
    const file = join(dir, "faults.json");
    writeFileSync(
      file,
      JSON.stringify({ rules: [{ id: "from-file", operation: "ListInstances", error: "ThrottlingException", count: 1 }] }),
    );
    let log = "";
    const logOut = new Writable({
      write(chunk, _enc, done) {
        log += chunk.toString();
        done();
      },
    });
    const s = await startServer(loadConfig(["--memory", "--port", "0", "--faults", file], {}), { logOut });
    try {
      const c = new ConnectClient({
        endpoint: s.url,
        region: "us-east-1",
        credentials: { accessKeyId: "test", secretAccessKey: "test" },
        maxAttempts: 1,
      });
      const { ListInstancesCommand } = await import("@aws-sdk/client-connect");
      await rejectsAws(c.send(new ListInstancesCommand({})), "ThrottlingException", 429);
      await c.send(new ListInstancesCommand({}));
    } finally {
      await s.close();
    }
    const lines = log
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.ok(lines.some((l) => l.msg === "fault rules loaded" && l.rules === 1));
    const requests = lines.filter((l) => l.msg === "request" && l.operation === "ListInstances");
    assert.deepEqual(
      requests.map((l) => [l.status, l.injectedFault, l.fault]),
      [
        [429, "from-file", "error"],
        [200, undefined, undefined],
      ],
    );
  });

  test("an invalid file stops the start (exit 2) naming the file and each problem", async () => {
    const file = join(dir, "bad-faults.json");
    writeFileSync(file, JSON.stringify({ rules: [{ operation: "X", error: "Throttling", probability: 2 }] }));
    const r = await runCli(["serve", "--memory", "--port", "0", "--faults", file]);
    assert.equal(r.code, 2);
    assert.match(r.output, /bad-faults\.json: rules\[0\]: "error": Throttling is not an error of the Connect model/);
    assert.match(r.output, /bad-faults\.json: rules\[0\]: "probability" must be a number > 0 and <= 1/);
  });
});
