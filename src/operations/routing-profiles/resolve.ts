// Which routing profile a request names (its id or its ARN inside the instance), and the
// routing-profile-plus-instance pair every operation on one profile starts from.
import { resourceNotFound } from "../../common/errors.js";
import type { InstanceRecord, ProfileRecord } from "../../store/records.js";
import type { OperationContext } from "../declare.js";
import { childIdOf, requireInstance } from "../resolve.js";
import { detailsToAttributes, type RoutingDetails, routingDetails } from "./details.js";

export interface ResolvedProfile {
  instance: InstanceRecord;
  profile: ProfileRecord;
  details: RoutingDetails;
}

export async function requireRoutingProfile(ctx: OperationContext, instanceLabel: string, label: string): Promise<ResolvedProfile> {
  const instance = await requireInstance(ctx, instanceLabel);
  const id = childIdOf(ctx.scope, instance.id, "routing-profile", label);
  const profile = id === undefined ? undefined : await ctx.store.profiles.get(ctx.scope, instance.id, "routing", id);
  if (!profile) throw resourceNotFound(`Routing profile not found: ${label}`);
  return { instance, profile, details: routingDetails(profile) };
}

/** Writes the profile's new details (and name), bumping its LastModifiedTime. */
export async function saveRoutingProfile(
  ctx: OperationContext,
  { instance, profile }: ResolvedProfile,
  details: RoutingDetails,
  name?: string,
): Promise<void> {
  const patch = { attributes: detailsToAttributes(details), ...(name === undefined ? {} : { name }) };
  const updated = await ctx.store.profiles.update(ctx.scope, instance.id, "routing", profile.id, patch, ctx.clock.now());
  if (!updated) throw resourceNotFound(`Routing profile not found: ${profile.id}`);
}
