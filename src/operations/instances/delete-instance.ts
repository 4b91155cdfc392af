// DeleteInstance — DELETE /instance/{InstanceId}: the instance, its users and profiles go at once.
import { resourceNotFound } from "../../common/errors.js";
import { instanceIdOf } from "../resolve.js";
import { defineOperation } from "../types.js";

export const deleteInstance = defineOperation<{ InstanceId: string; ClientToken?: string }>(async (input, ctx) => {
  const id = instanceIdOf(ctx.scope, input.InstanceId);
  const deleted = id !== undefined && (await ctx.store.instances.delete(ctx.scope, id));
  if (!deleted) throw resourceNotFound(`Instance not found: ${input.InstanceId}`);
  return undefined;
});
