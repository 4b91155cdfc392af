// Finding the security profile a request names, and the hierarchy group it may restrict to, by
// id or ARN (A.5.2: AWS's own CloudFormation handlers pass ARNs where the API says Id).
import { resourceNotFound } from "../../common/errors.js";
import type { InstanceRecord, ProfileRecord } from "../../store/records.js";
import type { OperationContext } from "../declare.js";
import { childIdOf, requireInstance } from "../resolve.js";

/** The instance and the security profile of a request's InstanceId and SecurityProfileId. */
export async function requireSecurityProfile(
  ctx: OperationContext,
  input: { InstanceId: string; SecurityProfileId: string },
): Promise<{ instance: InstanceRecord; profile: ProfileRecord }> {
  const instance = await requireInstance(ctx, input.InstanceId);
  const label = input.SecurityProfileId;
  const id = childIdOf(ctx.scope, instance.id, "security-profile", label);
  const profile = id === undefined ? undefined : await ctx.store.profiles.get(ctx.scope, instance.id, "security", id);
  if (!profile) throw resourceNotFound(`Security profile not found: ${label}`);
  return { instance, profile };
}

/**
 * The id of the hierarchy group AllowedAccessControlHierarchyGroupId names (undefined when the
 * request names none); it must exist in the instance.
 */
export async function hierarchyGroupIdOf(
  ctx: OperationContext,
  instance: InstanceRecord,
  label: string | undefined,
): Promise<string | undefined> {
  if (label === undefined) return undefined;
  const id = childIdOf(ctx.scope, instance.id, "agent-group", label);
  const group = id === undefined ? undefined : await ctx.store.hierarchy.getGroup(ctx.scope, instance.id, id);
  if (!group) throw resourceNotFound(`Hierarchy group not found: ${label}`);
  return group.id;
}
