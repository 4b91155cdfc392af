// The user hierarchy over SqlDriver: an instance's levels (replaced as a whole) and its groups, a
// tree by parent_key (the parent's id, '' at level one). The UNIQUE (…, parent_key, name)
// constraint keeps sibling names unique; the parent is read back from parent_key, its one source.
import type { Scope } from "../../common/arn.js";
import type { HierarchyGroupRecord, HierarchyLevelRecord, Tags } from "../records.js";
import type { HierarchyRepo, ListRequest, LockMode } from "../store.js";
import type { SqlDriver, SqlExecutor } from "./driver.js";
import { assign, docAssignment, rowLock, type SqlFragment, scopedKey, touched, updateRow } from "./fragments.js";
import { num } from "./values.js";

interface GroupRow {
  instance_id: string;
  id: string;
  name: string;
  level: number | string;
  parent_key: string;
  doc: string;
  last_modified_time: number | string;
  last_modified_region: string;
}
type GroupDoc = Pick<HierarchyGroupRecord, "arn" | "tags">;
type LevelDoc = Omit<HierarchyLevelRecord, "level">;

const GROUP_COLUMNS = "instance_id, id, name, level, parent_key, doc, last_modified_time, last_modified_region";

function groupFromRow(r: GroupRow): HierarchyGroupRecord {
  const doc = JSON.parse(r.doc) as GroupDoc;
  const group: HierarchyGroupRecord = {
    id: r.id,
    arn: doc.arn,
    instanceId: r.instance_id,
    name: r.name,
    level: num(r.level),
    tags: doc.tags,
    lastModifiedTime: num(r.last_modified_time),
    lastModifiedRegion: r.last_modified_region,
  };
  if (r.parent_key !== "") group.parentId = r.parent_key;
  return group;
}

const inInstance = (scope: Scope, instanceId: string, more: readonly (readonly [string, string | number])[] = []): SqlFragment =>
  scopedKey(scope, [["instance_id", instanceId], ...more]);

export class SqlHierarchy implements HierarchyRepo {
  constructor(
    private readonly db: SqlExecutor & Pick<SqlDriver, "tx">,
    private readonly dialect: SqlDriver["dialect"],
  ) {}

  private async count(scope: Scope, instanceId: string, more: readonly (readonly [string, string | number])[]): Promise<number> {
    const where = inInstance(scope, instanceId, more);
    const row = await this.db.get<{ n: number | string }>(`SELECT COUNT(*) AS n FROM hierarchy_groups WHERE ${where.sql}`, where.params);
    return row ? num(row.n) : 0;
  }

  async levels(scope: Scope, instanceId: string): Promise<HierarchyLevelRecord[]> {
    const where = inInstance(scope, instanceId);
    const rows = await this.db.all<{ level: number | string; doc: string }>(
      `SELECT level, doc FROM hierarchy_levels WHERE ${where.sql} ORDER BY level`,
      where.params,
    );
    return rows.map((r) => ({ level: num(r.level), ...(JSON.parse(r.doc) as LevelDoc) }));
  }

  putLevels(scope: Scope, instanceId: string, levels: HierarchyLevelRecord[]): Promise<void> {
    const where = inInstance(scope, instanceId);
    return this.db.tx(async (q) => {
      await q.run(`DELETE FROM hierarchy_levels WHERE ${where.sql}`, where.params);
      for (const { level, ...doc } of levels) {
        await q.run("INSERT INTO hierarchy_levels (account, region, instance_id, level, doc) VALUES (?, ?, ?, ?, ?)", [
          scope.account,
          scope.region,
          instanceId,
          level,
          JSON.stringify(doc),
        ]);
      }
    });
  }

  async getGroup(scope: Scope, instanceId: string, id: string): Promise<HierarchyGroupRecord | undefined> {
    const where = inInstance(scope, instanceId, [["id", id]]);
    const row = await this.db.get<GroupRow>(`SELECT ${GROUP_COLUMNS} FROM hierarchy_groups WHERE ${where.sql}`, where.params);
    return row && groupFromRow(row);
  }

