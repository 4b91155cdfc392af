// The one authorizer, for every service on the port: the caller's identity policies decide each
// call, as IAM does for Amazon Connect — an explicit Deny wins, then an Allow, else an implicit
// deny. The actions and resource ARNs come from the operation's declaration (authzTargets), the
// condition keys from requestContext() — the same functions the access report uses, so live
// requests and the report cannot disagree.
//
// Runs before the handler, so before any existence check: a caller without permission gets
// AccessDeniedException whether or not the user exists. Only the target's tags are read (for
// aws:ResourceTag/*), and only when one of the caller's policies mentions them; a missing target
// has no tags.
import type { Scope } from "../common/arn.js";
import type { Caller } from "../common/caller.js";
import { accessDenied } from "../common/errors.js";
import type { Logger } from "../common/log.js";
import { type Decision, evaluate } from "../iam/index.js";
import type { ServedOperation } from "../operations/declare.js";
import type { Store } from "../store/store.js";
import { requestContext } from "./context.js";
import type { PrincipalDirectory } from "./principal-directory.js";
import { type AuthzTarget, authzTargets } from "./target.js";

export interface AuthorizationRequest {
  declaration: ServedOperation;
  input: unknown;
  caller: Caller;
  scope: Scope;
  sourceIp: string;
  now: number;
}

/** Throws AccessDeniedException when the caller may not make this call. */
export type Authorizer = (request: AuthorizationRequest) => Promise<void>;

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

/**
 * The tags of the resource a target names (aws:ResourceTag/*); a missing resource has none.
 * Users keep their own read (the hot path of UpdateUserIdentityInfo); any other resource inside
 * an instance is read by its ARN from the one tag store every Describe* and ListTagsForResource
 * also read.
 */
async function resourceTagsOf(store: Store, scope: Scope, target: AuthzTarget): Promise<Readonly<Record<string, string>>> {
  if (target.instanceId === undefined) return NO_TAGS;
  if (target.userId !== undefined) return (await store.users.get(scope, target.instanceId, target.userId))?.tags ?? NO_TAGS;
  if (target.child !== undefined) return (await store.tags.get(scope, target.resourceArn)) ?? NO_TAGS;
  return (await store.instances.get(scope, target.instanceId))?.tags ?? NO_TAGS;
}

export function createAuthorizer(
  directory: Pick<PrincipalDirectory, "principal">,
  store: Store,
  logger?: Logger,
  options: AuthorizerOptions = {},
): Authorizer {
  return async (req: AuthorizationRequest): Promise<void> => {
    // The account root is allowed everything, as in AWS.
    if (req.caller.kind === "root") return;
    // Declared without IAM: the operation authorizes otherwise (a revert link's token), never an IAM caller.
    if (req.declaration.iam.length === 0) {
      if (req.caller.kind !== "user") return;
      throw accessDenied(accessDeniedMessage(req.caller.principalArn, req.declaration.name, "*", false));
    }
    const targets = authzTargets(req.declaration, req.input, req.scope);
    const principal = directory.principal(req.caller.principalArn);
    if (principal === undefined && options.allowUnknownCallers) return;
    for (const target of targets) await authorizeOne(req, target, principal);
  };

  async function authorizeOne(
    req: AuthorizationRequest,
    target: AuthzTarget,
    principal: ReturnType<PrincipalDirectory["principal"]>,
  ): Promise<void> {
    let decision: Decision = { decision: "ImplicitDeny" };
    if (principal !== undefined && principal.policies.length > 0) {
      const resourceTags = principal.usesResourceTags ? await resourceTagsOf(store, req.scope, target) : NO_TAGS;
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
    throw accessDenied(accessDeniedMessage(req.caller.principalArn, target.action, target.resourceArn, explicit));
  }
}
