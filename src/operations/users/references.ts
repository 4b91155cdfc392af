// The profiles and the hierarchy group a user request names, each by its bare id or its ARN
// inside the request's instance (AWS's CloudFormation handler for AWS::Connect::User passes ARNs
// wherever the API says Id; an ARN of another instance, region or account names nothing here).
// Each must exist in the instance, else ResourceNotFoundException naming what was sent. Each is
// read with a share lock for the rest of the transaction, so a concurrent delete of it waits and
// then sees the assignment (its ResourceInUseException), or wins and the assignment finds nothing.
import { resourceNotFound } from "../../common/errors.js";
import type { InstanceRecord } from "../../store/records.js";
import type { OperationContext } from "../declare.js";
import { childIdOf, instanceIdOf } from "../resolve.js";

/**
 * The request's instance, held against deletion until the transaction ends (store.ts,
 * InstancesRepo.lockKeys): what an operation that assigns references starts from, before the
 * share locks below, so a concurrent DeleteInstance waits for it rather than deadlocking.
 */
export async function requireInstanceToAssign(ctx: OperationContext, label: string): Promise<InstanceRecord> {
  const id = instanceIdOf(ctx.scope, label);
  const instance = id === undefined ? undefined : await ctx.store.instances.lockKeys(ctx.scope, id);
  if (!instance) throw resourceNotFound(`Instance not found: ${label}`);
  return instance;
}

async function profileId(ctx: OperationContext, instance: InstanceRecord, kind: "security" | "routing", label: string): Promise<string> {
  const id = childIdOf(ctx.scope, instance.id, kind === "security" ? "security-profile" : "routing-profile", label);
  const found = id === undefined ? undefined : await ctx.store.profiles.lock(ctx.scope, instance.id, kind, id, "share");
  if (!found) throw resourceNotFound(`${kind === "security" ? "Security" : "Routing"} profile not found: ${label}`);
  return found.id;
}

/** The security profiles' ids, in the order given, a profile named twice (id and ARN) kept once. */
export async function securityProfileIdsOf(ctx: OperationContext, instance: InstanceRecord, labels: readonly string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const label of labels) {
    const id = await profileId(ctx, instance, "security", label);
    if (!ids.includes(id)) ids.push(id);
  }
  return ids;
}

export const routingProfileIdOf = (ctx: OperationContext, instance: InstanceRecord, label: string): Promise<string> =>
  profileId(ctx, instance, "routing", label);

export async function hierarchyGroupIdOf(ctx: OperationContext, instance: InstanceRecord, label: string): Promise<string> {
  const id = childIdOf(ctx.scope, instance.id, "agent-group", label);
  const group = id === undefined ? undefined : await ctx.store.hierarchy.lockGroup(ctx.scope, instance.id, id, "share");
  if (!group) throw resourceNotFound(`Hierarchy group not found: ${label}`);
  return group.id;
}
