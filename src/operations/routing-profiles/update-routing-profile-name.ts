// UpdateRoutingProfileName — POST /routing-profiles/{InstanceId}/{RoutingProfileId}/name
// (https://docs.aws.amazon.com/connect/latest/APIReference/API_UpdateRoutingProfileName.html): "At least Name or
// Description must be provided"; an omitted one keeps its value.
import { invalidParameter } from "../../common/errors.js";
import { UniqueViolation } from "../../store/store.js";
import { operation } from "../declare.js";
import { onChild } from "../iam-targets.js";
import { requireRoutingProfile, saveRoutingProfile } from "./resolve.js";
import { duplicateName } from "./rules.js";

export const updateRoutingProfileName = operation("UpdateRoutingProfileName", {
  iam: onChild("routing-profile", "RoutingProfileId"),
  mutates: true,
  async handle(input, ctx) {
    if (input.Name === undefined && input.Description === undefined) {
      throw invalidParameter(
        "1 validation error detected: Value null at 'name' failed to satisfy constraint: At least Name or Description must be provided",
      );
    }
    const resolved = await requireRoutingProfile(ctx, input.InstanceId, input.RoutingProfileId);
    const details = { ...resolved.details, ...(input.Description === undefined ? {} : { description: input.Description }) };
    try {
      await saveRoutingProfile(ctx, resolved, details, input.Name);
    } catch (err) {
      if (err instanceof UniqueViolation) throw duplicateName(input.Name ?? resolved.profile.name, resolved.instance.id);
      throw err;
    }
  },
});
