// UpdateUserIdentityInfo — POST /users/{InstanceId}/{UserId}/identity-info
// (https://docs.aws.amazon.com/connect/latest/APIReference/API_UpdateUserIdentityInfo.html).
// The call replaces the identity info as a whole: omitted optional members are cleared
// (README, "Fidelity notes"). On EXISTING_DIRECTORY instances only SecondaryEmail and Mobile
// are the caller's; the directory-managed names and Email are kept as they are.
// AWS warns that whoever may call it can take an account over (change the e-mail, reset the
// password): the change is audited with which members changed (masked), and it is reported as an
// event, on which the old-address alert is sent (notify/).
//
// The hot write of a directory sync: where the store can do it in one step (PostgreSQL: one
// statement, UsersRepo.updateIdentityInfoAtOnce), handleAtOnce does the same change that way —
// unless a subscriber acts on it (an e-mail change: the alert), which handle then reports.
import { identityChanges } from "../../audit/identity-changes.js";
import { resourceNotFound } from "../../common/errors.js";
import type { UserIdentityInfo } from "../../model/types.gen.js";
import type { IdentityInfo, IdentityManagementType } from "../../store/records.js";
import { NOT_AT_ONCE, operation } from "../declare.js";
import { onUser } from "../iam-targets.js";
import { childIdOf, instanceIdOf, requireInstance, userIdOf } from "../resolve.js";
import { checkIdentityInfo, typesAccepting } from "./rules.js";
import { identityFromWire } from "./wire.js";

/** What is stored: the request's identity, but the directory's members kept on an EXISTING_DIRECTORY instance. */
function nextIdentity(type: IdentityManagementType, requested: UserIdentityInfo, current: IdentityInfo): IdentityInfo {
  const next = identityFromWire(requested);
  if (type !== "EXISTING_DIRECTORY") return next;
  const { firstName, lastName, email } = current;
  return { ...next, firstName, lastName, email };
}

/**
 * Text the database stores exactly as given: PostgreSQL refuses NUL, and a lone surrogate would
 * reach it as U+FFFD (so it would compare, and be masked, otherwise than in JavaScript).
 */
const storable = (v: string | undefined) => v === undefined || !/[\0\p{Cs}]/u.test(v);

export const updateUserIdentityInfo = operation("UpdateUserIdentityInfo", {
  iam: onUser(),
  mutates: true,
  async handle(input, ctx) {
    const instance = await requireInstance(ctx, input.InstanceId);
    checkIdentityInfo(instance.identityManagementType, input.IdentityInfo);

    const userId = userIdOf(ctx, instance, input.UserId);
    const current = userId === undefined ? undefined : await ctx.store.users.lockForUpdate(ctx.scope, instance.id, userId);
    if (!current) throw resourceNotFound(`User not found: ${input.UserId}`);

    const next = nextIdentity(instance.identityManagementType, input.IdentityInfo, current.identityInfo);
    const updated = await ctx.store.users.updateIdentityInfo(ctx.scope, instance.id, current.id, next, ctx.clock.now());
    if (!updated) throw resourceNotFound(`User not found: ${input.UserId}`);

    ctx.audit.targetUserId = current.id;
    ctx.audit.additionalEventData = identityChanges(current.identityInfo, next);
    ctx.emit({ kind: "user-identity-changed", user: current, before: current.identityInfo, after: next });
  },

  // handle's checks in handle's order, decided by the one statement: the instance (not found),
  // its type's rules (the request says which types it passes; for another, the same check
  // throws here), the user (not found), then the change. What the statement cannot decide
  // exactly as handle does goes to handle: an ARN naming another scope, text the database would
  // refuse or alter, a member a subscriber watches that changes.
  async handleAtOnce(input, ctx) {
    if (!ctx.store.users.updateIdentityInfoAtOnce) return NOT_AT_ONCE;
    const watched = ctx.watched("user-identity-changed");
    if (watched === "any") return NOT_AT_ONCE;
    const instanceId = instanceIdOf(ctx.scope, input.InstanceId);
    if (instanceId === undefined) return NOT_AT_ONCE;
    const userId = childIdOf(ctx.scope, instanceId, "agent", input.UserId);
    const requested = identityFromWire(input.IdentityInfo);
    if (userId === undefined || !storable(instanceId) || !storable(userId) || !Object.values(requested).every(storable)) return NOT_AT_ONCE;

    const outcome = await ctx.store.users.updateIdentityInfoAtOnce(ctx.scope, {
      instanceId,
      userId,
      info: requested,
      allowedTypes: typesAccepting(input.IdentityInfo),
      watched,
      modifiedTime: ctx.clock.now(),
      event: ctx.auditEvent({ ...ctx.audit, targetUserId: userId }),
    });
    switch (outcome.kind) {
      case "no-instance":
        throw resourceNotFound(`Instance not found: ${input.InstanceId}`);
      case "refused":
        checkIdentityInfo(outcome.type, input.IdentityInfo);
        throw new Error(`UpdateUserIdentityInfo: the store refused type ${outcome.type}, which the rules accept`);
      case "no-user":
        throw resourceNotFound(`User not found: ${input.UserId}`);
      case "ordinary":
        return NOT_AT_ONCE;
      case "updated":
        // What handle leaves in the notes (the event itself is already written).
        ctx.audit.targetUserId = userId;
        ctx.audit.additionalEventData = identityChanges(outcome.before, nextIdentity(outcome.type, input.IdentityInfo, outcome.before));
        return undefined;
    }
  },
});
