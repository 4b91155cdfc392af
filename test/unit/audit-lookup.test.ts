// CloudTrail LookupEvents over the audit trail (src/operations/cloudtrail/lookup-events.ts): request checks
// with CloudTrail's error names, every lookup attribute, the time range, scoping to the caller's
// account and region, and NextToken paging bound to its request.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { resourcesOf, usernameOf } from "../../src/audit/fields.js";
import { ServiceError } from "../../src/common/errors.js";
import { lookupEvents, parseLookupEvents } from "../../src/operations/cloudtrail/lookup-events.js";
import type { AuditEventDraft, AuditEventRecord } from "../../src/store/records.js";
import { SqlStore } from "../../src/store/sql/sql-store.js";
import { SqliteDriver } from "../../src/store/sqlite/sqlite-driver.js";

const SCOPE = { account: "000000000000", region: "us-east-1" };
const T0 = 1_714_564_800; // 2024-05-01T12:00:00Z, epoch seconds
const INSTANCE = "11111111-2222-3333-4444-555555555555";

interface Spec {
  second: number;
  eventName: string;
  who: "root" | "helpdesk" | "unknown";
  userId?: string;
  region?: string;
  account?: string;
  source?: string;
  readOnly?: boolean;
  instanceAsArn?: boolean;
}

function draft(s: Spec): AuditEventDraft {
  const identity =
    s.who === "root"
      ? { type: "Root", arn: "arn:aws:iam::000000000000:root", accountId: "000000000000", accessKeyId: "test" }
      : s.who === "helpdesk"
        ? { type: "IAMUser", arn: "arn:aws:iam::000000000000:user/helpdesk", userName: "helpdesk", accessKeyId: "AKIAHELPDESK" }
        : { type: "Unknown", accessKeyId: "AKIABAD" };
  const instanceId = s.instanceAsArn ? `arn:aws:connect:us-east-1:000000000000:instance/${INSTANCE}` : INSTANCE;
  const d: AuditEventDraft = {
    eventId: randomUUID(),
    eventTime: (T0 + s.second) * 1000 + 250,
    account: s.account ?? SCOPE.account,
    region: s.region ?? SCOPE.region,
    eventName: s.eventName,
    record: {
      eventVersion: "1.09",
      userIdentity: identity,
      eventSource: s.source ?? "connect.amazonaws.com",
      eventName: s.eventName,
      readOnly: s.readOnly ?? false,
      requestParameters:
        s.eventName === "CreateInstance"
          ? { identityManagementType: "CONNECT_MANAGED" }
          : s.source === "cloudtrail.amazonaws.com"
            ? { maxResults: 5 }
            : { instanceId },
      responseElements: s.eventName === "CreateInstance" ? { id: INSTANCE } : null,
      second: s.second,
    },
  };
  if (s.who !== "unknown") d.principalArn = identity.arn as string;
  if (s.userId) d.targetUserId = s.userId;
  return d;
}

const SPECS: Spec[] = [
  { second: 0, eventName: "CreateInstance", who: "root" },
  { second: 1, eventName: "CreateUser", who: "root", userId: "u-1" },
  { second: 2, eventName: "UpdateUserIdentityInfo", who: "helpdesk", userId: "u-1", instanceAsArn: true },
  { second: 3, eventName: "UpdateUserIdentityInfo", who: "unknown" },
  { second: 4, eventName: "LookupEvents", who: "helpdesk", source: "cloudtrail.amazonaws.com", readOnly: true },
  { second: 5, eventName: "UpdateUserIdentityInfo", who: "root", userId: "u-2", region: "eu-west-2" },
  { second: 6, eventName: "UpdateUserIdentityInfo", who: "root", userId: "u-3", account: "111111111111" },
  { second: 7, eventName: "DeleteUser", who: "root", userId: "u-1" },
];

let store: SqlStore;
let events: AuditEventRecord[];

before(async () => {
  store = await SqlStore.open(new SqliteDriver({ file: ":memory:", durability: "normal" }));
  events = [];
  for (const s of SPECS) events.push(await store.audit.append(draft(s)));
});
after(() => store.close());

const lookup = async (body: Record<string, unknown>, scope = SCOPE) => lookupEvents(store, scope, parseLookupEvents(body, scope));
const seconds = async (body: Record<string, unknown>, scope = SCOPE) =>
  (await lookup(body, scope)).Events.map((e) => (JSON.parse(e.CloudTrailEvent as string) as { second: number }).second);
const attr = (AttributeKey: string, AttributeValue: string) => ({ LookupAttributes: [{ AttributeKey, AttributeValue }] });

