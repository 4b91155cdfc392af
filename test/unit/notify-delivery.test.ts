// Outbox delivery: the backoff schedule, error scrubbing, and the worker against a real (in-memory
// SQLite) store with a scripted mailer and a clock the test moves.
import assert from "node:assert/strict";
import { Writable } from "node:stream";
import { after, before, describe, test } from "node:test";
import { openStore } from "../../src/app.js";
import { createLogger, type Logger } from "../../src/common/log.js";
import { loadConfig } from "../../src/config.js";
import {
  afterFailure,
  MAX_ATTEMPTS,
  type Mailer,
  type OutgoingMail,
  retryDelayMs,
  scrubError,
  startDelivery,
  withTimeouts,
} from "../../src/notify/delivery.js";
import type { OutboxMessageRecord } from "../../src/store/records.js";
import type { Store } from "../../src/store/store.js";

describe("backoff", () => {
  test("1 s, 2 s, 4 s … doubling, capped at 5 min", () => {
    assert.deepEqual(
      Array.from({ length: 12 }, (_, i) => retryDelayMs(i + 1)),
      [1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000, 300_000, 300_000],
    );
    assert.equal(retryDelayMs(1000), 300_000, "no overflow");
  });

  test("gives up on the 10th failed attempt", () => {
    assert.equal(MAX_ATTEMPTS, 10);
    assert.deepEqual(afterFailure(0, 5_000), { gaveUp: false, nextAttemptTime: 6_000 });
    assert.deepEqual(afterFailure(2, 5_000), { gaveUp: false, nextAttemptTime: 9_000 });
    assert.deepEqual(afterFailure(8, 0), { gaveUp: false, nextAttemptTime: 256_000 });
    assert.equal(afterFailure(9, 0).gaveUp, true);
  });
});

describe("scrubError", () => {
  test("masks addresses, keeps codes, bounds length", () => {
    const err = Object.assign(new Error("Can't send mail - all recipients were rejected: 550 5.1.1 <jane.doe@example.com>: no"), {
      code: "EENVELOPE",
    });
    const s = scrubError(err);
    assert.ok(!s.includes("jane.doe"), s);
    assert.match(s, /^EENVELOPE: .*<j\*\*\*@example\.com>/);
    assert.equal(scrubError(new Error("x".repeat(2000))).length, 500);
    assert.equal(scrubError("plain"), "plain");
  });

  test("timeouts are added to the SMTP URL unless it sets them", () => {
    const u = new URL(withTimeouts("smtp://user:p%40ss@mail.example.com:587/?socketTimeout=1"));
    assert.equal(u.searchParams.get("socketTimeout"), "1");
    assert.equal(u.searchParams.get("connectionTimeout"), "10000");
    assert.equal(u.password, "p%40ss");
  });
});

class ScriptedMailer implements Mailer {
  sent: OutgoingMail[] = [];
  attempts = 0;
  closed = false;
  constructor(
    private failFirst = 0,
    private delayMs = 0,
  ) {}
  async send(mail: OutgoingMail): Promise<void> {
    this.attempts++;
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    if (this.attempts <= this.failFirst) throw new Error(`451 4.3.0 try later for <${mail.to}>`);
    this.sent.push(mail);
  }
  close(): void {
    this.closed = true;
  }
}

const RECIPIENT = "old.owner@example.com";

function message(id: string, now: number): OutboxMessageRecord {
  return {
    id,
    createdTime: now,
    account: "000000000000",
    region: "us-east-1",
    kind: "email-changed",
    recipient: RECIPIENT,
    subject: "Your Amazon Connect e-mail address was changed",
    body: "secret body with https://x/_switchboard/revert/TOKEN",
    status: "pending",
    attempts: 0,
    nextAttemptTime: now,
  };
}

