// AssociateRoutingProfileQueues — POST /routing-profiles/{InstanceId}/{RoutingProfileId}/associate-queues
// (https://docs.aws.amazon.com/connect/latest/APIReference/API_AssociateRoutingProfileQueues.html): 1..10 queue
// configs (the model). A queue and channel pair already associated is refused, not updated
// (UpdateRoutingProfileQueues changes priority and delay; Terraform disassociates before it
// associates "since Queue and channel type combination cannot be duplicated").
import { operation } from "../declare.js";
import { onChild } from "../iam-targets.js";
import { onEachQueue } from "./iam.js";
import { requireRoutingProfile, saveRoutingProfile } from "./resolve.js";
import { resolveQueueConfigs } from "./rules.js";

export const associateRoutingProfileQueues = operation("AssociateRoutingProfileQueues", {
  iam: [onChild("routing-profile", "RoutingProfileId"), onEachQueue((i) => i.QueueConfigs.map((c) => c.QueueReference.QueueId))],
  mutates: true,
  async handle(input, ctx) {
    const resolved = await requireRoutingProfile(ctx, input.InstanceId, input.RoutingProfileId);
    const { details } = resolved;
    const added = await resolveQueueConfigs(ctx, resolved.instance, input.QueueConfigs, details.mediaConcurrencies, details.queueConfigs);
    await saveRoutingProfile(ctx, resolved, { ...details, queueConfigs: [...details.queueConfigs, ...added] });
  },
});