function rejects(body: unknown, type: string, message?: RegExp) {
  assert.throws(
    () => parseLookupEvents(body, SCOPE),
    (e: unknown) =>
      e instanceof ServiceError &&
      e.code === type &&
      e.status === 400 &&
      e.messageKey === "message" &&
      (!message || message.test(e.message)),
    `${JSON.stringify(body)} → ${type}`,
  );
}

describe("LookupEvents request checks", () => {
  test("at most one lookup attribute", () => {
    rejects(
      { LookupAttributes: [attr("EventName", "A").LookupAttributes[0], attr("EventName", "B").LookupAttributes[0]] },
      "InvalidLookupAttributesException",
      /at most one/,
    );
  });
  test("attribute keys and values", () => {
    rejects(attr("Nope", "x"), "InvalidLookupAttributesException", /AttributeKey must be one of EventId, EventName/);
    rejects(attr("eventname", "x"), "InvalidLookupAttributesException");
    rejects(attr("EventName", ""), "InvalidLookupAttributesException");
    rejects(attr("EventName", "x".repeat(2001)), "InvalidLookupAttributesException");
    rejects({ LookupAttributes: [{ AttributeKey: "EventName" }] }, "InvalidLookupAttributesException");
    rejects(attr("ReadOnly", "yes"), "InvalidLookupAttributesException", /'true' or 'false'/);
  });
  test("time range", () => {
    rejects({ StartTime: T0 + 10, EndTime: T0 }, "InvalidTimeRangeException");
    rejects({ StartTime: "2024-05-01" }, "SerializationException");
  });
  test("MaxResults", () => {
    for (const m of [0, 51, -1, 1.5]) rejects({ MaxResults: m }, "InvalidMaxResultsException");
    rejects({ MaxResults: "5" }, "SerializationException");
  });
  test("NextToken", () => {
    rejects({ NextToken: "garbage!" }, "InvalidNextTokenException");
    rejects({ NextToken: Buffer.from('{"v":1,"s":-4,"f":"x"}').toString("base64url") }, "InvalidNextTokenException");
  });
  test("EventCategory and the body's shape", () => {
    rejects({ EventCategory: "management" }, "InvalidEventCategoryException");
    rejects([], "SerializationException");
    rejects({ LookupAttributes: "EventName" }, "SerializationException");
  });
  test("valid requests parse", () => {
    assert.deepEqual(parseLookupEvents({}, SCOPE), { maxResults: 50, insight: false });
    assert.deepEqual(parseLookupEvents({ ...attr("ReadOnly", "true"), StartTime: T0, EndTime: T0, MaxResults: 1, NextToken: "" }, SCOPE), {
      attribute: { key: "ReadOnly", value: "true" },
      startTime: T0,
      endTime: T0,
      maxResults: 1,
      insight: false,
    });
  });
});

