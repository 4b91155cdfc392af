// ARN builders and parsing (src/common/arn.ts) and ID-or-ARN resolution of path labels
// (src/operations/resolve.ts).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  instanceArn,
  parseConnectArn,
  partitionOf,
  queueArn,
  routingProfileArn,
  type Scope,
  securityProfileArn,
  userArn,
} from "../../src/common/arn.js";
import { childIdOf, instanceIdOf } from "../../src/operations/resolve.js";

const SCOPE: Scope = { account: "000000000000", region: "us-east-1" };
const INSTANCE = "11111111-2222-3333-4444-555555555555";
const USER = "99999999-8888-7777-6666-555555555555";

describe("partitionOf", () => {
  test("commercial, China, GovCloud and ISO regions", () => {
    assert.equal(partitionOf("us-east-1"), "aws");
    assert.equal(partitionOf("eu-west-2"), "aws");
    assert.equal(partitionOf("ap-southeast-2"), "aws");
    assert.equal(partitionOf("cn-north-1"), "aws-cn");
    assert.equal(partitionOf("cn-northwest-1"), "aws-cn");
    assert.equal(partitionOf("us-gov-west-1"), "aws-us-gov");
    assert.equal(partitionOf("us-gov-east-1"), "aws-us-gov");
    assert.equal(partitionOf("us-iso-east-1"), "aws-iso");
    assert.equal(partitionOf("us-isob-east-1"), "aws-iso-b");
  });
});

describe("ARN builders", () => {
  test("instance and child ARNs", () => {
    const base = `arn:aws:connect:us-east-1:000000000000:instance/${INSTANCE}`;
    assert.equal(instanceArn(SCOPE, INSTANCE), base);
    assert.equal(userArn(SCOPE, INSTANCE, USER), `${base}/agent/${USER}`);
    assert.equal(securityProfileArn(SCOPE, INSTANCE, "sp"), `${base}/security-profile/sp`);
    assert.equal(routingProfileArn(SCOPE, INSTANCE, "rp"), `${base}/routing-profile/rp`);
    assert.equal(queueArn(SCOPE, INSTANCE, "q"), `${base}/queue/q`);
  });

  test("the partition follows the region", () => {
    assert.equal(
      instanceArn({ account: "123456789012", region: "cn-north-1" }, "i"),
      "arn:aws-cn:connect:cn-north-1:123456789012:instance/i",
    );
    assert.equal(
      userArn({ account: "123456789012", region: "us-gov-west-1" }, "i", "u"),
      "arn:aws-us-gov:connect:us-gov-west-1:123456789012:instance/i/agent/u",
    );
  });
});

describe("parseConnectArn", () => {
  test("an instance ARN", () => {
    assert.deepEqual(parseConnectArn(instanceArn(SCOPE, INSTANCE)), {
      partition: "aws",
      region: "us-east-1",
      account: "000000000000",
      instanceId: INSTANCE,
      rest: [],
    });
  });

  test("a user ARN keeps the rest split on `/`", () => {
    assert.deepEqual(parseConnectArn(userArn({ account: "123456789012", region: "cn-north-1" }, INSTANCE, USER)), {
      partition: "aws-cn",
      region: "cn-north-1",
      account: "123456789012",
      instanceId: INSTANCE,
      rest: ["agent", USER],
    });
  });

  test("round trip of every builder", () => {
    const scope: Scope = { account: "210987654321", region: "us-gov-east-1" };
    for (const [arn, rest] of [
      [securityProfileArn(scope, "i", "s"), ["security-profile", "s"]],
      [routingProfileArn(scope, "i", "r"), ["routing-profile", "r"]],
      [queueArn(scope, "i", "q"), ["queue", "q"]],
    ] as const) {
      const p = parseConnectArn(arn);
      assert.ok(p, arn);
      assert.equal(p.partition, "aws-us-gov");
      assert.equal(p.account, scope.account);
      assert.equal(p.region, scope.region);
      assert.equal(p.instanceId, "i");
      assert.deepEqual(p.rest, rest);
    }
  });

  test("not a Connect instance ARN → undefined", () => {
    for (const v of [
      INSTANCE,
      "",
      "arn",
      "arn:",
      "ARN:aws:connect:us-east-1:000000000000:instance/i",
      "arn:aws:s3:::bucket/key",
      "arn:aws:iam::000000000000:user/ada",
      "arn:aws:connect:us-east-1:000000000000:instance",
      "arn:aws:connect:us-east-1:000000000000:instance/",
      "arn:aws:connect:us-east-1:000000000000:phone-number/p",
      "arn:aws:connect:us-east-1:000000000000:instance/i:extra",
      "arn:aws:connect:us-east-1:000000000000",
    ]) {
      assert.equal(parseConnectArn(v), undefined, v);
    }
  });
});

