// UpdateUserIdentityInfo on PostgreSQL as ONE statement (UsersRepo.updateIdentityInfoAtOnce):
// an autocommitted statement is its own transaction, so the request costs one round trip and
// holds the user's row lock only while the statement runs (the ordinary path: BEGIN, the
// instance, the user FOR UPDATE, UPDATE, INSERT the event, COMMIT — the lock held across them).
//
// One CTE chain, evaluated in one snapshot:
//   inst    the instance and its identity management type (is it one the request's rules allow?)
//   old     the user's identity, locked (FOR UPDATE: the newest committed version, once it is ours)
//   next    the identity to store: as requested, but the directory's members kept as they are on
//           an EXISTING_DIRECTORY instance
//   verdict whether the ordinary path must run instead (a watched member changes; a server
//           encoding other than UTF8, where left() would count bytes)
//   upd     the UPDATE (joined to the locked row: it writes the version that was read)
//   ev      the audit event into audit_pending (linked into the chain later, as every event),
//           its additionalEventData exactly what identityChanges (audit/identity-changes.ts)
//           with maskValue (common/mask.ts) makes of the old and new values, as JSON.stringify
//           writes it
// and the answer: one row saying which of those happened, with the old values.
//
// The SQL is PostgreSQL's own and numbers its parameters ($n): it has no `?` for the driver to
// renumber.
import type { Scope } from "../../common/arn.js";
import type { IdentityInfo, IdentityManagementType } from "../records.js";
import type { SqlExecutor, SqlValue } from "../sql/driver.js";
import { orNull } from "../sql/values.js";
import type { IdentityChangeAtOnce, IdentityChangeOutcome } from "../store.js";

/** identityChanges' members, in its order: column, wire name, parameter, kept on EXISTING_DIRECTORY. */
const MEMBERS: readonly { key: keyof IdentityInfo; column: string; wire: string; param: number; directory: boolean }[] = [
  { key: "firstName", column: "first_name", wire: "FirstName", param: 5, directory: true },
  { key: "lastName", column: "last_name", wire: "LastName", param: 6, directory: true },
  { key: "email", column: "email", wire: "Email", param: 7, directory: true },
  { key: "secondaryEmail", column: "secondary_email", wire: "SecondaryEmail", param: 8, directory: false },
  { key: "mobile", column: "mobile", wire: "Mobile", param: 9, directory: false },
];

/**
 * maskValue in SQL, as JSON (`null` for an absent value): the first code point (left() counts
 * characters, i.e. code points, in a UTF8 database), `***`, and from the last `@` on when that `@`
 * is not the first character. to_json escapes a string as JSON.stringify does (`"`, `\`, \b \f \n
 * \r \t, other controls as \u00xx); no stored text holds a lone surrogate, its one other escape.
 */
const maskedJson = (x: string) =>
  `CASE WHEN ${x} IS NULL THEN 'null' ELSE to_json(CASE WHEN ${x} = '' THEN '' ELSE left(${x}, 1) || '***' || ` +
  `CASE WHEN strpos(substr(${x}, 2), '@') > 0 THEN right(${x}, strpos(reverse(${x}), '@')) ELSE '' END END)::text END`;

const changed = (m: (typeof MEMBERS)[number]) => `${m.column} IS DISTINCT FROM next_${m.column}`;

/** The value to store: the parameter, or on EXISTING_DIRECTORY for the directory's members the stored one. */
const nextValue = (m: (typeof MEMBERS)[number]) =>
  m.directory ? `CASE WHEN directory THEN ${m.column} ELSE $${m.param}::text END` : `$${m.param}::text`;

const list = (f: (m: (typeof MEMBERS)[number]) => string) => MEMBERS.map(f).join(", ");

/** {"changedMembers":[…],"changes":{…}} — concat_ws skips the members that did not change (NULL). */
const CHANGES_JSON =
  `'{"changedMembers":[' || concat_ws(',', ${list((m) => `CASE WHEN ${changed(m)} THEN '"${m.wire}"' END`)}) || ` +
  `'],"changes":{' || concat_ws(',', ${list(
    (m) =>
      `CASE WHEN ${changed(m)} THEN '"${m.wire}":{"old":' || ${maskedJson(m.column)} || ',"new":' || ${maskedJson(`next_${m.column}`)} || '}' END`,
  )}) || '}}'`;

