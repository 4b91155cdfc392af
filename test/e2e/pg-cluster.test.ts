// Two real Switchboard processes (dist/bundle/main.js serve) on ONE fresh schema of the machine's
// PostgreSQL: a cluster of stateless nodes. Started at the same moment (concurrent migrations),
// then raced against each other: concurrent identity updates on one user, the same username
// created on both nodes, DeleteUser against UpdateUserIdentityInfo, a ListUsers walk that hops
// between nodes, and identical answers from both.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, test } from "node:test";
import {
  DeleteUserCommand,
  DescribeUserCommand,
  type DescribeUserCommandOutput,
  ListInstancesCommand,
  type ListInstancesCommandOutput,
  ListUsersCommand,
  type ListUsersCommandOutput,
  UpdateUserIdentityInfoCommand,
  type UserIdentityInfo,
} from "@aws-sdk/client-connect";
import { MIGRATIONS } from "../../src/store/sql/migrations.js";
import { rejectsAws } from "../helpers/assert-aws.js";
import { createInstance, createUser } from "../helpers/fixtures.js";
import { killAll, type Outcome, outcomeOf, type SbNode, startNodes, stopNode } from "../helpers/nodes.js";
import { dropSchema, freshSchemaName, PG_URL, queryPg } from "../helpers/postgres.js";

const schema = freshSchemaName("cluster");
const nodes: SbNode[] = [];
let schemaExistedBefore: boolean | undefined;

const nodeA = (): SbNode => nodes[0] as SbNode;
const nodeB = (): SbNode => nodes[1] as SbNode;

/** The SDK output without $metadata (request ids differ per call, per node). */
function body<T extends { $metadata: unknown }>(out: T): Omit<T, "$metadata"> {
  const { $metadata: _m, ...rest } = out;
  return rest;
}

const schemaExists = async () =>
  (await queryPg<{ n: number }>("SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = $1", [schema]))[0]?.n === 1;

before(async () => {
  schemaExistedBefore = await schemaExists();
  // Both spawned in the same tick: both race for the migration lock on a schema that does not exist.
  nodes.push(
    ...(await startNodes(
      ["A", "B"],
      [
        "--database",
        PG_URL,
        "--database-schema",
        schema,
        "--max-instances",
        "100",
        "--max-users-per-instance",
        "1000",
        "--log-level",
        "warn",
      ],
    )),
  );
});

after(async () => {
  killAll(nodes);
  for (const n of nodes) n.client.destroy();
  await dropSchema(schema);
});

test("two nodes started at once on a fresh schema migrate it exactly once", async () => {
  assert.equal(schemaExistedBefore, false, "the schema must not exist before the nodes start");
  const rows = await queryPg<{ version: number; n: number }>(
    "SELECT version, count(*)::int AS n FROM schema_migrations GROUP BY version ORDER BY version",
    [],
    { schema },
  );
  assert.deepEqual(
    rows,
    MIGRATIONS.map((m) => ({ version: m.version, n: 1 })),
    "one row per migration version, no duplicates, none missing",
  );
  const tables = await queryPg<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = $1", [
    schema,
  ]);
  const names = tables.map((t) => t.table_name);
  for (const name of ["instances", "users", "profiles", "schema_migrations"]) assert.ok(names.includes(name), `table ${name} exists`);
  for (const n of nodes) {
    const res = await fetch(`${n.url}/_switchboard/health`);
    assert.equal(res.status, 200, `node ${n.name} healthy`);
    assert.deepEqual(await res.json(), { status: "ok", database: { ok: true, engine: "postgres" } });
  }
});

