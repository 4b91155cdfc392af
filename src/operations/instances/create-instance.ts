// CreateInstance — PUT /instance (https://docs.aws.amazon.com/connect/latest/APIReference/API_CreateInstance.html).
import { randomBytes, randomUUID } from "node:crypto";
import { instanceArn } from "../../common/arn.js";
import { invalidRequest, serviceQuotaExceeded } from "../../common/errors.js";
import type { CreateInstanceRequest } from "../../model/types.gen.js";
import type { InstanceRecord } from "../../store/records.js";
import { UniqueViolation } from "../../store/store.js";
import { operation } from "../declare.js";
import { noResource } from "../iam-targets.js";
import { defaultProfiles, defaultQueues } from "./defaults.js";

function checkTypeMembers(input: CreateInstanceRequest): void {
  // Whether AWS insists on an alias / directory per type is unconfirmed; Switchboard takes the
  // conservative reading (what Terraform also enforces client-side).
  const problems: string[] = [];
  const type = input.IdentityManagementType;
  if (type === "EXISTING_DIRECTORY") {
    if (input.DirectoryId === undefined) {
      problems.push("Value null at 'directoryId' failed to satisfy constraint: DirectoryId is required for EXISTING_DIRECTORY");
    }
  } else {
    if (input.InstanceAlias === undefined) {
      problems.push(`Value null at 'instanceAlias' failed to satisfy constraint: InstanceAlias is required for ${type}`);
    }
    if (input.DirectoryId !== undefined) {
      problems.push(`Value at 'directoryId' failed to satisfy constraint: DirectoryId can be set only for EXISTING_DIRECTORY, not ${type}`);
    }
  }
  if (problems.length > 0) {
    throw invalidRequest(`${problems.length} validation error${problems.length === 1 ? "" : "s"} detected: ${problems.join("; ")}`);
  }
}

export const createInstance = operation("CreateInstance", {
  // CreateInstance has no resource type; tags it attaches are aws:RequestTag.
  iam: noResource({ requestTags: "Tags" }),
  mutates: true,
  async handle(input, ctx) {
    checkTypeMembers(input);
    if ((await ctx.store.instances.count(ctx.scope)) >= ctx.quotas.instancesPerRegion) {
      throw serviceQuotaExceeded(
        `The account ${ctx.scope.account} already has the maximum of ${ctx.quotas.instancesPerRegion} Amazon Connect instances in ${ctx.scope.region}.`,
      );
    }
    const id = randomUUID();
    const now = ctx.clock.now();
    const host = input.InstanceAlias ?? input.DirectoryId ?? id;
    const instance: InstanceRecord = {
      id,
      arn: instanceArn(ctx.scope, id),
      identityManagementType: input.IdentityManagementType,
      alias: input.InstanceAlias,
      directoryId: input.DirectoryId,
      createdTime: now,
      serviceRole: `arn:aws:iam::${ctx.scope.account}:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect_${randomBytes(10).toString("hex").toUpperCase().slice(0, 20)}`,
      // Created synchronously: there is nothing to provision, so it is ACTIVE at once.
      status: "ACTIVE",
      inboundCallsEnabled: input.InboundCallsEnabled,
      outboundCallsEnabled: input.OutboundCallsEnabled,
      accessUrl: `https://${host}.my.connect.aws/`,
      tags: input.Tags ?? {},
    };
    try {
      const profiles = defaultProfiles(ctx.scope, id, now);
      await ctx.store.instances.create(ctx.scope, instance, profiles, defaultQueues(profiles));
    } catch (err) {
      if (err instanceof UniqueViolation) throw invalidRequest(`The instance alias ${input.InstanceAlias ?? ""} is already in use.`);
      throw err;
    }
    ctx.audit.responseElements = { id: instance.id, arn: instance.arn };
    return { Id: instance.id, Arn: instance.arn };
  },
});
