// IAM targets of the user updates that assign another resource. The Service Authorization
// Reference lists, besides the user, the resource assigned (security-profile for
// UpdateUserSecurityProfiles, routing-profile for UpdateUserRoutingProfile, an optional
// hierarchy-group for UpdateUserHierarchy:
// https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonconnect.html);
// as for the queues of a routing profile, each one named must be allowed.
import { instanceArn } from "../../common/arn.js";
import { type ChildType, childIdFromLabel, type IamTarget, instanceIdFromLabel } from "../iam-targets.js";

/**
 * The resource a member names, when the request names one: …/instance/{InstanceId}/{type}/{id};
 * none when the member is absent (UpdateUserHierarchy without HierarchyGroupId detaches the user
 * and assigns nothing).
 */
export function onNamedChild<I extends { InstanceId: string }>(type: ChildType, label: (input: I) => string | undefined): IamTarget<I> {
  return {
    kind: "child",
    type,
    resolve(input, scope) {
      const childLabel = label(input);
      if (typeof input.InstanceId !== "string" || typeof childLabel !== "string") return [];
      const instanceId = instanceIdFromLabel(input.InstanceId);
      const id = childIdFromLabel(type, childLabel);
      return { resourceArn: `${instanceArn(scope, instanceId)}/${type}/${id}`, instanceId, child: { type, id } };
    },
  };
}
