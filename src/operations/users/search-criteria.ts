// SearchUsers' SearchCriteria (UserSearchCriteria), checked and turned into a predicate over the
// instance's users. Grammar: https://docs.aws.amazon.com/connect/latest/APIReference/API_UserSearchCriteria.html
// (OrConditions / AndConditions nest criteria; StringCondition, HierarchyGroupCondition and
// ListCondition are the leaves), API_StringCondition.html, API_HierarchyGroupCondition.html,
// API_ListCondition.html. Where AWS is silent the reading is the strict one (README, "Fidelity notes"):
//  - a node sets exactly one member, a list holds at least one criterion (InvalidRequestException);
//  - a leaf names every member it needs, with a documented FieldName (InvalidParameterException);
//  - CONTAINS on a name field takes 2..25 characters — AWS answers "invalid results" outside
//    that range, Switchboard refuses the query instead (InvalidParameterException).
import { invalidParameter, invalidRequest } from "../../common/errors.js";
import { codePointLength } from "../../common/text.js";
import type { Condition, HierarchyGroupCondition, ListCondition, StringCondition, UserSearchCriteria } from "../../model/types.gen.js";
import type { UserRecord } from "../../store/records.js";

/** A compiled condition: does this user match? */
export type Predicate = (user: UserRecord) => boolean;

/**
 * The hierarchy group ids a HierarchyGroupCondition stands for: the group alone (EXACT) or the
 * group and every group below it (WITH_CHILD_GROUPS); empty when no such group exists.
 */
export type GroupResolver = (value: string, matchType: "EXACT" | "WITH_CHILD_GROUPS") => Promise<ReadonlySet<string>>;

/** Switchboard's own bounds on a criteria tree (AWS documents none): deeper or larger is refused. */
export const MAX_CRITERIA_DEPTH = 10;
export const MAX_CRITERIA_NODES = 200;

// The FieldName values API_UserSearchCriteria.html lists; one rendering of the page spells the
// last one `resourceId`, so both spellings are taken. Anything else is refused.
const STRING_FIELDS = {
  Username: "text",
  FirstName: "text",
  LastName: "text",
  RoutingProfileId: "id",
  SecurityProfileId: "id",
  ResourceId: "id",
  resourceId: "id",
} as const;
type StringField = keyof typeof STRING_FIELDS;

/** The documented "contains" range for name-like fields (API_UserSearchCriteria.html note). */
const CONTAINS_MIN = 2;
const CONTAINS_MAX = 25;

const CRITERIA_MEMBERS = ["OrConditions", "AndConditions", "StringCondition", "ListCondition", "HierarchyGroupCondition"] as const;

/** `searchCriteria.andConditions.1.stringCondition` — the member path AWS's messages use (lower camel, 1-based). */
export const memberPath = (...parts: (string | number)[]): string =>
  parts.map((p) => (typeof p === "number" ? String(p + 1) : p.charAt(0).toLowerCase() + p.slice(1))).join(".");

const oneError = (problem: string) => `1 validation error detected: ${problem}`;
const missing = (path: string) =>
  invalidParameter(oneError(`Value null at '${path}' failed to satisfy constraint: Member must not be null`));

/** The values every user has for a string field (a user has one security profile id per profile). */
function valuesOf(user: UserRecord, field: StringField): readonly string[] {
  switch (field) {
    case "Username":
      return [user.username];
    case "FirstName":
      return user.identityInfo.firstName === undefined ? [] : [user.identityInfo.firstName];
    case "LastName":
      return user.identityInfo.lastName === undefined ? [] : [user.identityInfo.lastName];
    case "RoutingProfileId":
      return [user.routingProfileId];
    case "SecurityProfileId":
      return user.securityProfileIds;
    case "ResourceId":
    case "resourceId":
      return [user.id];
  }
}

