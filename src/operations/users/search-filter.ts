// SearchUsers' SearchFilter (UserSearchFilter): a TagFilter (ControlPlaneTagFilter: an OR of
// AND-lists of tag conditions) or a UserAttributeFilter (ControlPlaneUserAttributeFilter: tag and
// hierarchy-group conditions), never both — AWS answers AccessDeniedException to both
// (https://docs.aws.amazon.com/connect/latest/APIReference/API_UserSearchFilter.html). The
// UserAttributeFilter sets one field only and holds at most 25 tag and 20 hierarchy-group
// conditions (API_ControlPlaneUserAttributeFilter.html). Its tag keys and values are also what IAM
// sees as connect:SearchTag/${TagKey} (searchTagsOf).
import { accessDenied, invalidParameter, invalidRequest } from "../../common/errors.js";
import type {
  AttributeAndCondition,
  ControlPlaneTagFilter,
  ControlPlaneUserAttributeFilter,
  TagCondition,
  UserSearchFilter,
} from "../../model/types.gen.js";
import { type GroupResolver, hierarchyPredicate, memberPath, type Predicate } from "./search-criteria.js";

const MAX_TAG_CONDITIONS = 25; // API_ControlPlaneUserAttributeFilter.html
const MAX_HIERARCHY_CONDITIONS = 20; // API_ControlPlaneUserAttributeFilter.html
/** Switchboard's own bound on a TagFilter (AWS documents none). */
export const MAX_TAG_FILTER_CONDITIONS = 200;

const oneError = (problem: string) => `1 validation error detected: ${problem}`;
const notNull = (path: string) =>
  invalidParameter(oneError(`Value null at '${path}' failed to satisfy constraint: Member must not be null`));
const notEmpty = (path: string) =>
  invalidRequest(oneError(`Value '[]' at '${path}' failed to satisfy constraint: Member must have length greater than or equal to 1`));

function exactlyOne(path: string, members: readonly string[], value: object): void {
  const set = members.filter((m) => (value as Record<string, unknown>)[m] !== undefined);
  if (set.length === 1) return;
  const what = set.length === 0 ? "none is set" : `${set.map((m) => memberPath(m)).join(", ")} are set together`;
  throw invalidRequest(
    oneError(
      `Value at '${path}' failed to satisfy constraint: exactly one of ${members.map((m) => memberPath(m)).join(", ")} must be set (${what})`,
    ),
  );
}

/** A tag condition holds when the user has the tag with exactly that value (tags are case-sensitive). */
function tagPredicate(c: TagCondition, path: string): Predicate {
  if (c.TagKey === undefined) throw notNull(`${path}.tagKey`);
  if (c.TagValue === undefined) throw notNull(`${path}.tagValue`);
  const { TagKey: key, TagValue: value } = c;
  return (u) => Object.hasOwn(u.tags, key) && u.tags[key] === value;
}

const all =
  (ps: readonly Predicate[]): Predicate =>
  (u) =>
    ps.every((p) => p(u));
const any =
  (ps: readonly Predicate[]): Predicate =>
  (u) =>
    ps.some((p) => p(u));

function tagList(list: readonly TagCondition[], path: string): Predicate[] {
  if (list.length === 0) throw notEmpty(path);
  return list.map((c, i) => tagPredicate(c, `${path}.${i + 1}`));
}

function compileTagFilter(f: ControlPlaneTagFilter, path: string): Predicate {
  exactlyOne(path, ["OrConditions", "AndConditions", "TagCondition"], f);
  const count = (f.OrConditions ?? []).reduce((n, l) => n + l.length, 0) + (f.AndConditions?.length ?? 0);
  if (count > MAX_TAG_FILTER_CONDITIONS) {
    throw invalidRequest(oneError(`Value at '${path}' failed to satisfy constraint: at most ${MAX_TAG_FILTER_CONDITIONS} tag conditions`));
  }
  if (f.TagCondition !== undefined) return tagPredicate(f.TagCondition, `${path}.tagCondition`);
  if (f.AndConditions !== undefined) return all(tagList(f.AndConditions, `${path}.andConditions`));
  const or = f.OrConditions ?? [];
  if (or.length === 0) throw notEmpty(`${path}.orConditions`);
  return any(or.map((l, i) => all(tagList(l, `${path}.orConditions.${i + 1}`))));
}

