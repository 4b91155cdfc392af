// Outbox (messages written in the same transaction as the change they announce, delivered later)
// and the single-use revert tokens those messages carry.

import type { Scope } from "../../common/arn.js";
import type { IdentityInfo, OutboxMessageRecord, RevertTokenRecord } from "../records.js";
import type { OutboxRepo } from "../store.js";
import type { SqlExecutor } from "./driver.js";
import { num, orNull } from "./values.js";

/** `previous` once the identity is no longer needed: the row keeps only what the audit needs (ids, times). */
const FORGOTTEN = "{}";

type Session = SqlExecutor & { tx<T>(fn: (q: SqlExecutor) => Promise<T>): Promise<T> };

interface OutboxRow {
  id: string;
  created_time: number | string;
  account: string;
  region: string;
  kind: string;
  recipient: string;
  subject: string;
  body: string;
  status: string;
  attempts: number | string;
  next_attempt_time: number | string;
  last_error: string | null;
  sent_time: number | string | null;
}

const COLUMNS =
  "id, created_time, account, region, kind, recipient, subject, body, status, attempts, next_attempt_time, last_error, sent_time";

function fromRow(r: OutboxRow): OutboxMessageRecord {
  const m: OutboxMessageRecord = {
    id: r.id,
    createdTime: num(r.created_time),
    account: r.account,
    region: r.region,
    kind: r.kind,
    recipient: r.recipient,
    subject: r.subject,
    body: r.body,
    status: r.status as OutboxMessageRecord["status"],
    attempts: num(r.attempts),
    nextAttemptTime: num(r.next_attempt_time),
  };
  if (r.last_error !== null) m.lastError = r.last_error;
  if (r.sent_time !== null) m.sentTime = num(r.sent_time);
  return m;
}

interface TokenRow {
  token_hash: string;
  account: string;
  region: string;
  instance_id: string;
  user_id: string;
  previous: string;
  created_time: number | string;
  expires_time: number | string;
  used_time: number | string | null;
}

export class SqlOutbox implements OutboxRepo {
  constructor(private readonly db: Session) {}

  async enqueue(m: OutboxMessageRecord): Promise<void> {
    await this.db.run(`INSERT INTO outbox (${COLUMNS}, claimed_until) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)`, [
      m.id,
      m.createdTime,
      m.account,
      m.region,
      m.kind,
      m.recipient,
      m.subject,
      m.body,
      m.status,
      m.attempts,
      m.nextAttemptTime,
      orNull(m.lastError),
      m.sentTime ?? null,
    ]);
  }

  claimDue(now: number, leaseMs: number, limit: number): Promise<OutboxMessageRecord[]> {
    return this.db.tx(async (q) => {
      const due = await q.all<OutboxRow>(
        `SELECT ${COLUMNS} FROM outbox WHERE status = 'pending' AND next_attempt_time <= ? AND claimed_until <= ? ORDER BY next_attempt_time LIMIT ?`,
        [now, now, limit],
      );
      const claimed: OutboxMessageRecord[] = [];
      for (const r of due) {
        // The guard repeats the WHERE: a node that raced us to the row claims it, we do not.
        const n = await q.run("UPDATE outbox SET claimed_until = ? WHERE id = ? AND status = 'pending' AND claimed_until <= ?", [
          now + leaseMs,
          r.id,
          now,
        ]);
        if (n > 0) claimed.push(fromRow(r));
      }
      return claimed;
    });
  }

  async markSent(id: string, now: number): Promise<void> {
    await this.db.run("UPDATE outbox SET status = 'sent', sent_time = ?, attempts = attempts + 1, claimed_until = 0 WHERE id = ?", [
      now,
      id,
    ]);
  }

  async markAttemptFailed(id: string, error: string, nextAttemptTime: number, gaveUp: boolean): Promise<void> {
    await this.db.run(
      "UPDATE outbox SET status = ?, attempts = attempts + 1, last_error = ?, next_attempt_time = ?, claimed_until = 0 WHERE id = ?",
      [gaveUp ? "failed" : "pending", error, nextAttemptTime, id],
    );
  }

  async list(status?: OutboxMessageRecord["status"]): Promise<OutboxMessageRecord[]> {
    const rows =
      status === undefined
        ? await this.db.all<OutboxRow>(`SELECT ${COLUMNS} FROM outbox ORDER BY created_time, id`)
        : await this.db.all<OutboxRow>(`SELECT ${COLUMNS} FROM outbox WHERE status = ? ORDER BY created_time, id`, [status]);
    return rows.map(fromRow);
  }

  async putRevertToken(t: RevertTokenRecord): Promise<void> {
    await this.db.run(
      "INSERT INTO revert_tokens (token_hash, account, region, instance_id, user_id, previous, created_time, expires_time, used_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
      [
        t.tokenHash,
        t.account,
        t.region,
        t.instanceId,
        t.userId,
        JSON.stringify(t.previous),
        t.createdTime,
        t.expiresTime,
        t.usedTime ?? null,
      ],
    );
  }

  async getRevertToken(tokenHash: string): Promise<RevertTokenRecord | undefined> {
    const r = await this.db.get<TokenRow>(
      "SELECT token_hash, account, region, instance_id, user_id, previous, created_time, expires_time, used_time FROM revert_tokens WHERE token_hash = ?",
      [tokenHash],
    );
    if (!r) return undefined;
    const t: RevertTokenRecord = {
      tokenHash: r.token_hash,
      account: r.account,
      region: r.region,
      instanceId: r.instance_id,
      userId: r.user_id,
      previous: JSON.parse(r.previous) as IdentityInfo,
      createdTime: num(r.created_time),
      expiresTime: num(r.expires_time),
    };
    if (r.used_time !== null) t.usedTime = num(r.used_time);
    return t;
  }

  async useRevertToken(tokenHash: string, now: number): Promise<boolean> {
    return (
      (await this.db.run(`UPDATE revert_tokens SET used_time = ?, previous = '${FORGOTTEN}' WHERE token_hash = ? AND used_time IS NULL`, [
        now,
        tokenHash,
      ])) > 0
    );
  }

  forgetRevertTokens(scope: Scope, instanceId: string, userId?: string): Promise<number> {
    const where = "account = ? AND region = ? AND instance_id = ?";
    return userId === undefined
      ? this.db.run(`UPDATE revert_tokens SET previous = '${FORGOTTEN}' WHERE ${where} AND previous <> '${FORGOTTEN}'`, [
          scope.account,
          scope.region,
          instanceId,
        ])
      : this.db.run(`UPDATE revert_tokens SET previous = '${FORGOTTEN}' WHERE ${where} AND user_id = ? AND previous <> '${FORGOTTEN}'`, [
          scope.account,
          scope.region,
          instanceId,
          userId,
        ]);
  }

  purgeExpiredRevertTokens(now: number): Promise<number> {
    return this.db.run(`UPDATE revert_tokens SET previous = '${FORGOTTEN}' WHERE expires_time <= ? AND previous <> '${FORGOTTEN}'`, [now]);
  }
}
