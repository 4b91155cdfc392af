// The resource a tag operation names by ARN (TagResource, UntagResource, ListTagsForResource).
// Switchboard keeps tags on the instance, users (agent), security and routing profiles, queues
// and hierarchy groups (agent-group) — the taggable resources of
// https://docs.aws.amazon.com/connect/latest/adminguide/tagging.html that it holds. Whatever
// else the ARN names, nothing exists here to tag:
//  - not an ARN of Amazon Connect at all → InvalidParameterException (a malformed member);
//  - another account, region or partition, a type Switchboard does not hold (a phone number, a
//    flow …), or a resource that does not exist → ResourceNotFoundException, as for any id that
//    resolves to nothing.
import { inScope, parseConnectArn } from "../../common/arn.js";
import { invalidParameter, resourceNotFound } from "../../common/errors.js";
import type { Tags } from "../../store/records.js";
import type { OperationContext } from "../declare.js";
import type { ChildType } from "../iam-targets.js";

const CONNECT_ARN = /^arn:[^:]+:connect:[^:]*:[^:]*:./;
const TAGGABLE: readonly ChildType[] = ["agent", "security-profile", "routing-profile", "queue", "agent-group"];

export interface TaggedResource {
  arn: string;
  tags: Tags;
  /** the user the ARN names, when it names one (the audit trail's target) */
  userId?: string;
}

export async function requireTaggedResource(ctx: OperationContext, resourceArn: string): Promise<TaggedResource> {
  if (!CONNECT_ARN.test(resourceArn)) {
    throw invalidParameter(
      `1 validation error detected: Value '${resourceArn}' at 'resourceArn' failed to satisfy constraint: Member must be the ARN of an Amazon Connect resource`,
    );
  }
  const arn = parseConnectArn(resourceArn);
  if (!arn) throw resourceNotFound(`Resource not found: ${resourceArn}`);
  const { scope } = ctx;
  const here = inScope(scope, arn);
  const [type, id] = arn.rest;
  const kept = arn.rest.length === 0 || (arn.rest.length === 2 && TAGGABLE.includes(type as ChildType) && id !== "");
  const tags = here && kept ? await ctx.store.tags.get(scope, resourceArn) : undefined;
  if (!tags) throw resourceNotFound(`Resource not found: ${resourceArn}`);
  return { arn: resourceArn, tags, ...(type === "agent" && id !== undefined ? { userId: id } : {}) };
}

/** Writes the resource's new tag set; the resource vanishing in between is a ResourceNotFoundException. */
export async function putTags(ctx: OperationContext, r: TaggedResource, tags: Tags): Promise<void> {
  if (!(await ctx.store.tags.put(ctx.scope, r.arn, tags))) throw resourceNotFound(`Resource not found: ${r.arn}`);
}
