// Child processes and temp dirs the bench owns, and how they are started, awaited and stopped.
// Everything registered here is torn down on normal exit, on an error, and on SIGINT/SIGTERM.
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const children = new Set<ChildProcess>();
const tempDirs = new Set<string>();

/** Kill every child still running and delete every temp dir. Synchronous: safe in 'exit'. */
export function cleanupSync(): void {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
  children.clear();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

let installed = false;
export function installCleanup(): void {
  if (installed) return;
  installed = true;
  process.on("exit", cleanupSync);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => {
      process.stderr.write(`\nbench: ${signal}, cleaning up\n`);
      cleanupSync();
      process.exit(130);
    });
  }
}

export function makeTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  tempDirs.delete(dir);
}

/** A port that was free a moment ago (the OS picks it; we release it for the child to take). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface Spawned {
  child: ChildProcess;
  /** performance.now() right before spawn() */
  spawnedAt: number;
  /** stdout and stderr go to these files (not pipes: a pipe the bench must drain costs bench CPU) */
  stdoutFile: string;
  stderrFile: string;
}

/**
 * Spawn `node script args…` with stdout/stderr to files in logDir. With a launcher (e.g.
 * ["valgrind", "--tool=callgrind", …]): `launcher… node script args…`, the same process id.
 */
export function spawnNode(script: string, args: string[], logDir: string, name: string, launcher: readonly string[] = []): Spawned {
  const stdoutFile = join(logDir, `${name}.stdout.log`);
  const stderrFile = join(logDir, `${name}.stderr.log`);
  const out = openSync(stdoutFile, "a");
  const err = openSync(stderrFile, "a");
  const spawnedAt = performance.now();
  let child: ChildProcess;
  try {
    const argv = [process.execPath, script, ...args];
    child = spawn(launcher[0] ?? (argv.shift() as string), [...launcher.slice(1), ...argv], { stdio: ["ignore", out, err] });
  } finally {
    // the child has its own copies now
    closeSync(out);
    closeSync(err);
  }
  children.add(child);
  child.once("exit", () => children.delete(child));
  return { child, spawnedAt, stdoutFile, stderrFile };
}

function tail(file: string, bytes = 2000): string {
  try {
    const text = readFileSync(file, "utf8");
    return text.length > bytes ? `…${text.slice(-bytes)}` : text;
  } catch {
    return "";
  }
}

/**
 * One `GET path` on a fresh TCP connection, written by hand: resolves with the status code as soon
 * as the status line arrives, rejects on any socket error (ECONNREFUSED while the server is not
 * listening yet). Cheaper per attempt than node:http, which matters while polling.
 */
function probe(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let head = "";
    socket.setNoDelay(true);
    socket.once("connect", () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
    });
    socket.on("data", (chunk: Buffer) => {
      head += chunk.toString("latin1");
      const m = /^HTTP\/1\.[01] (\d{3}) /.exec(head);
      if (m || head.length > 64) {
        socket.destroy();
        if (m) resolve(Number(m[1]));
        else reject(new Error(`not an HTTP answer: ${JSON.stringify(head.slice(0, 64))}`));
      }
    });
    socket.once("error", reject);
    socket.once("close", () => reject(new Error("connection closed before an answer")));
  });
}

/**
 * Milliseconds from spawn to the first 200 answer to `GET path`. Polls every POLL_GAP_MS: on this
 * 2-core machine a zero-gap loop (retry the moment ECONNREFUSED comes back) made the bare server's
 * start look 2-3x slower (≈150-250 ms instead of ≈65 ms), because the poller's own CPU competes
 * with the child that is starting. A 1 ms gap costs at most ~1 ms of resolution. Fails fast if the
 * child exits, and after timeoutMs.
 */
const POLL_GAP_MS = 1;
export async function waitUntilAnswering(sp: Spawned, port: number, path: string, timeoutMs = 20_000): Promise<number> {
  let exited: string | undefined;
  const onExit = (code: number | null, signal: string | null) => {
    exited = `exited with ${signal ?? `code ${code}`}`;
  };
  sp.child.once("exit", onExit);
  try {
    for (;;) {
      if (!exited && (sp.child.exitCode !== null || sp.child.signalCode !== null)) onExit(sp.child.exitCode, sp.child.signalCode);
      if (exited) throw new Error(`server ${exited} before answering:\n${tail(sp.stderrFile)}${tail(sp.stdoutFile)}`);
      if (performance.now() - sp.spawnedAt > timeoutMs) throw new Error(`server did not answer GET ${path} within ${timeoutMs} ms`);
      try {
        if ((await probe(port, path)) === 200) return performance.now() - sp.spawnedAt;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, POLL_GAP_MS));
    }
  } finally {
    sp.child.off("exit", onExit);
  }
}

/** SIGTERM, then SIGKILL if it has not exited within graceMs. */
export async function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
  children.delete(child);
}
