// The Store contract, one suite run against every engine: SQLite on a file, SQLite in memory and
// PostgreSQL. Each case builds its own account/instance ids, so cases never see each other's rows.
// PostgreSQL: SWITCHBOARD_TEST_PG_URL (default postgres://postgres@127.0.0.1:5432/test); each run
// uses a fresh schema, dropped at the end. An unreachable server FAILS the PostgreSQL part unless
// SWITCHBOARD_SKIP_PG=1.
import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { isDeepStrictEqual } from "node:util";
import { instanceArn, routingProfileArn, type Scope, securityProfileArn, userArn } from "../../src/common/arn.js";
import { PostgresDriver } from "../../src/store/postgres/pg-driver.js";
import type { IdentityInfo, InstanceRecord, ProfileKind, ProfileRecord, UserRecord } from "../../src/store/records.js";
import type { SqlDriver } from "../../src/store/sql/driver.js";
import { LATEST_SCHEMA_VERSION, MIGRATIONS, SchemaTooNew } from "../../src/store/sql/migrations.js";
import { SqlStore } from "../../src/store/sql/sql-store.js";
import { SqliteDriver } from "../../src/store/sqlite/sqlite-driver.js";
import { type Store, StoreUnavailable, UniqueViolation } from "../../src/store/store.js";

// ---- harness ---------------------------------------------------------------------------------

interface Opened {
  store: Store;
  cleanup(): Promise<void>;
  /** the driver under store, for the schema cases (SQL engines only) */
  driver?: SqlDriver;
  /** a new driver on the same database (absent for ":memory:"); the caller closes it */
  connect?: () => SqlDriver;
}

const PG_URL = process.env.SWITCHBOARD_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const SKIP_PG = process.env.SWITCHBOARD_SKIP_PG === "1";
const redact = (url: string) => url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
const newSchemaName = () => `sb_test_${process.pid}_${randomBytes(4).toString("hex")}`;

