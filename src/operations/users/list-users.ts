// ListUsers — GET /users-summary/{InstanceId}; default page 100 (API_ListUsers.html), ordered by
// username (AWS's order is unconfirmed).
import { decodePageToken, toPage } from "../../common/pagination.js";
import { requireInstance } from "../resolve.js";
import { defineOperation } from "../types.js";
import { userSummaryToWire } from "./wire.js";

interface Input {
  InstanceId: string;
  NextToken?: string;
  MaxResults?: number;
}

export const listUsers = defineOperation<Input>(async (input, ctx) => {
  const instance = await requireInstance(ctx, input.InstanceId);
  const context = `ListUsers/${instance.id}`;
  const after = input.NextToken === undefined ? undefined : decodePageToken(context, input.NextToken);
  const limit = input.MaxResults ?? 100;
  const rows = await ctx.store.users.list(ctx.scope, instance.id, { after, limit });
  const page = toPage(rows, limit, context, (u) => u.username);
  return { UserSummaryList: page.items.map(userSummaryToWire), NextToken: page.nextToken };
});
