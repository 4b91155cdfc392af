// The real process: data survive a restart, SIGTERM drains and exits 0, --memory writes nothing,
// a database from a newer schema is refused with a clear message, logs carry no sensitive member.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { ConnectClient, DescribeUserCommand, UpdateUserIdentityInfoCommand } from "@aws-sdk/client-connect";
import Database from "better-sqlite3";
import { createInstance, createUser } from "../helpers/fixtures.js";
import { runCli, spawnServer } from "../helpers/process.js";

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), "switchboard-test-"));
  dirs.push(d);
  return d;
};
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const client = (url: string) =>
  new ConnectClient({ endpoint: url, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" }, maxAttempts: 1 });

test("write, SIGTERM (exit 0), restart on the same data directory, read back", async () => {
  const data = tmp();
  const first = await spawnServer(["--data", data]);
  const c1 = client(first.url);
  const inst = await createInstance(c1);
  const u = await createUser(c1, inst);
  await c1.send(
    new UpdateUserIdentityInfoCommand({
      InstanceId: inst.id,
      UserId: u.id,
      IdentityInfo: { FirstName: "Persisted", LastName: "Secretname", Email: "persisted@example.com" },
    }),
  );
  first.child.kill("SIGTERM");
  assert.equal(await first.exited, 0);
  const log = first.output();
  assert.match(log, /"msg":"stopped","signal":"SIGTERM"/);
  // Names and e-mails are sensitive in the model: never in the logs.
  assert.ok(!log.includes("Secretname") && !log.includes("persisted@example.com"), "no sensitive member in logs");
  assert.match(log, /"operation":"UpdateUserIdentityInfo","status":200/);

  const second = await spawnServer(["--data", data]);
  try {
    const user = (await client(second.url).send(new DescribeUserCommand({ InstanceId: inst.id, UserId: u.id }))).User;
    assert.deepEqual(user?.IdentityInfo, { FirstName: "Persisted", LastName: "Secretname", Email: "persisted@example.com" });
  } finally {
    second.child.kill("SIGINT");
    assert.equal(await second.exited, 0);
  }
});

test("SIGTERM under load: every acknowledged write is there after restart", async () => {
  const data = tmp();
  const first = await spawnServer(["--data", data, "--max-users-per-instance", "1000"]);
  const c1 = client(first.url);
  const inst = await createInstance(c1);
  const attempts = Array.from({ length: 60 }, () =>
    createUser(c1, inst).then(
      (u) => u,
      () => undefined,
    ),
  );
  setTimeout(() => first.child.kill("SIGTERM"), 5);
  const acknowledged = (await Promise.all(attempts)).filter((u) => u !== undefined);
  assert.equal(await first.exited, 0);
  const second = await spawnServer(["--data", data]);
  try {
    const c2 = client(second.url);
    for (const u of acknowledged) {
      const found = await c2.send(new DescribeUserCommand({ InstanceId: inst.id, UserId: u.id }));
      assert.equal(found.User?.Id, u.id);
    }
  } finally {
    second.child.kill("SIGTERM");
    await second.exited;
  }
});

test("--memory keeps nothing on disk", async () => {
  const cwd = tmp();
  const s = await spawnServer(["--memory"], {}, cwd);
  await createInstance(client(s.url));
  s.child.kill("SIGTERM");
  assert.equal(await s.exited, 0);
  assert.deepEqual(readdirSync(cwd), []);
});

test("a database written by a newer schema version is refused with a clear message", async () => {
  const data = tmp();
  const s = await spawnServer(["--data", data]);
  s.child.kill("SIGTERM");
  await s.exited;
  const db = new Database(join(data, "switchboard.db"));
  db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'from the future', 0)").run();
  db.close();
  const r = await runCli(["serve", "--data", data, "--port", "0"]);
  assert.equal(r.code, 1);
  assert.match(r.output, /newer Switchboard \(schema version 999\)/);
});

test("bad configuration exits 2 with the reason", async () => {
  const r = await runCli(["serve", "--port", "http"]);
  assert.equal(r.code, 2);
  assert.match(r.output, /port must be a whole number/);
  const env = await runCli(["serve"], { SWITCHBOARD_AUTH: "maybe" });
  assert.equal(env.code, 2);
  assert.match(env.output, /auth must be one of sigv4, off/);
});

test("--auth off says so at start-up", async () => {
  const s = await spawnServer(["--memory", "--auth", "off"]);
  s.child.kill("SIGTERM");
  await s.exited;
  assert.match(s.output(), /authentication is OFF/);
});
