// Issue 10's audit-trail defects, from outside: what a stored event may hold, and how much.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { type ConnectClient, UpdateUserIdentityInfoCommand } from "@aws-sdk/client-connect";
import { createInstance, createUser, type InstanceFixture } from "../helpers/fixtures.js";
import { signedFetch, startTestServer, type TestServer } from "../helpers/server.js";

let server: TestServer;
let c: ConnectClient;
let inst: InstanceFixture;
let user: { id: string };

before(async () => {
  server = await startTestServer();
  c = server.client();
  inst = await createInstance(c);
  user = await createUser(c, inst, { IdentityInfo: { FirstName: "Stable", LastName: "User", Email: "stable@example.com" } });
});
after(() => server.close());

const headSeq = async () => (await server.store.audit.head()).seq;
const storedAfter = async (seq: number) => JSON.stringify(await server.store.audit.chain(seq, 10_000));

// Defect 8: Mobile is personal data; it was echoed in validation messages and requestParameters.
test("Mobile is masked like the other identity members: in validation messages and in stored events", async () => {
  const seq = await headSeq();
  const path = `/users/${inst.id}/${user.id}/identity-info`;
  const identity = { FirstName: "Stable", LastName: "User", Email: "stable@example.com" };
  const bad = await signedFetch(server.url, "POST", path, JSON.stringify({ IdentityInfo: { ...identity, Mobile: "call-me-4242" } }));
  assert.equal(bad.status, 400, bad.text);
  assert.match(bad.text, /identityInfo\.mobile/);
  assert.doesNotMatch(bad.text, /4242/);
  await c.send(
    new UpdateUserIdentityInfoCommand({ InstanceId: inst.id, UserId: user.id, IdentityInfo: { ...identity, Mobile: "+15557654321" } }),
  );
  await createUser(c, inst, { IdentityInfo: { FirstName: "M", LastName: "N", Mobile: "+15550009999" } });
  const stored = await storedAfter(seq);
  assert.match(stored, /UpdateUserIdentityInfo/);
  for (const secret of ["4242", "7654321", "0009999"]) assert.ok(!stored.includes(secret), `${secret} stored: ${stored}`);
});

// Defect 4: the InvalidSignatureException message carried the canonical request, session token
// included, and was stored as the event's errorMessage.
test("no credential in stored audit text: session token and signature never stored, nor echoed", async () => {
  const seq = await headSeq();
  const token = "FwoGZXIvYXdzEXAMPLESESSIONTOKEN0123456789abcdef";
  const wrong = await signedFetch(server.url, "GET", `/users/${inst.id}/${user.id}`, undefined, {
    secret: "not-the-secret",
    headers: { "x-amz-security-token": token },
  });
  assert.equal(wrong.status, 403, wrong.text);
  assert.equal(wrong.headers.get("x-amzn-errortype"), "InvalidSignatureException");
  assert.match(wrong.text, /Canonical String for this request/, "the client still sees the canonical request");
  assert.ok(!wrong.text.includes(token), `the token is not echoed: ${wrong.text}`);
  // an Authorization header echoed back (IncompleteSignatureException) holds the signature
  const signature = "a".repeat(40) + "b".repeat(24);
  const incomplete = await fetch(`${server.url}/users/${inst.id}/${user.id}`, {
    headers: {
      authorization: `AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/connect/aws4_request, Signature=${signature}`,
      "x-amz-date": "20260101T000000Z",
    },
  });
  assert.equal(incomplete.status, 403);
  const stored = await storedAfter(seq);
  assert.match(stored, /InvalidSignatureException/);
  assert.match(stored, /IncompleteSignatureException/);
  assert.ok(!stored.includes(token), "no session token stored");
  assert.ok(!stored.includes(signature), "no signature stored");
  assert.ok(!/Signature=[0-9a-f]{16}/.test(stored), "no signature of any request stored");
});
