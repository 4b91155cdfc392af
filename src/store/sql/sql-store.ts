// The Store, written once over SqlDriver: the SQLite and PostgreSQL stores differ only in driver.
import type { Scope } from "../../common/arn.js";
import type { IdentityInfo, InstanceRecord, ProfileKind, ProfileRecord, UserRecord } from "../records.js";
import type { InstancesRepo, ListRequest, ProfilesRepo, Store, StoreHealth, UsersRepo } from "../store.js";
import type { SqlDriver, SqlExecutor, SqlValue } from "./driver.js";
import { MIGRATIONS } from "./migrations.js";

const num = (v: number | string): number => (typeof v === "number" ? v : Number(v));
const orNull = (v: string | undefined): string | null => v ?? null;
const orUndef = (v: string | null): string | undefined => v ?? undefined;

// ---- instances -------------------------------------------------------------------------------

interface InstanceRow {
  id: string;
  doc: string;
}
type InstanceDoc = Omit<InstanceRecord, "id">;

const instanceFromRow = (r: InstanceRow): InstanceRecord => ({ id: r.id, ...(JSON.parse(r.doc) as InstanceDoc) });

function profileParams(scope: Scope, p: ProfileRecord): SqlValue[] {
  return [
    scope.account,
    scope.region,
    p.instanceId,
    p.kind,
    p.id,
    p.name,
    JSON.stringify({ arn: p.arn, attributes: p.attributes }),
    p.lastModifiedTime,
    p.lastModifiedRegion,
  ];
}

class SqlInstances implements InstancesRepo {
  constructor(private readonly db: SqlDriver) {}

  create(scope: Scope, inst: InstanceRecord, defaults: ProfileRecord[]): Promise<void> {
    const { id, ...doc } = inst;
    return this.db.tx(async (q) => {
      await q.run(
        "INSERT INTO instances (account, region, id, identity_management_type, alias, created_time, doc) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [scope.account, scope.region, id, inst.identityManagementType, orNull(inst.alias), inst.createdTime, JSON.stringify(doc)],
      );
      for (const p of defaults) {
        await q.run(
          "INSERT INTO profiles (account, region, instance_id, kind, id, name, doc, last_modified_time, last_modified_region) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
          profileParams(scope, p),
        );
      }
    });
  }

  async get(scope: Scope, instanceId: string): Promise<InstanceRecord | undefined> {
    const row = await this.db.get<InstanceRow>("SELECT id, doc FROM instances WHERE account = ? AND region = ? AND id = ?", [
      scope.account,
      scope.region,
      instanceId,
    ]);
    return row && instanceFromRow(row);
  }

  async count(scope: Scope): Promise<number> {
    const row = await this.db.get<{ n: number | string }>("SELECT COUNT(*) AS n FROM instances WHERE account = ? AND region = ?", [
      scope.account,
      scope.region,
    ]);
    return row ? num(row.n) : 0;
  }

  async list(scope: Scope, page: ListRequest): Promise<InstanceRecord[]> {
    const rows = await this.db.all<InstanceRow>(
      "SELECT id, doc FROM instances WHERE account = ? AND region = ? AND id > ? ORDER BY id LIMIT ?",
      [scope.account, scope.region, page.after ?? "", page.limit + 1],
    );
    return rows.map(instanceFromRow);
  }

  async delete(scope: Scope, instanceId: string): Promise<boolean> {
    // Users and profiles go with it (ON DELETE CASCADE): one statement, no orphans.
    const n = await this.db.run("DELETE FROM instances WHERE account = ? AND region = ? AND id = ?", [
      scope.account,
      scope.region,
      instanceId,
    ]);
    return n > 0;
  }
}

// ---- users -----------------------------------------------------------------------------------

interface UserRow {
  instance_id: string;
  id: string;
  username: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  secondary_email: string | null;
  mobile: string | null;
  doc: string;
  last_modified_time: number | string;
  last_modified_region: string;
}
type UserDoc = Pick<
  UserRecord,
  "arn" | "phoneConfig" | "directoryUserId" | "securityProfileIds" | "routingProfileId" | "hierarchyGroupId" | "tags"
>;

const USER_COLUMNS =
  "instance_id, id, username, first_name, last_name, email, secondary_email, mobile, doc, last_modified_time, last_modified_region";

function userFromRow(r: UserRow): UserRecord {
  const doc = JSON.parse(r.doc) as UserDoc;
  const identityInfo: IdentityInfo = {};
  if (r.first_name !== null) identityInfo.firstName = r.first_name;
  if (r.last_name !== null) identityInfo.lastName = r.last_name;
  if (r.email !== null) identityInfo.email = r.email;
  if (r.secondary_email !== null) identityInfo.secondaryEmail = r.secondary_email;
  if (r.mobile !== null) identityInfo.mobile = r.mobile;
  return {
    ...doc,
    id: r.id,
    instanceId: r.instance_id,
    username: r.username,
    identityInfo,
    lastModifiedTime: num(r.last_modified_time),
    lastModifiedRegion: r.last_modified_region,
    directoryUserId: orUndef(doc.directoryUserId ?? null),
    hierarchyGroupId: orUndef(doc.hierarchyGroupId ?? null),
  };
}

