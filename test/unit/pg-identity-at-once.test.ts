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
import { PostgresDriver } from "../../src/store/postgres/pg-driver.js";
import type { IdentityManagementType } from "../../src/store/records.js";
import { SqlStore } from "../../src/store/sql/sql-store.js";
import type { Store, UsersRepo } from "../../src/store/store.js";
import { type OperationHarness, operationHarness } from "../helpers/operation-harness.js";
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
    for (const type of ["CONNECT_MANAGED", "SAML", "EXISTING_DIRECTORY"] as const) {
      const inst = await fast.run("CreateInstance", {
        IdentityManagementType: type,
        ...(type === "EXISTING_DIRECTORY"
          ? { DirectoryId: "d-0123456789" }
          : { InstanceAlias: `sb-atonce-${type.toLowerCase().replace(/_/g, "-")}` }),
        InboundCallsEnabled: true,
        OutboundCallsEnabled: true,
      });
      const id = inst.Id as string;
      instances.set(type, { id, arn: inst.Arn as string });
      const sp = await fast.run("ListSecurityProfiles", { InstanceId: id });
      const rp = await fast.run("ListRoutingProfiles", { InstanceId: id });
      const user = await fast.run("CreateUser", {
        InstanceId: id,
        Username: `atonce${type.length}`,
        ...(type === "CONNECT_MANAGED" ? { Password: "Corr3ct-Horse" } : {}),
        ...(type === "EXISTING_DIRECTORY" ? {} : { IdentityInfo: { FirstName: "Ada", LastName: "Lovelace" } }),
        PhoneConfig: { PhoneType: "SOFT_PHONE", AutoAccept: true, AfterContactWorkTimeLimit: 30 },
        SecurityProfileIds: [sp.SecurityProfileSummaryList?.[0]?.Id as string],
        RoutingProfileId: rp.RoutingProfileSummaryList?.[0]?.Id as string,
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
