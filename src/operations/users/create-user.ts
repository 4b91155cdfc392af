// CreateUser — PUT /users/{InstanceId} (https://docs.aws.amazon.com/connect/latest/APIReference/API_CreateUser.html).
import { randomUUID } from "node:crypto";
import { userArn } from "../../common/arn.js";
import { duplicateResource, invalidParameter, limitExceeded, resourceNotFound } from "../../common/errors.js";
import type { UserPhoneConfig } from "../../model/types.gen.js";
import type { UserRecord } from "../../store/records.js";
import { UniqueViolation } from "../../store/store.js";
import { type OperationContext, operation } from "../declare.js";
import { onChildren } from "../iam-targets.js";
import { childIdOf, requireInstance } from "../resolve.js";
import { checkCredentialsForType, checkIdentityInfo, checkUsername } from "./rules.js";
import { identityFromWire } from "./wire.js";

// https://docs.aws.amazon.com/connect/latest/APIReference/API_UserPhoneConfig.html: 0..2,000,000 s.
const MAX_ACW_SECONDS = 2_000_000;

function checkPhoneConfig(pc: UserPhoneConfig, prefix: string): void {
  const problems: string[] = [];
  if (pc.PhoneType === "DESK_PHONE" && pc.DeskPhoneNumber === undefined) {
    problems.push(
      `Value null at '${prefix}.deskPhoneNumber' failed to satisfy constraint: DeskPhoneNumber is required when PhoneType is DESK_PHONE`,
    );
  }
  if (pc.AfterContactWorkTimeLimit !== undefined && pc.AfterContactWorkTimeLimit > MAX_ACW_SECONDS) {
    problems.push(
      `Value '${pc.AfterContactWorkTimeLimit}' at '${prefix}.afterContactWorkTimeLimit' failed to satisfy constraint: Member must have value less than or equal to ${MAX_ACW_SECONDS}`,
    );
  }
  if (problems.length > 0) {
    throw invalidParameter(`${problems.length} validation error${problems.length === 1 ? "" : "s"} detected: ${problems.join("; ")}`);
  }
}

async function resolveProfile(ctx: OperationContext, instanceId: string, kind: "security" | "routing", label: string): Promise<string> {
  const type = kind === "security" ? "security-profile" : "routing-profile";
  const id = childIdOf(ctx.scope, instanceId, type, label);
  const found = id === undefined ? undefined : await ctx.store.profiles.get(ctx.scope, instanceId, kind, id);
  if (!found) throw resourceNotFound(`${kind === "security" ? "Security" : "Routing"} profile not found: ${label}`);
  return found.id;
}

export const createUser = operation("CreateUser", {
  // AWS's examples grant CreateUser on …/instance/{id}/agent/*; the tags it attaches are aws:RequestTag.
  iam: onChildren("agent", { requestTags: "Tags" }),
  mutates: true,
  async handle(input, ctx) {
    const instance = await requireInstance(ctx, input.InstanceId);
    const type = instance.identityManagementType;
    checkUsername(type, input.Username);
    checkCredentialsForType(type, input.Password, input.DirectoryUserId);
    checkIdentityInfo(type, input.IdentityInfo ?? {});
    checkPhoneConfig(input.PhoneConfig, "phoneConfig");

    const securityProfileIds: string[] = [];
    for (const label of input.SecurityProfileIds) {
      const id = await resolveProfile(ctx, instance.id, "security", label);
      if (!securityProfileIds.includes(id)) securityProfileIds.push(id);
    }
    const routingProfileId = await resolveProfile(ctx, instance.id, "routing", input.RoutingProfileId);
    if (input.HierarchyGroupId !== undefined) {
      // Switchboard has no hierarchy groups yet, so no id can name one.
      throw resourceNotFound(`Hierarchy group not found: ${input.HierarchyGroupId}`);
    }

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
      phoneConfig: {
        phoneType: input.PhoneConfig.PhoneType,
        autoAccept: input.PhoneConfig.AutoAccept ?? false,
        afterContactWorkTimeLimit: input.PhoneConfig.AfterContactWorkTimeLimit ?? 0,
        deskPhoneNumber: input.PhoneConfig.DeskPhoneNumber,
      },
      // The directory's id for the user; computed when the caller does not give one (format unconfirmed).
      directoryUserId: type === "EXISTING_DIRECTORY" ? (input.DirectoryUserId ?? randomUUID()) : undefined,
      securityProfileIds,
      routingProfileId,
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
