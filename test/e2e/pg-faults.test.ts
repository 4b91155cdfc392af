// PostgreSQL goes away under load and comes back: on a THROWAWAY cluster this test creates
// (initdb into a temp dir; the shared server is never touched), with default durability settings.
// One real Switchboard process (dist/bundle/main.js serve, --db-connect-timeout-ms 1000) takes
// UpdateUserIdentityInfo and CreateUser load while PostgreSQL is stopped for ~3 s, once with
// `pg_ctl stop -m fast` (clean shutdown) and once with `-m immediate` (crash: WAL recovery on start).
// While it is down: every request fails fast with InternalServiceException 500, health is 503.
// The process stays up and recovers by itself. No acknowledged write is lost.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { DescribeUserCommand, UpdateUserIdentityInfoCommand, type UserIdentityInfo } from "@aws-sdk/client-connect";
import { createInstance, createUser, type InstanceFixture } from "../helpers/fixtures.js";
import { health, killAll, type Outcome, outcomeOf, type SbNode, sleep, startNodes, stopNode } from "../helpers/nodes.js";
import { queryPg } from "../helpers/postgres.js";
import { createThrowawayPostgres, type ThrowawayPostgres } from "../helpers/throwaway-postgres.js";

const SCHEMA = "sb_faults";
const UPDATE_LOOPS = 8;
const CREATE_LOOPS = 2;
const DOWN_MS = 3_000;
const FAIL_FAST_MS = 3_000;
const RECOVERY_MS = 10_000;
const LOOP_PAUSE_MS = 15;

let pgc: ThrowawayPostgres | undefined;
let node: SbNode | undefined;
let inst: InstanceFixture | undefined;
/** the users the update loops write, one per loop */
const loopUsers: string[] = [];

interface Attempt {
  op: "update" | "create";
  loop: number;
  /** update: the version written (1, 2, …); create: the sequence number */
  k: number;
  start: number;
  end: number;
  outcome: Outcome;
  /** create: the username tried and, on success, the id */
  username?: string;
  userId?: string;
}
const attempts: Attempt[] = [];
/** next version per update loop (version 0 is the state CreateUser left) */
const nextVersion: number[] = Array.from({ length: UPDATE_LOOPS }, () => 1);

const versionSet = (loop: number, k: number): UserIdentityInfo =>
  k === 0
    ? { FirstName: "Jane", LastName: "Doe" }
    : { FirstName: `W${loop}`, LastName: `K${k}`, Email: `w${loop}k${k}@example.com`, Mobile: `+1666${loop}${String(k).padStart(6, "0")}` };

const theNode = () => node as SbNode;
const theInstance = () => inst as InstanceFixture;

before(async () => {
  pgc = await createThrowawayPostgres();
  const [started] = await startNodes(
    ["N"],
    [
      "--database",
      pgc.url,
      "--database-schema",
      SCHEMA,
      "--db-connect-timeout-ms",
      "1000",
      "--max-instances",
      "10",
      "--max-users-per-instance",
      "100000",
      "--log-level",
      "warn",
    ],
  );
  node = started as SbNode;
  inst = await createInstance(node.client);
  for (let i = 0; i < UPDATE_LOOPS; i++) loopUsers.push((await createUser(node.client, inst)).id);
});

after(async () => {
  try {
    if (node) {
      killAll([node]);
      node.client.destroy();
    }
  } finally {
    await pgc?.destroy();
  }
});

