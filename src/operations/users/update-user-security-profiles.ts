// UpdateUserSecurityProfiles — POST /users/{InstanceId}/{UserId}/security-profiles
// (https://docs.aws.amazon.com/connect/latest/APIReference/API_UpdateUserSecurityProfiles.html).
// The set is replaced whole; the model's 1..10 has been checked; every profile must exist in the
// user's instance. Giving a user `Admin` is an account-takeover path like changing its e-mail:
// the audit event keeps the set before and after.
import { operation } from "../declare.js";
import { onEachChild, onUser } from "../iam-targets.js";
import { securityProfileIdsOf } from "./references.js";
import { requireInstanceUser, saveUser } from "./update-user.js";

export const updateUserSecurityProfiles = operation("UpdateUserSecurityProfiles", {
  iam: [onUser(), onEachChild("security-profile", "SecurityProfileIds")],
  mutates: true,
  async handle(input, ctx) {
    const { instance, user } = await requireInstanceUser(ctx, input);
    const securityProfileIds = await securityProfileIdsOf(ctx, instance, input.SecurityProfileIds);
    await saveUser(ctx, user, { securityProfileIds });
    ctx.audit.additionalEventData = { securityProfileIds: { before: user.securityProfileIds, after: securityProfileIds } };
  },
});
