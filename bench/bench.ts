// `npm run bench`: how much of a bare node:http server's throughput Switchboard keeps on a real
// write (UpdateUserIdentityInfo, SigV4-verified, SQLite WAL, one JSON log line per request), and
// how much longer it takes to start. Prints a table; writes the numbers to .bench/last.json.
// Then, as its own section, the access report at scale (bench/access-report-bench.ts: 100
// principals × 50,000 users, goal < 5 s), also in .bench/last.json ("accessReport").
//
// Flags: --duration N (s, default 10), --connections N (default 32), --warmup N (s, default 2),
// --cold-runs N (default 5), --database postgres://… (adds the PostgreSQL rows: 1 node and 2 nodes,
// each on a fresh schema of that database, dropped afterwards). Unknown flags are ignored with a note.
//
// What bounds the PostgreSQL rows (read from the code and measured on a 2-core machine, Nov 2026):
// an UpdateUserIdentityInfo is one transaction of 6 round trips — BEGIN, SELECT instance,
// SELECT … FOR UPDATE the user, UPDATE the user, INSERT its audit event (linked into the hash
// chain after commit, in batches, by every node's background linker), COMMIT (WAL flush). The
// "N nodes" rows replay ONE request, so every transaction queues on the same user's row lock,
// held until the previous commit is flushed: that row, not the pool or the chain, sets their
// ceiling. The ", 32 users" rows spread the same request over 32 users (one request per user,
// cycled by every connection): what a directory sync does. Pool 16 per node; PostgreSQL's
// backends, the Switchboard process(es) and the load generator share the same cores, so on 2
// cores a second node mostly adds CPU contention. PG_NOTE below prints the short form.
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runAccessReportBench } from "./access-report-bench.js";
import { type LoadResult, type LoadSettings, runLoadSplit } from "./load.js";
import { cleanupSync, installCleanup, makeTempDir } from "./procs.js";
import type { BenchUser } from "./setup.js";
import { describeIdentity } from "./setup.js";
import { type SignedRequest, sendOnce, signIdentityUpdate } from "./sign.js";
import {
  bareTarget,
  createBenchUsers,
  PG_POOL_SIZE,
  postgresInfo,
  type Running,
  redactUrl,
  switchboardPostgresTarget,
  switchboardSqliteTarget,
  type Target,
} from "./targets.js";

interface Flags {
  durationSec: number;
  connections: number;
  warmupSec: number;
  coldRuns: number;
  /** postgres://… — adds the PostgreSQL targets */
  database?: string;
}

function parseFlags(argv: string[]): Flags {
  const flags: Flags = { durationSec: 10, connections: 32, warmupSec: 2, coldRuns: 5 };
  const known: Record<string, Exclude<keyof Flags, "database">> = {
    "--duration": "durationSec",
    "--connections": "connections",
    "--warmup": "warmupSec",
    "--cold-runs": "coldRuns",
  };
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
    const key = known[name];
    if (!key) {
      process.stderr.write(`bench: ignoring unknown flag ${name}\n`);
      continue;
    }
    const text = eq < 0 ? argv[++i] : arg.slice(eq + 1);
    const n = Number(text);
    if (text === undefined || !Number.isInteger(n) || n < (key === "warmupSec" ? 0 : 1)) {
      throw new Error(`${name} needs a whole number${key === "warmupSec" ? "" : " >= 1"}, got '${text ?? ""}'`);
    }
    flags[key] = n;
  }
  return flags;
}

interface ThroughputRow {
  name: string;
  /** servers the load was split over */
  nodes: number;
  warmup: LoadResult | undefined;
  result: LoadResult;
  identityAfter?: Record<string, unknown>;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

async function throughput(target: Target, load: LoadSettings, warmupSec: number): Promise<ThroughputRow> {
  process.stderr.write(`bench: ${target.name}: starting\n`);
  const running: Running = await target.start();
  try {
    const users = target.users && target.users > 1 ? await createBenchUsers(running.url, target.users) : [await target.prepare(running)];
    const ids = users[0] as BenchUser;
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
    let warmup: LoadResult | undefined;
    if (warmupSec > 0) {
      process.stderr.write(`bench: ${target.name}: warm-up ${warmupSec} s\n`);
      warmup = await runLoadSplit(await signAll(), { ...load, durationSec: warmupSec });
    }
    process.stderr.write(`bench: ${target.name}: measuring ${load.durationSec} s\n`);
    const result = await runLoadSplit(await signAll(), load);
    const row: ThroughputRow = { name: target.name, nodes: urls.length, warmup, result };
    if (target.name !== "bare node:http") row.identityAfter = await describeIdentity(running.url, ids);
    return row;
  } finally {
    await running.stop();
  }
}

async function coldStart(target: Target, runs: number): Promise<{ name: string; runsMs: number[]; medianMs: number }> {
  process.stderr.write(`bench: ${target.name}: cold start ×${runs}\n`);
  const runsMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const running = await target.start();
    runsMs.push(running.readyMs);
    await running.stop();
  }
  return { name: target.name, runsMs, medianMs: median(runsMs) };
}

