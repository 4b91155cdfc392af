// `switchboard audit list`: time parsing, each filter, newest-first order, the limit, and both
// output forms.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { formatJsonLines, formatTable, listEvents, listFilter, parseTime } from "../../src/audit/list.js";
import { ConfigError } from "../../src/config.js";
import type { AuditEventDraft } from "../../src/store/records.js";
import { SqlStore } from "../../src/store/sql/sql-store.js";
import { SqliteDriver } from "../../src/store/sqlite/sqlite-driver.js";

const T0 = Date.parse("2024-05-01T12:00:00Z");
const ROOT = "arn:aws:iam::000000000000:root";
const HELPDESK = "arn:aws:iam::000000000000:user/helpdesk";

function event(
  minute: number,
  eventName: string,
  principalArn: string | undefined,
  targetUserId?: string,
  errorCode?: string,
): AuditEventDraft {
  const d: AuditEventDraft = {
    eventId: randomUUID(),
    eventTime: T0 + minute * 60_000,
    account: "000000000000",
    region: "us-east-1",
    eventName,
    record: {
      eventVersion: "1.09",
      eventName,
      eventTime: new Date(T0 + minute * 60_000).toISOString().replace(/\.\d{3}Z$/, "Z"),
      sourceIPAddress: "10.0.0.7",
      userIdentity: principalArn ? { type: "Root", arn: principalArn, accessKeyId: "test" } : { type: "Unknown", accessKeyId: "AKIDBAD" },
      minute,
    },
  };
  if (principalArn) d.principalArn = principalArn;
  if (targetUserId) d.targetUserId = targetUserId;
  if (errorCode) d.errorCode = errorCode;
  return d;
}

let store: SqlStore;

before(async () => {
  store = await SqlStore.open(new SqliteDriver({ file: ":memory:", durability: "normal" }));
  await store.audit.append(event(0, "CreateInstance", ROOT));
  await store.audit.append(event(1, "CreateUser", ROOT, "u-1"));
  await store.audit.append(event(2, "UpdateUserIdentityInfo", HELPDESK, "u-1"));
  await store.audit.append(event(3, "UpdateUserIdentityInfo", HELPDESK, "u-1", "InvalidParameterException"));
  await store.audit.append(event(4, "UpdateUserIdentityInfo", undefined, undefined, "InvalidSignatureException"));
  await store.audit.append(event(5, "DeleteUser", ROOT, "u-1"));
});
after(() => store.close());

const minutes = async (o: Parameters<typeof listEvents>[1]) => (await listEvents(store, o)).events.map((e) => e.record.minute);

describe("parseTime", () => {
  test("ISO 8601 date-times, with or without a zone (no zone = UTC), and dates", () => {
    assert.equal(parseTime("since", "2024-05-01T12:00:00Z"), T0);
    assert.equal(parseTime("since", "2024-05-01T12:00:00"), T0);
    assert.equal(parseTime("since", "2024-05-01T12:00"), T0);
    assert.equal(parseTime("since", "2024-05-01 12:00:00"), T0);
    assert.equal(parseTime("since", "2024-05-01T14:00:00+02:00"), T0);
    assert.equal(parseTime("since", "2024-05-01T12:00:00.250Z"), T0 + 250);
    assert.equal(parseTime("since", "2024-05-01"), Date.parse("2024-05-01T00:00:00Z"));
  });

  test("epoch seconds (fractions allowed); 13 digits or more are milliseconds", () => {
    assert.equal(parseTime("since", String(T0 / 1000)), T0);
    assert.equal(parseTime("since", `${T0 / 1000}.5`), T0 + 500);
    assert.equal(parseTime("since", String(T0)), T0);
  });

  test("anything else is a usage error naming the flag", () => {
    for (const bad of ["yesterday", "May 1 2024", "2024-13-45T00:00:00Z", "", "-5", "2024-05-01T12"]) {
      assert.throws(
        () => parseTime("until", bad),
        (e: unknown) => e instanceof ConfigError && /--until/.test(e.message),
        bad,
      );
    }
  });
});

