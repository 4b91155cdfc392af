// Users over SqlDriver.
import type { Scope } from "../../common/arn.js";
import type { IdentityInfo, UserRecord } from "../records.js";
import type { ListRequest, LockedUser, UsersRepo } from "../store.js";
import type { SqlExecutor } from "./driver.js";
import { num, orNull, orUndef } from "./values.js";

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

type IdentityColumns = Pick<UserRow, "first_name" | "last_name" | "email" | "secondary_email" | "mobile">;

function identityFromRow(r: IdentityColumns): IdentityInfo {
  const identityInfo: IdentityInfo = {};
  if (r.first_name !== null) identityInfo.firstName = r.first_name;
  if (r.last_name !== null) identityInfo.lastName = r.last_name;
  if (r.email !== null) identityInfo.email = r.email;
  if (r.secondary_email !== null) identityInfo.secondaryEmail = r.secondary_email;
  if (r.mobile !== null) identityInfo.mobile = r.mobile;
  return identityInfo;
}

function userFromRow(r: UserRow): UserRecord {
  const doc = JSON.parse(r.doc) as UserDoc;
  const identityInfo = identityFromRow(r);
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

export class SqlUsers implements UsersRepo {
  constructor(
    private readonly db: SqlExecutor,
    private readonly dialect: "sqlite" | "postgres",
  ) {}

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

  async lockForUpdate(scope: Scope, instanceId: string, userId: string): Promise<LockedUser | undefined> {
    // The one place the dialects' queries differ: PostgreSQL takes a row lock (FOR UPDATE);
    // SQLite has no row locks and needs none — a write transaction holds the database's
    // single write lock from BEGIN IMMEDIATE on.
    const r = await this.db.get<Omit<UserRow, "doc" | "last_modified_region">>(
      `SELECT instance_id, id, username, first_name, last_name, email, secondary_email, mobile, last_modified_time
       FROM users WHERE account = ? AND region = ? AND instance_id = ? AND id = ?${this.dialect === "postgres" ? " FOR UPDATE" : ""}`,
      [scope.account, scope.region, instanceId, userId],
    );
    if (!r) return undefined;
    return {
      id: r.id,
      instanceId: r.instance_id,
      username: r.username,
      identityInfo: identityFromRow(r),
      lastModifiedTime: num(r.last_modified_time),
    };
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