test("2 nodes × 32 concurrent UpdateUserIdentityInfo on one user: all 200, one request's whole set wins, LastModifiedTime never goes back", async (t) => {
  const A = nodeA();
  const B = nodeB();
  const inst = await createInstance(A.client);
  const user = await createUser(B.client, inst);
  const initial: UserIdentityInfo = { FirstName: "Jane", LastName: "Doe" };
  const PER_NODE = 32;
  const sets: UserIdentityInfo[] = Array.from({ length: 2 * PER_NODE }, (_, i) => ({
    FirstName: `F${i}`,
    LastName: `L${i}`,
    Email: `e${i}@example.com`,
    Mobile: `+1555${String(i).padStart(7, "0")}`,
  }));
  const describe = (n: SbNode) => n.client.send(new DescribeUserCommand({ InstanceId: inst.id, UserId: user.id }));

  interface Observation {
    node: string;
    start: number;
    end: number;
    lmt: number;
    info: UserIdentityInfo | undefined;
  }
  const observations: Observation[] = [];
  const observe = async (n: SbNode) => {
    const start = performance.now();
    const out = await describe(n);
    const end = performance.now();
    const lmt = out.User?.LastModifiedTime?.getTime();
    assert.ok(lmt !== undefined && Number.isFinite(lmt), "DescribeUser returns LastModifiedTime");
    observations.push({ node: n.name, start, end, lmt, info: out.User?.IdentityInfo });
  };
  await observe(A);
  await observe(B);

  // Pollers on both nodes (3 per node, each sequential), until every update has answered (bounded).
  let updatesDone = false;
  const poll = async (n: SbNode) => {
    const deadline = performance.now() + 30_000;
    for (let k = 0; k < 5_000 && !updatesDone && performance.now() < deadline; k++) await observe(n);
  };
  const pollers = [A, B, A, B, A, B].map(poll);

  const firedAt = performance.now();
  const statuses = await Promise.all(
    sets.map((set, i) =>
      (i < PER_NODE ? A : B).client
        .send(new UpdateUserIdentityInfoCommand({ InstanceId: inst.id, UserId: user.id, IdentityInfo: set }))
        .then(
          (out) => out.$metadata.httpStatusCode,
          (err: { name?: string; message?: string }) => `${err.name}: ${err.message}`,
        ),
    ),
  );
  const doneAt = performance.now();
  updatesDone = true;
  await Promise.all(pollers);

  assert.deepEqual(
    statuses,
    sets.map(() => 200),
    "every UpdateUserIdentityInfo answered 200",
  );
  const during = observations.filter((o) => o.start >= firedAt && o.end <= doneAt);
  t.diagnostic(
    `${observations.length} DescribeUser observations, ${during.length} entirely inside the ${Math.round(doneAt - firedAt)} ms of updates`,
  );
  assert.ok(
    observations.filter((o) => o.start < doneAt && o.end > firedAt).length >= 6,
    "the pollers observed the user while the updates ran",
  );

  // Never a mix, not even mid-run: every read shows the initial values or one request's set.
  for (const o of observations) {
    assert.ok(
      isDeepEqual(o.info, initial) || sets.some((s) => isDeepEqual(o.info, s)),
      `node ${o.node} showed a mix of requests: ${JSON.stringify(o.info)}`,
    );
  }
  // LastModifiedTime as observed across both nodes: a read that finished before another began
  // never shows a later time than that one.
  for (const o1 of observations) {
    for (const o2 of observations) {
      if (o1.end < o2.start) {
        assert.ok(o1.lmt <= o2.lmt, `LastModifiedTime went back: ${o1.lmt} on ${o1.node}, then ${o2.lmt} on ${o2.node}`);
      }
    }
  }

  const finals = await Promise.all([A, B].map(describe));
  const [fa, fb] = finals as [DescribeUserCommandOutput, DescribeUserCommandOutput];
  assert.deepEqual(body(fa), body(fb), "both nodes show the same user");
  const winners = sets.filter((s) => isDeepEqual(fa.User?.IdentityInfo, s));
  assert.equal(winners.length, 1, `final IdentityInfo ${JSON.stringify(fa.User?.IdentityInfo)} is not exactly one request's full set`);
  const finalLmt = fa.User?.LastModifiedTime?.getTime() ?? Number.NaN;
  for (const o of observations) assert.ok(finalLmt >= o.lmt, `final LastModifiedTime ${finalLmt} < observed ${o.lmt}`);
  t.diagnostic(`winner: ${JSON.stringify(winners[0])}`);
});

