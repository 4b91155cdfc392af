// UpdateUserIdentityInfo on PostgreSQL as ONE statement (UsersRepo.updateIdentityInfoAtOnce):
// an autocommitted statement is its own transaction, so the request costs one round trip and
// holds the user's row lock only while the statement runs (the ordinary path: BEGIN, the
// instance, the user FOR UPDATE, UPDATE, INSERT the event, COMMIT — the lock held across them).
// The statement takes a group of requests (identity-groups.ts: those that arrived while others
// were in flight), each as one element of every array parameter, so that what a statement
// costs is paid once for the group; each request's rows join only its own.
//
// One CTE chain, evaluated in one snapshot:
//   r     the requests (unnest … WITH ORDINALITY: r.i is the request's place in the group)
//   inst  the instance and its identity management type (is it one the request's rules allow?)
//   cur   the user's identity, locked (FOR UPDATE: the newest committed version, once it is
//         ours; the group's users in primary-key order), and the identity to store: as
//         requested, but the directory's members kept as they are on an EXISTING_DIRECTORY instance
//   upd   the UPDATE, joined to the locked row (it writes the version that was read) — unless
//         the ordinary path must run instead: a watched member changes, or the server encoding
//         is not UTF8 (where left() would count bytes)
//   ev    the audit event into audit_pending (linked into the chain later, as every event), its
//         additionalEventData exactly what identityChanges (audit/identity-changes.ts) with
//         maskValue (common/mask.ts) makes of the old and new values, as JSON.stringify writes
//         it: one row per member (LATERAL VALUES) aggregated in identityChanges' order
// and the answer: one row per request saying which of those happened, with the old values.
// (PostgreSQL initialises every expression of a statement on each execution: written once over
// the members' rows, the masks cost a fifth of what five copies of them did.)
//
// The SQL is PostgreSQL's own and numbers its parameters ($n): it has no `?` for the driver to
// renumber.
import type { Scope } from "../../common/arn.js";
import type { IdentityInfo, IdentityManagementType } from "../records.js";
import { draftValues, PENDING_COLUMNS } from "../sql/audit-repo.js";
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

/** The value to store: the request's, or on EXISTING_DIRECTORY for the directory's members the stored one. */
const nextValue = (m: (typeof MEMBERS)[number], requested: string) =>
  m.directory ? `CASE WHEN inst.directory THEN u.${m.column} ELSE ${requested} END` : requested;

const list = (f: (m: (typeof MEMBERS)[number], i: number) => string, sep = ", ") => MEMBERS.map(f).join(sep);

/** The watched members as a bit set, bit i for MEMBERS[i]. */
const watchedBits = (watched: readonly (keyof IdentityInfo)[]) =>
  MEMBERS.reduce((bits, m, i) => (watched.includes(m.key) ? bits | (1 << i) : bits), 0);

const CHANGED = "m.old IS DISTINCT FROM m.new";

/** PostgreSQL's array literal of text values (NULL for null): what array_in reads back exactly. */
export function pgArray(values: readonly SqlValue[]): string {
  let out = "{";
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    if (k > 0) out += ",";
    if (v === null || v === undefined) out += "NULL";
    else if (typeof v === "number") out += String(v);
    else out += `"${v.replace(/[\\"]/g, "\\$&")}"`;
  }
  return `${out}}`;
}

