// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables are spelled ${...} in policy text
// evaluate() against a table of {policies (JSON documents), request context, expected decision}:
// every condition operator and set prefix, IfExists, Null, NotAction/NotResource, wildcards,
// policy variables, multi-value OR / multi-key AND, Deny overriding Allow across policies, and
// the Amazon Connect administrator guide's own example policies.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type ContextValue, evaluate, parsePolicy, type RequestContext } from "../../src/iam/index.js";

const ACCT = "123456789012";
const INST = "00fbeee1-123e-111e-93e3-11111bfbfcc1";
const INSTANCE_ARN = `arn:aws:connect:us-east-1:${ACCT}:instance/${INST}`;
const USER_ID = "00dtcddd1-123e-111e-93e3-11111bfbfcc1";
const USER_ARN = `${INSTANCE_ARN}/agent/${USER_ID}`;
const OTHER_INSTANCE_ARN = `arn:aws:connect:us-east-1:${ACCT}:instance/11111111-2222-3333-4444-555555555555`;

type Json = Record<string, unknown>;
type Expected = "Allow" | "ExplicitDeny" | "ImplicitDeny";

interface Row {
  name: string;
  policies: Json[];
  /** overrides of the default request */
  action?: string;
  resource?: string;
  keys?: Record<string, ContextValue>;
  expect: Expected;
  /** the deciding statement, when the row checks it */
  by?: { policyId?: string; sid?: string; index?: number };
}

const V12 = "2012-10-17";
const policy = (...Statement: Json[]): Json => ({ Version: V12, Statement });
/** Allow connect:DescribeUser on everything, under a condition block. */
const allowIf = (Condition: Json): Json => policy({ Effect: "Allow", Action: "connect:DescribeUser", Resource: "*", Condition });
const allowAll = policy({ Sid: "AllowAll", Effect: "Allow", Action: "connect:*", Resource: "*" });

