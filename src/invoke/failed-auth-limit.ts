// Failed authentications are audited (invoke.ts), but anyone can send them: without a limit a
// flood fills the disk and buries the events that matter. Each source IP and each claimed
// access key may add `count` failed-authentication events per window; the rest are dropped and
// counted, and one summary event per source and window says how many (issue 10). Other events
// (every successful change, every denial) are never limited. Windows live in the process.
import { type AuditFacts, buildAuditEvent } from "../audit/record.js";
import type { Store } from "../store/store.js";

export interface FailedAuthAuditRate {
  /** events per source (IP, access key) and window */
  count: number;
  windowMs: number;
}

/** What a window dropped: one summary event. */
export interface Suppressed {
  bucket: "sourceIPAddress" | "accessKeyId";
  /** the IP or access key ("*": the overflow window, when too many sources are tracked) */
  value: string;
  count: number;
  from: number;
  to: number;
}

interface Window {
  bucket: Suppressed["bucket"];
  value: string;
  start: number;
  admitted: number;
  dropped: number;
}

/** Windows tracked at once; beyond, new sources share one overflow window per bucket. */
const MAX_WINDOWS = 10_000;

export const SUPPRESSED_EVENT_NAME = "FailedAuthenticationsSuppressed";

export class FailedAuthLimiter {
  private readonly windows = new Map<string, Window>();
  private readonly pending: Suppressed[] = [];

  constructor(
    readonly rate: FailedAuthAuditRate,
    private readonly now: () => number,
  ) {}

  private window(bucket: Suppressed["bucket"], value: string, t: number): Window {
    let key = `${bucket}\u0000${value}`;
    let w = this.windows.get(key);
    if (!w && this.windows.size >= MAX_WINDOWS) {
      this.sweep(t);
      if (this.windows.size >= MAX_WINDOWS) {
        key = `${bucket}\u0000*`;
        w = this.windows.get(key);
        value = "*";
      }
    }
    if (w && t - w.start >= this.rate.windowMs) {
      this.close(w, t);
      w = undefined;
    }
    if (!w) {
      w = { bucket, value, start: t, admitted: 0, dropped: 0 };
      this.windows.set(key, w);
    }
    return w;
  }

  private close(w: Window, t: number): void {
    if (w.dropped > 0)
      this.pending.push({
        bucket: w.bucket,
        value: w.value,
        count: w.dropped,
        from: w.start,
        to: Math.min(t, w.start + this.rate.windowMs),
      });
  }

  /** Ends the windows that are over (all of them with `all`), keeping what they dropped for summaries. */
  private sweep(t: number, all = false): void {
    for (const [key, w] of this.windows) {
      if (all || t - w.start >= this.rate.windowMs) {
        this.close(w, t);
        this.windows.delete(key);
      }
    }
  }

  /** Whether this failed authentication gets its event; false: dropped and counted. */
  admit(sourceIp: string, accessKeyId: string | undefined): boolean {
    const t = this.now();
    const windows = [this.window("sourceIPAddress", sourceIp, t)];
    if (accessKeyId) windows.push(this.window("accessKeyId", accessKeyId, t));
    const full = windows.find((w) => w.admitted >= this.rate.count);
    if (full) {
      full.dropped++;
      return false;
    }
    for (const w of windows) w.admitted++;
    return true;
  }

  /** The summaries due: windows over that dropped something (every window with `all`, at shutdown). */
  due(all = false): Suppressed[] {
    this.sweep(this.now(), all);
    return this.pending.splice(0);
  }
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/** The summary event of one window. */
export function suppressedFacts(s: Suppressed, rate: FailedAuthAuditRate, account: string, requestId: string): AuditFacts {
  return {
    operation: SUPPRESSED_EVENT_NAME,
    eventSource: "connect.amazonaws.com",
    readOnly: true,
    eventTime: s.to,
    requestId,
    account,
    region: "us-east-1",
    sourceIp: s.bucket === "sourceIPAddress" ? s.value : "",
    ...(s.bucket === "accessKeyId" ? { claimedAccessKeyId: s.value } : {}),
    requestParameters: null,
    notes: {
      additionalEventData: {
        suppressedCount: s.count,
        bucket: s.bucket,
        windowStart: iso(s.from),
        windowEnd: iso(s.to),
        limit: `${rate.count} per ${rate.windowMs / 1000} s`,
      },
    },
  };
}

/** Writes the due summaries; never throws (a failure is logged by the caller's logger). */
export async function recordSuppressed(
  store: Store,
  limiter: FailedAuthLimiter,
  account: string,
  newId: () => string,
  all = false,
): Promise<void> {
  for (const s of limiter.due(all)) {
    await store.audit.record(buildAuditEvent(suppressedFacts(s, limiter.rate, account, newId())));
  }
}
