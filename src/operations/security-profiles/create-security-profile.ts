// CreateSecurityProfile — PUT /security-profiles/{InstanceId}
// (https://docs.aws.amazon.com/connect/latest/APIReference/API_CreateSecurityProfile.html).
import { randomUUID } from "node:crypto";
import { securityProfileArn } from "../../common/arn.js";
import { duplicateResource, limitExceeded } from "../../common/errors.js";
import type { ProfileRecord } from "../../store/records.js";
import { UniqueViolation } from "../../store/store.js";
import { operation } from "../declare.js";
import { onChildren } from "../iam-targets.js";
import { requireInstance } from "../resolve.js";
import { checkTagKeys } from "../tags/rules.js";
import { applyMembers } from "./record.js";
import { hierarchyGroupIdOf } from "./resolve.js";
import { checkAttributeMembers } from "./rules.js";

export const createSecurityProfile = operation("CreateSecurityProfile", {
  // A create inside the instance: …/security-profile/*; the tags it attaches are aws:RequestTag.
  iam: onChildren("security-profile", { requestTags: "Tags" }),
  mutates: true,
  async handle(input, ctx) {
    const instance = await requireInstance(ctx, input.InstanceId);
    checkAttributeMembers(input);
    checkTagKeys(Object.keys(input.Tags ?? {}), "tags");
    const groupId = await hierarchyGroupIdOf(ctx, instance, input.AllowedAccessControlHierarchyGroupId);

    // The quota counts every security profile of the instance, the four defaults included.
    const quota = ctx.quotas.securityProfilesPerInstance;
    if ((await ctx.store.profiles.count(ctx.scope, instance.id, "security")) >= quota) {
      throw limitExceeded(`The instance ${instance.id} already has the maximum of ${quota} security profiles.`);
    }

    const id = randomUUID();
    const profile: ProfileRecord = {
      id,
      arn: securityProfileArn(ctx.scope, instance.id, id),
      instanceId: instance.id,
      kind: "security",
      name: input.SecurityProfileName,
      attributes: { ...applyMembers({ permissions: [] }, input, groupId) },
      tags: input.Tags ?? {},
      lastModifiedTime: ctx.clock.now(),
      lastModifiedRegion: ctx.scope.region,
    };
    try {
      await ctx.store.profiles.create(ctx.scope, profile);
    } catch (err) {
      if (err instanceof UniqueViolation) {
        throw duplicateResource(`A security profile named ${input.SecurityProfileName} already exists in the instance ${instance.id}.`);
      }
      throw err;
    }
    ctx.audit.responseElements = { securityProfileId: profile.id, securityProfileArn: profile.arn };
    return { SecurityProfileId: profile.id, SecurityProfileArn: profile.arn };
  },
});
