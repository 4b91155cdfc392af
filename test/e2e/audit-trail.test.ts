// The audit trail end to end, with the real @aws-sdk/client-connect over HTTP and the real CLI:
// one CloudTrail-format event per mutating call (same request id), masked identity changes, no
// sensitive value stored, refused calls and failed authentications recorded, the change and its
// event committed together (also across kill -9), and `switchboard audit verify|list`.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  ConnectClient,
  CreateUserCommand,
  DeleteUserCommand,
  DescribeUserCommand,
  UpdateUserIdentityInfoCommand,
  type UserIdentityInfo,
} from "@aws-sdk/client-connect";
import Database from "better-sqlite3";
import { verifyChain } from "../../src/audit/verify.js";
import type { AuditEventRecord } from "../../src/store/records.js";
import { createInstance, createUser, type InstanceFixture } from "../helpers/fixtures.js";
import { runCli, spawnServer } from "../helpers/process.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), "switchboard-audit-"));
  dirs.push(d);
  return d;
};

let data: string;
let server: TestServer;
let c: ConnectClient;

before(async () => {
  data = tmp();
  server = await startTestServer(["--data", data]);
  c = server.client();
});
after(async () => {
  await server?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const dbFile = (dir: string) => join(dir, "switchboard.db");

/** Events appended after seq `after`, oldest first. */
const eventsAfter = (after: number) => server.store.audit.chain(after, 10_000);
const headSeq = async () => (await server.store.audit.head()).seq;
const requestIdOf = (out: { $metadata: { requestId?: string } }) => out.$metadata.requestId as string;

function requestIdOfError(err: unknown): string {
  return (err as { $metadata: { requestId: string } }).$metadata.requestId;
}

async function failing(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  assert.fail("expected the call to fail");
}

// Values that are sensitive in Connect's model and must never be stored in the trail in clear.
const PASSWORD = "S3cret-Pw-zq7Q";
const FIRST = "Zqjanefirst";
const LAST = "Zqdoelast";
const EMAIL = "jane.zqsecret@example.com";
const NEW_FIRST = "Zqjohnfirst";
const NEW_EMAIL = "john.zqsecret@example.org";
const SECONDARY = "backup.zqsecret@example.net";
// A refused update's values are never stored anywhere, so they must not be in the file at all.
const REFUSED_NAME = "Zqrefusedname";
const REFUSED_EMAIL = "refused.zqsecret@nowhere";

describe("one event per mutating call, in CloudTrail's format", () => {
  let inst: InstanceFixture;
  let userId: string;
  const calls: { name: string; requestId: string }[] = [];
  let start = 0;
  let events: AuditEventRecord[] = [];

  before(async () => {
    start = await headSeq();
    inst = await createInstance(c); // CreateInstance + two List… reads (not audited)
    const created = (await server.store.audit.chain(start, 10)).find((e) => e.eventName === "CreateInstance");
    assert.ok(created);
    calls.push({ name: "CreateInstance", requestId: created.record.requestID as string });
    const out = await c.send(
      new CreateUserCommand({
        InstanceId: inst.id,
        Username: "agent.audit",
        Password: PASSWORD,
        IdentityInfo: { FirstName: FIRST, LastName: LAST, Email: EMAIL },
        PhoneConfig: { PhoneType: "SOFT_PHONE" },
        SecurityProfileIds: [inst.agentProfileId],
        RoutingProfileId: inst.routingProfileId,
      }),
    );
    userId = out.UserId as string;
    calls.push({ name: "CreateUser", requestId: requestIdOf(out) });
    const upd = await c.send(
      new UpdateUserIdentityInfoCommand({
        InstanceId: inst.id,
        UserId: userId,
        IdentityInfo: { FirstName: NEW_FIRST, LastName: LAST, Email: NEW_EMAIL, SecondaryEmail: SECONDARY },
      }),
    );
    calls.push({ name: "UpdateUserIdentityInfo", requestId: requestIdOf(upd) });
    const del = await c.send(new DeleteUserCommand({ InstanceId: inst.id, UserId: userId }));
    calls.push({ name: "DeleteUser", requestId: requestIdOf(del) });
    events = await eventsAfter(start);
  });

  test("exactly one event per call, in call order, with the response's request id", () => {
    assert.deepEqual(
      events.map((e) => [e.eventName, e.record.requestID]),
      calls.map((k) => [k.name, k.requestId]),
    );
  });

  test("each event carries CloudTrail's record fields", () => {
    for (const e of events) {
      const r = e.record;
      assert.equal(r.eventVersion, "1.09");
      assert.match(r.eventTime as string, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      assert.ok(Math.abs(Date.parse(r.eventTime as string) - Date.now()) < 60_000);
      assert.equal(r.eventSource, "connect.amazonaws.com");
      assert.equal(r.eventName, e.eventName);
      assert.equal(r.awsRegion, "us-east-1");
      assert.match(r.sourceIPAddress as string, /127\.0\.0\.1$/);
      assert.match(r.userAgent as string, /aws-sdk-js/);
      assert.deepEqual(r.userIdentity, {
        type: "Root",
        principalId: "000000000000",
        arn: "arn:aws:iam::000000000000:root",
        accountId: "000000000000",
        accessKeyId: "test",
      });
      assert.equal(typeof r.requestParameters, "object");
      assert.notEqual(r.requestParameters, null);
      assert.equal(r.eventID, e.eventId);
      assert.equal(r.readOnly, false);
      assert.equal(r.eventType, "AwsApiCall");
      assert.equal(r.recipientAccountId, "000000000000");
      assert.equal(r.errorCode, undefined);
      assert.equal(e.principalArn, "arn:aws:iam::000000000000:root");
    }
    const [, createUser, update, del] = events;
    assert.equal(createUser?.targetUserId, userId);
    assert.equal(update?.targetUserId, userId);
    assert.equal(del?.targetUserId, userId);
    const hidden = "HIDDEN_DUE_TO_SECURITY_REASONS";
    assert.deepEqual(update?.record.requestParameters, {
      identityInfo: { firstName: hidden, lastName: hidden, email: hidden, secondaryEmail: hidden },
      userId,
      instanceId: inst.id,
    });
  });

  test("UpdateUserIdentityInfo lists the changed members with masked old and new values", () => {
    const update = events.find((e) => e.eventName === "UpdateUserIdentityInfo");
    assert.deepEqual(update?.record.additionalEventData, {
      changedMembers: ["FirstName", "Email", "SecondaryEmail"],
      changes: {
        FirstName: { old: "Z***", new: "Z***" },
        Email: { old: "j***@example.com", new: "j***@example.org" },
        SecondaryEmail: { old: null, new: "b***@example.net" },
      },
    });
  });

  test("a refused update (400) is recorded with its error code and changes nothing", async () => {
    const inst2 = await createInstance(c);
    const u = await createUser(c, inst2, { IdentityInfo: { FirstName: "Keep", LastName: "Me", Email: "keep@example.com" } });
    const before = (await c.send(new DescribeUserCommand({ InstanceId: inst2.id, UserId: u.id }))).User;
    const seq = await headSeq();
    const err = await failing(
      c.send(
        new UpdateUserIdentityInfoCommand({
          InstanceId: inst2.id,
          UserId: u.id,
          IdentityInfo: { FirstName: REFUSED_NAME, LastName: "X", Email: REFUSED_EMAIL },
        }),
      ),
    );
    assert.equal((err as Error).name, "InvalidParameterException");
    assert.equal((err as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode, 400);
    const after = (await c.send(new DescribeUserCommand({ InstanceId: inst2.id, UserId: u.id }))).User;
    assert.deepEqual(after, before);
    const recorded = await eventsAfter(seq);
    assert.equal(recorded.length, 1);
    const e = recorded[0] as AuditEventRecord;
    assert.equal(e.eventName, "UpdateUserIdentityInfo");
    assert.equal(e.errorCode, "InvalidParameterException");
    assert.equal(e.record.errorCode, "InvalidParameterException");
    assert.match(e.record.errorMessage as string, /validation error/);
    assert.equal(e.record.requestID, requestIdOfError(err));
    assert.equal(e.record.additionalEventData, undefined, "nothing changed, so no change is described");
    const hidden = "HIDDEN_DUE_TO_SECURITY_REASONS";
    assert.deepEqual((e.record.requestParameters as Record<string, unknown>).identityInfo, {
      firstName: hidden,
      lastName: hidden,
      email: hidden,
    });
  });

  test("a failed authentication is recorded with InvalidSignatureException and changes nothing", async () => {
    const inst3 = await createInstance(c);
    const u = await createUser(c, inst3);
    const seq = await headSeq();
    const bad = server.client({ secretAccessKey: "wrong-secret" });
    const err = await failing(
      bad.send(
        new UpdateUserIdentityInfoCommand({ InstanceId: inst3.id, UserId: u.id, IdentityInfo: { FirstName: "Mallory", LastName: "M" } }),
      ),
    );
    assert.equal((err as Error).name, "InvalidSignatureException");
    const recorded = await eventsAfter(seq);
    assert.equal(recorded.length, 1);
    const e = recorded[0] as AuditEventRecord;
    assert.equal(e.errorCode, "InvalidSignatureException");
    assert.equal(e.eventName, "UpdateUserIdentityInfo");
    assert.equal(e.principalArn, undefined, "nobody was authenticated");
    assert.deepEqual(e.record.userIdentity, { type: "Unknown", accessKeyId: "test" });
    assert.equal(e.record.requestID, requestIdOfError(err));
    const user = (await c.send(new DescribeUserCommand({ InstanceId: inst3.id, UserId: u.id }))).User;
    assert.equal(user?.IdentityInfo?.FirstName, "Jane");
  });

  test("no sensitive value (names, e-mails, password) is stored in the trail; refused values nowhere in the files", async () => {
    const db = new Database(dbFile(data), { readonly: true, fileMustExist: true });
    try {
      const rows = db.prepare("SELECT * FROM audit_events").all() as Record<string, unknown>[];
      assert.ok(rows.length >= 6);
      const head = db.prepare("SELECT * FROM audit_head").all();
      const everything = JSON.stringify([rows, head]).toLowerCase();
      for (const secret of [PASSWORD, FIRST, LAST, EMAIL, NEW_FIRST, NEW_EMAIL, SECONDARY, REFUSED_NAME, REFUSED_EMAIL, "Mallory"]) {
        assert.ok(!everything.includes(secret.toLowerCase()), `${secret} is stored in the audit trail`);
      }
    } finally {
      db.close();
    }
    // The password and the refused update's values were never stored by anything: not in any page
    // of the database file nor of its write-ahead log.
    const bytes = Buffer.concat(["", "-wal"].map((suffix) => readFileSyncIfAny(`${dbFile(data)}${suffix}`)));
    for (const secret of [PASSWORD, REFUSED_NAME, REFUSED_EMAIL]) {
      assert.equal(bytes.indexOf(Buffer.from(secret, "utf8")), -1, `${secret} is in the database files`);
      assert.equal(bytes.indexOf(Buffer.from(secret, "utf16le")), -1, `${secret} (UTF-16) is in the database files`);
    }
  });
});

function readFileSyncIfAny(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch {
    return Buffer.alloc(0);
  }
}

describe("the change and its event commit together", () => {
  async function withTrigger<T>(sql: string, name: string, fn: () => Promise<T>): Promise<T> {
    const db = new Database(dbFile(data));
    try {
      db.exec(sql);
      return await fn();
    } finally {
      db.exec(`DROP TRIGGER IF EXISTS ${name}`);
      db.close();
    }
  }

  test("the event cannot be written → 500, and the user is unchanged", async () => {
    const inst = await createInstance(c);
    const u = await createUser(c, inst, { IdentityInfo: { FirstName: "Before", LastName: "Change", Email: "before@example.com" } });
    const before = (await c.send(new DescribeUserCommand({ InstanceId: inst.id, UserId: u.id }))).User;
    const seq = await headSeq();
    const err = await withTrigger(
      "CREATE TRIGGER audit_fails BEFORE INSERT ON audit_events BEGIN SELECT RAISE(ABORT, 'audit store refuses'); END",
      "audit_fails",
      () =>
        failing(
          c.send(
            new UpdateUserIdentityInfoCommand({
              InstanceId: inst.id,
              UserId: u.id,
              IdentityInfo: { FirstName: "After", LastName: "Change", Email: "after@example.com" },
            }),
          ),
        ),
    );
    assert.equal((err as Error).name, "InternalServiceException");
    assert.equal((err as { $metadata: { httpStatusCode: number } }).$metadata.httpStatusCode, 500);
    const after = (await c.send(new DescribeUserCommand({ InstanceId: inst.id, UserId: u.id }))).User;
    assert.deepEqual(after, before);
    assert.deepEqual(await eventsAfter(seq), [], "no event either (the failure's own event could not be written)");
    assert.equal((await verifyChain(server.store)).ok, true);
  });

  test("the change cannot be written → 500, and no event claims it", async () => {
    const inst = await createInstance(c);
    const u = await createUser(c, inst, { IdentityInfo: { FirstName: "Before", LastName: "Change", Email: "before@example.com" } });
    const before = (await c.send(new DescribeUserCommand({ InstanceId: inst.id, UserId: u.id }))).User;
    const seq = await headSeq();
    const err = await withTrigger(
      "CREATE TRIGGER users_fail BEFORE UPDATE ON users BEGIN SELECT RAISE(ABORT, 'users refuse'); END",
      "users_fail",
      () =>
        failing(
          c.send(
            new UpdateUserIdentityInfoCommand({
              InstanceId: inst.id,
              UserId: u.id,
              IdentityInfo: { FirstName: "After", LastName: "Change", Email: "after@example.com" },
            }),
          ),
        ),
    );
    assert.equal((err as Error).name, "InternalServiceException");
    const after = (await c.send(new DescribeUserCommand({ InstanceId: inst.id, UserId: u.id }))).User;
    assert.deepEqual(after, before);
    // The refused call is recorded as such (an error event), never as a successful change.
    const recorded = await eventsAfter(seq);
    assert.deepEqual(
      recorded.map((e) => [e.eventName, e.errorCode, e.record.requestID, e.record.additionalEventData]),
      [["UpdateUserIdentityInfo", "InternalServiceException", requestIdOfError(err), undefined]],
    );
  });
});

describe("across kill -9", () => {
  test("every acknowledged update has its event, every event its change, and the chain verifies", async () => {
    const dir = tmp();
    const first = await spawnServer(["--data", dir, "--log-level", "warn"]);
    const client = (url: string) =>
      new ConnectClient({
        endpoint: url,
        region: "us-east-1",
        credentials: { accessKeyId: "test", secretAccessKey: "test" },
        maxAttempts: 1,
      });
    const c1 = client(first.url);
    const inst = await createInstance(c1);
    const users = await Promise.all(
      [0, 1, 2, 3].map((i) =>
        createUser(c1, inst, { IdentityInfo: { FirstName: "Crash", LastName: "Test", Email: `agent@start${i}.example.com` } }),
      ),
    );
    const acknowledged: { requestId: string; userId: string; k: number }[] = [];
    let next = 0;
    let stopped = false;
    const worker = async () => {
      while (!stopped) {
        const k = next++;
        const user = users[k % users.length] as { id: string };
        const info: UserIdentityInfo = { FirstName: "Crash", LastName: "Test", Email: `agent@k${k}.example.com` };
        try {
          const out = await c1.send(new UpdateUserIdentityInfoCommand({ InstanceId: inst.id, UserId: user.id, IdentityInfo: info }));
          if (!stopped) acknowledged.push({ requestId: requestIdOf(out), userId: user.id, k });
        } catch {
          return; // the server is gone
        }
      }
    };
    const workers = Array.from({ length: 8 }, worker);
    while (acknowledged.length < 60) await new Promise((r) => setTimeout(r, 5));
    first.child.kill("SIGKILL");
    stopped = true;
    await Promise.all(workers);
    await first.exited;
    assert.ok(acknowledged.length >= 60);

    const second = await spawnServer(["--data", dir]);
    try {
      const verified = await runCli(["audit", "verify", "--data", dir]);
      assert.equal(verified.code, 0, verified.output);
      assert.match(verified.output, /audit trail intact: \d+ events/);

      const db = new Database(dbFile(dir), { readonly: true });
      const rows = db
        .prepare(
          "SELECT seq, target_user_id, error_code, record FROM audit_events WHERE event_name = 'UpdateUserIdentityInfo' ORDER BY seq",
        )
        .all() as { seq: number; target_user_id: string; error_code: string | null; record: string }[];
      db.close();
      const byRequest = new Map(rows.map((r) => [(JSON.parse(r.record) as { requestID: string }).requestID, r]));
      for (const a of acknowledged) {
        const row = byRequest.get(a.requestId);
        assert.ok(row, `acknowledged update ${a.requestId} has no event`);
        assert.equal(row.error_code, null);
        assert.equal(row.target_user_id, a.userId);
      }
      const successes = rows.filter((r) => r.error_code === null);
      assert.ok(successes.length >= acknowledged.length);

      // Per user, in chain order: each event's old Email is the previous event's new one (no
      // event without its change, no change without its event), and the last one's new Email is
      // what the user has now. Masks keep the domain, which names the update (k…).
      const c2 = client(second.url);
      const domain = (masked: string) => masked.slice(masked.indexOf("@"));
      for (const [i, u] of users.entries()) {
        let expected = `@start${i}.example.com`;
        for (const r of successes.filter((s) => s.target_user_id === u.id)) {
          const email = (JSON.parse(r.record) as { additionalEventData: { changes: { Email: { old: string; new: string } } } })
            .additionalEventData.changes.Email;
          assert.equal(domain(email.old), expected, `event ${r.seq} does not follow the previous change of user ${u.id}`);
          expected = domain(email.new);
        }
        const now = (await c2.send(new DescribeUserCommand({ InstanceId: inst.id, UserId: u.id }))).User;
        assert.equal(domain(now?.IdentityInfo?.Email as string), expected, `user ${u.id} does not hold its newest event's change`);
      }
    } finally {
      second.child.kill("SIGTERM");
      await second.exited;
    }
  });
});

describe("switchboard audit (the built CLI)", () => {
  test("list shows the trail newest first, as a table or CloudTrail JSON lines, with filters", async () => {
    const table = await runCli(["audit", "list", "--data", data, "--limit", "3"]);
    assert.equal(table.code, 0, table.output);
    const lines = table.output.trim().split("\n");
    assert.match(lines[0] as string, /^TIME\s+EVENT\s+PRINCIPAL\s+TARGET USER\s+ERROR\s+SOURCE IP$/);
    assert.match(table.output, /more events match/);

    const json = await runCli(["audit", "list", "--data", data, "--json", "--event-name", "DeleteUser"]);
    assert.equal(json.code, 0, json.output);
    const records = json.output
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.ok(records.length >= 1);
    for (const r of records) {
      assert.equal(r.eventName, "DeleteUser");
      assert.equal(r.eventSource, "connect.amazonaws.com");
    }

    const failures = await runCli([
      "audit",
      "list",
      "--data",
      data,
      "--json",
      "--since",
      "2000-01-01",
      "--principal",
      "arn:aws:iam::000000000000:root",
    ]);
    assert.equal(failures.code, 0);
    assert.ok(!failures.output.includes("InvalidSignatureException"), "unauthenticated events have no principal");

    const bad = await runCli(["audit", "list", "--data", data, "--since", "yesterday"]);
    assert.equal(bad.code, 2);
    assert.match(bad.output, /--since must be an ISO 8601 time/);
    const missing = await runCli(["audit", "verify", "--data", join(data, "nowhere")]);
    assert.equal(missing.code, 1);
    assert.match(missing.output, /no database at/);
  });

  test("verify: exit 0 while intact, exit 1 naming the first broken event once a row is edited", async () => {
    const ok = await runCli(["audit", "verify", "--data", data]);
    assert.equal(ok.code, 0, ok.output);
    const head = await server.store.audit.head();
    assert.match(ok.output, new RegExp(`audit trail intact: ${head.seq} events; head hash ${head.hash}`));

    await server.close();
    const db = new Database(dbFile(data));
    const target = db.prepare("SELECT seq FROM audit_events WHERE event_name = 'UpdateUserIdentityInfo' ORDER BY seq LIMIT 1").get() as {
      seq: number;
    };
    db.prepare("UPDATE audit_events SET record = replace(record, 'UpdateUserIdentityInfo', 'DescribeUser') WHERE seq = ?").run(target.seq);
    db.close();
    const broken = await runCli(["audit", "verify", "--data", data]);
    assert.equal(broken.code, 1, broken.output);
    assert.equal(
      broken.output.trim(),
      `audit trail BROKEN at event ${target.seq}: event ${target.seq} was edited: its hash does not match its content`,
    );
  });
});
