// The machine's PostgreSQL for tests: a fresh schema per server or suite, dropped afterwards.
import { randomBytes } from "node:crypto";
import pg from "pg";

export const PG_URL = process.env.SWITCHBOARD_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** Set by scripts/test.sh for the second pass of the HTTP suite: run it against PostgreSQL. */
export const HTTP_SUITE_ON_POSTGRES = process.env.SWITCHBOARD_TEST_STORE === "postgres";

export const freshSchemaName = (label: string) => `sb_${label}_${process.pid}_${randomBytes(4).toString("hex")}`;

export async function dropSchema(schema: string, url = PG_URL): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema.replace(/"/g, '""')}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** One query on a short-lived connection (search_path = schema when given); resolves with the rows. */
export async function queryPg<T extends Record<string, unknown>>(
  sql: string,
  params: unknown[] = [],
  opts: { schema?: string; url?: string } = {},
): Promise<T[]> {
  const client = new pg.Client({ connectionString: opts.url ?? PG_URL });
  await client.connect();
  try {
    if (opts.schema !== undefined) await client.query(`SET search_path TO "${opts.schema.replace(/"/g, '""')}"`);
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}
