// ListUserHierarchyGroups — GET /user-hierarchy-groups-summary/{InstanceId}
// (https://docs.aws.amazon.com/connect/latest/APIReference/API_ListUserHierarchyGroups.html):
// every group of the instance, all levels together, ordered by name (then id: names repeat
// across parents). MaxResults 1..1000 (model); without it a page holds 100, like the profile lists.
import { operation } from "../declare.js";
import { onInstance } from "../iam-targets.js";
import { page } from "../paging.js";
import { requireInstance } from "../resolve.js";
import { summaryToWire } from "./summary.js";

export const listUserHierarchyGroups = operation("ListUserHierarchyGroups", {
  iam: onInstance(),
  mutates: false,
  async handle(input, ctx) {
    const instance = await requireInstance(ctx, input.InstanceId);
    const p = await page(
      `ListUserHierarchyGroups/${instance.id}`,
      input,
      100,
      (r) => ctx.store.hierarchy.listGroups(ctx.scope, instance.id, r),
      (g) => `${g.name}\u0000${g.id}`,
    );
    return { UserHierarchyGroupSummaryList: p.items.map(summaryToWire), NextToken: p.NextToken };
  },
});
