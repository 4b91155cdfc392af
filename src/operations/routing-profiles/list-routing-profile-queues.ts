// ListRoutingProfileQueues — GET /routing-profiles/{InstanceId}/{RoutingProfileId}/queues
// (https://docs.aws.amazon.com/connect/latest/APIReference/API_ListRoutingProfileQueues.html): MaxResults 1..100,
// default 100 (the page's text). Ordered by queue name, then queue id, then channel (AWS's
// order is undocumented); LastModifiedTime/Region are the routing profile's.
import type { RoutingProfileQueueConfigSummary } from "../../model/types.gen.js";
import type { QueueRecord } from "../../store/records.js";
import { operation } from "../declare.js";
import { onChild } from "../iam-targets.js";
import { page } from "../paging.js";
import { timestamp } from "../resolve.js";
import { requireRoutingProfile } from "./resolve.js";
import { queueConfigSummary } from "./wire.js";

export const listRoutingProfileQueues = operation("ListRoutingProfileQueues", {
  // one routing profile's queues: that profile's ARN (an operation on one resource)
  iam: onChild("routing-profile", "RoutingProfileId"),
  mutates: false,
  async handle(input, ctx) {
    const { instance, profile, details } = await requireRoutingProfile(ctx, input.InstanceId, input.RoutingProfileId);
    const queues = new Map<string, QueueRecord>();
    for (const id of new Set(details.queueConfigs.map((c) => c.queueId))) {
      const q = await ctx.store.queues.get(ctx.scope, instance.id, id);
      if (q) queues.set(id, q);
    }
    const rows: { key: string; summary: RoutingProfileQueueConfigSummary }[] = [];
    for (const c of details.queueConfigs) {
      const q = queues.get(c.queueId);
      if (q) rows.push({ key: `${q.name}\u0000${q.id}\u0000${c.channel}`, summary: queueConfigSummary(c, q) });
    }
    rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const p = await page(
      `ListRoutingProfileQueues/${instance.id}/${profile.id}`,
      input,
      100,
      async (r) => rows.filter((row) => r.after === undefined || row.key > r.after).slice(0, r.limit + 1),
      (row) => row.key,
    );
    return {
      RoutingProfileQueueConfigSummaryList: p.items.map((row) => row.summary),
      NextToken: p.NextToken,
      LastModifiedTime: timestamp(profile.lastModifiedTime),
      LastModifiedRegion: profile.lastModifiedRegion,
    };
  },
});
