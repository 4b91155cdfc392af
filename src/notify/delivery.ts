// Delivers the outbox over SMTP: a background worker that claims due messages with a lease (so
// two nodes never send the same message at once), sends them, and marks them sent — or records
// the failed attempt and retries with exponential backoff (1 s, 2 s, 4 s … at most 5 min), giving
// up after MAX_ATTEMPTS. Nothing here can crash the server: every failure is logged and retried.
// Logs name the message id and the error, never the recipient or the body (the body carries the
// revert link, a credential).
import nodemailer from "nodemailer";
import type { Clock } from "../common/clock.js";
import { ConfigError } from "../common/errors.js";
import type { Logger } from "../common/log.js";
import { maskValue } from "../common/mask.js";
import type { OutboxMessageRecord } from "../store/records.js";
import type { Store } from "../store/store.js";

export const MAX_ATTEMPTS = 10;
export const BACKOFF_BASE_MS = 1_000;
export const BACKOFF_CAP_MS = 5 * 60_000;

/** Delay before the next try after `failedAttempts` failures (1 → 1 s, 2 → 2 s, 3 → 4 s …, ≤ 5 min). */
export function retryDelayMs(failedAttempts: number): number {
  const exponent = Math.max(0, failedAttempts - 1);
  return Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(exponent, 30));
}

/** What a failed attempt leads to, given the attempts made before it. */
export function afterFailure(previousAttempts: number, now: number): { gaveUp: boolean; nextAttemptTime: number } {
  const failed = previousAttempts + 1;
  if (failed >= MAX_ATTEMPTS) return { gaveUp: true, nextAttemptTime: now };
  return { gaveUp: false, nextAttemptTime: now + retryDelayMs(failed) };
}

/** Error text fit for logs and the outbox: addresses masked, bounded length. */
export function scrubError(err: unknown): string {
  const e = err as { message?: unknown; code?: unknown; responseCode?: unknown } | undefined;
  let text = typeof e?.message === "string" ? e.message : String(err);
  if (typeof e?.code === "string" && !text.includes(e.code)) text = `${e.code}: ${text}`;
  text = text.replace(/[^\s<>"'(),;:[\]]+@[^\s<>"'(),;:[\]]+/g, (addr) => maskValue(addr));
  return text.length > 500 ? `${text.slice(0, 497)}...` : text;
}

export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  /** stable per outbox message, so a receiver can drop a duplicate after an at-least-once resend */
  messageId: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/**
 * A nodemailer SMTP transport from a URL (`smtp://user:pass@host:587`, `smtps://…`; nodemailer
 * reads options from the query, e.g. `?tls.rejectUnauthorized=false`). Timeouts stay well under
 * the claim lease, so a hung server cannot make a message outlive its lease mid-send.
 */
export function smtpMailer(url: string): Mailer {
  // (never echo the URL: it may hold a password)
  if (!/^smtps?:\/\//i.test(url)) throw new ConfigError("--smtp-url must be an smtp:// or smtps:// URL");
  const transport = nodemailer.createTransport(withTimeouts(url));
  return {
    async send(mail) {
      await transport.sendMail({
        from: mail.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        messageId: mail.messageId,
        headers: { "Auto-Submitted": "auto-generated" },
      });
    },
    close: () => transport.close(),
  };
}

const TIMEOUTS: ReadonlyArray<[string, number]> = [
  ["connectionTimeout", 10_000],
  ["greetingTimeout", 10_000],
  ["socketTimeout", 15_000],
];

/** The URL with timeout defaults in its query (nodemailer reads them there); the URL's own win. */
export function withTimeouts(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url; // nodemailer reports what is wrong with it
  }
  for (const [key, ms] of TIMEOUTS) if (!u.searchParams.has(key)) u.searchParams.set(key, String(ms));
  return u.toString();
}

export interface DeliveryOptions {
  store: Store;
  mailer: Mailer;
  /** sender address */
  from: string;
  clock: Clock;
  logger: Logger;
  /** how often to look for due messages (default 250 ms) */
  pollMs?: number;
  /** how long a claim keeps other nodes off a message (default 30 s) */
  leaseMs?: number;
  /** messages claimed per poll (default 10) */
  batch?: number;
}

export interface DeliveryWorker {
  /** Stops polling and waits for the sends in flight; closes the mailer. */
  stop(): Promise<void>;
  /** Runs one poll now (tests); resolves when its sends are recorded. */
  runOnce(): Promise<void>;
}

const domainOf = (address: string) => /@([^>\s]+)>?\s*$/.exec(address)?.[1] ?? "switchboard.invalid";

export function startDelivery(opts: DeliveryOptions): DeliveryWorker {
  const { store, mailer, clock, logger } = opts;
  const pollMs = opts.pollMs ?? 250;
  const leaseMs = opts.leaseMs ?? 30_000;
  const batch = opts.batch ?? 10;
  const idDomain = domainOf(opts.from);
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  /** the poll in progress, if any (polls never overlap) */
  let current: Promise<void> | undefined;

  async function deliver(m: OutboxMessageRecord): Promise<void> {
    try {
      await mailer.send({ from: opts.from, to: m.recipient, subject: m.subject, text: m.body, messageId: `<${m.id}@${idDomain}>` });
    } catch (err) {
      const error = scrubError(err);
      const { gaveUp, nextAttemptTime } = afterFailure(m.attempts, clock.now());
      logger.log(gaveUp ? "error" : "warn", gaveUp ? "outbox message undeliverable, giving up" : "outbox delivery failed, will retry", {
        messageId: m.id,
        kind: m.kind,
        attempt: m.attempts + 1,
        retryInMs: gaveUp ? undefined : nextAttemptTime - clock.now(),
        error,
      });
      await store.outbox.markAttemptFailed(m.id, error, nextAttemptTime, gaveUp);
      return;
    }
    // Sent. Should recording it fail, the lease runs out and the message goes again
    // (at least once; the stable Message-ID lets a receiver drop the duplicate).
    await store.outbox.markSent(m.id, clock.now());
    logger.log("info", "outbox message sent", { messageId: m.id, kind: m.kind, attempt: m.attempts + 1 });
  }

  async function poll(): Promise<void> {
    const due = await store.outbox.claimDue(clock.now(), leaseMs, batch);
    // In parallel: each send is bounded by the transport's timeouts, all within one lease.
    const results = await Promise.allSettled(due.map(deliver));
    for (const [i, r] of results.entries()) {
      if (r.status === "rejected") {
        logger.log("error", "outbox: could not record a delivery attempt", { messageId: due[i]?.id, error: scrubError(r.reason) });
      }
    }
  }

  function runOnce(): Promise<void> {
    current ??= poll()
      .catch((err: unknown) => logger.log("error", "outbox: poll failed", { error: scrubError(err) }))
      .finally(() => {
        current = undefined;
      });
    return current;
  }

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      runOnce().then(schedule, schedule);
    }, pollMs);
    timer.unref();
  }
  schedule();

  return {
    runOnce,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current;
      mailer.close();
    },
  };
}
