// restJson1 request → operation input (src/protocol/restjson/deserialize.ts): query parsing,
// label / query / body bindings from the real model, and the SerializationException cases.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ServiceError } from "../../src/common/errors.js";
import { OPERATIONS, SHAPES } from "../../src/model/index.js";
import type { OperationDef, Shape } from "../../src/model/types.js";
import { deserialize, type HttpParts, hasBodyMembers, parseQuery } from "../../src/protocol/restjson/deserialize.js";

function op(name: string): OperationDef {
  const found = OPERATIONS[name];
  assert.ok(found, `operation ${name} in the model`);
  return found;
}

function parts(p: Partial<HttpParts> & { rawQuery?: string; json?: unknown; text?: string }): HttpParts {
  let body = Buffer.alloc(0);
  if (p.text !== undefined) body = Buffer.from(p.text, "utf8");
  else if (p.json !== undefined) body = Buffer.from(JSON.stringify(p.json), "utf8");
  return {
    labels: p.labels ?? {},
    query: p.query ?? parseQuery(p.rawQuery ?? ""),
    headers: p.headers ?? {},
    body: p.body ?? body,
  };
}

/** Runs fn, expecting a SerializationException; returns its message. */
function serializationError(fn: () => unknown): string {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof ServiceError, `expected a ServiceError, got ${String(caught)}`);
  assert.equal(caught.code, "SerializationException");
  assert.equal(caught.status, 400);
  assert.equal(caught.messageKey, "message");
  return caught.message;
}

describe("parseQuery", () => {
  test("empty query → empty map", () => {
    assert.equal(parseQuery("").size, 0);
    assert.equal(parseQuery("&&").size, 0);
  });

  test("names and values are percent-decoded; `+` stays a literal plus", () => {
    const q = parseQuery("a=1%202&b%5B%5D=x+y&c=%2B");
    assert.deepEqual(q.get("a"), ["1 2"]);
    assert.deepEqual(q.get("b[]"), ["x+y"]);
    assert.deepEqual(q.get("c"), ["+"]);
  });

  test("repeated keys keep every value in order", () => {
    const q = parseQuery("k=1&other=z&k=2&k=3");
    assert.deepEqual(q.get("k"), ["1", "2", "3"]);
    assert.deepEqual(q.get("other"), ["z"]);
  });

  test("a key without `=` has the empty value; `=` inside a value is kept", () => {
    const q = parseQuery("flag&k=a=b&empty=");
    assert.deepEqual(q.get("flag"), [""]);
    assert.deepEqual(q.get("k"), ["a=b"]);
    assert.deepEqual(q.get("empty"), [""]);
  });

  test("bad percent-encoding → SerializationException", () => {
    const msg = serializationError(() => parseQuery("nextToken=%E0%A4%A"));
    assert.match(msg, /percent-encoding/);
    serializationError(() => parseQuery("%ZZ=1"));
  });
});

