// Users over SqlDriver. The identity has columns of its own (the hot path reads and writes no
// JSON); so do the references — the routing profile and hierarchy group ids, and the security
// profile ids as membership rows — so "who uses this" is an index lookup. The security profile
// ids also stay in the doc, in the order they were given, so a read is still one SELECT.
import type { Scope } from "../../common/arn.js";
import { IdentityGroups } from "../postgres/identity-groups.js";
import type { IdentityInfo, UserRecord, UserSummaryRecord } from "../records.js";
import type { ListRequest, LockedUser, UserPatch, UserReference, UsersRepo } from "../store.js";
import type { SqlDriver, SqlExecutor } from "./driver.js";
import { assign, docAssignment, type SqlFragment, scopedKey, touched, updateRow } from "./fragments.js";
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
  routing_profile_id: string;
  hierarchy_group_id: string | null;
  doc: string;
  last_modified_time: number | string;
  last_modified_region: string;
}
type SummaryRow = Pick<UserRow, "id" | "username" | "last_modified_time" | "last_modified_region"> & { arn: string };
type UserDoc = Pick<UserRecord, "arn" | "phoneConfig" | "directoryUserId" | "securityProfileIds" | "tags">;

const USER_COLUMNS =
  "instance_id, id, username, first_name, last_name, email, secondary_email, mobile, routing_profile_id, hierarchy_group_id, doc, last_modified_time, last_modified_region";

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
    routingProfileId: r.routing_profile_id,
    lastModifiedTime: num(r.last_modified_time),
    lastModifiedRegion: r.last_modified_region,
    directoryUserId: orUndef(doc.directoryUserId ?? null),
    hierarchyGroupId: orUndef(r.hierarchy_group_id),
  };
}

/**
 * The users referencing a profile or group, as `FROM … WHERE …` with the user aliased `u`: the
 * membership rows (by their profile index) or a column of users (by its index).
 */
function referencing(scope: Scope, instanceId: string, ref: UserReference): { rows: string; where: SqlFragment } {
  const base = [scope.account, scope.region, instanceId];
  if ("securityProfileId" in ref) {
    return {
      rows: "user_security_profiles m JOIN users u ON u.account = m.account AND u.region = m.region AND u.instance_id = m.instance_id AND u.id = m.user_id",
      where: { sql: "m.account = ? AND m.region = ? AND m.instance_id = ? AND m.profile_id = ?", params: [...base, ref.securityProfileId] },
    };
  }
  const [column, id] =
    "routingProfileId" in ref ? ["routing_profile_id", ref.routingProfileId] : ["hierarchy_group_id", ref.hierarchyGroupId];
  return {
    rows: "users u",
    where: { sql: `u.account = ? AND u.region = ? AND u.instance_id = ? AND u.${column} = ?`, params: [...base, id] },
  };
}

/** Moves the instance's user count (migration 5) by the first parameter. */
/** lockForUpdate's read (and the bench floor's, bench/floor-server.ts): what names the user and its identity. */
export const LOCKED_USER = `SELECT instance_id, id, username, first_name, last_name, email, secondary_email, mobile, last_modified_time
       FROM users WHERE account = ? AND region = ? AND instance_id = ? AND id = ?`;
const LOCKED_USER_FOR_UPDATE = `${LOCKED_USER} FOR UPDATE`;

/**
 * updateIdentityInfo's one UPDATE (and the bench floor's). Parameters: first name, last name,
 * email, secondary email, mobile, the modified time twice, the region written, then the key
 * (account, region, instance, user).
 */
export const UPDATE_IDENTITY = `UPDATE users SET first_name = ?, last_name = ?, email = ?, secondary_email = ?, mobile = ?,
         last_modified_time = CASE WHEN last_modified_time > ? THEN last_modified_time ELSE ? END,
         last_modified_region = ?
       WHERE account = ? AND region = ? AND instance_id = ? AND id = ?`;

const COUNT_USERS = "UPDATE instances SET user_count = user_count + ? WHERE account = ? AND region = ? AND id = ?";

export class SqlUsers implements UsersRepo {
  /**
   * PostgreSQL, outside a transaction: UpdateUserIdentityInfo as one statement
   * (postgres/identity-at-once.ts), concurrent requests grouped into one (postgres/identity-groups.ts).
   */
  readonly updateIdentityInfoAtOnce?: UsersRepo["updateIdentityInfoAtOnce"];

  constructor(
    private readonly db: SqlExecutor & Pick<SqlDriver, "tx">,
    private readonly dialect: SqlDriver["dialect"],
    inTransaction = false,
  ) {
    // SQLite has no round trips to save; inside a transaction the statement would not commit by itself.
    if (dialect === "postgres" && !inTransaction) {
      const groups = new IdentityGroups(db);
      this.updateIdentityInfoAtOnce = (scope, change) => groups.submit(scope, change);
    }
  }

