// UpdateUserIdentityInfo on PostgreSQL in one statement (UsersRepo.updateIdentityInfoAtOnce,
// src/store/postgres/identity-at-once.ts) against the ordinary path (a transaction of its own
// statements): for every case the same request runs on both, from the same stored identity, and
// they must answer the same (output or the same typed error), leave the same user, and store the
// same audit event — the record's text byte for byte once its ids and time are set aside — with
// the hash chain verifying over both. And the one-statement path is one query per request.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import { verifyChain } from "../../src/audit/verify.js";
import { ServiceError } from "../../src/common/errors.js";
import type { UserIdentityInfo } from "../../src/model/types.gen.js";
import { oldAddressAlert } from "../../src/notify/email-alert.js";
import { IdentityGroups } from "../../src/store/postgres/identity-groups.js";
import { PostgresDriver } from "../../src/store/postgres/pg-driver.js";
import type { IdentityManagementType } from "../../src/store/records.js";
import { SqlStore } from "../../src/store/sql/sql-store.js";
import {
  type IdentityChangeAtOnce,
  type IdentityChangeOutcome,
  type Store,
  StoreUnavailable,
  type UsersRepo,
} from "../../src/store/store.js";
import { HARNESS_SCOPE, type OperationHarness, operationHarness } from "../helpers/operation-harness.js";
import { dropSchema, freshSchemaName, PG_URL, queryPg } from "../helpers/postgres.js";

const SKIP = process.env.SWITCHBOARD_SKIP_PG === "1";