const rows: Row[] = [
  // ---- evaluation logic ----
  { name: "no policies → implicit deny", policies: [], expect: "ImplicitDeny" },
  {
    name: "exact action and resource → allow",
    policies: [policy({ Sid: "One", Effect: "Allow", Action: "connect:DescribeUser", Resource: USER_ARN })],
    expect: "Allow",
    by: { policyId: "p0", sid: "One", index: 0 },
  },
  {
    name: "other action → implicit deny",
    policies: [policy({ Effect: "Allow", Action: "connect:DeleteUser", Resource: "*" })],
    expect: "ImplicitDeny",
  },
  {
    name: "explicit deny in a second policy overrides an allow in the first",
    policies: [allowAll, policy({ Sid: "NoDescribe", Effect: "Deny", Action: "connect:DescribeUser", Resource: "*" })],
    expect: "ExplicitDeny",
    by: { policyId: "p1", sid: "NoDescribe", index: 0 },
  },
  {
    name: "allow in the second policy when the first has nothing for the request",
    policies: [
      policy({ Effect: "Allow", Action: "connect:ListUsers", Resource: "*" }),
      policy({ Effect: "Allow", Action: "connect:Describe*", Resource: "*" }),
    ],
    expect: "Allow",
    by: { policyId: "p1", index: 0 },
  },
  {
    name: "the first matching allow statement is reported",
    policies: [
      policy(
        { Effect: "Allow", Action: "connect:ListUsers", Resource: "*" },
        { Sid: "First", Effect: "Allow", Action: "connect:*", Resource: "*" },
        { Sid: "Second", Effect: "Allow", Action: "*", Resource: "*" },
      ),
    ],
    expect: "Allow",
    by: { policyId: "p0", sid: "First", index: 1 },
  },
  {
    name: "a deny whose condition fails does not deny",
    policies: [
      allowAll,
      policy({ Effect: "Deny", Action: "*", Resource: "*", Condition: { StringEquals: { "aws:PrincipalTag/role": "intern" } } }),
    ],
    keys: { "aws:principaltag/role": "admin" },
    expect: "Allow",
  },

  // ---- actions: case-insensitive, * and ? ----
  {
    name: "action match is case-insensitive",
    policies: [policy({ Effect: "Allow", Action: "CONNECT:describeuser", Resource: "*" })],
    expect: "Allow",
  },
  { name: "action prefix wildcard", policies: [policy({ Effect: "Allow", Action: "connect:Describe*", Resource: "*" })], expect: "Allow" },
  {
    name: "action ? matches exactly one character each",
    policies: [policy({ Effect: "Allow", Action: "connect:Describe????", Resource: "*" })],
    expect: "Allow",
  },
  {
    name: "action ? count too short",
    policies: [policy({ Effect: "Allow", Action: "connect:Describe???", Resource: "*" })],
    expect: "ImplicitDeny",
  },
  { name: "action * alone", policies: [policy({ Effect: "Allow", Action: "*", Resource: "*" })], expect: "Allow" },
  {
    name: "action wildcard in the service prefix",
    policies: [policy({ Effect: "Allow", Action: "conn*:DescribeUser", Resource: "*" })],
    expect: "Allow",
  },
  {
    name: "action list: any entry matches",
    policies: [policy({ Effect: "Allow", Action: ["connect:ListUsers", "connect:DescribeUser"], Resource: "*" })],
    expect: "Allow",
  },
  {
    name: "NotAction: action not listed → allowed",
    policies: [policy({ Effect: "Allow", NotAction: ["connect:Delete*", "iam:*"], Resource: "*" })],
    expect: "Allow",
  },
  {
    name: "NotAction: action listed → not allowed",
    policies: [policy({ Effect: "Allow", NotAction: "connect:describe*", Resource: "*" })],
    expect: "ImplicitDeny",
  },

  // ---- resources: case-sensitive, *, ?, piecewise ARN ----
  {
    name: "resource wildcard over agents",
    policies: [policy({ Effect: "Allow", Action: "connect:*", Resource: `${INSTANCE_ARN}/agent/*` })],
    expect: "Allow",
  },
  {
    name: "resource match is case-sensitive",
    policies: [policy({ Effect: "Allow", Action: "connect:*", Resource: `${INSTANCE_ARN}/AGENT/*` })],
    expect: "ImplicitDeny",
  },
  {
    name: "resource ? in the region",
    policies: [policy({ Effect: "Allow", Action: "connect:*", Resource: `arn:aws:connect:us-east-?:${ACCT}:instance/*` })],
    expect: "Allow",
  },
  {
    name: "resource ?? too long for the region",
    policies: [policy({ Effect: "Allow", Action: "connect:*", Resource: `arn:aws:connect:us-east-??:${ACCT}:instance/*` })],
    expect: "ImplicitDeny",
  },
  {
    name: "resource in another account",
    policies: [policy({ Effect: "Allow", Action: "connect:*", Resource: "arn:aws:connect:us-east-1:999999999999:instance/*" })],
    expect: "ImplicitDeny",
  },
  {
    name: "resource-part * spans ':' and '/'",
    policies: [policy({ Effect: "Allow", Action: "connect:*", Resource: `arn:aws:connect:us-east-1:${ACCT}:instance/*` })],
    resource: `${INSTANCE_ARN}/queue/q1:extra`,
    expect: "Allow",
  },
  {
    name: "partition * does not span ':' (ARN parts match piecewise)",
    policies: [policy({ Effect: "Allow", Action: "connect:*", Resource: `arn:*:connect:us-east-1:${ACCT}:*` })],
    resource: `arn:aws:x:connect:us-east-1:${ACCT}:instance`,
    expect: "ImplicitDeny",
  },
  {
    name: "all-wildcard ARN parts",
    policies: [policy({ Effect: "Allow", Action: "connect:*", Resource: "arn:aws:*:*:*:*" })],
    expect: "Allow",
  },
  {
    name: "NotResource: resource outside the list → allowed",
    policies: [policy({ Effect: "Allow", Action: "connect:*", NotResource: `${INSTANCE_ARN}/security-profile/*` })],
    expect: "Allow",
  },
  {
    name: "NotResource: resource in the list → not allowed",
    policies: [policy({ Effect: "Allow", Action: "connect:*", NotResource: [`${OTHER_INSTANCE_ARN}*`, `${INSTANCE_ARN}/agent/*`] })],
    expect: "ImplicitDeny",
  },
  {
    name: "Deny with NotResource fences everything outside one instance",
    policies: [allowAll, policy({ Effect: "Deny", Action: "connect:*", NotResource: `${INSTANCE_ARN}*` })],
    resource: `${OTHER_INSTANCE_ARN}/agent/u`,
    expect: "ExplicitDeny",
  },

  // ---- policy variables ----
  {
    name: "${aws:username} in Resource resolves",
    policies: [policy({ Effect: "Allow", Action: "connect:*", Resource: `${INSTANCE_ARN}/agent/\${aws:username}` })],
    resource: `${INSTANCE_ARN}/agent/alice`,
    keys: { "aws:username": "alice" },
    expect: "Allow",
  },
  {
    name: "${aws:username} resolves to another user",
    policies: [policy({ Effect: "Allow", Action: "connect:*", Resource: `${INSTANCE_ARN}/agent/\${aws:username}` })],
    resource: `${INSTANCE_ARN}/agent/alice`,
    keys: { "aws:username": "bob" },
    expect: "ImplicitDeny",
  },
  {
    name: "unresolvable variable: the resource does not match",
    policies: [policy({ Effect: "Allow", Action: "connect:*", Resource: `${INSTANCE_ARN}/agent/\${aws:username}` })],
    resource: `${INSTANCE_ARN}/agent/alice`,
    expect: "ImplicitDeny",
  },
  {
    name: "variable default value when the key is absent",
    policies: [policy({ Effect: "Allow", Action: "connect:*", Resource: `${INSTANCE_ARN}/agent/\${aws:username, 'alice'}` })],
    resource: `${INSTANCE_ARN}/agent/alice`,
    expect: "Allow",
  },
  {
    name: "multivalued key cannot be a variable",
    policies: [policy({ Effect: "Allow", Action: "connect:*", Resource: `${INSTANCE_ARN}/agent/\${aws:TagKeys}` })],
    resource: `${INSTANCE_ARN}/agent/alice`,
    keys: { "aws:tagkeys": ["alice"] },
    expect: "ImplicitDeny",
  },
  {
    name: "Version 2008-10-17: ${...} is literal text",
    policies: [
      { Version: "2008-10-17", Statement: { Effect: "Allow", Action: "connect:*", Resource: `${INSTANCE_ARN}/agent/\${aws:username}` } },
    ],
    resource: `${INSTANCE_ARN}/agent/\${aws:username}`,
    keys: { "aws:username": "alice" },
    expect: "Allow",
  },
  {
    name: "no Version: variables are not substituted",
    policies: [{ Statement: { Effect: "Allow", Action: "connect:*", Resource: `${INSTANCE_ARN}/agent/\${aws:username}` } }],
    resource: `${INSTANCE_ARN}/agent/alice`,
    keys: { "aws:username": "alice" },
    expect: "ImplicitDeny",
  },
  {
    name: "${aws:PrincipalTag/team} in a condition value",
    policies: [allowIf({ StringEquals: { "aws:ResourceTag/team": "${aws:PrincipalTag/team}" } })],
    keys: { "aws:resourcetag/team": "blue", "aws:principaltag/team": "blue" },
    expect: "Allow",
  },
  {
    name: "${aws:PrincipalTag/team} differs from the resource tag",
    policies: [allowIf({ StringEquals: { "aws:ResourceTag/team": "${aws:PrincipalTag/team}" } })],
    keys: { "aws:resourcetag/team": "blue", "aws:principaltag/team": "red" },
    expect: "ImplicitDeny",
  },
  {
    name: "${*} is a literal '*' (match)",
    policies: [allowIf({ StringLike: { "aws:PrincipalTag/p": "a${*}b" } })],
    keys: { "aws:principaltag/p": "a*b" },
    expect: "Allow",
  },
  {
    name: "${*} is not a wildcard",
    policies: [allowIf({ StringLike: { "aws:PrincipalTag/p": "a${*}b" } })],
    keys: { "aws:principaltag/p": "axb" },
    expect: "ImplicitDeny",
  },
  {
    name: "${?} is not a wildcard",
    policies: [allowIf({ StringLike: { "aws:PrincipalTag/p": "v${?}" } })],
    keys: { "aws:principaltag/p": "vx" },
    expect: "ImplicitDeny",
  },
  {
    name: "${$} is a literal '$'",
    policies: [allowIf({ StringEquals: { "aws:PrincipalTag/p": "${$}{x}" } })],
    keys: { "aws:principaltag/p": "${x}" },
    expect: "Allow",
  },
  {
    name: "variable inside StringLike keeps the surrounding wildcard",
    policies: [allowIf({ StringLike: { "aws:PrincipalTag/home": "/home/${aws:username}/*" } })],
    keys: { "aws:principaltag/home": "/home/alice/docs/x", "aws:username": "alice" },
    expect: "Allow",
  },

  // ---- string operators ----
  {
    name: "StringEquals match",
    policies: [allowIf({ StringEquals: { "aws:PrincipalTag/dept": "sales" } })],
    keys: { "aws:principaltag/dept": "sales" },
    expect: "Allow",
  },
  {
    name: "StringEquals is case-sensitive on values",
    policies: [allowIf({ StringEquals: { "aws:PrincipalTag/dept": "Sales" } })],
    keys: { "aws:principaltag/dept": "sales" },
    expect: "ImplicitDeny",
  },
  {
    name: "condition key names are case-insensitive",
    policies: [allowIf({ StringEquals: { "AWS:PrincipalTag/DEPT": "sales" } })],
    keys: { "aws:principaltag/dept": "sales" },
    expect: "Allow",
  },
  {
    name: "context key stored in mixed case is still found",
    policies: [allowIf({ StringEquals: { "aws:PrincipalTag/dept": "sales" } })],
    keys: { "aws:PrincipalTag/Dept": "sales" },
    expect: "Allow",
  },
  {
    name: "StringEquals with the key absent → false",
    policies: [allowIf({ StringEquals: { "aws:PrincipalTag/dept": "sales" } })],
    expect: "ImplicitDeny",
  },
  {
    name: "StringNotEquals different value",
    policies: [allowIf({ StringNotEquals: { "aws:PrincipalTag/dept": "sales" } })],
    keys: { "aws:principaltag/dept": "hr" },
    expect: "Allow",
  },
  {
    name: "StringNotEquals same value",
    policies: [allowIf({ StringNotEquals: { "aws:PrincipalTag/dept": "sales" } })],
    keys: { "aws:principaltag/dept": "sales" },
    expect: "ImplicitDeny",
  },
  {
    name: "StringNotEquals with the key absent → true (negated operator)",
    policies: [allowIf({ StringNotEquals: { "aws:PrincipalTag/dept": "sales" } })],
    expect: "Allow",
  },
  {
    name: "StringNotEquals with several values is NOR",
    policies: [allowIf({ StringNotEquals: { "aws:PrincipalTag/dept": ["sales", "hr"] } })],
    keys: { "aws:principaltag/dept": "hr" },
    expect: "ImplicitDeny",
  },
  {
    name: "StringEqualsIgnoreCase",
    policies: [allowIf({ StringEqualsIgnoreCase: { "aws:PrincipalTag/dept": "SALES" } })],
    keys: { "aws:principaltag/dept": "Sales" },
    expect: "Allow",
  },
  {
    name: "StringNotEqualsIgnoreCase",
    policies: [allowIf({ StringNotEqualsIgnoreCase: { "aws:PrincipalTag/dept": "SALES" } })],
    keys: { "aws:principaltag/dept": "sales" },
    expect: "ImplicitDeny",
  },
  {
    name: "StringLike with *",
    policies: [allowIf({ StringLike: { "aws:PrincipalTag/dept": "sales-*" } })],
    keys: { "aws:principaltag/dept": "sales-emea" },
    expect: "Allow",
  },
  {
    name: "StringLike with ?",
    policies: [allowIf({ StringLike: { "aws:PrincipalTag/tier": "t?" } })],
    keys: { "aws:principaltag/tier": "t10" },
    expect: "ImplicitDeny",
  },
  {
    name: "StringNotLike",
    policies: [allowIf({ StringNotLike: { "aws:PrincipalTag/dept": "sales-*" } })],
    keys: { "aws:principaltag/dept": "sales-emea" },
    expect: "ImplicitDeny",
  },
  {
    name: "several values for one key are ORed",
    policies: [allowIf({ StringEquals: { "aws:PrincipalTag/dept": ["hr", "sales"] } })],
    keys: { "aws:principaltag/dept": "sales" },
    expect: "Allow",
  },
  {
    name: "several keys in one operator are ANDed (both hold)",
    policies: [allowIf({ StringEquals: { "aws:PrincipalTag/dept": "sales", "aws:PrincipalTag/role": "lead" } })],
    keys: { "aws:principaltag/dept": "sales", "aws:principaltag/role": "lead" },
    expect: "Allow",
  },
  {
    name: "several keys in one operator are ANDed (one fails)",
    policies: [allowIf({ StringEquals: { "aws:PrincipalTag/dept": "sales", "aws:PrincipalTag/role": "lead" } })],
    keys: { "aws:principaltag/dept": "sales", "aws:principaltag/role": "agent" },
    expect: "ImplicitDeny",
  },
  {
    name: "several operators are ANDed",
    policies: [allowIf({ StringEquals: { "aws:PrincipalTag/dept": "sales" }, NumericLessThan: { "connect:Level": "3" } })],
    keys: { "aws:principaltag/dept": "sales", "connect:level": 5 },
    expect: "ImplicitDeny",
  },
  {
    name: "StringEqualsIfExists with the key absent → true",
    policies: [allowIf({ StringEqualsIfExists: { "aws:PrincipalTag/dept": "sales" } })],
    expect: "Allow",
  },
  {
    name: "StringEqualsIfExists with the key present is checked",
    policies: [allowIf({ StringEqualsIfExists: { "aws:PrincipalTag/dept": "sales" } })],
    keys: { "aws:principaltag/dept": "hr" },
    expect: "ImplicitDeny",
  },

  // ---- numeric ----
  {
    name: "NumericEquals (string policy value, number context)",
    policies: [allowIf({ NumericEquals: { "connect:Level": "10" } })],
    keys: { "connect:level": 10 },
    expect: "Allow",
  },
  {
    name: "NumericNotEquals",
    policies: [allowIf({ NumericNotEquals: { "connect:Level": ["10", "11"] } })],
    keys: { "connect:level": 12 },
    expect: "Allow",
  },
  {
    name: "NumericLessThan",
    policies: [allowIf({ NumericLessThan: { "connect:Level": 10 } })],
    keys: { "connect:level": "5" },
    expect: "Allow",
  },
  {
    name: "NumericLessThanEquals at the bound",
    policies: [allowIf({ NumericLessThanEquals: { "connect:Level": "10" } })],
    keys: { "connect:level": 10 },
    expect: "Allow",
  },
  {
    name: "NumericGreaterThan at the bound",
    policies: [allowIf({ NumericGreaterThan: { "connect:Level": "10" } })],
    keys: { "connect:level": 10 },
    expect: "ImplicitDeny",
  },
  {
    name: "NumericGreaterThanEquals (decimal context string)",
    policies: [allowIf({ NumericGreaterThanEquals: { "connect:Level": "10" } })],
    keys: { "connect:level": "10.0" },
    expect: "Allow",
  },
  {
    name: "Numeric operator with a non-numeric context value",
    policies: [allowIf({ NumericLessThan: { "connect:Level": "10" } })],
    keys: { "connect:level": "low" },
    expect: "ImplicitDeny",
  },

  // ---- date ----
  {
    name: "DateLessThan (ISO 8601 policy value, Date context)",
    policies: [allowIf({ DateLessThan: { "aws:CurrentTime": "2025-01-01T00:00:00Z" } })],
    keys: { "aws:currenttime": new Date("2024-06-01T00:00:00Z") },
    expect: "Allow",
  },
  {
    name: "DateGreaterThan (epoch seconds policy value)",
    policies: [allowIf({ DateGreaterThan: { "aws:CurrentTime": "1735689600" } })],
    keys: { "aws:currenttime": new Date("2024-06-01T00:00:00Z") },
    expect: "ImplicitDeny",
  },
  {
    name: "DateEquals across time zones",
    policies: [allowIf({ DateEquals: { "aws:TokenIssueTime": "2024-01-01T02:00:00+02:00" } })],
    keys: { "aws:tokenissuetime": "2024-01-01T00:00:00Z" },
    expect: "Allow",
  },
  {
    name: "DateNotEquals",
    policies: [allowIf({ DateNotEquals: { "aws:TokenIssueTime": "2024-01-01" } })],
    keys: { "aws:tokenissuetime": "2024-01-01T00:00:00Z" },
    expect: "ImplicitDeny",
  },
  {
    name: "DateLessThanEquals (epoch context number)",
    policies: [allowIf({ DateLessThanEquals: { "aws:EpochTime": "2024-01-01T00:00:00Z" } })],
    keys: { "aws:epochtime": 1704067200 },
    expect: "Allow",
  },
  {
    name: "DateGreaterThanEquals",
    policies: [allowIf({ DateGreaterThanEquals: { "aws:CurrentTime": "2024-01-01T00:00:00Z" } })],
    keys: { "aws:currenttime": "2023-12-31T23:59:59Z" },
    expect: "ImplicitDeny",
  },

  // ---- bool, binary ----
  {
    name: "Bool true",
    policies: [allowIf({ Bool: { "aws:SecureTransport": "true" } })],
    keys: { "aws:securetransport": true },
    expect: "Allow",
  },
  {
    name: "Bool mismatch",
    policies: [allowIf({ Bool: { "aws:SecureTransport": "true" } })],
    keys: { "aws:securetransport": "false" },
    expect: "ImplicitDeny",
  },
  {
    // IAM User Guide, "...IfExists" section: deny unless MFA, where the key may be missing.
    name: "BoolIfExists deny when MFA is absent",
    policies: [
      allowAll,
      policy({ Effect: "Deny", Action: "*", Resource: "*", Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } } }),
    ],
    expect: "ExplicitDeny",
  },
  {
    name: "BoolIfExists does not deny when MFA is present",
    policies: [
      allowAll,
      policy({ Effect: "Deny", Action: "*", Resource: "*", Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } } }),
    ],
    keys: { "aws:multifactorauthpresent": true },
    expect: "Allow",
  },
  {
    name: "BinaryEquals (base64)",
    policies: [allowIf({ BinaryEquals: { "connect:Blob": "QmluYXJ5VmFsdWVJbkJhc2U2NA==" } })],
    keys: { "connect:blob": "QmluYXJ5VmFsdWVJbkJhc2U2NA==" },
    expect: "Allow",
  },
  {
    name: "BinaryEquals mismatch",
    policies: [allowIf({ BinaryEquals: { "connect:Blob": "QmluYXJ5VmFsdWVJbkJhc2U2NA==" } })],
    keys: { "connect:blob": "b3RoZXI=" },
    expect: "ImplicitDeny",
  },

  // ---- IP addresses ----
  {
    name: "IpAddress IPv4 CIDR",
    policies: [allowIf({ IpAddress: { "aws:SourceIp": "203.0.113.0/24" } })],
    keys: { "aws:sourceip": "203.0.113.7" },
    expect: "Allow",
  },
  {
    name: "IpAddress IPv4 outside",
    policies: [allowIf({ IpAddress: { "aws:SourceIp": ["203.0.113.0/24", "198.51.100.5"] } })],
    keys: { "aws:sourceip": "198.51.100.6" },
    expect: "ImplicitDeny",
  },
  {
    name: "IpAddress IPv6 CIDR",
    policies: [allowIf({ IpAddress: { "aws:SourceIp": "2001:DB8:1234:5678::/64" } })],
    keys: { "aws:sourceip": "2001:db8:1234:5678::abcd" },
    expect: "Allow",
  },
  {
    // IAM User Guide example "AWS: Denies access to AWS based on the source IP".
    name: "NotIpAddress deny outside the corporate ranges",
    policies: [
      allowAll,
      policy({
        Effect: "Deny",
        Action: "*",
        Resource: "*",
        Condition: { NotIpAddress: { "aws:SourceIp": ["192.0.2.0/24", "203.0.113.0/24"] } },
      }),
    ],
    keys: { "aws:sourceip": "198.51.100.1" },
    expect: "ExplicitDeny",
  },
  {
    name: "NotIpAddress inside a listed range",
    policies: [allowIf({ NotIpAddress: { "aws:SourceIp": ["192.0.2.0/24", "2001:db8::/32"] } })],
    keys: { "aws:sourceip": "2001:db8::1" },
    expect: "ImplicitDeny",
  },

  // ---- ARN operators ----
  {
    name: "ArnLike",
    policies: [allowIf({ ArnLike: { "aws:SourceArn": `${INSTANCE_ARN}/agent/*` } })],
    keys: { "aws:sourcearn": USER_ARN },
    expect: "Allow",
  },
  {
    name: "ArnEquals also takes wildcards",
    policies: [allowIf({ ArnEquals: { "aws:SourceArn": "arn:aws:connect:*:*:instance/*" } })],
    keys: { "aws:sourcearn": USER_ARN },
    expect: "Allow",
  },
  {
    // a whole-string glob would let the service `*` swallow "connect:us-east-1"
    name: "ArnLike service * does not span ':' (piecewise)",
    policies: [allowIf({ ArnLike: { "aws:SourceArn": `arn:aws:*:${ACCT}:instance/${INST}:*` } })],
    keys: { "aws:sourcearn": `${INSTANCE_ARN}:v1` },
    expect: "ImplicitDeny",
  },
  {
    name: "ArnLike resource-part * spans ':'",
    policies: [allowIf({ ArnLike: { "aws:SourceArn": `arn:aws:*:*:${ACCT}:instance/*` } })],
    keys: { "aws:sourcearn": `${INSTANCE_ARN}:v1` },
    expect: "Allow",
  },
  {
    name: "ArnLike value with fewer than six parts never matches",
    policies: [allowIf({ ArnLike: { "aws:SourceArn": "arn:aws:connect:*" } })],
    keys: { "aws:sourcearn": USER_ARN },
    expect: "ImplicitDeny",
  },
  {
    name: "ArnNotLike",
    policies: [allowIf({ ArnNotLike: { "aws:SourceArn": `${INSTANCE_ARN}/*` } })],
    keys: { "aws:sourcearn": USER_ARN },
    expect: "ImplicitDeny",
  },
  {
    name: "ArnNotEquals",
    policies: [allowIf({ ArnNotEquals: { "aws:SourceArn": `${OTHER_INSTANCE_ARN}/*` } })],
    keys: { "aws:sourcearn": USER_ARN },
    expect: "Allow",
  },
  {
    name: "aws:PrincipalArn falls back to the request principal",
    policies: [allowIf({ ArnLike: { "aws:PrincipalArn": `arn:aws:iam::${ACCT}:user/*` } })],
    expect: "Allow",
  },

  // ---- Null ----
  { name: "Null true: key absent", policies: [allowIf({ Null: { "aws:TokenIssueTime": "true" } })], expect: "Allow" },
  {
    name: "Null true: key present",
    policies: [allowIf({ Null: { "aws:TokenIssueTime": "true" } })],
    keys: { "aws:tokenissuetime": "2024-01-01T00:00:00Z" },
    expect: "ImplicitDeny",
  },
  {
    name: "Null false: key present",
    policies: [allowIf({ Null: { "aws:TokenIssueTime": false } })],
    keys: { "aws:tokenissuetime": "2024-01-01T00:00:00Z" },
    expect: "Allow",
  },
  {
    name: "Null true: empty multivalued key counts as absent",
    policies: [allowIf({ Null: { "aws:TagKeys": "true" } })],
    keys: { "aws:tagkeys": [] },
    expect: "Allow",
  },

  // ---- ForAllValues / ForAnyValue ----
  {
    name: "ForAllValues:StringEquals subset",
    policies: [allowIf({ "ForAllValues:StringEquals": { "aws:TagKeys": ["Department", "Team"] } })],
    keys: { "aws:tagkeys": ["Department"] },
    expect: "Allow",
  },
  {
    name: "ForAllValues:StringEquals not a subset",
    policies: [allowIf({ "ForAllValues:StringEquals": { "aws:TagKeys": ["Department", "Team"] } })],
    keys: { "aws:tagkeys": ["Department", "Owner"] },
    expect: "ImplicitDeny",
  },
  {
    name: "ForAllValues with the key absent → true",
    policies: [allowIf({ "ForAllValues:StringEquals": { "aws:TagKeys": "Department" } })],
    expect: "Allow",
  },
  {
    name: "ForAllValues with an empty set → true",
    policies: [allowIf({ "ForAllValues:StringEquals": { "aws:TagKeys": "Department" } })],
    keys: { "aws:tagkeys": [] },
    expect: "Allow",
  },
  {
    name: "ForAnyValue:StringEquals one matches",
    policies: [allowIf({ "ForAnyValue:StringEquals": { "aws:TagKeys": ["Department", "Team"] } })],
    keys: { "aws:tagkeys": ["Owner", "Team"] },
    expect: "Allow",
  },
  {
    name: "ForAnyValue with the key absent → false",
    policies: [allowIf({ "ForAnyValue:StringEquals": { "aws:TagKeys": "Department" } })],
    expect: "ImplicitDeny",
  },
  {
    name: "ForAllValues:StringNotEquals none listed",
    policies: [allowIf({ "ForAllValues:StringNotEquals": { "aws:TagKeys": ["DataClass", "Owner"] } })],
    keys: { "aws:tagkeys": ["Dept", "SIC"] },
    expect: "Allow",
  },
  {
    name: "ForAllValues:StringNotEquals one listed",
    policies: [allowIf({ "ForAllValues:StringNotEquals": { "aws:TagKeys": ["DataClass", "Owner"] } })],
    keys: { "aws:tagkeys": ["Dept", "DataClass"] },
    expect: "ImplicitDeny",
  },
  {
    name: "ForAnyValue:StringNotEquals one not listed",
    policies: [allowIf({ "ForAnyValue:StringNotEquals": { "aws:TagKeys": ["DataClass", "Owner"] } })],
    keys: { "aws:tagkeys": ["DataClass", "Dept"] },
    expect: "Allow",
  },
  {
    name: "ForAnyValue:StringNotEquals all listed",
    policies: [allowIf({ "ForAnyValue:StringNotEquals": { "aws:TagKeys": ["DataClass", "Owner"] } })],
    keys: { "aws:tagkeys": ["DataClass", "Owner"] },
    expect: "ImplicitDeny",
  },
  {
    name: "ForAnyValue:StringNotEquals key absent → false",
    policies: [allowIf({ "ForAnyValue:StringNotEquals": { "aws:TagKeys": ["DataClass"] } })],
    expect: "ImplicitDeny",
  },
  {
    name: "ForAnyValue:StringLikeIfExists key absent → true",
    policies: [allowIf({ "ForAnyValue:StringLikeIfExists": { "aws:TagKeys": "team-*" } })],
    expect: "Allow",
  },
  {
    name: "ForAllValues:StringLike",
    policies: [allowIf({ "ForAllValues:StringLike": { "aws:TagKeys": ["team-*", "cost?"] } })],
    keys: { "aws:tagkeys": ["team-a", "cost1"] },
    expect: "Allow",
  },
  {
    name: "no set prefix on a multivalued key: any value matching suffices",
    policies: [allowIf({ StringEquals: { "aws:TagKeys": "Team" } })],
    keys: { "aws:tagkeys": ["Owner", "Team"] },
    expect: "Allow",
  },
  {
    name: "no set prefix, negated, multivalued key: denied if any value matches",
    policies: [allowIf({ StringNotEquals: { "aws:TagKeys": "Team" } })],
    keys: { "aws:tagkeys": ["Owner", "Team"] },
    expect: "ImplicitDeny",
  },
  {
    name: "ForAnyValue:NumericGreaterThan on a scalar key",
    policies: [allowIf({ "ForAnyValue:NumericGreaterThan": { "connect:Level": "3" } })],
    keys: { "connect:level": 4 },
    expect: "Allow",
  },

  // ---- Amazon Connect administrator guide examples ----
  {
    // Connect admin guide, "Amazon Connect resource-level policy examples" → "Deny all actions on an
    // Amazon Connect instance" (first method: the connect:InstanceId context key).
    name: "Connect docs: deny all actions on an instance by connect:InstanceId",
    policies: [
      allowAll,
      policy({ Effect: "Deny", Action: ["connect:*"], Resource: "*", Condition: { StringEquals: { "connect:InstanceId": INST } } }),
    ],
    action: "connect:UpdateUserIdentityInfo",
    keys: { "connect:instanceid": INST },
    expect: "ExplicitDeny",
    by: { policyId: "p1", index: 0 },
  },
  {
    // same page and policy, a request to another instance
    name: "Connect docs: the instance deny leaves other instances alone",
    policies: [
      allowAll,
      policy({ Effect: "Deny", Action: ["connect:*"], Resource: "*", Condition: { StringEquals: { "connect:InstanceId": INST } } }),
    ],
    resource: `${OTHER_INSTANCE_ARN}/agent/u`,
    keys: { "connect:instanceid": "11111111-2222-3333-4444-555555555555" },
    expect: "Allow",
  },
  {
    // same page, "Deny all actions on an Amazon Connect instance" (second method: instance ARN followed by *)
    name: "Connect docs: deny all actions on an instance by ARN + *",
    policies: [allowAll, policy({ Effect: "Deny", Action: ["connect:*"], Resource: `${INSTANCE_ARN}*` })],
    expect: "ExplicitDeny",
  },
  {
    // same page, "Deny the "delete" and "update" actions"
    name: "Connect docs: deny DeleteUser/UpdateUser* on the instance's agents (UpdateUserIdentityInfo)",
    policies: [
      allowAll,
      policy({ Effect: "Deny", Action: ["connect:DeleteUser", "connect:UpdateUser*"], Resource: `${INSTANCE_ARN}/agent/*` }),
    ],
    action: "connect:UpdateUserIdentityInfo",
    expect: "ExplicitDeny",
  },
  {
    // same policy: describing is still allowed
    name: "Connect docs: the delete/update deny leaves DescribeUser allowed",
    policies: [
      allowAll,
      policy({ Effect: "Deny", Action: ["connect:DeleteUser", "connect:UpdateUser*"], Resource: `${INSTANCE_ARN}/agent/*` }),
    ],
    expect: "Allow",
    by: { policyId: "p0", sid: "AllowAll" },
  },
  {
    // same page, "Allow "create users" but deny if you're assigned to a specific security profile"
    name: "Connect docs: CreateUser denied for the listed security profile",
    policies: [
      policy(
        { Effect: "Allow", Action: ["connect:CreateUser"], Resource: "*" },
        {
          Effect: "Deny",
          Action: ["connect:CreateUser"],
          Resource: `arn:aws:connect:us-west-2:${ACCT}:instance/${INST}/security-profile/11dtcggg1-123e-111e-93e3-11111bfbfcc17`,
        },
      ),
    ],
    action: "connect:CreateUser",
    resource: `arn:aws:connect:us-west-2:${ACCT}:instance/${INST}/security-profile/11dtcggg1-123e-111e-93e3-11111bfbfcc17`,
    expect: "ExplicitDeny",
    by: { index: 1 },
  },
  {
    name: "Connect docs: CreateUser with another security profile is allowed",
    policies: [
      policy(
        { Effect: "Allow", Action: ["connect:CreateUser"], Resource: "*" },
        {
          Effect: "Deny",
          Action: ["connect:CreateUser"],
          Resource: `arn:aws:connect:us-west-2:${ACCT}:instance/${INST}/security-profile/11dtcggg1-123e-111e-93e3-11111bfbfcc17`,
        },
      ),
    ],
    action: "connect:CreateUser",
    resource: `arn:aws:connect:us-west-2:${ACCT}:instance/${INST}/security-profile/other`,
    expect: "Allow",
  },
  {
    // Connect admin guide, "Amazon Connect identity-based policy examples": full access to the
    // instances in one account/region (connect:* on arn:aws:connect:us-east-1:123456789012:instance/*).
    name: "Connect docs: connect:* on instance/* allows UpdateUserIdentityInfo",
    policies: [policy({ Effect: "Allow", Action: "connect:*", Resource: `arn:aws:connect:us-east-1:${ACCT}:instance/*` })],
    action: "connect:UpdateUserIdentityInfo",
    expect: "Allow",
  },
  {
    name: "Connect docs: connect:* on instance/* does not reach another region",
    policies: [policy({ Effect: "Allow", Action: "connect:*", Resource: `arn:aws:connect:us-east-1:${ACCT}:instance/*` })],
    resource: `arn:aws:connect:eu-west-2:${ACCT}:instance/${INST}/agent/${USER_ID}`,
    expect: "ImplicitDeny",
  },
  {
    // Connect admin guide, "Tag-based access control" / "How Amazon Connect works with IAM" →
    // "Authorization based on Amazon Connect tags": aws:ResourceTag conditions on users.
    name: "Connect docs (tags): deny identity updates to users tagged role=admin",
    policies: [
      allowAll,
      policy({
        Effect: "Deny",
        Action: ["connect:UpdateUserIdentityInfo", "connect:UpdateUserSecurityProfiles", "connect:DeleteUser"],
        Resource: "*",
        Condition: { StringEquals: { "aws:ResourceTag/role": "admin" } },
      }),
    ],
    action: "connect:UpdateUserIdentityInfo",
    keys: { "aws:resourcetag/role": "admin" },
    expect: "ExplicitDeny",
  },
  {
    name: "Connect docs (tags): users without the admin tag can be updated",
    policies: [
      allowAll,
      policy({
        Effect: "Deny",
        Action: ["connect:UpdateUserIdentityInfo", "connect:UpdateUserSecurityProfiles", "connect:DeleteUser"],
        Resource: "*",
        Condition: { StringEquals: { "aws:ResourceTag/role": "admin" } },
      }),
    ],
    action: "connect:UpdateUserIdentityInfo",
    keys: { "aws:resourcetag/role": "agent" },
    expect: "Allow",
  },
  {
    // IAM User Guide, "Define permissions based on attributes with ABAC authorization" applied to
    // Connect users: the user's Department tag must equal the caller's.
    name: "Connect ABAC: aws:ResourceTag/Department = ${aws:PrincipalTag/Department}",
    policies: [
      policy({
        Effect: "Allow",
        Action: ["connect:DescribeUser", "connect:UpdateUser*"],
        Resource: `${INSTANCE_ARN}/agent/*`,
        Condition: { StringEquals: { "aws:ResourceTag/Department": "${aws:PrincipalTag/Department}" } },
      }),
    ],
    action: "connect:UpdateUserIdentityInfo",
    keys: { "aws:resourcetag/department": "Support", "aws:principaltag/department": "Support" },
    expect: "Allow",
  },
  {
    name: "Connect ABAC: a user in another department is not granted",
    policies: [
      policy({
        Effect: "Allow",
        Action: ["connect:DescribeUser", "connect:UpdateUser*"],
        Resource: `${INSTANCE_ARN}/agent/*`,
        Condition: { StringEquals: { "aws:ResourceTag/Department": "${aws:PrincipalTag/Department}" } },
      }),
    ],
    action: "connect:UpdateUserIdentityInfo",
    keys: { "aws:resourcetag/department": "Sales", "aws:principaltag/department": "Support" },
    expect: "ImplicitDeny",
  },
  {
    name: "Connect ABAC: untagged caller (variable unresolvable) is not granted",
    policies: [
      policy({
        Effect: "Allow",
        Action: ["connect:DescribeUser", "connect:UpdateUser*"],
        Resource: `${INSTANCE_ARN}/agent/*`,
        Condition: { StringEquals: { "aws:ResourceTag/Department": "${aws:PrincipalTag/Department}" } },
      }),
    ],
    keys: { "aws:resourcetag/department": "Sales" },
    expect: "ImplicitDeny",
  },
  {
    // Tag-based access with a fixed tag, as in "Authorization based on Amazon Connect tags".
    name: "Connect docs (tags): allow only users tagged Department=Sales",
    policies: [
      policy({
        Effect: "Allow",
        Action: "connect:*",
        Resource: "*",
        Condition: { StringEquals: { "aws:ResourceTag/Department": "Sales" } },
      }),
    ],
    keys: { "aws:resourcetag/department": "Sales" },
    expect: "Allow",
  },
];

