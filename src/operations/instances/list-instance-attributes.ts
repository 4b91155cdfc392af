// ListInstanceAttributes — GET /instance/{InstanceId}/attributes
// (https://docs.aws.amazon.com/connect/latest/APIReference/API_ListInstanceAttributes.html):
// every attribute type of the model, in the model's order. MaxResults is 1..7 (model); without
// it a page holds 7 (AWS documents no default), so callers meet NextToken as they would on AWS.
import type { InstanceAttributeType } from "../../model/types.gen.js";
import { operation } from "../declare.js";
import { onInstance } from "../iam-targets.js";
import { page } from "../paging.js";
import { requireInstance } from "../resolve.js";
import { ATTRIBUTE_TYPES, attributeToWire } from "./attributes.js";

const DEFAULT_PAGE = 7;

/** Up to limit+1 types after the given one, as a repository would list them. */
function typesAfter(after: string | undefined, limit: number): InstanceAttributeType[] {
  const start = after === undefined ? 0 : ATTRIBUTE_TYPES.indexOf(after as InstanceAttributeType) + 1;
  return ATTRIBUTE_TYPES.slice(start, start + limit + 1);
}

export const listInstanceAttributes = operation("ListInstanceAttributes", {
  iam: onInstance(),
  mutates: false,
  async handle(input, ctx) {
    const instance = await requireInstance(ctx, input.InstanceId);
    const p = await page(
      `ListInstanceAttributes/${instance.id}`,
      input,
      DEFAULT_PAGE,
      async (r) => typesAfter(r.after, r.limit),
      (type) => type,
    );
    return { Attributes: p.items.map((type) => attributeToWire(instance, type)), NextToken: p.NextToken };
  },
});
