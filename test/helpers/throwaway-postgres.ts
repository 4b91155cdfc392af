// A private PostgreSQL cluster for tests that stop and start the database (never the shared
// server): initdb into a temp dir owned by the `postgres` OS user, started with pg_ctl on a free
// loopback port, its socket in the same dir. Default settings (fsync on): durability is tested.
import { execFile } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort } from "../../bench/procs.js";

const run = promisify(execFile);

/** initdb/pg_ctl from PATH or the newest /usr/lib/postgresql/<ver>/bin; a clear error when absent. */
export function findPgBin(): string {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, "bin", "initdb")) && existsSync(join(root, v, "bin", "pg_ctl")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions[0] !== undefined) return join(root, versions[0], "bin");
  for (const dir of (process.env.PATH ?? "").split(":")) {
    if (dir && existsSync(join(dir, "initdb")) && existsSync(join(dir, "pg_ctl"))) return dir;
  }
  throw new Error(
    "initdb/pg_ctl not found (looked in /usr/lib/postgresql/<version>/bin and PATH): this test needs the PostgreSQL server binaries to run a throwaway cluster",
  );
}

/** uid and gid of an OS user, from /etc/passwd. */
function osUser(name: string): { uid: number; gid: number } {
  const line = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((l) => l.startsWith(`${name}:`));
  const parts = line?.split(":");
  if (!parts || parts.length < 4) throw new Error(`no OS user '${name}' (needed to run initdb/pg_ctl as non-root)`);
  return { uid: Number(parts[2]), gid: Number(parts[3]) };
}

export interface ThrowawayPostgres {
  /** postgres://postgres@127.0.0.1:PORT/postgres */
  url: string;
  port: number;
  dir: string;
  /** pg_ctl stop -m mode (waits until it is down) */
  stop(mode: "smart" | "fast" | "immediate"): Promise<void>;
  /** pg_ctl start (waits until it accepts connections) */
  start(): Promise<void>;
  /** the server log so far (for failure messages) */
  log(): string;
  /** stop -m immediate (ignoring errors) and remove the directory; idempotent */
  destroy(): Promise<void>;
}

export async function createThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const bin = findPgBin();
  const isRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), "sb-pgfault-"));
  const dataDir = join(dir, "data");
  const logFile = join(dir, "server.log");
  let destroyed = false;
  const asPostgres = async (tool: string, args: string[], timeoutMs: number) => {
    const [cmd, argv] = isRoot ? ["runuser", ["-u", "postgres", "--", join(bin, tool), ...args]] : [join(bin, tool), args];
    try {
      return await run(cmd as string, argv as string[], { cwd: dir, timeout: timeoutMs, env: { ...process.env, LC_ALL: "C" } });
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string; message: string };
      throw new Error(`${tool} ${args.join(" ")} failed: ${e.message}\n${e.stdout ?? ""}${e.stderr ?? ""}`);
    }
  };
  try {
    if (isRoot) {
      const { uid, gid } = osUser("postgres");
      chownSync(dir, uid, gid);
    }
    await asPostgres("initdb", ["-D", dataDir, "--auth=trust", "-U", "postgres", "-E", "UTF8"], 120_000);
    const port = await freePort();
    const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`;
    const pgCtl = (args: string[], timeoutMs = 60_000) => asPostgres("pg_ctl", ["-D", dataDir, ...args], timeoutMs);
    const self: ThrowawayPostgres = {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      port,
      dir,
      async stop(mode) {
        await pgCtl(["-m", mode, "-w", "-t", "30", "stop"]);
      },
      async start() {
        await pgCtl(["-o", opts, "-l", logFile, "-w", "-t", "30", "start"]);
      },
      log() {
        try {
          return readFileSync(logFile, "utf8");
        } catch {
          return "";
        }
      },
      async destroy() {
        if (destroyed) return;
        destroyed = true;
        await pgCtl(["-m", "immediate", "-w", "-t", "30", "stop"]).catch(() => {});
        rmSync(dir, { recursive: true, force: true });
      },
    };
    await self.start();
    return self;
  } catch (err) {
    if (!destroyed) {
      await asPostgres("pg_ctl", ["-D", dataDir, "-m", "immediate", "stop"], 30_000).catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    }
    throw err;
  }
}
