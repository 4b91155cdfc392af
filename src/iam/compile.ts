// Policy → matchers, built once per Policy object and cached (WeakMap), so evaluate() only runs
// precompiled RegExps / globs and allocates nothing on the common path.

import { PolicyError } from "./errors.js";
import { type CompiledClause, compileClause, parseOperator } from "./operators.js";
import {
  anchored,
  arnGlobSource,
  arnTemplate,
  globMatchRange,
  globSource,
  lowerTokens,
  type Matcher,
  needsGlob,
  type Tok,
  tokenize,
} from "./pattern.js";
import type { Decision, Policy, RequestContext, Statement } from "./types.js";

/** Action list: case-insensitive whole-string globs, one alternation RegExp (+ rare many-star globs). */
export interface ActionMatcher {
  readonly any: boolean;
  readonly re: RegExp | undefined;
  /** lower-cased tokens, matched against the lower-cased action */
  readonly globs: readonly Tok[][];
}

/** Resource list: "*" matches everything; ARN globs piecewise; templates carry policy variables. */
export interface ResourceMatcher {
  readonly any: boolean;
  readonly re: RegExp | undefined;
  readonly templates: readonly Matcher[];
}

export interface CompiledStatement {
  readonly deny: boolean;
  readonly notAction: boolean;
  readonly actions: ActionMatcher;
  readonly notResource: boolean;
  readonly resources: ResourceMatcher;
  readonly conditions: readonly CompiledClause[];
  /** the Decision returned when this statement decides (shared, frozen) */
  readonly decision: Decision;
}

export interface CompiledPolicy {
  readonly statements: readonly CompiledStatement[];
}

export function compileActions(patterns: readonly string[]): ActionMatcher {
  const sources: string[] = [];
  const globs: Tok[][] = [];
  for (const p of patterns) {
    if (p === "*") return { any: true, re: undefined, globs: [] };
    const toks = tokenize(p, false, true);
    if (needsGlob(toks)) globs.push(lowerTokens(toks));
    else sources.push(globSource(toks));
  }
  return { any: false, re: anchored(sources, true), globs };
}

export function compileResources(patterns: readonly string[], variables: boolean): ResourceMatcher {
  const sources: string[] = [];
  const templates: Matcher[] = [];
  for (const p of patterns) {
    if (p === "*") return { any: true, re: undefined, templates: [] };
    const toks = tokenize(p, variables, true);
    if (needsGlob(toks)) {
      const m = arnTemplate(toks);
      if (m !== undefined) templates.push(m);
    } else {
      const src = arnGlobSource(toks);
      if (src !== undefined) sources.push(src);
    }
  }
  return { any: false, re: anchored(sources, false), templates };
}

export function actionMatches(m: ActionMatcher, ctx: RequestContext): boolean {
  if (m.any) return true;
  const action = ctx.action;
  if (m.re?.test(action)) return true;
  if (m.globs.length === 0) return false;
  const lower = action.toLowerCase();
  for (const g of m.globs) if (globMatchRange(g, lower, 0, lower.length, ctx)) return true;
  return false;
}

export function resourceMatches(m: ResourceMatcher, ctx: RequestContext): boolean {
  if (m.any) return true;
  const arn = ctx.resource;
  if (m.re?.test(arn)) return true;
  for (const t of m.templates) if (t.test(arn, ctx)) return true;
  return false;
}

function compileStatement(policy: Policy, st: Statement, problems: string[]): CompiledStatement {
  const variables = policy.version === "2012-10-17";
  const conditions: CompiledClause[] = [];
  for (const clause of st.condition ?? []) {
    const o = parseOperator(clause.operator);
    if (typeof o === "string") {
      problems.push(`Statement[${st.index}]: ${o}`);
      continue;
    }
    conditions.push(compileClause(clause, o, variables));
  }
  const ref = st.sid === undefined ? { policyId: policy.id, index: st.index } : { policyId: policy.id, sid: st.sid, index: st.index };
  const decision: Decision = Object.freeze(
    st.effect === "Deny"
      ? { decision: "ExplicitDeny" as const, statement: Object.freeze(ref) }
      : { decision: "Allow" as const, statement: Object.freeze(ref) },
  );
  return {
    deny: st.effect === "Deny",
    notAction: st.notAction !== undefined,
    actions: compileActions(st.action ?? st.notAction ?? []),
    notResource: st.notResource !== undefined,
    resources: compileResources(st.resource ?? st.notResource ?? [], variables),
    conditions,
    decision,
  };
}

const cache = new WeakMap<Policy, CompiledPolicy>();

/** The compiled form of a policy (cached per Policy object; policies are treated as immutable). */
export function compiled(policy: Policy): CompiledPolicy {
  let c = cache.get(policy);
  if (c === undefined) {
    const problems: string[] = [];
    c = { statements: policy.statements.map((s) => compileStatement(policy, s, problems)) };
    if (problems.length > 0) throw new PolicyError(policy.id, problems);
    cache.set(policy, c);
  }
  return c;
}