function context(row: Row): RequestContext {
  return {
    action: row.action ?? "connect:DescribeUser",
    resource: row.resource ?? USER_ARN,
    principalArn: `arn:aws:iam::${ACCT}:user/alice`,
    keys: row.keys ?? {},
  };
}

describe("iam evaluate: decision table", () => {
  test("the table is large enough", () => {
    assert.ok(rows.length >= 60, `only ${rows.length} rows`);
    assert.equal(new Set(rows.map((r) => r.name)).size, rows.length, "row names must be unique");
  });
  for (const row of rows) {
    test(row.name, () => {
      const policies = row.policies.map((doc, i) => parsePolicy(`p${i}`, JSON.stringify(doc)));
      const d = evaluate(policies, context(row));
      assert.equal(d.decision, row.expect);
      if (row.by !== undefined) {
        assert.ok(d.decision !== "ImplicitDeny");
        if (row.by.policyId !== undefined) assert.equal(d.statement.policyId, row.by.policyId);
        if (row.by.sid !== undefined) assert.equal(d.statement.sid, row.by.sid);
        if (row.by.index !== undefined) assert.equal(d.statement.index, row.by.index);
      }
    });
  }
});

describe("iam evaluate: operator coverage", () => {
  test("every operator family appears in the table", () => {
    const seen = new Set<string>();
    for (const row of rows) {
      for (const doc of row.policies) {
        const st = (doc as { Statement: Json | Json[] }).Statement;
        for (const s of Array.isArray(st) ? st : [st]) for (const op of Object.keys((s.Condition as Json | undefined) ?? {})) seen.add(op);
      }
    }
    const bases = [
      "StringEquals",
      "StringNotEquals",
      "StringEqualsIgnoreCase",
      "StringNotEqualsIgnoreCase",
      "StringLike",
      "StringNotLike",
      "NumericEquals",
      "NumericNotEquals",
      "NumericLessThan",
      "NumericLessThanEquals",
      "NumericGreaterThan",
      "NumericGreaterThanEquals",
      "DateEquals",
      "DateNotEquals",
      "DateLessThan",
      "DateLessThanEquals",
      "DateGreaterThan",
      "DateGreaterThanEquals",
      "Bool",
      "BinaryEquals",
      "IpAddress",
      "NotIpAddress",
      "ArnEquals",
      "ArnLike",
      "ArnNotEquals",
      "ArnNotLike",
      "Null",
    ];
    const used = [...seen].map((o) => o.replace(/^For(All|Any)Values?:/, "").replace(/IfExists$/, ""));
    for (const b of bases) assert.ok(used.includes(b), `${b} is not exercised`);
    assert.ok([...seen].some((o) => o.startsWith("ForAllValues:")));
    assert.ok([...seen].some((o) => o.startsWith("ForAnyValue:")));
    assert.ok([...seen].some((o) => o.endsWith("IfExists")));
  });

  test("hand-built Policy objects are compiled on first use", () => {
    const d = evaluate(
      [{ id: "hand", version: "2012-10-17", statements: [{ effect: "Allow", action: ["connect:*"], resource: ["*"], index: 0 }] }],
      { action: "connect:DescribeUser", resource: USER_ARN, principalArn: "p", keys: {} },
    );
    assert.deepEqual(d, { decision: "Allow", statement: { policyId: "hand", index: 0 } });
  });
});
