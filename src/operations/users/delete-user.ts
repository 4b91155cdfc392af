// DeleteUser — DELETE /users/{InstanceId}/{UserId}
import { resourceNotFound } from "../../common/errors.js";
import { requireInstance, userIdOf } from "../resolve.js";
import { defineOperation } from "../types.js";

interface Input {
  InstanceId: string;
  UserId: string;
}

export const deleteUser = defineOperation<Input>(async (input, ctx) => {
  const instance = await requireInstance(ctx, input.InstanceId);
  const userId = userIdOf(ctx, instance, input.UserId);
  const deleted = userId !== undefined && (await ctx.store.users.delete(ctx.scope, instance.id, userId));
  if (!deleted) throw resourceNotFound(`User not found: ${input.UserId}`);
  ctx.audit.targetUserId = userId;
  return undefined;
});