async function openSqliteFile(): Promise<Opened> {
  const dir = await mkdtemp(join(tmpdir(), "sb-contract-"));
  const file = join(dir, "store.db");
  const connect = () => new SqliteDriver({ file, durability: "normal" });
  const driver = connect();
  const store = await SqlStore.open(driver);
  return {
    store,
    driver,
    connect,
    cleanup: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function openSqliteMemory(): Promise<Opened> {
  const driver = new SqliteDriver({ file: ":memory:", durability: "normal" });
  const store = await SqlStore.open(driver);
  return { store, driver, cleanup: () => store.close() };
}

/** A PostgresDriver on a schema; fails with instructions when the server is not reachable. */
async function reachablePostgres(schema: string): Promise<PostgresDriver> {
  const driver = new PostgresDriver({ url: PG_URL, schema });
  try {
    await driver.ping();
  } catch (err) {
    await driver.close();
    throw new Error(
      `PostgreSQL is not reachable at ${redact(PG_URL)} (${err instanceof Error ? err.message : String(err)}). ` +
        "Start it (pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start), point SWITCHBOARD_TEST_PG_URL " +
        "at a server, or set SWITCHBOARD_SKIP_PG=1 to skip the PostgreSQL part.",
    );
  }
  return driver;
}

async function dropSchema(schema: string): Promise<void> {
  const admin = new PostgresDriver({ url: PG_URL });
  try {
    await admin.run(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await admin.close();
  }
}

async function openPostgres(): Promise<Opened> {
  const schema = newSchemaName();
  const driver = await reachablePostgres(schema);
  let store: SqlStore;
  try {
    store = await SqlStore.open(driver);
  } catch (err) {
    await driver.close();
    await dropSchema(schema);
    throw err;
  }
  return {
    store,
    driver,
    connect: () => new PostgresDriver({ url: PG_URL, schema }),
    cleanup: async () => {
      await store.close();
      await dropSchema(schema);
    },
  };
}

// ---- fixtures --------------------------------------------------------------------------------

const T0 = 1_700_000_000_000;
const REGION = "us-west-2";

/** A scope of its own: a random 12-digit account. */
const newScope = (region = REGION): Scope => ({
  account: String(100_000_000_000 + Math.floor(Math.random() * 899_999_999_999)),
  region,
});
const newId = () => randomUUID();

function instanceRecord(s: Scope, id: string, alias?: string): InstanceRecord {
  const rec: InstanceRecord = {
    id,
    arn: instanceArn(s, id),
    identityManagementType: "CONNECT_MANAGED",
    createdTime: T0,
    serviceRole: `arn:aws:iam::${s.account}:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect_x`,
    status: "ACTIVE",
    inboundCallsEnabled: true,
    outboundCallsEnabled: false,
    accessUrl: `https://${alias ?? id}.my.connect.aws`,
    tags: { team: "contract" },
  };
  if (alias !== undefined) rec.alias = alias;
  return rec;
}

function profileRecord(s: Scope, instanceId: string, kind: ProfileKind, name: string): ProfileRecord {
  const id = newId();
  return {
    id,
    arn: kind === "security" ? securityProfileArn(s, instanceId, id) : routingProfileArn(s, instanceId, id),
    instanceId,
    kind,
    name,
    attributes: kind === "security" ? { permissions: ["BasicAgentAccess"] } : { concurrency: [{ channel: "VOICE", concurrency: 1 }] },
    lastModifiedTime: T0,
    lastModifiedRegion: s.region,
  };
}

const SECURITY_NAMES = ["QualityAnalyst", "Admin", "agent", "CallCenterManager", "Agent"];

function defaultProfiles(s: Scope, instanceId: string): ProfileRecord[] {
  return [
    ...SECURITY_NAMES.map((n) => profileRecord(s, instanceId, "security", n)),
    profileRecord(s, instanceId, "routing", "Basic Routing Profile"),
  ];
}

function userRecord(s: Scope, instanceId: string, username: string, identityInfo: IdentityInfo = {}): UserRecord {
  const id = newId();
  return {
    id,
    arn: userArn(s, instanceId, id),
    instanceId,
    username,
    identityInfo,
    phoneConfig: { phoneType: "SOFT_PHONE", autoAccept: false, afterContactWorkTimeLimit: 0 },
    securityProfileIds: [newId()],
    routingProfileId: newId(),
    tags: {},
    lastModifiedTime: T0,
    lastModifiedRegion: s.region,
  };
}

/** A fresh scope holding one instance (with its default profiles). */
async function withInstance(store: Store): Promise<{ s: Scope; instanceId: string; profiles: ProfileRecord[] }> {
  const s = newScope();
  const instanceId = newId();
  const profiles = defaultProfiles(s, instanceId);
  await store.instances.create(s, instanceRecord(s, instanceId), profiles);
  return { s, instanceId, profiles };
}

/** JSON round trip: records compare without keys whose value is undefined. */
const plain = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));

/** Walks every page of a limit+1 keyset listing. */
async function allPages<T>(limit: number, list: (after: string | undefined) => Promise<T[]>, key: (row: T) => string): Promise<T[]> {
  const out: T[] = [];
  let after: string | undefined;
  for (;;) {
    const rows = await list(after);
    assert.ok(rows.length <= limit + 1, `a page returns at most limit+1 rows, got ${rows.length}`);
    const page = rows.slice(0, limit);
    out.push(...page);
    if (rows.length <= limit) return out;
    const last = page[page.length - 1];
    assert.ok(last);
    after = key(last);
  }
}

// Usernames whose UTF-8 byte order (SQLite BINARY, PostgreSQL COLLATE "C") differs from both a
// case-insensitive/locale order and JavaScript's UTF-16 order (the emoji vs the fullwidth letter).
const USERNAMES = ["Zed", "alice", "Émile", "bob", "😀grin", "Ａlpha", "_under", "Bob2"];
const USERNAMES_BYTE_ORDER = ["Bob2", "Zed", "_under", "alice", "bob", "Émile", "Ａlpha", "😀grin"];

// ---- the contract ----------------------------------------------------------------------------

function contract(name: string, open: () => Promise<Opened>, options: { skip?: string } = {}): void {
  describe(name, { skip: options.skip ?? false }, () => {
    let h: Opened;
    let store: Store;
    before(async () => {
      h = await open();
      store = h.store;
    });
    after(async () => {
      await h?.cleanup();
    });

    test("health reports ok", async () => {
      const health = await store.health();
      assert.equal(health.ok, true);
    });

    // ---- instances ----

    test("instance create with default profiles, get, profiles get/list", async () => {
      const s = newScope();
      const id = newId();
      const inst = instanceRecord(s, id, `alias-${id.slice(0, 8)}`);
      const profiles = defaultProfiles(s, id);
      await store.instances.create(s, inst, profiles);

      assert.deepEqual(plain(await store.instances.get(s, id)), plain(inst));
      assert.equal(await store.instances.get(s, newId()), undefined);
      assert.equal(await store.instances.count(s), 1);

      for (const p of profiles) assert.deepEqual(plain(await store.profiles.get(s, id, p.kind, p.id)), plain(p));
      const routingId = profiles.find((p) => p.kind === "routing")?.id ?? "";
      assert.equal(await store.profiles.get(s, id, "security", routingId), undefined, "kind is part of the key");

      const security = await allPages(
        2,
        (after) => store.profiles.list(s, id, "security", { after, limit: 2 }),
        (p) => p.name,
      );
      assert.deepEqual(
        security.map((p) => p.name),
        [...SECURITY_NAMES].sort(byteOrder),
      );
      assert.deepEqual(
        security.map((p) => p.name),
        ["Admin", "Agent", "CallCenterManager", "QualityAnalyst", "agent"],
      );
      const routing = await store.profiles.list(s, id, "routing", { limit: 10 });
      assert.deepEqual(
        routing.map((p) => p.name),
        ["Basic Routing Profile"],
      );
    });

    test("instance count and list pagination (after, limit+1)", async () => {
      const s = newScope();
      const ids = Array.from({ length: 7 }, newId);
      for (const id of ids) await store.instances.create(s, instanceRecord(s, id), []);
      assert.equal(await store.instances.count(s), 7);

      const first = await store.instances.list(s, { limit: 3 });
      assert.equal(first.length, 4, "limit+1 rows when more exist");
      const all = await allPages(
        3,
        (after) => store.instances.list(s, { after, limit: 3 }),
        (i) => i.id,
      );
      assert.deepEqual(
        all.map((i) => i.id),
        [...ids].sort(byteOrder),
      );
      const everything = await store.instances.list(s, { limit: 100 });
      assert.equal(everything.length, 7);
      const lastId = [...ids].sort(byteOrder)[6] ?? "";
      assert.deepEqual(await store.instances.list(s, { after: lastId, limit: 3 }), []);
    });

    test("instance delete cascades to users and profiles", async () => {
      const { s, instanceId, profiles } = await withInstance(store);
      const users = [userRecord(s, instanceId, "one"), userRecord(s, instanceId, "two")];
      for (const u of users) await store.users.create(s, u);
      assert.equal(await store.users.count(s, instanceId), 2);

      assert.equal(await store.instances.delete(s, instanceId), true);
      assert.equal(await store.instances.get(s, instanceId), undefined);
      assert.equal(await store.instances.count(s), 0);
      assert.equal(await store.users.count(s, instanceId), 0);
      for (const u of users) assert.equal(await store.users.get(s, instanceId, u.id), undefined);
      for (const p of profiles) assert.equal(await store.profiles.get(s, instanceId, p.kind, p.id), undefined);
      assert.deepEqual(await store.profiles.list(s, instanceId, "security", { limit: 10 }), []);
      assert.equal(await store.instances.delete(s, instanceId), false);

      // the ids are free again
      await store.instances.create(s, instanceRecord(s, instanceId), [profiles[0] as ProfileRecord]);
      await store.users.create(s, users[0] as UserRecord);
      assert.equal(await store.users.count(s, instanceId), 1);
    });

    test("duplicate alias or id → UniqueViolation, and nothing of the failed create remains", async () => {
      const s = newScope();
      const alias = `dup-${newId().slice(0, 8)}`;
      const first = newId();
      await store.instances.create(s, instanceRecord(s, first, alias), defaultProfiles(s, first));

      const second = newId();
      const secondProfiles = defaultProfiles(s, second);
      await assert.rejects(store.instances.create(s, instanceRecord(s, second, alias), secondProfiles), UniqueViolation);
      assert.equal(await store.instances.get(s, second), undefined);
      for (const p of secondProfiles) assert.equal(await store.profiles.get(s, second, p.kind, p.id), undefined);

      await assert.rejects(store.instances.create(s, instanceRecord(s, first), []), UniqueViolation);
      assert.equal(await store.instances.count(s), 1);

      // no alias is not a duplicate alias; the same alias in another scope is another alias
      const a = newId();
      const b = newId();
      await store.instances.create(s, instanceRecord(s, a), []);
      await store.instances.create(s, instanceRecord(s, b), []);
      const other = newScope();
      await store.instances.create(other, instanceRecord(other, newId(), alias), []);
      assert.equal(await store.instances.count(s), 3);
    });

    test("duplicate profile name within a kind → UniqueViolation (the instance is not created)", async () => {
      const s = newScope();
      const id = newId();
      const profiles = [profileRecord(s, id, "security", "Same"), profileRecord(s, id, "security", "Same")];
      await assert.rejects(store.instances.create(s, instanceRecord(s, id), profiles), UniqueViolation);
      assert.equal(await store.instances.get(s, id), undefined);
      assert.equal(await store.instances.count(s), 0);
    });

    // ---- users ----

    test("user create, get, count, delete", async () => {
      const { s, instanceId } = await withInstance(store);
      const u = userRecord(s, instanceId, "agent.one", {
        firstName: "Ada",
        lastName: "Lovelace",
        email: "ada@example.com",
        secondaryEmail: "ada2@example.com",
        mobile: "+15555550100",
      });
      u.directoryUserId = "dir-1";
      u.hierarchyGroupId = "hg-1";
      u.tags = { dept: "support", "aws:x": "y" };
      await store.users.create(s, u);
      assert.deepEqual(plain(await store.users.get(s, instanceId, u.id)), plain(u));

      const bare = userRecord(s, instanceId, "agent.two");
      await store.users.create(s, bare);
      const got = await store.users.get(s, instanceId, bare.id);
      assert.deepEqual(got?.identityInfo, {});
      assert.deepEqual(plain(got), plain(bare));

      assert.equal(await store.users.count(s, instanceId), 2);
      assert.equal(await store.users.get(s, instanceId, newId()), undefined);
      assert.equal(await store.users.delete(s, instanceId, u.id), true);
      assert.equal(await store.users.delete(s, instanceId, u.id), false);
      assert.equal(await store.users.get(s, instanceId, u.id), undefined);
      assert.equal(await store.users.count(s, instanceId), 1);
    });

    test("users list ordered by username in UTF-8 byte order, paginated", async () => {
      assert.deepEqual([...USERNAMES].sort(byteOrder), USERNAMES_BYTE_ORDER, "fixture sanity");
      const { s, instanceId } = await withInstance(store);
      for (const name of USERNAMES) await store.users.create(s, userRecord(s, instanceId, name));

      const one = await store.users.list(s, instanceId, { limit: 100 });
      assert.deepEqual(
        one.map((u) => u.username),
        USERNAMES_BYTE_ORDER,
      );
      for (const limit of [1, 3, 8]) {
        const paged = await allPages(
          limit,
          (after) => store.users.list(s, instanceId, { after, limit }),
          (u) => u.username,
        );
        assert.deepEqual(
          paged.map((u) => u.username),
          USERNAMES_BYTE_ORDER,
          `limit ${limit}`,
        );
      }
      // `after` need not be an existing username
      const fromB = await store.users.list(s, instanceId, { after: "b", limit: 100 });
      assert.deepEqual(
        fromB.map((u) => u.username),
        ["bob", "Émile", "Ａlpha", "😀grin"],
      );
    });

    test("username uniqueness is case-insensitive within an instance", async () => {
      const { s, instanceId } = await withInstance(store);
      await store.users.create(s, userRecord(s, instanceId, "Alice"));
      await assert.rejects(store.users.create(s, userRecord(s, instanceId, "alice")), UniqueViolation);
      await assert.rejects(store.users.create(s, userRecord(s, instanceId, "ALICE")), UniqueViolation);
      await assert.rejects(store.users.create(s, userRecord(s, instanceId, "Alice")), UniqueViolation);
      assert.equal(await store.users.count(s, instanceId), 1);

      // the same username in another instance is fine
      const other = newId();
      await store.instances.create(s, instanceRecord(s, other), []);
      await store.users.create(s, userRecord(s, other, "alice"));
      // the same user id twice is a violation too
      const u = userRecord(s, instanceId, "bob");
      await store.users.create(s, u);
      await assert.rejects(store.users.create(s, { ...u, username: "carol" }), UniqueViolation);
    });

    test("updateIdentityInfo replaces all five fields; false for a missing user", async () => {
      const { s, instanceId } = await withInstance(store);
      const full: IdentityInfo = {
        firstName: "F",
        lastName: "L",
        email: "e@example.com",
        secondaryEmail: "s@example.com",
        mobile: "+15555550101",
      };
      const u = userRecord(s, instanceId, "ident", full);
      await store.users.create(s, u);

      assert.equal(await store.users.updateIdentityInfo(s, instanceId, u.id, { firstName: "Only" }, T0 + 10), true);
      let got = await store.users.get(s, instanceId, u.id);
      assert.deepEqual(got?.identityInfo, { firstName: "Only" }, "omitted fields are cleared");
      assert.equal(got?.lastModifiedTime, T0 + 10);

      const other: IdentityInfo = { lastName: "L2", email: "e2@example.com", mobile: "+15555550102" };
      const elsewhere = { account: s.account, region: s.region };
      assert.equal(await store.users.updateIdentityInfo(elsewhere, instanceId, u.id, other, T0 + 20), true);
      got = await store.users.get(s, instanceId, u.id);
      assert.deepEqual(got?.identityInfo, other);
      assert.equal(got?.username, "ident", "other columns untouched");
      assert.deepEqual(got?.securityProfileIds, u.securityProfileIds);

      assert.equal(await store.users.updateIdentityInfo(s, instanceId, newId(), full, T0 + 30), false);
      assert.equal(await store.users.updateIdentityInfo(s, newId(), u.id, full, T0 + 30), false);
      assert.deepEqual((await store.users.get(s, instanceId, u.id))?.identityInfo, other);
    });

    test("lastModifiedTime never decreases when an older time is written", async () => {
      const { s, instanceId } = await withInstance(store);
      const u = userRecord(s, instanceId, "clock");
      await store.users.create(s, u);
      const late = T0 + 5_000_000_000; // beyond 2^32 ms offsets: BIGINT round trip
      assert.equal(await store.users.updateIdentityInfo(s, instanceId, u.id, { firstName: "new" }, late), true);
      assert.equal(await store.users.updateIdentityInfo(s, instanceId, u.id, { firstName: "older" }, T0 + 1), true);
      const got = await store.users.get(s, instanceId, u.id);
      assert.equal(got?.lastModifiedTime, late);
      assert.equal(typeof got?.lastModifiedTime, "number");
      assert.deepEqual(got?.identityInfo, { firstName: "older" }, "the write itself still applies");
    });

    test("counts are numbers", async () => {
      const { s, instanceId } = await withInstance(store);
      assert.equal(typeof (await store.instances.count(s)), "number");
      assert.equal(typeof (await store.users.count(s, instanceId)), "number");
      assert.equal(await store.users.count(s, newId()), 0);
    });

    // ---- scoping ----

    test("the same ids under another account or region are invisible", async () => {
      const { s, instanceId, profiles } = await withInstance(store);
      const u = userRecord(s, instanceId, "scoped");
      await store.users.create(s, u);
      const p = profiles[0] as ProfileRecord;

      for (const o of [
        { account: s.account, region: "eu-central-1" },
        { account: newScope().account, region: s.region },
      ]) {
        assert.equal(await store.instances.get(o, instanceId), undefined);
        assert.equal(await store.instances.count(o), 0);
        assert.deepEqual(await store.instances.list(o, { limit: 10 }), []);
        assert.equal(await store.users.get(o, instanceId, u.id), undefined);
        assert.equal(await store.users.count(o, instanceId), 0);
        assert.deepEqual(await store.users.list(o, instanceId, { limit: 10 }), []);
        assert.equal(await store.users.updateIdentityInfo(o, instanceId, u.id, { firstName: "x" }, T0 + 1), false);
        assert.equal(await store.users.delete(o, instanceId, u.id), false);
        assert.equal(await store.profiles.get(o, instanceId, p.kind, p.id), undefined);
        assert.deepEqual(await store.profiles.list(o, instanceId, "security", { limit: 10 }), []);
        assert.equal(await store.instances.delete(o, instanceId), false);

        // and the same ids can be created there independently
        await store.instances.create(o, instanceRecord(o, instanceId), [{ ...p, lastModifiedRegion: o.region }]);
        await store.users.create(o, { ...u, identityInfo: { firstName: "twin" } });
        assert.deepEqual((await store.users.get(o, instanceId, u.id))?.identityInfo, { firstName: "twin" });
      }
      assert.deepEqual(plain(await store.users.get(s, instanceId, u.id)), plain(u), "the original is untouched");
      assert.equal(await store.users.count(s, instanceId), 1);
    });

    // ---- concurrency ----

    test("20 parallel updateIdentityInfo on one user → exactly one writer's info, never a mix", async () => {
      const { s, instanceId } = await withInstance(store);
      const u = userRecord(s, instanceId, "contended");
      await store.users.create(s, u);
      const infos: IdentityInfo[] = Array.from({ length: 20 }, (_, i) =>
        i % 2 === 0
          ? {
              firstName: `f${i}`,
              lastName: `l${i}`,
              email: `e${i}@example.com`,
              secondaryEmail: `s${i}@example.com`,
              mobile: `+1555555${1000 + i}`,
            }
          : { firstName: `f${i}`, email: `e${i}@example.com` },
      );
      const results = await Promise.all(infos.map((info, i) => store.users.updateIdentityInfo(s, instanceId, u.id, info, T0 + 1 + i)));
      assert.deepEqual(
        results,
        infos.map(() => true),
      );
      const got = await store.users.get(s, instanceId, u.id);
      assert.ok(
        infos.some((info) => isDeepStrictEqual(got?.identityInfo, info)),
        `final identity ${JSON.stringify(got?.identityInfo)} is one writer's`,
      );
      assert.equal(got?.lastModifiedTime, T0 + 20, "the newest time wins regardless of commit order");
    });

    test("10 parallel creates of the same username → exactly one succeeds", async () => {
      const { s, instanceId } = await withInstance(store);
      const variants = ["racer", "Racer", "RACER", "racer", "rAcer", "racer", "raceR", "racer", "RaCeR", "racer"];
      const settled = await Promise.allSettled(variants.map((name) => store.users.create(s, userRecord(s, instanceId, name))));
      const ok = settled.filter((r) => r.status === "fulfilled");
      const failed = settled.filter((r): r is PromiseRejectedResult => r.status === "rejected");
      assert.equal(ok.length, 1, `exactly one create succeeds: ${JSON.stringify(settled.map((r) => r.status))}`);
      for (const f of failed) assert.ok(f.reason instanceof UniqueViolation, `UniqueViolation, got ${String(f.reason)}`);
      assert.equal(await store.users.count(s, instanceId), 1);
    });

    test("writes racing transactions that roll back are never lost", async () => {
      const { s, instanceId } = await withInstance(store);
      const ops: Promise<unknown>[] = [];
      for (let i = 0; i < 10; i++) {
        // inserts the instance and one profile, then fails on the second: rolled back
        const bad = newId();
        const twins = [profileRecord(s, bad, "security", "Same"), profileRecord(s, bad, "security", "Same")];
        ops.push(assert.rejects(store.instances.create(s, instanceRecord(s, bad), twins), UniqueViolation));
        ops.push(store.users.create(s, userRecord(s, instanceId, `writer${i}`)));
      }
      await Promise.all(ops);
      assert.equal(await store.users.count(s, instanceId), 10);
      assert.equal(await store.instances.count(s), 1);
    });

    test("parallel instance creates in one scope all land", async () => {
      const s = newScope();
      const ids = Array.from({ length: 10 }, newId);
      await Promise.all(ids.map((id) => store.instances.create(s, instanceRecord(s, id), defaultProfiles(s, id))));
      assert.equal(await store.instances.count(s), 10);
      for (const id of ids) assert.equal((await store.profiles.list(s, id, "security", { limit: 10 })).length, SECURITY_NAMES.length);
    });

    // ---- schema ----

    test("migrate() again is a no-op", async (t) => {
      const driver = h.driver;
      if (!driver) return t.skip("not a SQL store");
      const { s, instanceId } = await withInstance(store);
      const rowsBefore = await driver.all<{ version: number; applied_at: number }>(
        "SELECT version, applied_at FROM schema_migrations ORDER BY version",
      );
      assert.deepEqual(
        rowsBefore.map((r) => Number(r.version)),
        MIGRATIONS.map((m) => m.version),
      );
      await driver.migrate(MIGRATIONS);
      await driver.migrate(MIGRATIONS);
      if (h.connect) {
        const again = h.connect();
        await SqlStore.open(again);
        await again.close();
      }
      const afterRows = await driver.all<{ version: number; applied_at: number }>(
        "SELECT version, applied_at FROM schema_migrations ORDER BY version",
      );
      assert.deepEqual(afterRows, rowsBefore);
      assert.ok(await store.instances.get(s, instanceId), "data survives");
    });

    test("a database from a newer Switchboard (schema version 999) → SchemaTooNew", async (t) => {
      if (!h.driver) return t.skip("not a SQL store");
      const own = await open(); // its own database: this one becomes unusable
      try {
        const driver = own.driver as SqlDriver;
        await driver.run("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", [999, "from the future", T0]);
        const expected = (err: unknown) => {
          assert.ok(err instanceof SchemaTooNew, `SchemaTooNew, got ${String(err)}`);
          assert.match(err.message, /schema version 999/);
          assert.match(err.message, new RegExp(`up to version ${LATEST_SCHEMA_VERSION}\\b`));
          assert.match(err.message, /Upgrade Switchboard/);
          return true;
        };
        await assert.rejects(SqlStore.open(driver), expected);
        if (own.connect) {
          const fresh = own.connect();
          try {
            await assert.rejects(SqlStore.open(fresh), expected);
          } finally {
            await fresh.close();
          }
        }
      } finally {
        await own.cleanup();
      }
    });
  });
}

contract("SQLite (file)", openSqliteFile);
contract("SQLite (:memory:)", openSqliteMemory);
contract("PostgreSQL", openPostgres, SKIP_PG ? { skip: "SWITCHBOARD_SKIP_PG=1" } : {});

// ---- PostgreSQL only ---------------------------------------------------------------------------

describe("PostgreSQL driver", { skip: SKIP_PG ? "SWITCHBOARD_SKIP_PG=1" : false }, () => {
  test("two pools migrating one fresh schema concurrently: both succeed, each version applied once", async () => {
    const schema = newSchemaName();
    const a = await reachablePostgres(schema);
    const b = new PostgresDriver({ url: PG_URL, schema });
    try {
      const [sa, sb] = await Promise.all([SqlStore.open(a), SqlStore.open(b)]);
      const rows = await a.all<{ version: number; n: number }>(
        "SELECT version, COUNT(*) AS n FROM schema_migrations GROUP BY version ORDER BY version",
      );
      assert.deepEqual(
        rows,
        MIGRATIONS.map((m) => ({ version: m.version, n: 1 })),
      );
      // both stores work on the one schema
      const s = newScope();
      const id = newId();
      await sa.instances.create(s, instanceRecord(s, id), []);
      assert.ok(await sb.instances.get(s, id));
    } finally {
      await a.close();
      await b.close();
      await dropSchema(schema);
    }
  });

  test('TEXT columns are COLLATE "C" (byte order whatever the database collation)', async () => {
    const schema = newSchemaName();
    const d = await reachablePostgres(schema);
    try {
      await SqlStore.open(d);
      const rows = await d.all<{ table_name: string; column_name: string; collation_name: string | null }>(
        `SELECT table_name, column_name, collation_name FROM information_schema.columns
          WHERE table_schema = ? AND table_name IN ('instances', 'users', 'profiles') AND data_type = 'text'`,
        [schema],
      );
      assert.ok(rows.length >= 20);
      for (const r of rows) assert.equal(r.collation_name, "C", `${r.table_name}.${r.column_name}`);
      // and comparisons follow it: in most locales 'a' < 'B'; in byte order 'B' < 'a'
      const cmp = await d.get<{ lt: boolean }>("SELECT (? COLLATE \"C\") < 'a' AS lt", ["B"]);
      assert.equal(cmp?.lt, true);
    } finally {
      await d.close();
      await dropSchema(schema);
    }
  });

  test("an unreachable server → StoreUnavailable fast; health reports it", async () => {
    const d = new PostgresDriver({ url: "postgres://postgres@127.0.0.1:1/test", connectTimeoutMs: 1000 });
    const store = await (async () => {
      try {
        return await SqlStore.open(d);
      } catch (err) {
        assert.ok(err instanceof StoreUnavailable, `StoreUnavailable, got ${String(err)}`);
        return undefined;
      }
    })();
    assert.equal(store, undefined);
    const t0 = Date.now();
    await assert.rejects(d.get("SELECT 1"), StoreUnavailable);
    await assert.rejects(d.run("SELECT 1"), StoreUnavailable);
    await assert.rejects(
      d.tx(async () => 1),
      StoreUnavailable,
    );
    await assert.rejects(d.ping(), StoreUnavailable);
    assert.ok(Date.now() - t0 < 2000, "fails fast");
    await d.close();
  });

  test("connections killed by the server: no crash, StoreUnavailable at most, then recovery", async () => {
    const schema = newSchemaName();
    const app = `sb_kill_${process.pid}_${randomBytes(3).toString("hex")}`;
    const url = `${PG_URL}${PG_URL.includes("?") ? "&" : "?"}application_name=${app}`;
    const d = new PostgresDriver({ url, schema, poolSize: 4 });
    const admin = await reachablePostgres(schema);
    try {
      const store = await SqlStore.open(d);
      const s = newScope();
      // fill the pool with idle connections, and hold one inside a transaction
      await Promise.all(Array.from({ length: 4 }, () => store.instances.count(s)));
      let release = () => {};
      const held = new Promise<void>((r) => {
        release = r;
      });
      const inTx = d.tx(async (q) => {
        await q.get("SELECT 1 AS one");
        await held;
        return q.get("SELECT 1 AS one");
      });
      await new Promise((r) => setTimeout(r, 50));
      const killed = await admin.all<{ pid: number }>(
        "SELECT pg_terminate_backend(pid) AS ok, pid FROM pg_stat_activity WHERE application_name = ?",
        [app],
      );
      assert.ok(killed.length >= 1, "some connections were killed");
      await new Promise((r) => setTimeout(r, 100));
      release();
      await assert.rejects(inTx, StoreUnavailable, "a transaction on a killed connection");

      let ok = false;
      for (let i = 0; i < 10 && !ok; i++) {
        try {
          assert.equal(await store.instances.count(s), 0);
          ok = true;
        } catch (err) {
          assert.ok(err instanceof StoreUnavailable, `StoreUnavailable, got ${String(err)}`);
        }
      }
      assert.ok(ok, "the pool recovered");
      const id = newId();
      await store.instances.create(s, instanceRecord(s, id), defaultProfiles(s, id));
      assert.equal((await store.health()).ok, true);
    } finally {
      await d.close();
      await admin.close();
      await dropSchema(schema);
    }
  });

  test("a statement timeout → StoreUnavailable, and the connection stays usable", async () => {
    const schema = newSchemaName();
    const d = await reachablePostgres(schema);
    const slow = new PostgresDriver({ url: PG_URL, schema, poolSize: 1, statementTimeoutMs: 200 });
    try {
      await assert.rejects(slow.get("SELECT pg_sleep(2)"), StoreUnavailable);
      assert.deepEqual(await slow.get("SELECT 1 AS one"), { one: 1 });
    } finally {
      await slow.close();
      await d.close();
      await dropSchema(schema);
    }
  });
});