/** Runs the load (8 update loops on distinct users + 2 CreateUser loops) until stop() is called. */
function startLoad(tag: string): { stop: () => Promise<void> } {
  let stopping = false;
  const deadline = performance.now() + 120_000;
  const n = theNode();
  const instance = theInstance();
  const more = (iter: number) => !stopping && iter < 5_000 && performance.now() < deadline;

  const updateLoop = async (loop: number) => {
    for (let iter = 0; more(iter); iter++) {
      const k = nextVersion[loop] as number;
      nextVersion[loop] = k + 1;
      const start = performance.now();
      const outcome = await outcomeOf(
        n.client.send(
          new UpdateUserIdentityInfoCommand({ InstanceId: instance.id, UserId: loopUsers[loop], IdentityInfo: versionSet(loop, k) }),
        ),
      );
      attempts.push({ op: "update", loop, k, start, end: performance.now(), outcome });
      await sleep(LOOP_PAUSE_MS);
    }
  };
  const createLoop = async (loop: number) => {
    for (let iter = 0; more(iter); iter++) {
      const username = `c${tag}${loop}n${iter}`;
      const start = performance.now();
      let userId: string | undefined;
      const outcome = await outcomeOf(
        createUser(n.client, instance, { Username: username }).then((u) => {
          userId = u.id;
        }),
      );
      attempts.push({ op: "create", loop, k: iter, start, end: performance.now(), outcome, username, userId });
      await sleep(LOOP_PAUSE_MS);
    }
  };
  const loops = [
    ...Array.from({ length: UPDATE_LOOPS }, (_, i) => updateLoop(i)),
    ...Array.from({ length: CREATE_LOOPS }, (_, i) => createLoop(i)),
  ];
  return {
    stop: async () => {
      stopping = true;
      await Promise.all(loops);
    },
  };
}

/** Waits (bounded) until every loop has at least one acknowledged attempt started at or after `since`. */
async function waitForAcks(since: number, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  const acked = () => {
    const seen = new Set<string>();
    for (const a of attempts) if (a.outcome.ok && a.start >= since) seen.add(`${a.op}${a.loop}`);
    return seen.size;
  };
  while (acked() < UPDATE_LOOPS + CREATE_LOOPS && performance.now() < deadline) await sleep(50);
  assert.equal(acked(), UPDATE_LOOPS + CREATE_LOOPS, "every load loop got an acknowledged write");
}

/**
 * Which versions a loop's user may hold: the last acknowledged one, or any attempted later (an
 * attempt whose response failed may or may not have committed). Attempts of one loop are
 * sequential, so everything after the last acknowledged one failed.
 */
function allowedVersions(loop: number): { lastAck: number; allowed: number[] } {
  const mine = attempts.filter((a) => a.op === "update" && a.loop === loop);
  const lastAck = Math.max(0, ...mine.filter((a) => a.outcome.ok).map((a) => a.k));
  return { lastAck, allowed: [lastAck, ...mine.filter((a) => a.k > lastAck).map((a) => a.k)] };
}

function versionOf(loop: number, info: UserIdentityInfo): number {
  const k = info.LastName === "Doe" ? 0 : Number(/^K(\d+)$/.exec(info.LastName ?? "")?.[1] ?? Number.NaN);
  assert.ok(Number.isInteger(k), `user of loop ${loop} holds an identity no loop wrote: ${JSON.stringify(info)}`);
  assert.deepEqual(info, versionSet(loop, k), `user of loop ${loop} holds a mix of versions`);
  return k;
}

/** The rows as PostgreSQL itself has them, read straight from the throwaway cluster. */
async function checkDurableInDatabase(label: string): Promise<void> {
  const url = (pgc as ThrowawayPostgres).url;
  const rows = await queryPg<{
    id: string;
    first_name: string | null;
    last_name: string | null;
    email: string | null;
    mobile: string | null;
  }>("SELECT id, first_name, last_name, email, mobile FROM users WHERE instance_id = $1", [theInstance().id], { url, schema: SCHEMA });
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (let loop = 0; loop < UPDATE_LOOPS; loop++) {
    const r = byId.get(loopUsers[loop] as string);
    assert.ok(r, `${label}: the user of loop ${loop} is missing`);
    const info: UserIdentityInfo = {};
    if (r.first_name !== null) info.FirstName = r.first_name;
    if (r.last_name !== null) info.LastName = r.last_name;
    if (r.email !== null) info.Email = r.email;
    if (r.mobile !== null) info.Mobile = r.mobile;
    const k = versionOf(loop, info);
    const { lastAck, allowed } = allowedVersions(loop);
    assert.ok(allowed.includes(k), `${label}: loop ${loop} holds version ${k}; last acknowledged ${lastAck}, allowed ${allowed.join(",")}`);
  }
  for (const a of attempts) {
    if (a.op === "create" && a.outcome.ok)
      assert.ok(byId.has(a.userId as string), `${label}: acknowledged CreateUser ${a.username} is missing`);
  }
}

