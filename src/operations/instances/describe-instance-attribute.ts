// DescribeInstanceAttribute — GET /instance/{InstanceId}/attribute/{AttributeType}
// (https://docs.aws.amazon.com/connect/latest/APIReference/API_DescribeInstanceAttribute.html).
import { operation } from "../declare.js";
import { onInstance } from "../iam-targets.js";
import { requireInstance } from "../resolve.js";
import { attributeToWire } from "./attributes.js";

export const describeInstanceAttribute = operation("DescribeInstanceAttribute", {
  iam: onInstance(),
  mutates: false,
  async handle(input, ctx) {
    const instance = await requireInstance(ctx, input.InstanceId);
    return { Attribute: attributeToWire(instance, input.AttributeType) };
  },
});
