// SearchUsers — POST /search-users, InstanceId in the body
// (https://docs.aws.amazon.com/connect/latest/APIReference/API_SearchUsers.html).
// SearchCriteria (search-criteria.ts) and SearchFilter (search-filter.ts) are checked in full
// before anything is read, then applied together (AND) to the instance's users in memory — one
// read of every user per call, bounded by the users-per-instance quota (README, "Known costs").
// Results are ordered by username, then id, in code point order (AWS's order is undocumented); the default page is
// 100 (undocumented; MaxResults 1..500 from the model). NextToken is bound to the instance and
// to the criteria and filter it came from, and valid on any node (common/pagination.ts).
// ApproximateTotalCount is every match, this page's or not — exact here.
import { createHash } from "node:crypto";
import { decodePageToken, toPage } from "../../common/pagination.js";
import type { SearchUsersRequest } from "../../model/types.gen.js";
import type { UserRecord } from "../../store/records.js";
import { type OperationContext, operation } from "../declare.js";
import { onInstance } from "../iam-targets.js";
import { childIdOf, requireInstance } from "../resolve.js";
import { compileCriteria, type GroupResolver } from "./search-criteria.js";
import { compileFilter, searchTagsOf } from "./search-filter.js";
import { userSearchSummaryToWire } from "./search-summary.js";

const DEFAULT_PAGE = 100;
/** how many users one store read returns while the instance is read in full */
const READ_BATCH = 1000;

/** JSON with object keys sorted, so the same criteria always hash alike, however a client orders members. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v !== null && typeof v === "object") {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(",")}}`;
  }
  return JSON.stringify(v) ?? "null";
}

/** What a NextToken is bound to: the instance, the criteria and the filter. */
function pagingContext(instanceId: string, input: SearchUsersRequest): string {
  const query = createHash("sha256")
    .update(canonical({ c: input.SearchCriteria ?? null, f: input.SearchFilter ?? null }))
    .digest("base64url");
  return `SearchUsers/${instanceId}/${query}`;
}

async function allUsers(ctx: OperationContext, instanceId: string): Promise<UserRecord[]> {
  const out: UserRecord[] = [];
  let after: string | undefined;
  for (;;) {
    const rows = await ctx.store.users.list(
      ctx.scope,
      instanceId,
      after === undefined ? { limit: READ_BATCH } : { after, limit: READ_BATCH },
    );
    const batch = rows.slice(0, READ_BATCH);
    out.push(...batch);
    const last = batch[batch.length - 1];
    if (rows.length <= READ_BATCH || last === undefined) return out;
    after = last.username;
  }
}

/** Hierarchy conditions name a group by id or ARN; a group that does not exist matches no user. */
function groupResolver(ctx: OperationContext, instanceId: string): GroupResolver {
  return async (value, matchType) => {
    const id = childIdOf(ctx.scope, instanceId, "agent-group", value);
    const group = id === undefined ? undefined : await ctx.store.hierarchy.getGroup(ctx.scope, instanceId, id);
    if (!group) return new Set();
    if (matchType === "EXACT") return new Set([group.id]);
    return new Set([group.id, ...(await ctx.store.hierarchy.descendants(ctx.scope, instanceId, group.id))]);
  };
}

const sortKey = (u: UserRecord) => `${u.username}\u0000${u.id}`;
/** UTF-8 byte order (= code point order), the order the stores' ORDER BY username uses. */
const compareKeys = (x: string, y: string) => Buffer.compare(Buffer.from(x, "utf8"), Buffer.from(y, "utf8"));
const byKey = (a: UserRecord, b: UserRecord) => compareKeys(sortKey(a), sortKey(b));

export const searchUsers = operation("SearchUsers", {
  // Service Authorization Reference: SearchUsers on the instance, with connect:InstanceId and
  // connect:SearchTag/${TagKey} (the tags the SearchFilter names).
  iam: onInstance({ searchTags: searchTagsOf }),
  mutates: false,
  async handle(input, ctx) {
    const instance = await requireInstance(ctx, input.InstanceId);
    const context = pagingContext(instance.id, input);
    const after = input.NextToken === undefined ? undefined : decodePageToken(context, input.NextToken);
    const groups = groupResolver(ctx, instance.id);
    const matchesCriteria = await compileCriteria(input.SearchCriteria, groups);
    const matchesFilter = await compileFilter(input.SearchFilter, groups);

    const matches = (await allUsers(ctx, instance.id)).filter((u) => matchesFilter(u) && matchesCriteria(u)).sort(byKey);
    const rest = after === undefined ? matches : matches.filter((u) => compareKeys(sortKey(u), after) > 0);
    const limit = input.MaxResults ?? DEFAULT_PAGE;
    const p = toPage(rest.slice(0, limit + 1), limit, context, sortKey);
    return {
      Users: p.items.map(userSearchSummaryToWire),
      ...(p.nextToken === undefined ? {} : { NextToken: p.nextToken }),
      ApproximateTotalCount: matches.length,
    };
  },
});
