// The servers the bench compares, one row each. A target knows how to start a fresh server (and
// measures spawn → first answered request while doing so) and how to make it ready for the one
// benchmark request. To add "switchboard on PostgreSQL, 1 node / 2 nodes", push more targets
// from bench.ts (e.g. when --database is given); nothing else needs to change.
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, makeTempDir, removeTempDir, spawnNode, stopChild, waitUntilAnswering } from "./procs.js";
import { type BenchUser, createBenchUser } from "./setup.js";

export interface Running {
  /** http://127.0.0.1:PORT — the Host header the request is signed for */
  url: string;
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
}

export interface TargetContext {
  /** where server logs (and SQLite data dirs) go; removed at the end */
  workDir: string;
}

const here = fileURLToPath(new URL(".", import.meta.url));
const BARE_SCRIPT = join(here, "bare-server.js");
const CLI_SCRIPT = join(here, "..", "src", "cli.js");

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
