// CreateUser — PUT /users/{InstanceId} (https://docs.aws.amazon.com/connect/latest/APIReference/API_CreateUser.html).
import { randomUUID } from "node:crypto";
import { userArn } from "../../common/arn.js";
import { duplicateResource, limitExceeded } from "../../common/errors.js";
import type { UserRecord } from "../../store/records.js";
import { UniqueViolation } from "../../store/store.js";
import { operation } from "../declare.js";
import { onChildren } from "../iam-targets.js";
import { checkPhoneConfig, phoneConfigFromWire } from "./phone-config.js";
import { hierarchyGroupIdOf, requireInstanceToAssign, routingProfileIdOf, securityProfileIdsOf } from "./references.js";
import { checkCredentialsForType, checkIdentityInfo, checkUsername } from "./rules.js";
import { identityFromWire } from "./wire.js";

export const createUser = operation("CreateUser", {
  // AWS's examples grant CreateUser on …/instance/{id}/agent/*; the tags it attaches are aws:RequestTag.
  iam: onChildren("agent", { requestTags: "Tags" }),
  mutates: true,
  async handle(input, ctx) {
    const instance = await requireInstanceToAssign(ctx, input.InstanceId);
    const type = instance.identityManagementType;
    checkUsername(type, input.Username);
    checkCredentialsForType(type, input.Password, input.DirectoryUserId);
    checkIdentityInfo(type, input.IdentityInfo ?? {});
    checkPhoneConfig(input.PhoneConfig, "phoneConfig");

    const securityProfileIds = await securityProfileIdsOf(ctx, instance, input.SecurityProfileIds);
    const routingProfileId = await routingProfileIdOf(ctx, instance, input.RoutingProfileId);
    const hierarchyGroupId =
      input.HierarchyGroupId === undefined ? undefined : await hierarchyGroupIdOf(ctx, instance, input.HierarchyGroupId);

    if ((await ctx.store.users.count(ctx.scope, instance.id)) >= ctx.quotas.usersPerInstance) {
      throw limitExceeded(`The instance ${instance.id} already has the maximum of ${ctx.quotas.usersPerInstance} users.`);
    }

    const id = randomUUID();
    const user: UserRecord = {
      id,
      arn: userArn(ctx.scope, instance.id, id),
      instanceId: instance.id,
      username: input.Username,
      identityInfo: identityFromWire(input.IdentityInfo),
      phoneConfig: phoneConfigFromWire(input.PhoneConfig),
      // The directory's id for the user; computed when the caller does not give one (format unconfirmed).
      directoryUserId: type === "EXISTING_DIRECTORY" ? (input.DirectoryUserId ?? randomUUID()) : undefined,
      securityProfileIds,
      routingProfileId,
      ...(hierarchyGroupId === undefined ? {} : { hierarchyGroupId }),
      tags: input.Tags ?? {},
      lastModifiedTime: ctx.clock.now(),
      lastModifiedRegion: ctx.scope.region,
    };
    try {
      await ctx.store.users.create(ctx.scope, user);
    } catch (err) {
      if (err instanceof UniqueViolation) {
        // Message as AWS words it (an AWS re:Post answer quotes it verbatim).
        throw duplicateResource(`The user ${input.Username} is already associated with the Amazon Connect instance ${instance.id}`);
      }
      throw err;
    }
    ctx.audit.targetUserId = user.id;
    ctx.audit.responseElements = { userId: user.id, userArn: user.arn };
    return { UserId: user.id, UserArn: user.arn };
  },
});
