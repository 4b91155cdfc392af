// The five levels of a user hierarchy (LevelOne … LevelFive,
// https://docs.aws.amazon.com/connect/latest/adminguide/agent-hierarchy.html) and how a level
// appears on the wire. A level's ARN ends in agent-group-level/<number> (the AWS CLI's
// describe-user-hierarchy-structure example); its Id is a UUID kept for as long as the level
// exists (renaming keeps it), as that example shows UUID-like level ids.
import { instanceArn, type Scope } from "../../common/arn.js";
import type { HierarchyStructure } from "../../model/types.gen.js";
import type { HierarchyLevelRecord } from "../../store/records.js";
import { summaryToWire } from "./summary.js";

/** The structure's members by level number − 1; the same names key HierarchyPath. */
export const LEVEL_MEMBERS = [
  "LevelOne",
  "LevelTwo",
  "LevelThree",
  "LevelFour",
  "LevelFive",
] as const satisfies readonly (keyof HierarchyStructure)[];

export type LevelMember = (typeof LEVEL_MEMBERS)[number];

export const MAX_LEVELS = LEVEL_MEMBERS.length;

/** LevelOne for 1 … LevelFive for 5. */
export const levelMember = (level: number): LevelMember | undefined => LEVEL_MEMBERS[level - 1];

export const levelArn = (scope: Scope, instanceId: string, level: number) => `${instanceArn(scope, instanceId)}/agent-group-level/${level}`;

/** The structure as DescribeUserHierarchyStructure answers it: `{}` when there are no levels (never absent). */
export function structureToWire(levels: readonly HierarchyLevelRecord[]): HierarchyStructure {
  const out: HierarchyStructure = {};
  for (const l of levels) {
    const member = levelMember(l.level);
    if (member) out[member] = summaryToWire(l);
  }
  return out;
}
