// `switchboard audit list`: the filters, the query (newest first) and the two output forms — a
// table for people, one CloudTrail record per line (--json) for tools.
import { ConfigError } from "../common/errors.js";
import type { AuditEventRecord } from "../store/records.js";
import type { AuditFilter, Store } from "../store/store.js";
import { accessKeyIdOf, sourceIpOf } from "./fields.js";

export interface ListOptions {
  since?: string;
  until?: string;
  eventName?: string;
  principal?: string;
  userId?: string;
  limit?: string;
}

export const DEFAULT_LIST_LIMIT = 100;
export const MAX_LIST_LIMIT = 100_000;

/**
 * A point in time from the command line, as epoch ms: ISO 8601 (a date, or a date-time; no zone
 * means UTC) or epoch seconds (fractions allowed; 13 digits or more are taken as milliseconds).
 */
export function parseTime(flag: string, text: string): number {
  if (/^\d+(\.\d+)?$/.test(text)) {
    const n = Number(text);
    return /^\d{13,}$/.test(text) ? n : Math.floor(n * 1000);
  }
  if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i.test(text)) {
    const zoned = /(Z|[+-]\d{2}:?\d{2})$/i.test(text) || text.length === 10 ? text : `${text}Z`;
    const ms = Date.parse(zoned.replace(" ", "T"));
    if (!Number.isNaN(ms)) return ms;
  }
  throw new ConfigError(`--${flag} must be an ISO 8601 time (2024-05-01T12:00:00Z) or epoch seconds, got '${text}'`);
}

/** The store query for the options: newest first, one more than the limit (to tell if more exist). */
export function listFilter(o: ListOptions): AuditFilter & { shown: number } {
  let limit = DEFAULT_LIST_LIMIT;
  if (o.limit !== undefined) {
    if (!/^\d+$/.test(o.limit) || Number(o.limit) < 1 || Number(o.limit) > MAX_LIST_LIMIT) {
      throw new ConfigError(`--limit must be a whole number from 1 to ${MAX_LIST_LIMIT}, got '${o.limit}'`);
    }
    limit = Number(o.limit);
  }
  const f: AuditFilter & { shown: number } = { order: "desc", limit: limit + 1, shown: limit };
  if (o.since !== undefined) f.since = parseTime("since", o.since);
  if (o.until !== undefined) f.until = parseTime("until", o.until);
  if (f.since !== undefined && f.until !== undefined && f.since >= f.until) {
    throw new ConfigError("--since must be before --until");
  }
  if (o.eventName !== undefined) f.eventName = o.eventName;
  if (o.principal !== undefined) f.principalArn = o.principal;
  if (o.userId !== undefined) f.targetUserId = o.userId;
  return f;
}

export interface Listing {
  /** newest first */
  events: AuditEventRecord[];
  /** more events match than were returned */
  more: boolean;
}

export async function listEvents(store: Store, o: ListOptions): Promise<Listing> {
  const { shown, ...filter } = listFilter(o);
  const rows = await store.audit.list(filter);
  return { events: rows.slice(0, shown), more: rows.length > shown };
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

function principalColumn(e: AuditEventRecord): string {
  if (e.principalArn) return e.principalArn;
  const key = accessKeyIdOf(e);
  return key ? `(unauthenticated, key ${key})` : "(unauthenticated)";
}

const HEADINGS = ["TIME", "EVENT", "PRINCIPAL", "TARGET USER", "ERROR", "SOURCE IP"] as const;

/** The human table: one event per line, columns padded to their widest value. */
export function formatTable(events: readonly AuditEventRecord[]): string {
  const rows: string[][] = events.map((e) => [
    iso(e.eventTime),
    e.eventName,
    principalColumn(e),
    e.targetUserId ?? "-",
    e.errorCode ?? "-",
    sourceIpOf(e) ?? "-",
  ]);
  const widths = HEADINGS.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] as number)))
      .join("  ")
      .trimEnd();
  return [line(HEADINGS), ...rows.map(line)].join("\n");
}

/** --json: each event's CloudTrail record on its own line. */
export function formatJsonLines(events: readonly AuditEventRecord[]): string {
  return events.map((e) => JSON.stringify(e.record)).join("\n");
}
