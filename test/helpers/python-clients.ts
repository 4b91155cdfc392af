// Running the real Python clients — Debian's boto3 (1.26) and AWS CLI v2 (2.9) — against a test
// server: by absolute path (/usr/bin/python3, /usr/bin/aws; the ones on PATH may be other
// installs), isolated from the user's configuration (isolatedAwsEnv). scripts/ensure-test-deps.sh
// installs them on a fresh machine.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";

export const PYTHON = "/usr/bin/python3";
export const AWS = "/usr/bin/aws";
/** the AWS CLI v2's exit code for an error the service returned */
export const CLI_SERVICE_ERROR = 254;

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function assertClientsInstalled(): void {
  for (const bin of [PYTHON, AWS]) {
    assert.ok(existsSync(bin), `${bin} is missing: run scripts/ensure-test-deps.sh (installs python3-boto3 and awscli)`);
  }
}

/** Runs a program to completion (or the timeout); a non-zero exit is a result, not a rejection. */
export function run(file: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { env, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, encoding: "utf8" }, (error, stdout, stderr) => {
      if (error === null) return resolve({ code: 0, stdout, stderr });
      if (error.killed || error.signal) {
        return reject(new Error(`${file} ${args.join(" ")}: killed (${error.signal ?? "timeout"}) after ${timeoutMs} ms\n${stderr}`));
      }
      if (typeof error.code !== "number") return reject(error); // could not start it at all (ENOENT, …)
      resolve({ code: error.code, stdout, stderr });
    });
  });
}

export function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    assert.fail(`${what}: stdout is not JSON:\n${text}`);
  }
}

/** One call a boto3 script recorded: its answer, or the botocore ClientError. */
export type Attempt<T> =
  | { ok: { status: number; body: T } }
  | { error: { code: string; message: string; status: number; extra?: Record<string, unknown> } };

/** The successful answer of a recorded call (fails the test with the error otherwise). */
export function ok<T>(a: Attempt<T>, what: string): { status: number; body: T } {
  if ("error" in a) assert.fail(`${what}: expected success, got ${JSON.stringify(a.error)}`);
  return a.ok;
}

/** The ClientError of a recorded call (fails the test if the call succeeded). */
export function clientError<T>(a: Attempt<T>, what: string) {
  if ("ok" in a) assert.fail(`${what}: expected a ClientError, got success ${JSON.stringify(a.ok)}`);
  return a.error;
}

/** `aws connect …` against a server: `aws` returns the result, `awsOk` the parsed JSON of a call that must succeed. */
export function awsConnect(endpoint: () => string, env: () => NodeJS.ProcessEnv) {
  const aws = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) =>
    run(AWS, ["connect", ...args, "--endpoint-url", endpoint(), "--output", "json"], { ...env(), ...extraEnv }, 30_000);
  async function awsOk(args: string[]): Promise<unknown> {
    const res = await aws(args);
    assert.equal(res.code, 0, `aws connect ${args.join(" ")} exited ${res.code}:\n${res.stderr}`);
    return res.stdout.trim() === "" ? undefined : parseJson(res.stdout, `aws connect ${args[0]}`);
  }
  return { aws, awsOk };
}
