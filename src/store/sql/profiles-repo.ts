// Security and routing profiles over SqlDriver.
import type { Scope } from "../../common/arn.js";
import type { ProfileKind, ProfileRecord } from "../records.js";
import type { ListRequest, ProfilesRepo } from "../store.js";
import type { SqlExecutor } from "./driver.js";
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

function profileFromRow(r: ProfileRow): ProfileRecord {
  const doc = JSON.parse(r.doc) as { arn: string; attributes: Record<string, unknown> };
  return {
    id: r.id,
    arn: doc.arn,
    instanceId: r.instance_id,
    kind: r.kind as ProfileKind,
    name: r.name,
    attributes: doc.attributes,
    lastModifiedTime: num(r.last_modified_time),
    lastModifiedRegion: r.last_modified_region,
  };
}

const PROFILE_COLUMNS = "instance_id, kind, id, name, doc, last_modified_time, last_modified_region";

export class SqlProfiles implements ProfilesRepo {
  constructor(private readonly db: SqlExecutor) {}

  async get(scope: Scope, instanceId: string, kind: ProfileKind, id: string): Promise<ProfileRecord | undefined> {
    const row = await this.db.get<ProfileRow>(
      `SELECT ${PROFILE_COLUMNS} FROM profiles WHERE account = ? AND region = ? AND instance_id = ? AND kind = ? AND id = ?`,
      [scope.account, scope.region, instanceId, kind, id],
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
}
