// What the user updates share: the instance and the user a request names (by id or ARN), and the
// one write that replaces the given members, bumping LastModifiedTime.
import { resourceNotFound } from "../../common/errors.js";
import type { InstanceRecord, UserRecord } from "../../store/records.js";
import type { UserPatch } from "../../store/store.js";
import type { OperationContext } from "../declare.js";
import { requireUser } from "../resolve.js";
import { requireInstanceToAssign } from "./references.js";

export async function requireInstanceUser(
  ctx: OperationContext,
  input: { InstanceId: string; UserId: string },
): Promise<{ instance: InstanceRecord; user: UserRecord }> {
  // Held against deletion: the updates assign references (see references.ts).
  const instance = await requireInstanceToAssign(ctx, input.InstanceId);
  const user = await requireUser(ctx, instance, input.UserId);
  return { instance, user };
}

export async function saveUser(ctx: OperationContext, user: UserRecord, patch: UserPatch): Promise<void> {
  const updated = await ctx.store.users.update(ctx.scope, user.instanceId, user.id, patch, ctx.clock.now());
  if (!updated) throw resourceNotFound(`User not found: ${user.id}`);
  ctx.audit.targetUserId = user.id;
}
