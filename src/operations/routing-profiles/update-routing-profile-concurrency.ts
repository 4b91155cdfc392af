// UpdateRoutingProfileConcurrency — POST /routing-profiles/{InstanceId}/{RoutingProfileId}/concurrency
// (https://docs.aws.amazon.com/connect/latest/APIReference/API_UpdateRoutingProfileConcurrency.html). The list
// replaces the profile's channels (a channel left out is no longer handled), as Terraform's
// aws_connect_routing_profile sends and reads back the whole set. Queues associated on a channel
// removed here stay associated: Terraform removes a channel before its queues, so refusing that
// would break its updates (README, "Fidelity notes").
import { operation } from "../declare.js";
import { onChild } from "../iam-targets.js";
import { requireRoutingProfile, saveRoutingProfile } from "./resolve.js";
import { checkMediaConcurrencies } from "./rules.js";

export const updateRoutingProfileConcurrency = operation("UpdateRoutingProfileConcurrency", {
  iam: onChild("routing-profile", "RoutingProfileId"),
  mutates: true,
  async handle(input, ctx) {
    checkMediaConcurrencies(input.MediaConcurrencies);
    const resolved = await requireRoutingProfile(ctx, input.InstanceId, input.RoutingProfileId);
    await saveRoutingProfile(ctx, resolved, { ...resolved.details, mediaConcurrencies: input.MediaConcurrencies });
  },
});