test("CreateUser with the same Username on both nodes at once: one 200, one DuplicateResourceException 409 (10 rounds)", async (t) => {
  const A = nodeA();
  const B = nodeB();
  const inst = await createInstance(A.client);
  const wins = { A: 0, B: 0 };
  for (let round = 0; round < 10; round++) {
    const username = `dup${round}x${randomBytes(4).toString("hex")}`;
    const [a, b] = (await Promise.all([
      outcomeOf(createUser(A.client, inst, { Username: username })),
      outcomeOf(createUser(B.client, inst, { Username: username })),
    ])) as [Outcome, Outcome];
    const oks = [a, b].filter((o) => o.ok);
    assert.equal(oks.length, 1, `round ${round}: exactly one CreateUser succeeds (A: ${JSON.stringify(a)}, B: ${JSON.stringify(b)})`);
    const loser = a.ok ? b : a;
    assert.equal(loser.name, "DuplicateResourceException", `round ${round}: ${loser.name}: ${loser.message}`);
    assert.equal(loser.status, 409);
    if (a.ok) wins.A++;
    else wins.B++;
    const rows = await queryPg<{ n: number }>(
      "SELECT count(*)::int AS n FROM users WHERE instance_id = $1 AND username_key = $2",
      [inst.id, username.toLowerCase()],
      {
        schema,
      },
    );
    assert.equal(rows[0]?.n, 1, `round ${round}: exactly one row for ${username}`);
  }
  t.diagnostic(`winners: node A ${wins.A}, node B ${wins.B}`);
});

test("DeleteUser on A racing UpdateUserIdentityInfo on B (20 rounds): update succeeds or is 404; the user is gone everywhere", async (t) => {
  const A = nodeA();
  const B = nodeB();
  const inst = await createInstance(A.client);
  const tally = { updated: 0, notFound: 0 };
  for (let round = 0; round < 20; round++) {
    const user = await createUser(round % 2 === 0 ? A.client : B.client, inst);
    const [del, upd] = (await Promise.all([
      outcomeOf(A.client.send(new DeleteUserCommand({ InstanceId: inst.id, UserId: user.id }))),
      outcomeOf(
        B.client.send(
          new UpdateUserIdentityInfoCommand({
            InstanceId: inst.id,
            UserId: user.id,
            IdentityInfo: { FirstName: `R${round}`, LastName: "Racer", Email: `r${round}@example.com` },
          }),
        ),
      ),
    ])) as [Outcome, Outcome];
    assert.ok(del.ok, `round ${round}: DeleteUser failed: ${del.name} ${del.status} ${del.message}`);
    if (upd.ok) tally.updated++;
    else {
      assert.equal(upd.name, "ResourceNotFoundException", `round ${round}: update failed with ${upd.name}: ${upd.message}`);
      assert.equal(upd.status, 404);
      tally.notFound++;
    }
    for (const n of [A, B]) {
      await rejectsAws(n.client.send(new DescribeUserCommand({ InstanceId: inst.id, UserId: user.id })), "ResourceNotFoundException", 404);
    }
    const rows = await queryPg<{ n: number }>("SELECT count(*)::int AS n FROM users WHERE id = $1", [user.id], { schema });
    assert.equal(rows[0]?.n, 0, `round ${round}: a row for the deleted user remains`);
  }
  t.diagnostic(`update won the race ${tally.updated}×, got ResourceNotFoundException ${tally.notFound}×`);
});

// Byte order (COLLATE "C"): digits < upper case < lower case.
const PAGED_USERNAMES = ["alice", "Bob", "carol", "Dave", "erin", "Frank", "grace", "Heidi", "ivan", "0judy", "Zed"];
let pagedInstanceId: string | undefined;

