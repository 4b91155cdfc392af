// CloudTrail's LookupEvents over the audit trail
// (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html):
// newest first, at most one lookup attribute, StartTime/EndTime in epoch seconds (both
// inclusive, compared at CloudTrail's one-second precision), MaxResults 1..50 (default 50), and
// an opaque NextToken (keyset on seq) bound to the request it came from.
import { createHash } from "node:crypto";
import { accessKeyIdOf, eventSourceOf, readOnlyOf, resourcesOf, usernameOf } from "../../audit/fields.js";
import type { Scope } from "../../common/arn.js";
import { canonicalJson } from "../../common/canonical-json.js";
import type { AuditEventRecord } from "../../store/records.js";
import type { AuditFilter, Store } from "../../store/store.js";
import { cloudTrailError } from "./errors.js";

export const LOOKUP_ATTRIBUTE_KEYS = [
  "EventId",
  "EventName",
  "ReadOnly",
  "Username",
  "ResourceType",
  "ResourceName",
  "EventSource",
  "AccessKeyId",
] as const;
export type LookupAttributeKey = (typeof LOOKUP_ATTRIBUTE_KEYS)[number];

export const DEFAULT_MAX_RESULTS = 50;
/** matches scanned per query when a lookup attribute is checked outside the database */
const SCAN_BATCH = 500;

export interface LookupQuery {
  attribute?: { key: LookupAttributeKey; value: string };
  /** epoch seconds, inclusive */
  startTime?: number;
  /** epoch seconds, inclusive */
  endTime?: number;
  maxResults: number;
  /** continue with events older than this seq */
  beforeSeq?: number;
  nextToken?: string;
  /** EventCategory "insight": Switchboard records no Insights events */
  insight: boolean;
}

const clientError = cloudTrailError;
const serializationError = (message: string) => cloudTrailError("SerializationException", message);

function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return typeof v === "object" ? "an object" : `a ${typeof v}`;
}

function timestamp(name: string, v: unknown): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "number" || !Number.isFinite(v)) {
    throw serializationError(`${name} must be a timestamp in epoch seconds (a number), got ${typeName(v)}`);
  }
  return v;
}

function parseAttributes(v: unknown): LookupQuery["attribute"] {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw serializationError(`LookupAttributes must be a list, got ${typeName(v)}`);
  if (v.length > 1) {
    throw clientError("InvalidLookupAttributesException", `LookupAttributes accepts at most one attribute; the request has ${v.length}.`);
  }
  if (v.length === 0) return undefined;
  const a = v[0] as unknown;
  if (typeof a !== "object" || a === null || Array.isArray(a)) {
    throw serializationError(`LookupAttributes[0] must be an object, got ${typeName(a)}`);
  }
  const { AttributeKey: key, AttributeValue: value } = a as Record<string, unknown>;
  if (typeof key !== "string" || !(LOOKUP_ATTRIBUTE_KEYS as readonly string[]).includes(key)) {
    throw clientError(
      "InvalidLookupAttributesException",
      `AttributeKey must be one of ${LOOKUP_ATTRIBUTE_KEYS.join(", ")}; got ${typeof key === "string" ? `'${key}'` : typeName(key)}.`,
    );
  }
  if (typeof value !== "string" || value.length < 1 || value.length > 2000) {
    throw clientError("InvalidLookupAttributesException", `AttributeValue for ${key} must be a string of 1 to 2000 characters.`);
  }
  if (key === "ReadOnly" && value !== "true" && value !== "false") {
    throw clientError("InvalidLookupAttributesException", `AttributeValue for ReadOnly must be 'true' or 'false'; got '${value}'.`);
  }
  return { key: key as LookupAttributeKey, value };
}

/** What the token is bound to: the same caller scope and the same question. */
function fingerprint(scope: Scope, q: LookupQuery): string {
  return createHash("sha256")
    .update(
      canonicalJson({ scope, attribute: q.attribute ?? null, start: q.startTime ?? null, end: q.endTime ?? null, insight: q.insight }),
    )
    .digest("base64url")
    .slice(0, 16);
}

function encodeToken(seq: number, fp: string): string {
  return Buffer.from(JSON.stringify({ v: 1, s: seq, f: fp })).toString("base64url");
}

function decodeToken(token: string, fp: string): number {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
  } catch {
    throw clientError("InvalidNextTokenException", "The NextToken is not valid.");
  }
  const t = parsed as { v?: unknown; s?: unknown; f?: unknown } | null;
  if (typeof t !== "object" || t === null || t.v !== 1 || !Number.isSafeInteger(t.s) || (t.s as number) < 1) {
    throw clientError("InvalidNextTokenException", "The NextToken is not valid.");
  }
  if (t.f !== fp) {
    throw clientError("InvalidNextTokenException", "The NextToken was issued for a request with different parameters.");
  }
  return t.s as number;
}

