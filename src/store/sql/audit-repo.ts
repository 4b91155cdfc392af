// The audit trail: an append-only hash chain. Each event stores the previous event's hash and
// SHA-256(prevHash + "\n" + the event's members, its record as stored) (audit-chain.ts), so
// editing, removing or reordering rows breaks a link that `switchboard audit verify` finds.
import { type ChainRule, chainHash, chainHashAt } from "../audit-chain.js";
import type { AuditEventDraft, AuditEventRecord } from "../records.js";
import type { AuditFilter, AuditRepo } from "../store.js";
import type { SqlExecutor, SqlValue, TransactionHook } from "./driver.js";
import { num, orNull } from "./values.js";

// The hash itself is defined once, beside the store interface, for the writer and the verifier.
export { chainHash, hashedContent } from "../audit-chain.js";

interface AuditRow {
  seq: number | string;
  event_id: string;
  event_time: number | string;
  account: string;
  region: string;
  event_name: string;
  principal_arn: string | null;
  target_user_id: string | null;
  error_code: string | null;
  record: string;
  prev_hash: string;
  hash: string;
}

const COLUMNS =
  "seq, event_id, event_time, account, region, event_name, principal_arn, target_user_id, error_code, record, prev_hash, hash";

/** audit_pending's columns, in draftValues' order (also written by PostgreSQL's UpdateUserIdentityInfo at once). */
export const PENDING_COLUMNS = "event_id, event_time, account, region, event_name, principal_arn, target_user_id, error_code, record";

type PendingRow = Omit<AuditRow, "seq" | "prev_hash" | "hash">;

export function draftValues(e: AuditEventDraft, recordText: string): SqlValue[] {
  return [
    e.eventId,
    e.eventTime,
    e.account,
    e.region,
    e.eventName,
    orNull(e.principalArn),
    orNull(e.targetUserId),
    orNull(e.errorCode),
    recordText,
  ];
}

/** An audit_events row (COLUMNS order): the draft's columns between its seq and its chain links. */
export function eventValues(e: AuditEventDraft, seq: number, recordText: string, prevHash: string, hash: string): SqlValue[] {
  return [seq, ...draftValues(e, recordText), prevHash, hash];
}

function draftFromPending(r: PendingRow): AuditEventDraft {
  const e: AuditEventDraft = {
    eventId: r.event_id,
    eventTime: num(r.event_time),
    account: r.account,
    region: r.region,
    eventName: r.event_name,
    record: JSON.parse(r.record) as Record<string, unknown>,
  };
  if (r.principal_arn !== null) e.principalArn = r.principal_arn;
  if (r.target_user_id !== null) e.targetUserId = r.target_user_id;
  if (r.error_code !== null) e.errorCode = r.error_code;
  return e;
}

/** A chained row: its event plus its place in the chain. */
function fromRow(r: AuditRow): AuditEventRecord {
  return { ...draftFromPending(r), seq: num(r.seq), prevHash: r.prev_hash, hash: r.hash };
}

/** Events linked per linkPending transaction. */
const LINK_BATCH = 500;

/** Where the chain ends: the last event's seq and hash. */
interface ChainHead {
  seq: number;
  hash: string;
}

/** The chain head's row: written once per transaction, read at its first append. */
export const SET_HEAD = "UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1";
export const GET_HEAD = "SELECT seq, hash FROM audit_head WHERE id = 1";

/**
 * The chain's head during a SQLite group transaction. The transaction holds the database's
 * write lock from BEGIN IMMEDIATE to COMMIT, so the row read at its first append stays the head
 * until then (no other connection can append); its appends move the head in memory only, and the
 * row is written once, right before the COMMIT (flush) — not once per event. The driver keeps it
 * in step (TransactionHook): a member's rolled-back savepoint puts back the head it started
 * with, and the end of the transaction forgets it, so the next transaction reads the row again
 * (another process may have appended in between). One per driver, shared by its stores.
 */
export class SqliteChainHead implements TransactionHook {
  /** the row as this transaction read it (undefined: not read, or written by clear()) */
  private stored: ChainHead | undefined;
  /** the head with this transaction's appends (undefined: not read yet) */
  private head: ChainHead | undefined;

  /** The head, read from the row at the transaction's first append. */
  async current(q: SqlExecutor): Promise<ChainHead> {
    if (this.head !== undefined) return this.head;
    const row = await q.get<{ seq: number | string; hash: string }>(GET_HEAD);
    if (!row) throw new Error("audit_head row is missing");
    this.head = this.stored = { seq: num(row.seq), hash: row.hash };
    return this.head;
  }

