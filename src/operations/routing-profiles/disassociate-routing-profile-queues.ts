// DisassociateRoutingProfileQueues — POST /routing-profiles/{InstanceId}/{RoutingProfileId}/disassociate-queues
// (https://docs.aws.amazon.com/connect/latest/APIReference/API_DisassociateRoutingProfileQueues.html). Each
// reference must name a pair that is associated now: a reference to nothing is refused rather
// than ignored (the conservative reading; README, "Fidelity notes").
import { operation } from "../declare.js";
import { onChild } from "../iam-targets.js";
import { childIdOf } from "../resolve.js";
import { onEachQueue } from "./iam.js";
import { requireRoutingProfile, saveRoutingProfile } from "./resolve.js";
import { associationKey, matchQueueReferences } from "./rules.js";

export const disassociateRoutingProfileQueues = operation("DisassociateRoutingProfileQueues", {
  iam: [onChild("routing-profile", "RoutingProfileId"), onEachQueue((i) => i.QueueReferences.map((r) => r.QueueId))],
  mutates: true,
  async handle(input, ctx) {
    const resolved = await requireRoutingProfile(ctx, input.InstanceId, input.RoutingProfileId);
    const { details, instance } = resolved;
    const idOf = (label: string) => childIdOf(ctx.scope, instance.id, "queue", label);
    const removed = matchQueueReferences(input.QueueReferences, details.queueConfigs, idOf);
    const queueConfigs = details.queueConfigs.filter((a) => !removed.has(associationKey(a)));
    await saveRoutingProfile(ctx, resolved, { ...details, queueConfigs });
  },
});
