// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables are spelled ${...} in policy text
// Properties of evaluate() over random policy sets (fast-check). Actions, resources and condition
// values come from tiny alphabets with wildcards so that patterns and requests collide often;
// a sampling test checks the mix of outcomes so the properties are not vacuous.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { type ContextValue, type Decision, evaluate, parsePolicy, type RequestContext } from "../../src/iam/index.js";
import { anchored, arnGlobSource, arnTemplate, globMatchRange, globSource, tokenize } from "../../src/iam/pattern.js";

type Json = Record<string, unknown>;

const str = (chars: readonly string[], min: number, max: number) =>
  fc.array(fc.constantFrom(...chars), { minLength: min, maxLength: max }).map((cs) => cs.join(""));

// ---- requests ----
const requestAction = fc.tuple(fc.constantFrom("s", "t"), str(["a", "b", "A"], 1, 3)).map(([svc, name]) => `${svc}:${name}`);
const requestResource = fc
  .tuple(fc.constantFrom("r1", "r2"), str(["a", "b", "/", ":"], 1, 4))
  .map(([region, rest]) => `arn:aws:s:${region}:1:${rest}`);
const contextKeys: fc.Arbitrary<Record<string, ContextValue>> = fc
  .record({
    "k:a": fc.option(fc.constantFrom("x", "y", "xy", "a"), { nil: undefined }),
    "k:b": fc.option(fc.constantFrom("x", "y"), { nil: undefined }),
    "k:n": fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }),
    "k:f": fc.option(fc.boolean(), { nil: undefined }),
    "k:m": fc.option(fc.constantFrom<readonly string[]>([], ["x"], ["y"], ["x", "y"], ["x", "z"]), { nil: undefined }),
  })
  .map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => v !== undefined)));
const request: fc.Arbitrary<RequestContext> = fc.record({
  action: requestAction,
  resource: requestResource,
  principalArn: fc.constant("arn:aws:iam::1:user/u"),
  keys: contextKeys,
});

// ---- policies ----
const actionPattern = fc.oneof(
  { weight: 1, arbitrary: fc.constant("*") },
  {
    weight: 6,
    arbitrary: fc
      .tuple(fc.constantFrom("s", "t", "S", "*", "?"), str(["a", "b", "B", "*", "?"], 1, 3))
      .map(([svc, name]) => `${svc}:${name}`),
  },
);
const resourcePattern = fc.oneof(
  { weight: 1, arbitrary: fc.constant("*") },
  {
    weight: 6,
    arbitrary: fc
      .tuple(fc.constantFrom("r1", "r2", "*", "r?"), str(["a", "b", "/", ":", "*", "*", "?", "${k:a}"], 0, 4))
      .map(([region, rest]) => `arn:aws:s:${region}:1:${rest}`),
  },
);
const clause: fc.Arbitrary<[string, string, string | string[]]> = fc.oneof(
  fc.tuple(
    fc.constantFrom("StringEquals", "StringNotEquals", "StringLike", "StringNotLike", "StringEqualsIfExists", "StringNotEqualsIfExists"),
    fc.constantFrom("k:a", "k:b", "k:m", "k:c"),
    fc.array(fc.constantFrom("x", "y", "x*", "?", "${k:b}"), { minLength: 1, maxLength: 2 }),
  ),
  fc.tuple(
    fc.constantFrom(
      "ForAllValues:StringEquals",
      "ForAnyValue:StringEquals",
      "ForAllValues:StringNotLike",
      "ForAnyValue:StringNotEquals",
      "ForAnyValue:StringLikeIfExists",
    ),
    fc.constantFrom("k:m", "k:a"),
    fc.array(fc.constantFrom("x", "y", "z*"), { minLength: 1, maxLength: 2 }),
  ),
  fc.tuple(fc.constant("Null"), fc.constantFrom("k:a", "k:m", "k:n"), fc.constantFrom("true", "false")),
  fc.tuple(
    fc.constantFrom("NumericLessThan", "NumericGreaterThanEquals", "NumericNotEquals"),
    fc.constant("k:n"),
    fc.constantFrom("1", "2"),
  ),
  fc.tuple(fc.constantFrom("Bool", "BoolIfExists"), fc.constant("k:f"), fc.constantFrom("true", "false")),
);
const condition = fc.array(clause, { minLength: 0, maxLength: 2 }).map((cs) => {
  const out: Record<string, Record<string, string | string[]>> = {};
  for (const [op, key, values] of cs) {
    const block = out[op] ?? {};
    block[key] = values;
    out[op] = block;
  }
  return out;
});

