// DeleteInstance — DELETE /instance/{InstanceId}: the instance, its users and profiles go at once.
import { resourceNotFound } from "../../common/errors.js";
import { operation } from "../declare.js";
import { onInstance } from "../iam-targets.js";
import { instanceIdOf } from "../resolve.js";

export const deleteInstance = operation("DeleteInstance", {
  iam: onInstance(),
  mutates: true,
  async handle(input, ctx) {
    const id = instanceIdOf(ctx.scope, input.InstanceId);
    const deleted = id !== undefined && (await ctx.store.instances.delete(ctx.scope, id));
    if (!deleted) throw resourceNotFound(`Instance not found: ${input.InstanceId}`);
    // The old identities its users' revert links would restore go with it (issue 10).
    await ctx.store.outbox.forgetRevertTokens(ctx.scope, id);
  },
});
