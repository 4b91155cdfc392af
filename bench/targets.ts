// The servers the bench compares, one row each. A target knows how to start a fresh server (and
// measures spawn → first answered request while doing so) and how to make it ready for the one
// benchmark request. To add "switchboard on PostgreSQL, 1 node / 2 nodes", push more targets
// from bench.ts (e.g. when --database is given); nothing else needs to change.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { freePort, makeTempDir, removeTempDir, type Spawned, spawnNode, stopChild, waitUntilAnswering } from "./procs.js";
import { type BenchUser, createBenchUser, createBenchUsers } from "./setup.js";

export { createBenchUsers };

export interface Running {
  /** http://127.0.0.1:PORT — the Host header the request is signed for */
  url: string;
  /** every node's URL when the target is a cluster (url is the first); load is split over them */
  urls?: string[];
  /** milliseconds from spawn() to the first answered request (cold start) */
  readyMs: number;
  /** the server process(es): whose CPU (/proc/PID/stat) and RSS the bench reads */
  pids: number[];
  /** PostgreSQL targets: the schema the nodes share */
  schema?: string;
  stop(): Promise<void>;
}

export interface Target {
  /** the row label */
  name: string;
  /** spawn a fresh server with fresh storage; resolves once it answered its first request */
  start(): Promise<Running>;
  /** create what the benchmark request addresses; returns the ids to sign it for */
  prepare(running: Running): Promise<BenchUser>;
  /** spread the load over this many users (one request per user, cycled); default: one user */
  users?: number;
  /** the PostgreSQL targets: their CPU counts the database's processes separately */
  engine?: "none" | "sqlite" | "postgres";
  /** a --baseline target: the checkout it runs from */
  baselineDir?: string;
  /** false: it serves nothing but the benchmark request, so no DescribeUser after the run (default: a store's rows do) */
  describes?: boolean;
}

export interface TargetContext {
  /** where server logs (and SQLite data dirs) go; removed at the end */
  workDir: string;
  /** run the measured server under this (bench/instructions.ts: valgrind's callgrind); default none */
  launcher?: readonly string[];
  /** how long a server may take to answer its first request (default 20 s; far longer under valgrind) */
  startTimeoutMs?: number;
}

const here = fileURLToPath(new URL(".", import.meta.url));
const BARE_SCRIPT = join(here, "bare-server.js");
const FLOOR_SCRIPT = join(here, "floor-server.js");
/** The --floor row's name. */
export const FLOOR_ROW = "floor (no pipeline)";
const CLI_SCRIPT = join(here, "..", "bundle", "main.js");

/** Where a checkout's server is (`DIR/dist/bundle/main.js serve`); this checkout when dir is absent. */
export function cliScript(dir?: string): string {
  return dir === undefined ? CLI_SCRIPT : join(resolve(dir), "dist", "bundle", "main.js");
}

const flagsCache = new Map<string, Set<string>>();
/**
 * The --flags a checkout's CLI knows, read from its own usage text (`main.js help`, else the
 * error `serve --help` prints): a baseline may be older than this bench.
 */
export function knownServeFlags(cli: string): Set<string> {
  let flags = flagsCache.get(cli);
  if (flags) return flags;
  let text = "";
  for (const args of [["help"], ["serve", "--help"]]) {
    try {
      text += execFileSync(process.execPath, [cli, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 20_000 });
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string };
      text += `${e.stdout ?? ""}${e.stderr ?? ""}`;
    }
  }
  flags = new Set(text.match(/--[a-z][a-z0-9-]*/g) ?? []);
  flagsCache.set(cli, flags);
  return flags;
}

/**
 * `serve` argv for a checkout's CLI: `required` flags must exist there (else it cannot be
 * benchmarked the same way); `optional` ones (whose value here is that CLI's default anyway) are
 * left out, with a note, when that CLI does not know them.
 */
export function serveArgs(cli: string, required: [string, string][], optional: [string, string][] = []): string[] {
  const known = cli === CLI_SCRIPT ? undefined : knownServeFlags(cli);
  const args = ["serve"];
  for (const [flag, value] of required) {
    if (known && !known.has(flag)) throw new Error(`${cli} does not know ${flag}: cannot start it the way the bench starts this checkout`);
    args.push(flag, value);
  }
  for (const [flag, value] of optional) {
    if (known && !known.has(flag)) {
      if (!warnedMissing.has(`${cli} ${flag}`))
        process.stderr.write(`bench: note: ${cli} does not know ${flag}; started without it (its default)\n`);
      warnedMissing.add(`${cli} ${flag}`);
      continue;
    }
    args.push(flag, value);
  }
  return args;
}
const warnedMissing = new Set<string>();

