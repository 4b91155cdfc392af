// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables are spelled ${...} in policy text
// evaluate() runs per request and in access reports (principals × users), so it must stay cheap:
// this measures µs per evaluate for a realistic 5-statement policy and fails only on a gross
// regression (the bound is far above the measured figure, ~0.6 µs on a dev machine).
import assert from "node:assert/strict";
import { test } from "node:test";
import { evaluate, parsePolicy, type RequestContext } from "../../src/iam/index.js";

const INST = "arn:aws:connect:us-east-1:123456789012:instance/00fbeee1-123e-111e-93e3-11111bfbfcc1";

test("iam evaluate: µs per evaluate, 5-statement policy", (t) => {
  const policy = parsePolicy("bench", {
    Version: "2012-10-17",
    Statement: [
      { Sid: "Read", Effect: "Allow", Action: ["connect:Describe*", "connect:List*", "connect:Search*"], Resource: `${INST}/*` },
      {
        Sid: "Update",
        Effect: "Allow",
        Action: ["connect:UpdateUser*"],
        Resource: `${INST}/agent/*`,
        Condition: { StringEquals: { "aws:ResourceTag/Department": "${aws:PrincipalTag/Department}" } },
      },
      {
        Sid: "NoAdmins",
        Effect: "Deny",
        Action: ["connect:UpdateUserIdentityInfo", "connect:DeleteUser", "connect:UpdateUserSecurityProfiles"],
        Resource: "*",
        Condition: { StringEquals: { "aws:ResourceTag/role": ["admin", "root"] } },
      },
      {
        Sid: "Net",
        Effect: "Deny",
        Action: "*",
        Resource: "*",
        Condition: { NotIpAddress: { "aws:SourceIp": ["203.0.113.0/24", "10.0.0.0/8"] }, BoolIfExists: { "aws:ViaAWSService": "false" } },
      },
      {
        Sid: "Tags",
        Effect: "Allow",
        Action: "connect:TagResource",
        Resource: `${INST}/agent/*`,
        Condition: { "ForAllValues:StringLike": { "aws:TagKeys": ["team-*", "Department"] } },
      },
    ],
  });
  const depts = ["Sales", "Support", "HR", "Ops"];
  const roles = ["agent", "admin", "lead", "agent"];
  const actions = ["connect:UpdateUserIdentityInfo", "connect:DescribeUser", "connect:DeleteUser", "connect:TagResource"];
  const ctxs: RequestContext[] = [];
  for (let i = 0; i < 1000; i++) {
    ctxs.push({
      action: actions[i % 4] as string,
      resource: `${INST}/agent/user-${i}`,
      principalArn: "arn:aws:iam::123456789012:user/alice",
      keys: {
        "aws:resourcetag/department": depts[i % 4],
        "aws:principaltag/department": depts[(i >> 2) % 4],
        "aws:resourcetag/role": roles[(i >> 3) % 4],
        "aws:sourceip": i % 7 === 0 ? "198.51.100.1" : "10.1.2.3",
        "aws:tagkeys": ["team-a", "Department"],
      },
    });
  }
  const tally = { Allow: 0, ExplicitDeny: 0, ImplicitDeny: 0 };
  for (const c of ctxs) tally[evaluate([policy], c).decision]++;
  assert.ok(tally.Allow > 0 && tally.ExplicitDeny > 0 && tally.ImplicitDeny > 0, JSON.stringify(tally));

  const N = 300_000;
  for (let i = 0; i < 50_000; i++) evaluate([policy], ctxs[i % 1000] as RequestContext); // warm-up
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < N; i++) evaluate([policy], ctxs[i % 1000] as RequestContext);
  const us = Number(process.hrtime.bigint() - t0) / 1e3 / N;
  t.diagnostic(`${us.toFixed(3)} µs per evaluate (5 statements, ${JSON.stringify(tally)})`);
  assert.ok(us < 50, `${us} µs per evaluate`);
});
