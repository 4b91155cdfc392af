// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables are spelled ${...} in policy text
// parsePolicy: valid identity policies parse into the documented shape; every grammar error is
// reported with its statement (index and Sid) and reason; all problems come back together.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { PolicyError, parsePolicy } from "../../src/iam/index.js";

const ARN = "arn:aws:connect:us-east-1:123456789012:instance/i-1/agent/*";

/** The problems parsePolicy reports for a document (fails when it parses). */
function problems(doc: unknown): readonly string[] {
  try {
    parsePolicy("test/inline/p", doc);
  } catch (e) {
    assert.ok(e instanceof PolicyError, `not a PolicyError: ${String(e)}`);
    assert.equal(e.name, "PolicyError");
    assert.match(e.message, /policy "test\/inline\/p" is invalid/);
    for (const p of e.problems) assert.ok(e.message.includes(p));
    return e.problems;
  }
  assert.fail("expected a PolicyError");
}

/** One statement in an otherwise valid 2012-10-17 policy. */
const withStatement = (st: Record<string, unknown>) => ({ Version: "2012-10-17", Statement: [st] });
const good = { Effect: "Allow", Action: "connect:DescribeUser", Resource: ARN };

describe("iam parsePolicy: valid documents", () => {
  test("a full document, from JSON text", () => {
    const p = parsePolicy(
      "alice/inline/helpdesk",
      JSON.stringify({
        Version: "2012-10-17",
        Id: "helpdesk",
        Statement: [
          { Sid: "Read", Effect: "Allow", Action: ["connect:Describe*", "connect:List*"], Resource: "*" },
          {
            Sid: "NoAdmins",
            Effect: "Deny",
            NotAction: "connect:DescribeUser",
            NotResource: [ARN],
            Condition: {
              StringEquals: { "aws:ResourceTag/role": ["admin", "root"], "connect:InstanceId": "i-1" },
              Bool: { "aws:SecureTransport": false },
            },
          },
        ],
      }),
    );
    assert.deepEqual(p, {
      id: "alice/inline/helpdesk",
      version: "2012-10-17",
      statements: [
        { sid: "Read", effect: "Allow", action: ["connect:Describe*", "connect:List*"], resource: ["*"], index: 0 },
        {
          sid: "NoAdmins",
          effect: "Deny",
          notAction: ["connect:DescribeUser"],
          notResource: [ARN],
          condition: [
            { operator: "StringEquals", key: "aws:ResourceTag/role", values: ["admin", "root"] },
            { operator: "StringEquals", key: "connect:InstanceId", values: ["i-1"] },
            { operator: "Bool", key: "aws:SecureTransport", values: [false] },
          ],
          index: 1,
        },
      ],
    });
    assert.ok(Object.isFrozen(p) && Object.isFrozen(p.statements) && Object.isFrozen(p.statements[0]));
  });

  test("Statement as a single object; no Version means 2008-10-17; empty Sid is dropped", () => {
    const p = parsePolicy("x", { Statement: { Sid: "", ...good } });
    assert.equal(p.version, "2008-10-17");
    assert.deepEqual(p.statements, [{ effect: "Allow", action: ["connect:DescribeUser"], resource: [ARN], index: 0 }]);
  });

  test("Version 2008-10-17 is accepted", () => {
    assert.equal(parsePolicy("x", { Version: "2008-10-17", Statement: good }).version, "2008-10-17");
  });

  test("every supported operator, with IfExists and set prefixes, parses", () => {
    const ops: Record<string, unknown> = {
      StringEquals: "a",
      StringNotEquals: "a",
      StringEqualsIgnoreCase: "a",
      StringNotEqualsIgnoreCase: "a",
      StringLike: "a*",
      StringNotLike: "a?",
      NumericEquals: "1",
      NumericNotEquals: 2,
      NumericLessThan: "-1.5",
      NumericLessThanEquals: "1e3",
      NumericGreaterThan: "0",
      NumericGreaterThanEquals: ".5",
      DateEquals: "2024-01-01T00:00:00Z",
      DateNotEquals: "2024-01-01",
      DateLessThan: "1704067200",
      DateLessThanEquals: 1704067200,
      DateGreaterThan: "2024-01-01T00:00:00.123+05:30",
      DateGreaterThanEquals: "2024-02-29T23:59:59Z",
      Bool: "TRUE",
      BinaryEquals: "QmluYXJ5",
      IpAddress: ["203.0.113.0/24", "2001:db8::/32", "::1", "::ffff:192.0.2.1"],
      NotIpAddress: "10.0.0.1",
      ArnEquals: ARN,
      ArnLike: ARN,
      ArnNotEquals: ARN,
      ArnNotLike: ARN,
    };
    const Condition: Record<string, unknown> = { Null: { "aws:TokenIssueTime": "true" } };
    for (const [op, v] of Object.entries(ops)) {
      for (const name of [op, `${op}IfExists`, `ForAllValues:${op}`, `ForAnyValue:${op}IfExists`]) Condition[name] = { "aws:Key": v };
    }
    const p = parsePolicy("ops", withStatement({ ...good, Condition }));
    assert.equal(p.statements[0]?.condition?.length, Object.keys(Condition).length);
  });

  test("policy variables with defaults and escapes parse", () => {
    parsePolicy(
      "vars",
      withStatement({
        ...good,
        Resource: "arn:aws:connect:*:*:instance/*/agent/${aws:username, 'anon'}${*}",
        Condition: { StringLike: { "aws:PrincipalTag/x": "${aws:PrincipalTag/y}-${?}" } },
      }),
    );
  });
});