/** Checks a StringCondition; returns how it compares a value. */
export function stringMatcher(
  c: StringCondition,
  path: string,
  fields: Readonly<Record<string, "text" | "id">>,
): { field: string; test: (v: string) => boolean } {
  if (c.FieldName === undefined) throw missing(`${path}.fieldName`);
  if (c.Value === undefined) throw missing(`${path}.value`);
  if (c.ComparisonType === undefined) throw missing(`${path}.comparisonType`);
  const kind = Object.hasOwn(fields, c.FieldName) ? fields[c.FieldName] : undefined;
  if (kind === undefined) {
    throw invalidParameter(
      oneError(
        `Value '${c.FieldName}' at '${path}.fieldName' failed to satisfy constraint: Member must be one of ${Object.keys(fields).join(", ")}`,
      ),
    );
  }
  if (c.Value === "") {
    throw invalidParameter(
      oneError(`Value '' at '${path}.value' failed to satisfy constraint: Member must have length greater than or equal to 1`),
    );
  }
  const length = codePointLength(c.Value);
  if (c.ComparisonType === "CONTAINS" && kind === "text" && (length < CONTAINS_MIN || length > CONTAINS_MAX)) {
    throw invalidParameter(
      oneError(
        `Value at '${path}.value' failed to satisfy constraint: a CONTAINS query on ${c.FieldName} must have between ${CONTAINS_MIN} and ${CONTAINS_MAX} characters`,
      ),
    );
  }
  // Names compare case-insensitively (usernames are unique regardless of case); ids exactly.
  const fold = kind === "text" ? (s: string) => s.toLowerCase() : (s: string) => s;
  const wanted = fold(c.Value);
  const type = c.ComparisonType;
  const test =
    type === "EXACT"
      ? (v: string) => fold(v) === wanted
      : type === "STARTS_WITH"
        ? (v: string) => fold(v).startsWith(wanted)
        : (v: string) => fold(v).includes(wanted);
  return { field: c.FieldName, test };
}

/** Checks a HierarchyGroupCondition; returns its value and match type. */
export function checkHierarchyCondition(
  c: HierarchyGroupCondition,
  path: string,
): { value: string; matchType: "EXACT" | "WITH_CHILD_GROUPS" } {
  if (c.Value === undefined) throw missing(`${path}.value`);
  if (c.HierarchyGroupMatchType === undefined) throw missing(`${path}.hierarchyGroupMatchType`);
  if (c.Value === "") {
    throw invalidParameter(
      oneError(`Value '' at '${path}.value' failed to satisfy constraint: Member must have length greater than or equal to 1`),
    );
  }
  return { value: c.Value, matchType: c.HierarchyGroupMatchType };
}

/** A user matches a hierarchy condition when its group is one the condition stands for. */
export async function hierarchyPredicate(c: HierarchyGroupCondition, path: string, groups: GroupResolver): Promise<Predicate> {
  const { value, matchType } = checkHierarchyCondition(c, path);
  const ids = await groups(value, matchType);
  return (u) => u.hierarchyGroupId !== undefined && ids.has(u.hierarchyGroupId);
}

const PROFICIENCY_STRING_FIELDS = { name: "id", value: "id" } as const;
const NUMBER_FIELDS = new Set(["limit"]);

function checkNumberCondition(c: NonNullable<Condition["NumberCondition"]>, path: string): void {
  if (c.FieldName === undefined) throw missing(`${path}.fieldName`);
  if (c.ComparisonType === undefined) throw missing(`${path}.comparisonType`);
  if (!NUMBER_FIELDS.has(c.FieldName)) {
    throw invalidParameter(
      oneError(`Value '${c.FieldName}' at '${path}.fieldName' failed to satisfy constraint: Member must be one of limit`),
    );
  }
  // Which bound each comparison reads is undocumented: RANGE needs both, the others at least one.
  if (c.ComparisonType === "RANGE") {
    if (c.MinValue === undefined) throw missing(`${path}.minValue`);
    if (c.MaxValue === undefined) throw missing(`${path}.maxValue`);
  } else if (c.MinValue === undefined && c.MaxValue === undefined) {
    throw missing(`${path}.minValue`);
  }
  if (c.ComparisonType === "RANGE" && c.MinValue !== undefined && c.MaxValue !== undefined && c.MinValue > c.MaxValue) {
    throw invalidParameter(oneError(`Value at '${path}' failed to satisfy constraint: minValue must not be greater than maxValue`));
  }
}

/**
 * A ListCondition (PROFICIENCIES) is checked in full, then matches no user: Switchboard keeps no
 * proficiencies (AssociateUserProficiencies is not served), and a user without proficiencies
 * has none that meets a condition.
 */
