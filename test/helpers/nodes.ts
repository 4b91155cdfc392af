// Real Switchboard processes (dist/bundle/main.js serve) for the cluster and fault tests: started
// together, each with its own single-attempt SDK client, stopped with a signal and awaited.
import { ConnectClient } from "@aws-sdk/client-connect";
import { type ServerProcess, spawnServer } from "./process.js";

export interface SbNode extends ServerProcess {
  name: string;
  client: ConnectClient;
  /** set once the process has exited (whatever the reason) */
  exitCode(): number | null | undefined;
}

/** An SDK client that makes exactly one attempt and gives up on a request after requestTimeoutMs. */
export function singleAttemptClient(url: string, requestTimeoutMs = 15_000): ConnectClient {
  return new ConnectClient({
    endpoint: url,
    region: "us-east-1",
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 1,
    requestHandler: { requestTimeout: requestTimeoutMs, connectionTimeout: 5_000 },
  });
}

/** Starts one node per name, all at the same moment (spawned in the same tick). */
export async function startNodes(names: string[], args: string[]): Promise<SbNode[]> {
  const settled = await Promise.allSettled(names.map((n) => spawnServer(args).then((p) => ({ n, p }))));
  const failed = settled.filter((s): s is PromiseRejectedResult => s.status === "rejected");
  const started = settled.filter((s) => s.status === "fulfilled").map((s) => s.value);
  if (failed.length > 0) {
    for (const s of started) s.p.child.kill("SIGKILL");
    throw new Error(`${failed.length} of ${names.length} nodes failed to start:\n${failed.map((f) => String(f.reason)).join("\n")}`);
  }
  return started.map(({ n, p }) => {
    let code: number | null | undefined;
    p.exited.then((c) => {
      code = c;
    });
    return { ...p, name: n, client: singleAttemptClient(p.url), exitCode: () => code };
  });
}

/** Sends the signal and resolves with the exit code; SIGKILL after graceMs. */
export async function stopNode(node: ServerProcess, signal: NodeJS.Signals = "SIGTERM", graceMs = 10_000): Promise<number | null> {
  if (node.child.exitCode !== null || node.child.signalCode !== null) return node.exited;
  node.child.kill(signal);
  const timer = setTimeout(() => node.child.kill("SIGKILL"), graceMs);
  try {
    return await node.exited;
  } finally {
    clearTimeout(timer);
  }
}

/** Kills whatever is still running (for `after` hooks; never throws). */
export function killAll(nodes: readonly ServerProcess[]): void {
  for (const n of nodes) {
    if (n.child.exitCode === null && n.child.signalCode === null) n.child.kill("SIGKILL");
  }
}

/** What an SDK call ended with: the AWS error name and HTTP status, or ok. */
export interface Outcome {
  ok: boolean;
  name?: string;
  status?: number;
  message?: string;
}

export async function outcomeOf(p: Promise<unknown>): Promise<Outcome> {
  try {
    await p;
    return { ok: true };
  } catch (err) {
    const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    return { ok: false, name: e.name, status: e.$metadata?.httpStatusCode, message: e.message };
  }
}

/** GET /_switchboard/health with a timeout: the status and parsed body (or the fetch error). */
export async function health(
  url: string,
  timeoutMs = 5_000,
): Promise<{ status: number; body: Record<string, unknown> } | { error: string }> {
  try {
    const res = await fetch(`${url}/_switchboard/health`, { signal: AbortSignal.timeout(timeoutMs) });
    const text = await res.text();
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      body = { unparsed: text };
    }
    return { status: res.status, body };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
