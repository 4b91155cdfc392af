// UpdateUserHierarchyGroupName — POST /user-hierarchy-groups/{InstanceId}/{HierarchyGroupId}/name
// (https://docs.aws.amazon.com/connect/latest/APIReference/API_UpdateUserHierarchyGroupName.html):
// the new name must be unique among the group's siblings → DuplicateResourceException.
import { duplicateResource, resourceNotFound } from "../../common/errors.js";
import { UniqueViolation } from "../../store/store.js";
import { operation } from "../declare.js";
import { onChild } from "../iam-targets.js";
import { requireInstance } from "../resolve.js";
import { checkGroupName, requireGroup } from "./groups.js";

export const updateUserHierarchyGroupName = operation("UpdateUserHierarchyGroupName", {
  iam: onChild("agent-group", "HierarchyGroupId"),
  mutates: true,
  async handle(input, ctx) {
    const instance = await requireInstance(ctx, input.InstanceId);
    checkGroupName(input.Name);
    const group = await requireGroup(ctx, instance, input.HierarchyGroupId);
    let renamed: boolean;
    try {
      renamed = await ctx.store.hierarchy.renameGroup(ctx.scope, instance.id, group.id, input.Name, ctx.clock.now());
    } catch (err) {
      if (err instanceof UniqueViolation)
        throw duplicateResource(`A sibling of the hierarchy group ${group.id} is already named ${input.Name}.`);
      throw err;
    }
    // Deleted since it was read (a concurrent DeleteUserHierarchyGroup).
    if (!renamed) throw resourceNotFound(`Hierarchy group not found: ${input.HierarchyGroupId}`);
  },
});