describe("listFilter", () => {
  test("maps the options onto the store query, newest first, one extra row to tell if more exist", () => {
    assert.deepEqual(
      listFilter({ since: "2024-05-01T12:00:00Z", until: "1714565400", eventName: "X", principal: ROOT, userId: "u-1", limit: "5" }),
      {
        order: "desc",
        limit: 6,
        shown: 5,
        since: T0,
        until: 1714565400_000,
        eventName: "X",
        principalArn: ROOT,
        targetUserId: "u-1",
      },
    );
    assert.deepEqual(listFilter({}), { order: "desc", limit: 101, shown: 100 });
  });

  test("rejects a bad limit and an empty time range", () => {
    for (const limit of ["0", "-1", "abc", "1.5", "100001"]) assert.throws(() => listFilter({ limit }), ConfigError, limit);
    assert.throws(() => listFilter({ since: "2024-05-02", until: "2024-05-01" }), /--since must be before --until/);
    assert.throws(() => listFilter({ since: "2024-05-01", until: "2024-05-01" }), ConfigError);
  });
});

describe("listEvents", () => {
  test("no filter: every event, newest first", async () => {
    assert.deepEqual(await minutes({}), [5, 4, 3, 2, 1, 0]);
  });

  test("--since is inclusive, --until exclusive", async () => {
    assert.deepEqual(await minutes({ since: "2024-05-01T12:02:00Z" }), [5, 4, 3, 2]);
    assert.deepEqual(await minutes({ until: "2024-05-01T12:02:00Z" }), [1, 0]);
    assert.deepEqual(await minutes({ since: "2024-05-01T12:01:00Z", until: "2024-05-01T12:03:00Z" }), [2, 1]);
  });

  test("--event-name, --principal, --user-id, and their combination", async () => {
    assert.deepEqual(await minutes({ eventName: "UpdateUserIdentityInfo" }), [4, 3, 2]);
    assert.deepEqual(await minutes({ principal: HELPDESK }), [3, 2]);
    assert.deepEqual(await minutes({ userId: "u-1" }), [5, 3, 2, 1]);
    assert.deepEqual(
      await minutes({ userId: "u-1", eventName: "UpdateUserIdentityInfo", principal: HELPDESK, since: "2024-05-01T12:03:00Z" }),
      [3],
    );
    assert.deepEqual(await minutes({ eventName: "NoSuchEvent" }), []);
  });

  test("--limit keeps the newest and says more exist", async () => {
    const l = await listEvents(store, { limit: "2" });
    assert.deepEqual(
      l.events.map((e) => e.record.minute),
      [5, 4],
    );
    assert.equal(l.more, true);
    assert.equal((await listEvents(store, { limit: "6" })).more, false);
  });
});

describe("output", () => {
  test("the table: a heading, then time, event, principal, target user, error code and source ip per event", async () => {
    const { events } = await listEvents(store, { limit: "3" });
    const lines = formatTable(events).split("\n");
    assert.equal(lines.length, 4);
    assert.match(lines[0] as string, /^TIME\s+EVENT\s+PRINCIPAL\s+TARGET USER\s+ERROR\s+SOURCE IP$/);
    assert.match(lines[1] as string, /^2024-05-01T12:05:00Z\s+DeleteUser\s+arn:aws:iam::000000000000:root\s+u-1\s+-\s+10\.0\.0\.7$/);
    assert.match(
      lines[2] as string,
      /^2024-05-01T12:04:00Z\s+UpdateUserIdentityInfo\s+\(unauthenticated, key AKIDBAD\)\s+-\s+InvalidSignatureException\s+10\.0\.0\.7$/,
    );
    assert.match(lines[3] as string, /helpdesk\s+u-1\s+InvalidParameterException\s+10\.0\.0\.7$/);
    // columns line up
    const at = (line: string) => line.indexOf("10.0.0.7");
    assert.equal(at(lines[1] as string), at(lines[2] as string));
    assert.equal(at(lines[1] as string), (lines[0] as string).indexOf("SOURCE IP"));
  });

  test("--json: one CloudTrail record per line", async () => {
    const { events } = await listEvents(store, {});
    const lines = formatJsonLines(events).split("\n");
    assert.equal(lines.length, 6);
    assert.deepEqual(
      lines.map((l) => (JSON.parse(l) as { minute: number }).minute),
      [5, 4, 3, 2, 1, 0],
    );
    assert.deepEqual(JSON.parse(lines[0] as string), events[0]?.record);
  });
});
