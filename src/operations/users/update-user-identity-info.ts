// UpdateUserIdentityInfo — POST /users/{InstanceId}/{UserId}/identity-info
// (https://docs.aws.amazon.com/connect/latest/APIReference/API_UpdateUserIdentityInfo.html).
// The call replaces the identity info as a whole: omitted optional members are cleared
// (README, "Fidelity notes"). On EXISTING_DIRECTORY instances only SecondaryEmail and Mobile
// are the caller's; the directory-managed names and Email are kept as they are.
// AWS warns that whoever may call it can take an account over (change the e-mail, reset the
// password): the change is audited with which members changed (masked), and it is reported as an
// event, on which the old-address alert is sent (notify/).
import { identityChanges } from "../../audit/identity-changes.js";
import { resourceNotFound } from "../../common/errors.js";
import type { IdentityInfo } from "../../store/records.js";
import { operation } from "../declare.js";
import { onUser } from "../iam-targets.js";
import { requireInstance, userIdOf } from "../resolve.js";
import { checkIdentityInfo } from "./rules.js";
import { identityFromWire } from "./wire.js";

export const updateUserIdentityInfo = operation("UpdateUserIdentityInfo", {
  iam: onUser(),
  mutates: true,
  async handle(input, ctx) {
    const instance = await requireInstance(ctx, input.InstanceId);
    checkIdentityInfo(instance.identityManagementType, input.IdentityInfo);

    const userId = userIdOf(ctx, instance, input.UserId);
    const current = userId === undefined ? undefined : await ctx.store.users.lockForUpdate(ctx.scope, instance.id, userId);
    if (!current) throw resourceNotFound(`User not found: ${input.UserId}`);

    let next: IdentityInfo = identityFromWire(input.IdentityInfo);
    if (instance.identityManagementType === "EXISTING_DIRECTORY") {
      const { firstName, lastName, email } = current.identityInfo;
      next = { ...next, firstName, lastName, email };
    }
    const updated = await ctx.store.users.updateIdentityInfo(ctx.scope, instance.id, current.id, next, ctx.clock.now());
    if (!updated) throw resourceNotFound(`User not found: ${input.UserId}`);

    ctx.audit.targetUserId = current.id;
    ctx.audit.additionalEventData = identityChanges(current.identityInfo, next);
    ctx.emit({ kind: "user-identity-changed", user: current, before: current.identityInfo, after: next });
  },
});