const statement = (effect: fc.Arbitrary<"Allow" | "Deny">): fc.Arbitrary<Json> =>
  fc
    .record({
      effect,
      not: fc.record({ action: fc.boolean(), resource: fc.boolean() }),
      actions: fc.array(actionPattern, { minLength: 1, maxLength: 2 }),
      resources: fc.array(resourcePattern, { minLength: 1, maxLength: 2 }),
      condition: fc.option(condition, { nil: undefined, freq: 2 }),
      notChance: fc.integer({ min: 0, max: 9 }),
    })
    .map((s) => {
      const st: Json = { Effect: s.effect };
      // NotAction / NotResource one time in ten each
      st[s.notChance === 0 ? "NotAction" : "Action"] = s.actions;
      st[s.notChance === 1 ? "NotResource" : "Resource"] = s.resources;
      if (s.condition !== undefined && Object.keys(s.condition).length > 0) st.Condition = s.condition;
      return st;
    });

const anyEffect = fc.oneof({ weight: 3, arbitrary: fc.constant("Allow" as const) }, { weight: 1, arbitrary: fc.constant("Deny" as const) });
const policyDoc = fc.array(statement(anyEffect), { minLength: 1, maxLength: 4 }).map((Statement) => ({ Version: "2012-10-17", Statement }));
const policySet = fc.array(policyDoc, { minLength: 1, maxLength: 3 });

// ---- helpers ----
const parseAll = (docs: readonly Json[]) => docs.map((d, i) => parsePolicy(`p${i}`, d));
const decide = (docs: readonly Json[], ctx: RequestContext) => evaluate(parseAll(docs), ctx);
/** permissiveness: ExplicitDeny < ImplicitDeny < Allow */
const rank = (d: Decision) => (d.decision === "ExplicitDeny" ? 0 : d.decision === "ImplicitDeny" ? 1 : 2);
const stmts = (doc: Json) => doc.Statement as Json[];

const RUNS = { numRuns: 600 };

describe("iam evaluate: properties", () => {
  test("generators produce a healthy mix of outcomes (the properties are not vacuous)", (t) => {
    const samples = fc.sample(fc.tuple(policySet, request), { numRuns: 3000, seed: 42 });
    const counts = { Allow: 0, ExplicitDeny: 0, ImplicitDeny: 0 };
    for (const [docs, ctx] of samples) counts[decide(docs, ctx).decision]++;
    const n = samples.length;
    t.diagnostic(`outcomes over ${n} samples: ${JSON.stringify(counts)}`);
    assert.ok(counts.Allow / n > 0.1, `Allow share ${counts.Allow}/${n}`);
    assert.ok(counts.ExplicitDeny / n > 0.03, `ExplicitDeny share ${counts.ExplicitDeny}/${n}`);
    assert.ok(counts.ImplicitDeny / n > 0.1, `ImplicitDeny share ${counts.ImplicitDeny}/${n}`);
  });

  test("adding a Deny statement never makes a decision more permissive", (t) => {
    let changed = 0;
    fc.assert(
      fc.property(policySet, request, statement(fc.constant("Deny")), fc.nat(), fc.nat(), (docs, ctx, deny, pi, si) => {
        const before = decide(docs, ctx);
        const target = pi % (docs.length + 1); // docs.length = a new policy of its own
        const after = docs.map((d) => ({ ...d, Statement: [...stmts(d)] }));
        if (target === after.length) after.push({ Version: "2012-10-17", Statement: [deny] });
        else {
          const list = stmts(after[target] as Json);
          list.splice(si % (list.length + 1), 0, deny);
        }
        const now = decide(after, ctx);
        if (now.decision !== before.decision) changed++;
        assert.ok(rank(now) <= rank(before), `${before.decision} became ${now.decision}`);
        if (before.decision !== "Allow") assert.notEqual(now.decision, "Allow");
        if (before.decision === "ExplicitDeny") assert.equal(now.decision, "ExplicitDeny");
      }),
      RUNS,
    );
    t.diagnostic(`an added Deny changed ${changed} of ${RUNS.numRuns} decisions`);
    assert.ok(changed > 0, "no added Deny ever changed a decision");
  });

  test("removing an Allow statement never grants (the allowed set shrinks)", (t) => {
    let changed = 0;
    fc.assert(
      fc.property(policySet, request, fc.nat(), (docs, ctx, pick) => {
        const allows: [number, number][] = [];
        docs.forEach((d, p) => {
          stmts(d).forEach((s, i) => {
            if (s.Effect === "Allow") allows.push([p, i]);
          });
        });
        fc.pre(allows.length > 0);
        const [p, i] = allows[pick % allows.length] as [number, number];
        const before = decide(docs, ctx);
        const after = docs
          .map((d, j) => (j === p ? { ...d, Statement: stmts(d).filter((_, k) => k !== i) } : d))
          .filter((d) => stmts(d).length > 0);
        const now = decide(after, ctx);
        if (now.decision !== before.decision) changed++;
        assert.ok(rank(now) <= rank(before), `${before.decision} became ${now.decision}`);
        if (before.decision !== "Allow") assert.equal(now.decision, before.decision);
      }),
      RUNS,
    );
    t.diagnostic(`a removed Allow changed ${changed} decisions`);
    assert.ok(changed > 0, "no removed Allow ever changed a decision");
  });

  test("evaluation is deterministic and the decision kind does not depend on policy order", () => {
    fc.assert(
      fc.property(
        fc
          .tuple(policySet, request)
          .chain(([docs, ctx]) =>
            fc.tuple(fc.constant(docs), fc.constant(ctx), fc.shuffledSubarray(docs, { minLength: docs.length, maxLength: docs.length })),
          ),
        ([docs, ctx, shuffled]) => {
          const policies = parseAll(docs);
          const first = evaluate(policies, ctx);
          assert.deepEqual(evaluate(policies, ctx), first);
          assert.deepEqual(decide(docs, ctx), first); // freshly parsed copies decide the same
          assert.equal(decide(shuffled, ctx).decision, first.decision);
        },
      ),
      RUNS,
    );
  });

  test("the reported statement really is a deciding statement of that effect", () => {
    fc.assert(
      fc.property(policySet, request, (docs, ctx) => {
        const d = decide(docs, ctx);
        if (d.decision === "ImplicitDeny") return;
        const idx = Number(d.statement.policyId.slice(1));
        const st = stmts(docs[idx] as Json)[d.statement.index] as Json;
        assert.equal(st.Effect, d.decision === "Allow" ? "Allow" : "Deny");
        // that statement alone decides the same way
        assert.equal(decide([{ Version: "2012-10-17", Statement: [st] }], ctx).decision, d.decision);
      }),
      RUNS,
    );
  });
});

