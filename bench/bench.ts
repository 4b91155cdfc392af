// `npm run bench`: how much of a bare node:http server's throughput Switchboard keeps on a real
// write (UpdateUserIdentityInfo, SigV4-verified, SQLite WAL, one JSON log line per request), what
// each request costs the server in CPU, and how much longer it takes to start and how much memory
// it holds idle. Prints a table; writes the numbers to .bench/last.json. Then, as its own section,
// the access report at scale (bench/access-report-bench.ts: 100 principals × 50,000 users, goal
// < 5 s), also in .bench/last.json ("accessReport").
//
// Telling the truth on a shared machine (issue 11): the targets run in interleaved rounds (bare,
// switchboard, [baseline], [PostgreSQL rows…], then again, --rounds times, default 3), each row on
// a freshly started server; the table shows the medians over the rounds and ratios of medians.
// Next to every row: the server's CPU per request (utime+stime of its process tree from
// /proc/PID/stat at the start and end of the measured interval, divided by the requests
// completed; for 2 nodes both processes), the load generator's CPU (this process) and the rest of
// the machine's (/proc/stat minus both, minus PostgreSQL's processes on its rows). A row where the
// load generator or the other processes took more than half a core is marked WARNING.
//
// Flags: --duration N (s, default 10), --connections N (default 32), --warmup N (s, default 2),
// --rounds N (default 3), --cold-runs N (default 5), --database postgres://… (adds the
// PostgreSQL rows: 1 node and 2 nodes, each on a fresh schema of that database, dropped
// afterwards; and the audit backlog run), --backlog-duration N (s, default 60; 0: skip it),
// --baseline DIR (another checkout of this repository, built there with `npm ci && npm run
// build`: its server runs as "baseline …" rows interleaved in the same rounds, started the same
// way; current/baseline ratios are printed), --directory-sizes (1k vs 100k users in one instance:
// bench/directory-sizes.ts; off by default, it takes a minute or two), --floor (a "floor (no
// pipeline)" row after the Switchboard row: bench/floor-server.ts does the same request's
// essential work with Switchboard's own pieces but none of its pipeline, on a database this
// checkout created; the µs/request between the two rows is what the pipeline costs),
// --instructions (counted, not timed: bare, switchboard and, with --floor/--baseline, those rows
// under valgrind's callgrind, per request over --instr-requests N (default 2000) after
// --instr-warmup N (default 6000); bench/instructions.ts; only that section runs, and it writes
// .bench/instructions.json). Unknown flags are ignored with a note.
//
// What bounds the PostgreSQL rows (read from the code and measured on a 2-core machine, Dec 2026):
// an UpdateUserIdentityInfo is ONE autocommitted statement, one round trip
// (src/store/postgres/identity-at-once.ts): a CTE that reads the instance, locks and reads the
// user, updates it and inserts its audit event (linked into the hash chain after commit, in
// batches, by every node's background linker); its commit's WAL flush ends it. Requests that
// arrive while two such statements are in flight go together as one statement over arrays
// (src/store/postgres/identity-groups.ts: up to 32, never two for the same user), so the 32-users
// rows share one commit among many requests; the one-user rows cannot. Only an e-mail
// change (the old-address alert acts on it) still takes the ordinary transaction of 6 statements
// in 4 round trips (BEGIN with SELECT instance, SELECT … FOR UPDATE, UPDATE, INSERT the event with
// COMMIT): in the bench, each user's first request (the users start without an e-mail). The
// "N nodes" rows replay ONE request, so every statement queues on the same user's row lock, held
// until the previous one's commit is flushed: that row, not the pool or the chain, sets their
// ceiling. The ", 32 users" rows spread the same request over 32 users (one request per user,
// cycled by every connection): what a directory sync does. Pool 16 per node; PostgreSQL's
// backends, the Switchboard process(es) and the load generator share the same cores, so on 2
// cores a second node mostly adds CPU contention. PG_NOTE below prints the short form.
// (2023da8, the baseline of issue 11, still runs the 6-statement transaction on every request.)
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { runAccessReportBench } from "./access-report-bench.js";
import { BUSY_CORES, type CpuUsage, procAvailable, rssKiB, startCpuMeter } from "./cpu.js";
import { type DirectorySizesResult, runDirectorySizes } from "./directory-sizes.js";
import { callgrindAvailable, callgrindLauncher, instructionTable, measureAll } from "./instructions.js";
import { type LoadResult, type LoadSettings, runLoadSplit } from "./load.js";
import { cleanupSync, installCleanup, makeTempDir } from "./procs.js";
import type { BenchUser } from "./setup.js";
import { describeIdentity } from "./setup.js";
import { type SignedRequest, sendOnce, signIdentityUpdate } from "./sign.js";
import {
  bareTarget,
  cliScript,
  createBenchUsers,
  FLOOR_ROW,
  floorTarget,
  knownServeFlags,
  PG_POOL_SIZE,
  pgClient,
  postgresInfo,
  type Running,
  redactUrl,
  switchboardPostgresTarget,
  switchboardSqliteTarget,
  type Target,
  unlinkedAuditEvents,
} from "./targets.js";

interface Flags {
  durationSec: number;
  connections: number;
  warmupSec: number;
  coldRuns: number;
  rounds: number;
  backlogSec: number;
  /** postgres://… — adds the PostgreSQL targets */
  database?: string;
  /** another built checkout: its server as "baseline" rows */
  baseline?: string;
  directorySizes: boolean;
  /** --floor: the "floor (no pipeline)" row after the Switchboard row (floor-server.ts) */
  floor: boolean;
  /** --instructions: count instead of time (bench/instructions.ts); only that section runs */
  instructions: boolean;
  instrWarmup: number;
  instrRequests: number;
}

type NumericFlag = "durationSec" | "connections" | "warmupSec" | "coldRuns" | "rounds" | "backlogSec" | "instrWarmup" | "instrRequests";

