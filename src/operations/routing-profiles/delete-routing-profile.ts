// DeleteRoutingProfile — DELETE /routing-profiles/{InstanceId}/{RoutingProfileId}
// (https://docs.aws.amazon.com/connect/latest/APIReference/API_DeleteRoutingProfile.html): ResourceInUseException
// means "remove its reference from related resources and then try again" — here, the users it is assigned to.
import { invalidRequest, resourceInUse, resourceNotFound } from "../../common/errors.js";
import { operation } from "../declare.js";
import { onChild } from "../iam-targets.js";
import { requireRoutingProfile } from "./resolve.js";

export const deleteRoutingProfile = operation("DeleteRoutingProfile", {
  iam: onChild("routing-profile", "RoutingProfileId"),
  mutates: true,
  async handle(input, ctx) {
    const { instance, profile, details } = await requireRoutingProfile(ctx, input.InstanceId, input.RoutingProfileId);
    // AWS does not say whether an instance's default profile can go; keeping it is the
    // conservative reading (README, "Fidelity notes").
    if (details.isDefault) {
      throw invalidRequest(
        `The routing profile ${profile.id} is the default routing profile of the instance ${instance.id} and cannot be deleted.`,
      );
    }
    // Locked before counting its users: a concurrent assignment (which share-locks it) is then
    // either committed and counted, or waits and finds it gone.
    if (!(await ctx.store.profiles.lock(ctx.scope, instance.id, "routing", profile.id, "update"))) {
      throw resourceNotFound(`Routing profile not found: ${input.RoutingProfileId}`);
    }
    const users = await ctx.store.users.countReferencing(ctx.scope, instance.id, { routingProfileId: profile.id });
    if (users > 0) {
      throw resourceInUse(
        `The routing profile ${profile.id} is assigned to ${users} user${users === 1 ? "" : "s"}; assign ${users === 1 ? "it" : "them"} another routing profile first.`,
      );
    }
    await ctx.store.profiles.delete(ctx.scope, instance.id, "routing", profile.id);
  },
});