  async lockGroup(scope: Scope, instanceId: string, id: string, mode: LockMode): Promise<HierarchyGroupRecord | undefined> {
    const where = inInstance(scope, instanceId, [["id", id]]);
    const row = await this.db.get<GroupRow>(
      `SELECT ${GROUP_COLUMNS} FROM hierarchy_groups WHERE ${where.sql}${rowLock(this.dialect, mode)}`,
      where.params,
    );
    return row && groupFromRow(row);
  }

  async listGroups(scope: Scope, instanceId: string, page: ListRequest): Promise<HierarchyGroupRecord[]> {
    // Names repeat across parents, so the key is (name, id), passed as `name\u0000id`.
    const [name = "", id = ""] = (page.after ?? "").split("\u0000");
    const rows = await this.db.all<GroupRow>(
      `SELECT ${GROUP_COLUMNS} FROM hierarchy_groups WHERE account = ? AND region = ? AND instance_id = ?
         AND (name > ? OR (name = ? AND id > ?)) ORDER BY name, id LIMIT ?`,
      [scope.account, scope.region, instanceId, name, name, id, page.limit + 1],
    );
    return rows.map(groupFromRow);
  }

  async createGroup(scope: Scope, g: HierarchyGroupRecord): Promise<void> {
    const doc: GroupDoc = { arn: g.arn, tags: g.tags };
    await this.db.run(`INSERT INTO hierarchy_groups (account, region, ${GROUP_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
      scope.account,
      scope.region,
      g.instanceId,
      g.id,
      g.name,
      g.level,
      g.parentId ?? "",
      JSON.stringify(doc),
      g.lastModifiedTime,
      g.lastModifiedRegion,
    ]);
  }

  async renameGroup(scope: Scope, instanceId: string, id: string, name: string, modifiedTime: number): Promise<boolean> {
    const sets = [assign("name", name), touched(modifiedTime, scope.region)];
    return (await updateRow(this.db, "hierarchy_groups", sets, inInstance(scope, instanceId, [["id", id]]))) > 0;
  }

  async setGroupTags(scope: Scope, instanceId: string, id: string, tags: Tags): Promise<boolean> {
    const sets = [docAssignment(this.dialect, { tags })];
    return (await updateRow(this.db, "hierarchy_groups", sets, inInstance(scope, instanceId, [["id", id]]))) > 0;
  }

  async deleteGroup(scope: Scope, instanceId: string, id: string): Promise<boolean> {
    const where = inInstance(scope, instanceId, [["id", id]]);
    return (await this.db.run(`DELETE FROM hierarchy_groups WHERE ${where.sql}`, where.params)) > 0;
  }

  countGroups(scope: Scope, instanceId: string): Promise<number> {
    return this.count(scope, instanceId, []);
  }

  countChildren(scope: Scope, instanceId: string, id: string): Promise<number> {
    return this.count(scope, instanceId, [["parent_key", id]]);
  }

  countAtLevel(scope: Scope, instanceId: string, level: number): Promise<number> {
    return this.count(scope, instanceId, [["level", level]]);
  }

  async descendants(scope: Scope, instanceId: string, id: string): Promise<string[]> {
    // One recursive walk down parent_key (by the UNIQUE index's prefix). UNION, not UNION ALL:
    // a cycle, which no operation makes, still ends.
    const rows = await this.db.all<{ id: string }>(
      `WITH RECURSIVE below(id) AS (
         SELECT id FROM hierarchy_groups WHERE account = ? AND region = ? AND instance_id = ? AND parent_key = ?
         UNION
         SELECT g.id FROM hierarchy_groups g JOIN below b ON g.parent_key = b.id
         WHERE g.account = ? AND g.region = ? AND g.instance_id = ?
       ) SELECT id FROM below ORDER BY id`,
      [scope.account, scope.region, instanceId, id, scope.account, scope.region, instanceId],
    );
    return rows.map((r) => r.id);
  }
}
