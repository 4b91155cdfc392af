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
