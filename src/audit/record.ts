// Builds the audit trail's events in CloudTrail's record format
// (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html).
// Sensitive request members (smithy.api#sensitive: names, e-mails, passwords) are replaced by
// CloudTrail's own placeholder; operations add masked detail (AuditNotes) where it helps.
import { randomUUID } from "node:crypto";
import type { Caller } from "../common/caller.js";
import { HIDDEN, PERSONAL_DATA_SHAPES } from "../common/mask.js";
import type { Member, Shape } from "../model/types.js";
import type { AuditEventDraft } from "../store/records.js";
import { cutUtf8, STORED_TEXT_BYTES, storedErrorMessage } from "./scrub.js";

type Shapes = Readonly<Record<string, Shape>>;

/**
 * What an operation tells the audit trail about a change, beyond what the invoke step records
 * itself (who, when, what was asked). Written in the same transaction as the change.
 */
export interface AuditNotes {
  /** the Connect user the call changed, for filtering (`audit list --user-id`) */
  targetUserId?: string;
  /** e.g. which identity members changed, with masked old and new values */
  additionalEventData?: Record<string, unknown>;
  /** non-sensitive output worth keeping (e.g. the id of what was created) */
  responseElements?: Record<string, unknown>;
  /** the request as the record shows it, when the operation knows it better than its input (a revert link) */
  requestParameters?: Record<string, unknown>;
}

function masked(shapes: Shapes, target: string, value: unknown, depth: number): unknown {
  const shape = shapes[target];
  if (!shape || depth > 20) return value;
  if (("sensitive" in shape && shape.sensitive) || PERSONAL_DATA_SHAPES.has(target)) return HIDDEN;
  if (shape.t === "structure" || shape.t === "union") {
    if (typeof value !== "object" || value === null) return value;
    return maskedMembers(shapes, shape.members, value as Record<string, unknown>, depth + 1);
  }
  if (shape.t === "list" && Array.isArray(value)) return value.map((v) => masked(shapes, shape.member, v, depth + 1));
  if (shape.t === "map" && typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, masked(shapes, shape.value, v, depth + 1)]));
  }
  return value;
}

/** A structure's members as the record names them (lowerCamel), worked out once per shape. */
const recordNames = new WeakMap<Readonly<Record<string, Member>>, readonly (readonly [string, string, string])[]>();

function recordMembers(members: Readonly<Record<string, Member>>): readonly (readonly [string, string, string])[] {
  let list = recordNames.get(members);
  if (list === undefined) {
    list = Object.entries(members).map(([name, m]) => [name, name.charAt(0).toLowerCase() + name.slice(1), m.target] as const);
    recordNames.set(members, list);
  }
  return list;
}

function maskedMembers(shapes: Shapes, members: Readonly<Record<string, Member>>, obj: Record<string, unknown>, depth: number) {
  const out: Record<string, unknown> = {};
  for (const [name, recordName, target] of recordMembers(members)) {
    const v = obj[name];
    if (v !== undefined) out[recordName] = masked(shapes, target, v, depth);
  }
  return out;
}

/** The request's members as CloudTrail shows them (lowerCamel names), sensitive ones hidden. */
export function modelRequestParameters(
  shapes: Shapes,
  inputShape: string | undefined,
  input: Record<string, unknown>,
): Record<string, unknown> | null {
  const shape = inputShape ? shapes[inputShape] : undefined;
  if (shape?.t !== "structure") return null;
  return maskedMembers(shapes, shape.members, input, 0);
}

const CREDENTIAL = /Credential=([^/,\s]+)\/\d{8}\/([^/,\s]+)\//;

/** Access key and region a request claims, read without verifying anything (for failed-auth events). */
export function claimedCredential(authorization: string | undefined, query: string): { accessKeyId?: string; region?: string } {
  const fromHeader = authorization ? CREDENTIAL.exec(authorization) : null;
  if (fromHeader) return { accessKeyId: fromHeader[1], region: fromHeader[2] };
  const q = /(?:^|&)X-Amz-Credential=([^&]+)/.exec(query);
  if (q?.[1]) {
    try {
      const m = /^([^/]+)\/\d{8}\/([^/]+)\//.exec(decodeURIComponent(q[1]));
      if (m) return { accessKeyId: m[1], region: m[2] };
    } catch {
      // not decodable: nothing claimed
    }
  }
  return {};
}

export interface AuditFacts {
  operation: string;
  /** e.g. connect.amazonaws.com */
  eventSource: string;
  /** the call changes nothing (CloudTrail's readOnly) */
  readOnly: boolean;
  eventTime: number;
  requestId: string;
  account: string;
  region: string;
  sourceIp: string;
  userAgent?: string;
  /** the authenticated caller, or what the request claimed when authentication failed */
  caller?: Caller;
  claimedAccessKeyId?: string;
  requestParameters: Record<string, unknown> | null;
  errorCode?: string;
  errorMessage?: string;
  notes?: AuditNotes;
}

