// DeleteUser — DELETE /users/{InstanceId}/{UserId}
import { resourceNotFound } from "../../common/errors.js";
import { operation } from "../declare.js";
import { onUser } from "../iam-targets.js";
import { requireInstance, userIdOf } from "../resolve.js";

export const deleteUser = operation("DeleteUser", {
  iam: onUser(),
  mutates: true,
  async handle(input, ctx) {
    const instance = await requireInstance(ctx, input.InstanceId);
    const userId = userIdOf(ctx, instance, input.UserId);
    const deleted = userId !== undefined && (await ctx.store.users.delete(ctx.scope, instance.id, userId));
    if (!deleted) throw resourceNotFound(`User not found: ${input.UserId}`);
    // The old identities its revert links would restore go with the user (issue 10).
    await ctx.store.outbox.forgetRevertTokens(ctx.scope, instance.id, userId);
    ctx.audit.targetUserId = userId;
  },
});
