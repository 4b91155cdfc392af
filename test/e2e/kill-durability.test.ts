// kill -9 under write load, on SQLite (bounded: 3 rounds, a few hundred writes each). Each round
// restarts the real process on the same data directory, loads it with CreateUser and
// UpdateUserIdentityInfo from several concurrent clients, SIGKILLs it mid-load, and restarts it:
// every acknowledged write must be there (a user each acknowledged CreateUser made; for each
// user, the last acknowledged name or the one still in flight), every acknowledged write's
// request id must be in the audit trail, and `switchboard audit verify` must find the chain intact.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { ConnectClient, DescribeUserCommand, ListUsersCommand, UpdateUserIdentityInfoCommand } from "@aws-sdk/client-connect";
import Database from "better-sqlite3";
import { createInstance, createUser, type InstanceFixture } from "../helpers/fixtures.js";
import { runCli, type ServerProcess, spawnServer } from "../helpers/process.js";

const ROUNDS = 3;
const WORKERS = 6;
const data = mkdtempSync(join(tmpdir(), "sb-kill9-"));
after(() => rmSync(data, { recursive: true, force: true }));

const client = (url: string) =>
  new ConnectClient({ endpoint: url, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" }, maxAttempts: 1 });
const start = () => spawnServer(["--data", data, "--max-users-per-instance", "100000", "--log-level", "warn"]);

interface Owned {
  id: string;
  /** the last name acknowledged for this user */
  acked: string;
  /** sent and not (yet) answered: may or may not have committed */
  inFlight?: string;
}

async function killed(server: ServerProcess): Promise<void> {
  server.child.kill("SIGKILL");
  await server.exited;
}

test(`kill -9 under write load, ${ROUNDS} rounds: every acknowledged write survives, the audit chain verifies`, async () => {
  let server = await start();
  const c0 = client(server.url);
  const inst: InstanceFixture = await createInstance(c0);
  const owned: Owned[] = [];
  for (let w = 0; w < WORKERS; w++) owned.push({ id: (await createUser(c0, inst)).id, acked: "Start" });
  const createdUsers = new Set<string>();
  const ackedRequestIds = new Set<string>();

  for (let round = 1; round <= ROUNDS; round++) {
    const c = client(server.url);
    let stop = false;
    let acknowledged = 0;
    const worker = async (w: number) => {
      const mine = owned[w] as Owned;
      for (let i = 0; !stop; i++) {
        try {
          if (i % 3 === 0) {
            const u = await createUser(c, inst);
            createdUsers.add(u.id);
          } else {
            const name = `R${round}W${w}N${i}`;
            mine.inFlight = name;
            const out = await c.send(
              new UpdateUserIdentityInfoCommand({
                InstanceId: inst.id,
                UserId: mine.id,
                IdentityInfo: { FirstName: name, LastName: "Load" },
              }),
            );
            mine.acked = name;
            delete mine.inFlight;
            if (out.$metadata.requestId) ackedRequestIds.add(out.$metadata.requestId);
          }
          acknowledged++;
        } catch {
          // The server died under this request: unacknowledged, may or may not have committed.
          return;
        }
      }
    };
    const load = Array.from({ length: WORKERS }, (_, w) => worker(w));
    // Kill at a different point of the load each round (bounded: at least 40 acknowledged writes first).
    const deadline = Date.now() + 10_000;
    while (acknowledged < 40 + round * 20 && Date.now() < deadline) await sleep(5);
    await killed(server);
    stop = true;
    await Promise.all(load);
    assert.ok(acknowledged >= 40, `round ${round}: only ${acknowledged} writes before the kill`);

    server = await start();
    const r = client(server.url);
    const present = new Set<string>();
    let token: string | undefined;
    do {
      const page = await r.send(new ListUsersCommand({ InstanceId: inst.id, NextToken: token, MaxResults: 1000 }));
      for (const u of page.UserSummaryList ?? []) present.add(u.Id as string);
      token = page.NextToken;
    } while (token);
    const lost = [...createdUsers].filter((id) => !present.has(id));
    assert.deepEqual(lost, [], `round ${round}: acknowledged CreateUser calls lost after kill -9`);
    for (const mine of owned) {
      const name = (await r.send(new DescribeUserCommand({ InstanceId: inst.id, UserId: mine.id }))).User?.IdentityInfo
        ?.FirstName as string;
      const allowed = [mine.acked, ...(mine.inFlight ? [mine.inFlight] : [])];
      assert.ok(allowed.includes(name), `round ${round}: user has "${name}", acknowledged "${mine.acked}"`);
      // Whatever survived is now the acknowledged state.
      mine.acked = name;
      delete mine.inFlight;
    }
  }

  assert.ok(createdUsers.size > 0 && ackedRequestIds.size > 0, "the load acknowledged creates and updates");
  server.child.kill("SIGTERM");
  assert.equal(await server.exited, 0);
  const verify = await runCli(["audit", "verify", "--data", data]);
  assert.equal(verify.code, 0, verify.output);
  assert.match(verify.output, /audit trail intact/);
  const db = new Database(join(data, "switchboard.db"), { readonly: true });
  try {
    const recorded = new Set(
      (db.prepare("SELECT record FROM audit_events").all() as { record: string }[]).map(
        (row) => (JSON.parse(row.record) as { requestID: string }).requestID,
      ),
    );
    const missing = [...ackedRequestIds].filter((id) => !recorded.has(id));
    assert.deepEqual(missing, [], "every acknowledged change has its audit event");
  } finally {
    db.close();
  }
});