describe("deserialize: bindings of real operations", () => {
  test("UpdateUserIdentityInfo: labels from the path, IdentityInfo from the body", () => {
    const info = { FirstName: "Ada", LastName: "Lovelace", Mobile: "+14155550123" };
    const input = deserialize(
      SHAPES,
      op("UpdateUserIdentityInfo"),
      parts({ labels: { InstanceId: "i-1", UserId: "u-1" }, json: { IdentityInfo: info } }),
    );
    assert.deepEqual(input, { InstanceId: "i-1", UserId: "u-1", IdentityInfo: info });
  });

  test("members bound to labels are never read from the body", () => {
    const input = deserialize(
      SHAPES,
      op("UpdateUserIdentityInfo"),
      parts({
        labels: { InstanceId: "from-path", UserId: "u-1" },
        json: { InstanceId: "from-body", UserId: "body-user", IdentityInfo: {} },
      }),
    );
    assert.equal(input.InstanceId, "from-path");
    assert.equal(input.UserId, "u-1");
  });

  test("a label member absent from the path is not taken from the body either", () => {
    const input = deserialize(
      SHAPES,
      op("UpdateUserIdentityInfo"),
      parts({ labels: {}, json: { InstanceId: "from-body", IdentityInfo: {} } }),
    );
    assert.equal("InstanceId" in input, false);
  });

  test("members bound to the query are never read from the body", () => {
    const input = deserialize(
      SHAPES,
      op("ListUsers"),
      parts({ labels: { InstanceId: "i-1" }, json: { MaxResults: 7, NextToken: "body-token" } }),
    );
    assert.deepEqual(input, { InstanceId: "i-1" });
  });

  test("ListUsers: query members by wire name, integers parsed", () => {
    const input = deserialize(
      SHAPES,
      op("ListUsers"),
      parts({ labels: { InstanceId: "i-1" }, rawQuery: "maxResults=25&nextToken=abc%3D%3D" }),
    );
    assert.deepEqual(input, { InstanceId: "i-1", MaxResults: 25, NextToken: "abc==" });
  });

  test("the model name of a query member is not its wire name", () => {
    const input = deserialize(SHAPES, op("ListUsers"), parts({ labels: { InstanceId: "i-1" }, rawQuery: "MaxResults=25&NextToken=x" }));
    assert.deepEqual(input, { InstanceId: "i-1" });
  });

  test("a scalar query member takes the first of repeated values", () => {
    const input = deserialize(
      SHAPES,
      op("ListUsers"),
      parts({ labels: { InstanceId: "i-1" }, rawQuery: "maxResults=5&maxResults=7&nextToken=a&nextToken=b" }),
    );
    assert.equal(input.MaxResults, 5);
    assert.equal(input.NextToken, "a");
  });

  test("a list query member takes every value (UntagResource tagKeys)", () => {
    const input = deserialize(
      SHAPES,
      op("UntagResource"),
      parts({
        labels: { resourceArn: "arn:aws:connect:us-east-1:000000000000:instance/abc" },
        rawQuery: "tagKeys=a&tagKeys=b%20c&tagKeys=d",
      }),
    );
    assert.deepEqual(input, { resourceArn: "arn:aws:connect:us-east-1:000000000000:instance/abc", tagKeys: ["a", "b c", "d"] });
  });

  test("a list query member with one value is still a list", () => {
    const input = deserialize(SHAPES, op("UntagResource"), parts({ labels: { resourceArn: "x" }, rawQuery: "tagKeys=only" }));
    assert.deepEqual(input.tagKeys, ["only"]);
  });

  test("a non-integer integer query value → SerializationException naming the wire name", () => {
    for (const bad of ["abc", "1.5", "", "1e3", " 1", "0x10"]) {
      const msg = serializationError(() =>
        deserialize(SHAPES, op("ListUsers"), parts({ labels: { InstanceId: "i-1" }, rawQuery: `maxResults=${encodeURIComponent(bad)}` })),
      );
      assert.ok(msg.includes("'maxResults'"), msg);
      assert.ok(msg.includes(`'${bad}'`), msg);
    }
  });

  test("negative integers parse (range is validate.ts's business)", () => {
    const input = deserialize(SHAPES, op("ListUsers"), parts({ labels: { InstanceId: "i-1" }, rawQuery: "maxResults=-3" }));
    assert.equal(input.MaxResults, -3);
  });

  test("an empty body is {} (no body members set)", () => {
    const input = deserialize(SHAPES, op("UpdateUserIdentityInfo"), parts({ labels: { InstanceId: "i", UserId: "u" } }));
    assert.deepEqual(input, { InstanceId: "i", UserId: "u" });
  });

  test("malformed JSON → SerializationException", () => {
    const msg = serializationError(() =>
      deserialize(SHAPES, op("UpdateUserIdentityInfo"), parts({ labels: { InstanceId: "i", UserId: "u" }, text: '{"IdentityInfo": {' })),
    );
    assert.match(msg, /not valid JSON/);
  });

  test("a JSON body that is not an object → SerializationException", () => {
    for (const text of ["[]", '"x"', "42", "null", "true", '[{"IdentityInfo":{}}]']) {
      const msg = serializationError(() =>
        deserialize(SHAPES, op("UpdateUserIdentityInfo"), parts({ labels: { InstanceId: "i", UserId: "u" }, text })),
      );
      assert.match(msg, /must be a JSON object/, text);
    }
  });

  test("a null body member is treated as absent", () => {
    const input = deserialize(
      SHAPES,
      op("CreateUser"),
      parts({ labels: { InstanceId: "i" }, json: { Username: "ada", Password: null, IdentityInfo: null } }),
    );
    assert.deepEqual(input, { InstanceId: "i", Username: "ada" });
  });

  test("body values are passed through untyped (types are validate.ts's business)", () => {
    const input = deserialize(
      SHAPES,
      op("CreateUser"),
      parts({ labels: { InstanceId: "i" }, json: { Username: 42, SecurityProfileIds: "x" } }),
    );
    assert.equal(input.Username, 42);
    assert.equal(input.SecurityProfileIds, "x");
  });

  test("unknown body members are dropped", () => {
    const input = deserialize(
      SHAPES,
      op("CreateUser"),
      parts({ labels: { InstanceId: "i" }, json: { Username: "ada", Bogus: 1, username: "lower" } }),
    );
    assert.deepEqual(input, { InstanceId: "i", Username: "ada" });
  });

  test("an operation without body members does not read the body at all", () => {
    assert.equal(hasBodyMembers(SHAPES, op("ListUsers")), false);
    const input = deserialize(SHAPES, op("ListUsers"), parts({ labels: { InstanceId: "i" }, text: "{not json" }));
    assert.deepEqual(input, { InstanceId: "i" });
  });

  test("hasBodyMembers", () => {
    assert.equal(hasBodyMembers(SHAPES, op("UpdateUserIdentityInfo")), true);
    assert.equal(hasBodyMembers(SHAPES, op("CreateInstance")), true);
    assert.equal(hasBodyMembers(SHAPES, op("DescribeUser")), false);
    assert.equal(hasBodyMembers(SHAPES, op("ListInstances")), false);
  });
});

