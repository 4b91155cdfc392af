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
import { chainHash, GENESIS_HASH } from "../../src/store/audit-chain.js";
import { PostgresDriver } from "../../src/store/postgres/pg-driver.js";
import type {
  AuditEventDraft,
  AuditEventRecord,
  IamAccessKeyRecord,
  IamPrincipalRecord,
  IdentityInfo,
  InstanceRecord,
  OutboxMessageRecord,
  ProfileKind,
  ProfileRecord,
  RevertTokenRecord,
  UserRecord,
} from "../../src/store/records.js";
import type { SqlDriver } from "../../src/store/sql/driver.js";
import { LATEST_SCHEMA_VERSION, MIGRATIONS, SchemaTooNew } from "../../src/store/sql/migrations.js";
import { SqlStore } from "../../src/store/sql/sql-store.js";
import { SqliteDriver } from "../../src/store/sqlite/sqlite-driver.js";
import { type Store, StoreUnavailable, UniqueViolation } from "../../src/store/store.js";
import { type RemoteSpec, type RemoteStore, spawnStore } from "./remote-store.js";

// ---- harness ---------------------------------------------------------------------------------

interface Opened {
  store: Store;
  cleanup(): Promise<void>;
  /** the driver under store, for the schema cases (SQL engines only) */
  driver?: SqlDriver;
  /** a new driver on the same database (absent for ":memory:"); the caller closes it */
  connect?: () => SqlDriver;
  /** how another process opens the same database (absent for ":memory:") */
  remote?: RemoteSpec;
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
    remote: { engine: "sqlite", file },
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
    remote: { engine: "postgres", url: PG_URL, schema },
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

// ---- fixtures: audit, IAM, outbox ---------------------------------------------------------------

/** An audit event; callers give it an account (or event name) of its own so cases stay apart. */
function auditDraft(fields: Partial<AuditEventDraft> & Pick<AuditEventDraft, "account">): AuditEventDraft {
  return {
    eventId: newId(),
    eventTime: T0,
    region: REGION,
    eventName: "CreateUser",
    record: {
      eventVersion: "1.08",
      eventSource: "connect.amazonaws.com",
      requestParameters: { username: "Émile 😀", list: [1, "two", null, true, { b: 2, a: 1 }] },
    },
    ...fields,
  };
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Asserts that events continue the chain whose head is `from`: seqs contiguous, each linked and hashed. */
function assertChain(events: readonly AuditEventRecord[], from: { seq: number; hash: string }): void {
  let prev = from;
  for (const e of events) {
    assert.equal(e.seq, prev.seq + 1, `seq ${e.seq} follows ${prev.seq}`);
    assert.equal(e.prevHash, prev.hash, `event ${e.seq} links to the previous hash`);
    assert.equal(e.hash, chainHash(e.prevHash, e), `event ${e.seq}'s hash is chainHash(prevHash, event)`);
    prev = e;
  }
}

/** The whole chain of a store, checked from genesis. */
async function wholeChain(store: Store): Promise<AuditEventRecord[]> {
  const chain = await store.audit.chain(0, 10_000);
  assertChain(chain, { seq: 0, hash: GENESIS_HASH });
  return chain;
}

const bySeq = (a: { seq: number }, b: { seq: number }) => a.seq - b.seq;

function iamPrincipal(account: string, name: string, tags: Record<string, string> = {}): IamPrincipalRecord {
  return { account, name, arn: `arn:aws:iam::${account}:user/${name}`, tags, createdTime: T0 };
}

function accessKey(p: IamPrincipalRecord, sessionToken?: string): IamAccessKeyRecord {
  const k: IamAccessKeyRecord = {
    accessKeyId: `AKIA${randomBytes(8).toString("hex").toUpperCase()}`,
    secretAccessKey: randomBytes(20).toString("base64"),
    account: p.account,
    principalName: p.name,
    status: "Active",
    createdTime: T0 + 1,
  };
  if (sessionToken !== undefined) k.sessionToken = sessionToken;
  return k;
}

function outboxMessage(fields: Partial<OutboxMessageRecord> = {}): OutboxMessageRecord {
  const s = newScope();
  return {
    id: newId(),
    createdTime: T0,
    account: s.account,
    region: s.region,
    kind: "email-changed",
    recipient: "old@example.com",
    subject: "Your email address was changed",
    body: "If this was not you, follow the link to undo it: https://…/revert?token=…",
    status: "pending",
    attempts: 0,
    nextAttemptTime: T0,
    ...fields,
  };
}

function revertToken(s: Scope, instanceId: string, userId: string): RevertTokenRecord {
  return {
    tokenHash: randomBytes(32).toString("hex"),
    account: s.account,
    region: s.region,
    instanceId,
    userId,
    previous: { firstName: "Old", email: "old@example.com" },
    createdTime: T0,
    expiresTime: T0 + 7 * 86_400_000,
  };
}

/** Settles a promise into its value or its rejection reason. */
const outcome = <T>(p: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> =>
  p.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );

// ---- the contract ----------------------------------------------------------------------------

type Engine = "sqlite-file" | "sqlite-memory" | "postgres";

function contract(name: string, open: () => Promise<Opened>, options: { engine: Engine; skip?: string }): void {
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

    /** A store on a database of its own (an empty audit chain, an empty outbox), cleaned up after fn. */
    const fresh = async <T>(fn: (own: Opened) => Promise<T>): Promise<T> => {
      const own = await open();
      try {
        return await fn(own);
      } finally {
        await own.cleanup();
      }
    };
    /** A store in another process on own's database, closed after fn. */
    const withRemote = async <T>(own: Opened, fn: (remote: RemoteStore) => Promise<T>): Promise<T> => {
      assert.ok(own.remote, "a database another process can open");
      const remote = await spawnStore(own.remote);
      try {
        return await fn(remote);
      } finally {
        await remote.close();
      }
    };
    const noSecondConnection = options.engine === "sqlite-memory" ? "an in-memory database has one connection only" : false;

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

    // ---- users.lockForUpdate ----

    test("users.lockForUpdate returns id, instance, username, identity and time; undefined when missing or out of scope", async () => {
      const { s, instanceId } = await withInstance(store);
      const info: IdentityInfo = {
        firstName: "Lock",
        lastName: "Smith",
        email: "lock@example.com",
        secondaryEmail: "lock2@example.com",
        mobile: "+15555550111",
      };
      const u = userRecord(s, instanceId, "Locked.User", info);
      u.lastModifiedTime = T0 + 5_000_000_000;
      u.tags = { not: "returned" };
      await store.users.create(s, u);
      const bare = userRecord(s, instanceId, "bare");
      await store.users.create(s, bare);
      const expected = { id: u.id, instanceId, username: "Locked.User", identityInfo: info, lastModifiedTime: T0 + 5_000_000_000 };

      // exactly these keys (strict deepEqual), outside a transaction and inside one
      assert.deepEqual(await store.users.lockForUpdate(s, instanceId, u.id), expected);
      assert.deepEqual(await store.users.lockForUpdate(s, instanceId, bare.id), {
        id: bare.id,
        instanceId,
        username: "bare",
        identityInfo: {},
        lastModifiedTime: T0,
      });
      const otherInstance = newId();
      await store.instances.create(s, instanceRecord(s, otherInstance), []);
      const missing: [Scope, string, string][] = [
        [s, instanceId, newId()],
        [s, newId(), u.id],
        [s, otherInstance, u.id],
        [{ account: s.account, region: "eu-central-1" }, instanceId, u.id],
        [{ account: newScope().account, region: s.region }, instanceId, u.id],
      ];
      for (const [scope, inst, id] of missing) assert.equal(await store.users.lockForUpdate(scope, inst, id), undefined);

      await store.atomically(async (tx) => {
        assert.deepEqual(await tx.users.lockForUpdate(s, instanceId, u.id), expected);
        for (const [scope, inst, id] of missing) assert.equal(await tx.users.lockForUpdate(scope, inst, id), undefined);
        assert.equal(await tx.users.updateIdentityInfo(s, instanceId, u.id, { firstName: "Relocked" }, T0 + 6_000_000_000), true);
        assert.deepEqual(await tx.users.lockForUpdate(s, instanceId, u.id), {
          ...expected,
          identityInfo: { firstName: "Relocked" },
          lastModifiedTime: T0 + 6_000_000_000,
        });
      });
      const after = await store.users.lockForUpdate(s, instanceId, u.id);
      assert.equal(typeof after?.lastModifiedTime, "number");
      assert.deepEqual(after?.identityInfo, { firstName: "Relocked" });
    });

    test("10 concurrent read-modify-writes through lockForUpdate in atomically → no lost update", async () => {
      const { s, instanceId } = await withInstance(store);
      const u = userRecord(s, instanceId, "counter", { firstName: "0", lastName: "Count" });
      await store.users.create(s, u);
      await Promise.all(
        range(1, 10).map((i) =>
          store.atomically(async (tx) => {
            const locked = await tx.users.lockForUpdate(s, instanceId, u.id);
            assert.ok(locked);
            const n = Number(locked.identityInfo.firstName);
            await new Promise((r) => setTimeout(r, 2)); // give an unlocked reader the chance to read the same n
            assert.equal(
              await tx.users.updateIdentityInfo(s, instanceId, u.id, { ...locked.identityInfo, firstName: String(n + 1) }, T0 + i),
              true,
            );
          }),
        ),
      );
      const got = await store.users.get(s, instanceId, u.id);
      assert.deepEqual(got?.identityInfo, { firstName: "10", lastName: "Count" });
      assert.equal(got?.lastModifiedTime, T0 + 10);
    });

    // ---- instances.listScopes ----

    test("instances.listScopes: the distinct (account, region) pairs holding an instance, ordered", async () => {
      const [lo, hi] = [newScope().account, newScope().account].sort(byteOrder) as [string, string];
      const placed: [Scope, string][] = [
        [{ account: hi, region: "us-west-2" }, newId()],
        [{ account: lo, region: "us-west-2" }, newId()],
        [{ account: lo, region: "eu-central-1" }, newId()],
        [{ account: lo, region: "us-west-2" }, newId()], // a second instance in one scope: still one scope
        [{ account: hi, region: "ap-southeast-2" }, newId()],
      ];
      for (const [scope, id] of placed) await store.instances.create(scope, instanceRecord(scope, id), []);

      assert.deepEqual(await store.instances.listScopes(lo), [
        { account: lo, region: "eu-central-1" },
        { account: lo, region: "us-west-2" },
      ]);
      assert.deepEqual(await store.instances.listScopes(hi), [
        { account: hi, region: "ap-southeast-2" },
        { account: hi, region: "us-west-2" },
      ]);
      const all = await store.instances.listScopes();
      assert.deepEqual(
        all.filter((x) => x.account === lo || x.account === hi),
        [
          { account: lo, region: "eu-central-1" },
          { account: lo, region: "us-west-2" },
          { account: hi, region: "ap-southeast-2" },
          { account: hi, region: "us-west-2" },
        ],
      );
      for (let i = 1; i < all.length; i++) {
        const [a, b] = [all[i - 1], all[i]] as [Scope, Scope];
        const cmp = byteOrder(a.account, b.account) || byteOrder(a.region, b.region);
        assert.ok(cmp < 0, `ordered and distinct: ${JSON.stringify(a)} before ${JSON.stringify(b)}`);
      }
      assert.deepEqual(await store.instances.listScopes(newScope().account), []);

      // a scope is listed while it holds an instance
      const [, hiAp] = placed[4] as [Scope, string];
      assert.equal(await store.instances.delete({ account: hi, region: "ap-southeast-2" }, hiAp), true);
      assert.deepEqual(await store.instances.listScopes(hi), [{ account: hi, region: "us-west-2" }]);
      const [, loWest] = placed[1] as [Scope, string];
      assert.equal(await store.instances.delete({ account: lo, region: "us-west-2" }, loWest), true);
      assert.deepEqual(
        (await store.instances.listScopes(lo)).map((x) => x.region),
        ["eu-central-1", "us-west-2"],
      );
    });

    // ---- atomically ----

    test("atomically commits every write of fn together, returns its value; reads inside see its own writes", async () => {
      const s = newScope();
      const instanceId = newId();
      const inst = instanceRecord(s, instanceId);
      const profiles = defaultProfiles(s, instanceId);
      const u = userRecord(s, instanceId, "tx.user", { email: "tx@example.com" });
      const msg = outboxMessage({ account: s.account, region: s.region });
      const token = revertToken(s, instanceId, u.id);
      const principal = iamPrincipal(s.account, "tx-admin");
      const draft = auditDraft({ account: s.account, targetUserId: u.id });
      const rev0 = await store.iam.revision();
      const head0 = await store.audit.head();
      // another connection sees none of it before the COMMIT (":memory:" has no other connection)
      const peer = h.connect ? await SqlStore.open(h.connect()) : undefined;
      try {
        const result = await store.atomically(async (tx) => {
          await tx.instances.create(s, inst, profiles);
          await tx.users.create(s, u);
          const event = await tx.audit.append(draft);
          await tx.outbox.enqueue(msg);
          await tx.outbox.putRevertToken(token);
          await tx.iam.putPrincipal(principal);

          assert.deepEqual(plain(await tx.instances.get(s, instanceId)), plain(inst));
          assert.deepEqual(await tx.instances.listScopes(s.account), [s]);
          assert.equal((await tx.profiles.list(s, instanceId, "security", { limit: 10 })).length, SECURITY_NAMES.length);
          assert.deepEqual(plain(await tx.users.get(s, instanceId, u.id)), plain(u));
          assert.equal(await tx.users.count(s, instanceId), 1);
          assert.equal((await tx.users.lockForUpdate(s, instanceId, u.id))?.username, "tx.user");
          assert.deepEqual(await tx.audit.head(), { seq: event.seq, hash: event.hash });
          assert.deepEqual(plain(await tx.audit.list({ account: s.account, order: "asc", limit: 10 })), plain([event]));
          assert.deepEqual(
            (await tx.outbox.list("pending")).filter((m) => m.id === msg.id),
            [msg],
          );
          assert.deepEqual(await tx.outbox.getRevertToken(token.tokenHash), token);
          assert.deepEqual(await tx.iam.getPrincipal(s.account, principal.name), principal);
          assert.equal(await tx.iam.revision(), rev0 + 1);

          if (peer) {
            assert.equal(await peer.instances.get(s, instanceId), undefined, "uncommitted: invisible elsewhere");
            assert.equal(await peer.users.get(s, instanceId, u.id), undefined);
            assert.deepEqual(await peer.audit.head(), head0);
            assert.equal((await peer.outbox.list()).filter((m) => m.id === msg.id).length, 0);
            assert.equal(await peer.outbox.getRevertToken(token.tokenHash), undefined);
            assert.equal(await peer.iam.getPrincipal(s.account, principal.name), undefined);
            assert.equal(await peer.iam.revision(), rev0);
          }
          return { event, answer: 42 };
        });

        assert.equal(result.answer, 42);
        assert.equal(result.event.seq, head0.seq + 1);
        assert.equal(result.event.prevHash, head0.hash);
        for (const st of peer ? [store, peer] : [store]) {
          assert.deepEqual(plain(await st.instances.get(s, instanceId)), plain(inst));
          assert.deepEqual(plain(await st.users.get(s, instanceId, u.id)), plain(u));
          assert.deepEqual(await st.audit.head(), { seq: result.event.seq, hash: result.event.hash });
          assert.deepEqual(plain(await st.audit.list({ account: s.account, order: "asc", limit: 10 })), plain([result.event]));
          assert.deepEqual(
            (await st.outbox.list()).filter((m) => m.id === msg.id),
            [msg],
          );
          assert.deepEqual(await st.outbox.getRevertToken(token.tokenHash), token);
          assert.deepEqual(await st.iam.getPrincipal(s.account, principal.name), principal);
          assert.equal(await st.iam.revision(), rev0 + 1);
        }
      } finally {
        await peer?.close();
      }
    });

    test("a throw inside atomically rolls back every write (instance, user, audit event, outbox, token, IAM) and rethrows it", async () => {
      const s = newScope();
      const instanceId = newId();
      const u = userRecord(s, instanceId, "doomed");
      const msg = outboxMessage({ account: s.account, region: s.region });
      const token = revertToken(s, instanceId, u.id);
      const principal = iamPrincipal(s.account, "doomed-admin");
      const rev0 = await store.iam.revision();
      const head0 = await store.audit.head();
      const writeAll = async (tx: Store) => {
        await tx.instances.create(s, instanceRecord(s, instanceId), defaultProfiles(s, instanceId));
        await tx.users.create(s, u);
        const event = await tx.audit.append(auditDraft({ account: s.account, targetUserId: u.id }));
        await tx.outbox.enqueue(msg);
        await tx.outbox.putRevertToken(token);
        await tx.iam.putPrincipal(principal);
        await tx.iam.putAccessKey(accessKey(principal));
        return event;
      };
      const boom = new Error("boom");
      await assert.rejects(
        store.atomically(async (tx) => {
          const event = await writeAll(tx);
          assert.equal(event.seq, head0.seq + 1);
          assert.ok(await tx.users.get(s, instanceId, u.id), "visible inside before the throw");
          throw boom;
        }),
        (err) => err === boom,
      );

      assert.equal(await store.instances.get(s, instanceId), undefined);
      assert.equal(await store.instances.count(s), 0);
      assert.deepEqual(await store.instances.listScopes(s.account), []);
      assert.deepEqual(await store.profiles.list(s, instanceId, "security", { limit: 10 }), []);
      assert.equal(await store.users.get(s, instanceId, u.id), undefined);
      assert.deepEqual(await store.audit.head(), head0, "the head did not move");
      assert.deepEqual(await store.audit.list({ account: s.account, order: "asc", limit: 10 }), []);
      assert.deepEqual(await store.audit.chain(head0.seq, 10), []);
      assert.equal((await store.outbox.list()).filter((m) => m.id === msg.id).length, 0);
      assert.equal(await store.outbox.getRevertToken(token.tokenHash), undefined);
      assert.equal(await store.iam.getPrincipal(s.account, principal.name), undefined);
      assert.deepEqual(await store.iam.listAccessKeys(s.account, principal.name), []);
      assert.equal(await store.iam.revision(), rev0, "the IAM revision bumps rolled back too");

      // nothing half-done blocks the same writes now, and the chain goes on from the old head
      const event = await store.atomically(writeAll);
      assert.equal(event.seq, head0.seq + 1);
      assert.equal(event.prevHash, head0.hash);
      assert.ok(await store.users.get(s, instanceId, u.id));
      assert.equal(await store.iam.revision(), rev0 + 2);
    });

    test("a store error inside atomically that propagates rolls back the earlier writes", async () => {
      const { s, instanceId } = await withInstance(store);
      const a = userRecord(s, instanceId, "first");
      const head0 = await store.audit.head();
      await assert.rejects(
        store.atomically(async (tx) => {
          await tx.users.create(s, a);
          await tx.audit.append(auditDraft({ account: s.account }));
          await tx.users.create(s, userRecord(s, instanceId, "FIRST"));
        }),
        UniqueViolation,
      );
      assert.equal(await store.users.get(s, instanceId, a.id), undefined);
      assert.deepEqual(await store.audit.head(), head0);
    });

    test("nested atomically joins the outer transaction", async () => {
      const { s, instanceId } = await withInstance(store);
      const [a, b, c, d] = ["nested.a", "nested.b", "nested.c", "nested.d"].map((n) => userRecord(s, instanceId, n)) as [
        UserRecord,
        UserRecord,
        UserRecord,
        UserRecord,
      ];
      const eventName = `Nested-${newId()}`;

      const value = await store.atomically(async (tx) => {
        await tx.users.create(s, a);
        const inner = await tx.atomically(async (tx2) => {
          assert.ok(await tx2.users.get(s, instanceId, a.id), "the inner one sees the outer one's writes");
          await tx2.users.create(s, b);
          return "inner";
        });
        assert.ok(await tx.users.get(s, instanceId, b.id), "the outer one sees the inner one's writes");
        return `${inner}+outer`;
      });
      assert.equal(value, "inner+outer");
      assert.ok(await store.users.get(s, instanceId, a.id));
      assert.ok(await store.users.get(s, instanceId, b.id));

      // the inner one returned, the outer one throws: the inner one's writes go too
      const late = new Error("outer fails after the inner one returned");
      await assert.rejects(
        store.atomically(async (tx) => {
          await tx.atomically(async (tx2) => {
            await tx2.users.create(s, c);
            await tx2.audit.append(auditDraft({ account: s.account, eventName }));
          });
          throw late;
        }),
        (err) => err === late,
      );
      assert.equal(await store.users.get(s, instanceId, c.id), undefined);
      assert.deepEqual(await store.audit.list({ eventName, order: "asc", limit: 10 }), []);

      // the inner one throws and the outer one lets it through: all of it goes
      const early = new Error("inner fails");
      await assert.rejects(
        store.atomically(async (tx) => {
          await tx.users.create(s, d);
          await tx.atomically(async () => {
            throw early;
          });
        }),
        (err) => err === early,
      );
      assert.equal(await store.users.get(s, instanceId, d.id), undefined);
      assert.equal(await store.users.count(s, instanceId), 2);
    });

    test("atomically never resolves without committing: a store error caught inside fn", async () => {
      const { s, instanceId } = await withInstance(store);
      const kept = userRecord(s, instanceId, "kept");
      const result = await outcome(
        store.atomically(async (tx) => {
          await tx.users.create(s, kept);
          await assert.rejects(tx.users.create(s, userRecord(s, instanceId, "KEPT")), UniqueViolation);
          return "resolved";
        }),
      );
      if (result.ok) {
        assert.ok(await store.users.get(s, instanceId, kept.id), "atomically resolved, so its writes must be committed");
      } else {
        assert.equal(await store.users.get(s, instanceId, kept.id), undefined, "atomically rejected, so nothing may be committed");
      }

      // with a write after the caught error
      const later = userRecord(s, instanceId, "later");
      const other = userRecord(s, instanceId, "other");
      const second = await outcome(
        store.atomically(async (tx) => {
          await tx.users.create(s, other);
          await assert.rejects(tx.users.create(s, userRecord(s, instanceId, "OTHER")), UniqueViolation);
          await tx.users.create(s, later);
          return "resolved";
        }),
      );
      const present = [await store.users.get(s, instanceId, other.id), await store.users.get(s, instanceId, later.id)].map(Boolean);
      assert.deepEqual(present, second.ok ? [true, true] : [false, false], JSON.stringify(second));
    });

    test("instances.create failing inside atomically (error caught, fn resolves) leaves no half-created instance", async () => {
      const s = newScope();
      const id = newId();
      const twins = [profileRecord(s, id, "security", "Same"), profileRecord(s, id, "security", "Same")];
      await outcome(
        store.atomically(async (tx) => {
          await assert.rejects(tx.instances.create(s, instanceRecord(s, id), twins), UniqueViolation);
        }),
      );
      assert.equal(await store.instances.get(s, id), undefined, "no half-created instance");
      assert.equal(await store.profiles.get(s, id, "security", twins[0]?.id ?? ""), undefined);
      assert.deepEqual(await store.instances.listScopes(s.account), []);
    });

    test("audit.append failing inside atomically (error caught, fn resolves) leaves no gap in the chain", async () => {
      await fresh(async (own) => {
        const st = own.store;
        const s = newScope();
        const first = await st.audit.append(auditDraft({ account: s.account }));
        await outcome(
          st.atomically(async (tx) => {
            await assert.rejects(tx.audit.append({ ...auditDraft({ account: s.account }), eventId: first.eventId }), UniqueViolation);
            return tx.audit.append(auditDraft({ account: s.account })); // a later append in the same transaction
          }),
        );
        await st.audit.append(auditDraft({ account: s.account }));
        const chain = await st.audit.chain(0, 100);
        assertChain(chain, { seq: 0, hash: GENESIS_HASH });
        const last = chain[chain.length - 1] as AuditEventRecord;
        assert.deepEqual(await st.audit.head(), { seq: last.seq, hash: last.hash });
      });
    });

    test("20 concurrent atomically, each creating a user and appending its audit event: all commit, one linear chain", async () => {
      await fresh(async (own) => {
        const st = own.store;
        const { s, instanceId } = await withInstance(st);
        const users = range(0, 19).map((i) => userRecord(s, instanceId, `parallel${i}`));
        const events = await Promise.all(
          users.map((u, i) =>
            st.atomically(async (tx) => {
              await tx.users.create(s, u);
              return tx.audit.append(auditDraft({ account: s.account, targetUserId: u.id, eventTime: T0 + i }));
            }),
          ),
        );
        assert.equal(await st.users.count(s, instanceId), 20);
        for (const u of users) assert.ok(await st.users.get(s, instanceId, u.id));
        const chain = await wholeChain(st);
        assert.deepEqual(
          chain.map((e) => e.seq),
          range(1, 20),
        );
        assert.deepEqual(plain(chain), plain([...events].sort(bySeq)));
        assert.deepEqual(chain.map((e) => e.targetUserId).sort(), users.map((u) => u.id).sort());
        const last = chain[19] as AuditEventRecord;
        assert.deepEqual(await st.audit.head(), { seq: 20, hash: last.hash });
      });
    });

    test("10 concurrent atomically where every odd one throws after writing: exactly the even ones' writes remain", async () => {
      // On SQLite these share one group COMMIT, each in its own SAVEPOINT.
      await fresh(async (own) => {
        const st = own.store;
        const { s, instanceId } = await withInstance(st);
        const users = range(0, 9).map((i) => userRecord(s, instanceId, `member${i}`));
        const messages = range(0, 9).map(() => outboxMessage({ account: s.account, region: s.region }));
        const tokens = users.map((u) => revertToken(s, instanceId, u.id));
        const settled = await Promise.allSettled(
          range(0, 9).map((i) =>
            st.atomically(async (tx) => {
              const u = users[i] as UserRecord;
              await tx.users.create(s, u);
              await tx.audit.append(auditDraft({ account: s.account, targetUserId: u.id }));
              await tx.outbox.enqueue(messages[i] as OutboxMessageRecord);
              await tx.outbox.putRevertToken(tokens[i] as RevertTokenRecord);
              await tx.iam.putPrincipal(iamPrincipal(s.account, `member${i}`));
              if (i % 2 === 1) throw new Error(`odd ${i}`);
              return i;
            }),
          ),
        );
        assert.deepEqual(
          settled.map((r) => (r.status === "fulfilled" ? r.value : (r.reason as Error).message)),
          range(0, 9).map((i) => (i % 2 === 0 ? i : `odd ${i}`)),
        );
        const even = (_: unknown, i: number) => i % 2 === 0;
        const present = async (u: UserRecord) => (await st.users.get(s, instanceId, u.id)) !== undefined;
        assert.deepEqual(
          await Promise.all(users.map(present)),
          range(0, 9).map((i) => i % 2 === 0),
        );
        assert.equal(await st.users.count(s, instanceId), 5);
        assert.deepEqual(
          (await st.outbox.list()).map((m) => m.id).sort(),
          messages
            .filter(even)
            .map((m) => m.id)
            .sort(),
        );
        for (const [i, t] of tokens.entries()) assert.equal((await st.outbox.getRevertToken(t.tokenHash)) !== undefined, i % 2 === 0);
        assert.deepEqual(
          (await st.iam.listPrincipals(s.account)).map((p) => p.name),
          ["member0", "member2", "member4", "member6", "member8"],
        );
        const chain = await wholeChain(st);
        assert.deepEqual(
          chain.map((e) => e.seq),
          range(1, 5),
        );
        assert.deepEqual(
          chain.map((e) => e.targetUserId).sort(),
          users
            .filter(even)
            .map((u) => u.id)
            .sort(),
        );
        assert.equal(await st.iam.revision(), 5);
      });
    });

    // ---- audit ----

    test("audit record: committed with the caller's transaction, linked into the chain before anyone reads it", async () => {
      await fresh(async (own) => {
        const st = own.store;
        const s = newScope();
        const kept = auditDraft({ account: s.account, eventTime: T0 + 1 });
        const doomed = auditDraft({ account: s.account, eventTime: T0 + 2, eventName: "Doomed" });
        await st.atomically(async (tx) => tx.audit.record(kept));
        await assert.rejects(
          st.atomically(async (tx) => {
            await tx.audit.record(doomed);
            throw new Error("boom");
          }),
          /boom/,
        );
        // 20 concurrent writers recording, as the pipeline does for every mutating call.
        const many = range(1, 20).map((i) => auditDraft({ account: s.account, eventTime: T0 + 10 + i }));
        await Promise.all(many.map((d) => st.atomically(async (tx) => tx.audit.record(d))));
        const chain = await st.audit.chain(0, 100);
        assertChain(chain, { seq: 0, hash: GENESIS_HASH });
        assert.deepEqual(
          new Set(chain.map((e) => e.eventId)),
          new Set([kept.eventId, ...many.map((d) => d.eventId)]),
          "every committed event, no rolled-back one",
        );
        const head = await st.audit.head();
        assert.deepEqual(head, { seq: chain.length, hash: chain[chain.length - 1]?.hash });
        assert.equal(await st.audit.linkPending(), 0, "nothing left to link");
        const listed = await st.audit.list({ account: s.account, order: "asc", limit: 100 });
        assert.equal(listed.length, 21);
      });
    });

    test("audit append: seq 1, 2, 3…, prevHash links from GENESIS, hash = chainHash; head and chain follow", async () => {
      await fresh(async (own) => {
        const st = own.store;
        assert.deepEqual(await st.audit.head(), { seq: 0, hash: GENESIS_HASH });
        assert.deepEqual(await st.audit.chain(0, 10), []);
        const s = newScope();
        const drafts = range(1, 5).map((i) =>
          auditDraft({
            account: s.account,
            eventTime: T0 + 5_000_000_000 + i,
            eventName: i % 2 ? "CreateUser" : "UpdateUserIdentityInfo",
            ...(i === 2 ? { principalArn: `arn:aws:iam::${s.account}:user/admin`, targetUserId: newId(), errorCode: "AccessDenied" } : {}),
          }),
        );
        const appended: AuditEventRecord[] = [];
        let prev = { seq: 0, hash: GENESIS_HASH };
        for (const d of drafts) {
          const e = await st.audit.append(d);
          assert.deepEqual(
            plain(e),
            plain({ ...d, seq: prev.seq + 1, prevHash: prev.hash, hash: chainHash(prev.hash, { ...d, seq: prev.seq + 1 }) }),
          );
          assert.deepEqual(await st.audit.head(), { seq: e.seq, hash: e.hash });
          appended.push(e);
          prev = e;
        }
        assert.equal(appended[0]?.prevHash, GENESIS_HASH);
        assert.match(appended[0]?.hash ?? "", /^[0-9a-f]{64}$/);

        const chain = await wholeChain(st);
        assert.deepEqual(plain(chain), plain(appended), "stored = returned, optional fields absent when not given");
        assert.equal(typeof chain[0]?.eventTime, "number");
        assert.equal(chain[0]?.eventTime, T0 + 5_000_000_001);
        assert.deepEqual(
          (await st.audit.chain(2, 2)).map((e) => e.seq),
          [3, 4],
        );
        assert.deepEqual(
          (await st.audit.chain(4, 100)).map((e) => e.seq),
          [5],
        );
        assert.deepEqual(await st.audit.chain(5, 100), []);
        assert.deepEqual(await st.audit.chain(0, 0), []);
      });
    });

    test("audit list filters: since/until, eventName, principalArn, targetUserId, account, region, afterSeq/beforeSeq, order, limit", async () => {
      const s = newScope();
      const tag = newId().slice(0, 8);
      const [alice, bob] = [`arn:aws:iam::${s.account}:user/alice-${tag}`, `arn:aws:iam::${s.account}:user/bob-${tag}`];
      const [target1, target2] = [newId(), newId()];
      const [create, update] = [`CreateUser-${tag}`, `UpdateUserIdentityInfo-${tag}`];
      const specs: Partial<AuditEventDraft>[] = [
        { eventName: create, principalArn: alice, targetUserId: target1, region: "us-west-2" },
        { eventName: update, principalArn: alice, targetUserId: target1, region: "us-west-2" },
        { eventName: update, principalArn: bob, targetUserId: target2, region: "eu-central-1", errorCode: "AccessDenied" },
        { eventName: create, principalArn: bob, targetUserId: target2, region: "us-west-2" },
        { eventName: update, region: "eu-central-1" },
        { eventName: create, principalArn: alice, region: "us-west-2" },
      ];
      const events: AuditEventRecord[] = [];
      for (const [i, spec] of specs.entries()) {
        events.push(await store.audit.append(auditDraft({ account: s.account, eventTime: T0 + 1000 * i, ...spec })));
      }
      const other = await store.audit.append(auditDraft({ account: newScope().account, eventName: create, principalArn: alice }));
      const seqs = (rows: AuditEventRecord[]) => rows.map((e) => e.seq);
      const at = (...idx: number[]) => idx.map((i) => (events[i] as AuditEventRecord).seq);
      const list = (f: Partial<Parameters<Store["audit"]["list"]>[0]>) =>
        store.audit.list({ account: s.account, order: "asc", limit: 100, ...f });

      assert.deepEqual(plain(await list({})), plain(events));
      assert.deepEqual(seqs(await list({ order: "desc" })), at(5, 4, 3, 2, 1, 0));
      assert.deepEqual(seqs(await list({ limit: 2 })), at(0, 1));
      assert.deepEqual(seqs(await list({ order: "desc", limit: 2 })), at(5, 4));
      assert.deepEqual(seqs(await list({ since: T0 + 2000 })), at(2, 3, 4, 5), "since is inclusive");
      assert.deepEqual(seqs(await list({ until: T0 + 2000 })), at(0, 1), "until is exclusive");
      assert.deepEqual(seqs(await list({ since: T0 + 1000, until: T0 + 4000 })), at(1, 2, 3));
      assert.deepEqual(seqs(await list({ eventName: update })), at(1, 2, 4));
      assert.deepEqual(seqs(await list({ principalArn: bob })), at(2, 3));
      assert.deepEqual(seqs(await list({ targetUserId: target1 })), at(0, 1));
      assert.deepEqual(seqs(await list({ region: "eu-central-1" })), at(2, 4));
      assert.deepEqual(seqs(await list({ eventName: create, principalArn: alice, region: "us-west-2" })), at(0, 5));
      assert.deepEqual(seqs(await list({ eventName: `Nothing-${tag}` })), []);
      // without an account filter: every account's events
      assert.deepEqual(seqs(await store.audit.list({ principalArn: alice, order: "asc", limit: 100 })), [...at(0, 1, 5), other.seq]);
      assert.deepEqual(seqs(await store.audit.list({ eventName: create, account: other.account, order: "asc", limit: 100 })), [other.seq]);
      // keyset paging
      assert.deepEqual(seqs(await list({ afterSeq: at(2)[0] })), at(3, 4, 5));
      assert.deepEqual(seqs(await list({ beforeSeq: at(2)[0], order: "desc" })), at(1, 0));
      assert.deepEqual(seqs(await list({ afterSeq: at(0)[0], beforeSeq: at(4)[0] })), at(1, 2, 3));
      for (const order of ["asc", "desc"] as const) {
        const paged: AuditEventRecord[] = [];
        let cursor: number | undefined;
        for (;;) {
          const page = await list({
            order,
            limit: 2,
            ...(cursor === undefined ? {} : order === "asc" ? { afterSeq: cursor } : { beforeSeq: cursor }),
          });
          paged.push(...page);
          if (page.length < 2) break;
          cursor = page[page.length - 1]?.seq;
        }
        assert.deepEqual(seqs(paged), order === "asc" ? at(0, 1, 2, 3, 4, 5) : at(5, 4, 3, 2, 1, 0), order);
      }
      // every stored row is intact
      for (const e of await list({})) assert.equal(e.hash, chainHash(e.prevHash, e));
      const e2 = (await list({})).find((e) => e.seq === at(2)[0]);
      assert.equal(e2?.errorCode, "AccessDenied");
      assert.equal((await list({})).find((e) => e.seq === at(4)[0])?.principalArn, undefined);
    });

    test("30 concurrent appends (Promise.all): seqs 1..30 unique and contiguous, no fork", async () => {
      await fresh(async (own) => {
        const st = own.store;
        const s = newScope();
        const events = await Promise.all(range(1, 30).map((i) => st.audit.append(auditDraft({ account: s.account, eventTime: T0 + i }))));
        assert.deepEqual(
          events.map((e) => e.seq).sort((x, y) => x - y),
          range(1, 30),
        );
        const chain = await wholeChain(st);
        assert.equal(chain.length, 30);
        assert.deepEqual(plain(chain), plain([...events].sort(bySeq)));
        assert.equal(new Set(chain.map((e) => e.prevHash)).size, 30, "no two events link to the same predecessor");
        assert.deepEqual(await st.audit.head(), { seq: 30, hash: chain[29]?.hash });
      });
    });

    test("30 concurrent appends from two stores in this process on one database: one linear chain", {
      // A process opens a SQLite file once: its group commit holds the write lock across a turn of the
      // event loop, so a second connection in the same process waits on it synchronously. Two
      // processes on one file are covered by the next case.
      skip: noSecondConnection || options.engine === "sqlite-file",
    }, async () => {
      await fresh(async (own) => {
        const second = await SqlStore.open((own.connect as () => SqlDriver)());
        try {
          const s = newScope();
          const n = 15;
          const events = await Promise.all(
            range(1, n).flatMap((i) => [
              own.store.audit.append(auditDraft({ account: s.account, eventTime: T0 + i })),
              second.audit.append(auditDraft({ account: s.account, eventTime: T0 + 100 + i })),
            ]),
          );
          const chain = await wholeChain(own.store);
          assert.deepEqual(
            chain.map((e) => e.seq),
            range(1, 2 * n),
          );
          assert.deepEqual(plain(chain), plain([...events].sort(bySeq)));
          assert.deepEqual(await second.audit.head(), await own.store.audit.head());
        } finally {
          await second.close();
        }
      });
    });

    test("30 concurrent appends from two processes on one database: one linear chain", { skip: noSecondConnection }, async () => {
      await fresh(async (own) =>
        withRemote(own, async (remote) => {
          const s = newScope();
          const events = await Promise.all(
            range(1, 15).flatMap((i) => [
              own.store.audit.append(auditDraft({ account: s.account, eventTime: T0 + i })),
              remote.audit.append(auditDraft({ account: s.account, eventTime: T0 + 100 + i })),
            ]),
          );
          const chain = await wholeChain(own.store);
          assert.deepEqual(
            chain.map((e) => e.seq),
            range(1, 30),
          );
          assert.deepEqual(plain(chain), plain([...events].sort(bySeq)));
          assert.deepEqual(await remote.audit.head(), await own.store.audit.head());
        }),
      );
    });

    test("an append inside an atomically that throws (or an append that fails) leaves no event and does not move the head", async () => {
      await fresh(async (own) => {
        const st = own.store;
        const s = newScope();
        const first = await st.audit.append(auditDraft({ account: s.account }));
        const second = await st.audit.append(auditDraft({ account: s.account }));
        const head = { seq: second.seq, hash: second.hash };

        await assert.rejects(
          st.atomically(async (tx) => {
            const e = await tx.audit.append(auditDraft({ account: s.account, eventName: "Doomed" }));
            assert.equal(e.seq, 3);
            assert.deepEqual(await tx.audit.head(), { seq: 3, hash: e.hash });
            throw new Error("rolled back");
          }),
          /rolled back/,
        );
        assert.deepEqual(await st.audit.head(), head);
        assert.deepEqual(await st.audit.list({ eventName: "Doomed", order: "asc", limit: 10 }), []);

        // a duplicate eventId fails the append itself: rolled back as a whole
        await assert.rejects(st.audit.append({ ...auditDraft({ account: s.account }), eventId: first.eventId }), UniqueViolation);
        assert.deepEqual(await st.audit.head(), head);

        const third = await st.audit.append(auditDraft({ account: s.account }));
        assert.equal(third.seq, 3);
        assert.equal(third.prevHash, second.hash);
        assert.equal((await wholeChain(st)).length, 3);
      });
    });

    // ---- iam ----

    test("iam principals, access keys and policies: put/get/list/delete; deleting a principal cascades", async () => {
      const account = newScope().account;
      let rev = await store.iam.revision();
      assert.equal(typeof rev, "number");
      /** every write bumps the revision; reads do not */
      const wrote = async () => {
        const next = await store.iam.revision();
        assert.ok(next > rev, `revision ${next} > ${rev} after a write`);
        rev = next;
      };
      const unchanged = async () => assert.equal(await store.iam.revision(), rev, "a read does not bump the revision");

      const bob = iamPrincipal(account, "bob", { team: "a" });
      const alice = iamPrincipal(account, "Alice");
      const carol = iamPrincipal(account, "carol");
      for (const p of [bob, alice, carol]) {
        await store.iam.putPrincipal(p);
        await wrote();
      }
      assert.deepEqual(await store.iam.getPrincipal(account, "bob"), bob);
      assert.equal(await store.iam.getPrincipal(account, "BOB"), undefined);
      assert.equal(await store.iam.getPrincipal(newScope().account, "bob"), undefined);
      assert.deepEqual(await store.iam.listPrincipals(account), [alice, bob, carol], "ordered by name, byte order");
      assert.deepEqual(await store.iam.listPrincipals(newScope().account), []);
      const everyone = await store.iam.listPrincipals();
      assert.deepEqual(
        everyone.filter((p) => p.account === account),
        [alice, bob, carol],
      );
      for (let i = 1; i < everyone.length; i++) {
        const [a, b] = [everyone[i - 1], everyone[i]] as [IamPrincipalRecord, IamPrincipalRecord];
        assert.ok((byteOrder(a.account, b.account) || byteOrder(a.name, b.name)) < 0, "ordered by account, name");
      }
      await unchanged();

      // put overwrites
      const bob2 = { ...bob, arn: `arn:aws:iam::${account}:user/eng/bob`, tags: { team: "b", on: "call" } };
      await store.iam.putPrincipal(bob2);
      await wrote();
      const gotBob = await store.iam.getPrincipal(account, "bob");
      assert.equal(gotBob?.arn, bob2.arn);
      assert.deepEqual(gotBob?.tags, bob2.tags);
      assert.equal((await store.iam.listPrincipals(account)).length, 3);

      // access keys
      const k1 = accessKey(bob, "session-token-1");
      const k2 = accessKey(bob);
      const kc = accessKey(carol);
      for (const k of [k1, k2, kc]) {
        await store.iam.putAccessKey(k);
        await wrote();
      }
      assert.deepEqual(await store.iam.getAccessKey(k1.accessKeyId), k1);
      assert.deepEqual(await store.iam.getAccessKey(k2.accessKeyId), k2, "no sessionToken key when there is none");
      assert.equal(await store.iam.getAccessKey(`AKIA${newId()}`), undefined);
      assert.deepEqual(
        await store.iam.listAccessKeys(account, "bob"),
        [k1, k2].sort((a, b) => byteOrder(a.accessKeyId, b.accessKeyId)),
      );
      assert.deepEqual(await store.iam.listAccessKeys(account, "carol"), [kc]);
      assert.deepEqual(await store.iam.listAccessKeys(account, "Alice"), []);
      await unchanged();
      const k1b: IamAccessKeyRecord = { ...k1, secretAccessKey: "rotated-secret", status: "Inactive" };
      delete k1b.sessionToken;
      await store.iam.putAccessKey(k1b);
      await wrote();
      const gotK1 = await store.iam.getAccessKey(k1.accessKeyId);
      assert.equal(gotK1?.secretAccessKey, "rotated-secret");
      assert.equal(gotK1?.status, "Inactive");
      assert.equal(gotK1?.sessionToken, undefined);
      assert.equal((await store.iam.listAccessKeys(account, "bob")).length, 2);
      assert.equal(await store.iam.deleteAccessKey(k2.accessKeyId), true);
      await wrote();
      assert.equal(await store.iam.getAccessKey(k2.accessKeyId), undefined);
      assert.equal(await store.iam.deleteAccessKey(k2.accessKeyId), false);
      rev = await store.iam.revision();

      // policies
      const doc = (action: string) =>
        JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: action, Resource: "*" }] });
      const polB = { account, principalName: "bob", policyName: "b-users", document: doc("connect:*User*") };
      const polA = { account, principalName: "bob", policyName: "A-read", document: doc("connect:Describe*") };
      const polC = { account, principalName: "carol", policyName: "c-all", document: doc("connect:*") };
      for (const p of [polB, polA, polC]) {
        await store.iam.putPolicy(p);
        await wrote();
      }
      assert.deepEqual(await store.iam.listPolicies(account, "bob"), [polA, polB], "ordered by policy name");
      const polA2 = { ...polA, document: `${doc("connect:List*")}\n` };
      await store.iam.putPolicy(polA2);
      await wrote();
      assert.deepEqual(await store.iam.listPolicies(account, "bob"), [polA2, polB], "put overwrites, the document as written");
      assert.equal(await store.iam.deletePolicy(account, "bob", "b-users"), true);
      await wrote();
      assert.deepEqual(await store.iam.listPolicies(account, "bob"), [polA2]);
      assert.equal(await store.iam.deletePolicy(account, "bob", "b-users"), false);
      assert.deepEqual(await store.iam.listPolicies(account, "Alice"), []);
      rev = await store.iam.revision();
      await unchanged();

