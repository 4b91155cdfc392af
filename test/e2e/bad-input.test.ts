// Hand-made requests (signed by AWS's own signer) that no SDK would send: each gets a clear,
// typed AWS error, the server stays up, and nothing changes.
import assert from "node:assert/strict";
import { connect } from "node:net";
import { after, before, test } from "node:test";
import { type ConnectClient, DescribeUserCommand } from "@aws-sdk/client-connect";
import { createInstance, createUser, type InstanceFixture } from "../helpers/fixtures.js";
import { HTTP_SUITE_ON_POSTGRES } from "../helpers/postgres.js";
import { type RawResponse, signedFetch, startTestServer, type TestServer } from "../helpers/server.js";

let server: TestServer;
let c: ConnectClient;
let inst: InstanceFixture;
let user: { id: string };
let path: string;

before(async () => {
  server = await startTestServer(["--max-body-bytes", "65536"]);
  c = server.client();
  inst = await createInstance(c);
  user = await createUser(c, inst, { IdentityInfo: { FirstName: "Stable", LastName: "User", Email: "stable@example.com" } });
  path = `/users/${inst.id}/${user.id}/identity-info`;
});
after(() => server.close());

async function unchanged(): Promise<void> {
  const u = (await c.send(new DescribeUserCommand({ InstanceId: inst.id, UserId: user.id }))).User;
  assert.deepEqual(u?.IdentityInfo, { FirstName: "Stable", LastName: "User", Email: "stable@example.com" });
}

function expectError(r: RawResponse, status: number, type: string, messagePattern?: RegExp): void {
  assert.equal(r.status, status, r.text);
  assert.equal(r.headers.get("x-amzn-errortype"), type);
  assert.ok(r.headers.get("x-amzn-requestid"), "every response carries a request id");
  const body = r.json();
  const message = (body.Message ?? body.message) as string;
  assert.equal(typeof message, "string");
  if (messagePattern) assert.match(message, messagePattern);
}

test("malformed JSON → 400 SerializationException", async () => {
  expectError(await signedFetch(server.url, "POST", path, '{"IdentityInfo": {'), 400, "SerializationException", /not valid JSON/);
  expectError(await signedFetch(server.url, "POST", path, "[1,2]"), 400, "SerializationException", /JSON object/);
  expectError(await signedFetch(server.url, "POST", path, "null"), 400, "SerializationException");
  await unchanged();
});

test("wrong JSON types → 400 SerializationException naming the member", async () => {
  const cases: Array<[string, RegExp]> = [
    ['{"IdentityInfo": "Jane"}', /'identityInfo'/],
    ['{"IdentityInfo": {"FirstName": 42, "LastName": "Doe"}}', /'identityInfo.firstName'.*string/],
    ['{"IdentityInfo": {"FirstName": ["Jane"], "LastName": "Doe"}}', /'identityInfo.firstName'/],
  ];
  for (const [body, pattern] of cases) {
    expectError(await signedFetch(server.url, "POST", path, body), 400, "SerializationException", pattern);
  }
  await unchanged();
});

test("unknown members are ignored, as restJson1 asks (newer clients keep working)", async () => {
  const r = await signedFetch(
    server.url,
    "POST",
    path,
    JSON.stringify({ IdentityInfo: { FirstName: "Stable", LastName: "User", Email: "stable@example.com", Future: 1 }, Other: true }),
  );
  assert.equal(r.status, 200, r.text);
  assert.equal(r.text, "", "Unit output: empty body");
  await unchanged();
});

test("an empty body where members are required → InvalidParameterException", async () => {
  expectError(await signedFetch(server.url, "POST", path, ""), 400, "InvalidParameterException", /Value null at 'identityInfo'/);
  await unchanged();
});

test("oversize body → 413, the server stays up", async () => {
  const big = JSON.stringify({ IdentityInfo: { FirstName: "x".repeat(70_000), LastName: "y" } });
  const r = await fetch(`${server.url}${path}`, { method: "POST", body: big, headers: { "content-type": "application/json" } });
  assert.equal(r.status, 413);
  assert.equal(r.headers.get("x-amzn-errortype"), "RequestEntityTooLargeException");
  await unchanged();
});

