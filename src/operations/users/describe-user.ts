// DescribeUser — GET /users/{InstanceId}/{UserId}
import { requireInstance, requireUser } from "../resolve.js";
import { defineOperation } from "../types.js";
import { userToWire } from "./wire.js";

interface Input {
  InstanceId: string;
  UserId: string;
}

export const describeUser = defineOperation<Input>(async (input, ctx) => {
  const instance = await requireInstance(ctx, input.InstanceId);
  const user = await requireUser(ctx, instance, input.UserId);
  return { User: userToWire(user) };
});