describe("delivery worker", () => {
  let store: Store;
  let logs = "";
  const logOut = new Writable({
    write(chunk, _enc, cb) {
      logs += chunk.toString();
      cb();
    },
  });
  // The real logger, flushed at once (it buffers a turn of the event loop) so assertions see every line.
  const buffered = createLogger("debug", logOut);
  const logger: Logger = {
    ...buffered,
    log: (level, msg, fields) => {
      buffered.log(level, msg, fields);
      buffered.flush?.();
    },
  };
  let t = 1_000_000;
  const clock = { now: () => t };
  const worker = (mailer: Mailer) =>
    startDelivery({ store, mailer, from: "Switchboard <noreply@sb.example.com>", clock, logger, pollMs: 1e9 });
  const byId = async (id: string) => (await store.outbox.list()).find((m) => m.id === id) as OutboxMessageRecord;

  before(async () => {
    store = await openStore(loadConfig(["--memory"], {}));
  });
  after(() => store.close());

  test("sends a due message once and marks it sent", async () => {
    await store.outbox.enqueue(message("m-ok", t));
    const mailer = new ScriptedMailer();
    const w = worker(mailer);
    await w.runOnce();
    await w.runOnce();
    await w.stop();
    assert.equal(mailer.closed, true);
    assert.equal(mailer.sent.length, 1);
    assert.deepEqual(mailer.sent[0], {
      from: "Switchboard <noreply@sb.example.com>",
      to: RECIPIENT,
      subject: "Your Amazon Connect e-mail address was changed",
      text: "secret body with https://x/_switchboard/revert/TOKEN",
      messageId: "<m-ok@sb.example.com>",
    });
    const m = await byId("m-ok");
    assert.equal(m.status, "sent");
    assert.equal(m.attempts, 1);
    assert.equal(m.sentTime, t);
  });

  test("failed attempts back off 1 s then 2 s; logs and errors never show the recipient or body", async () => {
    logs = "";
    await store.outbox.enqueue(message("m-retry", t));
    const mailer = new ScriptedMailer(2);
    const w = worker(mailer);
    await w.runOnce();
    let m = await byId("m-retry");
    assert.equal(m.status, "pending");
    assert.equal(m.attempts, 1);
    assert.equal(m.nextAttemptTime, t + 1_000);
    assert.ok(m.lastError?.includes("o***@example.com"), m.lastError);
    assert.ok(!m.lastError?.includes(RECIPIENT));

    t += 999;
    await w.runOnce();
    assert.equal(mailer.attempts, 1, "not due yet");
    t += 1;
    await w.runOnce();
    m = await byId("m-retry");
    assert.equal(m.attempts, 2);
    assert.equal(m.nextAttemptTime, t + 2_000);
    t += 2_000;
    await w.runOnce();
    await w.stop();
    m = await byId("m-retry");
    assert.equal(m.status, "sent");
    assert.equal(m.attempts, 3);
    assert.match(logs, /outbox delivery failed, will retry/);
    assert.match(logs, /"messageId":"m-retry"/);
    assert.ok(!logs.includes(RECIPIENT), "recipient in logs");
    assert.ok(!logs.includes("secret body") && !logs.includes("TOKEN"), "body in logs");
  });

  test(`after ${MAX_ATTEMPTS} failed attempts the message is failed and left alone`, async () => {
    await store.outbox.enqueue(message("m-dead", t));
    const mailer = new ScriptedMailer(Number.POSITIVE_INFINITY);
    const w = worker(mailer);
    for (let i = 0; i < 15; i++) {
      await w.runOnce();
      t += 10 * 60_000;
    }
    await w.stop();
    const m = await byId("m-dead");
    assert.equal(m.status, "failed");
    assert.equal(m.attempts, MAX_ATTEMPTS);
    assert.equal(mailer.attempts, MAX_ATTEMPTS);
    assert.match(logs, /giving up/);
  });

  test("two workers on one store never send the same message", async () => {
    for (let i = 0; i < 8; i++) await store.outbox.enqueue(message(`m-race-${i}`, t));
    const a = new ScriptedMailer(0, 20);
    const b = new ScriptedMailer(0, 20);
    const wa = worker(a);
    const wb = worker(b);
    await Promise.all([wa.runOnce(), wb.runOnce(), wa.runOnce(), wb.runOnce()]);
    await Promise.all([wa.stop(), wb.stop()]);
    const ids = [...a.sent, ...b.sent].map((m) => m.messageId).filter((id) => id.includes("m-race"));
    assert.equal(ids.length, 8);
    assert.equal(new Set(ids).size, 8);
  });

  test("a store failure is logged, not thrown; stop() waits for the send in flight", async () => {
    logs = "";
    const broken = {
      outbox: {
        claimDue: async () => {
          throw new Error("database is down");
        },
      },
    } as unknown as Store;
    const w1 = startDelivery({ store: broken, mailer: new ScriptedMailer(), from: "x@y.z", clock, logger, pollMs: 1e9 });
    await w1.runOnce();
    await w1.stop();
    assert.match(logs, /outbox: poll failed.*database is down/);

    await store.outbox.enqueue(message("m-slow", t));
    const slow = new ScriptedMailer(0, 100);
    const w2 = worker(slow);
    const running = w2.runOnce();
    await new Promise((r) => setTimeout(r, 20));
    await w2.stop();
    assert.equal(slow.sent.length, 1, "the send finished before stop() resolved");
    assert.equal((await byId("m-slow")).status, "sent");
    await running;
  });

  test("the timer polls by itself", async () => {
    await store.outbox.enqueue(message("m-timer", t));
    const mailer = new ScriptedMailer();
    const w = startDelivery({ store, mailer, from: "x@y.z", clock, logger, pollMs: 5 });
    const deadline = Date.now() + 5_000;
    while ((await byId("m-timer")).status !== "sent" && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await w.stop();
    assert.equal((await byId("m-timer")).status, "sent");
  });
});
