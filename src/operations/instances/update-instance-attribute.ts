// UpdateInstanceAttribute — POST /instance/{InstanceId}/attribute/{AttributeType}
// (https://docs.aws.amazon.com/connect/latest/APIReference/API_UpdateInstanceAttribute.html).
// Setting a value is idempotent by itself, so the request's ClientToken needs no bookkeeping.
import { resourceNotFound } from "../../common/errors.js";
import { operation } from "../declare.js";
import { onInstance } from "../iam-targets.js";
import { requireInstance } from "../resolve.js";
import { checkAttributeValue } from "./attributes.js";

export const updateInstanceAttribute = operation("UpdateInstanceAttribute", {
  iam: onInstance(),
  mutates: true,
  async handle(input, ctx) {
    const instance = await requireInstance(ctx, input.InstanceId);
    checkAttributeValue(input.AttributeType, input.Value);
    const attributes = { ...instance.attributes, [input.AttributeType]: input.Value };
    // Removed since it was read (a concurrent DeleteInstance): not found, as if it had gone first.
    if (!(await ctx.store.instances.update(ctx.scope, instance.id, { attributes }))) {
      throw resourceNotFound(`Instance not found: ${input.InstanceId}`);
    }
  },
});
