// The Connect service record: one declaration per served operation, under its model name.
// The compiler checks it against the model (src/model/types.gen.ts): a misspelt key, a
// declaration filed under another operation's name, or an operation of the model that is neither
// declared here nor listed in NOT_SERVED fails `tsc` — naming the operation.
import { type ConnectRecord, type Declaration, type EveryOperationDecided, type ServedOperation, served } from "./declare.js";
import { createUserHierarchyGroup } from "./hierarchy/create-user-hierarchy-group.js";
import { deleteUserHierarchyGroup } from "./hierarchy/delete-user-hierarchy-group.js";
import { describeUserHierarchyGroup } from "./hierarchy/describe-user-hierarchy-group.js";
import { describeUserHierarchyStructure } from "./hierarchy/describe-user-hierarchy-structure.js";
import { listUserHierarchyGroups } from "./hierarchy/list-user-hierarchy-groups.js";
import { updateUserHierarchyGroupName } from "./hierarchy/update-user-hierarchy-group-name.js";
import { updateUserHierarchyStructure } from "./hierarchy/update-user-hierarchy-structure.js";
import { createInstance } from "./instances/create-instance.js";
import { deleteInstance } from "./instances/delete-instance.js";
import { describeInstance } from "./instances/describe-instance.js";
import { describeInstanceAttribute } from "./instances/describe-instance-attribute.js";
import { listInstanceAttributes } from "./instances/list-instance-attributes.js";
import { listInstances } from "./instances/list-instances.js";
import { updateInstanceAttribute } from "./instances/update-instance-attribute.js";
import type { NOT_SERVED } from "./not-served.js";
import { listRoutingProfiles, listSecurityProfiles } from "./profiles/list-profiles.js";
import { describeQueue } from "./queues/describe-queue.js";
import { listQueues } from "./queues/list-queues.js";
import { associateRoutingProfileQueues } from "./routing-profiles/associate-routing-profile-queues.js";
import { createRoutingProfile } from "./routing-profiles/create-routing-profile.js";
import { deleteRoutingProfile } from "./routing-profiles/delete-routing-profile.js";
import { describeRoutingProfile } from "./routing-profiles/describe-routing-profile.js";
import { disassociateRoutingProfileQueues } from "./routing-profiles/disassociate-routing-profile-queues.js";
import { listRoutingProfileQueues } from "./routing-profiles/list-routing-profile-queues.js";
import { updateRoutingProfileConcurrency } from "./routing-profiles/update-routing-profile-concurrency.js";
import { updateRoutingProfileDefaultOutboundQueue } from "./routing-profiles/update-routing-profile-default-outbound-queue.js";
import { updateRoutingProfileName } from "./routing-profiles/update-routing-profile-name.js";
import { createSecurityProfile } from "./security-profiles/create-security-profile.js";
import { deleteSecurityProfile } from "./security-profiles/delete-security-profile.js";
import { describeSecurityProfile } from "./security-profiles/describe-security-profile.js";
import { listSecurityProfilePermissions } from "./security-profiles/list-security-profile-permissions.js";
import { updateSecurityProfile } from "./security-profiles/update-security-profile.js";
import { listTagsForResource } from "./tags/list-tags-for-resource.js";
import { tagResource } from "./tags/tag-resource.js";
import { untagResource } from "./tags/untag-resource.js";
import { createUser } from "./users/create-user.js";
import { deleteUser } from "./users/delete-user.js";
import { describeUser } from "./users/describe-user.js";
import { listUsers } from "./users/list-users.js";
import { searchUsers } from "./users/search-users.js";
import { updateUserHierarchy } from "./users/update-user-hierarchy.js";
import { updateUserIdentityInfo } from "./users/update-user-identity-info.js";
import { updateUserPhoneConfig } from "./users/update-user-phone-config.js";
import { updateUserRoutingProfile } from "./users/update-user-routing-profile.js";
import { updateUserSecurityProfiles } from "./users/update-user-security-profiles.js";

const DECLARED = {
  CreateInstance: createInstance,
  DescribeInstance: describeInstance,
  ListInstances: listInstances,
  DeleteInstance: deleteInstance,
  DescribeInstanceAttribute: describeInstanceAttribute,
  UpdateInstanceAttribute: updateInstanceAttribute,
  ListInstanceAttributes: listInstanceAttributes,
  CreateUser: createUser,
  DescribeUser: describeUser,
  ListUsers: listUsers,
  SearchUsers: searchUsers,
  DeleteUser: deleteUser,
  UpdateUserIdentityInfo: updateUserIdentityInfo,
  UpdateUserPhoneConfig: updateUserPhoneConfig,
  UpdateUserRoutingProfile: updateUserRoutingProfile,
  UpdateUserSecurityProfiles: updateUserSecurityProfiles,
  UpdateUserHierarchy: updateUserHierarchy,
  ListSecurityProfiles: listSecurityProfiles,
  ListRoutingProfiles: listRoutingProfiles,
  CreateSecurityProfile: createSecurityProfile,
  DescribeSecurityProfile: describeSecurityProfile,
  UpdateSecurityProfile: updateSecurityProfile,
  DeleteSecurityProfile: deleteSecurityProfile,
  ListSecurityProfilePermissions: listSecurityProfilePermissions,
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTagsForResource: listTagsForResource,
  UpdateUserHierarchyStructure: updateUserHierarchyStructure,
  DescribeUserHierarchyStructure: describeUserHierarchyStructure,
  CreateUserHierarchyGroup: createUserHierarchyGroup,
  DescribeUserHierarchyGroup: describeUserHierarchyGroup,
  UpdateUserHierarchyGroupName: updateUserHierarchyGroupName,
  DeleteUserHierarchyGroup: deleteUserHierarchyGroup,
  ListUserHierarchyGroups: listUserHierarchyGroups,
  DescribeRoutingProfile: describeRoutingProfile,
  ListRoutingProfileQueues: listRoutingProfileQueues,
  CreateRoutingProfile: createRoutingProfile,
  DeleteRoutingProfile: deleteRoutingProfile,
  UpdateRoutingProfileName: updateRoutingProfileName,
  UpdateRoutingProfileConcurrency: updateRoutingProfileConcurrency,
  UpdateRoutingProfileDefaultOutboundQueue: updateRoutingProfileDefaultOutboundQueue,
  AssociateRoutingProfileQueues: associateRoutingProfileQueues,
  DisassociateRoutingProfileQueues: disassociateRoutingProfileQueues,
  ListQueues: listQueues,
  DescribeQueue: describeQueue,
} as const satisfies ConnectRecord;

export type ServedConnectOperation = keyof typeof DECLARED;
/** Fails to compile, naming them, when operations of the model are left undecided or decided twice. */
export const EVERY_OPERATION_DECIDED: EveryOperationDecided<typeof DECLARED, (typeof NOT_SERVED)[number]> = true;

/** The served operations as the request pipeline holds them; an operation absent here answers 501. */
export const CONNECT_OPERATIONS: Readonly<Record<string, ServedOperation>> = Object.fromEntries(
  Object.values(DECLARED).map((d: Declaration<string, never, unknown>) => [d.name, served(d, "connect")]),
);

/** IAM's service prefix for Connect actions (connect:UpdateUserIdentityInfo …). */
export const CONNECT_IAM_PREFIX = "connect";
