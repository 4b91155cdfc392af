// ListUsers — GET /users-summary/{InstanceId}; default page 100 (API_ListUsers.html), ordered by
// username (AWS's order is undocumented).
import { operation } from "../declare.js";
import { onInstance } from "../iam-targets.js";
import { page } from "../paging.js";
import { requireInstance } from "../resolve.js";
import { userSummaryToWire } from "./wire.js";

export const listUsers = operation("ListUsers", {
  iam: onInstance(),
  mutates: false,
  async handle(input, ctx) {
    const instance = await requireInstance(ctx, input.InstanceId);
    const p = await page(
      `ListUsers/${instance.id}`,
      input,
      100,
      (r) => ctx.store.users.listSummaries(ctx.scope, instance.id, r),
      (u) => u.username,
    );
    return { UserSummaryList: p.items.map(userSummaryToWire), NextToken: p.NextToken };
  },
});
