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
}

export function createLogger(level: LogLevel, out: Writable = process.stdout): Logger {
  const min = rank[level];
  return {
    enabled: (l) => rank[l] >= min,
    log(l, msg, fields) {
      if (rank[l] < min) return;
      out.write(`${JSON.stringify({ time: new Date().toISOString(), level: l, msg, ...fields })}\n`);
    },
  };
}

export const silentLogger: Logger = { log() {}, enabled: () => false };
