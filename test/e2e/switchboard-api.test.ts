// Switchboard's own SigV4 API at /_switchboard/api (awsJson1.1, signing name `switchboard`):
// GetAccessReport and VerifyAuditChain, each authorized by an IAM action of its own
// (switchboard:GetAccessReport, switchboard:VerifyAuditChain); the root may always; a denial names
// the action and is recorded in the audit trail; the wrong signing name is refused.
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { SignatureV4 } from "@smithy/signature-v4";
import { NodeSha256 } from "../../bench/node-sha256.js";
import { createInstance, createUser, type InstanceFixture } from "../helpers/fixtures.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

const AUDITOR = { accessKeyId: "AKIAAUDITOR000000001", secretAccessKey: "aUdItOrSeCrEt000000000000000000000000000" };
const NOBODY = { accessKeyId: "AKIANOBODY0000000001", secretAccessKey: "nObOdYsEcReT0000000000000000000000000000" };

async function call(
  server: TestServer,
  operation: string,
  body: unknown,
  creds = { accessKeyId: "test", secretAccessKey: "test" },
  service = "switchboard",
) {
  const url = new URL(server.url);
  const text = JSON.stringify(body);
  const signer = new SignatureV4({ service, region: "us-east-1", credentials: creds, sha256: NodeSha256 });
  const signed = await signer.sign({
    method: "POST",
    protocol: "http:",
    hostname: url.hostname,
    port: Number(url.port),
    path: "/_switchboard/api",
    query: {},
    headers: { host: url.host, "content-type": "application/x-amz-json-1.1", "x-amz-target": `Switchboard.${operation}` },
    body: text,
  });
  const res = await fetch(`${server.url}/_switchboard/api`, { method: "POST", headers: signed.headers, body: text });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe("Switchboard's API", () => {
  let server: TestServer;
  let inst: InstanceFixture;
  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), "sb-api-"));
    const file = join(dir, "iam.json");
    writeFileSync(
      file,
      JSON.stringify({
        principals: [
          {
            name: "auditor",
            accessKeys: [AUDITOR],
            policies: {
              Audit: {
                Version: "2012-10-17",
                Statement: [{ Effect: "Allow", Action: ["switchboard:GetAccessReport", "switchboard:VerifyAuditChain"], Resource: "*" }],
              },
            },
          },
          {
            name: "nobody",
            accessKeys: [NOBODY],
            policies: { Connect: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "connect:*", Resource: "*" }] } },
          },
        ],
      }),
    );
    server = await startTestServer(["--iam", file]);
    const c = server.client();
    inst = await createInstance(c);
    await createUser(c, inst, { Username: "someone" });
  });
  after(() => server.close());

  test("the root and a principal allowed switchboard:* get the access report and the chain status", async () => {
    for (const creds of [undefined, AUDITOR]) {
      const report = await call(server, "GetAccessReport", { InstanceId: inst.id }, creds);
      assert.equal(report.status, 200, JSON.stringify(report.json));
      assert.equal(report.json.action, "connect:UpdateUserIdentityInfo");
      assert.equal(report.json.users, 1);
      const names = (report.json.principals as { name: string }[]).map((p) => p.name).sort();
      assert.deepEqual(names, ["auditor", "nobody", "root"]);
      const chain = await call(server, "VerifyAuditChain", {}, creds);
      assert.equal(chain.status, 200);
      assert.equal(chain.json.ok, true);
      assert.match(String(chain.json.headHash), /^[0-9a-f]{64}$/);
    }
  });

  test("connect:* does not grant them: AccessDenied names the switchboard action", async () => {
    const r = await call(server, "GetAccessReport", {}, NOBODY);
    assert.equal(r.status, 400);
    assert.equal(r.json.__type, "AccessDeniedException");
    assert.match(String(r.json.message), /not authorized to perform: switchboard:GetAccessReport on resource: \*/);
    const v = await call(server, "VerifyAuditChain", {}, NOBODY);
    assert.match(String(v.json.message), /switchboard:VerifyAuditChain/);
  });

  test("bad input, unknown operations and the wrong signing name are refused", async () => {
    const bad = await call(server, "GetAccessReport", { Action: "connect:ListInstances" });
    assert.deepEqual([bad.status, bad.json.__type], [400, "ValidationException"]);
    const unknown = await call(server, "DropTables", {});
    assert.deepEqual([unknown.status, unknown.json.__type], [400, "UnknownOperationException"]);
    const wrong = await call(server, "VerifyAuditChain", {}, undefined, "connect");
    assert.equal(wrong.status, 400);
    assert.notEqual(wrong.json.ok, true);
  });
});
