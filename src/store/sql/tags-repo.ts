// Tags by ARN over SqlDriver. Every taggable resource keeps its tags in its row's doc (where its
// Describe* reads them); the ARN says which row. An ARN of another account, region or partition,
// or of a type that takes no tags here, names nothing.
import { inScope, parseConnectArn, type Scope } from "../../common/arn.js";
import type { Tags } from "../records.js";
import type { TagsRepo } from "../store.js";
import type { SqlDriver, SqlExecutor, SqlValue } from "./driver.js";
import { docAssignment, type SqlFragment, scopedKey, updateRow } from "./fragments.js";

/** The table and key columns of each resource type inside an instance (…/instance/{i}/{type}/{id}). */
const CHILDREN: Record<string, { table: string; keys: (instanceId: string, id: string) => [string, SqlValue][] }> = {
  agent: {
    table: "users",
    keys: (i, id) => [
      ["instance_id", i],
      ["id", id],
    ],
  },
  "security-profile": {
    table: "profiles",
    keys: (i, id) => [
      ["instance_id", i],
      ["kind", "security"],
      ["id", id],
    ],
  },
  "routing-profile": {
    table: "profiles",
    keys: (i, id) => [
      ["instance_id", i],
      ["kind", "routing"],
      ["id", id],
    ],
  },
  queue: {
    table: "queues",
    keys: (i, id) => [
      ["instance_id", i],
      ["id", id],
    ],
  },
  "agent-group": {
    table: "hierarchy_groups",
    keys: (i, id) => [
      ["instance_id", i],
      ["id", id],
    ],
  },
};

/** The row an ARN names in the scope, if it can name one. */
function rowOf(scope: Scope, resourceArn: string): { table: string; where: SqlFragment } | undefined {
  const arn = parseConnectArn(resourceArn);
  if (!arn || !inScope(scope, arn)) return undefined;
  if (arn.rest.length === 0) return { table: "instances", where: scopedKey(scope, [["id", arn.instanceId]]) };
  const [type = "", id, ...more] = arn.rest;
  const child = Object.hasOwn(CHILDREN, type) ? CHILDREN[type] : undefined;
  if (!child || !id || more.length > 0) return undefined;
  return { table: child.table, where: scopedKey(scope, child.keys(arn.instanceId, id)) };
}

export class SqlTags implements TagsRepo {
  constructor(
    private readonly db: SqlExecutor,
    private readonly dialect: SqlDriver["dialect"],
  ) {}

  async get(scope: Scope, resourceArn: string): Promise<Tags | undefined> {
    const row = rowOf(scope, resourceArn);
    if (!row) return undefined;
    const found = await this.db.get<{ doc: string }>(`SELECT doc FROM ${row.table} WHERE ${row.where.sql}`, row.where.params);
    // profiles written before tags were kept have none
    return found && ((JSON.parse(found.doc) as { tags?: Tags }).tags ?? {});
  }

  async put(scope: Scope, resourceArn: string, tags: Tags): Promise<boolean> {
    const row = rowOf(scope, resourceArn);
    if (!row) return false;
    return (await updateRow(this.db, row.table, [docAssignment(this.dialect, { tags })], row.where)) > 0;
  }
}
