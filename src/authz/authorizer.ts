// Authorizes every call with the caller's identity policies, as IAM does for Amazon Connect:
// an explicit Deny wins, then an Allow, else an implicit deny. The action, resource ARN and
// condition keys come from authzTarget() and requestContext() — the same functions the access
// report uses, so live requests and the report cannot disagree.
//
// Runs before the handler, so before any existence check: a caller without permission gets
// AccessDeniedException whether or not the user exists. Only the target's tags are read (for
// aws:ResourceTag/*), and only when one of the caller's policies mentions them; a missing target
// has no tags.
import { ServiceError } from "../common/errors.js";
import type { Logger } from "../common/log.js";
import { type Decision, evaluate } from "../iam/index.js";
import type { AuthorizationRequest, Authorizer } from "../protocol/pipeline.js";
import { requestContext } from "./context.js";
import type { PrincipalDirectory } from "./principal-directory.js";
import { authzTarget } from "./target.js";

export interface AuthorizerOptions {
  /**
   * Callers the directory does not know (only possible with `--auth off`, where any key names a
   * caller): true lets them do everything, false (the default) denies them everything.
   */
  allowUnknownCallers?: boolean;
}

const NO_TAGS: Readonly<Record<string, string>> = Object.freeze({});

/** AWS's AccessDeniedException message for an identity-policy denial. */
export function accessDeniedMessage(principalArn: string, action: string, resourceArn: string, explicit: boolean): string {
  const why = explicit
    ? "with an explicit deny in an identity-based policy"
    : `because no identity-based policy allows the ${action} action`;
  return `User: ${principalArn} is not authorized to perform: ${action} on resource: ${resourceArn} ${why}`;
}

export function createAuthorizer(directory: PrincipalDirectory, logger?: Logger, options: AuthorizerOptions = {}): Authorizer {
  return async (req: AuthorizationRequest): Promise<void> => {
    // The account root is allowed everything, as in AWS.
    if (req.caller.kind === "root") return;
    const principal = directory.principal(req.caller.principalArn);
    if (principal === undefined && options.allowUnknownCallers) return;

    const target = authzTarget(req.operation, req.input, req.scope);
    let decision: Decision = { decision: "ImplicitDeny" };
    if (principal !== undefined && principal.policies.length > 0) {
      let resourceTags = NO_TAGS;
      if (principal.usesResourceTags && target.instanceId !== undefined) {
        resourceTags =
          target.userId !== undefined
            ? ((await req.store.users.get(req.scope, target.instanceId, target.userId))?.tags ?? NO_TAGS)
            : ((await req.store.instances.get(req.scope, target.instanceId))?.tags ?? NO_TAGS);
      }
      const ctx = requestContext(target, principal.facts, resourceTags, { region: req.scope.region, sourceIp: req.sourceIp, now: req.now });
      decision = evaluate(principal.policies, ctx);
      if (decision.decision === "Allow") return;
    }

    const explicit = decision.decision === "ExplicitDeny";
    if (logger?.enabled("debug")) {
      logger.log("debug", "access denied", {
        principal: req.caller.principalArn,
        action: target.action,
        decision: decision.decision,
        policy: decision.decision === "ExplicitDeny" ? decision.statement.policyId : undefined,
        statement: decision.decision === "ExplicitDeny" ? decision.statement.index : undefined,
        sid: decision.decision === "ExplicitDeny" ? decision.statement.sid : undefined,
      });
    }
    throw new ServiceError(
      "AccessDeniedException",
      403,
      accessDeniedMessage(req.caller.principalArn, target.action, target.resourceArn, explicit),
    );
  };
}
