// Structured logs: one JSON line per event. Callers pass only fields that are safe to print —
// operation names, statuses, ids, error codes — never request members (names and e-mails are
// sensitive in the model) nor secrets.
import type { Writable } from "node:stream";

export type LogLevel = "debug" | "info" | "warn" | "error" | "off";
const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, off: 100 };

export type LogFields = Record<string, string | number | boolean | undefined>;

export interface Logger {
  log(level: Exclude<LogLevel, "off">, msg: string, fields?: LogFields): void;
  enabled(level: Exclude<LogLevel, "off">): boolean;
  /** writes what is buffered now */
  flush?(): void;
}

/** The last millisecond formatted (a busy server logs many lines per millisecond). */
let lastMs = Number.NaN;
let lastTime = "";

/**
 * `{"time":…,"level":…,"msg":…,<fields>}` and a newline: the bytes of JSON.stringify({ time,
 * level, msg, ...fields }), written without copying the fields into a new object.
 */
export function logLine(level: string, msg: string, fields: LogFields | undefined): string {
  const now = Date.now();
  if (now !== lastMs) {
    lastTime = new Date(now).toISOString();
    lastMs = now;
  }
  if (fields === undefined) return `{"time":"${lastTime}","level":"${level}","msg":${JSON.stringify(msg)}}\n`;
  // A field named like a leading member replaces its value in place (spread semantics): rare, so the plain way.
  if ("time" in fields || "level" in fields || "msg" in fields) {
    return `${JSON.stringify({ time: lastTime, level, msg, ...fields })}\n`;
  }
  const rest = JSON.stringify(fields);
  const head = `{"time":"${lastTime}","level":"${level}","msg":${JSON.stringify(msg)}`;
  return rest.length === 2 ? `${head}}\n` : `${head},${rest.slice(1)}\n`;
}

/**
 * Info and debug lines (one per request) are buffered and written once per turn of the event
 * loop: one write call for all the requests a turn answered, instead of one each (a measurable
 * share of a request's cost). Warnings and errors are written at once.
 */
export function createLogger(level: LogLevel, out: Writable = process.stdout): Logger {
  const min = rank[level];
  let pending: string[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (pending.length === 0) return;
    const chunk = pending.join("");
    pending = [];
    out.write(chunk);
  };
  return {
    enabled: (l) => rank[l] >= min,
    log(l, msg, fields) {
      if (rank[l] < min) return;
      const line = logLine(l, msg, fields);
      if (rank[l] >= rank.warn) {
        // Warnings and errors are rare and must not wait: keep order, then write at once.
        flush();
        out.write(line);
        return;
      }
      pending.push(line);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
  };
}

export const silentLogger: Logger = { log() {}, enabled: () => false, flush() {} };
