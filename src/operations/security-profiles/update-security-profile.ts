// UpdateSecurityProfile — POST /security-profiles/{InstanceId}/{SecurityProfileId}
// (https://docs.aws.amazon.com/connect/latest/APIReference/API_UpdateSecurityProfile.html).
// AWS does not say what an omitted member does. Terraform's aws_connect_security_profile sends
// only the members that changed (Description alone, or Permissions alone, in full), which works
// on AWS only if omitted members are kept: so a member the request carries replaces the stored
// one (Permissions: [] removes every permission) and an omitted member keeps its value.
import { resourceNotFound } from "../../common/errors.js";
import { operation } from "../declare.js";
import { onChild } from "../iam-targets.js";
import { applyMembers, attributesOf } from "./record.js";
import { hierarchyGroupIdOf, requireSecurityProfile } from "./resolve.js";
import { checkAttributeMembers } from "./rules.js";

export const updateSecurityProfile = operation("UpdateSecurityProfile", {
  iam: onChild("security-profile", "SecurityProfileId"),
  mutates: true,
  async handle(input, ctx) {
    const { instance, profile } = await requireSecurityProfile(ctx, input);
    checkAttributeMembers(input);
    const groupId = await hierarchyGroupIdOf(ctx, instance, input.AllowedAccessControlHierarchyGroupId);
    const attributes = applyMembers(attributesOf(profile), input, groupId);
    const updated = await ctx.store.profiles.update(
      ctx.scope,
      instance.id,
      "security",
      profile.id,
      { attributes: { ...attributes } },
      ctx.clock.now(),
    );
    if (!updated) throw resourceNotFound(`Security profile not found: ${input.SecurityProfileId}`);
  },
});