function listPredicate(c: ListCondition, path: string): Predicate {
  if (c.TargetListType === undefined) throw missing(`${path}.targetListType`);
  if (c.Conditions === undefined) throw missing(`${path}.conditions`);
  if (c.Conditions.length === 0) {
    throw invalidParameter(
      oneError(`Value '[]' at '${path}.conditions' failed to satisfy constraint: Member must have length greater than or equal to 1`),
    );
  }
  c.Conditions.forEach((cond, i) => {
    const at = `${path}.${memberPath("conditions", i)}`;
    const set = (cond.StringCondition ? 1 : 0) + (cond.NumberCondition ? 1 : 0);
    if (set !== 1)
      throw invalidRequest(
        oneError(`Value at '${at}' failed to satisfy constraint: exactly one of stringCondition, numberCondition must be set`),
      );
    if (cond.StringCondition) stringMatcher(cond.StringCondition, `${at}.stringCondition`, PROFICIENCY_STRING_FIELDS);
    if (cond.NumberCondition) checkNumberCondition(cond.NumberCondition, `${at}.numberCondition`);
  });
  return () => false;
}

interface Budget {
  nodes: number;
}

async function compileNode(c: UserSearchCriteria, path: string, depth: number, budget: Budget, groups: GroupResolver): Promise<Predicate> {
  if (depth > MAX_CRITERIA_DEPTH) {
    throw invalidRequest(
      oneError(`Value at '${path}' failed to satisfy constraint: criteria must not nest deeper than ${MAX_CRITERIA_DEPTH} levels`),
    );
  }
  if (++budget.nodes > MAX_CRITERIA_NODES) {
    throw invalidRequest(
      oneError(`Value at 'searchCriteria' failed to satisfy constraint: criteria must hold at most ${MAX_CRITERIA_NODES} conditions`),
    );
  }
  const set = CRITERIA_MEMBERS.filter((m) => c[m] !== undefined);
  if (set.length !== 1) {
    const what = set.length === 0 ? "no member is set" : `${set.map((m) => memberPath(m)).join(", ")} are set together`;
    throw invalidRequest(
      oneError(
        `Value at '${path}' failed to satisfy constraint: a criterion sets exactly one of orConditions, andConditions, stringCondition, listCondition, hierarchyGroupCondition (${what})`,
      ),
    );
  }
  if (c.OrConditions !== undefined || c.AndConditions !== undefined) {
    const isOr = c.OrConditions !== undefined;
    const member = isOr ? "OrConditions" : "AndConditions";
    const list = (isOr ? c.OrConditions : c.AndConditions) ?? [];
    if (list.length === 0) {
      throw invalidRequest(
        oneError(
          `Value '[]' at '${path}.${memberPath(member)}' failed to satisfy constraint: Member must have length greater than or equal to 1`,
        ),
      );
    }
    const parts: Predicate[] = [];
    for (const [i, child] of list.entries())
      parts.push(await compileNode(child, `${path}.${memberPath(member, i)}`, depth + 1, budget, groups));
    return isOr ? (u) => parts.some((p) => p(u)) : (u) => parts.every((p) => p(u));
  }
  if (c.StringCondition !== undefined) {
    const { field, test } = stringMatcher(c.StringCondition, `${path}.stringCondition`, STRING_FIELDS);
    return (u) => valuesOf(u, field as StringField).some(test);
  }
  if (c.HierarchyGroupCondition !== undefined)
    return hierarchyPredicate(c.HierarchyGroupCondition, `${path}.hierarchyGroupCondition`, groups);
  return listPredicate(c.ListCondition ?? {}, `${path}.listCondition`);
}

/**
 * Checks the SearchCriteria and compiles it. Absent, or an empty object: every user (the
 * request then only filters, or lists the instance).
 */
export async function compileCriteria(criteria: UserSearchCriteria | undefined, groups: GroupResolver): Promise<Predicate> {
  if (criteria === undefined || CRITERIA_MEMBERS.every((m) => criteria[m] === undefined)) return () => true;
  return compileNode(criteria, "searchCriteria", 1, { nodes: 0 }, groups);
}