/** The row the throughput goal is about (the SQLite target's name). */
const SQLITE_ROW = "switchboard";

/** Printed under the table with --database: what the PostgreSQL rows are bounded by. */
const PG_NOTE = [
  "PostgreSQL rows: an UpdateUserIdentityInfo is one transaction of 6 round trips (BEGIN, SELECT instance,",
  "  SELECT … FOR UPDATE + UPDATE the user, INSERT its audit event — linked into the chain after commit —,",
  "  COMMIT with its WAL flush). The 'N nodes' rows change ONE user: each request waits for that row's lock,",
  "  held until the previous commit is flushed. The '32 users' rows spread the load over 32 users.",
  `  Pool ${PG_POOL_SIZE} per node; PostgreSQL, the node(s) and autocannon share the same cores (2 here), so a`,
  "  second node mostly adds CPU contention.",
];

const fmt = (n: number, digits: number) => (Number.isFinite(n) ? n.toFixed(digits) : "-");

// The SDK warns that it will need Node 22 from 2027 on; that is not news during a bench. Other
// warnings still print.
process.removeAllListeners("warning");
process.on("warning", (w) => {
  if (!w.message.startsWith("NodeVersionSupportWarning")) process.stderr.write(`${w.name}: ${w.message}\n`);
});

async function main(): Promise<number> {
  installCleanup();
  const flags = parseFlags(process.argv.slice(2));
  if (flags.durationSec > 240)
    process.stderr.write("bench: note: a signature is valid 5 minutes; runs longer than ~280 s will start failing\n");
  const load: LoadSettings = { connections: flags.connections, pipelining: 1, durationSec: flags.durationSec };
  const workDir = makeTempDir("switchboard-bench-");
  const ctx = { workDir };

  // The first target is the baseline every ratio is relative to. With --database, the
  // PostgreSQL rows follow (throughput only: their start-up includes connecting and migrating a
  // fresh schema, which the cold-start goal is not about).
  const targets: Target[] = [bareTarget(ctx), switchboardSqliteTarget(ctx)];
  const coldTargets = [...targets];
  const baseline = targets[0] as Target;
  if (flags.database) {
    targets.push(
      switchboardPostgresTarget(ctx, { url: flags.database, nodes: 1, name: "switchboard pg 1 node" }),
      switchboardPostgresTarget(ctx, { url: flags.database, nodes: 2, name: "switchboard pg 2 nodes" }),
      // The same request spread over 32 users: what a directory sync does, without one hot row.
      switchboardPostgresTarget(ctx, { url: flags.database, nodes: 1, name: "pg 1 node, 32 users", users: 32 }),
      switchboardPostgresTarget(ctx, { url: flags.database, nodes: 2, name: "pg 2 nodes, 32 users", users: 32 }),
    );
  }

  // Sequential, never two targets under load at once (the 2-node target is one target).
  const rows: ThroughputRow[] = [];
  for (const t of targets) rows.push(await throughput(t, load, flags.warmupSec));
  const cold = [];
  for (const t of coldTargets) cold.push(await coldStart(t, flags.coldRuns));
  // Its own section, after the HTTP benchmarks (no server runs meanwhile).
  const accessReport = await runAccessReportBench();

  const pgInfo = flags.database ? await postgresInfo(flags.database) : undefined;
  const base = rows[0] as ThroughputRow;
  const baseCold = cold[0] as { medianMs: number };
  const cores = availableParallelism();
  const lines: string[] = [];
  lines.push(
    `Switchboard bench (node ${process.version}, ${cores} cores) — UpdateUserIdentityInfo, signed, SQLite WAL synchronous=NORMAL, logging on`,
  );
  lines.push(
    `autocannon in-process: ${load.connections} connections, pipelining ${load.pipelining}, ${flags.warmupSec} s warm-up + ${load.durationSec} s per target`,
  );
  if (flags.database && pgInfo) {
    lines.push(
      `PostgreSQL ${pgInfo.version} at ${redactUrl(flags.database)}: fresh schema per target, pool ${PG_POOL_SIZE} per node, fsync ${pgInfo.fsync}, synchronous_commit ${pgInfo.synchronousCommit}`,
    );
  }
  const pad = (s: string, n: number) => s.padEnd(n);
  const W = Math.max(18, ...rows.map((r) => r.name.length + 2));
  lines.push(`${pad("target", W)}${pad("req/s", 9)}${pad("p50 ms", 8)}${pad("p99 ms", 8)}${pad("non-2xx", 9)}vs bare`);
  const ratios: Record<string, number> = {};
  for (const r of rows) {
    const x = r.result;
    const ratio = x.reqPerSec / base.result.reqPerSec;
    if (r !== base) ratios[r.name] = ratio;
    const goal = r.name === SQLITE_ROW ? "  (goal >= 0.10)" : "";
    const split = r.nodes > 1 ? `  (${r.nodes} processes, connections split, req/s summed)` : "";
    const extra = x.errors || x.timeouts ? `  (errors ${x.errors}, timeouts ${x.timeouts})` : "";
    lines.push(
      `${pad(r.name, W)}${pad(fmt(x.reqPerSec, 0), 9)}${pad(fmt(x.p50Ms, 2), 8)}${pad(fmt(x.p99Ms, 2), 8)}${pad(String(x.non2xx), 9)}${fmt(ratio, 3)}${goal}${split}${extra}`,
    );
  }
  const coldRatios: Record<string, number> = {};
  for (const c of cold.slice(1)) {
    const ratio = c.medianMs / baseCold.medianMs;
    coldRatios[c.name] = ratio;
    lines.push(
      `${pad("cold start", 18)}bare ${fmt(baseCold.medianMs, 0)} ms, ${c.name} ${fmt(c.medianMs, 0)} ms, ratio ${fmt(ratio, 2)} (goal <= 2.0; median of ${flags.coldRuns})`,
    );
  }

  // A Switchboard answer other than 2xx means the bench measured errors, not the work.
  const failures: string[] = [];
  for (const r of [...rows.slice(1)]) {
    for (const [phase, x] of [
      ["warm-up", r.warmup],
      ["run", r.result],
    ] as const) {
      if (!x) continue;
      if (x.non2xx > 0 || x.errors > 0 || x.timeouts > 0) {
        failures.push(
          `${r.name} ${phase}: ${x.non2xx} non-2xx (status codes ${JSON.stringify(x.statusCodes)}), ${x.errors} errors, ${x.timeouts} timeouts`,
        );
      }
    }
    const id = r.identityAfter;
    if (id && (id.FirstName !== "Bench" || id.LastName !== "User" || id.Email !== "bench@example.com")) {
      failures.push(`${r.name}: after the run DescribeUser shows ${JSON.stringify(id)}, not the replayed update`);
    }
  }
  if (flags.database) lines.push(...PG_NOTE.map((l) => `note: ${l}`));
  for (const f of failures) lines.push(`FAIL: ${f}`);
  lines.push("", accessReport.line);

  process.stdout.write(`\n${lines.join("\n")}\n`);

  const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
  const outDir = join(repoRoot, ".bench");
  mkdirSync(outDir, { recursive: true });
  const report = {
    time: new Date().toISOString(),
    node: process.version,
    cores,
    baseline: baseline.name,
    workload: "UpdateUserIdentityInfo, SigV4-signed (one signature replayed), SQLite WAL synchronous=NORMAL, logging on (to a file)",
    settings: { ...load, warmupSec: flags.warmupSec, coldRuns: flags.coldRuns, loadGenerator: "autocannon in-process, no workers" },
    throughput: rows.map((r) => ({ name: r.name, nodes: r.nodes, ...r.result, warmup: r.warmup })),
    throughputRatio: ratios,
    ...(flags.database
      ? {
          postgres: {
            url: redactUrl(flags.database),
            server: pgInfo,
            poolSizePerNode: PG_POOL_SIZE,
            schema: "a fresh schema per target, dropped at its end",
            twoNodes: "two processes on one schema; connections split between them; req/s summed, p50/p99 over both",
            note: PG_NOTE.map((l) => l.trim()).join(" "),
          },
        }
      : {}),
    coldStart: cold,
    coldStartRatio: coldRatios,
    accessReport: (({ line: _line, ...figures }) => figures)(accessReport),
    goals: { throughputRatioMin: 0.1, throughputRatioGoalFor: SQLITE_ROW, coldStartRatioMax: 2.0 },
    failures,
  };
  writeFileSync(join(outDir, "last.json"), `${JSON.stringify(report, null, 2)}\n`);
  process.stderr.write(`bench: wrote ${join(outDir, "last.json")}\n`);
  return failures.length > 0 ? 1 : 0;
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
