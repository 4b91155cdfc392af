// `switchboard audit verify`: walks the hash chain from the first event and reports the FIRST
// broken link — an edited event (its hash no longer matches its content), a missing one (a gap in
// seq), one out of place (its prev_hash does not name its predecessor), or newest events removed
// (the chain ends before the head).
//
// The head is read first and the walk stops there, so events appended while verifying (a running
// server) are neither a false alarm nor required: every event up to the head had committed, with
// the head, before the head was read.
import { GENESIS_HASH, storedHashRule } from "../store/audit-chain.js";
import type { AuditEventRecord } from "../store/records.js";
import type { Store } from "../store/store.js";

export type VerifyResult =
  | {
      ok: true;
      /** events checked (the head's seq) */
      events: number;
      /** the head's hash: record it elsewhere to detect a rewrite of the whole chain later */
      headHash: string;
    }
  | {
      ok: false;
      /** the first event whose link is broken */
      seq: number;
      reason: string;
    };

export interface VerifyOptions {
  /** events read per query (default 1000) */
  pageSize?: number;
}

export async function verifyChain(store: Store, opts: VerifyOptions = {}): Promise<VerifyResult> {
  const pageSize = opts.pageSize ?? 1000;
  const head = await store.audit.head();
  let previous: AuditEventRecord | undefined;
  let expectedPrevHash = GENESIS_HASH;
  let after = 0;
  while (after < head.seq) {
    const page = await store.audit.chain(after, Math.min(pageSize, head.seq - after));
    for (const e of page) {
      if (e.seq > head.seq) break;
      const expectedSeq = (previous?.seq ?? 0) + 1;
      if (e.seq < expectedSeq) {
        return { ok: false, seq: e.seq, reason: `event ${e.seq} is out of sequence: the chain starts at event 1` };
      }
      if (e.seq !== expectedSeq) {
        const missing = e.seq - expectedSeq === 1 ? `event ${expectedSeq} is missing` : `events ${expectedSeq} to ${e.seq - 1} are missing`;
        return { ok: false, seq: expectedSeq, reason: missing };
      }
      if (e.prevHash !== expectedPrevHash) {
        const reason = previous
          ? `event ${e.seq} does not follow event ${previous.seq} (reordered or replaced): its prev_hash is not event ${previous.seq}'s hash`
          : `event 1 does not start the chain (reordered or replaced): its prev_hash is not the genesis hash`;
        return { ok: false, seq: e.seq, reason };
      }
      // The current rule, or the original one for events written before it (audit-chain.ts).
      if (storedHashRule(e) === undefined) {
        return { ok: false, seq: e.seq, reason: `event ${e.seq} was edited: its hash does not match its content` };
      }
      previous = e;
      expectedPrevHash = e.hash;
    }
    if (page.length === 0 || (page[page.length - 1] as AuditEventRecord).seq >= head.seq) break;
    after = (page[page.length - 1] as AuditEventRecord).seq;
  }
  const last = previous?.seq ?? 0;
  if (last !== head.seq) {
    const ends = last === 0 ? "the chain is empty" : `the chain ends at event ${last}`;
    return { ok: false, seq: last + 1, reason: `${ends} but the head says ${head.seq} (the newest events were removed)` };
  }
  if (head.hash !== expectedPrevHash) {
    const what = last === 0 ? "the genesis hash" : `event ${last}'s hash`;
    return { ok: false, seq: last, reason: `the head's hash is not ${what} (the newest event was replaced, or the head was edited)` };
  }
  return { ok: true, events: head.seq, headHash: head.hash };
}
