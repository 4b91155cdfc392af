// Authorizes CloudTrail calls with the caller's identity policies — the same principals, the same
// evaluator and the same request context as Connect calls — for an action named directly
// (cloudtrail:LookupEvents on resource "*": CloudTrail's read actions have no resource-level
// permissions). The account root is allowed everything, as in AWS.
import { accessDeniedMessage } from "../authz/authorizer.js";
import { requestContext } from "../authz/context.js";
import type { PrincipalDirectory } from "../authz/principal-directory.js";
import { ServiceError } from "../common/errors.js";
import { type Decision, evaluate } from "../iam/index.js";
import type { ActionAuthorizer } from "./interceptor.js";

export interface ActionAuthorizerOptions {
  /** callers the directory does not know (only with `--auth off`): true allows them everything */
  allowUnknownCallers?: boolean;
}

export function createActionAuthorizer(
  directory: Pick<PrincipalDirectory, "principal">,
  options: ActionAuthorizerOptions = {},
): ActionAuthorizer {
  return async (req) => {
    if (req.caller.kind === "root") return;
    const principal = directory.principal(req.caller.principalArn);
    if (principal === undefined && options.allowUnknownCallers) return;
    let decision: Decision = { decision: "ImplicitDeny" };
    if (principal !== undefined && principal.policies.length > 0) {
      const ctx = requestContext(
        { action: req.action, resourceArn: req.resource },
        principal.facts,
        {},
        {
          region: req.scope.region,
          sourceIp: req.sourceIp,
          now: req.now,
        },
      );
      decision = evaluate(principal.policies, ctx);
      if (decision.decision === "Allow") return;
    }
    const explicit = decision.decision === "ExplicitDeny";
    throw new ServiceError(
      "AccessDeniedException",
      400,
      accessDeniedMessage(req.caller.principalArn, req.action, req.resource, explicit),
      undefined,
      "message",
    );
  };
}
