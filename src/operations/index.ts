// The service: operation name → handler. Operations absent here are routed, parsed and
// validated, then answered with NotImplementedException naming them.
import { createInstance } from "./instances/create-instance.js";
import { deleteInstance } from "./instances/delete-instance.js";
import { describeInstance } from "./instances/describe-instance.js";
import { listInstances } from "./instances/list-instances.js";
import { listRoutingProfiles, listSecurityProfiles } from "./profiles/list-profiles.js";
import type { Handler } from "./types.js";
import { createUser } from "./users/create-user.js";
import { deleteUser } from "./users/delete-user.js";
import { describeUser } from "./users/describe-user.js";
import { listUsers } from "./users/list-users.js";
import { updateUserIdentityInfo } from "./users/update-user-identity-info.js";

export const HANDLERS = {
  CreateInstance: createInstance,
  DescribeInstance: describeInstance,
  ListInstances: listInstances,
  DeleteInstance: deleteInstance,
  CreateUser: createUser,
  DescribeUser: describeUser,
  ListUsers: listUsers,
  DeleteUser: deleteUser,
  UpdateUserIdentityInfo: updateUserIdentityInfo,
  ListSecurityProfiles: listSecurityProfiles,
  ListRoutingProfiles: listRoutingProfiles,
} as const satisfies Record<string, Handler>;

export type ImplementedOperation = keyof typeof HANDLERS;