describe("iam patterns: the glob matcher agrees with the precompiled RegExps", () => {
  const noKeys: RequestContext = { action: "", resource: "", principalArn: "", keys: {} };
  const pattern = str(["a", "b", ":", "/", "*", "?"], 0, 12);
  const text = str(["a", "b", ":", "/"], 0, 14);

  test("whole-string globs", () => {
    fc.assert(
      fc.property(pattern, text, (p, t) => {
        const toks = tokenize(p, false, true);
        const re = anchored([globSource(toks)], false) as RegExp;
        assert.equal(globMatchRange(toks, t, 0, t.length, noKeys), re.test(t), `${p} vs ${t}`);
      }),
      { numRuns: 3000 },
    );
  });

  test("ARN globs, piecewise", () => {
    fc.assert(
      fc.property(pattern, text, (p, t) => {
        const toks = tokenize(`arn:${p}`, false, true);
        const src = arnGlobSource(toks);
        const tmpl = arnTemplate(toks);
        assert.equal(src === undefined, tmpl === undefined);
        if (src === undefined || tmpl === undefined) return;
        const arn = `arn:${t}`;
        assert.equal(tmpl.test(arn, noKeys), (anchored([src], false) as RegExp).test(arn), `arn:${p} vs ${arn}`);
      }),
      { numRuns: 3000 },
    );
  });

  test("many-star patterns cannot stall evaluate()", () => {
    const stars = "a*".repeat(12);
    const policy = parsePolicy("stars", {
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Action: `s:${stars}b`, Resource: "*" },
        { Effect: "Allow", Action: "*", Resource: `arn:aws:s:r:1:${stars}b` },
        { Effect: "Allow", Action: "*", Resource: "*", Condition: { StringLike: { "k:a": `${stars}b` } } },
      ],
    });
    const long = "a".repeat(3000);
    const t0 = performance.now();
    const d = evaluate([policy], { action: `s:${long}`, resource: `arn:aws:s:r:1:${long}`, principalArn: "p", keys: { "k:a": long } });
    assert.equal(d.decision, "ImplicitDeny");
    assert.ok(performance.now() - t0 < 1000, "pathological pattern took too long");
    const ok = evaluate([policy], { action: `S:${long}B`, resource: "arn:aws:s:r:1:x", principalArn: "p", keys: {} });
    assert.equal(ok.decision, "Allow");
  });
});