describe("deserialize: scalar kinds (synthetic model)", () => {
  const shapes: Record<string, Shape> = {
    Req: {
      t: "structure",
      members: {
        Count: { target: "Int", loc: "label" },
        Ratio: { target: "Dbl", loc: "query", name: "ratio" },
        Flag: { target: "Bool", loc: "query", name: "flag" },
        At: { target: "Ts", loc: "query", name: "at" },
        Trace: { target: "Str", loc: "header", name: "X-Trace-Id" },
        Body: { target: "Str" },
      },
    },
    Int: { t: "integer" },
    Dbl: { t: "double" },
    Bool: { t: "boolean" },
    Ts: { t: "timestamp" },
    Str: { t: "string" },
  };
  const def: OperationDef = { method: "POST", uri: "/x/{Count}", input: "Req", errors: [] };

  test("label integer, query double/boolean/timestamp, header string", () => {
    const input = deserialize(
      shapes,
      def,
      parts({ labels: { Count: "12" }, rawQuery: "ratio=0.25&flag=true&at=2026-01-01T00%3A00%3A00Z", headers: { "x-trace-id": "t-1" } }),
    );
    assert.deepEqual(input, { Count: 12, Ratio: 0.25, Flag: true, At: Date.UTC(2026, 0, 1) / 1000, Trace: "t-1" });
  });

  test("a repeated header is joined with ', '", () => {
    const input = deserialize(shapes, def, parts({ headers: { "x-trace-id": ["a", "b"] } }));
    assert.equal(input.Trace, "a, b");
  });

  test("bad label integer, double, boolean and timestamp → SerializationException", () => {
    serializationError(() => deserialize(shapes, def, parts({ labels: { Count: "twelve" } })));
    serializationError(() => deserialize(shapes, def, parts({ rawQuery: "ratio=abc" })));
    serializationError(() => deserialize(shapes, def, parts({ rawQuery: "ratio=" })));
    serializationError(() => deserialize(shapes, def, parts({ rawQuery: "flag=yes" })));
    serializationError(() => deserialize(shapes, def, parts({ rawQuery: "flag=TRUE" })));
    serializationError(() => deserialize(shapes, def, parts({ rawQuery: "at=not-a-date" })));
  });

  test("an operation without input yields {}", () => {
    const noInput: OperationDef = { method: "GET", uri: "/y", errors: [] };
    assert.deepEqual(deserialize(shapes, noInput, parts({ text: "garbage", rawQuery: "a=b" })), {});
  });
});
