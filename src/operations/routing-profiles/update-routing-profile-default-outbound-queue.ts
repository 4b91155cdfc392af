// UpdateRoutingProfileDefaultOutboundQueue — POST /routing-profiles/{InstanceId}/{RoutingProfileId}/default-outbound-queue
// (https://docs.aws.amazon.com/connect/latest/APIReference/API_UpdateRoutingProfileDefaultOutboundQueue.html).
import { operation } from "../declare.js";
import { onChild } from "../iam-targets.js";
import { requireQueue } from "../queues/queue-record.js";
import { requireRoutingProfile, saveRoutingProfile } from "./resolve.js";

export const updateRoutingProfileDefaultOutboundQueue = operation("UpdateRoutingProfileDefaultOutboundQueue", {
  // the profile, and the queue it is given (each must be allowed)
  iam: [onChild("routing-profile", "RoutingProfileId"), onChild("queue", "DefaultOutboundQueueId")],
  mutates: true,
  async handle(input, ctx) {
    const resolved = await requireRoutingProfile(ctx, input.InstanceId, input.RoutingProfileId);
    const queue = await requireQueue(ctx, resolved.instance, input.DefaultOutboundQueueId);
    await saveRoutingProfile(ctx, resolved, { ...resolved.details, defaultOutboundQueue: { id: queue.id, arn: queue.arn } });
  },
});
