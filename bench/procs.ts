// Child processes and temp dirs the bench owns, and how they are started, awaited and stopped.
// Everything registered here is torn down on normal exit, on an error, and on SIGINT/SIGTERM.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, openSync, readFileSync, rmSync } from "node:fs";
import { request } from "node:http";
import { createServer } from "node:net";
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

/** Spawn `node script args…` with stdout/stderr to files in logDir. */
export function spawnNode(script: string, args: string[], logDir: string, name: string): Spawned {
  const stdoutFile = join(logDir, `${name}.stdout.log`);
  const stderrFile = join(logDir, `${name}.stderr.log`);
  const out = openSync(stdoutFile, "a");
  const err = openSync(stderrFile, "a");
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [script, ...args], { stdio: ["ignore", out, err] });
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

/** One GET; resolves with the status once the whole response was read, rejects on any socket error. */
function getOnce(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, method: "GET", agent: false }, (res) => {
      res.on("data", () => {});
      res.on("end", () => resolve(res.statusCode ?? 0));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}

/**
 * Poll `GET path` in a tight loop (next attempt as soon as the previous one failed) until the
 * server answers 200; returns milliseconds from spawn to that answer. Fails fast if the child
 * exits, and after timeoutMs.
 */
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
        if ((await getOnce(port, path)) === 200) return performance.now() - sp.spawnedAt;
      } catch {
        // not listening yet (ECONNREFUSED): try again at once
      }
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
