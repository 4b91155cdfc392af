// The IAM request context for a call: the global condition keys AWS documents
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html)
// plus Connect's connect:InstanceId and connect:SearchTag/${TagKey}. Used by live requests and by the access report alike.
import type { ContextValue, RequestContext } from "../iam/index.js";
import type { AuthzTarget } from "./target.js";

export interface PrincipalFacts {
  arn: string;
  account: string;
  userName?: string;
  tags: Readonly<Record<string, string>>;
}

export interface CallFacts {
  region: string;
  /** absent in the access report, where no request exists */
  sourceIp?: string;
  /** epoch ms */
  now: number;
}

export function requestContext(
  target: AuthzTarget,
  principal: PrincipalFacts,
  resourceTags: Readonly<Record<string, string>>,
  call: CallFacts,
): RequestContext {
  const keys: Record<string, ContextValue> = {
    "aws:principalarn": principal.arn,
    "aws:principalaccount": principal.account,
    "aws:requestedregion": call.region,
    "aws:currenttime": new Date(call.now).toISOString(),
    "aws:epochtime": String(Math.floor(call.now / 1000)),
    "aws:securetransport": "false",
    "aws:principaltype": principal.userName ? "User" : "Account",
  };
  if (principal.userName) keys["aws:username"] = principal.userName;
  if (call.sourceIp !== undefined) keys["aws:sourceip"] = call.sourceIp.replace(/^::ffff:/, "");
  for (const [k, v] of Object.entries(principal.tags)) keys[`aws:principaltag/${k.toLowerCase()}`] = v;
  for (const [k, v] of Object.entries(resourceTags)) keys[`aws:resourcetag/${k.toLowerCase()}`] = v;
  if (target.requestTags) {
    for (const [k, v] of Object.entries(target.requestTags)) keys[`aws:requesttag/${k.toLowerCase()}`] = v;
  }
  // aws:TagKeys: the keys of the tags a request attaches, or the keys it names (UntagResource).
  if (target.requestTags || target.requestTagKeys) {
    keys["aws:tagkeys"] = [...new Set([...Object.keys(target.requestTags ?? {}), ...(target.requestTagKeys ?? [])])];
  }
  if (target.instanceId !== undefined) keys["connect:instanceid"] = target.instanceId;
  // connect:SearchTag/${TagKey}: "Filters access by TagFilter condition passed in the search
  // request" (Service Authorization Reference) — every value the filter names for the key.
  if (target.searchTags) {
    // Condition key names are case-insensitive: keys differing only in case share one entry.
    const byKey = new Map<string, string[]>();
    for (const [k, v] of Object.entries(target.searchTags)) {
      const name = `connect:searchtag/${k.toLowerCase()}`;
      byKey.set(name, [...new Set([...(byKey.get(name) ?? []), ...v])]);
    }
    for (const [name, v] of byKey) keys[name] = v.length === 1 ? v[0] : v;
  }
  return { action: target.action, resource: target.resourceArn, principalArn: principal.arn, keys };
}
