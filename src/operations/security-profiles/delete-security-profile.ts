// DeleteSecurityProfile — DELETE /security-profiles/{InstanceId}/{SecurityProfileId}
// (https://docs.aws.amazon.com/connect/latest/APIReference/API_DeleteSecurityProfile.html).
// AWS documents ResourceInUseException without saying what holds a profile; the conservative
// reading is that a profile assigned to any user cannot be deleted (the user would be left with
// permissions that no longer exist, or none). The four default profiles are refused too: AWS
// does not say they can be deleted, and code that relies on deleting one would break on AWS if
// they cannot.
import { userArn } from "../../common/arn.js";
import { invalidRequest, modeledError, resourceNotFound } from "../../common/errors.js";
import { operation } from "../declare.js";
import { onChild } from "../iam-targets.js";
import { isDefaultSecurityProfile } from "./default-profiles.js";
import { requireSecurityProfile } from "./resolve.js";

export const deleteSecurityProfile = operation("DeleteSecurityProfile", {
  iam: onChild("security-profile", "SecurityProfileId"),
  mutates: true,
  async handle(input, ctx) {
    const { instance, profile } = await requireSecurityProfile(ctx, input);
    if (isDefaultSecurityProfile(profile.name)) {
      throw invalidRequest(`The default security profile ${profile.name} cannot be deleted.`);
    }
    // Locked before counting its holders: a concurrent assignment (which share-locks it) is then
    // either committed and counted, or waits and finds it gone.
    if (!(await ctx.store.profiles.lock(ctx.scope, instance.id, "security", profile.id, "update"))) {
      throw resourceNotFound(`Security profile not found: ${input.SecurityProfileId}`);
    }
    const ref = { securityProfileId: profile.id };
    const holders = await ctx.store.users.countReferencing(ctx.scope, instance.id, ref);
    if (holders > 0) {
      const [first] = await ctx.store.users.listReferencing(ctx.scope, instance.id, ref);
      // ResourceType/ResourceId name what still uses the profile (the model's ResourceType has
      // no security-profile value; USER is the resource that holds it).
      throw modeledError(
        "ResourceInUseException",
        `The security profile ${profile.id} is assigned to ${holders} user${holders === 1 ? "" : "s"}; remove it from them first.`,
        first === undefined ? { ResourceType: "USER" } : { ResourceType: "USER", ResourceId: userArn(ctx.scope, instance.id, first) },
      );
    }
    const deleted = await ctx.store.profiles.delete(ctx.scope, instance.id, "security", profile.id);
    if (!deleted) throw resourceNotFound(`Security profile not found: ${input.SecurityProfileId}`);
  },
});
