// UntagResource — DELETE /tags/{resourceArn}?tagKeys=…
// (https://docs.aws.amazon.com/connect/latest/APIReference/API_UntagResource.html). Keys the
// resource does not have are ignored; reserved (aws:) keys are refused, as AWS reserves them
// from deletion too (https://docs.aws.amazon.com/connect/latest/adminguide/tagging.html).
import { operation } from "../declare.js";
import { onArn } from "../iam-targets.js";
import { putTags, requireTaggedResource } from "./resource.js";
import { checkTagKeys } from "./rules.js";

export const untagResource = operation("UntagResource", {
  // The resource's ARN; the keys it removes are aws:TagKeys.
  iam: onArn("resourceArn", { requestTagKeys: "tagKeys" }),
  mutates: true,
  async handle(input, ctx) {
    checkTagKeys(input.tagKeys, "tagKeys");
    const r = await requireTaggedResource(ctx, input.resourceArn);
    const remove = new Set(input.tagKeys);
    const next = Object.fromEntries(Object.entries(r.tags).filter(([k]) => !remove.has(k)));
    await putTags(ctx, r, next);
    if (r.userId !== undefined) ctx.audit.targetUserId = r.userId;
  },
});
