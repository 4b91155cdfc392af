// `--directory-sizes`: do the per-request costs stay flat as the directory grows? One instance with
// 1,000 users and one with 100,000, each in its own server (SQLite, started exactly like the
// "switchboard" row, plus --max-users-per-instance so CreateUser is not refused by the quota),
// then, interleaved between the two servers in chunks, a few hundred sequential requests of
// UpdateUserIdentityInfo, DescribeUser and CreateUser (p50 each), and ListUsers over the whole
// directory at 1000 per page (total time). Goals (issue 11): p50 at 100k ≤ 1.2× at 1k; the full
// ListUsers of 100k ≤ 1.5 s.
//
// How the users get there fast, and honestly: the server starts once on a fresh data dir and the
// instance and a first user are created through the SDK (so the instance is exactly what
// CreateInstance makes); the server stops; the bench opens the very store that server uses
// (openStore() of that checkout's dist, with the config its serve flags give) and inserts the
// rest with store.users.create — records cloned from that first user, 5,000 per
// store.atomically() — closes it, and starts the server again on the same data dir. Sequential
// requests over one keep-alive connection (node:http, not the SDK: the client's own cost stays
// small next to the server's).
import { randomUUID } from "node:crypto";
import { Agent, request } from "node:http";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Scope } from "../src/common/arn.js";
import type { UserRecord } from "../src/store/records.js";
import type { Store } from "../src/store/store.js";
import { BUSY_CORES, procAvailable, startCpuMeter } from "./cpu.js";
import { makeTempDir, removeTempDir } from "./procs.js";
import { createBenchUser } from "./setup.js";
import { REGION, type SignedRequest, signIdentityUpdate, signRequest } from "./sign.js";
import { cliScript, type Running, sqliteServeArgs, switchboardSqliteTarget, type TargetContext } from "./targets.js";

export const DIRECTORY_SIZES = [1_000, 100_000] as const;
export const DIRECTORY_P50_RATIO_GOAL = 1.2;
export const LIST_ALL_GOAL_S = 1.5;
/** every server here: the quota would refuse CreateUser at 100k (default 500 per instance) */
const QUOTA_ARGS: [string, string][] = [["--max-users-per-instance", "10000000"]];
const BATCH = 5000;
const CHUNK = 25;

export interface DirectoryOpResult {
  op: string;
  requests: number;
  /** p50 and p90 per size, ms */
  p50Ms: Record<string, number>;
  p90Ms: Record<string, number>;
  /** p50 at the largest size / p50 at the smallest */
  ratio: number;
  non2xx: number;
  /** cores taken during this op's requests (all sizes): the servers, this process, everybody else */
  cores?: { servers: number; loadGen: number; others: number };
  warnings: string[];
}

export interface DirectorySizesResult {
  name: string;
  sizes: number[];
  buildSeconds: Record<string, number>;
  ops: DirectoryOpResult[];
  /** ListUsers over the whole directory, 1000 per page: median total seconds, pages and users seen */
  listAll: Record<string, { seconds: number; runs: number[]; pages: number; users: number; serverCpuMs: number }>;
  lines: string[];
}

interface Directory {
  size: number;
  dataDir: string;
  running: Running;
  instanceId: string;
  userIds: string[];
  securityProfileId: string;
  routingProfileId: string;
}

/** The store module and config parser of a checkout's tsc output (dist/src/…). */
async function storeModules(checkout: string): Promise<{
  openStore: (config: unknown) => Promise<Store>;
  loadConfig: (argv: readonly string[], env: Record<string, string | undefined>) => { accountId: string };
}> {
  const app = await import(pathToFileURL(join(checkout, "dist", "src", "app.js")).href);
  const config = await import(pathToFileURL(join(checkout, "dist", "src", "config.js")).href);
  if (typeof app.openStore !== "function" || typeof config.loadConfig !== "function") {
    throw new Error(`${checkout}/dist/src: no openStore()/loadConfig() to build the directory with`);
  }
  return { openStore: app.openStore, loadConfig: config.loadConfig };
}

