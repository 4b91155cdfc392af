// The audit trail's hash chain, as a pure function: what each event's hash covers and how it is
// linked to its predecessor. Shared by the store (which writes the chain) and by
// `switchboard audit verify` (which recomputes it), so both use one definition.
import { createHash } from "node:crypto";
import { canonicalJson } from "../common/canonical-json.js";
import type { AuditEventDraft } from "./records.js";

/** prev_hash of the first event (and the head of an empty chain). */
export const GENESIS_HASH = "0".repeat(64);

/** What the hash covers: every stored field but the hashes themselves. */
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

/** SHA-256(prevHash + "\n" + canonical JSON of the event), hex. */
export function chainHash(prevHash: string, e: AuditEventDraft & { seq: number }): string {
  return createHash("sha256").update(prevHash).update("\n").update(hashedContent(e)).digest("hex");
}