async function outage(mode: "fast" | "immediate", tag: string, t: { diagnostic(msg: string): void }): Promise<void> {
  const n = theNode();
  const cluster = pgc as ThrowawayPostgres;
  const first = attempts.length;
  const phase1Start = performance.now();

  // ---- phase 1: load, then PostgreSQL goes away for DOWN_MS -------------------------------
  const load1 = startLoad(`${tag}a`);
  let downStart = Number.NaN;
  let downEnd = Number.NaN;
  const healthDown: { ms: number; status: number | undefined; dbOk: unknown; error?: string }[] = [];
  try {
    await waitForAcks(phase1Start, 15_000);
    await sleep(300);
    const stopAt = performance.now();
    await cluster.stop(mode);
    downStart = performance.now();
    t.diagnostic(`pg_ctl stop -m ${mode} took ${Math.round(downStart - stopAt)} ms`);
    for (let i = 0; performance.now() - downStart < DOWN_MS && i < 100; i++) {
      const s = performance.now();
      const h = await health(n.url);
      healthDown.push(
        "error" in h
          ? { ms: performance.now() - s, status: undefined, dbOk: undefined, error: h.error }
          : { ms: performance.now() - s, status: h.status, dbOk: (h.body.database as { ok?: unknown } | undefined)?.ok },
      );
      await sleep(Math.min(400, Math.max(0, DOWN_MS - (performance.now() - downStart))));
    }
  } finally {
    await load1.stop();
  }
  downEnd = performance.now();

  // ---- PostgreSQL back; check the data as PostgreSQL has it before anything new is written ----
  const logBefore = cluster.log().length;
  await cluster.start();
  const upAt = performance.now();
  // What PostgreSQL says about its start: a clean shutdown, or a crash it recovered from its WAL.
  const startLog = cluster.log().slice(logBefore);
  assert.match(
    startLog,
    mode === "immediate" ? /not properly shut down; automatic recovery in progress/ : /database system was shut down at/,
    `PostgreSQL start log:\n${startLog}`,
  );
  t.diagnostic(`PostgreSQL down for ${Math.round(upAt - downStart)} ms (start took ${Math.round(upAt - downEnd)} ms)`);
  await checkDurableInDatabase(`after pg_ctl stop -m ${mode} and start`);

  // ---- phase 2: load again; the node must recover by itself -----------------------------------
  const load2 = startLoad(`${tag}b`);
  let recoveredAt = Number.NaN;
  let lastProbe = "";
  try {
    for (let i = 0; performance.now() - upAt < RECOVERY_MS && i < 1_000; i++) {
      const h = await health(n.url);
      const probe = await outcomeOf(n.client.send(new DescribeUserCommand({ InstanceId: theInstance().id, UserId: loopUsers[0] })));
      lastProbe = `health ${"error" in h ? h.error : h.status}, DescribeUser ${probe.ok ? "ok" : `${probe.name} ${probe.status}`}`;
      if (!("error" in h) && h.status === 200 && probe.ok) {
        recoveredAt = performance.now();
        break;
      }
      await sleep(100);
    }
    assert.ok(Number.isFinite(recoveredAt), `no recovery within ${RECOVERY_MS} ms after PostgreSQL was back (last: ${lastProbe})`);
    t.diagnostic(`recovered ${Math.round(recoveredAt - upAt)} ms after PostgreSQL accepted connections again`);
    await waitForAcks(recoveredAt, 10_000);
    await sleep(500);
  } finally {
    await load2.stop();
  }

  // ---- what the requests saw -----------------------------------------------------------------
  const mine = attempts.slice(first);
  const failures = mine.filter((a) => !a.outcome.ok);
  const otherErrors = failures.filter((a) => a.outcome.name !== "InternalServiceException" || a.outcome.status !== 500);
  assert.deepEqual(
    otherErrors.slice(0, 5).map((a) => `${a.op}: ${a.outcome.name} ${a.outcome.status} ${a.outcome.message}`),
    [],
    "every failure is InternalServiceException 500",
  );
  const whileDown = mine.filter((a) => a.start >= downStart && a.start <= downEnd);
  const entirelyDown = whileDown.filter((a) => a.end <= downEnd);
  assert.ok(entirelyDown.length >= 20, `requests sent while PostgreSQL was down: ${entirelyDown.length}`);
  assert.deepEqual(
    entirelyDown.filter((a) => a.outcome.ok).map((a) => `${a.op} ${a.loop}/${a.k}`),
    [],
    "no request succeeds while PostgreSQL is down",
  );
  const slowest = Math.max(...whileDown.map((a) => a.end - a.start));
  assert.ok(slowest < FAIL_FAST_MS, `a request sent while PostgreSQL was down took ${Math.round(slowest)} ms`);
  t.diagnostic(`${entirelyDown.length} requests while down, all 500, slowest ${Math.round(slowest)} ms`);

  assert.ok(healthDown.length >= 3, "health was asked while PostgreSQL was down");
  for (const h of healthDown) {
    assert.equal(h.status, 503, `health while down: ${JSON.stringify(h)}`);
    assert.equal(h.dbOk, false);
    assert.ok(h.ms < FAIL_FAST_MS, `health took ${Math.round(h.ms)} ms`);
  }

  const afterRecovery = mine.filter((a) => a.start >= recoveredAt);
  assert.deepEqual(
    afterRecovery.filter((a) => !a.outcome.ok).map((a) => `${a.op} ${a.loop}/${a.k}: ${a.outcome.name}`),
    [],
    "every request after recovery succeeds",
  );
  assert.ok(afterRecovery.length >= UPDATE_LOOPS + CREATE_LOOPS);

  assert.equal(n.exitCode(), undefined, `the node exited:\n${n.output().slice(-3000)}`);
  assert.equal(n.child.exitCode, null);

  // ---- no acknowledged write is missing (now through the API) ---------------------------------
  for (let loop = 0; loop < UPDATE_LOOPS; loop++) {
    const out = await n.client.send(new DescribeUserCommand({ InstanceId: theInstance().id, UserId: loopUsers[loop] }));
    const k = versionOf(loop, out.User?.IdentityInfo ?? {});
    const { lastAck, allowed } = allowedVersions(loop);
    assert.ok(allowed.includes(k), `loop ${loop} holds version ${k}; last acknowledged ${lastAck}, allowed ${allowed.join(",")}`);
  }
  const acknowledgedCreates = mine.filter((a) => a.op === "create" && a.outcome.ok);
  for (const a of acknowledgedCreates) {
    const out = await n.client.send(new DescribeUserCommand({ InstanceId: theInstance().id, UserId: a.userId as string }));
    assert.equal(out.User?.Username, a.username);
  }
  t.diagnostic(
    `${mine.length} requests (${failures.length} failed), ${acknowledgedCreates.length} acknowledged CreateUser, all present; updates: ${Array.from(
      { length: UPDATE_LOOPS },
      (_, l) => allowedVersions(l).lastAck,
    ).join(",")} (last acknowledged versions)`,
  );
}

test("PostgreSQL stopped (pg_ctl stop -m fast) for 3 s under load: fast 500s, 503 health, self-recovery, no acknowledged write lost", {
  timeout: 120_000,
}, async (t) => {
  await outage("fast", "f", t);
});

test("PostgreSQL crashed (pg_ctl stop -m immediate, WAL recovery) for 3 s under load: same guarantees", { timeout: 120_000 }, async (t) => {
  await outage("immediate", "i", t);
});

test("after both outages the node still stops cleanly on SIGTERM (exit 0)", async () => {
  const n = theNode();
  assert.equal(n.exitCode(), undefined, "still running before SIGTERM");
  assert.equal(await stopNode(n, "SIGTERM"), 0);
});