describe("iam parsePolicy: each grammar error", () => {
  const cases: { name: string; doc: unknown; expect: RegExp }[] = [
    { name: "invalid JSON text", doc: "{ not json", expect: /^Policy: not valid JSON/ },
    { name: "not an object", doc: [good], expect: /^Policy: the document must be a JSON object$/ },
    {
      name: "unsupported Version",
      doc: { Version: "2012-10-18", Statement: good },
      expect: /^Policy: Version "2012-10-18" is not supported/,
    },
    {
      name: "unknown top-level element",
      doc: { Version: "2012-10-17", Statement: good, Statements: [] },
      expect: /^Policy: unknown top-level element "Statements"$/,
    },
    { name: "Id not a string", doc: { Id: 7, Statement: good }, expect: /^Policy: Id must be a string$/ },
    { name: "missing Statement", doc: { Version: "2012-10-17" }, expect: /^Policy: Statement is required$/ },
    {
      name: "empty Statement array",
      doc: { Version: "2012-10-17", Statement: [] },
      expect: /^Policy: Statement must contain at least one statement$/,
    },
    {
      name: "Statement of the wrong type",
      doc: { Version: "2012-10-17", Statement: "Allow" },
      expect: /^Policy: Statement must be an object or an array/,
    },
    {
      name: "statement not an object",
      doc: { Version: "2012-10-17", Statement: [good, 42] },
      expect: /^Statement\[1\]: must be an object$/,
    },
    {
      name: "missing Effect",
      doc: withStatement({ Sid: "S1", Action: "connect:*", Resource: "*" }),
      expect: /^Statement\[0\] \(Sid "S1"\): Effect is required$/,
    },
    {
      name: "bad Effect",
      doc: withStatement({ ...good, Sid: "S1", Effect: "allow" }),
      expect: /^Statement\[0\] \(Sid "S1"\): Effect must be "Allow" or "Deny", got "allow"$/,
    },
    {
      name: "Action and NotAction",
      doc: withStatement({ ...good, NotAction: "iam:*" }),
      expect: /^Statement\[0\]: Action and NotAction cannot both be present$/,
    },
    {
      name: "neither Action nor NotAction",
      doc: withStatement({ Effect: "Allow", Resource: "*" }),
      expect: /^Statement\[0\]: one of Action or NotAction is required$/,
    },
    {
      name: "identity policies need Resource",
      doc: withStatement({ Effect: "Allow", Action: "connect:*" }),
      expect: /^Statement\[0\]: one of Resource or NotResource is required$/,
    },
    {
      name: "Resource and NotResource",
      doc: withStatement({ ...good, NotResource: "*" }),
      expect: /^Statement\[0\]: Resource and NotResource cannot both be present$/,
    },
    {
      name: "empty Action array",
      doc: withStatement({ ...good, Action: [] }),
      expect: /^Statement\[0\]: Action must be a string or a non-empty array of strings$/,
    },
    {
      name: "non-string in NotResource",
      doc: withStatement({ Effect: "Deny", Action: "*", NotResource: ["*", 3] }),
      expect: /NotResource must be a string or a non-empty array of strings$/,
    },
    {
      name: "Action without a service prefix",
      doc: withStatement({ ...good, Action: "DescribeUser" }),
      expect: /^Statement\[0\]: Action "DescribeUser" must be "\*" or "service:action"/,
    },
    {
      name: "Resource not an ARN",
      doc: withStatement({ ...good, Resource: "users/*" }),
      expect: /^Statement\[0\]: Resource "users\/\*" must be "\*" or an ARN/,
    },
    {
      name: "Resource ARN with too few parts",
      doc: withStatement({ ...good, Resource: "arn:aws:connect:*" }),
      expect: /Resource "arn:aws:connect:\*" must be "\*" or an ARN/,
    },
    {
      name: "Principal",
      doc: withStatement({ ...good, Sid: "P", Principal: { AWS: "*" } }),
      expect: /^Statement\[0\] \(Sid "P"\): Principal is not allowed in an identity-based policy$/,
    },
    {
      name: "NotPrincipal",
      doc: withStatement({ ...good, NotPrincipal: "*" }),
      expect: /^Statement\[0\]: NotPrincipal is not allowed in an identity-based policy$/,
    },
    {
      name: "unknown statement element",
      doc: withStatement({ ...good, Actions: "connect:*" }),
      expect: /^Statement\[0\]: unknown element "Actions"$/,
    },
    {
      name: "Sid with punctuation",
      doc: withStatement({ ...good, Sid: "read-only" }),
      expect: /^Statement\[0\] \(Sid "read-only"\): Sid "read-only" may contain only letters/,
    },
    { name: "Sid not a string", doc: withStatement({ ...good, Sid: 5 }), expect: /^Statement\[0\]: Sid must be a string$/ },
    {
      name: "duplicate Sid",
      doc: {
        Version: "2012-10-17",
        Statement: [
          { ...good, Sid: "A" },
          { ...good, Sid: "A" },
        ],
      },
      expect: /^Statement\[1\] \(Sid "A"\): Sid "A" is already used by Statement\[0\]/,
    },
    {
      name: "Condition not an object",
      doc: withStatement({ ...good, Condition: ["StringEquals"] }),
      expect: /^Statement\[0\]: Condition must be an object/,
    },
    {
      name: "unknown operator",
      doc: withStatement({ ...good, Condition: { StringEqual: { "aws:a": "x" } } }),
      expect: /^Statement\[0\]: unknown condition operator "StringEqual"$/,
    },
    {
      name: "operator names are case-sensitive",
      doc: withStatement({ ...good, Condition: { stringequals: { "aws:a": "x" } } }),
      expect: /unknown condition operator "stringequals"/,
    },
    {
      name: "unknown set prefix",
      doc: withStatement({ ...good, Condition: { "ForSomeValues:StringEquals": { "aws:a": "x" } } }),
      expect: /unknown condition operator "ForSomeValues:StringEquals"/,
    },
    {
      name: "operator block not an object",
      doc: withStatement({ ...good, Condition: { StringEquals: "x" } }),
      expect: /condition operator "StringEquals" must map condition keys to values$/,
    },
    {
      name: "operator block without keys",
      doc: withStatement({ ...good, Condition: { StringEquals: {} } }),
      expect: /condition operator "StringEquals" has no condition keys$/,
    },
    {
      name: "condition key without a service prefix",
      doc: withStatement({ ...good, Condition: { StringEquals: { SourceIp: "x" } } }),
      expect: /condition StringEquals "SourceIp": a condition key must be prefixed/,
    },
    {
      name: "empty value list",
      doc: withStatement({ ...good, Condition: { StringEquals: { "aws:a": [] } } }),
      expect: /condition StringEquals "aws:a": needs at least one value$/,
    },
    {
      name: "object as a value",
      doc: withStatement({ ...good, Condition: { StringEquals: { "aws:a": { b: 1 } } } }),
      expect: /value \{"b":1\} must be a string, number or boolean$/,
    },
    {
      name: "null as a value",
      doc: withStatement({ ...good, Condition: { StringEquals: { "aws:a": null } } }),
      expect: /value null must be a string, number or boolean$/,
    },
    {
      name: "Numeric value not a number",
      doc: withStatement({ ...good, Condition: { NumericLessThan: { "aws:n": "ten" } } }),
      expect: /condition NumericLessThan "aws:n": "ten" is not a number$/,
    },
    {
      name: "Date value not a date",
      doc: withStatement({ ...good, Condition: { DateLessThan: { "aws:CurrentTime": "2024-13-01" } } }),
      expect: /"2024-13-01" is not an ISO 8601 date or epoch seconds$/,
    },
    {
      name: "Date value: impossible day",
      doc: withStatement({ ...good, Condition: { DateEquals: { "aws:CurrentTime": "2023-02-29" } } }),
      expect: /"2023-02-29" is not an ISO 8601 date/,
    },
    {
      name: "Bool value not a boolean",
      doc: withStatement({ ...good, Condition: { Bool: { "aws:SecureTransport": "yes" } } }),
      expect: /"yes" is not "true" or "false"$/,
    },
    {
      name: "Binary value not base64",
      doc: withStatement({ ...good, Condition: { BinaryEquals: { "aws:b": "not base64!" } } }),
      expect: /"not base64!" is not base64$/,
    },
    {
      name: "IpAddress prefix too long",
      doc: withStatement({ ...good, Condition: { IpAddress: { "aws:SourceIp": "10.0.0.0/33" } } }),
      expect: /"10.0.0.0\/33" is not an IPv4\/IPv6 address or CIDR block$/,
    },
    {
      name: "NotIpAddress bad IPv6",
      doc: withStatement({ ...good, Condition: { NotIpAddress: { "aws:SourceIp": "2001:db8:::1" } } }),
      expect: /"2001:db8:::1" is not an IPv4\/IPv6 address/,
    },
    {
      name: "IpAddress octet too large",
      doc: withStatement({ ...good, Condition: { IpAddress: { "aws:SourceIp": "256.0.0.1" } } }),
      expect: /"256.0.0.1" is not an IPv4/,
    },
    {
      name: "Null with IfExists",
      doc: withStatement({ ...good, Condition: { NullIfExists: { "aws:a": "true" } } }),
      expect: /"NullIfExists": Null cannot take the IfExists suffix$/,
    },
    {
      name: "Null with a set prefix",
      doc: withStatement({ ...good, Condition: { "ForAnyValue:Null": { "aws:a": "true" } } }),
      expect: /"ForAnyValue:Null": Null cannot take a ForAllValues:\/ForAnyValue: prefix$/,
    },
    {
      name: "Null value not a boolean",
      doc: withStatement({ ...good, Condition: { Null: { "aws:a": "maybe" } } }),
      expect: /"maybe" is not "true" or "false"$/,
    },
  ];
  for (const c of cases) {
    test(c.name, () => {
      const ps = problems(c.doc);
      assert.equal(ps.length, 1, `expected one problem, got ${JSON.stringify(ps)}`);
      assert.match(ps[0] as string, c.expect);
    });
  }
});

