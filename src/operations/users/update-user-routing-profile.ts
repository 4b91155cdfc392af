// UpdateUserRoutingProfile — POST /users/{InstanceId}/{UserId}/routing-profile
// (https://docs.aws.amazon.com/connect/latest/APIReference/API_UpdateUserRoutingProfile.html).
// The profile must exist in the user's instance (ResourceNotFoundException otherwise).
import { operation } from "../declare.js";
import { onUser } from "../iam-targets.js";
import { onNamedChild } from "./iam.js";
import { routingProfileIdOf } from "./references.js";
import { requireInstanceUser, saveUser } from "./update-user.js";

export const updateUserRoutingProfile = operation("UpdateUserRoutingProfile", {
  iam: [onUser(), onNamedChild("routing-profile", (i) => i.RoutingProfileId)],
  mutates: true,
  async handle(input, ctx) {
    const { instance, user } = await requireInstanceUser(ctx, input);
    const routingProfileId = await routingProfileIdOf(ctx, instance, input.RoutingProfileId);
    await saveUser(ctx, user, { routingProfileId });
    ctx.audit.additionalEventData = { routingProfileId: { before: user.routingProfileId, after: routingProfileId } };
  },
});
