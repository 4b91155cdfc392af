// biome-ignore-all lint/suspicious/noTemplateCurlyInString: IAM policy variables are spelled ${...} in policy text
// The access report over a real (in-memory SQLite) store: the help-desk/admin ABAC example,
// per-user Resource ARNs, connect:InstanceId, root, request-only keys, filters — and a property:
// for random small populations and policies the grouped report equals a brute-force per-user
// evaluation with the same evaluate().
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { accessReport, isUserAction, type PrincipalAccess, REQUEST_ONLY_NOTE, reportContext } from "../../src/authz/access-report.js";
import { PrincipalDirectory } from "../../src/authz/principal-directory.js";
import { instanceArn, type Scope, userArn } from "../../src/common/arn.js";
import { evaluate } from "../../src/iam/index.js";
import type { Tags, UserRecord } from "../../src/store/records.js";

import {
  ACCOUNT,
  ALLOW_ALL,
  createInstance,
  createUser,
  EAST,
  entry,
  HELPDESK,
  type Inst,
  NOW,
  names,
  openMemory,
  putPrincipal,
  WEST,
} from "../helpers/report-fixtures.js";

describe("access report", () => {
  test("help-desk ABAC: changes non-admin-tagged users only; flagged only when an Admin holder lacks the tag", async () => {
    const store = await openMemory();
    try {
      const inst = await createInstance(store, EAST);
      await createUser(store, inst, "alice", { tags: { team: "red" } });
      await createUser(store, inst, "bob", { tags: { team: "blue", costCenter: "42" } });
      await createUser(store, inst, "boss", { tags: { role: "admin" }, admin: true });
      await createUser(store, inst, "tagged-agent", { tags: { role: "admin" } });
      await putPrincipal(store, "helpdesk", { HelpDesk: HELPDESK });

      let r = await accessReport(store, { account: ACCOUNT, now: NOW });
      const hd = entry(r, "helpdesk");
      assert.deepEqual(names(hd.canChange), ["alice", "bob"]);
      assert.equal(hd.canChangeCount, 2);
      assert.deepEqual(hd.adminTargets, []);
      assert.equal(hd.flagged, false);
      assert.equal(hd.evaluatedPerUser, 0);
      // Grouped on the one tag the policy mentions (role): {role=admin} and {no role}.
      assert.equal(r.groups, 2);
      assert.equal(r.evaluations, 2);
      assert.equal(r.users, 4);
      assert.equal(r.adminHolders, 1);
      assert.ok(r.notes.includes(REQUEST_ONLY_NOTE));
      assert.match(REQUEST_ONLY_NOTE, /aws:SourceIp.*evaluated as if absent/);

      // An Admin holder without the tag: the help desk can take it over → flagged.
      await createUser(store, inst, "eve", { admin: true, tags: { team: "red" } });
      r = await accessReport(store, { account: ACCOUNT, now: NOW });
      const hd2 = entry(r, "helpdesk");
      assert.deepEqual(names(hd2.canChange), ["alice", "bob", "eve"]);
      assert.deepEqual(names(hd2.adminTargets), ["eve"]);
      assert.equal(hd2.adminTargetCount, 1);
      assert.equal(hd2.flagged, true);
    } finally {
      await store.close();
    }
  });

  test("root is listed first and may change everyone (flagged when an Admin holder exists)", async () => {
    const store = await openMemory();
    try {
      const a = await createInstance(store, EAST);
      const b = await createInstance(store, WEST);
      await createUser(store, a, "x1");
      await createUser(store, b, "y1", { admin: true });
      const r = await accessReport(store, { account: ACCOUNT, now: NOW });
      const root = r.principals[0] as PrincipalAccess;
      assert.equal(root.root, true);
      assert.equal(root.arn, `arn:aws:iam::${ACCOUNT}:root`);
      assert.deepEqual(names(root.canChange), ["x1", "y1"]);
      assert.equal(root.flagged, true);
      assert.deepEqual(
        r.scopes.map((s) => s.region),
        ["us-east-1", "us-west-2"],
      );
      assert.equal(r.evaluations, 0, "no principals, no policy evaluated");
    } finally {
      await store.close();
    }
  });

  test("a policy naming individual user ARNs is evaluated user by user, and only in the instance it names", async () => {
    const store = await openMemory();
    try {
      const a = await createInstance(store, EAST);
      const b = await createInstance(store, EAST);
      const u1 = await createUser(store, a, "one", { tags: { role: "agent" } });
      await createUser(store, a, "two", { tags: { role: "agent" } });
      await createUser(store, a, "three", { tags: { role: "agent" }, admin: true });
      await createUser(store, b, "other1");
      await createUser(store, b, "other2");
      await putPrincipal(store, "single", {
        P: {
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: "connect:UpdateUserIdentityInfo", Resource: userArn(EAST, a.id, u1.id) }],
        },
      });
      await putPrincipal(store, "all", { P: ALLOW_ALL });
      const r = await accessReport(store, { account: ACCOUNT, now: NOW });
      const single = entry(r, "single");
      assert.deepEqual(names(single.canChange), ["one"], "same tags as 'two' and 'three', but only its ARN is named");
      assert.equal(single.evaluatedPerUser, 3, "the 3 users of the named instance; the other instance stays grouped");
      assert.equal(single.flagged, false);
      const all = entry(r, "all");
      assert.equal(all.canChangeCount, 5);
      assert.equal(all.evaluatedPerUser, 0);
      assert.equal(all.flagged, true);
    } finally {
      await store.close();
    }
  });

  test("user-id wildcards (…/agent/ab*) and instance-level patterns", async () => {
    const store = await openMemory();
    try {
      const a = await createInstance(store, EAST, "inst-a");
      const b = await createInstance(store, EAST, "inst-b");
      await createUser(store, a, "u-ab1", { id: "ab1" });
      await createUser(store, a, "u-ac1", { id: "ac1" });
      await createUser(store, b, "u-ab2", { id: "ab2" });
      await putPrincipal(store, "prefix", {
        P: {
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: "connect:Update*", Resource: "arn:aws:connect:*:*:instance/*/agent/ab*" }],
        },
      });
      await putPrincipal(store, "instanceB", {
        P: {
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: "connect:*", Resource: `${instanceArn(EAST, b.id)}/*` }],
        },
      });
      await putPrincipal(store, "notInstanceA", {
        P: {
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: "connect:*", NotResource: `${instanceArn(EAST, a.id)}/agent/*` }],
        },
      });
      const r = await accessReport(store, { account: ACCOUNT, now: NOW });
      assert.deepEqual(names(entry(r, "prefix").canChange), ["u-ab1", "u-ab2"]);
      assert.ok(entry(r, "prefix").evaluatedPerUser > 0);
      assert.deepEqual(names(entry(r, "instanceB").canChange), ["u-ab2"]);
      assert.equal(entry(r, "instanceB").evaluatedPerUser, 0);
      assert.deepEqual(names(entry(r, "notInstanceA").canChange), ["u-ab2"]);
      assert.equal(entry(r, "notInstanceA").evaluatedPerUser, 0);
    } finally {
      await store.close();
    }
  });

  test("connect:InstanceId condition, aws:PrincipalTag variables, --instance and --region filters", async () => {
    const store = await openMemory();
    try {
      const a = await createInstance(store, EAST);
      const b = await createInstance(store, WEST);
      await createUser(store, a, "a-red", { tags: { team: "red" } });
      await createUser(store, a, "a-blue", { tags: { team: "blue" } });
      await createUser(store, b, "b-red", { tags: { team: "red" } });
      await putPrincipal(store, "onlyA", {
        P: {
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: "connect:*", Resource: "*", Condition: { StringEquals: { "connect:InstanceId": a.id } } }],
        },
      });
      await putPrincipal(
        store,
        "redLead",
        {
          P: {
            Version: "2012-10-17",
            Statement: [
              {
                Effect: "Allow",
                Action: "connect:UpdateUserIdentityInfo",
                Resource: "*",
                Condition: { StringEquals: { "aws:ResourceTag/team": "${aws:PrincipalTag/team}" } },
              },
            ],
          },
        },
        { team: "red" },
      );
      const r = await accessReport(store, { account: ACCOUNT, now: NOW });
      assert.deepEqual(names(entry(r, "onlyA").canChange), ["a-blue", "a-red"]);
      assert.deepEqual(names(entry(r, "redLead").canChange), ["a-red", "b-red"]);

      const west = await accessReport(store, { account: ACCOUNT, region: "us-west-2", now: NOW });
      assert.equal(west.users, 1);
      assert.deepEqual(names(entry(west, "onlyA").canChange), []);
      const onlyB = await accessReport(store, { account: ACCOUNT, instanceId: b.id, now: NOW });
      assert.equal(onlyB.instances, 1);
      assert.deepEqual(names(entry(onlyB, "redLead").canChange), ["b-red"]);
      await assert.rejects(accessReport(store, { account: ACCOUNT, instanceId: "nope", now: NOW }), /instance nope not found/);
      // Principals of another account never appear; users of another account are not reported.
      await putPrincipal(store, "elsewhere", { P: ALLOW_ALL }, {}, "999999999999");
      const again = await accessReport(store, { account: ACCOUNT, now: NOW });
      assert.ok(!again.principals.some((p) => p.name === "elsewhere"));
    } finally {
      await store.close();
    }
  });

  test("request-only keys are evaluated as if absent and named; other actions; list limit; invalid policy", async () => {
    const store = await openMemory();
    try {
      const inst = await createInstance(store, EAST);
      for (let i = 0; i < 30; i++) await createUser(store, inst, `user${String(i).padStart(2, "0")}`, { admin: i === 7 });
      await putPrincipal(store, "office", {
        P: {
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Action: "connect:*", Resource: "*", Condition: { IpAddress: { "aws:SourceIp": "10.0.0.0/8" } } }],
        },
      });
      await putPrincipal(store, "notAtNight", {
        P: {
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Action: "connect:*", Resource: "*" },
            {
              Effect: "Deny",
              Action: "connect:*",
              Resource: "*",
              Condition: { DateGreaterThan: { "aws:CurrentTime": "2000-01-01T00:00:00Z" } },
            },
          ],
        },
      });
      await putPrincipal(store, "broken", { P: "{not json" });
      const r = await accessReport(store, { account: ACCOUNT, now: NOW, listLimit: 5 });
      const office = entry(r, "office");
      assert.equal(office.canChangeCount, 0, "IpAddress on an absent aws:SourceIp does not match");
      assert.deepEqual(office.requestOnlyKeys, ["aws:SourceIp"]);
      const night = entry(r, "notAtNight");
      assert.equal(night.canChangeCount, 30, "DateGreaterThan on an absent aws:CurrentTime does not match, so the Deny does not apply");
      assert.deepEqual(night.requestOnlyKeys, ["aws:CurrentTime"]);
      assert.equal(night.canChange.length, 5, "list capped");
      assert.equal(night.adminTargetCount, 1);
      assert.equal(night.flagged, true);
      const broken = entry(r, "broken");
      assert.equal(broken.invalidPolicy, true);
      assert.equal(broken.canChangeCount, 0);

      const describe = await accessReport(store, { account: ACCOUNT, now: NOW, action: "connect:DescribeUser" });
      assert.equal(describe.action, "connect:DescribeUser");
      assert.equal(isUserAction("connect:UpdateUserIdentityInfo"), true);
      assert.equal(isUserAction("connect:CreateUser"), false);
      assert.equal(isUserAction("s3:GetObject"), false);
      await assert.rejects(accessReport(store, { account: ACCOUNT, now: NOW, action: "connect:ListUsers" }), /not an action on a user/);
    } finally {
      await store.close();
    }
  });

  test("store.instances.listScopes: the (account, region) pairs holding instances", async () => {
    const store = await openMemory();
    try {
      assert.deepEqual(await store.instances.listScopes(), []);
      await createInstance(store, WEST);
      await createInstance(store, EAST);
      await createInstance(store, EAST);
      await createInstance(store, { account: "999999999999", region: "eu-west-1" });
      assert.deepEqual(await store.instances.listScopes(ACCOUNT), [EAST, WEST]);
      assert.deepEqual(await store.instances.listScopes(), [EAST, WEST, { account: "999999999999", region: "eu-west-1" }]);
    } finally {
      await store.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Property: grouped report = brute force per user, with the same evaluate().

const ARN = "arn:aws:connect";
const RESOURCES = [
  "*",
  `${ARN}:*:*:instance/*`,
  `${ARN}:us-east-1:${ACCOUNT}:instance/i1/*`,
  `${ARN}:*:*:instance/i2/agent/*`,
  `${ARN}:*:*:instance/*/agent/u1`,
  `${ARN}:*:*:instance/i1/agent/u?`,
  `${ARN}:*:*:instance/*/agent/a*`,
  `${ARN}:*:*:instance/*1`,
  `${ARN}:*:*:instance/i?/agent/*`,
  `${ARN}:*:*:instance/i1/agent/*/x`,
  `${ARN}:*:*:instance/*/*/*b`,
  `${ARN}:us-west-2:*:*`,
  `${ARN}:*:*:instance/i1/agent/\${aws:PrincipalTag/uid}`,
  `${ARN}:*:*:instance/*/agent/\${aws:username}`,
  `${ARN}:*:*:instance/\${aws:ResourceTag/team}*`,
  `${ARN}:*:*:instance/*/agent/\${aws:ResourceTag/team}`,
  `${ARN}:*:*:instance/i3/agent/*`,
];
const CONDITIONS: (Record<string, Record<string, unknown>> | undefined)[] = [
  undefined,
  { StringEquals: { "aws:ResourceTag/role": "admin" } },
  { StringNotEquals: { "aws:ResourceTag/Role": "agent" } },
  { StringEquals: { "aws:ResourceTag/team": "${aws:PrincipalTag/team}" } },
  { StringLike: { "connect:InstanceId": "i1" } },
  { Null: { "aws:ResourceTag/team": "true" } },
  { IpAddress: { "aws:SourceIp": "10.0.0.0/8" } },
  { DateLessThan: { "aws:CurrentTime": "2100-01-01T00:00:00Z" } },
  { "ForAnyValue:StringEquals": { "aws:TagKeys": "role" } },
  { StringEqualsIfExists: { "aws:ResourceTag/x": "1" } },
  { StringEquals: { "aws:RequestedRegion": "us-west-2" } },
];
const statement = fc.record({
  Effect: fc.constantFrom("Allow", "Deny"),
  action: fc.constantFrom<[string, string | string[]]>(
    ["Action", "*"],
    ["Action", "connect:*"],
    ["Action", "connect:UpdateUserIdentityInfo"],
    ["Action", ["connect:Describe*", "connect:Update*"]],
    ["Action", "connect:DescribeUser"],
    ["NotAction", "connect:DescribeUser"],
  ),
  resource: fc.tuple(
    fc.constantFrom("Resource", "NotResource"),
    fc.uniqueArray(fc.constantFrom(...RESOURCES), { minLength: 1, maxLength: 2 }),
  ),
  condition: fc.constantFrom(...CONDITIONS),
});
const policy = fc
  .record({ version: fc.constantFrom("2012-10-17", undefined), statements: fc.array(statement, { minLength: 1, maxLength: 3 }) })
  .map(({ version, statements }) => ({
    ...(version ? { Version: version } : {}),
    Statement: statements.map((s) => ({
      Effect: s.Effect,
      [s.action[0]]: s.action[1],
      [s.resource[0]]: s.resource[1],
      ...(s.condition ? { Condition: s.condition } : {}),
    })),
  }));
const tagValue = fc.constantFrom("admin", "agent", "t1", "t2", "", "i1");
const userTags = fc
  .array(fc.tuple(fc.constantFrom("role", "Role", "team", "x", "other"), tagValue), { maxLength: 3 })
  .map((pairs) => Object.fromEntries(pairs));
const population = fc.record({
  users: fc.array(
    fc.record({
      inst: fc.constantFrom(0, 1, 2),
      id: fc.constantFrom("u1", "u2", "a1", "ab", "xb", "u1x", "b"),
      tags: userTags,
      admin: fc.boolean(),
    }),
    { maxLength: 12 },
  ),
  principals: fc.array(
    fc.record({
      name: fc.constantFrom("u1", "ab", "p", "q"),
      tags: fc.record({ team: fc.constantFrom("t1", "t2", "i1"), uid: fc.constantFrom("u1", "u2", "ab") }, { requiredKeys: [] }),
      policies: fc.array(policy, { minLength: 0, maxLength: 2 }),
    }),
    { minLength: 1, maxLength: 3 },
  ),
});

test("property: the grouped report equals per-user evaluation with the same evaluate()", async () => {
  let grouped = 0;
  let perUser = 0;
  let someButNotAll = 0;
  await fc.assert(
    fc.asyncProperty(population, async (pop) => {
      const store = await openMemory();
      try {
        const insts = [
          await createInstance(store, EAST, "i1"),
          await createInstance(store, WEST, "i2"),
          await createInstance(store, EAST, "i3"),
        ];
        const seen = new Set<string>();
        let n = 0;
        for (const u of pop.users) {
          const inst = insts[u.inst] as Inst;
          if (seen.has(`${u.inst}/${u.id}`)) continue;
          seen.add(`${u.inst}/${u.id}`);
          await createUser(store, inst, `user${n++}`, { id: u.id, tags: u.tags, admin: u.admin });
        }
        const done = new Set<string>();
        for (const p of pop.principals) {
          if (done.has(p.name)) continue;
          done.add(p.name);
          const docs: Record<string, unknown> = {};
          p.policies.forEach((d, i) => {
            docs[`p${i}`] = d;
          });
          await putPrincipal(store, p.name, docs, p.tags as Tags);
        }
        const report = await accessReport(store, { account: ACCOUNT, now: NOW });

        // Brute force: every principal × every user, straight from the store.
        const directory = await PrincipalDirectory.load(store.iam);
        const users: { scope: Scope; u: UserRecord; admin: boolean }[] = [];
        for (const inst of insts) {
          for (const u of await store.users.list(inst.scope, inst.id, { limit: 1000 })) {
            users.push({ scope: inst.scope, u, admin: u.securityProfileIds.includes(inst.adminProfile) });
          }
        }
        const key = (region: string, instanceId: string, userId: string) => `${region}/${instanceId}/${userId}`;
        for (const d of directory.principals()) {
          const expected = new Set<string>();
          const expectedAdmin = new Set<string>();
          for (const { scope, u, admin } of users) {
            const ctx = reportContext("UpdateUserIdentityInfo", scope, u.instanceId, u.id, d.facts, u.tags, NOW);
            if (evaluate(d.policies, ctx).decision === "Allow") {
              expected.add(key(scope.region, u.instanceId, u.id));
              if (admin) expectedAdmin.add(key(scope.region, u.instanceId, u.id));
            }
          }
          const got = entry(report, d.name);
          assert.deepEqual(new Set(got.canChange.map((r) => key(r.region, r.instanceId, r.userId))), expected, `canChange of ${d.name}`);
          assert.equal(got.canChangeCount, expected.size);
          assert.deepEqual(new Set(got.adminTargets.map((r) => key(r.region, r.instanceId, r.userId))), expectedAdmin);
          assert.equal(got.flagged, expectedAdmin.size > 0);
          if (got.evaluatedPerUser > 0) perUser++;
          else if (users.length > 1) grouped++;
          if (expected.size > 0 && expected.size < users.length) someButNotAll++;
        }
        assert.ok(report.evaluations <= report.principals.length * users.length);
      } finally {
        await store.close();
      }
    }),
    { numRuns: 300 },
  );
  // Not vacuous: both paths ran, and decisions split populations.
  assert.ok(grouped > 20, `grouped principals: ${grouped}`);
  assert.ok(perUser > 20, `per-user principals: ${perUser}`);
  assert.ok(someButNotAll > 20, `principals allowed on some users but not all: ${someButNotAll}`);
});