/** One request alone (the parameters are its values, as in the group's arrays): the plainer plan. */
export const IDENTITY_AT_ONCE_SQL = `WITH inst AS (
  SELECT identity_management_type AS type, identity_management_type = ANY (string_to_array($10::text, ',')) AS allowed,
    identity_management_type = 'EXISTING_DIRECTORY' AS directory
  FROM instances WHERE account = $1 AND region = $2 AND id = $3
), cur AS (
  SELECT ${list((m) => `u.${m.column}`)},
    ${list((m) => `${nextValue(m, `$${m.param}::text`)} AS next_${m.column}`, ",\n    ")}
  FROM users u JOIN inst ON inst.allowed
  WHERE u.account = $1 AND u.region = $2 AND u.instance_id = $3 AND u.id = $4
  FOR UPDATE OF u
), upd AS (
  UPDATE users u SET ${list((m) => `${m.column} = c.next_${m.column}`)},
    last_modified_time = CASE WHEN u.last_modified_time > $12::bigint THEN u.last_modified_time ELSE $12::bigint END,
    last_modified_region = $2
  FROM cur c
  WHERE u.account = $1 AND u.region = $2 AND u.instance_id = $3 AND u.id = $4
    AND current_setting('server_encoding') = 'UTF8'
    ${list((m, i) => `AND (($11::int & ${1 << i}) = 0 OR c.${m.column} IS NOT DISTINCT FROM c.next_${m.column})`, "\n    ")}
  RETURNING u.id
), ev AS (
  INSERT INTO audit_pending (${PENDING_COLUMNS})
  SELECT $13, $14, $15, $16, $17, $18, $19, $20,
    $21::text || ',"additionalEventData":{"changedMembers":['
      || coalesce(string_agg('"' || m.wire || '"', ',' ORDER BY m.i) FILTER (WHERE ${CHANGED}), '')
      || '],"changes":{'
      || coalesce(string_agg('"' || m.wire || '":{"old":' || ${maskedJson("m.old")} || ',"new":' || ${maskedJson("m.new")} || '}', ',' ORDER BY m.i) FILTER (WHERE ${CHANGED}), '')
      || '}}}'
  FROM upd, cur c, LATERAL (VALUES ${list((m, i) => `(${i}, '${m.wire}', c.${m.column}, c.next_${m.column})`)}) AS m (i, wire, old, new)
  GROUP BY upd.id
)
SELECT inst.type, inst.allowed, EXISTS (SELECT 1 FROM cur) AS found,
  EXISTS (SELECT 1 FROM upd) AS updated, ${list((m) => `c.${m.column}`)}
FROM (SELECT 1) AS one LEFT JOIN inst ON true LEFT JOIN cur c ON true`;

/**
 * One statement for a group of requests, one element of each array parameter per request (r.i:
 * its place, from 1). Each request's rows join only its own: the instance, the user (distinct
 * users in one group: the caller's rule), the update, the event. The users are locked in
 * primary-key order (the LockRows node runs over the sorted rows), so two groups, or a group and
 * a transaction locking one user, never deadlock.
 */
export const IDENTITY_GROUP_SQL = `WITH r AS (
  SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[],
      ${list((m) => `$${m.param}::text[]`)}, $10::text[], $11::int[], $12::bigint[],
      $13::text[], $14::bigint[], $15::text[], $16::text[], $17::text[], $18::text[], $19::text[], $20::text[], $21::text[])
    WITH ORDINALITY AS r (account, region, instance_id, user_id, ${list((m) => `p_${m.column}`)}, allowed_types, watched, modified,
      ev_id, ev_time, ev_account, ev_region, ev_name, ev_principal, ev_target, ev_error, ev_prefix, i)
), inst AS (
  SELECT r.i, n.identity_management_type AS type, n.identity_management_type = ANY (string_to_array(r.allowed_types, ',')) AS allowed,
    n.identity_management_type = 'EXISTING_DIRECTORY' AS directory
  FROM r JOIN instances n ON n.account = r.account AND n.region = r.region AND n.id = r.instance_id
), cur AS (
  SELECT r.i, u.account, u.region, u.instance_id, u.id, ${list((m) => `u.${m.column}`)},
    ${list((m) => `${nextValue(m, `r.p_${m.column}`)} AS next_${m.column}`, ",\n    ")}
  FROM r JOIN inst ON inst.i = r.i AND inst.allowed
    JOIN users u ON u.account = r.account AND u.region = r.region AND u.instance_id = r.instance_id AND u.id = r.user_id
  ORDER BY u.account, u.region, u.instance_id, u.id
  FOR UPDATE OF u
), upd AS (
  UPDATE users u SET ${list((m) => `${m.column} = c.next_${m.column}`)},
    last_modified_time = CASE WHEN u.last_modified_time > r.modified THEN u.last_modified_time ELSE r.modified END,
    last_modified_region = r.region
  FROM cur c JOIN r ON r.i = c.i
  WHERE u.account = c.account AND u.region = c.region AND u.instance_id = c.instance_id AND u.id = c.id
    AND current_setting('server_encoding') = 'UTF8'
    ${list((m, i) => `AND ((r.watched & ${1 << i}) = 0 OR c.${m.column} IS NOT DISTINCT FROM c.next_${m.column})`, "\n    ")}
  RETURNING c.i
), ev AS (
  INSERT INTO audit_pending (${PENDING_COLUMNS})
  SELECT r.ev_id, r.ev_time, r.ev_account, r.ev_region, r.ev_name, r.ev_principal, r.ev_target, r.ev_error,
    r.ev_prefix || ',"additionalEventData":{"changedMembers":[' || coalesce(a.members, '') || '],"changes":{' || coalesce(a.changes, '') || '}}}'
  FROM upd JOIN cur c ON c.i = upd.i JOIN r ON r.i = upd.i,
    LATERAL (
      SELECT string_agg('"' || m.wire || '"', ',' ORDER BY m.k) FILTER (WHERE ${CHANGED}) AS members,
        string_agg('"' || m.wire || '":{"old":' || ${maskedJson("m.old")} || ',"new":' || ${maskedJson("m.new")} || '}', ',' ORDER BY m.k) FILTER (WHERE ${CHANGED}) AS changes
      FROM (VALUES ${list((m, i) => `(${i}, '${m.wire}', c.${m.column}, c.next_${m.column})`)}) AS m (k, wire, old, new)
    ) AS a
)
SELECT r.i, inst.type, inst.allowed, c.i IS NOT NULL AS found, upd.i IS NOT NULL AS updated, ${list((m) => `c.${m.column}`)}
FROM r LEFT JOIN inst ON inst.i = r.i LEFT JOIN cur c ON c.i = r.i LEFT JOIN upd ON upd.i = r.i
ORDER BY r.i`;

