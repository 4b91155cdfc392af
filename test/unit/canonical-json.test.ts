// canonicalJson feeds every audit hash, so its bytes must never change: the fast paths (the
// native serializer for already-sorted plain trees, the walk that sorts only out-of-order keys
// and caches quoted keys) must write exactly what the reference definition below writes — the
// one the chain was defined with — on a corpus of records, including unicode, integer-like keys,
// undefined members, nested arrays and objects that are not plain.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { canonicalJson } from "../../src/common/canonical-json.js";

/** The definition the audit chain's hashes were computed with (its first implementation). */
function reference(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? "null" : reference(v))).join(",")}]`;
  const obj = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const k of Object.keys(obj).sort()) {
    const v = obj[k];
    if (v !== undefined) parts.push(`${JSON.stringify(k)}:${reference(v)}`);
  }
  return `{${parts.join(",")}}`;
}

function sortedCopy(v: unknown): unknown {
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map(sortedCopy);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort()) out[k] = sortedCopy((v as Record<string, unknown>)[k]);
  return out;
}

const auditRecord = {
  eventVersion: "1.09",
  userIdentity: {
    type: "Root",
    principalId: "000000000000",
    arn: "arn:aws:iam::000000000000:root",
    accountId: "000000000000",
    accessKeyId: "test",
  },
  eventTime: "2026-12-02T14:38:56Z",
  eventSource: "connect.amazonaws.com",
  eventName: "UpdateUserIdentityInfo",
  awsRegion: "us-east-1",
  sourceIPAddress: "127.0.0.1",
  userAgent: "aws-sdk-js/3.0 ua/2.1 os/linux#6 lang/js md/nodejs#20.20.2 api/connect#3.1136.0 m/E,N",
  requestParameters: {
    identityInfo: {
      firstName: "HIDDEN_DUE_TO_SECURITY_REASONS",
      lastName: "HIDDEN_DUE_TO_SECURITY_REASONS",
      email: "HIDDEN_DUE_TO_SECURITY_REASONS",
    },
    userId: "93bdb086-8111-4a48-b1b1-55c18198d867",
    instanceId: "7c3e60c3-5fc1-4f2a-8bc6-f1321ccf1111",
  },
  responseElements: null,
  requestID: "58aa7133-4311-4b4b-b9a2-beffc2cca9ef",
  eventID: "c9852a4a-8421-4725-be80-4c072aa33267",
  readOnly: false,
  eventType: "AwsApiCall",
  managementEvent: true,
  recipientAccountId: "000000000000",
  eventCategory: "Management",
  additionalEventData: { changedMembers: ["Email"], changes: { Email: { old: "j***@example.com", new: null } } },
};

class Point {
  constructor(
    readonly y: number,
    readonly x: number,
  ) {}
}

const corpus: unknown[] = [
  auditRecord,
  sortedCopy(auditRecord),
  { ...auditRecord, errorCode: "AccessDeniedException", errorMessage: 'User: … is not authorized ✓ \u2028 \u0000 "quoted" \\' },
  { tags: { "10": "a", "9": "b", z: [1, { y: 2, x: null }] }, é: "\u2028", "": "empty key" },
  { a: 1, b: { "1": 1, "2": 2 }, c: ["x"] }, // integer-like keys in string order too
  { "2": 1, "10": 2 }, // integer-like keys whose numeric order is not the string order
  { b: undefined, a: [undefined, null, 0, -0, 1e21, 1.5, Number.NaN, Number.POSITIVE_INFINITY], c: { d: undefined } },
  { z: "\ud83d\ude00 emoji", y: "\ud800 lone high surrogate", x: "\udc00 lone low", w: "ß Ä 漢字 עברית" },
  { "\u00e9": 1, e: 2, E: 3, "\ud83d\ude00": 4, "\uff01": 5 }, // code-unit order vs. locale order
  { nested: { deeper: { deepest: [{ b: 1, a: 2 }, [{ d: 3, c: 4 }]] } } },
  { fn: () => 1, sym: Symbol("s"), ok: true }, // members the native serializer would drop
  { when: new Date(0), point: new Point(1, 2), map: new Map([["k", 1]]), boxed: new String("ab") },
  Object.assign(Object.create(null), { b: 1, a: 2 }),
  Object.assign(Object.create(null), { a: 1, b: 2 }),
  { withToJson: { toJSON: () => "replaced", a: 1 } },
  Object.assign([1, 2], { toJSON: () => "array replaced" }),
  [],
  {},
  [[], {}, [{}]],
  "a string",
  42,
  null,
  undefined,
  true,
];

describe("canonicalJson", () => {
  test("writes the reference definition's bytes on every value of the corpus", () => {
    for (const v of corpus) assert.equal(canonicalJson(v), reference(v), `for ${String(reference(v)).slice(0, 80)}`);
  });

  test("is the same twice in a row (the quoted-key cache changes nothing)", () => {
    for (const v of corpus) assert.equal(canonicalJson(v), canonicalJson(v));
  });

  test("random trees: the reference's bytes, in insertion order and in sorted order", () => {
    let seed = 42;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const keys = ["a", "b", "B", "é", "10", "9", "key", "ключ", "\ud83d\ude00", "", "z"];
    const leaf = () => [null, 0, -1.25, "text", '\u2028"\\', true, undefined][rnd(7)];
    const tree = (depth: number): unknown => {
      const kind = depth > 3 ? 0 : rnd(3);
      if (kind === 0) return leaf();
      if (kind === 1) return Array.from({ length: rnd(4) }, () => tree(depth + 1));
      const o: Record<string, unknown> = {};
      for (let i = rnd(5); i > 0; i--) o[keys[rnd(keys.length)] as string] = tree(depth + 1);
      return o;
    };
    for (let i = 0; i < 2000; i++) {
      const t = tree(0);
      assert.equal(canonicalJson(t), reference(t));
      const s = sortedCopy(t);
      assert.equal(canonicalJson(s), reference(s));
    }
  });
});
