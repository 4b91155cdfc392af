// DescribeInstance — GET /instance/{InstanceId}
import { operation } from "../declare.js";
import { onInstance } from "../iam-targets.js";
import { requireInstance } from "../resolve.js";
import { instanceToWire } from "./wire.js";

export const describeInstance = operation("DescribeInstance", {
  iam: onInstance(),
  mutates: false,
  async handle(input, ctx) {
    const instance = await requireInstance(ctx, input.InstanceId);
    return { Instance: instanceToWire(instance) };
  },
});
