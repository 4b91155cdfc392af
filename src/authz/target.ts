// What an API call asks IAM about: the action and the resource ARN, per the Service Authorization
// Reference for Amazon Connect (spec A.14;
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonconnect.html).
// User resources are …/instance/{id}/agent/{id}. Built from the request alone — before any
// existence check — so a denial never depends on whether the resource exists.
import { instanceArn, parseConnectArn, type Scope, userArn } from "../common/arn.js";

export interface AuthzTarget {
  /** e.g. connect:UpdateUserIdentityInfo */
  action: string;
  resourceArn: string;
  /** the instance named by the request, when any (connect:InstanceId) */
  instanceId?: string;
  /** the user named by the request, when any (its tags are aws:ResourceTag/*) */
  userId?: string;
  /** tags the request attaches (aws:RequestTag/*, aws:TagKeys) */
  requestTags?: Readonly<Record<string, string>>;
}

/** Operations whose resource is a user (…/agent/{UserId}). */
const USER_RESOURCE =
  /^(DescribeUser|DeleteUser|UpdateUser(IdentityInfo|PhoneConfig|RoutingProfile|SecurityProfiles|Hierarchy|ProficiencyList|Config)?)$/;
/** Account-level operations with no resource ARN. */
const NO_RESOURCE = new Set(["CreateInstance", "ListInstances"]);

function instanceIdFromLabel(label: string): string {
  const arn = parseConnectArn(label);
  return arn ? arn.instanceId : label;
}

function userIdFromLabel(label: string): string {
  const arn = parseConnectArn(label);
  return arn && arn.rest[0] === "agent" && arn.rest[1] ? arn.rest[1] : label;
}

function stringMember(input: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const v = input[name];
  return typeof v === "string" ? v : undefined;
}

export function authzTarget(operation: string, input: Readonly<Record<string, unknown>>, scope: Scope): AuthzTarget {
  const action = `connect:${operation}`;
  const tags = input.Tags;
  const requestTags = tags && typeof tags === "object" && !Array.isArray(tags) ? (tags as Record<string, string>) : undefined;
  const instanceLabel = stringMember(input, "InstanceId");
  if (NO_RESOURCE.has(operation) || instanceLabel === undefined) {
    return { action, resourceArn: "*", ...(requestTags ? { requestTags } : {}) };
  }
  const instanceId = instanceIdFromLabel(instanceLabel);
  const userLabel = stringMember(input, "UserId");
  if (USER_RESOURCE.test(operation) && userLabel !== undefined) {
    const userId = userIdFromLabel(userLabel);
    return { action, resourceArn: userArn(scope, instanceId, userId), instanceId, userId };
  }
  if (operation === "CreateUser") {
    // AWS's examples grant CreateUser on …/instance/{id}/agent/*.
    return { action, resourceArn: `${instanceArn(scope, instanceId)}/agent/*`, instanceId, ...(requestTags ? { requestTags } : {}) };
  }
  return { action, resourceArn: instanceArn(scope, instanceId), instanceId, ...(requestTags ? { requestTags } : {}) };
}
