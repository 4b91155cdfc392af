// UpdateUserHierarchyStructure — POST /user-hierarchy-structure/{InstanceId}
// (https://docs.aws.amazon.com/connect/latest/APIReference/API_UpdateUserHierarchyStructure.html):
// "add, remove, and rename user hierarchy levels". The request is the whole structure: levels it
// leaves out are removed, so an empty HierarchyStructure removes every level (what Terraform's
// aws_connect_user_hierarchy_structure sends on Delete). A renamed level keeps its Id.
//
// Where AWS is silent (the conservative reading):
//  - the levels given must be contiguous from LevelOne (LevelThree without LevelTwo is refused:
//    a group sits one level below its parent, so a gap could never hold groups);
//  - a level that groups still occupy cannot be removed (ResourceInUseException, ResourceType
//    HIERARCHY_LEVEL, ResourceId its ARN).
import { randomUUID } from "node:crypto";
import { invalidParameter, modeledError } from "../../common/errors.js";
import { lowerCamel } from "../../common/text.js";
import type { HierarchyLevelUpdate, HierarchyStructureUpdate } from "../../model/types.gen.js";
import type { HierarchyLevelRecord, InstanceRecord } from "../../store/records.js";
import { type OperationContext, operation } from "../declare.js";
import { onInstance } from "../iam-targets.js";
import { requireInstance } from "../resolve.js";
import { LEVEL_MEMBERS, levelArn } from "./levels.js";
import { MAX_LEVEL_NAME, nameLengthProblem } from "./names.js";

/** The levels asked for, by number − 1; refuses gaps and bad names, all problems at once. */
function requestedLevels(structure: HierarchyStructureUpdate): HierarchyLevelUpdate[] {
  const given = LEVEL_MEMBERS.map((m) => structure[m]);
  const count = given.reduce((n, level, i) => (level === undefined ? n : i + 1), 0);
  const problems: string[] = [];
  const levels: HierarchyLevelUpdate[] = [];
  for (let i = 0; i < count; i++) {
    const at = `hierarchyStructure.${lowerCamel(LEVEL_MEMBERS[i] ?? "")}`;
    const level = given[i];
    if (level === undefined) {
      problems.push(
        `Value null at '${at}' failed to satisfy constraint: Levels must be contiguous from LevelOne; ${LEVEL_MEMBERS[count - 1]} is given without ${LEVEL_MEMBERS[i]}`,
      );
      continue;
    }
    const problem = nameLengthProblem(level.Name, `${at}.name`, MAX_LEVEL_NAME);
    if (problem) problems.push(problem);
    levels.push(level);
  }
  if (problems.length > 0) {
    throw invalidParameter(`${problems.length} validation error${problems.length === 1 ? "" : "s"} detected: ${problems.join("; ")}`);
  }
  return levels;
}

/** Refuses to remove a level that still holds groups (checked from the top level down). */
async function checkRemovable(ctx: OperationContext, instance: InstanceRecord, removed: readonly HierarchyLevelRecord[]): Promise<void> {
  for (const level of removed) {
    const groups = await ctx.store.hierarchy.countAtLevel(ctx.scope, instance.id, level.level);
    if (groups > 0) {
      throw modeledError(
        "ResourceInUseException",
        `The hierarchy level ${LEVEL_MEMBERS[level.level - 1]} (${level.name}) still holds ${groups} hierarchy group${groups === 1 ? "" : "s"}; delete them before removing the level.`,
        { ResourceType: "HIERARCHY_LEVEL", ResourceId: level.arn },
      );
    }
  }
}

export const updateUserHierarchyStructure = operation("UpdateUserHierarchyStructure", {
  iam: onInstance(),
  mutates: true,
  async handle(input, ctx) {
    const instance = await requireInstance(ctx, input.InstanceId);
    const requested = requestedLevels(input.HierarchyStructure);
    const current = await ctx.store.hierarchy.levels(ctx.scope, instance.id);
    await checkRemovable(
      ctx,
      instance,
      current.filter((l) => l.level > requested.length),
    );
    const now = ctx.clock.now();
    const next = requested.map((update, i): HierarchyLevelRecord => {
      const level = i + 1;
      const old = current.find((l) => l.level === level);
      if (old && old.name === update.Name) return old;
      // A kept level keeps its id (a rename); a new one gets its own.
      return {
        level,
        id: old?.id ?? randomUUID(),
        arn: levelArn(ctx.scope, instance.id, level),
        name: update.Name,
        lastModifiedTime: now,
        lastModifiedRegion: ctx.scope.region,
      };
    });
    await ctx.store.hierarchy.putLevels(ctx.scope, instance.id, next);
  },
});
