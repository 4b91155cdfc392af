// Security and routing profiles over SqlDriver. The doc holds the ARN, the family's attributes
// and the tags; names are unique per kind within an instance (the UNIQUE constraint, which both
// drivers report as UniqueViolation).
import type { Scope } from "../../common/arn.js";
import type { ProfileKind, ProfileRecord } from "../records.js";
import type { ListRequest, LockMode, ProfilesRepo } from "../store.js";
import type { SqlDriver, SqlExecutor } from "./driver.js";
import { namedDocUpdate, rowLock, scopedKey, updateRow } from "./fragments.js";
import { num } from "./values.js";

interface ProfileRow {
  instance_id: string;
  kind: string;
  id: string;
  name: string;
  doc: string;
  last_modified_time: number | string;
  last_modified_region: string;
}
type ProfileDoc = Pick<ProfileRecord, "arn" | "attributes" | "tags">;

function profileFromRow(r: ProfileRow): ProfileRecord {
  const doc = JSON.parse(r.doc) as ProfileDoc;
  const profile: ProfileRecord = {
    id: r.id,
    arn: doc.arn,
    instanceId: r.instance_id,
    kind: r.kind as ProfileKind,
    name: r.name,
    attributes: doc.attributes,
    lastModifiedTime: num(r.last_modified_time),
    lastModifiedRegion: r.last_modified_region,
  };
  // profiles written before tags were kept have none in the doc
  if (doc.tags !== undefined) profile.tags = doc.tags;
  return profile;
}

const PROFILE_COLUMNS = "instance_id, kind, id, name, doc, last_modified_time, last_modified_region";

/** Inserts a profile (also used by instances.create for the default profiles). */
export function insertProfile(db: SqlExecutor, scope: Scope, p: ProfileRecord): Promise<number> {
  const doc: ProfileDoc = { arn: p.arn, attributes: p.attributes, tags: p.tags };
  return db.run(`INSERT INTO profiles (account, region, ${PROFILE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
    scope.account,
    scope.region,
    p.instanceId,
    p.kind,
    p.id,
    p.name,
    JSON.stringify(doc),
    p.lastModifiedTime,
    p.lastModifiedRegion,
  ]);
}

const key = (scope: Scope, instanceId: string, kind: ProfileKind, id?: string) =>
  scopedKey(scope, [["instance_id", instanceId], ["kind", kind], ...(id === undefined ? [] : [["id", id] as const])]);

export class SqlProfiles implements ProfilesRepo {
  constructor(
    private readonly db: SqlExecutor,
    private readonly dialect: SqlDriver["dialect"],
  ) {}

  async get(scope: Scope, instanceId: string, kind: ProfileKind, id: string): Promise<ProfileRecord | undefined> {
    const where = key(scope, instanceId, kind, id);
    const row = await this.db.get<ProfileRow>(`SELECT ${PROFILE_COLUMNS} FROM profiles WHERE ${where.sql}`, where.params);
    return row && profileFromRow(row);
  }

  async lock(scope: Scope, instanceId: string, kind: ProfileKind, id: string, mode: LockMode): Promise<ProfileRecord | undefined> {
    const where = key(scope, instanceId, kind, id);
    const row = await this.db.get<ProfileRow>(
      `SELECT ${PROFILE_COLUMNS} FROM profiles WHERE ${where.sql}${rowLock(this.dialect, mode)}`,
      where.params,
    );
    return row && profileFromRow(row);
  }

  async list(scope: Scope, instanceId: string, kind: ProfileKind, page: ListRequest): Promise<ProfileRecord[]> {
    const rows = await this.db.all<ProfileRow>(
      `SELECT ${PROFILE_COLUMNS} FROM profiles WHERE account = ? AND region = ? AND instance_id = ? AND kind = ? AND name > ? ORDER BY name LIMIT ?`,
      [scope.account, scope.region, instanceId, kind, page.after ?? "", page.limit + 1],
    );
    return rows.map(profileFromRow);
  }

  async count(scope: Scope, instanceId: string, kind: ProfileKind): Promise<number> {
    const where = key(scope, instanceId, kind);
    const row = await this.db.get<{ n: number | string }>(`SELECT COUNT(*) AS n FROM profiles WHERE ${where.sql}`, where.params);
    return row ? num(row.n) : 0;
  }

  async create(scope: Scope, profile: ProfileRecord): Promise<void> {
    await insertProfile(this.db, scope, profile);
  }

  async update(
    scope: Scope,
    instanceId: string,
    kind: ProfileKind,
    id: string,
    patch: Partial<Pick<ProfileRecord, "name" | "attributes" | "tags">>,
    modifiedTime: number,
  ): Promise<boolean> {
    const sets = namedDocUpdate(this.dialect, patch, modifiedTime, scope.region);
    return (await updateRow(this.db, "profiles", sets, key(scope, instanceId, kind, id))) > 0;
  }

  async delete(scope: Scope, instanceId: string, kind: ProfileKind, id: string): Promise<boolean> {
    const where = key(scope, instanceId, kind, id);
    return (await this.db.run(`DELETE FROM profiles WHERE ${where.sql}`, where.params)) > 0;
  }
}