function userIdentity(f: AuditFacts): Record<string, unknown> {
  const c = f.caller;
  if (!c) {
    const claimed = f.claimedAccessKeyId;
    return { type: "Unknown", accessKeyId: claimed === undefined ? undefined : cutUtf8(claimed, STORED_TEXT_BYTES.accessKeyId) };
  }
  // Whoever holds a revert link: named by the token's hash, never the token.
  if (c.kind === "revert-link") return { type: "SwitchboardRevertLink", principalId: c.principalId, accountId: c.account };
  if (c.kind === "root")
    return { type: "Root", principalId: c.account, arn: c.principalArn, accountId: c.account, accessKeyId: c.accessKeyId };
  return {
    type: "IAMUser",
    principalId: c.userName,
    arn: c.principalArn,
    accountId: c.account,
    accessKeyId: c.accessKeyId,
    userName: c.userName,
  };
}

/**
 * A version 7 UUID (RFC 9562): the event time's milliseconds first, then random bits. An
 * event's id goes into the audit table's unique index; ids that grow with time land on the
 * index's last page instead of a random one, which keeps a commit to a few written pages.
 */
export function timeOrderedEventId(ms: number): string {
  const random = randomUUID(); // xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx, V = 8…b
  const t = Math.max(0, Math.min(Math.floor(ms), 0xffffffffffff))
    .toString(16)
    .padStart(12, "0");
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${random.slice(15)}`;
}

/** The last second formatted (events come many per second): its epoch second and its text. */
let lastSecond = Number.NaN;
let lastSecondText = "";

/** CloudTrail's eventTime: ISO 8601 in whole seconds, `2026-12-02T14:38:56Z`. */
export function eventTimeText(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== lastSecond) {
    lastSecondText = new Date(second * 1000).toISOString().replace(/\.\d{3}Z$/, "Z");
    lastSecond = second;
  }
  return lastSecondText;
}

export function buildAuditEvent(f: AuditFacts): AuditEventDraft {
  const eventId = timeOrderedEventId(f.eventTime);
  const record: Record<string, unknown> = {
    eventVersion: "1.09",
    userIdentity: userIdentity(f),
    eventTime: eventTimeText(f.eventTime),
    eventSource: f.eventSource,
    eventName: f.operation,
    awsRegion: cutUtf8(f.region, STORED_TEXT_BYTES.region),
    sourceIPAddress: f.sourceIp,
    userAgent: cutUtf8(f.userAgent ?? "", STORED_TEXT_BYTES.userAgent),
    requestParameters: f.notes?.requestParameters ?? f.requestParameters,
    responseElements: f.notes?.responseElements ?? null,
    requestID: f.requestId,
    eventID: eventId,
    readOnly: f.readOnly,
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: f.account,
    eventCategory: "Management",
  };
  if (f.errorCode !== undefined) {
    record.errorCode = f.errorCode;
    // An unauthenticated caller's message (a failed authentication) is held to the tighter bound.
    const max = f.caller ? STORED_TEXT_BYTES.errorMessage : STORED_TEXT_BYTES.unauthenticatedErrorMessage;
    record.errorMessage = storedErrorMessage(f.errorMessage ?? "", max);
  }
  if (f.notes?.additionalEventData) record.additionalEventData = f.notes.additionalEventData;
  const draft: AuditEventDraft = {
    eventId,
    eventTime: f.eventTime,
    account: f.account,
    region: cutUtf8(f.region, STORED_TEXT_BYTES.region),
    eventName: f.operation,
    record,
  };
  if (f.caller && f.caller.kind !== "revert-link") draft.principalArn = f.caller.principalArn;
  if (f.notes?.targetUserId) draft.targetUserId = f.notes.targetUserId;
  if (f.errorCode !== undefined) draft.errorCode = f.errorCode;
  return draft;
}

/** What the audit trail needs to know of the HTTP request itself. */
export interface AuditedRequest {
  sourceIp: string;
  userAgent?: string;
  /** the Authorization header, read only for the access key a failed authentication claimed */
  authorization?: string;
  /** the raw query string (presigned credentials live there) */
  rawQuery: string;
}

/**
 * The facts of one request for its audit event: who (the authenticated caller, or — when
 * authentication failed — the access key and region the request claimed), from where, when.
 */
export function requestAuditFacts(
  req: AuditedRequest,
  f: {
    operation: string;
    eventSource: string;
    readOnly: boolean;
    requestId: string;
    now: number;
    defaultAccount: string;
    caller: Caller | undefined;
    scope: { account: string; region: string } | undefined;
    requestParameters: Record<string, unknown> | null;
    error?: { code: string; message: string };
    notes?: AuditNotes;
  },
): AuditFacts {
  const claimed = f.caller ? {} : claimedCredential(req.authorization, req.rawQuery);
  const facts: AuditFacts = {
    operation: f.operation,
    eventSource: f.eventSource,
    readOnly: f.readOnly,
    eventTime: f.now,
    requestId: f.requestId,
    account: f.scope?.account ?? f.defaultAccount,
    region: f.scope?.region ?? claimed.region ?? "us-east-1",
    sourceIp: req.sourceIp,
    userAgent: req.userAgent,
    caller: f.caller,
    claimedAccessKeyId: claimed.accessKeyId,
    requestParameters: f.requestParameters,
  };
  if (f.notes) facts.notes = f.notes;
  if (f.error) {
    facts.errorCode = f.error.code;
    facts.errorMessage = f.error.message;
  }
  return facts;
}
