// Fault rules: the document's checks (every problem named, nothing half-applied), globs, and the
// decisions — order, count, nth, probability (seeded), principal and resource matching.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { loadConfig } from "../../src/config.js";
import { type FaultCall, Faults } from "../../src/protocol/faults/faults.js";
import { FaultRuleError, globRegExp, parseFaultDocument } from "../../src/protocol/faults/rules.js";

const call = (operation: string, extra: Partial<FaultCall> = {}): FaultCall => ({
  operation,
  principalArn: "arn:aws:iam::000000000000:root",
  resources: () => [],
  ...extra,
});

/** A seeded generator (mulberry32): the same draws every run. */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("the fault document", () => {
  test("names every problem, with its rule", () => {
    const err = (() => {
      try {
        parseFaultDocument({ rules: [{ error: "ThrottlingException" }, { operation: "X", error: "Nope", latencyMs: -1, color: "red" }] });
      } catch (e) {
        return e;
      }
      assert.fail("expected FaultRuleError");
    })();
    assert.ok(err instanceof FaultRuleError);
    assert.deepEqual(err.problems, [
      'rules[0]: "operation" is required (a glob such as "*" or "UpdateUser*")',
      'rules[1]: unknown member "color"',
      'rules[1]: "error": Nope is not an error of the Connect model (e.g. ThrottlingException)',
      'rules[1]: "latencyMs" must be a whole number 0..600000',
      'rules[1]: a rule needs "error", "drop" or "latencyMs"',
    ]);
    assert.throws(() => parseFaultDocument([]), /must be a JSON object/);
    assert.throws(() => parseFaultDocument({ rules: [{ operation: "Y", probability: 0.5, nth: 2, latencyMs: 1 }] }), /exclude each other/);
    assert.throws(
      () =>
        parseFaultDocument({
          rules: [
            { id: "a", operation: "A", drop: true },
            { id: "a", operation: "B", drop: true },
          ],
        }),
      /duplicate id "a"/,
    );
  });

  test("an invalid replace changes nothing", () => {
    const f = new Faults();
    f.replace({ rules: [{ id: "keep", operation: "*", drop: true }] });
    assert.throws(() => f.replace({ rules: [{ operation: "*", error: "Bad" }] }), FaultRuleError);
    assert.deepEqual(
      f.list().map((r) => r.id),
      ["keep"],
    );
    assert.throws(() => f.add({ id: "keep", operation: "X", drop: true }), /duplicate id/);
    assert.equal(f.add({ operation: "X", latencyMs: 5 }).id, "rule-2");
  });

  test("globs: * any run, ? one character, the rest literal", () => {
    assert.ok(globRegExp("Update*").test("UpdateUserIdentityInfo"));
    assert.ok(globRegExp("Describe?ser").test("DescribeUser"));
    assert.ok(!globRegExp("Describe?ser").test("DescribeUsers"));
    assert.ok(globRegExp("arn:aws:connect:*:*:instance/a.b/*").test("arn:aws:connect:us-east-1:1:instance/a.b/agent/x"));
    assert.ok(!globRegExp("a.b").test("axb"));
  });
});

describe("decisions", () => {
  test("the modeled error's status comes from the model; first firing rule wins; count spends a rule", () => {
    const f = new Faults();
    f.replace({
      rules: [
        { id: "limit", operation: "CreateUser", error: "LimitExceededException", count: 1 },
        { id: "all", operation: "*", error: "InternalServiceException" },
      ],
    });
    const first = f.decide(call("CreateUser"));
    assert.deepEqual([first?.rule, first?.error?.code, first?.error?.status], ["limit", "LimitExceededException", 429]);
    const second = f.decide(call("CreateUser"));
    assert.deepEqual([second?.rule, second?.error?.status], ["all", 500]);
    assert.deepEqual(
      f.list().map((r) => [r.id, r.matched, r.injected, r.remaining]),
      [
        ["limit", 1, 1, 0],
        ["all", 1, 1, undefined],
      ],
    );
  });

  test("nth fires on every Nth matching call; with count 1 on the Nth only", () => {
    const f = new Faults();
    f.replace({ rules: [{ operation: "DescribeUser", drop: true, nth: 3, count: 1 }] });
    const fired = Array.from({ length: 9 }, () => f.decide(call("DescribeUser"))?.drop === true);
    assert.deepEqual(fired, [false, false, true, false, false, false, false, false, false]);
  });

  test("probability draws from the given generator (seeded: the same calls fire every run)", () => {
    const run = () => {
      const f = new Faults(seeded(42));
      f.replace({ rules: [{ operation: "*", error: "ThrottlingException", probability: 0.25 }] });
      return Array.from({ length: 400 }, () => f.decide(call("ListUsers")) !== undefined);
    };
    const a = run();
    assert.deepEqual(a, run());
    const rate = a.filter(Boolean).length / a.length;
    assert.ok(rate > 0.15 && rate < 0.35, `fired ${rate}`);
  });

  test("principal and resource globs; resources are computed only when a rule names one", () => {
    const f = new Faults();
    f.replace({ rules: [{ operation: "*", principal: "*:user/ci-*", latencyMs: 10 }] });
    let asked = 0;
    const resources = () => {
      asked++;
      return ["arn:aws:connect:us-east-1:0:instance/i/agent/u1"];
    };
    assert.equal(f.decide(call("DescribeUser", { principalArn: "arn:aws:iam::0:user/ci-bot", resources }))?.latencyMs, 10);
    assert.equal(f.decide(call("DescribeUser", { principalArn: "arn:aws:iam::0:user/alice", resources })), undefined);
    assert.equal(asked, 0);
    f.replace({ rules: [{ operation: "*", resource: "*/agent/u1", drop: true }] });
    assert.equal(f.decide(call("DescribeUser", { resources }))?.drop, true);
    assert.equal(f.decide(call("DescribeUser", { resources: () => ["arn:aws:connect:us-east-1:0:instance/i/agent/u2"] })), undefined);
    assert.equal(asked, 1);
  });
});

test("configuration: --faults / SWITCHBOARD_FAULTS and --consistency-lag / SWITCHBOARD_CONSISTENCY_LAG_MS", () => {
  assert.equal(loadConfig([], {}).consistencyLagMs, 0);
  assert.equal(loadConfig([], {}).faultsFile, undefined);
  assert.match(loadConfig(["--faults", "f.json"], {}).faultsFile ?? "", /\/f\.json$/);
  assert.match(loadConfig([], { SWITCHBOARD_FAULTS: "g.json" }).faultsFile ?? "", /\/g\.json$/);
  assert.equal(loadConfig(["--consistency-lag", "2000"], { SWITCHBOARD_CONSISTENCY_LAG_MS: "5" }).consistencyLagMs, 2000);
  assert.equal(loadConfig([], { SWITCHBOARD_CONSISTENCY_LAG_MS: "5" }).consistencyLagMs, 5);
  assert.throws(() => loadConfig(["--consistency-lag", "soon"], {}), /consistency-lag must be a whole number/);
});
