// The audit trail's hash chain, as a pure function: what each event's hash covers and how it is
// linked to its predecessor. Shared by the store (which writes the chain) and by
// `switchboard audit verify` (which recomputes it), so both use one definition.
import { hash } from "node:crypto";
import { canonicalJson } from "../common/canonical-json.js";
import type { AuditEventDraft } from "./records.js";

/** prev_hash of the first event (and the head of an empty chain). */
export const GENESIS_HASH = "0".repeat(64);

/**
 * What the hash covers: every stored field but the hashes themselves — the definition, kept as
 * the reference for chainHash (which builds the same bytes without walking the outer object).
 */
export function hashedContent(e: AuditEventDraft & { seq: number }): string {
  return canonicalJson({
    seq: e.seq,
    eventId: e.eventId,
    eventTime: e.eventTime,
    account: e.account,
    region: e.region,
    eventName: e.eventName,
    principalArn: e.principalArn ?? null,
    targetUserId: e.targetUserId ?? null,
    errorCode: e.errorCode ?? null,
    record: e.record,
  });
}

/** `"key":value,` as canonicalJson writes a member (nothing when the value is undefined). */
const member = (key: string, v: unknown): string => (v === undefined ? "" : `"${key}":${canonicalJson(v)},`);

/**
 * hashedContent's bytes, written directly: the outer members in canonicalJson's (sorted) order,
 * so only the record itself goes through the generic walk. On the audit hot path.
 */
function hashedContentFast(e: AuditEventDraft, seq: number): string {
  const body =
    member("account", e.account) +
    member("errorCode", e.errorCode ?? null) +
    member("eventId", e.eventId) +
    member("eventName", e.eventName) +
    member("eventTime", e.eventTime) +
    member("principalArn", e.principalArn ?? null) +
    member("record", e.record) +
    member("region", e.region) +
    member("seq", seq) +
    member("targetUserId", e.targetUserId ?? null);
  return `{${body.slice(0, -1)}}`;
}

/** SHA-256(prevHash + "\n" + canonical JSON of the event), hex. */
export function chainHash(prevHash: string, e: AuditEventDraft & { seq: number }): string {
  return chainHashAt(prevHash, e, e.seq);
}

/** chainHash of the draft as event number seq (no copy of the draft to add its seq). */
export function chainHashAt(prevHash: string, e: AuditEventDraft, seq: number): string {
  // One-shot hash of one string: the same bytes as update(prevHash), update("\n"), update(content).
  return hash("sha256", `${prevHash}\n${hashedContentFast(e, seq)}`, "hex");
}
