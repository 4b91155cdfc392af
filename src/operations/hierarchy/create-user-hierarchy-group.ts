// CreateUserHierarchyGroup — PUT /user-hierarchy-groups/{InstanceId}
// (https://docs.aws.amazon.com/connect/latest/APIReference/API_CreateUserHierarchyGroup.html):
// without ParentGroupId a level-one group, with it a group one level below its parent.
//  - The group's level must exist in the instance's structure, else ResourceNotFoundException
//    (as AWS answers). A parent at LevelFive has no level below it: the same answer, since a
//    hierarchy has at most five levels.
//  - Names are unique among siblings (same parent, or level one) → DuplicateResourceException.
//  - At most ctx.quotas.hierarchyGroupsPerInstance groups, all levels together (AWS's default
//    500, https://docs.aws.amazon.com/connect/latest/adminguide/amazon-connect-service-limits.html)
//    → LimitExceededException.
import { randomUUID } from "node:crypto";
import { hierarchyGroupArn } from "../../common/arn.js";
import { duplicateResource, limitExceeded, resourceNotFound } from "../../common/errors.js";
import type { HierarchyGroupRecord, InstanceRecord } from "../../store/records.js";
import { UniqueViolation } from "../../store/store.js";
import { type OperationContext, operation } from "../declare.js";
import { onChildren } from "../iam-targets.js";
import { requireInstance } from "../resolve.js";
import { checkGroupName, requireGroup } from "./groups.js";
import { levelMember, MAX_LEVELS } from "./levels.js";

/**
 * The parent, share-locked until the create commits: DeleteUserHierarchyGroup locks the group for
 * update before counting its children, so a delete racing this create either waits and counts the
 * new child (ResourceInUseException) or commits first and the lock finds no parent (not found) —
 * never a child whose parent is gone. (SQLite runs one write transaction at a time: no race.)
 */
async function lockedParent(ctx: OperationContext, instance: InstanceRecord, label: string): Promise<HierarchyGroupRecord> {
  const found = await requireGroup(ctx, instance, label);
  const locked = await ctx.store.hierarchy.lockGroup(ctx.scope, instance.id, found.id, "share");
  if (!locked) throw resourceNotFound(`Hierarchy group not found: ${label}`);
  return locked;
}

export const createUserHierarchyGroup = operation("CreateUserHierarchyGroup", {
  // A create inside the instance: …/agent-group/*, with the tags it attaches as aws:RequestTag.
  iam: onChildren("agent-group", { requestTags: "Tags" }),
  mutates: true,
  async handle(input, ctx) {
    const instance = await requireInstance(ctx, input.InstanceId);
    checkGroupName(input.Name);
    const parent = input.ParentGroupId === undefined ? undefined : await lockedParent(ctx, instance, input.ParentGroupId);
    const level = parent ? parent.level + 1 : 1;
    if (level > MAX_LEVELS) {
      throw resourceNotFound(
        `Hierarchy level not found: the parent group ${parent?.id} is at LevelFive, and a user hierarchy has at most ${MAX_LEVELS} levels.`,
      );
    }
    const levels = await ctx.store.hierarchy.levels(ctx.scope, instance.id);
    if (!levels.some((l) => l.level === level)) {
      throw resourceNotFound(
        `Hierarchy level not found: ${levelMember(level)} is not in the user hierarchy structure of instance ${instance.id}; add it with UpdateUserHierarchyStructure first.`,
      );
    }
    if ((await ctx.store.hierarchy.countGroups(ctx.scope, instance.id)) >= ctx.quotas.hierarchyGroupsPerInstance) {
      throw limitExceeded(
        `The instance ${instance.id} already has the maximum of ${ctx.quotas.hierarchyGroupsPerInstance} user hierarchy groups.`,
      );
    }
    const id = randomUUID();
    const group: HierarchyGroupRecord = {
      id,
      arn: hierarchyGroupArn(ctx.scope, instance.id, id),
      instanceId: instance.id,
      name: input.Name,
      level,
      ...(parent ? { parentId: parent.id } : {}),
      tags: input.Tags ?? {},
      lastModifiedTime: ctx.clock.now(),
      lastModifiedRegion: ctx.scope.region,
    };
    try {
      await ctx.store.hierarchy.createGroup(ctx.scope, group);
    } catch (err) {
      if (err instanceof UniqueViolation) {
        throw duplicateResource(
          parent
            ? `A hierarchy group named ${input.Name} already exists under the group ${parent.id}.`
            : `A level-one hierarchy group named ${input.Name} already exists in the instance ${instance.id}.`,
        );
      }
      throw err;
    }
    ctx.audit.responseElements = { hierarchyGroupId: group.id, hierarchyGroupArn: group.arn };
    return { HierarchyGroupId: group.id, HierarchyGroupArn: group.arn };
  },
});
