// Names of levels and groups: the model documents their limits in prose only ("Must not be more
// than 50 / 100 characters"; no length trait), so the operations check them, counting code points
// as Smithy does, and name the member the AWS way.
import { codePointLength } from "../../common/text.js";

/** HierarchyLevelUpdate.Name (https://docs.aws.amazon.com/connect/latest/APIReference/API_HierarchyLevelUpdate.html). */
export const MAX_LEVEL_NAME = 50;
/** CreateUserHierarchyGroup's Name (https://docs.aws.amazon.com/connect/latest/APIReference/API_CreateUserHierarchyGroup.html). */
export const MAX_GROUP_NAME = 100;

/** The constraint a name breaks, if any (`at` names the member, e.g. hierarchyStructure.levelOne.name). */
export function nameLengthProblem(name: string, at: string, max: number): string | undefined {
  const n = codePointLength(name);
  const bound =
    n < 1
      ? "Member must have length greater than or equal to 1"
      : n > max
        ? `Member must have length less than or equal to ${max}`
        : undefined;
  return bound === undefined ? undefined : `Value '${name}' at '${at}' failed to satisfy constraint: ${bound}`;
}