export const IDENTITY_AT_ONCE_SQL = `WITH inst AS (
  SELECT identity_management_type AS type, identity_management_type = ANY (string_to_array($10::text, ',')) AS allowed
  FROM instances WHERE account = $1 AND region = $2 AND id = $3
), old AS (
  SELECT ${list((m) => `u.${m.column}`)}, inst.type = 'EXISTING_DIRECTORY' AS directory
  FROM users u JOIN inst ON inst.allowed
  WHERE u.account = $1 AND u.region = $2 AND u.instance_id = $3 AND u.id = $4
  FOR UPDATE OF u
), next AS (
  SELECT old.*, ${list((m) => `${nextValue(m)} AS next_${m.column}`)}
  FROM old
), verdict AS (
  SELECT next.*,
    current_setting('server_encoding') <> 'UTF8'
      ${MEMBERS.map((m) => `OR ('${m.key}' = ANY (string_to_array($11::text, ',')) AND ${changed(m)})`).join("\n      ")} AS ordinary
  FROM next
), upd AS (
  UPDATE users u SET ${list((m) => `${m.column} = v.next_${m.column}`)},
    last_modified_time = CASE WHEN u.last_modified_time > $12::bigint THEN u.last_modified_time ELSE $12::bigint END,
    last_modified_region = $2
  FROM verdict v
  WHERE u.account = $1 AND u.region = $2 AND u.instance_id = $3 AND u.id = $4 AND NOT v.ordinary
  RETURNING u.id
), ev AS (
  INSERT INTO audit_pending (event_id, event_time, account, region, event_name, principal_arn, target_user_id, error_code, record)
  SELECT $13, $14, $15, $16, $17, $18, $19, NULL, $20::text || ',"additionalEventData":' || ${CHANGES_JSON} || '}'
  FROM verdict, upd
)
SELECT inst.type, inst.allowed, v.directory IS NOT NULL AS found, v.ordinary, (SELECT count(*) FROM upd) AS updated,
  ${list((m) => `v.${m.column}`)}
FROM (SELECT 1) AS one LEFT JOIN inst ON true LEFT JOIN verdict v ON true`;

interface OutcomeRow {
  type: IdentityManagementType | null;
  allowed: boolean | null;
  found: boolean;
  ordinary: boolean | null;
  updated: number;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  secondary_email: string | null;
  mobile: string | null;
}

/** The record as JSON.stringify writes it, without its closing brace: additionalEventData goes last. */
function recordPrefix(record: Record<string, unknown>): string {
  if ("additionalEventData" in record) throw new Error("updateIdentityInfoAtOnce: the event's additionalEventData is the store's to add");
  const text = JSON.stringify(record);
  if (!text.endsWith("}") || text === "{}") throw new Error("updateIdentityInfoAtOnce: the event's record must be a non-empty object");
  return text.slice(0, -1);
}

export async function updateIdentityInfoAtOnce(db: SqlExecutor, scope: Scope, c: IdentityChangeAtOnce): Promise<IdentityChangeOutcome> {
  const e = c.event;
  if (e.errorCode !== undefined) throw new Error("updateIdentityInfoAtOnce records a change, not a refusal");
  const params: SqlValue[] = [
    scope.account,
    scope.region,
    c.instanceId,
    c.userId,
    ...MEMBERS.map((m) => orNull(c.info[m.key])),
    c.allowedTypes.join(","),
    c.watched.join(","),
    c.modifiedTime,
    e.eventId,
    e.eventTime,
    e.account,
    e.region,
    e.eventName,
    orNull(e.principalArn),
    orNull(e.targetUserId),
    recordPrefix(e.record),
  ];
  const r = await db.get<OutcomeRow>(IDENTITY_AT_ONCE_SQL, params);
  if (!r || r.type === null) return { kind: "no-instance" };
  if (!r.allowed) return { kind: "refused", type: r.type };
  if (!r.found) return { kind: "no-user" };
  if (r.ordinary) return { kind: "ordinary" };
  // Locked, not ordinary: the UPDATE found the row (a missing one would be the ordinary path's "not found" too).
  if (r.updated !== 1) return { kind: "no-user" };
  const before: IdentityInfo = {};
  for (const m of MEMBERS) {
    const v = r[m.column as keyof OutcomeRow];
    if (typeof v === "string") before[m.key] = v;
  }
  return { kind: "updated", type: r.type, before };
}