test("ListUsers pages (MaxResults 2) started on A and continued on B, alternating, walk every user once, in order", async () => {
  const A = nodeA();
  const B = nodeB();
  const inst = await createInstance(B.client);
  pagedInstanceId = inst.id;
  const created = new Map<string, string>();
  for (const [i, username] of PAGED_USERNAMES.entries()) {
    const u = await createUser(i % 2 === 0 ? A.client : B.client, inst, { Username: username });
    created.set(username, u.id);
  }
  const expected = [...PAGED_USERNAMES].sort((x, y) => (Buffer.from(x) < Buffer.from(y) ? -1 : 1));
  assert.deepEqual(expected.slice(0, 3), ["0judy", "Bob", "Dave"], "sanity: byte order");

  const walked: { username: string; id: string }[] = [];
  const servedBy: string[] = [];
  let token: string | undefined;
  for (let page = 0; page < 20; page++) {
    const n = page % 2 === 0 ? A : B;
    const out: ListUsersCommandOutput = await n.client.send(new ListUsersCommand({ InstanceId: inst.id, MaxResults: 2, NextToken: token }));
    const list = out.UserSummaryList ?? [];
    assert.ok(list.length >= 1 && list.length <= 2, `page ${page} has ${list.length} users`);
    for (const s of list) walked.push({ username: s.Username as string, id: s.Id as string });
    servedBy.push(n.name);
    token = out.NextToken;
    if (token === undefined) break;
  }
  assert.equal(token, undefined, "the walk ended");
  assert.deepEqual(
    walked.map((w) => w.username),
    expected,
  );
  for (const w of walked) assert.equal(w.id, created.get(w.username));
  assert.deepEqual(servedBy, ["A", "B", "A", "B", "A", "B"]);
});

test("both nodes answer identical DescribeUser, ListUsers and ListInstances", async () => {
  const A = nodeA();
  const B = nodeB();
  assert.ok(pagedInstanceId, "needs the instance of the pagination test");
  const instanceId = pagedInstanceId;

  const listAll = async (n: SbNode) => {
    const pages: Omit<ListUsersCommandOutput, "$metadata">[] = [];
    let token: string | undefined;
    for (let i = 0; i < 20; i++) {
      const out = await n.client.send(new ListUsersCommand({ InstanceId: instanceId, MaxResults: 3, NextToken: token }));
      pages.push(body(out));
      token = out.NextToken;
      if (!token) break;
    }
    return pages;
  };
  const usersA = await listAll(A);
  const usersB = await listAll(B);
  assert.deepEqual(usersA, usersB);
  const ids = usersA.flatMap((p) => (p.UserSummaryList ?? []).map((s) => s.Id as string));
  assert.equal(ids.length, PAGED_USERNAMES.length);

  for (const id of ids) {
    const [a, b] = (await Promise.all(
      [A, B].map((n) => n.client.send(new DescribeUserCommand({ InstanceId: instanceId, UserId: id }))),
    )) as [DescribeUserCommandOutput, DescribeUserCommandOutput];
    assert.equal(a.User?.Id, id);
    assert.deepEqual(body(a), body(b));
  }

  const instancesOf = async (n: SbNode) => {
    const pages: Omit<ListInstancesCommandOutput, "$metadata">[] = [];
    let token: string | undefined;
    for (let i = 0; i < 50; i++) {
      const out = await n.client.send(new ListInstancesCommand({ MaxResults: 2, NextToken: token }));
      pages.push(body(out));
      token = out.NextToken;
      if (!token) break;
    }
    return pages;
  };
  const instA = await instancesOf(A);
  const instB = await instancesOf(B);
  assert.deepEqual(instA, instB);
  const instanceIds = instA.flatMap((p) => (p.InstanceSummaryList ?? []).map((s) => s.Id));
  assert.ok(instanceIds.includes(instanceId));
  assert.ok(instanceIds.length >= 4, `the earlier tests created 4 instances, listed ${instanceIds.length}`);
});

test("SIGTERM stops both nodes with exit code 0", async () => {
  const codes = await Promise.all(nodes.map((n) => stopNode(n, "SIGTERM")));
  assert.deepEqual(codes, [0, 0]);
  for (const n of nodes) assert.match(n.output(), /"msg":"stopped","signal":"SIGTERM"/);
  await dropSchema(schema);
  assert.equal(await schemaExists(), false, "schema dropped");
});

function isDeepEqual(a: unknown, b: unknown): boolean {
  try {
    assert.deepStrictEqual(a, b);
    return true;
  } catch {
    return false;
  }
}