let serial = 0;

export function bareTarget(ctx: TargetContext): Target {
  return {
    name: "bare node:http",
    engine: "none",
    async start() {
      const port = await freePort();
      const sp = spawnNode(BARE_SCRIPT, ["--port", String(port)], ctx.workDir, `bare-${++serial}`, ctx.launcher);
      try {
        const readyMs = await waitUntilAnswering(sp, port, "/", ctx.startTimeoutMs);
        return { url: `http://127.0.0.1:${port}`, readyMs, pids: [sp.child.pid as number], stop: () => stopChild(sp.child) };
      } catch (err) {
        await stopChild(sp.child);
        throw err;
      }
    },
    // The bare server ignores the path; send it the same shape of request (same headers, same body).
    async prepare() {
      return { instanceId: "00000000-0000-4000-8000-000000000000", userId: "00000000-0000-4000-8000-000000000001" };
    },
  };
}

export interface SqliteTargetOptions {
  durability?: "normal" | "full";
  name?: string;
  /** another checkout (--baseline DIR): its dist/bundle/main.js, started the same way */
  baselineDir?: string;
  /** an existing data dir to serve (kept at stop); default: a fresh one per start */
  dataDir?: string;
  /** more serve flags, e.g. ["--max-users-per-instance", "10000000"] (must exist in that CLI) */
  extraArgs?: [string, string][];
}

/** The serve argv of the SQLite targets (shared with the directory-size rows, which open the same store). */
export function sqliteServeArgs(cli: string, port: number, dataDir: string, opts: SqliteTargetOptions = {}): string[] {
  return serveArgs(
    cli,
    [["--port", String(port)], ["--data", dataDir], ["--log-level", "info"], ...(opts.extraArgs ?? [])],
    [["--durability", opts.durability ?? "normal"]],
  );
}

