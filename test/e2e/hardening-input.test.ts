// Issue 10's input defects, from outside: every malformed request is a typed 4xx (never a 500,
// which every SDK retries), the same for every operation.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { ConnectClient } from "@aws-sdk/client-connect";
import { OPERATIONS, SHAPES } from "../../src/model/index.js";
import type { Member, OperationDef } from "../../src/model/types.js";
import { CONNECT_OPERATIONS } from "../../src/operations/connect-service.js";
import { createInstance, createUser, type InstanceFixture } from "../helpers/fixtures.js";
import { type RawResponse, signedFetch, startTestServer, type TestServer } from "../helpers/server.js";

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

function expectError(r: RawResponse, status: number, type: string, pattern?: RegExp): void {
  assert.equal(r.status, status, r.text);
  assert.equal(r.headers.get("x-amzn-errortype"), type, r.text);
  if (pattern) assert.match(r.text, pattern);
}

// Defect 2: invalid percent-encoding in a path label answered 404/500 depending on the route.
test("invalid percent-encoding in the path → 400 SerializationException on every method, routed or not", async () => {
  const paths = [`/users/${"i"}/%C3%28/identity-info`, "/users/%ZZ/x/identity-info", "/users/%E0%A4%A", "/no-such-route/%C3%28", "/%"];
  for (const path of paths) {
    for (const method of ["GET", "POST", "PUT", "DELETE", "PATCH"]) {
      const r = await signedFetch(server.url, method, path, method === "GET" || method === "DELETE" ? undefined : "{}");
      expectError(r, 400, "SerializationException", /percent-encoding/);
    }
  }
});

// Defect 3: JSON null members. One reading for every operation (restJson1, conservative): a null
// structure member is absent; null inside a list or a map is a SerializationException.
const op = (name: string) => OPERATIONS[name] as OperationDef;
function pathOf(name: string): string {
  const uri = (op(name).uri.split("?")[0] ?? "").replace(/\{([^}+]+)\+?\}/g, (_, label: string) =>
    label === "InstanceId" ? inst.id : label === "UserId" ? user.id : "x",
  );
  return uri;
}
function bodyMembers(name: string): Array<[string, Member]> {
  const input = op(name).input ? SHAPES[op(name).input as string] : undefined;
  if (input?.t !== "structure") return [];
  return Object.entries(input.members).filter(([, m]) => m.loc === undefined);
}
const send = (name: string, body: unknown) => signedFetch(server.url, op(name).method, pathOf(name), JSON.stringify(body));
const notServer = (r: RawResponse, what: string) => assert.ok(r.status < 500, `${what}: ${r.status} ${r.text}`);

test("a null member at any depth is never a 500, for every served operation", async () => {
  for (const name of Object.keys(CONNECT_OPERATIONS)) {
    for (const [member, m] of bodyMembers(name)) {
      notServer(await send(name, { [member]: null }), `${name} ${member}: null`);
      const target = SHAPES[m.target];
      if (target?.t === "structure") {
        const nulls = Object.fromEntries(Object.keys(target.members).map((k) => [k, null]));
        notServer(await send(name, { [member]: nulls }), `${name} ${member}: {all null}`);
      } else if (target?.t === "list") {
        expectError(await send(name, { [member]: [null] }), 400, "SerializationException");
      } else if (target?.t === "map") {
        expectError(await send(name, { [member]: { k: null } }), 400, "SerializationException");
      }
    }
  }
});

test("null identity members read as absent: the answer is the one for the member omitted", async () => {
  const path = `/users/${inst.id}/${user.id}/identity-info`;
  for (const member of ["FirstName", "LastName", "Email", "SecondaryEmail", "Mobile"]) {
    const full: Record<string, unknown> = { FirstName: "Stable", LastName: "User", Email: "stable@example.com" };
    const omitted = { ...full };
    delete omitted[member];
    const withNull = await signedFetch(server.url, "POST", path, JSON.stringify({ IdentityInfo: { ...full, [member]: null } }));
    const without = await signedFetch(server.url, "POST", path, JSON.stringify({ IdentityInfo: omitted }));
    assert.equal(withNull.status, without.status, `${member}: ${withNull.text} vs ${without.text}`);
    assert.equal(withNull.headers.get("x-amzn-errortype"), without.headers.get("x-amzn-errortype"), member);
    // put the user back as it was
    await signedFetch(server.url, "POST", path, JSON.stringify({ IdentityInfo: full }));
  }
  const created = await signedFetch(
    server.url,
    "PUT",
    `/users/${inst.id}`,
    JSON.stringify({
      Username: "nullnames",
      Password: "Passw0rd-Long",
      PhoneConfig: { PhoneType: "SOFT_PHONE" },
      SecurityProfileIds: [inst.agentProfileId],
      RoutingProfileId: inst.routingProfileId,
      IdentityInfo: { FirstName: null, LastName: null },
    }),
  );
  notServer(created, "CreateUser with null names");
  // an unknown member is ignored, nulls inside it too
  const unknown = { IdentityInfo: { FirstName: "Stable", LastName: "User", Email: "stable@example.com" }, Future: [null] };
  assert.equal((await signedFetch(server.url, "POST", path, JSON.stringify(unknown))).status, 200);
});

// Defect 7: x-amz-content-sha256: UNSIGNED-PAYLOAD let a body be swapped under a valid signature.
test("UNSIGNED-PAYLOAD is refused: Connect's clients always sign the body", async () => {
  const path = `/users/${inst.id}/${user.id}/identity-info`;
  const body = JSON.stringify({ IdentityInfo: { FirstName: "Swapped", LastName: "Body", Email: "swapped@example.com" } });
  const r = await signedFetch(server.url, "POST", path, body, { headers: { "x-amz-content-sha256": "UNSIGNED-PAYLOAD" } });
  expectError(r, 403, "InvalidSignatureException", /UNSIGNED-PAYLOAD/);
  const described = await signedFetch(server.url, "GET", `/users/${inst.id}/${user.id}`);
  assert.doesNotMatch(described.text, /Swapped/, "nothing changed");
});
