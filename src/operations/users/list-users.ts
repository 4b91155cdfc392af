// ListUsers — GET /users-summary/{InstanceId}; default page 100 (API_ListUsers.html), ordered by
// username (AWS's order is undocumented).
import { decodePageToken, toPage } from "../../common/pagination.js";
import { operation } from "../declare.js";
import { onInstance } from "../iam-targets.js";
import { requireInstance } from "../resolve.js";
import { userSummaryToWire } from "./wire.js";

export const listUsers = operation("ListUsers", {
  iam: onInstance(),
  mutates: false,
  async handle(input, ctx) {
    const instance = await requireInstance(ctx, input.InstanceId);
    const context = `ListUsers/${instance.id}`;
    const after = input.NextToken === undefined ? undefined : decodePageToken(context, input.NextToken);
    const limit = input.MaxResults ?? 100;
    const rows = await ctx.store.users.list(ctx.scope, instance.id, { after, limit });
    const page = toPage(rows, limit, context, (u) => u.username);
    return { UserSummaryList: page.items.map(userSummaryToWire), NextToken: page.nextToken };
  },
});
