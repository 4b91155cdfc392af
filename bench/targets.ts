// The servers the bench compares, one row each. A target knows how to start a fresh server (and
// measures spawn → first answered request while doing so) and how to make it ready for the one
// benchmark request. To add "switchboard on PostgreSQL, 1 node / 2 nodes", push more targets
// from bench.ts (e.g. when --database is given); nothing else needs to change.
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { freePort, makeTempDir, removeTempDir, spawnNode, stopChild, waitUntilAnswering } from "./procs.js";
import { type BenchUser, createBenchUser, createBenchUsers } from "./setup.js";

export { createBenchUsers };

export interface Running {
  /** http://127.0.0.1:PORT — the Host header the request is signed for */
  url: string;
  /** every node's URL when the target is a cluster (url is the first); load is split over them */
  urls?: string[];
  /** milliseconds from spawn() to the first answered request (cold start) */
  readyMs: number;
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
}

export interface TargetContext {
  /** where server logs (and SQLite data dirs) go; removed at the end */
  workDir: string;
}

const here = fileURLToPath(new URL(".", import.meta.url));
const BARE_SCRIPT = join(here, "bare-server.js");
const CLI_SCRIPT = join(here, "..", "bundle", "main.js");

let serial = 0;

export function bareTarget(ctx: TargetContext): Target {
  return {
    name: "bare node:http",
    async start() {
      const port = await freePort();
      const sp = spawnNode(BARE_SCRIPT, ["--port", String(port)], ctx.workDir, `bare-${++serial}`);
      try {
        const readyMs = await waitUntilAnswering(sp, port, "/");
        return { url: `http://127.0.0.1:${port}`, readyMs, stop: () => stopChild(sp.child) };
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

/** Switchboard on SQLite in a fresh data dir (so every start includes the migrations), logging on. */
export function switchboardSqliteTarget(ctx: TargetContext, opts: { durability?: "normal" | "full"; name?: string } = {}): Target {
  const durability = opts.durability ?? "normal";
  return {
    name: opts.name ?? "switchboard",
    async start() {
      const port = await freePort();
      const dataDir = makeTempDir("switchboard-bench-data-");
      const sp = spawnNode(
        CLI_SCRIPT,
        ["serve", "--port", String(port), "--data", dataDir, "--log-level", "info", "--durability", durability],
        ctx.workDir,
        `switchboard-${++serial}`,
      );
      const stop = async () => {
        await stopChild(sp.child);
        removeTempDir(dataDir);
      };
      try {
        const readyMs = await waitUntilAnswering(sp, port, "/_switchboard/health");
        return { url: `http://127.0.0.1:${port}`, readyMs, stop };
      } catch (err) {
        await stop();
        throw err;
      }
    },
    prepare: (running) => createBenchUser(running.url),
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
export function switchboardPostgresTarget(ctx: TargetContext, opts: { url: string; nodes: number; name: string; users?: number }): Target {
  return {
    name: opts.name,
    ...(opts.users ? { users: opts.users } : {}),
    async start() {
      const schema = `sb_bench_${process.pid}_${randomBytes(4).toString("hex")}`;
      const ports: number[] = [];
      for (let i = 0; i < opts.nodes; i++) ports.push(await freePort());
      const spawned = ports.map((port) =>
        spawnNode(
          CLI_SCRIPT,
          [
            "serve",
            "--port",
            String(port),
            "--database",
            opts.url,
            "--database-schema",
            schema,
            "--db-pool-size",
            String(PG_POOL_SIZE),
            "--log-level",
            "info",
          ],
          ctx.workDir,
          `switchboard-pg-${++serial}`,
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
        return { url: urls[0] as string, urls, readyMs: Math.max(...readyMs), stop };
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
