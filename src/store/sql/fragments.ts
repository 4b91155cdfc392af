// Pieces of SQL the repositories' updates are built from. Above all docAssignment: replacing
// top-level members of a row's `doc` (JSON in a TEXT column) inside the UPDATE itself — no
// read-modify-write, so two writers changing different members of one row never lose either's
// change. The engines spell it differently; both keep the members' order (a replaced member stays
// in place, a new one is appended), so a Tags map reads back in the order it was written on either
// engine. (PostgreSQL's jsonb `||` would sort the keys; `json` keeps the text as written.)
import type { Scope } from "../../common/arn.js";
import type { SqlDriver, SqlExecutor, SqlValue } from "./driver.js";

/** A piece of SQL with the values of its placeholders. */
export interface SqlFragment {
  sql: string;
  params: SqlValue[];
}

const MEMBER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `doc = …` replacing the given members (undefined values: left alone); undefined when none is given. */
export function docAssignment(dialect: SqlDriver["dialect"], members: Record<string, unknown>): SqlFragment | undefined {
  const present = Object.entries(members).filter(([, v]) => v !== undefined);
  for (const [key] of present) if (!MEMBER.test(key)) throw new Error(`not a doc member name: ${key}`);
  if (present.length === 0) return undefined;
  if (dialect === "sqlite") {
    return {
      sql: `doc = json_set(doc, ${present.map(([key]) => `'$.${key}', json(?)`).join(", ")})`,
      params: present.map(([, v]) => JSON.stringify(v)),
    };
  }
  // Every member of the old doc in its place (the patch's value where it has one), then the
  // patch's new members in the patch's order.
  return {
    sql: `doc = (SELECT json_object_agg(COALESCE(d.key, p.key), COALESCE(p.value, d.value) ORDER BY d.pos NULLS LAST, p.pos)::text
      FROM json_each(doc::json) WITH ORDINALITY AS d(key, value, pos)
      FULL JOIN json_each(?::json) WITH ORDINALITY AS p(key, value, pos) ON p.key = d.key)`,
    params: [JSON.stringify(Object.fromEntries(present))],
  };
}

/** The last-modified columns, never moving backwards (the CASE updateIdentityInfo uses). */
export function touched(modifiedTime: number, region: string): SqlFragment {
  return {
    sql: "last_modified_time = CASE WHEN last_modified_time > ? THEN last_modified_time ELSE ? END, last_modified_region = ?",
    params: [modifiedTime, modifiedTime, region],
  };
}

/**
 * The SET list of an update to a named resource whose details and tags live in its doc (profiles,
 * queues): the name column, those doc members, and the last-modified columns.
 */
export const namedDocUpdate = (
  dialect: SqlDriver["dialect"],
  patch: { name?: string; attributes?: Record<string, unknown>; tags?: Record<string, string> },
  modifiedTime: number,
  region: string,
): (SqlFragment | undefined)[] => [
  assign("name", patch.name),
  docAssignment(dialect, { attributes: patch.attributes, tags: patch.tags }),
  touched(modifiedTime, region),
];

/** `column = ?` when the value is given (null included), else undefined. */
export const assign = (column: string, value: SqlValue | undefined): SqlFragment | undefined =>
  value === undefined ? undefined : { sql: `${column} = ?`, params: [value] };

/** `account = ? AND region = ? AND <column> = ? …`: a row of the scope by its key columns. */
export function scopedKey(scope: Scope, keys: readonly (readonly [column: string, value: SqlValue])[]): SqlFragment {
  return {
    sql: ["account = ?", "region = ?", ...keys.map(([column]) => `${column} = ?`)].join(" AND "),
    params: [scope.account, scope.region, ...keys.map(([, value]) => value)],
  };
}

/** UPDATE table SET … WHERE …; resolves to the number of rows changed. */
export function updateRow(db: SqlExecutor, table: string, assignments: (SqlFragment | undefined)[], where: SqlFragment): Promise<number> {
  const given = assignments.filter((a): a is SqlFragment => a !== undefined);
  // Nothing to change still tells whether the row exists.
  const sets = given.length > 0 ? given : [{ sql: "doc = doc", params: [] }];
  return db.run(`UPDATE ${table} SET ${sets.map((a) => a.sql).join(", ")} WHERE ${where.sql}`, [
    ...sets.flatMap((a) => a.params),
    ...where.params,
  ]);
}

/**
 * The row-lock clause of a SELECT (store.ts, LockMode): PostgreSQL's FOR SHARE / FOR UPDATE;
 * nothing on SQLite, whose write transactions already hold the database's single write lock.
 */
export const rowLock = (dialect: "sqlite" | "postgres", mode: "share" | "update"): string =>
  dialect === "postgres" ? (mode === "share" ? " FOR SHARE" : " FOR UPDATE") : "";