async function buildDirectory(ctx: TargetContext, checkout: string, baselineDir: string | undefined, size: number): Promise<Directory> {
  const dataDir = makeTempDir(`switchboard-bench-dir-${size}-`);
  const target = switchboardSqliteTarget(ctx, {
    dataDir,
    extraArgs: QUOTA_ARGS,
    ...(baselineDir ? { baselineDir } : {}),
  });
  // 1. the instance and a first user, through the API
  const first = await target.start();
  let bench: { instanceId: string; userId: string };
  try {
    bench = await createBenchUser(first.url);
  } finally {
    await first.stop();
  }
  // 2. the rest straight into the store that server uses, with the config its flags give
  const mods = await storeModules(checkout);
  const cli = cliScript(baselineDir);
  const config = mods.loadConfig(sqliteServeArgs(cli, 0, dataDir, { extraArgs: QUOTA_ARGS }).slice(1), process.env);
  const scope: Scope = { account: config.accountId, region: REGION };
  const store = await mods.openStore(config);
  const userIds = [bench.userId];
  let template: UserRecord;
  try {
    const t = await store.users.get(scope, bench.instanceId, bench.userId);
    if (!t) throw new Error("the bench user is not in the store the server used");
    template = t;
    for (let start = 1; start < size; start += BATCH) {
      const end = Math.min(size, start + BATCH);
      await store.atomically(async (tx) => {
        for (let i = start; i < end; i++) {
          const id = randomUUID();
          await tx.users.create(scope, {
            ...template,
            id,
            arn: template.arn.replace(bench.userId, id),
            username: `dir${String(i).padStart(6, "0")}`,
            identityInfo: { firstName: "Dir", lastName: `User${i}`, email: `dir${i}@example.com` },
          });
          userIds.push(id);
        }
      });
    }
  } finally {
    await store.close();
  }
  // 3. the server again, on that data dir
  const running = await target.start();
  return {
    size,
    dataDir,
    running,
    instanceId: bench.instanceId,
    userIds,
    securityProfileId: template.securityProfileIds[0] as string,
    routingProfileId: template.routingProfileId,
  };
}

/** One request over a keep-alive agent; ms from write to the last byte of the answer. */
function send(agent: Agent, req: SignedRequest): Promise<{ status: number; ms: number; body: string }> {
  return new Promise((resolvePromise, reject) => {
    const url = new URL(req.url);
    const headers: Record<string, string> = { ...req.headers };
    if (req.method !== "GET") headers["content-length"] = String(Buffer.byteLength(req.body));
    const t0 = performance.now();
    const r = request(
      { agent, host: url.hostname, port: url.port, path: `${url.pathname}${url.search}`, method: req.method, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolvePromise({ status: res.statusCode ?? 0, ms: performance.now() - t0, body: Buffer.concat(chunks).toString("utf8") }),
        );
        res.on("error", reject);
      },
    );
    r.on("error", reject);
    if (req.method !== "GET") r.end(req.body);
    else r.end();
  });
}

function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] as number;
}

function sample<T>(xs: readonly T[], n: number, seed: number): T[] {
  let a = seed >>> 0;
  const rnd = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Array.from({ length: n }, () => xs[Math.floor(rnd() * xs.length)] as T);
}

type Signer = (d: Directory, i: number) => Promise<SignedRequest>;

const OPS: { op: string; sign: Signer }[] = [
  {
    op: "UpdateUserIdentityInfo",
    sign: async (d, i) => {
      const [userId] = sample(d.userIds, 1, i * 7919 + d.size);
      return signIdentityUpdate(d.running.url, d.instanceId, userId as string);
    },
  },
  {
    op: "DescribeUser",
    sign: async (d, i) => {
      const [userId] = sample(d.userIds, 1, i * 104729 + d.size);
      return signRequest(d.running.url, "GET", `/users/${d.instanceId}/${userId as string}`);
    },
  },
  {
    op: "CreateUser",
    sign: async (d, i) =>
      signRequest(d.running.url, "PUT", `/users/${d.instanceId}`, {
        body: JSON.stringify({
          Username: `new${i}-${randomUUID().slice(0, 8)}`,
          Password: "Passw0rd1",
          IdentityInfo: { FirstName: "New", LastName: `User${i}` },
          PhoneConfig: { PhoneType: "SOFT_PHONE" },
          SecurityProfileIds: [d.securityProfileId],
          RoutingProfileId: d.routingProfileId,
        }),
      }),
  },
];

