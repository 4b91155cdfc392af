// One autocannon run against one server, replaying one pre-signed request.
//
// Where the load generator runs: in this (the bench) process, on its main thread, with no
// autocannon worker threads. On 2 cores the contest is one server thread (Switchboard's JS,
// SQLite and its synchronous log writes all run on its main thread) against one load-generator
// thread; a child process for autocannon would change nothing about that split and would only add
// a process start and result plumbing, while `workers: N` would put a third busy thread on two
// cores and steal CPU from the server being measured. The bench process is otherwise idle while
// autocannon runs (the SDK client is destroyed, nothing else is scheduled).
import { createHistogram } from "node:perf_hooks";
import autocannon, { type Result } from "autocannon";
import type { SignedRequest } from "./sign.js";

export interface LoadSettings {
  connections: number;
  pipelining: number;
  durationSec: number;
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
  const hist = createHistogram();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: req.url,
        method: req.method,
        headers: req.headers,
        body: req.body,
        connections: s.connections,
        pipelining: s.pipelining,
        duration: s.durationSec,
        timeout: 10,
      },
      (err: Error | null, r: Result) => {
        if (err) return reject(err);
        const statusCodes: Record<string, number> = {};
        for (const [code, v] of Object.entries(r.statusCodeStats)) statusCodes[code] = v.count;
        const count = hist.count;
        resolve({
          reqPerSec: r.requests.mean,
          p50Ms: count ? hist.percentile(50) / 1000 : Number.NaN,
          p99Ms: count ? hist.percentile(99) / 1000 : Number.NaN,
          meanMs: count ? hist.mean / 1000 : Number.NaN,
          maxMs: count ? hist.max / 1000 : Number.NaN,
          requests: r.requests.total,
          ok2xx: r["2xx"],
          non2xx: r.non2xx,
          errors: r.errors,
          timeouts: r.timeouts,
          statusCodes,
          durationSec: r.duration,
        });
      },
    );
    instance.on("response", (_client, statusCode, _bytes, ms) => {
      if (statusCode >= 200 && statusCode < 300) hist.record(Math.max(1, Math.round(ms * 1000)));
    });
  });
}