function parseFlags(argv: string[]): Flags {
  const flags: Flags = {
    durationSec: 10,
    connections: 32,
    warmupSec: 2,
    coldRuns: 5,
    rounds: 3,
    backlogSec: 60,
    directorySizes: false,
    floor: false,
    instructions: false,
    instrWarmup: 6000,
    instrRequests: 2000,
  };
  const known: Record<string, NumericFlag> = {
    "--duration": "durationSec",
    "--connections": "connections",
    "--warmup": "warmupSec",
    "--cold-runs": "coldRuns",
    "--rounds": "rounds",
    "--backlog-duration": "backlogSec",
    "--instr-warmup": "instrWarmup",
    "--instr-requests": "instrRequests",
  };
  const zeroOk = new Set<NumericFlag>(["warmupSec", "backlogSec", "instrWarmup"]);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith("--")) continue; // a value of an unknown flag, or a stray word
    const eq = arg.indexOf("=");
    const name = eq < 0 ? arg : arg.slice(0, eq);
    if (name === "--database") {
      const url = eq < 0 ? argv[++i] : arg.slice(eq + 1);
      if (url === undefined || !/^postgres(ql)?:\/\//.test(url)) throw new Error(`--database needs a postgres:// URL, got '${url ?? ""}'`);
      flags.database = url;
      continue;
    }
    if (name === "--baseline") {
      const dir = eq < 0 ? argv[++i] : arg.slice(eq + 1);
      if (dir === undefined || dir.startsWith("--")) throw new Error("--baseline needs a directory (another checkout, built)");
      flags.baseline = resolve(dir);
      continue;
    }
    if (name === "--directory-sizes") {
      flags.directorySizes = true;
      continue;
    }
    if (name === "--floor") {
      flags.floor = true;
      continue;
    }
    if (name === "--instructions") {
      flags.instructions = true;
      continue;
    }
    const key = known[name];
    if (!key) {
      process.stderr.write(`bench: ignoring unknown flag ${name}\n`);
      continue;
    }
    const text = eq < 0 ? argv[++i] : arg.slice(eq + 1);
    const n = Number(text);
    const min = zeroOk.has(key) ? 0 : 1;
    if (text === undefined || !Number.isInteger(n) || n < min) {
      throw new Error(`${name} needs a whole number >= ${min}, got '${text ?? ""}'`);
    }
    flags[key] = n;
  }
  return flags;
}

interface RoundRow {
  round: number;
  warmup: LoadResult | undefined;
  result: LoadResult;
  cpu: CpuUsage | undefined;
  /** server CPU µs per completed request */
  serverUsPerReq: number;
  /** PostgreSQL's processes, µs per request (PostgreSQL rows only) */
  dbUsPerReq?: number;
  warnings: string[];
  identityAfter?: Record<string, unknown>;
}

interface TargetRows {
  target: Target;
  name: string;
  /** servers the load was split over */
  nodes: number;
  rounds: RoundRow[];
}

interface Medians {
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  serverUsPerReq: number;
  dbUsPerReq?: number;
  loadGenCores: number;
  othersCores: number;
}

