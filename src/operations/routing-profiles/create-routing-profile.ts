// CreateRoutingProfile — PUT /routing-profiles/{InstanceId}
// (https://docs.aws.amazon.com/connect/latest/APIReference/API_CreateRoutingProfile.html).
import { randomUUID } from "node:crypto";
import { routingProfileArn } from "../../common/arn.js";
import { limitExceeded } from "../../common/errors.js";
import type { ProfileRecord } from "../../store/records.js";
import { UniqueViolation } from "../../store/store.js";
import { operation } from "../declare.js";
import { onChildren } from "../iam-targets.js";
import { requireQueue } from "../queues/queue-record.js";
import { requireInstance } from "../resolve.js";
import { detailsToAttributes, type RoutingDetails } from "./details.js";
import { onEachQueue } from "./iam.js";
import { checkMediaConcurrencies, duplicateName, resolveQueueConfigs } from "./rules.js";

export const createRoutingProfile = operation("CreateRoutingProfile", {
  // …/routing-profile/* as AWS's examples grant creates (its tags are aws:RequestTag), and each
  // queue it routes from or calls out through.
  iam: [
    onChildren("routing-profile", { requestTags: "Tags" }),
    onEachQueue((i) => [i.DefaultOutboundQueueId, ...(i.QueueConfigs ?? []).map((c) => c.QueueReference.QueueId)]),
  ],
  mutates: true,
  async handle(input, ctx) {
    const instance = await requireInstance(ctx, input.InstanceId);
    checkMediaConcurrencies(input.MediaConcurrencies);
    const outbound = await requireQueue(ctx, instance, input.DefaultOutboundQueueId);
    const queueConfigs = await resolveQueueConfigs(ctx, instance, input.QueueConfigs ?? [], input.MediaConcurrencies, []);
    const limit = ctx.quotas.routingProfilesPerInstance;
    if ((await ctx.store.profiles.count(ctx.scope, instance.id, "routing")) >= limit) {
      throw limitExceeded(`The instance ${instance.id} already has the maximum of ${limit} routing profiles.`);
    }
    const details: RoutingDetails = {
      description: input.Description,
      isDefault: false,
      mediaConcurrencies: input.MediaConcurrencies,
      defaultOutboundQueue: { id: outbound.id, arn: outbound.arn },
      queueConfigs,
      agentAvailabilityTimer: input.AgentAvailabilityTimer,
    };
    const id = randomUUID();
    const profile: ProfileRecord = {
      id,
      arn: routingProfileArn(ctx.scope, instance.id, id),
      instanceId: instance.id,
      kind: "routing",
      name: input.Name,
      attributes: detailsToAttributes(details),
      tags: input.Tags ?? {},
      lastModifiedTime: ctx.clock.now(),
      lastModifiedRegion: ctx.scope.region,
    };
    try {
      await ctx.store.profiles.create(ctx.scope, profile);
    } catch (err) {
      if (err instanceof UniqueViolation) throw duplicateName(input.Name, instance.id);
      throw err;
    }
    ctx.audit.responseElements = { routingProfileId: profile.id, routingProfileArn: profile.arn };
    return { RoutingProfileId: profile.id, RoutingProfileArn: profile.arn };
  },
});
