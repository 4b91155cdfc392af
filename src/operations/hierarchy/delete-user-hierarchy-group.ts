// DeleteUserHierarchyGroup — DELETE /user-hierarchy-groups/{InstanceId}/{HierarchyGroupId}
// (https://docs.aws.amazon.com/connect/latest/APIReference/API_DeleteUserHierarchyGroup.html):
// "It must not be associated with any agents or have any active child groups" →
// ResourceInUseException (ResourceType HIERARCHY_GROUP, ResourceId its ARN).
import { modeledError, resourceNotFound } from "../../common/errors.js";
import { operation } from "../declare.js";
import { onChild } from "../iam-targets.js";
import { requireInstance } from "../resolve.js";
import { requireGroup } from "./groups.js";

const inUse = (message: string, arn: string) =>
  modeledError("ResourceInUseException", message, { ResourceType: "HIERARCHY_GROUP", ResourceId: arn });

export const deleteUserHierarchyGroup = operation("DeleteUserHierarchyGroup", {
  iam: onChild("agent-group", "HierarchyGroupId"),
  mutates: true,
  async handle(input, ctx) {
    const instance = await requireInstance(ctx, input.InstanceId);
    const group = await requireGroup(ctx, instance, input.HierarchyGroupId);
    // Locked before counting its users: a concurrent assignment (which share-locks it) is then
    // either committed and counted, or waits and finds it gone.
    if (!(await ctx.store.hierarchy.lockGroup(ctx.scope, instance.id, group.id, "update"))) {
      throw resourceNotFound(`Hierarchy group not found: ${input.HierarchyGroupId}`);
    }
    const users = await ctx.store.users.countReferencing(ctx.scope, instance.id, { hierarchyGroupId: group.id });
    if (users > 0) {
      throw inUse(
        `The hierarchy group ${group.id} has ${users} user${users === 1 ? "" : "s"} assigned; move them to another group first.`,
        group.arn,
      );
    }
    const children = await ctx.store.hierarchy.countChildren(ctx.scope, instance.id, group.id);
    if (children > 0) {
      throw inUse(`The hierarchy group ${group.id} has ${children} child group${children === 1 ? "" : "s"}; delete them first.`, group.arn);
    }
    if (!(await ctx.store.hierarchy.deleteGroup(ctx.scope, instance.id, group.id))) {
      throw resourceNotFound(`Hierarchy group not found: ${input.HierarchyGroupId}`);
    }
  },
});
