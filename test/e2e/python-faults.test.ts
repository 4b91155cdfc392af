// Fault injection with Debian's boto3 (standard retry mode): injected throttles, 500s and a
// dropped connection retried to success; a rule without limit outlasting the retries. Rules are
// set through the server's Faults object (the API an embedding program uses).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { DescribeUserCommand } from "@aws-sdk/client-connect";
import { isolatedAwsEnv } from "../helpers/aws-env.js";
import { createInstance, createUser, type InstanceFixture } from "../helpers/fixtures.js";
import { assertClientsInstalled, PYTHON, parseJson, run } from "../helpers/python-clients.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

const SCRIPT = fileURLToPath(new URL("./python/boto3_faults.py", import.meta.url));

let server: TestServer;
let inst: InstanceFixture;
let user: { id: string };

before(async () => {
  assertClientsInstalled();
  server = await startTestServer();
  inst = await createInstance(server.client());
  user = await createUser(server.client(), inst);
});
after(() => server?.close());

interface Outcome {
  ok?: boolean;
  error?: string;
  status?: number;
  retryAttempts?: number;
  connectionError?: string;
}

async function boto3Update(firstName: string, attempts: number): Promise<Outcome> {
  const r = await run(PYTHON, [SCRIPT, server.url, inst.id, user.id, firstName, String(attempts)], isolatedAwsEnv(), 60_000);
  assert.equal(r.code, 0, r.stderr);
  return parseJson(r.stdout, "boto3_faults.py") as Outcome;
}
const firstName = async () =>
  (await server.client().send(new DescribeUserCommand({ InstanceId: inst.id, UserId: user.id }))).User?.IdentityInfo?.FirstName;

test("boto3 retries two injected ThrottlingExceptions to success", async () => {
  server.faults.replace({ rules: [{ id: "t", operation: "UpdateUserIdentityInfo", error: "ThrottlingException", count: 2 }] });
  assert.deepEqual(await boto3Update("BotoThrottled", 3), { ok: true, retryAttempts: 2 });
  assert.equal(await firstName(), "BotoThrottled");
});

test("boto3 retries two injected InternalServiceExceptions (500) to success", async () => {
  server.faults.replace({ rules: [{ id: "e", operation: "UpdateUserIdentityInfo", error: "InternalServiceException", count: 2 }] });
  assert.deepEqual(await boto3Update("BotoFiveHundred", 3), { ok: true, retryAttempts: 2 });
  assert.equal(await firstName(), "BotoFiveHundred");
});

test("boto3 retries a dropped connection", async () => {
  server.faults.replace({ rules: [{ id: "d", operation: "UpdateUserIdentityInfo", drop: true, count: 1 }] });
  assert.deepEqual(await boto3Update("BotoDropped", 3), { ok: true, retryAttempts: 1 });
  assert.equal(server.faults.list()[0]?.injected, 1);
  assert.equal(await firstName(), "BotoDropped");
});

test("boto3 gives up on a rule without limit, with the injected error, and nothing is written", async () => {
  server.faults.replace({ rules: [{ id: "always", operation: "UpdateUserIdentityInfo", error: "ThrottlingException" }] });
  assert.deepEqual(await boto3Update("BotoNever", 3), { error: "ThrottlingException", status: 429, retryAttempts: 2 });
  assert.equal(server.faults.list()[0]?.injected, 3);
  server.faults.clear();
  assert.equal(await firstName(), "BotoDropped");
});