function median(xs: number[]): number {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

function mediansOf(t: TargetRows): Medians {
  const m = (f: (r: RoundRow) => number) => median(t.rounds.map(f));
  const out: Medians = {
    reqPerSec: m((r) => r.result.reqPerSec),
    p50Ms: m((r) => r.result.p50Ms),
    p99Ms: m((r) => r.result.p99Ms),
    serverUsPerReq: m((r) => r.serverUsPerReq),
    loadGenCores: m((r) => r.cpu?.benchCores ?? Number.NaN),
    othersCores: m((r) => r.cpu?.othersCores ?? Number.NaN),
  };
  if (t.target.engine === "postgres") out.dbUsPerReq = m((r) => r.dbUsPerReq ?? Number.NaN);
  return out;
}

function busyWarnings(cpu: CpuUsage | undefined): string[] {
  if (!cpu) return [];
  const w: string[] = [];
  if (cpu.benchCores > BUSY_CORES) w.push(`load generator took ${cpu.benchCores.toFixed(2)} cores`);
  if (cpu.othersCores > BUSY_CORES) w.push(`other processes took ${cpu.othersCores.toFixed(2)} cores`);
  return w;
}

interface Prepared {
  running: Running;
  users: BenchUser[];
  urls: string[];
  signAll(): Promise<SignedRequest[][]>;
}

/** Start the target, create its bench user(s) through the SDK, check the presigned request answers 200. */
async function startPrepared(target: Target): Promise<Prepared> {
  const running: Running = await target.start();
  try {
    const users = target.users && target.users > 1 ? await createBenchUsers(running.url, target.users) : [await target.prepare(running)];
    // A cluster: the same user(s) through every node, the connections split between them.
    const urls = running.urls ?? [running.url];
    // Sign right before each run: one signature per node and user (it covers the Host), replayed
    // for the whole run (valid 5 minutes).
    const signAll = (): Promise<SignedRequest[][]> =>
      Promise.all(urls.map((u) => Promise.all(users.map((x) => signIdentityUpdate(u, x.instanceId, x.userId)))));
    for (const probe of (await signAll()).flat()) {
      const once = await sendOnce(probe);
      if (once.status !== 200) {
        throw new Error(`${target.name}: the presigned request to ${probe.url} got ${once.status}, not 200: ${once.text.slice(0, 500)}`);
      }
    }
    return { running, users, urls, signAll };
  } catch (err) {
    await running.stop();
    throw err;
  }
}

const CPU = procAvailable();

async function throughput(target: Target, load: LoadSettings, warmupSec: number, round: number): Promise<RoundRow> {
  process.stderr.write(`bench: round ${round}: ${target.name}: starting\n`);
  const { running, users, signAll } = await startPrepared(target);
  try {
    let warmup: LoadResult | undefined;
    if (warmupSec > 0) {
      process.stderr.write(`bench: round ${round}: ${target.name}: warm-up ${warmupSec} s\n`);
      warmup = await runLoadSplit(await signAll(), { ...load, durationSec: warmupSec });
    }
    process.stderr.write(`bench: round ${round}: ${target.name}: measuring ${load.durationSec} s\n`);
    const reqs = await signAll();
    const meter = CPU ? startCpuMeter(running.pids, { postgres: target.engine === "postgres" }) : undefined;
    const result = await runLoadSplit(reqs, load);
    const cpu = meter?.stop();
    const row: RoundRow = {
      round,
      warmup,
      result,
      cpu,
      serverUsPerReq: cpu && result.requests > 0 ? cpu.serverUs / result.requests : Number.NaN,
      warnings: busyWarnings(cpu),
    };
    if (target.engine === "postgres") row.dbUsPerReq = cpu && result.requests > 0 ? cpu.postgresUs / result.requests : Number.NaN;
    if (target.engine !== "none" && target.describes !== false)
      row.identityAfter = await describeIdentity(running.url, users[0] as BenchUser);
    return row;
  } finally {
    await running.stop();
  }
}

interface ColdRun {
  readyMs: number;
  /** RSS of the server after start and 2 s idle, KiB */
  idleRssKiB: number;
}
interface ColdResult {
  name: string;
  runsMs: number[];
  medianMs: number;
  idleRssKiB: number[];
  medianIdleRssKiB: number;
}

const IDLE_MS = 2000;
async function coldRun(target: Target): Promise<ColdRun> {
  const running = await target.start();
  try {
    await new Promise((r) => setTimeout(r, IDLE_MS));
    return { readyMs: running.readyMs, idleRssKiB: CPU ? rssKiB(running.pids) : Number.NaN };
  } finally {
    await running.stop();
  }
}

interface BacklogResult {
  name: string;
  durationSec: number;
  reqPerSec: number;
  requests: number;
  serverUsPerReq: number;
  /** rows in audit_pending right after the load stopped */
  unlinkedAtEnd: number;
  /** unlinkedAtEnd / req/s: how many seconds of writes were still unlinked */
  secondsOfWrites: number;
  /** seconds from the end of the load until audit_pending was empty; undefined: not within the limit */
  drainSeconds: number | undefined;
  polls: number;
  non2xx: number;
  errors: number;
}

const DRAIN_POLL_MS = 100;
const DRAIN_GIVE_UP_MS = 30_000;

/** A long run at the maximum rate, then: how many audit events are still unlinked, and how long until none. */
async function auditBacklog(target: Target, url: string, load: LoadSettings): Promise<BacklogResult> {
  process.stderr.write(`bench: ${target.name}: audit backlog: ${load.durationSec} s at the maximum rate\n`);
  const { running, signAll } = await startPrepared(target);
  const client = await pgClient(url);
  try {
    const schema = running.schema as string;
    const reqs = await signAll();
    const meter = CPU ? startCpuMeter(running.pids, { postgres: true }) : undefined;
    const result = await runLoadSplit(reqs, load);
    const end = performance.now();
    const cpu = meter?.stop();
    const unlinkedAtEnd = await unlinkedAuditEvents(client, schema);
    let drainSeconds: number | undefined;
    let polls = 0;
    let n = unlinkedAtEnd;
    while (n > 0 && performance.now() - end < DRAIN_GIVE_UP_MS) {
      await new Promise((r) => setTimeout(r, DRAIN_POLL_MS));
      n = await unlinkedAuditEvents(client, schema);
      polls++;
    }
    if (n === 0) drainSeconds = (performance.now() - end) / 1000;
    return {
      name: target.name,
      durationSec: load.durationSec,
      reqPerSec: result.reqPerSec,
      requests: result.requests,
      serverUsPerReq: cpu && result.requests > 0 ? cpu.serverUs / result.requests : Number.NaN,
      unlinkedAtEnd,
      secondsOfWrites: result.reqPerSec > 0 ? unlinkedAtEnd / result.reqPerSec : Number.NaN,
      drainSeconds,
      polls,
      non2xx: result.non2xx,
      errors: result.errors + result.timeouts,
    };
  } finally {
    await client.end();
    await running.stop();
  }
}

/** The row the throughput goal is about (the SQLite target's name). */
const SQLITE_ROW = "switchboard";
const BASELINE_SQLITE_ROW = "baseline (SQLite)";
/** issue 11: server CPU per request on the SQLite row */
const SQLITE_CPU_GOAL_US = 150;
/** issue 11: requests/s vs the baseline (today's main) */
const VS_BASELINE_GOAL = 2.0;
const COLD_GOAL = 1.5;
const RSS_GOAL = 1.5;
const BACKLOG_DRAIN_GOAL_S = 2;

/** Printed under the table with --database: what the PostgreSQL rows are bounded by. */
const PG_NOTE = [
  "PostgreSQL rows: an UpdateUserIdentityInfo is ONE autocommitted statement, one round trip (read the instance,",
  "  lock + read the user, UPDATE it, INSERT its audit event — linked into the chain after commit; then its WAL flush);",
  "  an e-mail change (each user's first request here) still takes the 6-statement transaction (baseline: every request).",
  "  The 'N nodes' rows change ONE user: each request waits for that row's lock, held until the previous commit is",
  "  flushed. The '32 users' rows spread the load over 32 users.",
  `  Pool ${PG_POOL_SIZE} per node; PostgreSQL, the node(s) and autocannon share the same cores (2 here), so a`,
  "  second node mostly adds CPU contention. 'db µs/req': CPU of every PostgreSQL process on this machine",
  "  during the row (other users of the same server count too).",
];

const fmt = (n: number | undefined, digits: number) => (n !== undefined && Number.isFinite(n) ? n.toFixed(digits) : "-");

function gitDescribe(dir: string): string {
  try {
    return execFileSync("git", ["-C", dir, "log", "-1", "--format=%h %ad %s", "--date=short"], { encoding: "utf8" }).trim();
  } catch {
    return "(not a git checkout)";
  }
}

/** Server logs that logged an error (a 500, a store failure) outlive the run's temp dir: the FAIL lines need their cause. */
function keepErrorLogs(workDir: string, dest: string): void {
  const kept: string[] = [];
  for (const name of readdirSync(workDir)) {
    if (!name.endsWith(".log")) continue;
    const file = join(workDir, name);
    const text = readFileSync(file, "utf8");
    if (!text.includes('"level":"error"') && !/^\S*Error|\bat /m.test(text)) continue;
    mkdirSync(dest, { recursive: true });
    copyFileSync(file, join(dest, name));
    kept.push(name);
  }
  if (kept.length) process.stderr.write(`bench: kept the server logs with errors in ${dest}: ${kept.join(", ")}\n`);
}

// The SDK warns that it will need Node 22 from 2027 on; that is not news during a bench. Other
// warnings still print.
process.removeAllListeners("warning");
process.on("warning", (w) => {
  if (!w.message.startsWith("NodeVersionSupportWarning")) process.stderr.write(`${w.name}: ${w.message}\n`);
});

async function main(): Promise<number> {
  installCleanup();
  const flags = parseFlags(process.argv.slice(2));
  if (flags.durationSec > 240 || flags.backlogSec > 240)
    process.stderr.write("bench: note: a signature is valid 5 minutes; runs longer than ~280 s will start failing\n");
  if (flags.rounds < 3) process.stderr.write(`bench: note: ${flags.rounds} round(s): medians need at least 3 to mean much\n`);
  if (!CPU) process.stderr.write("bench: note: no /proc here: no CPU, warning or RSS figures\n");
  const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
  if (flags.baseline) {
    const cli = cliScript(flags.baseline);
    if (!existsSync(cli)) throw new Error(`--baseline ${flags.baseline}: no ${cli}; run 'npm ci && npm run build' there first`);
    const known = knownServeFlags(cli);
    for (const f of ["--port", "--data", "--log-level"]) {
      if (!known.has(f)) throw new Error(`--baseline ${flags.baseline}: its CLI does not list ${f} in its usage`);
    }
  }
  if (flags.instructions) return instructionsMode(flags, repoRoot);
  const load: LoadSettings = { connections: flags.connections, pipelining: 1, durationSec: flags.durationSec };
  const workDir = makeTempDir("switchboard-bench-");
  const ctx = { workDir };
  const base = flags.baseline;

  // The first target is the reference every "vs bare" ratio is relative to. Each Switchboard row
  // is followed by its baseline twin (with --baseline), so the pair runs back to back in every
  // round. With --database the PostgreSQL rows follow (throughput only: their start-up includes
  // connecting and migrating a fresh schema, which the cold-start goal is not about).
  const bare = bareTarget(ctx);
  const sqlite = switchboardSqliteTarget(ctx);
  const targets: Target[] = [bare, sqlite];
  if (flags.floor) targets.push(floorTarget(ctx));
  /** current row name → its baseline twin's name */
  const twins: Record<string, string> = {};
  let baseSqlite: Target | undefined;
  if (base) {
    baseSqlite = switchboardSqliteTarget(ctx, { name: BASELINE_SQLITE_ROW, baselineDir: base });
    targets.push(baseSqlite);
    twins[SQLITE_ROW] = BASELINE_SQLITE_ROW;
  }
  const coldTargets = [bare, sqlite, ...(baseSqlite ? [baseSqlite] : [])];
  const pgSpecs = [
    { nodes: 1, name: "switchboard pg 1 node" },
    { nodes: 2, name: "switchboard pg 2 nodes" },
    // The same request spread over 32 users: what a directory sync does, without one hot row.
    { nodes: 1, name: "pg 1 node, 32 users", users: 32 },
    { nodes: 2, name: "pg 2 nodes, 32 users", users: 32 },
  ];
  const backlogTargets: Target[] = [];
  if (flags.database) {
    for (const spec of pgSpecs) {
      const cur = switchboardPostgresTarget(ctx, { url: flags.database, ...spec });
      targets.push(cur);
      if (spec.nodes === 1 && spec.users) backlogTargets.push(cur);
      if (base) {
        const name = `baseline ${spec.name.replace(/^switchboard /, "")}`;
        const twin = switchboardPostgresTarget(ctx, { url: flags.database, ...spec, name, baselineDir: base });
        targets.push(twin);
        twins[spec.name] = name;
        if (spec.nodes === 1 && spec.users) backlogTargets.push(twin);
      }
    }
  }

  // Interleaved rounds; never two targets under load at once (the 2-node target is one target).
  const table: TargetRows[] = targets.map((t) => ({ target: t, name: t.name, nodes: 1, rounds: [] }));
  for (let round = 1; round <= flags.rounds; round++) {
    for (const t of table) {
      const row = await throughput(t.target, load, flags.warmupSec, round);
      t.rounds.push(row);
      if (t.target.engine === "postgres" && t.name.includes("2 nodes")) t.nodes = 2;
      if (row.warnings.length) process.stderr.write(`bench: round ${round}: ${t.name}: WARNING ${row.warnings.join("; ")}\n`);
    }
  }
  // Cold start and idle RSS, interleaved the same way.
  const coldRuns = new Map<Target, ColdRun[]>(coldTargets.map((t) => [t, []]));
  process.stderr.write(`bench: cold start and idle RSS ×${flags.coldRuns}: ${coldTargets.map((t) => t.name).join(", ")}, interleaved\n`);
  for (let i = 0; i < flags.coldRuns; i++) for (const t of coldTargets) (coldRuns.get(t) as ColdRun[]).push(await coldRun(t));
  const cold: ColdResult[] = coldTargets.map((t) => {
    const runs = coldRuns.get(t) as ColdRun[];
    return {
      name: t.name,
      runsMs: runs.map((r) => r.readyMs),
      medianMs: median(runs.map((r) => r.readyMs)),
      idleRssKiB: runs.map((r) => r.idleRssKiB),
      medianIdleRssKiB: median(runs.map((r) => r.idleRssKiB)),
    };
  });
  // The audit backlog after a long run at the maximum rate (PostgreSQL only).
  const backlog: BacklogResult[] = [];
  if (flags.database && flags.backlogSec > 0) {
    for (const t of backlogTargets) backlog.push(await auditBacklog(t, flags.database, { ...load, durationSec: flags.backlogSec }));
  }
  // Directory sizes (SQLite): this checkout, then the baseline's.
  const directory: DirectorySizesResult[] = [];
  if (flags.directorySizes) {
    directory.push(await runDirectorySizes(ctx, { name: "directory sizes (switchboard)" }));
    if (base) directory.push(await runDirectorySizes(ctx, { name: "directory sizes (baseline)", baselineDir: base }));
  }
  // Its own section, after the HTTP benchmarks (no server runs meanwhile).
  const accessReport = await runAccessReportBench();

  const pgInfo = flags.database ? await postgresInfo(flags.database) : undefined;
  const medians = new Map<string, Medians>(table.map((t) => [t.name, mediansOf(t)]));
  const med = (name: string) => medians.get(name) as Medians;
  const bareRows = table[0] as TargetRows;
  const bareMed = med(bareRows.name);
  const cores = availableParallelism();
  const lines: string[] = [];
  lines.push(
    `Switchboard bench (node ${process.version}, ${cores} cores) — UpdateUserIdentityInfo, signed, SQLite WAL synchronous=NORMAL, logging on`,
  );
  lines.push(`this checkout: ${gitDescribe(repoRoot)}`);
  if (base) lines.push(`baseline:      ${gitDescribe(base)} (${base})`);
  lines.push(
    `autocannon in-process: ${load.connections} connections, pipelining ${load.pipelining}, ${flags.warmupSec} s warm-up + ${load.durationSec} s per row; ${flags.rounds} interleaved rounds, a fresh server per row; medians`,
  );
  if (flags.database && pgInfo) {
    lines.push(
      `PostgreSQL ${pgInfo.version} at ${redactUrl(flags.database)}: fresh schema per row, pool ${PG_POOL_SIZE} per node, fsync ${pgInfo.fsync}, synchronous_commit ${pgInfo.synchronousCommit}`,
    );
  }
  const pad = (s: string, n: number) => s.padEnd(n);
  const W = Math.max(20, ...table.map((r) => r.name.length + 2));

  // Every round's rows, in the order they ran, with who used the CPU.
  lines.push(
    "",
    `rounds (cores: load generator = this process, others = the machine minus server, load generator${flags.database ? ", PostgreSQL" : ""}):`,
  );
  for (let round = 1; round <= flags.rounds; round++) {
    for (const t of table) {
      const r = t.rounds[round - 1] as RoundRow;
      const c = r.cpu;
      const db = r.dbUsPerReq !== undefined ? `  db ${fmt(r.dbUsPerReq, 0)} µs/req` : "";
      const warn = r.warnings.length ? `  WARNING: ${r.warnings.join("; ")}` : "";
      lines.push(
        `  ${round}  ${pad(t.name, W)}${pad(fmt(r.result.reqPerSec, 0), 7)}req/s  p50 ${pad(fmt(r.result.p50Ms, 2), 6)} p99 ${pad(fmt(r.result.p99Ms, 2), 7)} server ${pad(`${fmt(r.serverUsPerReq, 0)} µs/req`, 12)}${db}  cores: server ${fmt(c?.serverCores, 2)}, load gen ${fmt(c?.benchCores, 2)}, others ${fmt(c?.othersCores, 2)}, machine ${fmt(c?.machineCores, 2)}${warn}`,
      );
    }
  }

  lines.push("", `medians of ${flags.rounds} rounds:`);
  lines.push(
    `${pad("target", W)}${pad("req/s", 9)}${pad("p50 ms", 8)}${pad("p99 ms", 8)}${pad("µs/req", 8)}${pad("non-2xx", 9)}${pad("vs bare", 9)}busy rounds`,
  );
  const ratios: Record<string, number> = {};
  for (const t of table) {
    const m = med(t.name);
    const ratio = m.reqPerSec / bareMed.reqPerSec;
    if (t !== bareRows) ratios[t.name] = ratio;
    const non2xx = t.rounds.reduce((n, r) => n + r.result.non2xx, 0);
    const errors = t.rounds.reduce((n, r) => n + r.result.errors, 0);
    const timeouts = t.rounds.reduce((n, r) => n + r.result.timeouts, 0);
    const busy = t.rounds.filter((r) => r.warnings.length > 0).length;
    const goal = t.name === SQLITE_ROW ? `  (goal >= 0.10; server CPU goal <= ${SQLITE_CPU_GOAL_US} µs/req)` : "";
    const db = m.dbUsPerReq !== undefined ? `  (+ db ${fmt(m.dbUsPerReq, 0)} µs/req)` : "";
    const split = t.nodes > 1 ? `  (${t.nodes} processes, connections split, req/s and CPU summed)` : "";
    const extra = errors || timeouts ? `  (errors ${errors}, timeouts ${timeouts})` : "";
    lines.push(
      `${pad(t.name, W)}${pad(fmt(m.reqPerSec, 0), 9)}${pad(fmt(m.p50Ms, 2), 8)}${pad(fmt(m.p99Ms, 2), 8)}${pad(fmt(m.serverUsPerReq, 0), 8)}${pad(String(non2xx), 9)}${pad(fmt(ratio, 3), 9)}${busy ? `${busy}/${t.rounds.length} WARNING` : `0/${t.rounds.length}`}${goal}${db}${split}${extra}`,
    );
  }

  // current / baseline, per pair: ratio of the medians and the per-round ratios (same round, back to back)
  const vsBaseline: Record<string, { reqPerSec: number; usPerReq: number; perRoundReqPerSec: number[]; perRoundUsPerReq: number[] }> = {};
  if (base) {
    lines.push("", "current / baseline (ratio of medians; per round in brackets):");
    for (const [cur, twin] of Object.entries(twins)) {
      const c = table.find((t) => t.name === cur) as TargetRows;
      const b = table.find((t) => t.name === twin) as TargetRows;
      const rq = med(cur).reqPerSec / med(twin).reqPerSec;
      const us = med(cur).serverUsPerReq / med(twin).serverUsPerReq;
      const perRq = c.rounds.map((r, i) => r.result.reqPerSec / ((b.rounds[i] as RoundRow).result.reqPerSec || Number.NaN));
      const perUs = c.rounds.map((r, i) => r.serverUsPerReq / (b.rounds[i] as RoundRow).serverUsPerReq);
      vsBaseline[cur] = { reqPerSec: rq, usPerReq: us, perRoundReqPerSec: perRq, perRoundUsPerReq: perUs };
      const goal = cur === SQLITE_ROW ? ` (goal >= ${VS_BASELINE_GOAL})` : "";
      lines.push(
        `  ${pad(cur, W)}req/s ×${fmt(rq, 2)}${goal} [${perRq.map((x) => fmt(x, 2)).join(", ")}]   server µs/req ×${fmt(us, 2)} [${perUs.map((x) => fmt(x, 2)).join(", ")}] (${fmt(med(cur).serverUsPerReq, 0)} vs ${fmt(med(twin).serverUsPerReq, 0)})`,
      );
    }
  }

  // --floor: what the pipeline costs beyond the essential work (floor-server.ts), same rounds.
  let floor: { floorUsPerReq: number; pipelineUsPerReq: number; reqPerSecRatio: number; perRoundUsPerReq: number[] } | undefined;
  const floorRows = table.find((t) => t.name === FLOOR_ROW);
  if (floorRows) {
    const s = table.find((t) => t.name === SQLITE_ROW) as TargetRows;
    const perRound = s.rounds.map((r, i) => r.serverUsPerReq - (floorRows.rounds[i] as RoundRow).serverUsPerReq);
    floor = {
      floorUsPerReq: med(FLOOR_ROW).serverUsPerReq,
      pipelineUsPerReq: median(perRound),
      reqPerSecRatio: med(FLOOR_ROW).reqPerSec / med(SQLITE_ROW).reqPerSec,
      perRoundUsPerReq: perRound,
    };
    lines.push(
      "",
      `floor (the same request's essential work without the pipeline, bench/floor-server.ts): ${fmt(floor.floorUsPerReq, 0)} µs/req, req/s ×${fmt(floor.reqPerSecRatio, 2)} ${SQLITE_ROW}'s;`,
      `  the pipeline costs ${fmt(floor.pipelineUsPerReq, 0)} µs/req beyond it (median of the rounds' differences: ${perRound.map((x) => fmt(x, 0)).join(", ")})`,
    );
  }

  const coldBare = cold[0] as ColdResult;
  const coldRatios: Record<string, number> = {};
  const rssRatios: Record<string, number> = {};
  lines.push("");
  const mib = (kib: number) => `${fmt(kib / 1024, 1)} MiB`;
  for (const c of cold.slice(1)) {
    const ratio = c.medianMs / coldBare.medianMs;
    const rss = c.medianIdleRssKiB / coldBare.medianIdleRssKiB;
    coldRatios[c.name] = ratio;
    rssRatios[c.name] = rss;
    lines.push(
      `${pad("cold start", 18)}bare ${fmt(coldBare.medianMs, 0)} ms, ${c.name} ${fmt(c.medianMs, 0)} ms, ratio ${fmt(ratio, 2)} (goal <= ${COLD_GOAL}; median of ${flags.coldRuns}, interleaved)`,
    );
    lines.push(
      `${pad("idle RSS", 18)}bare ${mib(coldBare.medianIdleRssKiB)}, ${c.name} ${mib(c.medianIdleRssKiB)}, ratio ${fmt(rss, 2)} (goal <= ${RSS_GOAL}; after start + ${IDLE_MS / 1000} s idle)`,
    );
  }
  const baseCold = cold.find((c) => c.name === BASELINE_SQLITE_ROW);
  const curCold = cold.find((c) => c.name === SQLITE_ROW) as ColdResult;
  if (baseCold) {
    lines.push(
      `${pad("", 18)}current/baseline: cold start ×${fmt(curCold.medianMs / baseCold.medianMs, 2)}, idle RSS ×${fmt(curCold.medianIdleRssKiB / baseCold.medianIdleRssKiB, 2)}`,
    );
  }

  for (const b of backlog) {
    const drain = b.drainSeconds === undefined ? `not 0 after ${DRAIN_GIVE_UP_MS / 1000} s` : `0 after ${fmt(b.drainSeconds, 1)} s`;
    lines.push(
      `${pad("audit backlog", 18)}${b.name}: ${b.durationSec} s at ${fmt(b.reqPerSec, 0)} req/s (server ${fmt(b.serverUsPerReq, 0)} µs/req): ${b.unlinkedAtEnd} unlinked at the end (${fmt(b.secondsOfWrites, 2)} s of writes; goal < 1), ${drain} (goal <= ${BACKLOG_DRAIN_GOAL_S} s; polled every ${DRAIN_POLL_MS} ms)`,
    );
  }
  for (const d of directory) lines.push("", ...d.lines);

  // A Switchboard answer other than 2xx means the bench measured errors, not the work.
  const failures: string[] = [];
  for (const t of table.slice(1)) {
    for (const r of t.rounds) {
      for (const [phase, x] of [
        ["warm-up", r.warmup],
        ["run", r.result],
      ] as const) {
        if (!x) continue;
        if (x.non2xx > 0 || x.errors > 0 || x.timeouts > 0) {
          failures.push(
            `${t.name} round ${r.round} ${phase}: ${x.non2xx} non-2xx (status codes ${JSON.stringify(x.statusCodes)}), ${x.errors} errors, ${x.timeouts} timeouts`,
          );
        }
      }
      const id = r.identityAfter;
      if (id && (id.FirstName !== "Bench" || id.LastName !== "User" || id.Email !== "bench@example.com")) {
        failures.push(`${t.name} round ${r.round}: after the run DescribeUser shows ${JSON.stringify(id)}, not the replayed update`);
      }
    }
  }
  for (const b of backlog) {
    if (b.non2xx > 0 || b.errors > 0) failures.push(`${b.name} audit backlog run: ${b.non2xx} non-2xx, ${b.errors} errors/timeouts`);
  }
  for (const d of directory) for (const o of d.ops) if (o.non2xx > 0) failures.push(`${d.name} ${o.op}: ${o.non2xx} non-2xx`);
  if (flags.database) lines.push(...PG_NOTE.map((l) => `note: ${l}`));
  const allRows = table.flatMap((t) => t.rounds.map((r) => ({ t, r })));
  const busyOthers = allRows.filter(({ r }) => (r.cpu?.othersCores ?? 0) > BUSY_CORES);
  const busyLoadGen = allRows.filter(({ r }) => (r.cpu?.benchCores ?? 0) > BUSY_CORES);
  if (busyOthers.length || busyLoadGen.length) {
    lines.push(
      `WARNING: ${busyOthers.length} of ${allRows.length} rows had other processes above ${BUSY_CORES} core, ${busyLoadGen.length} had the load generator above ${BUSY_CORES} core (see the rounds)`,
    );
  }
  for (const f of failures) lines.push(`FAIL: ${f}`);
  lines.push("", accessReport.line);

  // Figures to quote: what a README paragraph can say about this run.
  const maxOthers = Math.max(0, ...allRows.map(({ r }) => r.cpu?.othersCores ?? 0));
  const quiet = CPU ? busyOthers.length === 0 : undefined;
  const date = new Date().toISOString().slice(0, 10);
  const fig: string[] = [];
  fig.push(
    `figures to quote (${date}, node ${process.version}, ${cores} cores, ${quiet === undefined ? "machine load unknown" : quiet ? "quiet" : "NOT quiet"}: other processes up to ${fmt(maxOthers, 2)} cores during a row, load generator median ${fmt(median(allRows.map(({ r }) => r.cpu?.benchCores ?? Number.NaN)), 2)} cores; medians of ${flags.rounds} interleaved rounds):`,
  );
  const sq = med(SQLITE_ROW);
  fig.push(
    `  SQLite UpdateUserIdentityInfo: ${fmt(sq.reqPerSec, 0)} req/s = ${fmt(sq.reqPerSec / bareMed.reqPerSec, 3)}× bare (${fmt(bareMed.reqPerSec, 0)} req/s); server CPU ${fmt(sq.serverUsPerReq, 0)} µs/req (bare ${fmt(bareMed.serverUsPerReq, 0)} µs/req)`,
  );
  for (const [cur, v] of Object.entries(vsBaseline)) {
    fig.push(
      `  ${cur} vs baseline ${gitDescribe(base as string).split(" ")[0]}: req/s ×${fmt(v.reqPerSec, 2)}, server CPU µs/req ×${fmt(v.usPerReq, 2)} (${fmt(med(cur).serverUsPerReq, 0)} vs ${fmt(med(twins[cur] as string).serverUsPerReq, 0)} µs/req)`,
    );
  }
  for (const spec of flags.database ? pgSpecs : []) {
    const m = med(spec.name);
    fig.push(
      `  ${spec.name}: ${fmt(m.reqPerSec, 0)} req/s, server ${fmt(m.serverUsPerReq, 0)} µs/req + PostgreSQL ${fmt(m.dbUsPerReq, 0)} µs/req`,
    );
  }
  fig.push(
    `  cold start ${fmt(curCold.medianMs, 0)} ms = ${fmt(coldRatios[SQLITE_ROW], 2)}× bare; idle RSS ${mib(curCold.medianIdleRssKiB)} = ${fmt(rssRatios[SQLITE_ROW], 2)}× bare`,
  );
  for (const b of backlog)
    fig.push(
      `  ${b.name}: audit backlog ${b.unlinkedAtEnd} after ${b.durationSec} s (${fmt(b.secondsOfWrites, 2)} s of writes), drained ${b.drainSeconds === undefined ? "not within 30 s" : `in ${fmt(b.drainSeconds, 1)} s`}`,
    );
  for (const d of directory) {
    const l = d.listAll["100000"];
    fig.push(
      `  ${d.name}: p50 100k/1k ${d.ops.map((o) => `${o.op} ×${fmt(o.ratio, 2)}`).join(", ")}; ListUsers all 100k ${fmt(l?.seconds, 2)} s`,
    );
  }
  lines.push("", ...fig);

  process.stdout.write(`\n${lines.join("\n")}\n`);

  const report = {
    time: new Date().toISOString(),
    node: process.version,
    cores,
    commit: gitDescribe(repoRoot),
    reference: bareRows.name,
    workload: "UpdateUserIdentityInfo, SigV4-signed (one signature replayed), SQLite WAL synchronous=NORMAL, logging on (to a file)",
    settings: {
      ...load,
      warmupSec: flags.warmupSec,
      rounds: flags.rounds,
      coldRuns: flags.coldRuns,
      loadGenerator: "autocannon in-process, no workers",
      busyCores: BUSY_CORES,
      cpu: "utime+stime (+ reaped children, + live descendants) from /proc/PID/stat over the measured interval / requests completed",
    },
    throughput: table.map((t) => ({
      name: t.name,
      nodes: t.nodes,
      ...(t.target.baselineDir ? { baselineDir: t.target.baselineDir } : {}),
      median: med(t.name),
      rounds: t.rounds.map((r) => ({
        round: r.round,
        ...r.result,
        serverUsPerReq: r.serverUsPerReq,
        ...(r.dbUsPerReq !== undefined ? { dbUsPerReq: r.dbUsPerReq } : {}),
        cpu: r.cpu,
        warnings: r.warnings,
        warmup: r.warmup,
      })),
    })),
    throughputRatio: ratios,
    ...(base ? { baseline: { dir: base, commit: gitDescribe(base), pairs: twins, currentOverBaseline: vsBaseline } } : {}),
    ...(flags.database
      ? {
          postgres: {
            url: redactUrl(flags.database),
            server: pgInfo,
            poolSizePerNode: PG_POOL_SIZE,
            schema: "a fresh schema per row, dropped at its end",
            twoNodes: "two processes on one schema; connections split between them; req/s and CPU summed, p50/p99 over both",
            note: PG_NOTE.map((l) => l.trim()).join(" "),
          },
          auditBacklog: backlog,
        }
      : {}),
    coldStart: cold,
    coldStartRatio: coldRatios,
    idleRssRatio: rssRatios,
    ...(floor ? { floor } : {}),
    ...(directory.length ? { directorySizes: directory.map(({ lines: _lines, ...rest }) => rest) } : {}),
    accessReport: (({ line: _line, ...figures }) => figures)(accessReport),
    goals: {
      throughputRatioMin: 0.1,
      throughputRatioGoalFor: SQLITE_ROW,
      sqliteServerUsPerReqMax: SQLITE_CPU_GOAL_US,
      vsBaselineReqPerSecMin: VS_BASELINE_GOAL,
      coldStartRatioMax: COLD_GOAL,
      idleRssRatioMax: RSS_GOAL,
      backlogDrainSecondsMax: BACKLOG_DRAIN_GOAL_S,
    },
    quiet,
    figures: fig,
    failures,
  };
  const outDir = writeReport(repoRoot, "last.json", report);
  if (failures.length > 0) keepErrorLogs(workDir, join(outDir, "error-logs"));
  return failures.length > 0 ? 1 : 0;
}

/**
 * --instructions: bare, switchboard, [floor], [baseline] under callgrind (bench/instructions.ts),
 * two at a time; prints the table and writes .bench/instructions.json. Nothing else runs.
 */
async function instructionsMode(flags: Flags, repoRoot: string): Promise<number> {
  if (!callgrindAvailable()) throw new Error("--instructions needs valgrind and callgrind_control (Debian's valgrind package)");
  const outDir = makeTempDir("switchboard-bench-callgrind-");
  const ctx = { workDir: makeTempDir("switchboard-bench-"), launcher: callgrindLauncher(outDir), startTimeoutMs: 300_000 };
  const targets: Target[] = [bareTarget(ctx), switchboardSqliteTarget(ctx)];
  const pairs: [string, string][] = [];
  if (flags.floor) {
    targets.push(floorTarget(ctx));
    pairs.push([SQLITE_ROW, FLOOR_ROW]);
  }
  if (flags.baseline) {
    targets.push(switchboardSqliteTarget(ctx, { name: BASELINE_SQLITE_ROW, baselineDir: flags.baseline }));
    pairs.push([SQLITE_ROW, BASELINE_SQLITE_ROW]);
  }
  const settings = { warmup: flags.instrWarmup, requests: flags.instrRequests, connections: flags.connections, outDir };
  const rows = await measureAll(targets, settings, Math.min(2, availableParallelism()));
  const lines = [
    `Switchboard bench, counted (node ${process.version}) — UpdateUserIdentityInfo, signed, SQLite WAL synchronous=NORMAL, logging on`,
    `this checkout: ${gitDescribe(repoRoot)}`,
    ...(flags.baseline ? [`baseline:      ${gitDescribe(flags.baseline)} (${flags.baseline})`] : []),
    `valgrind's callgrind with cache and branch simulation; ${settings.connections} connections; per request, over ${settings.requests} requests after a warm-up of ${settings.warmup}`,
    `(the same counts on a busy machine; valgrind hashes with AVX2, not SHA extensions, so SHA-256 weighs more than on the CPU)`,
    "",
    ...instructionTable(rows, pairs),
  ];
  process.stdout.write(`\n${lines.join("\n")}\n`);
  writeReport(repoRoot, "instructions.json", {
    time: new Date().toISOString(),
    node: process.version,
    commit: gitDescribe(repoRoot),
    ...(flags.baseline ? { baseline: { dir: flags.baseline, commit: gitDescribe(flags.baseline) } } : {}),
    settings: {
      warmup: settings.warmup,
      requests: settings.requests,
      connections: settings.connections,
      tool: callgrindLauncher("")
        .filter((a) => !a.startsWith("--callgrind-out-file"))
        .join(" "),
    },
    estCycles: "instructions + 10 × (L1 misses + mispredicts) + 100 × last-level misses",
    rows,
    lines,
  });
  return 0;
}

/** Writes .bench/NAME (JSON) in the checkout; returns .bench's path. */
function writeReport(repoRoot: string, name: string, report: unknown): string {
  const outDir = join(repoRoot, ".bench");
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, name), `${JSON.stringify(report, null, 2)}\n`);
  process.stderr.write(`bench: wrote ${join(outDir, name)}\n`);
  return outDir;
}

main().then(
  (code) => {
    cleanupSync();
    process.exit(code);
  },
  (err: unknown) => {
    process.stderr.write(`bench: FAIL ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    cleanupSync();
    process.exit(1);
  },
);
