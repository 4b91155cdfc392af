// Versioned schema. Append new migrations; never edit an applied one. Types are chosen from the
// subset both engines accept (TEXT, BIGINT, INTEGER); times are epoch milliseconds.
import type { Migration } from "./driver.js";

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "instances, users, profiles",
    statements: [
      `CREATE TABLE instances (
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        id TEXT NOT NULL,
        identity_management_type TEXT NOT NULL,
        alias TEXT,
        created_time BIGINT NOT NULL,
        doc TEXT NOT NULL,
        PRIMARY KEY (account, region, id),
        UNIQUE (account, region, alias)
      )`,
      `CREATE TABLE users (
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        instance_id TEXT NOT NULL,
        id TEXT NOT NULL,
        username TEXT NOT NULL,
        username_key TEXT NOT NULL,
        first_name TEXT,
        last_name TEXT,
        email TEXT,
        secondary_email TEXT,
        mobile TEXT,
        doc TEXT NOT NULL,
        last_modified_time BIGINT NOT NULL,
        last_modified_region TEXT NOT NULL,
        PRIMARY KEY (account, region, instance_id, id),
        UNIQUE (account, region, instance_id, username_key),
        FOREIGN KEY (account, region, instance_id) REFERENCES instances (account, region, id) ON DELETE CASCADE
      )`,
      `CREATE TABLE profiles (
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        instance_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        id TEXT NOT NULL,
        name TEXT NOT NULL,
        doc TEXT NOT NULL,
        last_modified_time BIGINT NOT NULL,
        last_modified_region TEXT NOT NULL,
        PRIMARY KEY (account, region, instance_id, kind, id),
        UNIQUE (account, region, instance_id, kind, name),
        FOREIGN KEY (account, region, instance_id) REFERENCES instances (account, region, id) ON DELETE CASCADE
      )`,
      "CREATE INDEX users_by_username ON users (account, region, instance_id, username)",
    ],
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.reduce((v, m) => Math.max(v, m.version), 0);

export class SchemaTooNew extends Error {
  constructor(found: number) {
    super(
      `The database was written by a newer Switchboard (schema version ${found}); this build understands up to version ${LATEST_SCHEMA_VERSION}. Upgrade Switchboard or point it at another database.`,
    );
    this.name = "SchemaTooNew";
  }
}
