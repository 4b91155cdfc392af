// Issue 10, defect 5: a revert link's stored copy of the old identity (names, e-mails, mobile in
// clear) outlived the link. It is purged when the link is used, when it expires (a sweep, also at
// start-up) and when the user or the instance is deleted; what the audit needs (ids, times) stays.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { ConnectClient, DeleteUserCommand, UpdateUserIdentityInfoCommand } from "@aws-sdk/client-connect";
import { type RunningServer, startServer } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { hashRevertToken } from "../../src/notify/revert-token.js";
import { createInstance, createUser, type InstanceFixture } from "../helpers/fixtures.js";

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const OLD = { FirstName: "Jane", LastName: "Doe", Email: "jane.doe@example.com", Mobile: "+14155550100" };
let now = Date.now();

async function start(dir: string): Promise<{ server: RunningServer; c: ConnectClient }> {
  const config = loadConfig(["--data", dir, "--port", "0", "--log-level", "off", "--revert-ttl-hours", "1"], {});
  const server = await startServer(config, { clock: { now: () => now } });
  const c = new ConnectClient({
    endpoint: server.url,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
  });
  return { server, c };
}

/** Changes the user's e-mail and returns the revert token's hash from the alert in the outbox. */
async function changeEmail(server: RunningServer, c: ConnectClient, inst: InstanceFixture, userId: string): Promise<string> {
  await c.send(
    new UpdateUserIdentityInfoCommand({ InstanceId: inst.id, UserId: userId, IdentityInfo: { ...OLD, Email: "new@example.org" } }),
  );
  const all = await server.store.outbox.list();
  const token = /\/_switchboard\/revert\/([A-Za-z0-9_-]{43})/.exec(all[all.length - 1]?.body ?? "")?.[1];
  assert.ok(token, "a revert link in the alert");
  return token;
}

const previousOf = async (server: RunningServer, tokenHash: string) => (await server.store.outbox.getRevertToken(tokenHash))?.previous;

test("used, deleted with the user, expired: the old identity is no longer stored", async () => {
  const dir = mkdtempSync(join(tmpdir(), "switchboard-revert-"));
  dirs.push(dir);
  let { server, c } = await start(dir);
  const inst = await createInstance(c);

  // used
  const a = await createUser(c, inst, { IdentityInfo: OLD });
  const tokenA = await changeEmail(server, c, inst, a.id);
  assert.equal((await previousOf(server, hashRevertToken(tokenA)))?.email, OLD.Email, "kept while the link is valid");
  assert.equal((await fetch(`${server.url}/_switchboard/revert/${tokenA}`, { method: "POST" })).status, 200);
  assert.deepEqual(await previousOf(server, hashRevertToken(tokenA)), {}, "purged on use");
  assert.equal((await fetch(`${server.url}/_switchboard/revert/${tokenA}`, { method: "POST" })).status, 410, "still known as used");

  // user deleted
  const b = await createUser(c, inst, { IdentityInfo: OLD });
  const tokenB = await changeEmail(server, c, inst, b.id);
  await c.send(new DeleteUserCommand({ InstanceId: inst.id, UserId: b.id }));
  assert.deepEqual(await previousOf(server, hashRevertToken(tokenB)), {}, "purged with the user");

  // expired: the sweep at start-up (and every few minutes) purges it
  const d = await createUser(c, inst, { IdentityInfo: OLD });
  const tokenD = await changeEmail(server, c, inst, d.id);
  await server.close();
  now += 2 * 3_600_000;
  ({ server, c } = await start(dir));
  try {
    assert.deepEqual(await previousOf(server, hashRevertToken(tokenD)), {}, "purged once expired");
    assert.equal((await fetch(`${server.url}/_switchboard/revert/${tokenD}`)).status, 410, "still known as expired");
  } finally {
    await server.close();
  }
});