      // deleting a principal takes its keys and policies, and nobody else's
      assert.equal(await store.iam.deletePrincipal(account, "bob"), true);
      await wrote();
      assert.equal(await store.iam.getPrincipal(account, "bob"), undefined);
      assert.equal(await store.iam.getAccessKey(k1.accessKeyId), undefined);
      assert.deepEqual(await store.iam.listAccessKeys(account, "bob"), []);
      assert.deepEqual(await store.iam.listPolicies(account, "bob"), []);
      assert.deepEqual(await store.iam.listAccessKeys(account, "carol"), [kc]);
      assert.deepEqual(await store.iam.listPolicies(account, "carol"), [polC]);
      assert.equal(await store.iam.deletePrincipal(account, "bob"), false);
      // the name is free again, with no keys or policies left over
      await store.iam.putPrincipal(bob);
      assert.deepEqual(await store.iam.listAccessKeys(account, "bob"), []);
      assert.deepEqual(await store.iam.listPolicies(account, "bob"), []);
      assert.deepEqual(
        (await store.iam.listPrincipals(account)).map((p) => p.name),
        ["Alice", "bob", "carol"],
      );
    });

    test("iam revision: bumped by every write, not by reads", async () => {
      const account = newScope().account;
      const p = iamPrincipal(account, "rev");
      const k = accessKey(p);
      const writes: [string, () => Promise<unknown>][] = [
        ["putPrincipal", () => store.iam.putPrincipal(p)],
        ["putPrincipal again", () => store.iam.putPrincipal(p)],
        ["putAccessKey", () => store.iam.putAccessKey(k)],
        ["putAccessKey again", () => store.iam.putAccessKey({ ...k, status: "Inactive" })],
        ["putPolicy", () => store.iam.putPolicy({ account, principalName: "rev", policyName: "p", document: "{}" })],
        ["deletePolicy", () => store.iam.deletePolicy(account, "rev", "p")],
        ["deleteAccessKey", () => store.iam.deleteAccessKey(k.accessKeyId)],
        ["deletePrincipal", () => store.iam.deletePrincipal(account, "rev")],
      ];
      let rev = await store.iam.revision();
      for (const [what, write] of writes) {
        await write();
        const next = await store.iam.revision();
        assert.ok(next > rev, `${what}: ${next} > ${rev}`);
        rev = next;
      }
      await store.iam.getPrincipal(account, "rev");
      await store.iam.listPrincipals();
      await store.iam.getAccessKey(k.accessKeyId);
      await store.iam.listAccessKeys(account, "rev");
      await store.iam.listPolicies(account, "rev");
      assert.equal(await store.iam.revision(), rev);
      // 10 concurrent writes: 10 bumps
      await Promise.all(range(1, 10).map((i) => store.iam.putPrincipal(iamPrincipal(account, `c${i}`))));
      assert.equal(await store.iam.revision(), rev + 10);
    });

    test("iam revision: a write by another process is seen here (what tells running servers to reload)", {
      skip: noSecondConnection,
    }, async () => {
      await fresh(async (own) =>
        withRemote(own, async (remote) => {
          const account = newScope().account;
          const rev0 = await own.store.iam.revision();
          const p = iamPrincipal(account, "remote-admin", { via: "other node" });
          await remote.iam.putPrincipal(p);
          const rev1 = await own.store.iam.revision();
          assert.ok(rev1 > rev0, `${rev1} > ${rev0}`);
          assert.deepEqual(await own.store.iam.getPrincipal(account, p.name), p);
          await Promise.all([
            own.store.iam.putPolicy({ account, principalName: p.name, policyName: "here", document: "{}" }),
            remote.iam.putPolicy({ account, principalName: p.name, policyName: "there", document: "{}" }),
          ]);
          assert.equal(await own.store.iam.revision(), rev1 + 2, "no bump lost between the two");
          assert.equal(await remote.iam.revision(), rev1 + 2);
          assert.equal(await remote.iam.deletePrincipal(account, p.name), true);
          assert.deepEqual(await own.store.iam.listPolicies(account, p.name), []);
          assert.ok((await own.store.iam.revision()) > rev1 + 2);
        }),
      );
    });

    // ---- outbox ----

    test("outbox enqueue and list(status): round trip, ordered by created time then id", async () => {
      const s = newScope();
      const ids = [newId(), newId()].sort(byteOrder) as [string, string];
      const messages = [
        outboxMessage({ account: s.account, createdTime: T0 + 2, id: ids[1], nextAttemptTime: T0 + 5_000_000_000 }),
        outboxMessage({ account: s.account, createdTime: T0 + 2, id: ids[0], status: "sent", attempts: 1, sentTime: T0 + 3 }),
        outboxMessage({ account: s.account, createdTime: T0 + 1, status: "failed", attempts: 8, lastError: "550 mailbox unavailable" }),
      ];
      for (const m of messages) await store.outbox.enqueue(m);
      const mine = (rows: OutboxMessageRecord[]) => rows.filter((m) => m.account === s.account);
      const [late, sent, failed] = messages as [OutboxMessageRecord, OutboxMessageRecord, OutboxMessageRecord];
      assert.deepEqual(mine(await store.outbox.list()), [failed, sent, late]);
      assert.deepEqual(mine(await store.outbox.list("pending")), [late]);
      assert.deepEqual(mine(await store.outbox.list("sent")), [sent]);
      assert.deepEqual(mine(await store.outbox.list("failed")), [failed]);
      assert.equal(typeof mine(await store.outbox.list())[2]?.nextAttemptTime, "number");
      await assert.rejects(store.outbox.enqueue(late), UniqueViolation, "the id is the key");
    });

    test("outbox claimDue: due pending messages only, leased (another claim gets none) until the lease ends", async () => {
      await fresh(async (own) => {
        const st = own.store;
        const now = T0 + 1_000_000;
        const due = range(1, 4).map((i) => outboxMessage({ nextAttemptTime: now - 10 * i, createdTime: T0 + i }));
        const exactlyNow = outboxMessage({ nextAttemptTime: now });
        const lease = 60_000;
        const future = outboxMessage({ nextAttemptTime: now + 10 * lease });
        const sent = outboxMessage({ nextAttemptTime: now - 100, status: "sent", attempts: 1, sentTime: now - 50 });
        const failed = outboxMessage({ nextAttemptTime: now - 100, status: "failed", attempts: 5, lastError: "gave up" });
        for (const m of [...due, exactlyNow, future, sent, failed]) await st.outbox.enqueue(m);

        const first = await st.outbox.claimDue(now, lease, 3);
        assert.deepEqual(first, [due[3], due[2], due[1]], "the most overdue first, up to limit");
        const second = await st.outbox.claimDue(now, lease, 10);
        assert.deepEqual(
          second.map((m) => m.id),
          [due[0]?.id, exactlyNow.id],
          "the rest of what is due; not the claimed, the future, the sent or the failed",
        );
        const claimed = [...first, ...second].map((m) => m.id);
        assert.deepEqual(await st.outbox.claimDue(now + 1, lease, 10), [], "everything due is leased");
        assert.deepEqual(await st.outbox.claimDue(now + lease - 1, lease, 10), [], "… until the lease ends");
        assert.deepEqual(
          (await st.outbox.list("pending")).map((m) => m.id).sort(),
          [...claimed, future.id].sort(),
          "a claim does not change the status",
        );

        const expired = await st.outbox.claimDue(now + lease + 1, lease, 10);
        assert.deepEqual(
          expired.map((m) => m.id).sort(),
          [...claimed].sort(),
          "after the lease: claimable again (the future one is not due yet)",
        );
        assert.deepEqual(await st.outbox.claimDue(now + lease + 2, lease, 10), []);
        assert.deepEqual(await st.outbox.claimDue(now + lease, lease, 0), [], "limit 0");
      });
    });

    test("outbox lease holds across stores: another process's claimDue gets none of a leased message", {
      skip: noSecondConnection,
    }, async () => {
      await fresh(async (own) =>
        withRemote(own, async (remote) => {
          const now = T0 + 2_000_000;
          const messages = range(1, 5).map((i) => outboxMessage({ nextAttemptTime: now - i }));
          for (const m of messages) await own.store.outbox.enqueue(m);
          const mine = await own.store.outbox.claimDue(now, 30_000, 3);
          assert.equal(mine.length, 3);
          const theirs = await remote.outbox.claimDue(now + 10, 30_000, 10);
          assert.deepEqual(
            theirs.map((m) => m.id).sort(),
            messages
              .map((m) => m.id)
              .filter((id) => !mine.some((m) => m.id === id))
              .sort(),
            "only the unclaimed ones",
          );
          assert.deepEqual(await remote.outbox.claimDue(now + 20, 30_000, 10), []);
          assert.deepEqual(await own.store.outbox.claimDue(now + 20, 30_000, 10), []);
          const again = await remote.outbox.claimDue(now + 30_001, 30_000, 10);
          assert.deepEqual(again.map((m) => m.id).sort(), mine.map((m) => m.id).sort(), "mine expired; theirs (claimed later) not yet");
        }),
      );
    });

    test("outbox markSent and markAttemptFailed (pending: next attempt time respected; gave up: failed)", async () => {
      await fresh(async (own) => {
        const st = own.store;
        const now = T0 + 3_000_000;
        const [a, b, c] = range(1, 3).map((i) => outboxMessage({ nextAttemptTime: now - i, createdTime: T0 + i })) as [
          OutboxMessageRecord,
          OutboxMessageRecord,
          OutboxMessageRecord,
        ];
        for (const m of [a, b, c]) await st.outbox.enqueue(m);
        assert.equal((await st.outbox.claimDue(now, 60_000, 10)).length, 3);

        await st.outbox.markSent(a.id, now + 5);
        await st.outbox.markAttemptFailed(b.id, "421 try again later", now + 120_000, false);
        await st.outbox.markAttemptFailed(c.id, "550 no such user", now + 1, true);

        const byId = new Map((await st.outbox.list()).map((m) => [m.id, m]));
        assert.deepEqual(byId.get(a.id), { ...a, status: "sent", attempts: 1, sentTime: now + 5 });
        assert.deepEqual(byId.get(b.id), {
          ...b,
          status: "pending",
          attempts: 1,
          lastError: "421 try again later",
          nextAttemptTime: now + 120_000,
        });
        assert.deepEqual(byId.get(c.id), { ...c, status: "failed", attempts: 1, lastError: "550 no such user", nextAttemptTime: now + 1 });
        assert.deepEqual(
          (await st.outbox.list("failed")).map((m) => m.id),
          [c.id],
        );
        assert.deepEqual(
          (await st.outbox.list("sent")).map((m) => m.id),
          [a.id],
        );

        // the failed attempt ended b's lease, but it is not due before its next attempt time
        assert.deepEqual(await st.outbox.claimDue(now + 120_000 - 1, 60_000, 10), []);
        const retry = await st.outbox.claimDue(now + 120_000, 60_000, 10);
        assert.deepEqual(retry, [byId.get(b.id)], "due again at its next attempt time; sent and failed never");
        await st.outbox.markAttemptFailed(b.id, "421 still later", now + 300_000, false);
        assert.deepEqual(await st.outbox.claimDue(now + 299_999, 60_000, 10), []);
        const third = await st.outbox.claimDue(now + 300_000, 60_000, 10);
        assert.equal(third[0]?.attempts, 2);
        assert.equal(third[0]?.lastError, "421 still later");
        await st.outbox.markSent(b.id, now + 300_001);
        assert.deepEqual(await st.outbox.claimDue(now + 10_000_000, 60_000, 10), []);
        assert.deepEqual(await st.outbox.list("pending"), []);
        const doneB = (await st.outbox.list("sent")).find((m) => m.id === b.id);
        assert.equal(doneB?.attempts, 3);
        assert.equal(doneB?.sentTime, now + 300_001);
      });
    });

    test("outbox: concurrent claimDue (one store) never returns one message twice", async () => {
      await fresh(async (own) => {
        const st = own.store;
        const now = T0 + 4_000_000;
        // many share one next attempt time: ties in the claim order
        const messages = range(1, 40).map((i) => outboxMessage({ nextAttemptTime: now - (i % 4) }));
        for (const m of messages) await st.outbox.enqueue(m);
        const seen: string[] = [];
        for (let round = 0; round < 20 && seen.length < 40; round++) {
          const batches = await Promise.all(range(1, 6).map(() => st.outbox.claimDue(now + round, 60_000, 3)));
          for (const b of batches) seen.push(...b.map((m) => m.id));
        }
        assert.equal(new Set(seen).size, seen.length, "no message claimed twice");
        assert.deepEqual([...seen].sort(), messages.map((m) => m.id).sort(), "every message claimed once");
      });
    });

    test("outbox: concurrent claimDue from two processes never returns one message twice", { skip: noSecondConnection }, async () => {
      await fresh(async (own) =>
        withRemote(own, async (remote) => {
          const now = T0 + 5_000_000;
          const messages = range(1, 40).map((i) => outboxMessage({ nextAttemptTime: now - (i % 3) }));
          for (const m of messages) await own.store.outbox.enqueue(m);
          const seen: string[] = [];
          for (let round = 0; round < 20 && seen.length < 40; round++) {
            const batches = await Promise.all(
              range(1, 3).flatMap(() => [
                own.store.outbox.claimDue(now + round, 60_000, 3),
                remote.outbox.claimDue(now + round, 60_000, 3),
              ]),
            );
            for (const b of batches) seen.push(...b.map((m) => m.id));
          }
          assert.equal(new Set(seen).size, seen.length, "no message claimed twice");
          assert.deepEqual([...seen].sort(), messages.map((m) => m.id).sort(), "every message claimed once");
        }),
      );
    });

    test("revert tokens: put/get round trip; useRevertToken true once, then false", async () => {
      const { s, instanceId } = await withInstance(store);
      const t = revertToken(s, instanceId, newId());
      await store.outbox.putRevertToken(t);
      assert.deepEqual(await store.outbox.getRevertToken(t.tokenHash), t, "no usedTime while unused");
      assert.equal(await store.outbox.getRevertToken(randomBytes(32).toString("hex")), undefined);
      await assert.rejects(store.outbox.putRevertToken(t), UniqueViolation);

      assert.equal(await store.outbox.useRevertToken(t.tokenHash, T0 + 5_000_000_000), true);
      assert.deepEqual(await store.outbox.getRevertToken(t.tokenHash), { ...t, usedTime: T0 + 5_000_000_000 });
      assert.equal(await store.outbox.useRevertToken(t.tokenHash, T0 + 5_000_000_001), false);
      assert.equal((await store.outbox.getRevertToken(t.tokenHash))?.usedTime, T0 + 5_000_000_000, "the first use stays recorded");
      assert.equal(await store.outbox.useRevertToken(randomBytes(32).toString("hex"), T0), false, "an unknown token");

      const used = { ...revertToken(s, instanceId, newId()), usedTime: T0 + 1 };
      await store.outbox.putRevertToken(used);
      assert.deepEqual(await store.outbox.getRevertToken(used.tokenHash), used);
      assert.equal(await store.outbox.useRevertToken(used.tokenHash, T0 + 2), false, "stored as used");
    });

    test("10 concurrent useRevertToken → exactly one true", async () => {
      const { s, instanceId } = await withInstance(store);
      const t = revertToken(s, instanceId, newId());
      await store.outbox.putRevertToken(t);
      const results = await Promise.all(range(1, 10).map((i) => store.outbox.useRevertToken(t.tokenHash, T0 + i)));
      assert.equal(results.filter(Boolean).length, 1, JSON.stringify(results));
      const winner = results.indexOf(true) + 1;
      assert.equal((await store.outbox.getRevertToken(t.tokenHash))?.usedTime, T0 + winner, "the winner's time");
    });

    test("10 concurrent useRevertToken from two processes → exactly one true", { skip: noSecondConnection }, async () => {
      await fresh(async (own) =>
        withRemote(own, async (remote) => {
          const { s, instanceId } = await withInstance(own.store);
          for (let round = 0; round < 3; round++) {
            const t = revertToken(s, instanceId, newId());
            await own.store.outbox.putRevertToken(t);
            const results = await Promise.all(
              range(1, 5).flatMap((i) => [
                own.store.outbox.useRevertToken(t.tokenHash, T0 + i),
                remote.outbox.useRevertToken(t.tokenHash, T0 + 10 + i),
              ]),
            );
            assert.equal(results.filter(Boolean).length, 1, JSON.stringify(results));
          }
        }),
      );
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

contract("SQLite (file)", openSqliteFile, { engine: "sqlite-file" });
contract("SQLite (:memory:)", openSqliteMemory, { engine: "sqlite-memory" });
contract("PostgreSQL", openPostgres, SKIP_PG ? { engine: "postgres", skip: "SWITCHBOARD_SKIP_PG=1" } : { engine: "postgres" });

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
