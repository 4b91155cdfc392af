// UpdateUserIdentityInfo — POST /users/{InstanceId}/{UserId}/identity-info (spec A.8).
// The call replaces the identity info as a whole: omitted optional members are cleared
// (README, "Fidelity notes"). On EXISTING_DIRECTORY instances only SecondaryEmail and Mobile
// are the caller's; the directory-managed names and Email are kept as they are.
import { resourceNotFound } from "../../common/errors.js";
import type { IdentityInfo } from "../../store/records.js";
import { requireInstance, requireUser, userIdOf } from "../resolve.js";
import { defineOperation } from "../types.js";
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

  let next: IdentityInfo = identityFromWire(input.IdentityInfo);
  let userId = userIdOf(ctx, instance, input.UserId);
  if (instance.identityManagementType === "EXISTING_DIRECTORY") {
    const current = await requireUser(ctx, instance, input.UserId);
    userId = current.id;
    next = {
      ...next,
      firstName: current.identityInfo.firstName,
      lastName: current.identityInfo.lastName,
      email: current.identityInfo.email,
    };
  }
  const updated = userId !== undefined && (await ctx.store.users.updateIdentityInfo(ctx.scope, instance.id, userId, next, ctx.clock.now()));
  if (!updated) throw resourceNotFound(`User not found: ${input.UserId}`);
  return undefined;
});
