// The bench's floor row (bench/floor-server.ts, `npm run bench -- --floor`) does the benchmark
// request's real work: on a database Switchboard created, signed UpdateUserIdentityInfo
// requests answer 200, the user's identity is the one sent, and each request left one audit event
// in a chain `switchboard audit verify` accepts. A bad signature is refused and writes nothing.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { ConnectClient, DescribeUserCommand } from "@aws-sdk/client-connect";
import Database from "better-sqlite3";
import { freePort, spawnNode, stopChild, waitUntilAnswering } from "../../bench/procs.js";
import { sendOnce, signIdentityUpdate } from "../../bench/sign.js";
import { createInstance, createUser } from "../helpers/fixtures.js";
import { runCli, spawnServer } from "../helpers/process.js";

const FLOOR = fileURLToPath(new URL("../../dist/bench/floor-server.js", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "switchboard-floor-"));
const logs = mkdtempSync(join(tmpdir(), "switchboard-floor-logs-"));
after(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(logs, { recursive: true, force: true });
});

const client = (url: string) =>
  new ConnectClient({ endpoint: url, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" }, maxAttempts: 1 });

const events = () => {
  const db = new Database(join(dir, "switchboard.db"), { readonly: true });
  try {
    return (db.prepare("SELECT COUNT(*) AS n FROM audit_events WHERE event_name = 'UpdateUserIdentityInfo'").get() as { n: number }).n;
  } finally {
    db.close();
  }
};

test("floor server: signed updates answer 200, change the user, and extend a chain that verifies", async () => {
  const real = await spawnServer(["--data", dir]);
  const c = client(real.url);
  const inst = await createInstance(c);
  const user = await createUser(c, inst);
  real.child.kill("SIGTERM");
  assert.equal(await real.exited, 0);
  const before = events();

  const port = await freePort();
  const floor = spawnNode(FLOOR, ["--port", String(port), "--db", join(dir, "switchboard.db")], logs, "floor");
  try {
    await waitUntilAnswering(floor, port, "/_switchboard/health");
    const req = await signIdentityUpdate(`http://127.0.0.1:${port}`, inst.id, user.id);
    for (let i = 0; i < 5; i++) assert.equal((await sendOnce(req)).status, 200);
    // The same request with another signature: refused before anything is written.
    const authorization = req.headers.authorization ?? "";
    assert.match(authorization, /Signature=[0-9a-f]{64}/);
    const forged = {
      ...req,
      headers: { ...req.headers, authorization: authorization.replace(/Signature=[0-9a-f]{64}/, `Signature=${"0".repeat(64)}`) },
    };
    assert.equal((await sendOnce(forged)).status, 403);
  } finally {
    await stopChild(floor.child);
  }
  assert.equal(events(), before + 5, "one audit event per answered request");

  const verified = await runCli(["audit", "verify", "--data", dir]);
  assert.equal(verified.code, 0, verified.output);
  assert.match(verified.output, /audit trail intact/);

  const again = await spawnServer(["--data", dir]);
  try {
    const described = await client(again.url).send(new DescribeUserCommand({ InstanceId: inst.id, UserId: user.id }));
    assert.deepEqual(described.User?.IdentityInfo, { FirstName: "Bench", LastName: "User", Email: "bench@example.com" });
  } finally {
    again.child.kill("SIGTERM");
    await again.exited;
  }
});
