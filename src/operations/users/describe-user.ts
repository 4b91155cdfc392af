// DescribeUser — GET /users/{InstanceId}/{UserId}
import { operation } from "../declare.js";
import { onUser } from "../iam-targets.js";
import { requireInstance, requireUser } from "../resolve.js";
import { userToWire } from "./wire.js";

export const describeUser = operation("DescribeUser", {
  iam: onUser(),
  mutates: false,
  async handle(input, ctx) {
    const instance = await requireInstance(ctx, input.InstanceId);
    const user = await requireUser(ctx, instance, input.UserId);
    return { User: userToWire(user) };
  },
});