test("unknown route → 404 UnknownOperationException; unknown method on a known path too", async () => {
  expectError(await signedFetch(server.url, "GET", "/no/such/route"), 404, "UnknownOperationException", /GET \/no\/such\/route/);
  expectError(await signedFetch(server.url, "PATCH", path, "{}"), 404, "UnknownOperationException", /PATCH is not supported/);
  await unchanged();
});

test("a modeled operation Switchboard does not implement → NotImplementedException naming it", async () => {
  const r = await signedFetch(server.url, "GET", `/hours-of-operations-summary/${inst.id}`);
  expectError(r, 501, "NotImplementedException", /ListHoursOfOperations is not implemented in Switchboard/);
});

test("validation runs for unimplemented operations too (model-driven)", async () => {
  const r = await signedFetch(server.url, "GET", `/hours-of-operations-summary/${inst.id}`, undefined, { query: { maxResults: "5000" } });
  expectError(r, 400, "InvalidParameterException", /'maxResults'.*less than or equal to 1000/);
  const r2 = await signedFetch(server.url, "GET", `/hours-of-operations-summary/${inst.id}`, undefined, { query: { maxResults: "many" } });
  expectError(r2, 400, "SerializationException", /maxResults/);
});

test("a NUL character (U+0000) in any string member → 400 InvalidParameterException naming it, on every engine", async () => {
  // PostgreSQL cannot store U+0000 in text or jsonb: without this rule its driver's error became a
  // 500 there, while SQLite stored the value (README, fidelity notes).
  const cases: Array<[string, string, string, RegExp]> = [
    ["POST", path, '{"IdentityInfo": {"FirstName": "Ja\\u0000ne", "LastName": "Doe"}}', /'identityInfo\.firstName'.*U\+0000/],
    ["POST", path, '{"IdentityInfo": {"FirstName": "Jane", "LastName": "Doe", "Mobile": "+1555\\u00000100"}}', /'identityInfo\.mobile'/],
    [
      "PUT",
      `/users/${inst.id}`,
      JSON.stringify({
        Username: "nul\u0000user",
        PhoneConfig: { PhoneType: "SOFT_PHONE" },
        SecurityProfileIds: [inst.agentProfileId],
        RoutingProfileId: inst.routingProfileId,
        IdentityInfo: { FirstName: "A", LastName: "B" },
        Password: "Passw0rd!x",
      }),
      /'username'.*U\+0000/,
    ],
    ["POST", `/tags/${encodeURIComponent(inst.arn)}`, JSON.stringify({ tags: { team: "a\u0000b" } }), /'tags\.team'|'tags'/],
  ];
  for (const [method, p, body, pattern] of cases) {
    const r = await signedFetch(server.url, method, p, body);
    expectError(r, 400, "InvalidParameterException", pattern);
    assert.ok(!r.text.includes("\\u0000"), "the offending value is not echoed");
  }
  await unchanged();
});

test("bad percent-encoding in a label → 400, not a crash", async () => {
  const r = await signedFetch(server.url, "GET", `/users/${inst.id}/%E0%A4%A`);
  assert.ok(r.status === 400 || r.status === 403, r.text);
  assert.ok(r.headers.get("x-amzn-errortype"));
});

test("missing authentication → 403 MissingAuthenticationTokenException", async () => {
  const r = await fetch(`${server.url}${path}`, { method: "POST", body: "{}" });
  assert.equal(r.status, 403);
  assert.equal(r.headers.get("x-amzn-errortype"), "MissingAuthenticationTokenException");
  await unchanged();
});

test("garbage on the socket gets a 400 and the server keeps serving", async () => {
  const reply = await new Promise<string>((resolve, reject) => {
    const s = connect(server.port, "127.0.0.1");
    let data = "";
    s.on("data", (d) => {
      data += d.toString();
    });
    s.on("end", () => resolve(data));
    s.on("error", reject);
    s.write("THIS IS NOT HTTP\r\n\r\n");
  });
  assert.match(reply, /^HTTP\/1\.1 400/);
  assert.match(reply, /x-amzn-ErrorType: SerializationException/);
  await unchanged();
});

test("health endpoint answers with the database state", async () => {
  const r = await fetch(`${server.url}/_switchboard/health`);
  assert.equal(r.status, 200);
  const body = (await r.json()) as { status: string; database: { ok: boolean; engine: string } };
  assert.equal(body.status, "ok");
  assert.deepEqual([body.database.ok, body.database.engine], [true, HTTP_SUITE_ON_POSTGRES ? "postgres" : "sqlite"]);
});