/** The store without the one-statement capability: UpdateUserIdentityInfo then takes its ordinary path. */
function withoutAtOnce(store: Store): Store {
  const users = new Proxy(store.users, {
    get: (target, key) => (key === "updateIdentityInfoAtOnce" ? undefined : Reflect.get(target, key, target)),
  }) as UsersRepo;
  return new Proxy(store, {
    get: (target, key) => {
      if (key === "users") return users;
      const v = Reflect.get(target, key, target);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });
}

/** Queries sent by every pg client of this process while fn runs. */
async function countQueries(fn: () => Promise<unknown>): Promise<{ count: number; texts: string[] }> {
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  const texts: string[] = [];
  proto.query = function (this: unknown, ...args: unknown[]) {
    const first = args[0] as string | { text?: string };
    texts.push(typeof first === "string" ? first : (first.text ?? "?"));
    return original.apply(this, args);
  };
  try {
    await fn().catch(() => {});
  } finally {
    proto.query = original;
  }
  return { count: texts.length, texts };
}

type Columns = {
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  secondary_email: string | null;
  mobile: string | null;
};

interface Case {
  name: string;
  type: IdentityManagementType;
  /** the stored identity before the request (set with SQL: any text a store may hold) */
  stored: Partial<Columns>;
  info: UserIdentityInfo;
  /** ids as the request names them (default: the bare ids) */
  ids?: (instance: { id: string; arn: string }, user: { id: string; arn: string }) => { InstanceId: string; UserId: string };
  /** queries the one-statement harness sends for it: 1 when done at once (+1 for a refusal's event); absent: not checked */
  queries?: number;
}

const NAMES = { first_name: "Ada", last_name: "Lovelace", email: null, secondary_email: null, mobile: null };

const CASES: Case[] = [
  {
    name: "names change (unicode, astral first character)",
    type: "CONNECT_MANAGED",
    stored: { first_name: "Åsa", last_name: "Öberg" },
    info: { FirstName: "𝒜lvar", LastName: "Zoë" },
    queries: 1,
  },
  {
    name: "nothing changes",
    type: "CONNECT_MANAGED",
    stored: { email: "ada@example.com" },
    info: { FirstName: "Ada", LastName: "Lovelace", Email: "ada@example.com" },
    queries: 1,
  },
  {
    name: "omitted members are cleared (nulls), old values of every odd shape masked",
    type: "CONNECT_MANAGED",
    stored: { first_name: '"Q\\uote\n', last_name: "", secondary_email: "@a@b@c.example", mobile: "\u0001+15550100" },
    info: { FirstName: "Ada", LastName: "L@vel@ce" },
    queries: 1,
  },
  {
    name: "an old value that is only '@…'",
    type: "CONNECT_MANAGED",
    stored: { secondary_email: "@example.com", mobile: "+15550100" },
    info: { FirstName: "Ada", LastName: "Lovelace", SecondaryEmail: "sec@example.org", Mobile: "+15550199" },
    queries: 1,
  },
  {
    name: "an e-mail change takes the ordinary path (the old-address alert)",
    type: "CONNECT_MANAGED",
    stored: { email: "old@example.com" },
    info: { FirstName: "Ada", LastName: "Lovelace", Email: "new@example.com" },
  },
  {
    name: "an e-mail set for the first time takes the ordinary path",
    type: "CONNECT_MANAGED",
    stored: {},
    info: { FirstName: "Ada", LastName: "Lovelace", Email: "first@example.com" },
  },
  {
    name: "an e-mail cleared takes the ordinary path",
    type: "CONNECT_MANAGED",
    stored: { email: "old@example.com" },
    info: { FirstName: "Ada", LastName: "Lovelace" },
  },
  {
    name: "EXISTING_DIRECTORY: the directory's members are kept",
    type: "EXISTING_DIRECTORY",
    stored: { first_name: "Dïr", last_name: "Ectory", email: "dir@example.com", mobile: "+15550100" },
    info: { SecondaryEmail: "sec@example.com" },
    queries: 1,
  },
  { name: "EXISTING_DIRECTORY refuses a name", type: "EXISTING_DIRECTORY", stored: {}, info: { FirstName: "No" }, queries: 2 },
  {
    name: "SAML refuses Email",
    type: "SAML",
    stored: {},
    info: { FirstName: "Ada", LastName: "Lovelace", Email: "ada@example.com" },
    queries: 2,
  },
  {
    name: "SAML: names and SecondaryEmail",
    type: "SAML",
    stored: { first_name: "Old" },
    info: { FirstName: "Ada", LastName: "Lovelace", SecondaryEmail: "s@example.com" },
    queries: 1,
  },
  {
    name: "a malformed e-mail on CONNECT_MANAGED",
    type: "CONNECT_MANAGED",
    stored: {},
    info: { FirstName: "Ada", LastName: "Lovelace", SecondaryEmail: "not-an-address" },
    queries: 2,
  },
  {
    name: "a name too long for CONNECT_MANAGED",
    type: "CONNECT_MANAGED",
    stored: {},
    info: { FirstName: "x".repeat(256), LastName: "L" },
    queries: 1, // over the model's own limit (AgentFirstName, 255): refused before the operation, its event only
  },
  {
    name: "no such user",
    type: "CONNECT_MANAGED",
    stored: {},
    info: { FirstName: "Ada", LastName: "Lovelace" },
    ids: (i) => ({ InstanceId: i.id, UserId: "00000000-0000-4000-8000-000000000000" }),
    queries: 2,
  },
  {
    name: "no such user, and a rule broken: the rule's error",
    type: "SAML",
    stored: {},
    info: { Email: "a@example.com" },
    ids: (i) => ({ InstanceId: i.id, UserId: "00000000-0000-4000-8000-000000000000" }),
    queries: 2,
  },
  {
    name: "no such instance",
    type: "CONNECT_MANAGED",
    stored: {},
    info: { FirstName: "Ada", LastName: "Lovelace" },
    ids: (_i, u) => ({ InstanceId: "00000000-0000-4000-8000-00000000dead", UserId: u.id }),
    queries: 2,
  },
  {
    name: "no such instance, and a malformed e-mail: not found",
    type: "CONNECT_MANAGED",
    stored: {},
    info: { FirstName: "Ada", LastName: "Lovelace", Email: "bad" },
    ids: (_i, u) => ({ InstanceId: "00000000-0000-4000-8000-00000000dead", UserId: u.id }),
    queries: 2,
  },
  {
    name: "ARN-form ids",
    type: "CONNECT_MANAGED",
    stored: {},
    info: { FirstName: "Arn", LastName: "Form" },
    ids: (i, u) => ({ InstanceId: i.arn, UserId: u.arn }),
    queries: 1,
  },
  {
    name: "instance ARN, bare user id",
    type: "SAML",
    stored: {},
    info: { FirstName: "Arn", LastName: "Form" },
    ids: (i, u) => ({ InstanceId: i.arn, UserId: u.id }),
    queries: 1,
  },
  {
    name: "a user ARN of another instance",
    type: "CONNECT_MANAGED",
    stored: {},
    info: { FirstName: "Ada", LastName: "Lovelace" },
    ids: (i, u) => ({ InstanceId: i.id, UserId: u.arn.replace(i.id, "00000000-0000-4000-8000-00000000beef") }),
  },
  {
    name: "an instance ARN of another region",
    type: "CONNECT_MANAGED",
    stored: {},
    info: { FirstName: "Ada", LastName: "Lovelace" },
    ids: (i, u) => ({ InstanceId: i.arn.replace("us-east-1", "eu-west-2"), UserId: u.id }),
  },
  {
    name: "a lone surrogate (the ordinary path decides)",
    type: "CONNECT_MANAGED",
    stored: {},
    info: { FirstName: "\ud800x", LastName: "Lovelace" },
  },
  {
    name: "NUL in a name (the ordinary path decides)",
    type: "CONNECT_MANAGED",
    stored: {},
    info: { FirstName: "a\u0000b", LastName: "Lovelace" },
  },
];

/** The record's text with what differs between two runs of one request (ids, time) set aside. */
/** One instance of each identity management type, with its first security and routing profile. */
async function identityInstances(
  harness: OperationHarness,
  aliasPrefix: string,
): Promise<Map<IdentityManagementType, { id: string; arn: string; sp: string; rp: string }>> {
  const made = new Map<IdentityManagementType, { id: string; arn: string; sp: string; rp: string }>();
  for (const type of ["CONNECT_MANAGED", "SAML", "EXISTING_DIRECTORY"] as const) {
    const inst = await harness.run("CreateInstance", {
      IdentityManagementType: type,
      ...(type === "EXISTING_DIRECTORY"
        ? { DirectoryId: "d-0123456789" }
        : { InstanceAlias: `${aliasPrefix}-${type.toLowerCase().replace(/_/g, "-")}` }),
      InboundCallsEnabled: true,
      OutboundCallsEnabled: true,
    });
    const id = inst.Id as string;
    const sp = await harness.run("ListSecurityProfiles", { InstanceId: id });
    const rp = await harness.run("ListRoutingProfiles", { InstanceId: id });
    made.set(type, {
      id,
      arn: inst.Arn as string,
      sp: sp.SecurityProfileSummaryList?.[0]?.Id as string,
      rp: rp.RoutingProfileSummaryList?.[0]?.Id as string,
    });
  }
  return made;
}

const comparable = (text: string) =>
  text
    .replace(/"eventID":"[^"]*"/, '"eventID":"-"')
    .replace(/"requestID":"[^"]*"/, '"requestID":"-"')
    .replace(/"eventTime":"[^"]*"/, '"eventTime":"-"');

describe("UpdateUserIdentityInfo at once on PostgreSQL = the ordinary path", { skip: SKIP }, () => {
  const schema = freshSchemaName("atonce");
  let store: SqlStore;
  let fast: OperationHarness;
  let ordinary: OperationHarness;
  const instances = new Map<IdentityManagementType, { id: string; arn: string }>();
  const users = new Map<IdentityManagementType, { id: string; arn: string }>();

  before(async () => {
    store = await SqlStore.open(new PostgresDriver({ url: PG_URL, schema, poolSize: 4 }));
    const subscribers = [oldAddressAlert({ revertTtlMs: 3_600_000, publicUrl: "http://127.0.0.1:1" })];
    fast = await operationHarness({ store, subscribers });
    ordinary = await operationHarness({ store: withoutAtOnce(store), subscribers });
    for (const [type, { id, arn, sp, rp }] of await identityInstances(fast, "sb-atonce")) {
      instances.set(type, { id, arn });
      const user = await fast.run("CreateUser", {
        InstanceId: id,
        Username: `atonce${type.length}`,
        ...(type === "CONNECT_MANAGED" ? { Password: "Corr3ct-Horse" } : {}),
        ...(type === "EXISTING_DIRECTORY" ? {} : { IdentityInfo: { FirstName: "Ada", LastName: "Lovelace" } }),
        PhoneConfig: { PhoneType: "SOFT_PHONE", AutoAccept: true, AfterContactWorkTimeLimit: 30 },
        SecurityProfileIds: [sp],
        RoutingProfileId: rp,
      });
      users.set(type, { id: user.UserId as string, arn: user.UserArn as string });
    }
  });
  after(async () => {
    await store?.close();
    await dropSchema(schema);
  });

  async function setStored(type: IdentityManagementType, stored: Partial<Columns>): Promise<void> {
    const c = { ...NAMES, ...stored };
    const user = users.get(type);
    assert.ok(user);
    await queryPg(
      "UPDATE users SET first_name = $1, last_name = $2, email = $3, secondary_email = $4, mobile = $5 WHERE id = $6",
      [c.first_name, c.last_name, c.email, c.secondary_email, c.mobile, user.id],
      { schema },
    );
  }

  /** Runs the case on one harness from the stored identity: what it answered, stored and recorded. */
  async function runCase(h: OperationHarness, c: Case) {
    await setStored(c.type, c.stored);
    const instance = instances.get(c.type);
    const user = users.get(c.type);
    assert.ok(instance && user);
    const ids = c.ids ? c.ids(instance, user) : { InstanceId: instance.id, UserId: user.id };
    const seqBefore = (await store.audit.head()).seq;
    const outboxBefore = (await store.outbox.list()).length;
    let answer: unknown;
    const queries = await countQueries(async () => {
      try {
        answer = { ok: await h.run("UpdateUserIdentityInfo", { ...ids, IdentityInfo: c.info }) };
      } catch (err) {
        answer = err instanceof ServiceError ? { code: err.code, message: err.message, status: err.status } : { thrown: String(err) };
      }
    });
    await store.audit.head(); // links what was recorded
    const events = await queryPg<{
      record: string;
      event_name: string;
      principal_arn: string | null;
      target_user_id: string | null;
      error_code: string | null;
      account: string;
      region: string;
    }>(
      "SELECT record, event_name, principal_arn, target_user_id, error_code, account, region FROM audit_events WHERE seq > $1 ORDER BY seq",
      [seqBefore],
      { schema },
    );
    const stored = await queryPg<Columns>(
      "SELECT first_name, last_name, email, secondary_email, mobile FROM users WHERE id = $1",
      [user.id],
      { schema },
    );
    const alerts = (await store.outbox.list()).length - outboxBefore;
    return { answer, events: events.map((e) => ({ ...e, record: comparable(e.record) })), stored, alerts, queries };
  }

  for (const c of CASES) {
    test(c.name, async () => {
      const a = await runCase(fast, c);
      const b = await runCase(ordinary, c);
      assert.deepEqual(a.answer, b.answer, "the same answer");
      assert.deepEqual(a.stored, b.stored, "the same identity stored");
      // (NUL: PostgreSQL refuses the text and both paths fail alike, with no event — not a typed error.)
      if (!(typeof a.answer === "object" && a.answer !== null && "thrown" in a.answer)) assert.equal(a.events.length, 1, "one audit event");
      assert.deepEqual(a.events, b.events, "the same audit event, its record text byte for byte");
      assert.equal(a.alerts, b.alerts, "the same old-address alerts");
      if (c.queries !== undefined)
        assert.equal(a.queries.count, c.queries, `queries at once: ${a.queries.texts.map((t) => t.slice(0, 40)).join(" | ")}`);
      // Which is to say the two harnesses did take different paths.
      if (c.queries === 1 && "ok" in (a.answer as object)) assert.ok(b.queries.count >= 3, "the ordinary path is a transaction");
    });
  }

  test("the chain verifies over events of both paths", async () => {
    const result = await verifyChain(store);
    assert.equal(result.ok, true, JSON.stringify(result));
  });

  test("one query per UpdateUserIdentityInfo, 20 in a row on one user", async () => {
    await setStored("CONNECT_MANAGED", {});
    const user = users.get("CONNECT_MANAGED");
    const instance = instances.get("CONNECT_MANAGED");
    assert.ok(user && instance);
    const { count } = await countQueries(async () => {
      for (let i = 0; i < 20; i++) {
        await fast.run("UpdateUserIdentityInfo", {
          InstanceId: instance.id,
          UserId: user.id,
          IdentityInfo: { FirstName: `Ada${i}`, LastName: "Lovelace", Mobile: `+1555010${i % 10}` },
        });
      }
    });
    assert.equal(count, 20);
    const [row] = await queryPg<{ first_name: string }>("SELECT first_name FROM users WHERE id = $1", [user.id], { schema });
    assert.equal(row?.first_name, "Ada19");
  });

  test("concurrent updates of one user serialise: every one applied and audited with the value it replaced", async () => {
    await setStored("CONNECT_MANAGED", { first_name: "Start" });
    const user = users.get("CONNECT_MANAGED");
    const instance = instances.get("CONNECT_MANAGED");
    assert.ok(user && instance);
    const seqBefore = (await store.audit.head()).seq;
    const names = Array.from({ length: 12 }, (_, i) => `${String.fromCharCode(65 + i)}x`); // masked A***, B***, …
    await Promise.all(
      names.map((n) =>
        fast.run("UpdateUserIdentityInfo", {
          InstanceId: instance.id,
          UserId: user.id,
          IdentityInfo: { FirstName: n, LastName: "Lovelace" },
        }),
      ),
    );
    const events = await store.audit.list({ afterSeq: seqBefore, order: "asc", limit: 100, eventName: "UpdateUserIdentityInfo" });
    assert.equal(events.length, names.length);
    // Read under the lock, the old values chain: each replaced value is the start or another
    // request's new one, every one but the last stored replaced exactly once.
    type Changes = { changes: { FirstName?: { old: string; new: string } } };
    const olds = events.map((e) => (e.record.additionalEventData as Changes).changes.FirstName?.old).sort();
    const [row] = await queryPg<{ first_name: string }>("SELECT first_name FROM users WHERE id = $1", [user.id], { schema });
    const last = `${row?.first_name.charAt(0)}***`;
    const expected = ["S***", ...names.map((n) => `${n.charAt(0)}***`).filter((m) => m !== last)].sort();
    assert.deepEqual(olds, expected);
  });
});

// ---- in groups -------------------------------------------------------------------------------
// Concurrent requests share one statement (src/store/postgres/identity-groups.ts). Each must
// still get exactly what it gets alone: its answer, its stored identity, its event byte for byte.

/** Every statement whose SQL starts so, with its parameters, sent while fn runs. */
async function captureStatements(prefixes: readonly string[], fn: () => Promise<unknown>): Promise<{ text: string; values: unknown[] }[]> {
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  const seen: { text: string; values: unknown[] }[] = [];
  proto.query = function (this: unknown, ...args: unknown[]) {
    const first = args[0] as { text?: string; values?: unknown[] } | string;
    if (typeof first === "object" && prefixes.some((p) => first.text?.startsWith(p)))
      seen.push({ text: first.text ?? "", values: first.values ?? [] });
    return original.apply(this, args);
  };
  try {
    await fn();
  } finally {
    proto.query = original;
  }
  return seen;
}

/** A text[] literal as pgArray writes it, read back (quoted elements; NULL). */
function readArray(literal: string): (string | null)[] {
  const out: (string | null)[] = [];
  const re = /NULL|"((?:[^"\\]|\\.)*)"/g;
  for (let m = re.exec(literal.slice(1, -1)); m; m = re.exec(literal.slice(1, -1))) {
    out.push(m[0] === "NULL" ? null : (m[1] as string).replace(/\\(.)/g, "$1"));
  }
  return out;
}

