// What an API call asks IAM about, read from the operation's declaration (operations/declare.ts):
// each IAM action with the resource ARN its target builds from the request — the Service
// Authorization Reference for Amazon Connect
// (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonconnect.html).
// Built from the request alone, before any existence check, so a denial never depends on
// whether the resource exists. Nothing here is inferred from an operation's name.
import type { Scope } from "../common/arn.js";
import type { ServedOperation } from "../operations/declare.js";

export interface AuthzTarget {
  /** e.g. connect:UpdateUserIdentityInfo */
  action: string;
  resourceArn: string;
  /** the instance named by the request, when any (connect:InstanceId) */
  instanceId?: string;
  /** the user named by the request, when the resource is one (its tags are aws:ResourceTag/*) */
  userId?: string;
  /** another resource inside the instance, when the target is one */
  child?: { type: string; id: string };
  /** tags the request attaches (aws:RequestTag/*, aws:TagKeys) */
  requestTags?: Readonly<Record<string, string>>;
  /** tag keys the request names without values (aws:TagKeys; UntagResource) */
  requestTagKeys?: readonly string[];
  /** the tags a search filters on, by key (connect:SearchTag/*) */
  searchTags?: Readonly<Record<string, readonly string[]>>;
}

/** Every action and resource the call is authorized on (each must be allowed). */
export function authzTargets(declaration: ServedOperation, input: unknown, scope: Scope): AuthzTarget[] {
  return declaration.iam.flatMap(({ action, target }) => {
    const resolved = target.resolve(input, scope);
    return (Array.isArray(resolved) ? resolved : [resolved]).map((r) => {
      const out: AuthzTarget = { action, resourceArn: r.resourceArn };
      if (r.instanceId !== undefined) out.instanceId = r.instanceId;
      if (r.child?.type === "agent") out.userId = r.child.id;
      else if (r.child) out.child = r.child;
      if (r.requestTags) out.requestTags = r.requestTags;
      if (r.requestTagKeys) out.requestTagKeys = r.requestTagKeys;
      if (r.searchTags) out.searchTags = r.searchTags;
      return out;
    });
  });
}