describe("iam parsePolicy: problems are reported together", () => {
  test("every problem in every statement, in document order", () => {
    const ps = problems({
      Version: "2012-10-17",
      Extra: true,
      Statement: [
        { Sid: "Ok", ...good },
        { Sid: "Bad1", Effect: "Permit", Action: "connect", Principal: "*" },
        { Effect: "Deny", Action: "*", Resource: "*", Condition: { NumericEquals: { "aws:n": ["1", "x", "y"] }, Nope: { "aws:a": "b" } } },
        { Sid: "Ok", ...good },
      ],
    });
    assert.deepEqual(ps, [
      'Policy: unknown top-level element "Extra"',
      'Statement[1] (Sid "Bad1"): Principal is not allowed in an identity-based policy',
      'Statement[1] (Sid "Bad1"): Effect must be "Allow" or "Deny", got "Permit"',
      'Statement[1] (Sid "Bad1"): Action "connect" must be "*" or "service:action" (e.g. "connect:DescribeUser")',
      'Statement[1] (Sid "Bad1"): one of Resource or NotResource is required',
      'Statement[2]: condition NumericEquals "aws:n": "x" is not a number',
      'Statement[2]: condition NumericEquals "aws:n": "y" is not a number',
      'Statement[2]: unknown condition operator "Nope"',
      'Statement[3] (Sid "Ok"): Sid "Ok" is already used by Statement[0] (Sids must be unique within a policy)',
    ]);
  });

  test("a bad Version is reported along with statement problems", () => {
    const ps = problems({ Version: 2012, Statement: { Effect: "Allow" } });
    assert.equal(ps.length, 3);
    assert.match(ps[0] as string, /^Policy: Version 2012 is not supported/);
    assert.match(ps[1] as string, /^Statement\[0\]: one of Action or NotAction is required$/);
    assert.match(ps[2] as string, /^Statement\[0\]: one of Resource or NotResource is required$/);
  });
});