/** The whole directory, 1000 per page, signed page by page (the token comes from the last answer). */
async function listAll(agent: Agent, d: Directory): Promise<{ seconds: number; pages: number; users: number; serverCpuMs: number }> {
  const meter = startCpuMeter(d.running.pids);
  const t0 = performance.now();
  let token: string | undefined;
  let pages = 0;
  let users = 0;
  do {
    const req = await signRequest(d.running.url, "GET", `/users-summary/${d.instanceId}`, {
      query: { maxResults: "1000", ...(token ? { nextToken: token } : {}) },
    });
    const res = await send(agent, req);
    if (res.status !== 200) throw new Error(`ListUsers page ${pages + 1} at ${d.size} users: ${res.status} ${res.body.slice(0, 300)}`);
    const out = JSON.parse(res.body) as { UserSummaryList?: unknown[]; NextToken?: string };
    users += out.UserSummaryList?.length ?? 0;
    pages++;
    token = out.NextToken;
  } while (token);
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, pages, users, serverCpuMs: meter.stop().serverUs / 1000 };
}

export async function runDirectorySizes(
  ctx: TargetContext,
  opts: { name: string; baselineDir?: string; requests?: number; warmup?: number; listRuns?: number },
): Promise<DirectorySizesResult> {
  const checkout = opts.baselineDir ? resolve(opts.baselineDir) : resolve(new URL("../../", import.meta.url).pathname);
  const n = opts.requests ?? 300;
  const warm = opts.warmup ?? 30;
  const listRuns = opts.listRuns ?? 3;
  const dirs: Directory[] = [];
  const buildSeconds: Record<string, number> = {};
  const agents = new Map<Directory, Agent>();
  try {
    for (const size of DIRECTORY_SIZES) {
      process.stderr.write(`bench: ${opts.name}: directory of ${size.toLocaleString("en-US")} users: building\n`);
      const t0 = performance.now();
      const d = await buildDirectory(ctx, checkout, opts.baselineDir, size);
      buildSeconds[String(size)] = (performance.now() - t0) / 1000;
      dirs.push(d);
      agents.set(d, new Agent({ keepAlive: true, maxSockets: 1 }));
      process.stderr.write(`bench: ${opts.name}: built in ${(buildSeconds[String(size)] as number).toFixed(1)} s\n`);
    }
    const agent = (d: Directory) => agents.get(d) as Agent;
    const ops: DirectoryOpResult[] = [];
    const order: (() => Promise<void>)[] = [];
    const listAllResult: DirectorySizesResult["listAll"] = {};
    const runOp = async (o: (typeof OPS)[number]) => {
      process.stderr.write(`bench: ${opts.name}: ${o.op} ×${n} per size, interleaved\n`);
      const times = new Map<Directory, number[]>(dirs.map((d) => [d, []]));
      let non2xx = 0;
      let serial = 0;
      for (const d of dirs) for (let i = 0; i < warm; i++) await send(agent(d), await o.sign(d, serial++));
      const meter = procAvailable() ? startCpuMeter(dirs.flatMap((d) => d.running.pids)) : undefined;
      for (let done = 0; done < n; done += CHUNK) {
        for (const d of dirs) {
          // signed right before use (a signature is valid 5 minutes)
          const reqs: SignedRequest[] = [];
          for (let i = done; i < Math.min(n, done + CHUNK); i++) reqs.push(await o.sign(d, serial++));
          for (const r of reqs) {
            const res = await send(agent(d), r);
            if (res.status < 200 || res.status >= 300) {
              non2xx++;
              if (non2xx === 1) process.stderr.write(`bench: ${o.op} at ${d.size}: ${res.status} ${res.body.slice(0, 300)}\n`);
            } else (times.get(d) as number[]).push(res.ms);
          }
        }
      }
      const cpu = meter?.stop();
      const warnings: string[] = [];
      if (cpu && cpu.benchCores > BUSY_CORES) warnings.push(`load generator took ${cpu.benchCores.toFixed(2)} cores`);
      if (cpu && cpu.othersCores > BUSY_CORES) warnings.push(`other processes took ${cpu.othersCores.toFixed(2)} cores`);
      const p50Ms: Record<string, number> = {};
      const p90Ms: Record<string, number> = {};
      for (const d of dirs) {
        p50Ms[String(d.size)] = percentile(times.get(d) as number[], 50);
        p90Ms[String(d.size)] = percentile(times.get(d) as number[], 90);
      }
      const small = dirs[0] as Directory;
      const large = dirs[dirs.length - 1] as Directory;
      ops.push({
        op: o.op,
        requests: n,
        p50Ms,
        p90Ms,
        ratio: (p50Ms[String(large.size)] as number) / (p50Ms[String(small.size)] as number),
        non2xx,
        ...(cpu ? { cores: { servers: cpu.serverCores, loadGen: cpu.benchCores, others: cpu.othersCores } } : {}),
        warnings,
      });
    };
    for (const o of OPS.filter((x) => x.op !== "CreateUser")) order.push(() => runOp(o));
    // ListUsers before the creates, so each directory holds exactly its size
    order.push(async () => {
      process.stderr.write(`bench: ${opts.name}: ListUsers over every user, 1000 per page, ×${listRuns} per size\n`);
      const runs = new Map<Directory, Awaited<ReturnType<typeof listAll>>[]>(dirs.map((d) => [d, []]));
      for (let r = 0; r < listRuns; r++)
        for (const d of dirs) (runs.get(d) as Awaited<ReturnType<typeof listAll>>[]).push(await listAll(agent(d), d));
      for (const d of dirs) {
        const rs = runs.get(d) as Awaited<ReturnType<typeof listAll>>[];
        const sorted = [...rs].sort((a, b) => a.seconds - b.seconds);
        const mid = sorted[Math.floor(sorted.length / 2)] as (typeof rs)[number];
        if (mid.users !== d.size) throw new Error(`ListUsers at ${d.size} users returned ${mid.users}`);
        listAllResult[String(d.size)] = {
          seconds: mid.seconds,
          runs: rs.map((x) => x.seconds),
          pages: mid.pages,
          users: mid.users,
          serverCpuMs: mid.serverCpuMs,
        };
      }
    });
    order.push(() => runOp(OPS.find((x) => x.op === "CreateUser") as (typeof OPS)[number]));
    for (const fn of order) await fn();

    const fmt = (x: number, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : "-");
    const k = (s: number) => `${s / 1000}k`;
    const [s0, s1] = [DIRECTORY_SIZES[0], DIRECTORY_SIZES[DIRECTORY_SIZES.length - 1] as number];
    const lines = [
      `${opts.name}: one instance of ${k(s0)} vs one of ${k(s1)} users (SQLite; ${n} sequential requests per op and size, interleaved in chunks of ${CHUNK}, after ${warm} warm-up)`,
      `  ${"operation".padEnd(24)}${`p50 ${k(s0)}`.padEnd(11)}${`p50 ${k(s1)}`.padEnd(11)}${`p90 ${k(s0)}`.padEnd(11)}${`p90 ${k(s1)}`.padEnd(11)}${k(s1)}/${k(s0)}`,
    ];
    for (const o of ops) {
      const bad = `${o.non2xx ? `  (${o.non2xx} non-2xx)` : ""}${o.cores ? `  others ${fmt(o.cores.others)} cores` : ""}${o.warnings.length ? `  WARNING: ${o.warnings.join("; ")}` : ""}`;
      lines.push(
        `  ${o.op.padEnd(24)}${`${fmt(o.p50Ms[String(s0)] as number)} ms`.padEnd(11)}${`${fmt(o.p50Ms[String(s1)] as number)} ms`.padEnd(11)}${`${fmt(o.p90Ms[String(s0)] as number)} ms`.padEnd(11)}${`${fmt(o.p90Ms[String(s1)] as number)} ms`.padEnd(11)}${fmt(o.ratio)}× (goal <= ${DIRECTORY_P50_RATIO_GOAL})${bad}`,
      );
    }
    for (const size of [s0, s1]) {
      const l = listAllResult[String(size)];
      if (!l) continue;
      const goal = size === s1 ? ` (goal <= ${LIST_ALL_GOAL_S} s)` : "";
      lines.push(
        `  ListUsers all ${k(size)}: ${fmt(l.seconds)} s${goal}, ${l.pages} page${l.pages === 1 ? "" : "s"} of 1000, server CPU ${fmt(l.serverCpuMs, 0)} ms (median of ${listRuns}: ${l.runs.map((x) => fmt(x)).join(", ")} s)`,
      );
    }
    return { name: opts.name, sizes: [...DIRECTORY_SIZES], buildSeconds, ops, listAll: listAllResult, lines };
  } finally {
    for (const a of agents.values()) a.destroy();
    for (const d of dirs) {
      await d.running.stop();
      removeTempDir(d.dataDir);
    }
  }
}