/** The server `sp` on `port` once it answers its health check; stopped (stop) if it never does. */
async function answering(sp: Spawned, port: number, stop: () => Promise<void>, timeoutMs?: number): Promise<Running> {
  try {
    const readyMs = await waitUntilAnswering(sp, port, "/_switchboard/health", timeoutMs);
    return { url: `http://127.0.0.1:${port}`, readyMs, pids: [sp.child.pid as number], stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/**
 * Switchboard on SQLite in a fresh data dir (so every start includes the migrations), logging on.
 * With baselineDir: the same, started from that checkout's build.
 */
export function switchboardSqliteTarget(ctx: TargetContext, opts: SqliteTargetOptions = {}): Target {
  const cli = cliScript(opts.baselineDir);
  return {
    name: opts.name ?? "switchboard",
    engine: "sqlite",
    ...(opts.baselineDir ? { baselineDir: opts.baselineDir } : {}),
    async start() {
      const port = await freePort();
      const dataDir = opts.dataDir ?? makeTempDir("switchboard-bench-data-");
      const sp = spawnNode(
        cli,
        sqliteServeArgs(cli, port, dataDir, opts),
        ctx.workDir,
        `${opts.baselineDir ? "baseline" : "switchboard"}-${++serial}`,
        ctx.launcher,
      );
      return answering(
        sp,
        port,
        async () => {
          await stopChild(sp.child);
          if (!opts.dataDir) removeTempDir(dataDir);
        },
        ctx.startTimeoutMs,
      );
    },
    prepare: (running) => createBenchUser(running.url),
  };
}

/**
 * --floor: floor-server.ts on a database this checkout's server created. start() runs that server
 * on a fresh data dir, creates the bench user through it, stops it and starts the floor server on
 * the same file and port (the request is signed for that Host); prepare() names that user.
 * readyMs is the floor server's own start (it is not a cold-start row).
 */
export function floorTarget(ctx: TargetContext): Target {
  let user: BenchUser | undefined;
  return {
    name: FLOOR_ROW,
    engine: "sqlite",
    describes: false,
    async start() {
      const port = await freePort();
      const dataDir = makeTempDir("switchboard-bench-floor-");
      try {
        const real = spawnNode(CLI_SCRIPT, sqliteServeArgs(CLI_SCRIPT, port, dataDir), ctx.workDir, `floor-setup-${++serial}`);
        try {
          await waitUntilAnswering(real, port, "/_switchboard/health");
          user = await createBenchUser(`http://127.0.0.1:${port}`);
        } finally {
          await stopChild(real.child);
        }
        const sp = spawnNode(
          FLOOR_SCRIPT,
          ["--port", String(port), "--db", join(dataDir, "switchboard.db")],
          ctx.workDir,
          `floor-${serial}`,
          ctx.launcher,
        );
        return await answering(
          sp,
          port,
          async () => {
            await stopChild(sp.child);
            removeTempDir(dataDir);
          },
          ctx.startTimeoutMs,
        );
      } catch (err) {
        removeTempDir(dataDir);
        throw err;
      }
    },
    async prepare() {
      if (!user) throw new Error("floor: start() has not created the bench user");
      return user;
    },
  };
}

/** Pool size per node for the PostgreSQL targets (the CLI's default, passed explicitly). */
export const PG_POOL_SIZE = 16;

/** The URL without its password, for printing. */
export const redactUrl = (url: string) => url.replace(/\/\/([^:@/]*):[^@/]*@/, "//$1:***@");

async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema.replace(/"/g, '""')}" CASCADE`);
  } finally {
    await client.end();
  }
}

/**
 * Switchboard on PostgreSQL: `nodes` processes on ONE fresh schema (created by the nodes'
 * migrations, which they run at the same moment), dropped again by stop(). With 2 nodes the bench
 * splits its connections between them and adds their req/s. Logging on, as for SQLite.
 */
export function switchboardPostgresTarget(
  ctx: TargetContext,
  opts: { url: string; nodes: number; name: string; users?: number; baselineDir?: string },
): Target {
  const cli = cliScript(opts.baselineDir);
  return {
    name: opts.name,
    engine: "postgres",
    ...(opts.users ? { users: opts.users } : {}),
    ...(opts.baselineDir ? { baselineDir: opts.baselineDir } : {}),
    async start() {
      const schema = `sb_bench_${process.pid}_${randomBytes(4).toString("hex")}`;
      const ports: number[] = [];
      for (let i = 0; i < opts.nodes; i++) ports.push(await freePort());
      const spawned = ports.map((port) =>
        spawnNode(
          cli,
          serveArgs(cli, [
            ["--port", String(port)],
            ["--database", opts.url],
            ["--database-schema", schema],
            ["--db-pool-size", String(PG_POOL_SIZE)],
            ["--log-level", "info"],
          ]),
          ctx.workDir,
          `${opts.baselineDir ? "baseline" : "switchboard"}-pg-${++serial}`,
        ),
      );
      const stop = async () => {
        await Promise.all(spawned.map((sp) => stopChild(sp.child)));
        try {
          await dropSchema(opts.url, schema);
        } catch (err) {
          process.stderr.write(`bench: could not drop schema ${schema}: ${err instanceof Error ? err.message : String(err)}\n`);
        }
      };
      try {
        const readyMs = await Promise.all(spawned.map((sp, i) => waitUntilAnswering(sp, ports[i] as number, "/_switchboard/health")));
        const urls = ports.map((p) => `http://127.0.0.1:${p}`);
        return {
          url: urls[0] as string,
          urls,
          readyMs: Math.max(...readyMs),
          pids: spawned.map((sp) => sp.child.pid as number),
          schema,
          stop,
        };
      } catch (err) {
        await stop();
        throw err;
      }
    },
    prepare: (running) => createBenchUser(running.url),
  };
}

/** The server's version and commit settings, for the report (what the PostgreSQL rows ran on). */
export async function postgresInfo(url: string): Promise<{ version: string; fsync: string; synchronousCommit: string }> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const show = async (name: string) => String(((await client.query(`SHOW ${name}`)).rows[0] as Record<string, unknown>)[name]);
    return { version: await show("server_version"), fsync: await show("fsync"), synchronousCommit: await show("synchronous_commit") };
  } finally {
    await client.end();
  }
}

/** A client for the bench's own queries (the audit backlog); the caller ends it. */
export async function pgClient(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  return client;
}

/** Audit events recorded but not linked into the chain yet: the rows of `schema`.audit_pending. */
export async function unlinkedAuditEvents(client: pg.Client, schema: string): Promise<number> {
  const r = await client.query(`SELECT count(*)::int AS n FROM "${schema.replace(/"/g, '""')}".audit_pending`);
  return Number((r.rows[0] as { n: number }).n);
}
