// The request path writes some text by hand instead of the obvious way (issue 11): each must
// stay byte for byte what the obvious way writes, or — for the event ids — keep the properties
// the audit trail relies on.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { eventTimeText, timeOrderedEventId } from "../../src/audit/record.js";
import { type LogFields, logLine } from "../../src/common/log.js";

describe("logLine", () => {
  const plain = (level: string, msg: string, fields: LogFields | undefined, time: string) =>
    `${JSON.stringify({ time, level, msg, ...fields })}\n`;
  const cases: [string, string, LogFields | undefined][] = [
    ["info", "request", { requestId: "r-1", operation: "UpdateUserIdentityInfo", status: 200, latencyMs: 0.125, sourceIp: "127.0.0.1" }],
    ["info", "request", { requestId: "r-2", errorCode: undefined, status: 400, fault: "drop", injected: true }],
    ["debug", 'quotes " and \\ and \u2028 and ✓', { 'odd key "': "v\n", n: -0, big: 1e21 }],
    ["warn", "no fields", undefined],
    ["error", "empty fields", {}],
    ["info", "only undefined", { a: undefined }],
    ["info", "a field named like a leading member", { msg: "replaced", time: "also", level: "and this" }],
  ];
  test("writes what JSON.stringify({ time, level, msg, ...fields }) writes", () => {
    for (const [level, msg, fields] of cases) {
      const line = logLine(level, msg, fields);
      const time = (JSON.parse(line) as { time: string }).time;
      assert.equal(line, plain(level, msg, fields, time));
    }
  });
  test("the time is the current time in ISO 8601", () => {
    const before = Date.now();
    const t = Date.parse((JSON.parse(logLine("info", "x", undefined)) as { time: string }).time);
    assert.ok(t >= before - 1 && t <= Date.now());
  });
});

describe("eventTimeText", () => {
  test("is toISOString without the milliseconds, across second boundaries and back", () => {
    const times = [
      0, 999, 1000, 1_714_564_942_123, 1_714_564_942_999, 1_714_564_943_000, 1_714_564_942_500, -1, -1000, -1001, 253402300799999,
    ];
    for (const ms of times) assert.equal(eventTimeText(ms), new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z"), `at ${ms}`);
  });
});

describe("timeOrderedEventId", () => {
  const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
  test("is a version 7 UUID carrying the event's milliseconds", () => {
    for (const ms of [0, 1, 1_714_564_942_123, 0xffffffffffff]) {
      const id = timeOrderedEventId(ms);
      assert.match(id, UUID_V7);
      assert.equal(Number.parseInt(id.replace(/-/g, "").slice(0, 12), 16), ms);
    }
  });
  test("ids of later events sort after earlier ones; ids of one millisecond differ", () => {
    const a = timeOrderedEventId(1_714_564_942_123);
    const b = timeOrderedEventId(1_714_564_942_124);
    assert.ok(a < b);
    const same = new Set(Array.from({ length: 1000 }, () => timeOrderedEventId(1_714_564_942_123)));
    assert.equal(same.size, 1000);
  });
});