async function attributeAnd(c: AttributeAndCondition, path: string, groups: GroupResolver): Promise<Predicate> {
  if (c.TagConditions === undefined && c.HierarchyGroupCondition === undefined) {
    throw invalidRequest(oneError(`Value at '${path}' failed to satisfy constraint: tagConditions or hierarchyGroupCondition must be set`));
  }
  const parts = c.TagConditions === undefined ? [] : tagList(c.TagConditions, `${path}.tagConditions`);
  if (c.HierarchyGroupCondition !== undefined)
    parts.push(await hierarchyPredicate(c.HierarchyGroupCondition, `${path}.hierarchyGroupCondition`, groups));
  return all(parts);
}

async function compileAttributeFilter(f: ControlPlaneUserAttributeFilter, path: string, groups: GroupResolver): Promise<Predicate> {
  exactlyOne(path, ["OrConditions", "AndCondition", "TagCondition", "HierarchyGroupCondition"], f);
  const ands = f.OrConditions ?? (f.AndCondition ? [f.AndCondition] : []);
  const tags = ands.reduce((n, a) => n + (a.TagConditions?.length ?? 0), f.TagCondition ? 1 : 0);
  const hierarchies = ands.reduce((n, a) => n + (a.HierarchyGroupCondition ? 1 : 0), f.HierarchyGroupCondition ? 1 : 0);
  if (tags > MAX_TAG_CONDITIONS) {
    throw invalidRequest(oneError(`Value at '${path}' failed to satisfy constraint: at most ${MAX_TAG_CONDITIONS} tag conditions`));
  }
  if (hierarchies > MAX_HIERARCHY_CONDITIONS) {
    throw invalidRequest(
      oneError(`Value at '${path}' failed to satisfy constraint: at most ${MAX_HIERARCHY_CONDITIONS} hierarchy group conditions`),
    );
  }
  if (f.TagCondition !== undefined) return tagPredicate(f.TagCondition, `${path}.tagCondition`);
  if (f.HierarchyGroupCondition !== undefined)
    return hierarchyPredicate(f.HierarchyGroupCondition, `${path}.hierarchyGroupCondition`, groups);
  if (f.AndCondition !== undefined) return attributeAnd(f.AndCondition, `${path}.andCondition`, groups);
  const or = f.OrConditions ?? [];
  if (or.length === 0) throw notEmpty(`${path}.orConditions`);
  const parts: Predicate[] = [];
  for (const [i, a] of or.entries()) parts.push(await attributeAnd(a, `${path}.orConditions.${i + 1}`, groups));
  return any(parts);
}

/** Checks the SearchFilter and compiles it; absent or empty: every user. */
export async function compileFilter(filter: UserSearchFilter | undefined, groups: GroupResolver): Promise<Predicate> {
  if (filter?.TagFilter !== undefined && filter.UserAttributeFilter !== undefined) {
    // As API_UserSearchFilter.html documents (although the model lists no AccessDeniedException for SearchUsers).
    throw accessDenied("A SearchFilter may contain a TagFilter or a UserAttributeFilter, not both.");
  }
  if (filter?.TagFilter !== undefined) return compileTagFilter(filter.TagFilter, "searchFilter.tagFilter");
  if (filter?.UserAttributeFilter !== undefined)
    return compileAttributeFilter(filter.UserAttributeFilter, "searchFilter.userAttributeFilter", groups);
  return () => true;
}

/**
 * The tags a request filters on, for IAM's connect:SearchTag/${TagKey}: each key with every value
 * the filter names for it (TagFilter and UserAttributeFilter alike). Read from the decoded input
 * before the filter is checked, so it never throws.
 */
export function searchTagsOf(input: { SearchFilter?: UserSearchFilter | undefined }): Record<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (c: TagCondition | undefined) => {
    if (!c || typeof c.TagKey !== "string" || typeof c.TagValue !== "string") return;
    const values = out.get(c.TagKey) ?? [];
    if (!values.includes(c.TagValue)) values.push(c.TagValue);
    out.set(c.TagKey, values);
  };
  const list = (l: unknown) => {
    if (Array.isArray(l)) for (const c of l) add(c as TagCondition);
  };
  const t = input.SearchFilter?.TagFilter;
  if (t) {
    add(t.TagCondition);
    list(t.AndConditions);
    if (Array.isArray(t.OrConditions)) for (const l of t.OrConditions) list(l);
  }
  const a = input.SearchFilter?.UserAttributeFilter;
  if (a) {
    add(a.TagCondition);
    list(a.AndCondition?.TagConditions);
    if (Array.isArray(a.OrConditions)) for (const c of a.OrConditions) list(c?.TagConditions);
  }
  // Object.fromEntries defines own properties: a key such as "__proto__" stays a plain key.
  return Object.fromEntries(out);
}