/** The at-once statements: a request alone, or a group of them (over arrays). */
const GROUP_SQL = "WITH r AS (";
const AT_ONCE_SQL = ["WITH inst AS (", GROUP_SQL];

/** The users a captured at-once statement changes, in its order. */
const usersOf = (s: { text: string; values: unknown[] }) =>
  s.text.startsWith(GROUP_SQL) ? readArray(s.values[3] as string) : [s.values[3] as string];

describe("UpdateUserIdentityInfo at once on PostgreSQL, concurrent requests in groups", { skip: SKIP }, () => {
  const schema = freshSchemaName("atoncegroups");
  let store: SqlStore;
  let fast: OperationHarness;
  let ordinary: OperationHarness;
  const instances = new Map<IdentityManagementType, { id: string; arn: string }>();
  const profiles = new Map<IdentityManagementType, { sp: string; rp: string }>();
  let serial = 0;

  before(async () => {
    store = await SqlStore.open(new PostgresDriver({ url: PG_URL, schema, poolSize: 8 }));
    const subscribers = [oldAddressAlert({ revertTtlMs: 3_600_000, publicUrl: "http://127.0.0.1:1" })];
    fast = await operationHarness({ store, subscribers });
    ordinary = await operationHarness({ store: withoutAtOnce(store), subscribers });
    for (const [type, { id, arn, sp, rp }] of await identityInstances(fast, "sb-groups")) {
      instances.set(type, { id, arn });
      profiles.set(type, { sp, rp });
    }
  });
  after(async () => {
    await store?.close();
    await dropSchema(schema);
  });

  async function newUser(type: IdentityManagementType): Promise<{ id: string; arn: string }> {
    const instance = instances.get(type);
    const p = profiles.get(type);
    assert.ok(instance && p);
    const user = await fast.run("CreateUser", {
      InstanceId: instance.id,
      Username: `grouped${++serial}`,
      ...(type === "CONNECT_MANAGED" ? { Password: "Corr3ct-Horse" } : {}),
      ...(type === "EXISTING_DIRECTORY" ? {} : { IdentityInfo: { FirstName: "Ada", LastName: "Lovelace" } }),
      PhoneConfig: { PhoneType: "SOFT_PHONE", AutoAccept: true, AfterContactWorkTimeLimit: 30 },
      SecurityProfileIds: [p.sp],
      RoutingProfileId: p.rp,
    });
    return { id: user.UserId as string, arn: user.UserArn as string };
  }

  async function setStored(userId: string, stored: Partial<Columns>): Promise<void> {
    const c = { ...NAMES, ...stored };
    await queryPg(
      "UPDATE users SET first_name = $1, last_name = $2, email = $3, secondary_email = $4, mobile = $5 WHERE id = $6",
      [c.first_name, c.last_name, c.email, c.secondary_email, c.mobile, userId],
      { schema },
    );
  }

  const storedOf = async (userId: string) =>
    queryPg<Columns>("SELECT first_name, last_name, email, secondary_email, mobile FROM users WHERE id = $1", [userId], { schema });

  /** The events recorded after seq, by the ids the request named (its requestParameters). */
  async function eventsByRequest(afterSeq: number): Promise<Map<string, unknown[]>> {
    await store.audit.head(); // links what was recorded
    const rows = await queryPg<{
      record: string;
      event_name: string;
      principal_arn: string | null;
      target_user_id: string | null;
      error_code: string | null;
    }>("SELECT record, event_name, principal_arn, target_user_id, error_code FROM audit_events WHERE seq > $1 ORDER BY seq", [afterSeq], {
      schema,
    });
    const by = new Map<string, unknown[]>();
    for (const r of rows) {
      const p = (JSON.parse(r.record) as { requestParameters?: { InstanceId?: string; UserId?: string } }).requestParameters ?? {};
      const key = `${p.InstanceId} ${p.UserId}`;
      by.set(key, [...(by.get(key) ?? []), { ...r, record: comparable(r.record) }]);
    }
    return by;
  }

  const answerOf = async (p: Promise<unknown>) => {
    try {
      return { ok: await p };
    } catch (err) {
      return err instanceof ServiceError ? { code: err.code, message: err.message, status: err.status } : { thrown: String(err) };
    }
  };

  test("every case at once, concurrently (successes, refusals, not-founds, the ordinary path mixed) = each alone on the ordinary path", async () => {
    const runs: { c: Case; user: { id: string; arn: string }; ids: { InstanceId: string; UserId: string } }[] = [];
    for (const c of CASES) {
      const user = await newUser(c.type);
      const instance = instances.get(c.type);
      assert.ok(instance);
      runs.push({ c, user, ids: c.ids ? c.ids(instance, user) : { InstanceId: instance.id, UserId: user.id } });
    }
    // Alone, one after the other, on the ordinary path.
    for (const r of runs) await setStored(r.user.id, r.c.stored);
    let seq = (await store.audit.head()).seq;
    let outbox = (await store.outbox.list()).length;
    const alone: unknown[] = [];
    for (const r of runs) alone.push(await answerOf(ordinary.run("UpdateUserIdentityInfo", { ...r.ids, IdentityInfo: r.c.info })));
    const aloneStored = await Promise.all(runs.map((r) => storedOf(r.user.id)));
    const aloneEvents = await eventsByRequest(seq);
    const aloneAlerts = (await store.outbox.list()).length - outbox;

    // All at once, concurrently: grouped.
    for (const r of runs) await setStored(r.user.id, r.c.stored);
    seq = (await store.audit.head()).seq;
    outbox = (await store.outbox.list()).length;
    let together: unknown[] = [];
    const statements = await captureStatements(AT_ONCE_SQL, async () => {
      together = await Promise.all(runs.map((r) => answerOf(fast.run("UpdateUserIdentityInfo", { ...r.ids, IdentityInfo: r.c.info }))));
    });
    const togetherStored = await Promise.all(runs.map((r) => storedOf(r.user.id)));
    const togetherEvents = await eventsByRequest(seq);
    const togetherAlerts = (await store.outbox.list()).length - outbox;

    runs.forEach((r, k) => {
      assert.deepEqual(together[k], alone[k], `${r.c.name}: the same answer`);
      assert.deepEqual(togetherStored[k], aloneStored[k], `${r.c.name}: the same identity stored`);
      const key = `${r.ids.InstanceId} ${r.ids.UserId}`;
      assert.deepEqual(togetherEvents.get(key), aloneEvents.get(key), `${r.c.name}: the same audit event, byte for byte`);
    });
    assert.equal(togetherEvents.size, aloneEvents.size);
    assert.equal(togetherAlerts, aloneAlerts, "the same old-address alerts");
    // Grouped indeed: the requests the statement took, in fewer statements than requests.
    const grouped = statements.reduce((n, s) => n + usersOf(s).length, 0);
    assert.ok(grouped >= 10, `${grouped} requests went at once`);
    assert.ok(statements.length < grouped / 2, `${statements.length} statements for ${grouped} requests`);
    assert.ok(
      statements.some((s) => usersOf(s).length > 5),
      "a group of several",
    );
    assert.equal((await verifyChain(store)).ok, true);
  });

  test("the same user twice never shares a statement; concurrent requests over a few users all apply, each audited with the value it replaced", async () => {
    const users = await Promise.all([newUser("CONNECT_MANAGED"), newUser("CONNECT_MANAGED"), newUser("CONNECT_MANAGED")]);
    const instance = instances.get("CONNECT_MANAGED");
    assert.ok(instance);
    for (const u of users) await setStored(u.id, { first_name: "Start" });
    const seqBefore = (await store.audit.head()).seq;
    const names = Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(65 + i)}x`);
    const requests = names.flatMap((n) => users.map((u) => ({ user: u, name: n })));
    const statements = await captureStatements(AT_ONCE_SQL, () =>
      Promise.all(
        requests.map((r) =>
          fast.run("UpdateUserIdentityInfo", {
            InstanceId: instance.id,
            UserId: r.user.id,
            IdentityInfo: { FirstName: r.name, LastName: "Lovelace" },
          }),
        ),
      ),
    );
    for (const s of statements) {
      const ids = usersOf(s);
      assert.equal(new Set(ids).size, ids.length, `one request per user in a statement: ${ids.join(", ")}`);
    }
    assert.ok(statements.length < requests.length, `${statements.length} statements for ${requests.length} requests`);
    type Changes = { changes: { FirstName?: { old: string; new: string } } };
    for (const u of users) {
      const events = await store.audit.list({ afterSeq: seqBefore, order: "asc", limit: 100, targetUserId: u.id });
      assert.equal(events.length, names.length);
      const olds = events.map((e) => (e.record.additionalEventData as Changes).changes.FirstName?.old).sort();
      const [row] = await storedOf(u.id);
      const last = `${row?.first_name?.charAt(0)}***`;
      const expected = ["S***", ...names.map((n) => `${n.charAt(0)}***`).filter((m) => m !== last)].sort();
      assert.deepEqual(olds, expected, "each value replaced exactly once: the changes chain");
    }
  });

  /** A change as UpdateUserIdentityInfo asks it (CONNECT_MANAGED, a new first name), for IdentityGroups directly. */
  function change(userId: string, firstName: string, modifiedTime = 1_700_000_000_000): IdentityChangeAtOnce {
    const instance = instances.get("CONNECT_MANAGED");
    assert.ok(instance);
    return {
      instanceId: instance.id,
      userId,
      info: { firstName, lastName: "Lovelace" },
      allowedTypes: ["CONNECT_MANAGED"],
      watched: ["email"],
      modifiedTime,
      event: {
        eventId: `grouped-${++serial}`,
        eventTime: 1_700_000_000_000,
        account: HARNESS_SCOPE.account,
        region: HARNESS_SCOPE.region,
        eventName: "UpdateUserIdentityInfo",
        targetUserId: userId,
        record: { eventName: "UpdateUserIdentityInfo", requestParameters: { UserId: userId } },
      },
    };
  }

  test("a statement failing as a whole: each of its requests runs alone, only the one at fault fails", async () => {
    const driver = new PostgresDriver({ url: PG_URL, schema, poolSize: 4 });
    try {
      // One statement at a time: the first goes alone, the next four wait and go together.
      const groups = new IdentityGroups(driver, 1, 32);
      const users = await Promise.all(Array.from({ length: 5 }, () => newUser("CONNECT_MANAGED")));
      const changes = users.map((u, k) => change(u.id, `G${k}`, k === 3 ? 1.5 : undefined)); // 1.5: not a bigint
      let settled: PromiseSettledResult<IdentityChangeOutcome>[] = [];
      const statements = await captureStatements(AT_ONCE_SQL, async () => {
        settled = await Promise.allSettled(changes.map((c) => groups.submit(HARNESS_SCOPE, c)));
      });
      assert.deepEqual(
        statements.map((s) => usersOf(s).length),
        [1, 4, 1, 1, 1, 1],
        "alone; the group of four (fails); each of the four alone",
      );
      assert.deepEqual(
        settled.map((s) => (s.status === "fulfilled" ? s.value.kind : "rejected")),
        ["updated", "updated", "updated", "rejected", "updated"],
      );
      for (const [k, u] of users.entries()) {
        const [row] = await storedOf(u.id);
        assert.equal(row?.first_name, k === 3 ? "Ada" : `G${k}`);
      }
      const pending = await queryPg<{ event_id: string }>(
        "SELECT event_id FROM audit_pending WHERE event_id = ANY ($1)",
        [changes.map((c) => c.event.eventId)],
        { schema },
      );
      const linked = await queryPg<{ event_id: string }>(
        "SELECT event_id FROM audit_events WHERE event_id = ANY ($1)",
        [changes.map((c) => c.event.eventId)],
        { schema },
      );
      assert.deepEqual(
        [...pending, ...linked].map((r) => r.event_id).sort(),
        changes
          .filter((_, k) => k !== 3)
          .map((c) => c.event.eventId)
          .sort(),
        "an event for each change made, none for the one that failed",
      );
    } finally {
      await driver.close();
    }
  });

  test("the database unavailable for a group (here: its statement timed out): each request fails with StoreUnavailable, nothing written", async () => {
    const driver = new PostgresDriver({ url: PG_URL, schema, poolSize: 4, statementTimeoutMs: 300 });
    const locker = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${schema}` });
    await locker.connect();
    try {
      const groups = new IdentityGroups(driver, 1, 32);
      const [busy, locked, free] = await Promise.all([newUser("CONNECT_MANAGED"), newUser("CONNECT_MANAGED"), newUser("CONNECT_MANAGED")]);
      assert.ok(busy && locked && free);
      await locker.query("BEGIN");
      await locker.query("SELECT 1 FROM users WHERE id = $1 FOR UPDATE", [locked.id]);
      const first = groups.submit(HARNESS_SCOPE, change(busy.id, "First"));
      const grouped = [groups.submit(HARNESS_SCOPE, change(locked.id, "Locked")), groups.submit(HARNESS_SCOPE, change(free.id, "Free"))];
      assert.equal((await first).kind, "updated");
      const settled = await Promise.allSettled(grouped);
      for (const s of settled) {
        assert.equal(s.status, "rejected");
        assert.ok((s as PromiseRejectedResult).reason instanceof StoreUnavailable, String((s as PromiseRejectedResult).reason));
      }
      await locker.query("ROLLBACK");
      assert.equal((await storedOf(free.id))[0]?.first_name, "Ada", "the group's statement wrote nothing");
    } finally {
      await locker.end();
      await driver.close();
    }
  });

  test("groups and ordinary transactions on the same users, concurrently: no deadlock, every request answered 200", async () => {
    const users = await Promise.all(Array.from({ length: 6 }, () => newUser("CONNECT_MANAGED")));
    const instance = instances.get("CONNECT_MANAGED");
    assert.ok(instance);
    const calls: Promise<unknown>[] = [];
    for (let k = 0; k < 90; k++) {
      const u = users[(k * 7) % users.length] as { id: string };
      const h = k % 5 === 0 ? ordinary : fast;
      calls.push(
        h.run("UpdateUserIdentityInfo", {
          InstanceId: instance.id,
          UserId: u.id,
          IdentityInfo: { FirstName: `N${k}`, LastName: "Lovelace" },
        }),
      );
    }
    const settled = await Promise.allSettled(calls);
    assert.deepEqual(
      settled.filter((s) => s.status === "rejected").map((s) => String((s as PromiseRejectedResult).reason)),
      [],
    );
    assert.equal((await verifyChain(store)).ok, true);
  });
});
