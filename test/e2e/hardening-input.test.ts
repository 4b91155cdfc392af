// Issue 10's input defects, from outside: every malformed request is a typed 4xx (never a 500,
// which every SDK retries), the same for every operation.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { ConnectClient } from "@aws-sdk/client-connect";
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
