// DescribeUserHierarchyGroup — GET /user-hierarchy-groups/{InstanceId}/{HierarchyGroupId}
// (https://docs.aws.amazon.com/connect/latest/APIReference/API_DescribeUserHierarchyGroup.html):
// the group with its whole HierarchyPath (level one down to the group itself) and its Tags.
import { operation } from "../declare.js";
import { onChild } from "../iam-targets.js";
import { requireInstance } from "../resolve.js";
import { groupToWire, hierarchyPath, requireGroup } from "./groups.js";

export const describeUserHierarchyGroup = operation("DescribeUserHierarchyGroup", {
  iam: onChild("agent-group", "HierarchyGroupId"),
  mutates: false,
  async handle(input, ctx) {
    const instance = await requireInstance(ctx, input.InstanceId);
    const group = await requireGroup(ctx, instance, input.HierarchyGroupId);
    return { HierarchyGroup: groupToWire(group, await hierarchyPath(ctx, group)) };
  },
});