describe("instanceIdOf", () => {
  test("a bare ID is returned as is", () => {
    assert.equal(instanceIdOf(SCOPE, INSTANCE), INSTANCE);
    assert.equal(instanceIdOf(SCOPE, "anything-else"), "anything-else");
  });

  test("an instance ARN of this account and region yields its ID", () => {
    assert.equal(instanceIdOf(SCOPE, instanceArn(SCOPE, INSTANCE)), INSTANCE);
  });

  test("an ARN of another account or region yields undefined", () => {
    assert.equal(instanceIdOf(SCOPE, instanceArn({ account: "123456789012", region: "us-east-1" }, INSTANCE)), undefined);
    assert.equal(instanceIdOf(SCOPE, instanceArn({ account: "000000000000", region: "us-west-2" }, INSTANCE)), undefined);
  });

  test("a child ARN (a user's) is not an instance ARN", () => {
    assert.equal(instanceIdOf(SCOPE, userArn(SCOPE, INSTANCE, USER)), undefined);
  });

  test("an ARN of another partition yields undefined", () => {
    assert.equal(instanceIdOf(SCOPE, `arn:aws-cn:connect:us-east-1:000000000000:instance/${INSTANCE}`), undefined);
  });
});

describe("childIdOf", () => {
  test("a bare ID is returned as is", () => {
    assert.equal(childIdOf(SCOPE, INSTANCE, "agent", USER), USER);
  });

  test("a matching child ARN yields the child ID", () => {
    assert.equal(childIdOf(SCOPE, INSTANCE, "agent", userArn(SCOPE, INSTANCE, USER)), USER);
    assert.equal(childIdOf(SCOPE, INSTANCE, "security-profile", securityProfileArn(SCOPE, INSTANCE, "sp-1")), "sp-1");
    assert.equal(childIdOf(SCOPE, INSTANCE, "routing-profile", routingProfileArn(SCOPE, INSTANCE, "rp-1")), "rp-1");
  });

  test("another account, region or instance → undefined", () => {
    assert.equal(childIdOf(SCOPE, INSTANCE, "agent", userArn({ account: "123456789012", region: "us-east-1" }, INSTANCE, USER)), undefined);
    assert.equal(childIdOf(SCOPE, INSTANCE, "agent", userArn({ account: "000000000000", region: "eu-west-2" }, INSTANCE, USER)), undefined);
    assert.equal(childIdOf(SCOPE, INSTANCE, "agent", userArn(SCOPE, "other-instance", USER)), undefined);
  });

  test("another resource type → undefined", () => {
    assert.equal(childIdOf(SCOPE, INSTANCE, "agent", securityProfileArn(SCOPE, INSTANCE, USER)), undefined);
    assert.equal(childIdOf(SCOPE, INSTANCE, "security-profile", routingProfileArn(SCOPE, INSTANCE, "x")), undefined);
  });

  test("the instance ARN itself, or extra segments → undefined", () => {
    assert.equal(childIdOf(SCOPE, INSTANCE, "agent", instanceArn(SCOPE, INSTANCE)), undefined);
    assert.equal(childIdOf(SCOPE, INSTANCE, "agent", `${userArn(SCOPE, INSTANCE, USER)}/more`), undefined);
    assert.equal(childIdOf(SCOPE, INSTANCE, "agent", `${instanceArn(SCOPE, INSTANCE)}/agent`), undefined);
  });
});
