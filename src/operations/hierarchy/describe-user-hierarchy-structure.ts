// DescribeUserHierarchyStructure — GET /user-hierarchy-structure/{InstanceId}
// (https://docs.aws.amazon.com/connect/latest/APIReference/API_DescribeUserHierarchyStructure.html).
// A new instance has no levels: the answer is then an empty HierarchyStructure, never a missing
// one (Terraform's aws_connect_user_hierarchy_structure treats a missing one as an error).
import { operation } from "../declare.js";
import { onInstance } from "../iam-targets.js";
import { requireInstance } from "../resolve.js";
import { structureToWire } from "./levels.js";

export const describeUserHierarchyStructure = operation("DescribeUserHierarchyStructure", {
  iam: onInstance(),
  mutates: false,
  async handle(input, ctx) {
    const instance = await requireInstance(ctx, input.InstanceId);
    return { HierarchyStructure: structureToWire(await ctx.store.hierarchy.levels(ctx.scope, instance.id)) };
  },
});