  /** an event was appended (its row is written): it is the head now */
  moved(head: ChainHead): void {
    this.head = head;
  }

  /** the row was written directly (clear()): read it again */
  forget(): void {
    this.head = this.stored = undefined;
  }

  mark(): unknown {
    return this.head;
  }

  rollBack(mark: unknown): void {
    this.head = mark as ChainHead | undefined;
    if (this.head === undefined) this.stored = undefined;
  }

  async flush(q: SqlExecutor): Promise<void> {
    const head = this.head;
    if (head === undefined || head === this.stored) return;
    if ((await q.run(SET_HEAD, [head.seq, head.hash])) !== 1) throw new Error("audit_head row is missing");
  }

  ended(): void {
    this.head = this.stored = undefined;
  }
}

/** Where an appended event went in the chain. */
interface ChainLink {
  seq: number;
  prevHash: string;
  hash: string;
}

export const INSERT_EVENT = `INSERT INTO audit_events (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

export class SqlAudit implements AuditRepo {
  constructor(
    private readonly db: SqlExecutor & { tx<T>(fn: (q: SqlExecutor) => Promise<T>): Promise<T> },
    private readonly dialect: "sqlite" | "postgres",
    /** SQLite: the head of the open group transaction (required there) */
    private readonly chainHead: SqliteChainHead | undefined,
    /** db is a transaction's session: append runs its statements in it directly */
    private readonly inTransaction = false,
  ) {}

  async record(event: AuditEventDraft): Promise<void> {
    if (this.dialect === "sqlite") {
      // One writer at a time anyway: linking at once costs nothing in waiting.
      if (this.inTransaction) await this.appendSqlite(this.db, event);
      else await this.append(event);
      return;
    }
    const sql = `INSERT INTO audit_pending (${PENDING_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`;
    const values = draftValues(event, JSON.stringify(event.record));
    // In a transaction: pipelined with its COMMIT (one round trip for both); its failure fails the commit.
    if (this.inTransaction && this.db.queue) this.db.queue(sql, values);
    else await this.db.run(sql, values);
  }

  async linkPending(limit = LINK_BATCH): Promise<number> {
    if (this.dialect === "sqlite") return 0;
    // Cheap look first: most calls (the background linker's) find nothing to do.
    if (!(await this.db.get("SELECT 1 AS one FROM audit_pending LIMIT 1"))) return 0;
    return this.db.tx(async (q) => {
      // The head's row lock serialises linkers (and inline appends) across nodes.
      const head = await q.get<{ seq: number | string; hash: string }>("UPDATE audit_head SET seq = seq WHERE id = 1 RETURNING seq, hash");
      if (!head) throw new Error("audit_head row is missing");
      const rows = await q.all<PendingRow>(`SELECT ${PENDING_COLUMNS} FROM audit_pending ORDER BY event_time, event_id LIMIT ?`, [limit]);
      if (rows.length === 0) return 0;
      // The hashes are computed here, one after the other (each covers its predecessor); the
      // rows move in sets: one statement takes the whole batch out of audit_pending and into
      // audit_events (the record text copied as stored, never re-serialized), one moves the head.
      let seq = num(head.seq);
      let prev = head.hash;
      const links: { event_id: string; seq: number; prev_hash: string; hash: string }[] = [];
      for (const r of rows) {
        seq += 1;
        const hash = chainHash(prev, { ...draftFromPending(r), seq });
        links.push({ event_id: r.event_id, seq, prev_hash: prev, hash });
        prev = hash;
      }
      const moved = await q.run(
        `WITH link AS (
           SELECT * FROM json_to_recordset(?::json) AS l(event_id text, seq bigint, prev_hash text, hash text)
         ), taken AS (
           DELETE FROM audit_pending p USING link WHERE p.event_id = link.event_id
           RETURNING link.seq, p.event_id, p.event_time, p.account, p.region, p.event_name, p.principal_arn,
             p.target_user_id, p.error_code, p.record, link.prev_hash, link.hash
         )
         INSERT INTO audit_events (${COLUMNS}) SELECT ${COLUMNS} FROM taken`,
        [JSON.stringify(links)],
      );
      // Only linkers (holding the head's lock) delete pending rows: every one read is still there.
      if (moved !== rows.length) throw new Error(`audit link: moved ${moved} of ${rows.length} pending events`);
      await q.run(SET_HEAD, [seq, prev]);
      return rows.length;
    });
  }

  /** Readers see every recorded event: link what is queued first (PostgreSQL). */
  private async linkAll(): Promise<void> {
    if (this.dialect === "sqlite") return;
    while ((await this.linkPending()) === LINK_BATCH) {
      // keep linking until the queue is drained
    }
  }

  append(event: AuditEventDraft, rule: ChainRule = "current"): Promise<AuditEventRecord> {
    if (this.dialect === "sqlite") {
      const linked = (link: ChainLink): AuditEventRecord => ({ ...event, seq: link.seq, prevHash: link.prevHash, hash: link.hash });
      if (this.inTransaction) return this.appendSqlite(this.db, event, rule).then(linked);
      return this.db.tx((q) => this.appendSqlite(q, event, rule)).then(linked);
    }
    return this.db.tx(async (q) => {
      // Taking the head first serialises appenders: the row lock (PostgreSQL) or the write lock
      // (SQLite) is held until commit, so two appenders can never link to the same predecessor.
      const head = await q.get<{ seq: number | string; hash: string }>(
        "UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash",
      );
      if (!head) throw new Error("audit_head row is missing");
      const seq = num(head.seq);
      const recordText = JSON.stringify(event.record);
      const hash = chainHashAt(head.hash, event, seq, recordText, rule);
      await q.run(INSERT_EVENT, eventValues(event, seq, recordText, head.hash, hash));
      await q.run("UPDATE audit_head SET hash = ? WHERE id = 1", [hash]);
      return { ...event, seq, prevHash: head.hash, hash };
    });
  }

  /**
   * SQLite (one writer: the write lock is held from BEGIN IMMEDIATE to COMMIT): one statement,
   * the event's INSERT; the head moves in memory, and its row is written at the COMMIT
   * (SqliteChainHead). Should the INSERT fail, the head has not moved, so a caller that catches
   * the error and commits anyway still commits a consistent chain.
   */
  private async appendSqlite(q: SqlExecutor, event: AuditEventDraft, rule: ChainRule = "current"): Promise<ChainLink> {
    const chainHead = this.chainHead;
    if (chainHead === undefined) throw new Error("a SQLite audit trail needs the transaction's chain head");
    // Serialized once: the stored text is what the hash covers (audit-chain.ts).
    const recordText = JSON.stringify(event.record);
    const head = await chainHead.current(q);
    const seq = head.seq + 1;
    const hash = chainHashAt(head.hash, event, seq, recordText, rule);
    await q.run(INSERT_EVENT, [
      seq,
      event.eventId,
      event.eventTime,
      event.account,
      event.region,
      event.eventName,
      orNull(event.principalArn),
      orNull(event.targetUserId),
      orNull(event.errorCode),
      recordText,
      head.hash,
      hash,
    ]);
    chainHead.moved({ seq, hash });
    return { seq, prevHash: head.hash, hash };
  }

  async list(f: AuditFilter): Promise<AuditEventRecord[]> {
    await this.linkAll();
    const where: string[] = [];
    const params: SqlValue[] = [];
    const add = (clause: string, v: SqlValue | undefined) => {
      if (v === undefined) return;
      where.push(clause);
      params.push(v);
    };
    add("event_time >= ?", f.since);
    add("event_time < ?", f.until);
    add("event_name = ?", f.eventName);
    add("principal_arn = ?", f.principalArn);
    add("target_user_id = ?", f.targetUserId);
    add("account = ?", f.account);
    add("region = ?", f.region);
    add("seq > ?", f.afterSeq);
    add("seq < ?", f.beforeSeq);
    params.push(f.limit);
    const rows = await this.db.all<AuditRow>(
      `SELECT ${COLUMNS} FROM audit_events ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY seq ${f.order === "asc" ? "ASC" : "DESC"} LIMIT ?`,
      params,
    );
    return rows.map(fromRow);
  }

  async chain(afterSeq: number, limit: number): Promise<AuditEventRecord[]> {
    await this.linkAll();
    const rows = await this.db.all<AuditRow>(`SELECT ${COLUMNS} FROM audit_events WHERE seq > ? ORDER BY seq LIMIT ?`, [afterSeq, limit]);
    return rows.map(fromRow);
  }

  async head(): Promise<{ seq: number; hash: string }> {
    // Inside a SQLite transaction the row is written only at its COMMIT: the head is in memory.
    if (this.inTransaction && this.chainHead !== undefined) {
      const { seq, hash } = await this.chainHead.current(this.db);
      return { seq, hash };
    }
    await this.linkAll();
    const row = await this.db.get<{ seq: number | string; hash: string }>(GET_HEAD);
    if (!row) throw new Error("audit_head row is missing");
    return { seq: num(row.seq), hash: row.hash };
  }
}
