// ListTagsForResource — GET /tags/{resourceArn}
// (https://docs.aws.amazon.com/connect/latest/APIReference/API_ListTagsForResource.html): the
// same tags the resource's Describe* returns (one store, by ARN).
import { operation } from "../declare.js";
import { onArn } from "../iam-targets.js";
import { requireTaggedResource } from "./resource.js";

export const listTagsForResource = operation("ListTagsForResource", {
  iam: onArn("resourceArn"),
  mutates: false,
  async handle(input, ctx) {
    const r = await requireTaggedResource(ctx, input.resourceArn);
    return { tags: r.tags };
  },
});