/** Checks a LookupEvents request body (already JSON-parsed) the way CloudTrail does. */
export function parseLookupEvents(body: unknown, scope: Scope): LookupQuery {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw serializationError(`The request body must be a JSON object, got ${typeName(body)}`);
  }
  const b = body as Record<string, unknown>;
  const attribute = parseAttributes(b.LookupAttributes);
  const startTime = timestamp("StartTime", b.StartTime);
  const endTime = timestamp("EndTime", b.EndTime);
  if (startTime !== undefined && endTime !== undefined && startTime > endTime) {
    throw clientError("InvalidTimeRangeException", "The start time must not be after the end time.");
  }
  let insight = false;
  if (b.EventCategory !== undefined && b.EventCategory !== null) {
    if (b.EventCategory !== "insight") {
      throw clientError("InvalidEventCategoryException", `EventCategory must be 'insight'; got ${JSON.stringify(b.EventCategory)}.`);
    }
    insight = true;
  }
  let maxResults = DEFAULT_MAX_RESULTS;
  if (b.MaxResults !== undefined && b.MaxResults !== null) {
    if (typeof b.MaxResults !== "number") throw serializationError(`MaxResults must be a number, got ${typeName(b.MaxResults)}`);
    if (!Number.isInteger(b.MaxResults) || b.MaxResults < 1 || b.MaxResults > 50) {
      throw clientError("InvalidMaxResultsException", `MaxResults must be a whole number from 1 to 50; got ${b.MaxResults}.`);
    }
    maxResults = b.MaxResults;
  }
  const q: LookupQuery = { maxResults, insight };
  if (attribute) q.attribute = attribute;
  if (startTime !== undefined) q.startTime = startTime;
  if (endTime !== undefined) q.endTime = endTime;
  if (b.NextToken !== undefined && b.NextToken !== null) {
    if (typeof b.NextToken !== "string") throw serializationError(`NextToken must be a string, got ${typeName(b.NextToken)}`);
    if (b.NextToken !== "") {
      q.nextToken = b.NextToken;
      q.beforeSeq = decodeToken(b.NextToken, fingerprint(scope, q));
    }
  }
  return q;
}

/** Attributes not held in a column are checked on the record itself. */
function predicate(a: NonNullable<LookupQuery["attribute"]>): ((e: AuditEventRecord) => boolean) | undefined {
  const v = a.value;
  switch (a.key) {
    case "EventName":
      return undefined; // the store filters on it
    case "EventId":
      return (e) => e.eventId === v;
    case "ReadOnly":
      return (e) => String(readOnlyOf(e)) === v;
    case "Username":
      return (e) => usernameOf(e) === v;
    case "ResourceType":
      return (e) => resourcesOf(e).some((r) => r.ResourceType === v);
    case "ResourceName":
      return (e) => resourcesOf(e).some((r) => r.ResourceName === v);
    case "EventSource":
      return (e) => eventSourceOf(e) === v;
    case "AccessKeyId":
      return (e) => accessKeyIdOf(e) === v;
  }
}

/** One event as LookupEvents returns it. */
export function lookupEvent(e: AuditEventRecord): Record<string, unknown> {
  const out: Record<string, unknown> = {
    EventId: e.eventId,
    EventName: e.eventName,
    ReadOnly: String(readOnlyOf(e)),
    AccessKeyId: accessKeyIdOf(e),
    // CloudTrail's own precision: whole seconds, as the record's eventTime shows.
    EventTime: Math.floor(e.eventTime / 1000),
    EventSource: eventSourceOf(e),
    Username: usernameOf(e),
    Resources: resourcesOf(e),
    CloudTrailEvent: JSON.stringify(e.record),
  };
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out;
}

export interface LookupResult {
  Events: Record<string, unknown>[];
  NextToken?: string;
}

/** Runs the query over the caller's account and region (CloudTrail is regional). */
export async function lookupEvents(store: Store, scope: Scope, q: LookupQuery): Promise<LookupResult> {
  if (q.insight) return { Events: [] };
  const want = q.maxResults + 1; // one more, to know whether another page exists
  const base: AuditFilter = { account: scope.account, region: scope.region, order: "desc", limit: want };
  if (q.startTime !== undefined) base.since = Math.ceil(q.startTime) * 1000;
  if (q.endTime !== undefined) base.until = (Math.floor(q.endTime) + 1) * 1000;
  if (q.attribute?.key === "EventName") base.eventName = q.attribute.value;
  const matches = q.attribute ? predicate(q.attribute) : undefined;
  const batch = matches ? Math.max(SCAN_BATCH, want) : want;

  const found: AuditEventRecord[] = [];
  let cursor = q.beforeSeq;
  for (;;) {
    const rows = await store.audit.list({ ...base, limit: batch, ...(cursor !== undefined ? { beforeSeq: cursor } : {}) });
    for (const r of rows) {
      if (matches && !matches(r)) continue;
      found.push(r);
      if (found.length === want) break;
    }
    if (found.length === want || rows.length < batch) break;
    cursor = (rows[rows.length - 1] as AuditEventRecord).seq;
  }
  const page = found.slice(0, q.maxResults);
  const result: LookupResult = { Events: page.map(lookupEvent) };
  if (found.length > q.maxResults) {
    result.NextToken = encodeToken((page[page.length - 1] as AuditEventRecord).seq, fingerprint(scope, q));
  }
  return result;
}
