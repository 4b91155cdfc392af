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
  // Not a bare "4242": a random event id once held it (7-digit runs: ~1 in 10^5 of a false alarm).
  for (const secret of ["call-me-4242", "7654321", "0009999"]) assert.ok(!stored.includes(secret), `${secret} stored: ${stored}`);
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

// Defect 1: every failed authentication stored the whole User-Agent (~10 KB an event), without
// any limit: anyone could fill the disk.
const BIG_UA = `flood/${"x".repeat(8 * 1024)}`;
const wrongSecret = (s: TestServer, path: string) =>
  signedFetch(s.url, "GET", path, undefined, { secret: "wrong", headers: { "user-agent": BIG_UA } });

test("a failed authentication's stored event is bounded (2 KB), however large the request", async () => {
  const seq = await headSeq();
  const long = "k".repeat(1500); // the headers stay under Node's 16 KB
  await wrongSecret(server, `/users/${inst.id}/${user.id}`);
  await fetch(`${server.url}/users/x`, {
    headers: {
      "user-agent": BIG_UA,
      authorization: `AWS4-HMAC-SHA256 Credential=${long}/20260101/${long}/connect/aws4_request, SignedHeaders=host, Signature=00`,
    },
  });
  await fetch(`${server.url}/users/x?X-Amz-Credential=${long}`, { headers: { "user-agent": BIG_UA } });
  const events = await server.store.audit.chain(seq, 100);
  assert.equal(events.length, 3, JSON.stringify(events.map((e) => e.record.errorCode)));
  for (const e of events) {
    const size = Buffer.byteLength(JSON.stringify(e.record));
    assert.ok(size <= 2048, `${e.record.errorCode}: ${size} bytes`);
  }
});

test("failed authentications are rate-limited per source IP and access key; a summary counts the dropped; real events stay", async () => {
  const limited = await startTestServer(["--failed-auth-audit-rate", "3/1"]);
  try {
    const lc = limited.client();
    const li = await createInstance(lc);
    const seq = (await limited.store.audit.head()).seq;
    for (let i = 0; i < 10; i++) assert.equal((await wrongSecret(limited, `/users/${li.id}/x`)).status, 403);
    await createUser(lc, li);
    let events = await limited.store.audit.chain(seq, 1000);
    assert.equal(events.filter((e) => e.errorCode === "InvalidSignatureException").length, 3, "3 a second per source");
    assert.equal(events.filter((e) => e.eventName === "CreateUser").length, 1, "the flood hides no real event");
    await new Promise((r) => setTimeout(r, 1100));
    await wrongSecret(limited, `/users/${li.id}/x`); // a new window: recorded, and the last one summed up
    events = await limited.store.audit.chain(seq, 1000);
    const summary = events.find((e) => e.eventName === "FailedAuthenticationsSuppressed");
    assert.ok(summary, "a summary event");
    const data = summary.record.additionalEventData as Record<string, unknown>;
    assert.equal(data.suppressedCount, 7);
    assert.equal(events.filter((e) => e.errorCode === "InvalidSignatureException").length, 4);
  } finally {
    await limited.close();
  }
});
