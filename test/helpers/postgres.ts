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
