// ListInstances — GET /instance; MaxResults 1..10 (model), default 10.
import { decodePageToken, toPage } from "../../common/pagination.js";
import { operation } from "../declare.js";
import { noResource } from "../iam-targets.js";
import { instanceSummaryToWire } from "./wire.js";

export const listInstances = operation("ListInstances", {
  iam: noResource(),
  mutates: false,
  async handle(input, ctx) {
    const context = "ListInstances";
    const after = input.NextToken === undefined ? undefined : decodePageToken(context, input.NextToken);
    const limit = input.MaxResults ?? 10;
    const rows = await ctx.store.instances.list(ctx.scope, { after, limit });
    const page = toPage(rows, limit, context, (i) => i.id);
    return { InstanceSummaryList: page.items.map(instanceSummaryToWire), NextToken: page.nextToken };
  },
});
