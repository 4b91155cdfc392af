// DescribeRoutingProfile — GET /routing-profiles/{InstanceId}/{RoutingProfileId}
// (https://docs.aws.amazon.com/connect/latest/APIReference/API_DescribeRoutingProfile.html).
import { operation } from "../declare.js";
import { onChild } from "../iam-targets.js";
import { requireRoutingProfile } from "./resolve.js";
import { routingProfileToWire } from "./wire.js";

export const describeRoutingProfile = operation("DescribeRoutingProfile", {
  iam: onChild("routing-profile", "RoutingProfileId"),
  mutates: false,
  async handle(input, ctx) {
    const { instance, profile, details } = await requireRoutingProfile(ctx, input.InstanceId, input.RoutingProfileId);
    // "Each user has exactly one routing profile": the count follows CreateUser, UpdateUserRoutingProfile and DeleteUser
    // (https://docs.aws.amazon.com/connect/latest/adminguide/concepts-routing.html).
    const users = await ctx.store.users.countReferencing(ctx.scope, instance.id, { routingProfileId: profile.id });
    return { RoutingProfile: routingProfileToWire(profile, details, users) };
  },
});