class SqlUsers implements UsersRepo {
  constructor(private readonly db: SqlDriver) {}

  async create(scope: Scope, u: UserRecord): Promise<void> {
    const doc: UserDoc = {
      arn: u.arn,
      phoneConfig: u.phoneConfig,
      directoryUserId: u.directoryUserId,
      securityProfileIds: u.securityProfileIds,
      routingProfileId: u.routingProfileId,
      hierarchyGroupId: u.hierarchyGroupId,
      tags: u.tags,
    };
    const i = u.identityInfo;
    // Uniqueness is the UNIQUE (…, username_key) constraint, not a check-then-insert.
    await this.db.run(
      `INSERT INTO users (account, region, ${USER_COLUMNS.replace("username,", "username, username_key,")}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        scope.account,
        scope.region,
        u.instanceId,
        u.id,
        u.username,
        u.username.toLowerCase(),
        orNull(i.firstName),
        orNull(i.lastName),
        orNull(i.email),
        orNull(i.secondaryEmail),
        orNull(i.mobile),
        JSON.stringify(doc),
        u.lastModifiedTime,
        u.lastModifiedRegion,
      ],
    );
  }

  async get(scope: Scope, instanceId: string, userId: string): Promise<UserRecord | undefined> {
    const row = await this.db.get<UserRow>(
      `SELECT ${USER_COLUMNS} FROM users WHERE account = ? AND region = ? AND instance_id = ? AND id = ?`,
      [scope.account, scope.region, instanceId, userId],
    );
    return row && userFromRow(row);
  }

  async count(scope: Scope, instanceId: string): Promise<number> {
    const row = await this.db.get<{ n: number | string }>(
      "SELECT COUNT(*) AS n FROM users WHERE account = ? AND region = ? AND instance_id = ?",
      [scope.account, scope.region, instanceId],
    );
    return row ? num(row.n) : 0;
  }

  async list(scope: Scope, instanceId: string, page: ListRequest): Promise<UserRecord[]> {
    const rows = await this.db.all<UserRow>(
      `SELECT ${USER_COLUMNS} FROM users WHERE account = ? AND region = ? AND instance_id = ? AND username > ? ORDER BY username LIMIT ?`,
      [scope.account, scope.region, instanceId, page.after ?? "", page.limit + 1],
    );
    return rows.map(userFromRow);
  }

  async delete(scope: Scope, instanceId: string, userId: string): Promise<boolean> {
    const n = await this.db.run("DELETE FROM users WHERE account = ? AND region = ? AND instance_id = ? AND id = ?", [
      scope.account,
      scope.region,
      instanceId,
      userId,
    ]);
    return n > 0;
  }

  async updateIdentityInfo(scope: Scope, instanceId: string, userId: string, info: IdentityInfo, modifiedTime: number): Promise<boolean> {
    // One UPDATE writes every field: concurrent writers serialize on the row and the result is
    // always one request's values, never a mix. The CASE keeps LastModifiedTime monotonic.
    const n = await this.db.run(
      `UPDATE users SET first_name = ?, last_name = ?, email = ?, secondary_email = ?, mobile = ?,
         last_modified_time = CASE WHEN last_modified_time > ? THEN last_modified_time ELSE ? END,
         last_modified_region = ?
       WHERE account = ? AND region = ? AND instance_id = ? AND id = ?`,
      [
        orNull(info.firstName),
        orNull(info.lastName),
        orNull(info.email),
        orNull(info.secondaryEmail),
        orNull(info.mobile),
        modifiedTime,
        modifiedTime,
        scope.region,
        scope.account,
        scope.region,
        instanceId,
        userId,
      ],
    );
    return n > 0;
  }
}

// ---- profiles --------------------------------------------------------------------------------

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

class SqlProfiles implements ProfilesRepo {
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

// ---- the store -------------------------------------------------------------------------------

export class SqlStore implements Store {
  readonly instances: InstancesRepo;
  readonly users: UsersRepo;
  readonly profiles: ProfilesRepo;

  private constructor(private readonly db: SqlDriver) {
    this.instances = new SqlInstances(db);
    this.users = new SqlUsers(db);
    this.profiles = new SqlProfiles(db);
  }

  /** Opens the store on a driver and brings its schema up to date. */
  static async open(db: SqlDriver): Promise<SqlStore> {
    await db.migrate(MIGRATIONS);
    return new SqlStore(db);
  }

  async health(): Promise<StoreHealth> {
    try {
      await this.db.ping();
      return { ok: true, engine: this.db.dialect };
    } catch (err) {
      return { ok: false, engine: this.db.dialect, detail: err instanceof Error ? err.message : String(err) };
    }
  }

  close(): Promise<void> {
    return this.db.close();
  }
}
