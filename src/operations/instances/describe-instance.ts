// DescribeInstance — GET /instance/{InstanceId}
import { requireInstance } from "../resolve.js";
import { defineOperation } from "../types.js";
import { instanceToWire } from "./wire.js";

export const describeInstance = defineOperation<{ InstanceId: string }>(async (input, ctx) => {
  const instance = await requireInstance(ctx, input.InstanceId);
  return { Instance: instanceToWire(instance) };
});
