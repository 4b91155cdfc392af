// One autocannon run against one server, replaying one pre-signed request.
//
// Where the load generator runs: in this (the bench) process, on its main thread, with no
// autocannon worker threads. On 2 cores the contest is one server thread (Switchboard's JS,
// SQLite and its synchronous log writes all run on its main thread) against one load-generator
// thread; a child process for autocannon would change nothing about that split and would only add
// a process start and result plumbing, while `workers: N` would put a third busy thread on two
// cores and steal CPU from the server being measured. The bench process is otherwise idle while
// autocannon runs (the SDK client is destroyed, nothing else is scheduled).
import { createHistogram, type RecordableHistogram } from "node:perf_hooks";
import autocannon, { type Result } from "autocannon";
import type { SignedRequest } from "./sign.js";

export interface LoadSettings {
  connections: number;
  pipelining: number;
  durationSec: number;
  /** a fixed number of requests instead of a duration (bench/instructions.ts) */
  amount?: number;
  /** seconds a response may take (default 10) */
  timeoutSec?: number;
}

export interface LoadResult {
  reqPerSec: number;
  /** latency of 2xx responses, ms, from a microsecond-resolution histogram (autocannon's own is whole ms) */
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  maxMs: number;
  requests: number;
  ok2xx: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  durationSec: number;
}

export function runLoad(req: SignedRequest, s: LoadSettings): Promise<LoadResult> {
  return runLoadSplit([[req]], s);
}

/**
 * Several servers at once (a cluster's nodes): one autocannon per request, started together in
 * this process, the connections split between them (32 over 2 nodes: 16 each). req/s and counts
 * are summed; p50/p99 come from one histogram that records the 2xx responses of all of them.
 */
export async function runLoadSplit(reqs: SignedRequest[][], s: LoadSettings): Promise<LoadResult> {
  if (reqs.length === 0 || s.connections < reqs.length)
    throw new Error(`need 1..${s.connections} requests to split ${s.connections} connections over`);
  const hist = createHistogram();
  const results = await Promise.all(
    reqs.map((req, i) =>
      runOne(req, { ...s, connections: Math.floor(s.connections / reqs.length) + (i < s.connections % reqs.length ? 1 : 0) }, hist),
    ),
  );
  const statusCodes: Record<string, number> = {};
  for (const r of results)
    for (const [code, v] of Object.entries(r.statusCodeStats)) statusCodes[code] = (statusCodes[code] ?? 0) + v.count;
  const sum = (f: (r: Result) => number) => results.reduce((acc, r) => acc + f(r), 0);
  const count = hist.count;
  return {
    reqPerSec: sum((r) => r.requests.mean),
    p50Ms: count ? hist.percentile(50) / 1000 : Number.NaN,
    p99Ms: count ? hist.percentile(99) / 1000 : Number.NaN,
    meanMs: count ? hist.mean / 1000 : Number.NaN,
    maxMs: count ? hist.max / 1000 : Number.NaN,
    requests: sum((r) => r.requests.total),
    ok2xx: sum((r) => r["2xx"]),
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
    statusCodes,
    durationSec: Math.max(...results.map((r) => r.duration)),
  };
}

/** One node's load: every connection replays `reqs` in turn (one request: the same one over and over). */
function runOne(reqs: SignedRequest[], s: LoadSettings, hist: RecordableHistogram): Promise<Result> {
  const req = reqs[0] as SignedRequest;
  const many =
    reqs.length > 1
      ? { requests: reqs.map((r) => ({ method: r.method, path: new URL(r.url).pathname, headers: r.headers, body: r.body })) }
      : {};
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: reqs.length > 1 ? new URL(req.url).origin : req.url,
        method: req.method,
        headers: req.headers,
        body: req.body,
        ...many,
        connections: s.connections,
        pipelining: s.pipelining,
        ...(s.amount !== undefined ? { amount: s.amount } : { duration: s.durationSec }),
        timeout: s.timeoutSec ?? 10,
      },
      (err: Error | null, r: Result) => (err ? reject(err) : resolve(r)),
    );
    instance.on("response", (_client, statusCode, _bytes, ms) => {
      if (statusCode >= 200 && statusCode < 300) hist.record(Math.max(1, Math.round(ms * 1000)));
    });
  });
}
