// Hierarchy groups: finding one by id or ARN, their names, and how they appear on the wire.
import { invalidParameter, resourceNotFound } from "../../common/errors.js";
import type { HierarchyGroup, HierarchyPath } from "../../model/types.gen.js";
import type { HierarchyGroupRecord, InstanceRecord } from "../../store/records.js";
import type { OperationContext } from "../declare.js";
import { childIdOf } from "../resolve.js";
import { levelMember, MAX_LEVELS } from "./levels.js";
import { MAX_GROUP_NAME, nameLengthProblem } from "./names.js";
import { summaryToWire } from "./summary.js";

/** Refuses an empty or over-long group name (InvalidParameterException naming the member). */
export function checkGroupName(name: string): void {
  const problem = nameLengthProblem(name, "name", MAX_GROUP_NAME);
  if (problem) throw invalidParameter(`1 validation error detected: ${problem}`);
}

/** The group a label names (a bare id or its ARN); ResourceNotFoundException otherwise. */
export async function requireGroup(ctx: OperationContext, instance: InstanceRecord, label: string): Promise<HierarchyGroupRecord> {
  const id = childIdOf(ctx.scope, instance.id, "agent-group", label);
  const group = id === undefined ? undefined : await ctx.store.hierarchy.getGroup(ctx.scope, instance.id, id);
  if (!group) throw resourceNotFound(`Hierarchy group not found: ${label}`);
  return group;
}

/**
 * The groups from level one down to this one, each under its level's member — the group itself
 * included (the AWS CLI's describe-user-hierarchy-group example lists a level-one group under
 * LevelOne).
 */
export async function hierarchyPath(ctx: OperationContext, group: HierarchyGroupRecord): Promise<HierarchyPath> {
  const path: HierarchyPath = {};
  let current: HierarchyGroupRecord | undefined = group;
  // At most one group per level: bounded even if stored parents were ever to form a cycle.
  for (let step = 0; current && step < MAX_LEVELS; step++) {
    const member = levelMember(current.level);
    if (member) path[member] = summaryToWire(current);
    current =
      current.parentId === undefined ? undefined : await ctx.store.hierarchy.getGroup(ctx.scope, group.instanceId, current.parentId);
  }
  return path;
}

export const groupToWire = (g: HierarchyGroupRecord, path: HierarchyPath): HierarchyGroup => ({
  ...summaryToWire(g),
  // The level's number as text, as the AWS CLI's describe-user-hierarchy-group example shows it.
  LevelId: String(g.level),
  HierarchyPath: path,
  Tags: g.tags,
});
