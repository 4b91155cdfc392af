// ListQueues — GET /queues-summary/{InstanceId} (https://docs.aws.amazon.com/connect/latest/APIReference/API_ListQueues.html):
// ordered by name, default page 100 (the page's text). Without QueueTypes both types are listed;
// Switchboard keeps standard queues only (no per-agent queues), so a filter without STANDARD
// lists nothing.
import { operation } from "../declare.js";
import { onInstance } from "../iam-targets.js";
import { page } from "../paging.js";
import { requireInstance } from "../resolve.js";
import { queueSummaryToWire } from "./wire.js";

export const listQueues = operation("ListQueues", {
  iam: onInstance(),
  mutates: false,
  async handle(input, ctx) {
    const instance = await requireInstance(ctx, input.InstanceId);
    const types = input.QueueTypes !== undefined && input.QueueTypes.length > 0 ? new Set(input.QueueTypes) : undefined;
    // The filter is part of the listing a token belongs to: a token of an unfiltered listing is
    // refused by a filtered one (and the reverse).
    const context = `ListQueues/${instance.id}${types ? `/${[...types].sort().join(",")}` : ""}`;
    const p = await page(
      context,
      input,
      100,
      // every queue kept is STANDARD (queue-record.ts), so the filter keeps all rows or none and
      // the keyset page stays exact
      async (r) => (types && !types.has("STANDARD") ? [] : ctx.store.queues.list(ctx.scope, instance.id, r)),
      (q) => q.name,
    );
    return { QueueSummaryList: p.items.map(queueSummaryToWire), NextToken: p.NextToken };
  },
});
