// Old-address alert and revert, end to end: the real SDK changes a user's e-mail, Switchboard
// delivers the alert over SMTP to a real SMTP server started here (the `smtp-server` package),
// and the link in the message restores the previous identity info — once.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  ConnectClient,
  DeleteUserCommand,
  DescribeUserCommand,
  UpdateUserIdentityInfoCommand,
  type UserIdentityInfo,
} from "@aws-sdk/client-connect";
import { SMTPServer, type SMTPServerError } from "smtp-server";
import { type RunningServer, startServer } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import type { OutboxMessageRecord } from "../../src/store/records.js";
import { createInstance, createUser, type InstanceFixture } from "../helpers/fixtures.js";
import { runCli, spawnServer } from "../helpers/process.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

// ---- a real SMTP server -------------------------------------------------------------------------

interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  /** the decoded text body */
  text: string;
  raw: string;
}

interface TestSmtp {
  url: string;
  received: ReceivedMail[];
  /** DATA commands seen, including refused ones */
  deliveries: number;
  close(): Promise<void>;
}

/** Decodes the single-part text message nodemailer writes (7bit, quoted-printable or base64). */
function parseMail(raw: string, from: string, to: string[]): ReceivedMail {
  const split = raw.indexOf("\r\n\r\n");
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, " ");
  const body = raw.slice(split + 4);
  const header = (name: string) => new RegExp(`^${name}:[ \\t]*(.*)$`, "im").exec(head)?.[1]?.trim() ?? "";
  const encoding = header("Content-Transfer-Encoding").toLowerCase();
  let text = body;
  if (encoding === "quoted-printable") {
    const bytes = body.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(Number.parseInt(h, 16)));
    text = Buffer.from(bytes, "latin1").toString("utf8");
  } else if (encoding === "base64") {
    text = Buffer.from(body, "base64").toString("utf8");
  }
  return { from, to, subject: header("Subject"), text: text.replace(/\r\n/g, "\n"), raw };
}