describe("LookupEvents results", () => {
  test("newest first, scoped to the caller's account and region", async () => {
    assert.deepEqual(await seconds({}), [7, 4, 3, 2, 1, 0]);
    assert.deepEqual(await seconds({}, { account: "000000000000", region: "eu-west-2" }), [5]);
    assert.deepEqual(await seconds({}, { account: "111111111111", region: "us-east-1" }), [6]);
  });

  test("each event in LookupEvents' shape", async () => {
    const { Events } = await lookup(attr("EventId", (events[2] as AuditEventRecord).eventId));
    assert.deepEqual(Events, [
      {
        EventId: events[2]?.eventId,
        EventName: "UpdateUserIdentityInfo",
        ReadOnly: "false",
        AccessKeyId: "AKIAHELPDESK",
        EventTime: T0 + 2,
        EventSource: "connect.amazonaws.com",
        Username: "helpdesk",
        Resources: [
          { ResourceType: "AWS::Connect::Instance", ResourceName: INSTANCE },
          { ResourceType: "AWS::Connect::User", ResourceName: "u-1" },
        ],
        CloudTrailEvent: JSON.stringify(events[2]?.record),
      },
    ]);
  });

  test("every lookup attribute", async () => {
    assert.deepEqual(await seconds(attr("EventName", "UpdateUserIdentityInfo")), [3, 2]);
    assert.deepEqual(await seconds(attr("EventId", (events[7] as AuditEventRecord).eventId)), [7]);
    assert.deepEqual(await seconds(attr("EventId", (events[5] as AuditEventRecord).eventId)), [], "another region's event");
    assert.deepEqual(await seconds(attr("ReadOnly", "true")), [4]);
    assert.deepEqual(await seconds(attr("ReadOnly", "false")), [7, 3, 2, 1, 0]);
    assert.deepEqual(await seconds(attr("Username", "root")), [7, 1, 0]);
    assert.deepEqual(await seconds(attr("Username", "helpdesk")), [4, 2]);
    assert.deepEqual(await seconds(attr("ResourceType", "AWS::Connect::User")), [7, 2, 1]);
    assert.deepEqual(await seconds(attr("ResourceType", "AWS::Connect::Instance")), [7, 3, 2, 1, 0]);
    assert.deepEqual(await seconds(attr("ResourceName", INSTANCE)), [7, 3, 2, 1, 0]);
    assert.deepEqual(await seconds(attr("ResourceName", "u-1")), [7, 2, 1]);
    assert.deepEqual(await seconds(attr("EventSource", "cloudtrail.amazonaws.com")), [4]);
    assert.deepEqual(await seconds(attr("EventSource", "connect.amazonaws.com")), [7, 3, 2, 1, 0]);
    assert.deepEqual(await seconds(attr("AccessKeyId", "AKIABAD")), [3]);
    assert.deepEqual(await seconds(attr("AccessKeyId", "test")), [7, 1, 0]);
  });

  test("StartTime and EndTime are inclusive, at one-second precision", async () => {
    assert.deepEqual(await seconds({ StartTime: T0 + 2, EndTime: T0 + 4 }), [4, 3, 2]);
    assert.deepEqual(await seconds({ StartTime: T0 + 2.5 }), [7, 4, 3]);
    assert.deepEqual(await seconds({ EndTime: T0 + 1.9 }), [1, 0]);
    assert.deepEqual(await seconds({ StartTime: T0 + 3, EndTime: T0 + 3 }), [3]);
  });

  test("EventCategory insight: no Insights events are recorded", async () => {
    assert.deepEqual(await seconds({ EventCategory: "insight" }), []);
  });

  test("pages with NextToken until the last page, which has none", async () => {
    for (const body of [{}, attr("ReadOnly", "false"), { StartTime: T0 + 1 }]) {
      const all = await seconds(body);
      const paged: number[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const r = await lookup({ ...body, MaxResults: 2, ...(token ? { NextToken: token } : {}) });
        paged.push(...r.Events.map((e) => (JSON.parse(e.CloudTrailEvent as string) as { second: number }).second));
        token = r.NextToken;
        pages++;
        assert.ok(pages < 10);
      } while (token);
      assert.deepEqual(paged, all);
      assert.equal(pages, Math.ceil(all.length / 2));
    }
  });

  test("a NextToken only continues the request it came from", async () => {
    const r = await lookup({ MaxResults: 1 });
    assert.ok(r.NextToken);
    rejects(
      { MaxResults: 1, NextToken: r.NextToken, ...attr("EventName", "CreateUser") },
      "InvalidNextTokenException",
      /different parameters/,
    );
    assert.throws(
      () => parseLookupEvents({ NextToken: r.NextToken }, { account: "000000000000", region: "eu-west-2" }),
      (e: unknown) => e instanceof ServiceError && e.code === "InvalidNextTokenException",
    );
    // MaxResults may change between pages
    assert.deepEqual(
      (await lookup({ MaxResults: 3, NextToken: r.NextToken })).Events.map((e) => e.EventName),
      ["LookupEvents", "UpdateUserIdentityInfo", "UpdateUserIdentityInfo"],
    );
  });

  test("a rare attribute is found across scan batches", async () => {
    const big = await SqlStore.open(new SqliteDriver({ file: ":memory:", durability: "normal" }));
    try {
      const needle = await big.audit.append(draft({ second: 0, eventName: "CreateUser", who: "helpdesk", userId: "needle" }));
      for (let i = 1; i <= 1200; i++) await big.audit.append(draft({ second: i, eventName: "CreateUser", who: "root" }));
      const r = await lookupEvents(big, SCOPE, parseLookupEvents({ ...attr("Username", "helpdesk"), MaxResults: 1 }, SCOPE));
      assert.deepEqual(
        r.Events.map((e) => e.EventId),
        [needle.eventId],
      );
      assert.equal(r.NextToken, undefined);
    } finally {
      await big.close();
    }
  });
});

describe("event fields", () => {
  test("Username: root for the account root, the IAM user name, none when unauthenticated", () => {
    assert.equal(usernameOf(events[0] as AuditEventRecord), "root");
    assert.equal(usernameOf(events[2] as AuditEventRecord), "helpdesk");
    assert.equal(usernameOf(events[3] as AuditEventRecord), undefined);
  });
  test("Resources: the instance (created or named, by id even when given as an ARN) and the target user", () => {
    assert.deepEqual(resourcesOf(events[0] as AuditEventRecord), [{ ResourceType: "AWS::Connect::Instance", ResourceName: INSTANCE }]);
    assert.deepEqual(resourcesOf(events[2] as AuditEventRecord), [
      { ResourceType: "AWS::Connect::Instance", ResourceName: INSTANCE },
      { ResourceType: "AWS::Connect::User", ResourceName: "u-1" },
    ]);
    assert.deepEqual(resourcesOf(events[4] as AuditEventRecord), []);
  });
});
