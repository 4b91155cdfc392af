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
  {
    version: 2,
    name: "audit chain, IAM principals, outbox",
    statements: [
      // One row: the chain's head. Appending an event updates it first, which serialises
      // appenders (a row lock on PostgreSQL, the write lock on SQLite) so the chain never forks.
      "CREATE TABLE audit_head (id INTEGER PRIMARY KEY, seq BIGINT NOT NULL, hash TEXT NOT NULL)",
      "INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000')",
      // INTEGER PRIMARY KEY: on SQLite the rowid itself (no second index to write per event);
      // PostgreSQL's spelling widens it to BIGINT (postgresDdl).
      `CREATE TABLE audit_events (
        seq INTEGER PRIMARY KEY,
        event_id TEXT NOT NULL UNIQUE,
        event_time BIGINT NOT NULL,
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        event_name TEXT NOT NULL,
        principal_arn TEXT,
        target_user_id TEXT,
        error_code TEXT,
        record TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      )`,
      "CREATE INDEX audit_by_time ON audit_events (event_time)",
      // Events recorded but not linked into the chain yet (PostgreSQL: linked in batches after
      // commit, so writers never hold the chain's head across a commit).
      `CREATE TABLE audit_pending (
        event_id TEXT PRIMARY KEY,
        event_time BIGINT NOT NULL,
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        event_name TEXT NOT NULL,
        principal_arn TEXT,
        target_user_id TEXT,
        error_code TEXT,
        record TEXT NOT NULL
      )`,
      `CREATE TABLE iam_principals (
        account TEXT NOT NULL,
        name TEXT NOT NULL,
        arn TEXT NOT NULL,
        tags TEXT NOT NULL,
        created_time BIGINT NOT NULL,
        PRIMARY KEY (account, name)
      )`,
      `CREATE TABLE iam_access_keys (
        access_key_id TEXT PRIMARY KEY,
        secret_access_key TEXT NOT NULL,
        session_token TEXT,
        account TEXT NOT NULL,
        principal_name TEXT NOT NULL,
        status TEXT NOT NULL,
        created_time BIGINT NOT NULL,
        FOREIGN KEY (account, principal_name) REFERENCES iam_principals (account, name) ON DELETE CASCADE
      )`,
      `CREATE TABLE iam_policies (
        account TEXT NOT NULL,
        principal_name TEXT NOT NULL,
        policy_name TEXT NOT NULL,
        document TEXT NOT NULL,
        PRIMARY KEY (account, principal_name, policy_name),
        FOREIGN KEY (account, principal_name) REFERENCES iam_principals (account, name) ON DELETE CASCADE
      )`,
      "CREATE TABLE iam_revision (id INTEGER PRIMARY KEY, revision BIGINT NOT NULL)",
      "INSERT INTO iam_revision (id, revision) VALUES (1, 0)",
      `CREATE TABLE outbox (
        id TEXT PRIMARY KEY,
        created_time BIGINT NOT NULL,
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        kind TEXT NOT NULL,
        recipient TEXT NOT NULL,
        subject TEXT NOT NULL,
        body TEXT NOT NULL,
        status TEXT NOT NULL,
        attempts INTEGER NOT NULL,
        next_attempt_time BIGINT NOT NULL,
        claimed_until BIGINT NOT NULL,
        last_error TEXT,
        sent_time BIGINT
      )`,
      "CREATE INDEX outbox_due ON outbox (status, next_attempt_time)",
      `CREATE TABLE revert_tokens (
        token_hash TEXT PRIMARY KEY,
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        instance_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        previous TEXT NOT NULL,
        created_time BIGINT NOT NULL,
        expires_time BIGINT NOT NULL,
        used_time BIGINT
      )`,
    ],
  },
  {
    version: 3,
    name: "queues, user hierarchy, user references, instance client tokens",
    statements: [
      `CREATE TABLE queues (
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        instance_id TEXT NOT NULL,
        id TEXT NOT NULL,
        name TEXT NOT NULL,
        doc TEXT NOT NULL,
        last_modified_time BIGINT NOT NULL,
        last_modified_region TEXT NOT NULL,
        PRIMARY KEY (account, region, instance_id, id),
        UNIQUE (account, region, instance_id, name),
        FOREIGN KEY (account, region, instance_id) REFERENCES instances (account, region, id) ON DELETE CASCADE
      )`,
      `CREATE TABLE hierarchy_levels (
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        instance_id TEXT NOT NULL,
        level INTEGER NOT NULL,
        doc TEXT NOT NULL,
        PRIMARY KEY (account, region, instance_id, level),
        FOREIGN KEY (account, region, instance_id) REFERENCES instances (account, region, id) ON DELETE CASCADE
      )`,
      // parent_key is the parent's id, or '' at level one — never NULL, so the UNIQUE constraint
      // makes sibling names unique on both engines (NULLs would never collide).
      `CREATE TABLE hierarchy_groups (
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        instance_id TEXT NOT NULL,
        id TEXT NOT NULL,
        name TEXT NOT NULL,
        level INTEGER NOT NULL,
        parent_key TEXT NOT NULL,
        doc TEXT NOT NULL,
        last_modified_time BIGINT NOT NULL,
        last_modified_region TEXT NOT NULL,
        PRIMARY KEY (account, region, instance_id, id),
        UNIQUE (account, region, instance_id, parent_key, name),
        FOREIGN KEY (account, region, instance_id) REFERENCES instances (account, region, id) ON DELETE CASCADE
      )`,
      "CREATE INDEX hierarchy_groups_by_name ON hierarchy_groups (account, region, instance_id, name, id)",
      "CREATE INDEX hierarchy_groups_by_level ON hierarchy_groups (account, region, instance_id, level)",
      // What users reference, in columns and rows of their own (not the doc), so "who uses this
      // profile / group" is an index lookup. The identity columns stay out of these indexes: an
      // UpdateUserIdentityInfo writes no index (and stays a HOT update on PostgreSQL).
      "ALTER TABLE users ADD COLUMN routing_profile_id TEXT NOT NULL DEFAULT ''",
      "ALTER TABLE users ADD COLUMN hierarchy_group_id TEXT",
      "CREATE INDEX users_by_routing_profile ON users (account, region, instance_id, routing_profile_id, username)",
      "CREATE INDEX users_by_hierarchy_group ON users (account, region, instance_id, hierarchy_group_id, username)",
      `CREATE TABLE user_security_profiles (
        account TEXT NOT NULL,
        region TEXT NOT NULL,
        instance_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        profile_id TEXT NOT NULL,
        PRIMARY KEY (account, region, instance_id, user_id, profile_id),
        FOREIGN KEY (account, region, instance_id, user_id) REFERENCES users (account, region, instance_id, id) ON DELETE CASCADE
      )`,
      "CREATE INDEX user_security_profiles_by_profile ON user_security_profiles (account, region, instance_id, profile_id)",
      // NULL (no token) never collides with another NULL on either engine.
      "ALTER TABLE instances ADD COLUMN client_token TEXT",
      "CREATE UNIQUE INDEX instances_by_client_token ON instances (account, region, client_token)",
    ],
    // Existing rows: the users' references move from the doc to the new columns and rows (the
    // routing and hierarchy ids leave the doc; the security profile ids stay in it, in the order
    // they were given, mirrored by the membership rows), and every routing profile's default
    // outbound queue becomes a queue row (operations/instances/defaults.ts).
    dialectStatements: {
      sqlite: [
        `UPDATE users SET
           routing_profile_id = COALESCE(json_extract(doc, '$.routingProfileId'), ''),
           hierarchy_group_id = json_extract(doc, '$.hierarchyGroupId'),
           doc = json_remove(doc, '$.routingProfileId', '$.hierarchyGroupId')`,
        `INSERT INTO user_security_profiles (account, region, instance_id, user_id, profile_id)
         SELECT DISTINCT u.account, u.region, u.instance_id, u.id, p.value
         FROM users u, json_each(u.doc, '$.securityProfileIds') p`,
        `INSERT INTO queues (account, region, instance_id, id, name, doc, last_modified_time, last_modified_region)
         SELECT account, region, instance_id, json_extract(doc, '$.attributes.defaultOutboundQueue.id'), 'BasicQueue',
           json_object(
             'arn', json_extract(doc, '$.attributes.defaultOutboundQueue.arn'),
             'attributes', json_object('description', '', 'status', 'ENABLED', 'type', 'STANDARD'),
             'tags', json_object()),
           last_modified_time, last_modified_region
         FROM profiles WHERE kind = 'routing' AND json_extract(doc, '$.attributes.defaultOutboundQueue.id') IS NOT NULL
         ON CONFLICT DO NOTHING`,
      ],
      postgres: [
        // json (not jsonb) rebuilds the doc without the two members and keeps the others' order.
        `UPDATE users SET
           routing_profile_id = COALESCE(doc::json ->> 'routingProfileId', ''),
           hierarchy_group_id = doc::json ->> 'hierarchyGroupId',
           doc = (SELECT json_object_agg(d.key, d.value ORDER BY d.pos)::text
                  FROM json_each(doc::json) WITH ORDINALITY AS d(key, value, pos)
                  WHERE d.key NOT IN ('routingProfileId', 'hierarchyGroupId'))`,
        `INSERT INTO user_security_profiles (account, region, instance_id, user_id, profile_id)
         SELECT DISTINCT u.account, u.region, u.instance_id, u.id, p.profile_id
         FROM users u CROSS JOIN LATERAL jsonb_array_elements_text(
           CASE WHEN jsonb_typeof(u.doc::jsonb -> 'securityProfileIds') = 'array' THEN u.doc::jsonb -> 'securityProfileIds' END
         ) AS p(profile_id)`,
        `INSERT INTO queues (account, region, instance_id, id, name, doc, last_modified_time, last_modified_region)
         SELECT account, region, instance_id, doc::json #>> '{attributes,defaultOutboundQueue,id}', 'BasicQueue',
           json_build_object(
             'arn', doc::json #>> '{attributes,defaultOutboundQueue,arn}',
             'attributes', json_build_object('description', '', 'status', 'ENABLED', 'type', 'STANDARD'),
             'tags', json_build_object())::text,
           last_modified_time, last_modified_region
         FROM profiles WHERE kind = 'routing' AND doc::json #>> '{attributes,defaultOutboundQueue,id}' IS NOT NULL
         ON CONFLICT DO NOTHING`,
      ],
    },
  },
  {
    version: 4,
    name: "instance aliases unique case-insensitively",
    statements: [
      // An alias is the host name of https://<alias>.my.connect.aws/, and host names ignore case:
      // `Acme` and `acme` would share one access URL. Upgraded databases keep any pair that
      // already differs only in case (the later one's key stays NULL); new ones cannot be made.
      "ALTER TABLE instances ADD COLUMN alias_key TEXT",
      `UPDATE instances SET alias_key = LOWER(alias)
       WHERE alias IS NOT NULL AND NOT EXISTS (
         SELECT 1 FROM instances o
         WHERE o.account = instances.account AND o.region = instances.region AND o.alias IS NOT NULL
           AND LOWER(o.alias) = LOWER(instances.alias) AND o.id < instances.id)`,
      "CREATE UNIQUE INDEX instances_by_alias_key ON instances (account, region, alias_key)",
    ],
  },
  {
    version: 5,
    name: "per-instance user count",
    statements: [
      // CreateUser's quota check reads this instead of COUNT(*) over the instance's users (which
      // grows with the directory). users.create and users.delete keep it, in their transaction.
      "ALTER TABLE instances ADD COLUMN user_count BIGINT NOT NULL DEFAULT 0",
      `UPDATE instances SET user_count = (
         SELECT COUNT(*) FROM users u
         WHERE u.account = instances.account AND u.region = instances.region AND u.instance_id = instances.id)`,
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
