// UpdateUserIdentityInfo — POST /users/{InstanceId}/{UserId}/identity-info (spec A.8).
// The call replaces the identity info as a whole: omitted optional members are cleared
// (README, "Fidelity notes"). On EXISTING_DIRECTORY instances only SecondaryEmail and Mobile
// are the caller's; the directory-managed names and Email are kept as they are.
// The pipeline runs this inside one transaction with its audit event; the audit notes carry
// which members changed (masked).
import { resourceNotFound } from "../../common/errors.js";
import { queueOldAddressAlert } from "../../notify/email-alert.js";
import type { IdentityInfo } from "../../store/records.js";
import { requireInstance, userIdOf } from "../resolve.js";
import { defineOperation } from "../types.js";
import { identityChanges } from "./identity-changes.js";
import { checkIdentityInfo } from "./rules.js";
import { identityFromWire, type WireIdentityInfo } from "./wire.js";

interface Input {
  InstanceId: string;
  UserId: string;
  IdentityInfo: WireIdentityInfo;
}

export const updateUserIdentityInfo = defineOperation<Input>(async (input, ctx) => {
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
  // A changed primary e-mail: tell the old address, with a one-time revert link (same transaction).
  await queueOldAddressAlert(ctx, current, next);
  return undefined;
});
