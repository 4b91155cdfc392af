// The audit trail's hash chain, as a pure function: what each event's hash covers and how it is
// linked to its predecessor. Shared by the store (which writes the chain) and by
// `switchboard audit verify` (which recomputes it), so both use one definition.
//
// Two rules, both over every stored field but the hashes themselves, as one JSON object whose
// members are in sorted order:
//  - the current one (events written since 2026-12-08): the record member is the record as
//    JSON.stringify writes it — the very text the store keeps, so a writer serializes the record
//    once, and the text's member order is covered too;
//  - the original one (older events, kept so that they still verify): the record member is the
//    record's canonical JSON (keys sorted at every level), which costs a second, slower
//    serialization of the record per event.
// An event is intact when its hash matches either rule (storedHashRule): each rule covers every
// field, so an edit that keeps the hash would need a SHA-256 second preimage under one of them.
import { hash } from "node:crypto";
import { canonicalJson } from "../common/canonical-json.js";
import type { AuditEventDraft } from "./records.js";

/** Which rule an event's hash follows: the current one, or the original (older events). */
export type ChainRule = "current" | "original";

/** prev_hash of the first event (and the head of an empty chain). */
export const GENESIS_HASH = "0".repeat(64);

type Outer = Omit<AuditEventDraft, "record"> & { seq: number };

/** The outer members (everything but the record), absent optional ones as null. */
function outerMembers(e: Outer): Record<string, unknown> {
  return {
    seq: e.seq,
    eventId: e.eventId,
    eventTime: e.eventTime,
    account: e.account,
    region: e.region,
    eventName: e.eventName,
    principalArn: e.principalArn ?? null,
    targetUserId: e.targetUserId ?? null,
    errorCode: e.errorCode ?? null,
  };
}

/**
 * What the hash covers (the current rule), as a reference for chainHash, which builds the same
 * bytes directly: the members in sorted order, the record as JSON.stringify writes it (the
 * stored text: JSON.stringify(JSON.parse(text)) gives the text back).
 */
export function hashedContent(e: AuditEventDraft & { seq: number }): string {
  const members: Record<string, unknown> = { ...outerMembers(e), record: e.record };
  const parts = Object.keys(members)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${k === "record" ? JSON.stringify(e.record) : canonicalJson(members[k])}`);
  return `{${parts.join(",")}}`;
}

/** What the original rule's hash covers: the whole event as canonical JSON. */
export function hashedContentV1(e: AuditEventDraft & { seq: number }): string {
  return canonicalJson({ ...outerMembers(e), record: e.record });
}

/** Whether JSON.stringify writes a character of s escaped: a quote, a backslash, a control character, a surrogate. */
function needsEscape(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return true;
  }
  return false;
}

/**
 * JSON.stringify(v) for a string, number or null (canonical JSON's too), without the call into
 * the serializer for the usual string that needs no escape (ids, names, ARNs) or a finite number.
 */
function json(v: string | number | null): string {
  if (typeof v === "string") return needsEscape(v) ? JSON.stringify(v) : `"${v}"`;
  return typeof v === "number" && Number.isFinite(v) ? `${v}` : JSON.stringify(v);
}

/** `"key":value,` for a string, number or null member. */
const member = (key: string, v: string | number | null): string => `"${key}":${json(v)},`;

/**
 * hashedContent's bytes, written directly: the outer members in sorted order around the
 * record's text. On the audit hot path.
 */
function hashedContentFast(e: AuditEventDraft, seq: number, recordText: string): string {
  return `{${member("account", e.account)}${member("errorCode", e.errorCode ?? null)}${member("eventId", e.eventId)}${member(
    "eventName",
    e.eventName,
  )}${member("eventTime", e.eventTime)}${member("principalArn", e.principalArn ?? null)}"record":${recordText},${member(
    "region",
    e.region,
  )}${member("seq", seq)}"targetUserId":${json(e.targetUserId ?? null)}}`;
}

/** SHA-256(prevHash + "\n" + hashedContent of the event), hex: the hash an event is written with. */
export function chainHash(prevHash: string, e: AuditEventDraft & { seq: number }): string {
  return chainHashAt(prevHash, e, e.seq, JSON.stringify(e.record));
}

/**
 * chainHash of the draft as event number seq, given its record's text as stored
 * (JSON.stringify(e.record)): the writer has serialized the record already, and no copy of the
 * draft is made to add its seq.
 */
export function chainHashAt(prevHash: string, e: AuditEventDraft, seq: number, recordText: string, rule: ChainRule = "current"): string {
  if (rule === "original") return chainHashV1(prevHash, { ...e, seq });
  // One-shot hash of one string: the same bytes as update(prevHash), update("\n"), update(content).
  return hash("sha256", `${prevHash}\n${hashedContentFast(e, seq, recordText)}`, "hex");
}

/** The original rule's hash: SHA-256(prevHash + "\n" + canonical JSON of the event). */
export function chainHashV1(prevHash: string, e: AuditEventDraft & { seq: number }): string {
  return hash("sha256", `${prevHash}\n${hashedContentV1(e)}`, "hex");
}

/** The rule whose hash the stored event carries, the current one first; undefined: neither (edited). */
export function storedHashRule(e: AuditEventDraft & { seq: number; prevHash: string; hash: string }): ChainRule | undefined {
  if (chainHash(e.prevHash, e) === e.hash) return "current";
  return chainHashV1(e.prevHash, e) === e.hash ? "original" : undefined;
}