interface OutcomeRow {
  type: IdentityManagementType | null;
  allowed: boolean | null;
  found: boolean;
  updated: boolean;
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

/** One request of a group: its scope, its change, and its event's record text but the closing brace. */
export interface AtOnceRequest {
  scope: Scope;
  change: IdentityChangeAtOnce;
  prefix: string;
}

/** The request, checked: what the statement needs of it (throws for a change it cannot record). */
export function atOnceRequest(scope: Scope, change: IdentityChangeAtOnce): AtOnceRequest {
  if (change.event.errorCode !== undefined) throw new Error("updateIdentityInfoAtOnce records a change, not a refusal");
  return { scope, change, prefix: recordPrefix(change.event.record) };
}

/** A request's parameters, in the statements' order ($1…$21): alone, as they are; in a group, element k of each array. */
function requestValues(r: AtOnceRequest): SqlValue[] {
  const c = r.change;
  return [
    r.scope.account,
    r.scope.region,
    c.instanceId,
    c.userId,
    ...MEMBERS.map((m) => orNull(c.info[m.key])),
    c.allowedTypes.join(","),
    watchedBits(c.watched),
    c.modifiedTime,
    ...draftValues(c.event, r.prefix),
  ];
}

function outcomeOf(r: OutcomeRow | undefined): IdentityChangeOutcome {
  if (!r || r.type === null) return { kind: "no-instance" };
  if (!r.allowed) return { kind: "refused", type: r.type };
  if (!r.found) return { kind: "no-user" };
  // Found and locked, so the UPDATE held back only for the ordinary path.
  if (!r.updated) return { kind: "ordinary" };
  const before: IdentityInfo = {};
  for (const m of MEMBERS) {
    const v = r[m.column as keyof OutcomeRow];
    if (typeof v === "string") before[m.key] = v;
  }
  return { kind: "updated", type: r.type, before };
}

/**
 * The group's changes in one autocommitted statement: the outcome of each, in order. The users
 * must be distinct (one UPDATE cannot change a row twice). Fails as a whole, writing nothing,
 * or not at all.
 */
export async function updateIdentityInfoGroup(db: SqlExecutor, requests: readonly AtOnceRequest[]): Promise<IdentityChangeOutcome[]> {
  if (requests.length === 1)
    return [outcomeOf(await db.get<OutcomeRow>(IDENTITY_AT_ONCE_SQL, requestValues(requests[0] as AtOnceRequest)))];
  const values = requests.map(requestValues);
  const params = (values[0] as SqlValue[]).map((_, k) => pgArray(values.map((v) => v[k] as SqlValue)));
  const rows = await db.all<OutcomeRow>(IDENTITY_GROUP_SQL, params);
  if (rows.length !== requests.length) throw new Error(`updateIdentityInfoAtOnce: ${rows.length} outcomes for ${requests.length} requests`);
  return rows.map(outcomeOf);
}