  create(scope: Scope, u: UserRecord): Promise<void> {
    const doc: UserDoc = {
      arn: u.arn,
      phoneConfig: u.phoneConfig,
      directoryUserId: u.directoryUserId,
      securityProfileIds: u.securityProfileIds,
      tags: u.tags,
    };
    const i = u.identityInfo;
    // Uniqueness is the UNIQUE (…, username_key) constraint, not a check-then-insert.
    return this.db.tx(async (q) => {
      await q.run(
        `INSERT INTO users (account, region, ${USER_COLUMNS.replace("username,", "username, username_key,")}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
          u.routingProfileId,
          orNull(u.hierarchyGroupId),
          JSON.stringify(doc),
          u.lastModifiedTime,
          u.lastModifiedRegion,
        ],
      );
      await this.insertMemberships(q, scope, u.instanceId, u.id, u.securityProfileIds);
      await q.run(COUNT_USERS, [1, scope.account, scope.region, u.instanceId]);
    });
  }

  /**
   * One multi-row INSERT of the user's security profile memberships (a repeated id once). One
   * statement text per count, and the model caps SecurityProfileIds at 10: few prepared statements.
   */
  private async insertMemberships(q: SqlExecutor, scope: Scope, instanceId: string, userId: string, profileIds: readonly string[]) {
    const ids = [...new Set(profileIds)];
    if (ids.length === 0) return;
    await q.run(
      `INSERT INTO user_security_profiles (account, region, instance_id, user_id, profile_id) VALUES ${ids.map(() => "(?, ?, ?, ?, ?)").join(", ")}`,
      ids.flatMap((id) => [scope.account, scope.region, instanceId, userId, id]),
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
    // The instance's count, kept by create and delete (migration 5): constant time at any size.
    const row = await this.db.get<{ n: number | string }>(
      "SELECT user_count AS n FROM instances WHERE account = ? AND region = ? AND id = ?",
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

  async listSummaries(scope: Scope, instanceId: string, page: ListRequest): Promise<UserSummaryRecord[]> {
    // The same keyset page as list, reading only the summary's five members: the ARN is taken out
    // of the doc by the database (no JSON.parse of whole records in JavaScript), which is most of
    // what paging through a directory of 100k users cost.
    const arn = this.dialect === "postgres" ? "doc::json ->> 'arn'" : "doc ->> '$.arn'";
    const rows = await this.db.all<SummaryRow>(
      `SELECT id, ${arn} AS arn, username, last_modified_time, last_modified_region FROM users
       WHERE account = ? AND region = ? AND instance_id = ? AND username > ? ORDER BY username LIMIT ?`,
      [scope.account, scope.region, instanceId, page.after ?? "", page.limit + 1],
    );
    return rows.map((r) => ({
      id: r.id,
      arn: r.arn,
      username: r.username,
      lastModifiedTime: num(r.last_modified_time),
      lastModifiedRegion: r.last_modified_region,
    }));
  }

  delete(scope: Scope, instanceId: string, userId: string): Promise<boolean> {
    // The memberships go with the row (ON DELETE CASCADE); the count goes down with it.
    return this.db.tx(async (q) => {
      const n = await q.run("DELETE FROM users WHERE account = ? AND region = ? AND instance_id = ? AND id = ?", [
        scope.account,
        scope.region,
        instanceId,
        userId,
      ]);
      if (n > 0) await q.run(COUNT_USERS, [-n, scope.account, scope.region, instanceId]);
      return n > 0;
    });
  }

  async lockForUpdate(scope: Scope, instanceId: string, userId: string): Promise<LockedUser | undefined> {
    // The one place the dialects' queries differ: PostgreSQL takes a row lock (FOR UPDATE);
    // SQLite has no row locks and needs none — a write transaction holds the database's
    // single write lock from BEGIN IMMEDIATE on.
    const r = await this.db.get<Omit<UserRow, "doc" | "last_modified_region">>(
      this.dialect === "postgres" ? LOCKED_USER_FOR_UPDATE : LOCKED_USER,
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
    const n = await this.db.run(UPDATE_IDENTITY, [
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
    ]);
    return n > 0;
  }

  update(scope: Scope, instanceId: string, userId: string, patch: UserPatch, modifiedTime: number): Promise<boolean> {
    const where = scopedKey(scope, [
      ["instance_id", instanceId],
      ["id", userId],
    ]);
    const sets = [
      assign("routing_profile_id", patch.routingProfileId),
      assign("hierarchy_group_id", patch.hierarchyGroupId),
      docAssignment(this.dialect, { phoneConfig: patch.phoneConfig, securityProfileIds: patch.securityProfileIds, tags: patch.tags }),
      touched(modifiedTime, scope.region),
    ];
    const ids = patch.securityProfileIds;
    // The row in one statement; the memberships, when they change, in the same transaction. The
    // UPDATE comes first: on PostgreSQL its row lock orders concurrent writers of this user's
    // memberships (SQLite's write lock already does).
    if (ids === undefined) return updateRow(this.db, "users", sets, where).then((n) => n > 0);
    return this.db.tx(async (q) => {
      if ((await updateRow(q, "users", sets, where)) === 0) return false;
      const memberships = scopedKey(scope, [
        ["instance_id", instanceId],
        ["user_id", userId],
      ]);
      await q.run(`DELETE FROM user_security_profiles WHERE ${memberships.sql}`, memberships.params);
      await this.insertMemberships(q, scope, instanceId, userId, ids);
      return true;
    });
  }

  async countReferencing(scope: Scope, instanceId: string, ref: UserReference): Promise<number> {
    const { rows, where } = referencing(scope, instanceId, ref);
    const row = await this.db.get<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${rows} WHERE ${where.sql}`, where.params);
    return row ? num(row.n) : 0;
  }

  async listReferencing(scope: Scope, instanceId: string, ref: UserReference): Promise<string[]> {
    const { rows, where } = referencing(scope, instanceId, ref);
    const found = await this.db.all<{ id: string }>(`SELECT u.id FROM ${rows} WHERE ${where.sql} ORDER BY u.username, u.id`, where.params);
    return found.map((r) => r.id);
  }
}
