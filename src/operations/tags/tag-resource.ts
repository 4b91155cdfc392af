// TagResource — POST /tags/{resourceArn}, body `tags`
// (https://docs.aws.amazon.com/connect/latest/APIReference/API_TagResource.html). The tags are
// merged into the resource's: a key it already has takes the new value (AWS's tagging rule:
// each key has one value). The limit of 50 counts the result.
import { operation } from "../declare.js";
import { onArn } from "../iam-targets.js";
import { putTags, requireTaggedResource } from "./resource.js";
import { checkTagCount, checkTagKeys } from "./rules.js";

export const tagResource = operation("TagResource", {
  // The resource's ARN; the tags it adds are aws:RequestTag/* and aws:TagKeys.
  iam: onArn("resourceArn", { requestTags: "tags" }),
  mutates: true,
  async handle(input, ctx) {
    checkTagKeys(Object.keys(input.tags), "tags");
    const r = await requireTaggedResource(ctx, input.resourceArn);
    const next = { ...r.tags, ...input.tags };
    checkTagCount(next, "tags");
    await putTags(ctx, r, next);
    if (r.userId !== undefined) ctx.audit.targetUserId = r.userId;
  },
});