async function startSmtp(opts: { failFirst?: number } = {}): Promise<TestSmtp> {
  const received: ReceivedMail[] = [];
  let deliveries = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        deliveries++;
        if (deliveries <= (opts.failFirst ?? 0)) {
          const err: SMTPServerError = new Error("Mailbox temporarily unavailable, try again later");
          err.responseCode = 451;
          callback(err);
          return;
        }
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : "";
        received.push(
          parseMail(
            Buffer.concat(chunks).toString("utf8"),
            from,
            session.envelope.rcptTo.map((r) => r.address),
          ),
        );
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.server.address() as { port: number };
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    get deliveries() {
      return deliveries;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// ---- helpers ------------------------------------------------------------------------------------

async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const LINK = /(http:\/\/\S+\/_switchboard\/revert\/([A-Za-z0-9_-]{43}))/;

function linkIn(text: string): string {
  const m = LINK.exec(text);
  assert.ok(m?.[1], `no revert link in:\n${text}`);
  return m[1];
}

const describeUser = async (c: ConnectClient, inst: InstanceFixture, userId: string) =>
  (await c.send(new DescribeUserCommand({ InstanceId: inst.id, UserId: userId }))).User;

const update = (c: ConnectClient, inst: InstanceFixture, userId: string, info: UserIdentityInfo) =>
  c.send(new UpdateUserIdentityInfoCommand({ InstanceId: inst.id, UserId: userId, IdentityInfo: info }));

/** The outbox message created by the last change (the store keeps the body with the link). */
async function newestMessage(server: RunningServer): Promise<OutboxMessageRecord> {
  const all = await server.store.outbox.list();
  const m = all[all.length - 1];
  assert.ok(m, "no outbox message");
  return m;
}

const post = (url: string) => fetch(url, { method: "POST" });

const clientFor = (endpoint: string) =>
  new ConnectClient({ endpoint, region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" }, maxAttempts: 1 });

interface RevertRecord {
  userIdentity: { type: string };
  sourceIPAddress: string;
  requestParameters: unknown;
  additionalEventData: { changedMembers: string[]; changes: Record<string, unknown> };
}

const OLD = "jane.doe@example.com";
const NEW = "mallory@evil.example.org";
const ORIGINAL: UserIdentityInfo = { FirstName: "Jane", LastName: "Doe", Email: OLD, Mobile: "+14155550100" };

// ---- the tests ----------------------------------------------------------------------------------

describe("old-address alert over SMTP, and the revert link", () => {
  let smtp: TestSmtp;
  let server: TestServer;
  let c: ConnectClient;
  let inst: InstanceFixture;

  before(async () => {
    smtp = await startSmtp();
    server = await startTestServer(["--smtp-url", smtp.url, "--smtp-from", "Switchboard <alerts@switchboard.example.com>"]);
    c = server.client();
    inst = await createInstance(c);
  });
  after(async () => {
    await server.close();
    await smtp.close();
  });

  test("a changed e-mail sends ONE message to the old address; its link restores the previous identity once", async () => {
    const u = await createUser(c, inst, { IdentityInfo: ORIGINAL });
    const mailsBefore = smtp.received.length;
    const t0 = Date.now();
    await update(c, inst, u.id, { FirstName: "Jane", LastName: "Doe", Email: NEW, Mobile: "+14155550199" });

    const mail = await waitFor("the alert", () => smtp.received[mailsBefore]);
    await new Promise((r) => setTimeout(r, 600)); // a second message would have come by now
    assert.equal(smtp.received.length, mailsBefore + 1, "exactly one message");
    assert.deepEqual(mail.to, [OLD]);
    assert.equal(mail.from, "alerts@switchboard.example.com");
    assert.equal(mail.subject, "Your Amazon Connect e-mail address was changed");
    assert.ok(mail.text.includes("arn:aws:iam::000000000000:root"), "the principal");
    assert.match(mail.text, /From IP: +127\.0\.0\.1/);
    const when = /When: +(\S+)/.exec(mail.text)?.[1] as string;
    assert.ok(Math.abs(Date.parse(when) - t0) < 60_000, `time of change: ${when}`);
    assert.match(mail.text, /E-mail: j\*\*\*@example\.com -> m\*\*\*@evil\.example\.org/);
    assert.ok(!mail.raw.includes(NEW) && !mail.raw.includes("mallory"), "the new address is never in clear");
    const link = linkIn(mail.text);
    assert.ok(link.startsWith(`${server.url}/_switchboard/revert/`));

    // GET shows a confirmation form and changes nothing (mail scanners follow links).
    for (let i = 0; i < 2; i++) {
      const page = await fetch(link);
      assert.equal(page.status, 200);
      assert.match(page.headers.get("content-type") ?? "", /^text\/html/);
      assert.equal(page.headers.get("referrer-policy"), "no-referrer");
      const html = await page.text();
      assert.match(html, /<form method="post">/);
      assert.ok(html.includes("j***@example.com"));
      assert.ok(!html.includes(OLD));
    }
    const head = await fetch(link, { method: "HEAD" });
    assert.equal(head.status, 200);
    assert.equal((await describeUser(c, inst, u.id))?.IdentityInfo?.Email, NEW, "GET changed nothing");

    const changed = await describeUser(c, inst, u.id);
    const restored = await post(link);
    assert.equal(restored.status, 200);
    assert.match(await restored.text(), /restored/);
    const user = await describeUser(c, inst, u.id);
    assert.deepEqual(user?.IdentityInfo, ORIGINAL);
    assert.ok(user?.LastModifiedTime && changed?.LastModifiedTime && user.LastModifiedTime >= changed.LastModifiedTime);

    const [event] = await server.store.audit.list({ eventName: "RevertUserIdentityInfo", targetUserId: u.id, order: "desc", limit: 5 });
    assert.ok(event, "the revert is audited");
    assert.equal(event.errorCode, undefined);
    const record = event.record as unknown as RevertRecord;
    assert.equal(record.userIdentity.type, "SwitchboardRevertLink");
    assert.equal(record.sourceIPAddress, "127.0.0.1");
    assert.deepEqual(record.requestParameters, { instanceId: inst.id, userId: u.id });
    assert.deepEqual(record.additionalEventData.changedMembers, ["Email", "Mobile"]);
    assert.deepEqual(record.additionalEventData.changes.Email, {
      old: "m***@evil.example.org",
      new: "j***@example.com",
    });
    assert.ok(!JSON.stringify(event.record).includes(OLD) && !JSON.stringify(event.record).includes(NEW), "audit values are masked");

    // Single use.
    const again = await post(link);
    assert.equal(again.status, 410);
    assert.match(await again.text(), /already been used/);
    assert.equal((await fetch(link)).status, 410);
    const refused = await server.store.audit.list({ eventName: "RevertUserIdentityInfo", targetUserId: u.id, order: "desc", limit: 5 });
    assert.equal(refused[0]?.errorCode, "RevertLinkAlreadyUsed", "the refused second use is audited too");

    // The message is recorded as sent, after one attempt; the revert itself sent nothing.
    const sent = (await server.store.outbox.list()).filter((m) => m.recipient === OLD);
    assert.equal(sent.length, 1);
    assert.equal(sent[0]?.status, "sent");
    assert.equal(sent[0]?.attempts, 1);
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(smtp.received.length, mailsBefore + 1);
  });

  test("concurrent POSTs of one link: exactly one restores", async () => {
    const u = await createUser(c, inst, { IdentityInfo: { FirstName: "Race", LastName: "Case", Email: "race@example.com" } });
    await update(c, inst, u.id, { FirstName: "Race", LastName: "Case", Email: "other@example.com" });
    const link = linkIn((await newestMessage(server)).body);
    const statuses = (await Promise.all(Array.from({ length: 6 }, () => post(link)))).map((r) => r.status).sort();
    assert.deepEqual(statuses, [200, 410, 410, 410, 410, 410]);
    assert.equal((await describeUser(c, inst, u.id))?.IdentityInfo?.Email, "race@example.com");
  });

  test("no message when the e-mail stays the same, or when there was none", async () => {
    const u = await createUser(c, inst, { IdentityInfo: ORIGINAL });
    const bare = await createUser(c, inst, { IdentityInfo: { FirstName: "No", LastName: "Mail" } });
    const before = (await server.store.outbox.list()).length;
    await update(c, inst, u.id, { ...ORIGINAL, FirstName: "Janet", SecondaryEmail: "second@example.com" });
    await update(c, inst, bare.id, { FirstName: "No", LastName: "Mail", Email: "first@example.com" });
    assert.equal((await server.store.outbox.list()).length, before);
  });

  test("unknown and malformed tokens: 404; a deleted user: 409; other methods: 405", async () => {
    const unknown = `${server.url}/_switchboard/revert/${"A".repeat(43)}`;
    assert.equal((await fetch(unknown)).status, 404);
    assert.equal((await post(unknown)).status, 404);
    assert.equal((await post(`${server.url}/_switchboard/revert/short`)).status, 404);
    assert.equal((await fetch(`${server.url}/_switchboard/revert/`)).status, 404);

    const u = await createUser(c, inst, { IdentityInfo: { FirstName: "Gone", LastName: "Soon", Email: "gone@example.com" } });
    await update(c, inst, u.id, { FirstName: "Gone", LastName: "Soon", Email: "elsewhere@example.com" });
    const link = linkIn((await newestMessage(server)).body);
    assert.equal((await fetch(link, { method: "DELETE" })).status, 405);
    await c.send(new DeleteUserCommand({ InstanceId: inst.id, UserId: u.id }));
    assert.equal((await fetch(link)).status, 409);
    assert.equal((await post(link)).status, 409);
  });
});

describe("revert link expiry", () => {
  let server: RunningServer;
  let c: ConnectClient;
  let now = Date.now();

  before(async () => {
    const config = loadConfig(["--memory", "--port", "0", "--log-level", "off", "--revert-ttl-hours", "1"], {});
    server = await startServer(config, { clock: { now: () => now } });
    // SDK calls are made while the server's clock is real time (SigV4 checks the skew).
    c = clientFor(server.url);
  });
  after(() => server.close());

  test("valid until --revert-ttl-hours has passed, then 410 and nothing changes", async () => {
    const inst = await createInstance(c);
    const u = await createUser(c, inst, { IdentityInfo: ORIGINAL });
    await update(c, inst, u.id, { ...ORIGINAL, Email: NEW });
    const message = await newestMessage(server);
    assert.equal(message.status, "pending", "without --smtp-url messages wait in the outbox");
    assert.equal(message.recipient, OLD);
    const link = linkIn(message.body);

    now += 59 * 60_000;
    assert.equal((await fetch(link)).status, 200, "still valid after 59 minutes");
    now += 60_000;
    const page = await fetch(link);
    assert.equal(page.status, 410);
    assert.match(await page.text(), /expired/);
    assert.equal((await post(link)).status, 410);
    now = Date.now(); // back to real time for the SDK's signature
    assert.equal((await describeUser(c, inst, u.id))?.IdentityInfo?.Email, NEW);
    const [event] = await server.store.audit.list({ eventName: "RevertUserIdentityInfo", targetUserId: u.id, order: "desc", limit: 1 });
    assert.equal(event?.errorCode, "RevertLinkExpired");
  });
});

describe("delivery retries", () => {
  test("the SMTP server refuses twice; the third attempt delivers (attempts = 3)", async () => {
    const smtp = await startSmtp({ failFirst: 2 });
    const server = await startTestServer(["--smtp-url", smtp.url]);
    try {
      const c = server.client();
      const inst = await createInstance(c);
      const u = await createUser(c, inst, { IdentityInfo: ORIGINAL });
      await update(c, inst, u.id, { ...ORIGINAL, Email: NEW });
      // backoff: 1 s after the first failure, 2 s after the second
      const mail = await waitFor("the third attempt", () => smtp.received[0], 20_000);
      assert.deepEqual(mail.to, [OLD]);
      assert.equal(smtp.deliveries, 3);
      const m = await waitFor("the message marked sent", async () => (await server.store.outbox.list("sent"))[0]);
      assert.equal(m.attempts, 3);
      assert.equal(m.lastError?.includes("451"), true, m.lastError);
      assert.ok(!m.lastError?.includes(OLD));
    } finally {
      await server.close();
      await smtp.close();
    }
  });
});

describe("switchboard outbox list", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "switchboard-outbox-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("shows the message sent by a running server on the same --data, recipients masked unless asked", async () => {
    const smtp = await startSmtp();
    const proc = await spawnServer(["--data", dir, "--smtp-url", smtp.url]);
    try {
      const c = clientFor(proc.url);
      const inst = await createInstance(c);
      const u = await createUser(c, inst, { IdentityInfo: ORIGINAL });
      await update(c, inst, u.id, { ...ORIGINAL, Email: NEW });
      await waitFor("the alert", () => smtp.received[0]);

      const listed = await waitFor("outbox list to show it sent", async () => {
        const r = await runCli(["outbox", "list", "--data", dir, "--json"]);
        assert.equal(r.code, 0, r.output);
        const rows = JSON.parse(r.output) as Record<string, unknown>[];
        return rows[0]?.status === "sent" ? rows : undefined;
      });
      assert.equal(listed.length, 1);
      assert.equal(listed[0]?.recipient, "j***@example.com");
      assert.equal(listed[0]?.attempts, 1);
      assert.equal(listed[0]?.kind, "email-changed");
      assert.equal(listed[0]?.body, undefined, "bodies (with the revert link) are never listed");

      const clear = await runCli(["outbox", "list", "--data", dir, "--json", "--show-recipients", "--status", "sent"]);
      assert.equal((JSON.parse(clear.output) as Record<string, unknown>[])[0]?.recipient, OLD);
      const pending = await runCli(["outbox", "list", "--data", dir, "--json", "--status", "pending"]);
      assert.deepEqual(JSON.parse(pending.output), []);
      const text = await runCli(["outbox", "list", "--data", dir]);
      assert.equal(text.code, 0);
      assert.match(text.output, /^CREATEDTIME +STATUS/);
      assert.match(text.output, /sent +1 +email-changed +j\*\*\*@example\.com/);
      assert.ok(!text.output.includes(OLD));
      const bad = await runCli(["outbox", "list", "--data", dir, "--status", "lost"]);
      assert.equal(bad.code, 2);
      assert.match(bad.output, /--status must be one of pending, sent, failed/);
    } finally {
      proc.child.kill("SIGTERM");
      await proc.exited;
      await smtp.close();
    }
  });
});
