// ARN formats: the Service Authorization Reference for Amazon Connect
// (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonconnect.html).

export interface Scope {
  /** 12-digit AWS account id */
  readonly account: string;
  /** the region from the request's credential scope */
  readonly region: string;
}

export function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  if (region.startsWith("us-iso-")) return "aws-iso";
  if (region.startsWith("us-isob-")) return "aws-iso-b";
  return "aws";
}

export const instanceArn = (s: Scope, instanceId: string) =>
  `arn:${partitionOf(s.region)}:connect:${s.region}:${s.account}:instance/${instanceId}`;

export const userArn = (s: Scope, instanceId: string, userId: string) => `${instanceArn(s, instanceId)}/agent/${userId}`;

export const securityProfileArn = (s: Scope, instanceId: string, id: string) => `${instanceArn(s, instanceId)}/security-profile/${id}`;

export const routingProfileArn = (s: Scope, instanceId: string, id: string) => `${instanceArn(s, instanceId)}/routing-profile/${id}`;

export const queueArn = (s: Scope, instanceId: string, id: string) => `${instanceArn(s, instanceId)}/queue/${id}`;

export const hierarchyGroupArn = (s: Scope, instanceId: string, id: string) => `${instanceArn(s, instanceId)}/agent-group/${id}`;

export interface ParsedConnectArn {
  partition: string;
  region: string;
  account: string;
  /** resource part after `instance/`, split on `/` */
  instanceId: string;
  rest: string[];
}

/** Parses `arn:<p>:connect:<region>:<account>:instance/<id>[/<type>/<id>…]`, else undefined. */
export function parseConnectArn(value: string): ParsedConnectArn | undefined {
  if (!value.startsWith("arn:")) return undefined;
  const parts = value.split(":");
  if (parts.length !== 6 || parts[2] !== "connect") return undefined;
  const resource = (parts[5] ?? "").split("/");
  if (resource[0] !== "instance" || !resource[1]) return undefined;
  return {
    partition: parts[1] ?? "",
    region: parts[3] ?? "",
    account: parts[4] ?? "",
    instanceId: resource[1],
    rest: resource.slice(2),
  };
}

/** Whether a parsed ARN names the scope's own account, region and partition (never another's). */
export function inScope(scope: Scope, arn: Pick<ParsedConnectArn, "partition" | "account" | "region">): boolean {
  return arn.account === scope.account && arn.region === scope.region && arn.partition === partitionOf(scope.region);
}
