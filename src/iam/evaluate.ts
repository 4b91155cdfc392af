// IAM User Guide, "Policy evaluation logic" (identity-based policies only): an explicit Deny in
// any policy wins; otherwise an Allow in any policy allows; otherwise the request is implicitly
// denied. A statement applies when its Action/NotAction, Resource/NotResource and every
// Condition clause match. The decision names the first deciding statement (policy order, then
// statement order) so messages can cite it.

import { actionMatches, type CompiledStatement, compiled, resourceMatches } from "./compile.js";
import { evalClause } from "./operators.js";
import type { Decision, Policy, RequestContext } from "./types.js";

const IMPLICIT_DENY: Decision = Object.freeze({ decision: "ImplicitDeny" as const });

function applies(st: CompiledStatement, ctx: RequestContext): boolean {
  if (actionMatches(st.actions, ctx) === st.notAction) return false;
  if (resourceMatches(st.resources, ctx) === st.notResource) return false;
  for (const c of st.conditions) if (!evalClause(c, ctx)) return false;
  return true;
}

/**
 * Decides a request against identity policies. Returned Decision objects are shared and frozen.
 * Throws PolicyError only for a hand-built Policy with an unknown condition operator.
 */
export function evaluate(policies: readonly Policy[], ctx: RequestContext): Decision {
  let allow: Decision | undefined;
  for (const p of policies) {
    for (const st of compiled(p).statements) {
      if (!st.deny && allow !== undefined) continue; // an earlier Allow already names the grant
      if (!applies(st, ctx)) continue;
      if (st.deny) return st.decision;
      allow = st.decision;
    }
  }
  return allow ?? IMPLICIT_DENY;
}
