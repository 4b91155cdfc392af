// Rule tests for the user hierarchy (UpdateUserHierarchyStructure, DescribeUserHierarchyStructure,
// CreateUserHierarchyGroup, DescribeUserHierarchyGroup, UpdateUserHierarchyGroupName,
// DeleteUserHierarchyGroup, ListUserHierarchyGroups), run through the operation harness: the
// model's validation, then the invoke step, on an in-memory store — no HTTP. Rules:
// src/operations/hierarchy/*.ts.
import assert from "node:assert/strict";
import { describe, type TestContext, test } from "node:test";
import type { CreateUserHierarchyGroupRequest, HierarchyStructureUpdate } from "../../src/model/types.gen.js";
import { CONNECT_OPERATIONS, type ServedConnectOperation } from "../../src/operations/connect-service.js";
import {
  HARNESS_ACCOUNT,
  HARNESS_SCOPE,
  type HarnessOptions,
  type OperationHarness,
  operationHarness,
} from "../helpers/operation-harness.js";
import {
  DUPLICATE,
  type Expected,
  IN_USE,
  INVALID_PARAMETER,
  LIMIT_EXCEEDED,
  lastEvent as last,
  NOT_FOUND,
  refusedChange as refuse,
  refusedRead as refuseRead,
} from "../helpers/refusals.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const NOBODY = "00000000-0000-4000-8000-000000000000";
const FIVE = ["Company", "Division", "Region", "Site", "Team"] as const;
const MEMBERS = ["LevelOne", "LevelTwo", "LevelThree", "LevelFour", "LevelFive"] as const;

// ---------------------------------------------------------------------------------------------
// Fixtures

interface Fixture {
  h: OperationHarness;
  id: string;
  arn: string;
}

let aliasSeq = 0;

async function addInstance(h: OperationHarness): Promise<{ id: string; arn: string }> {
  const out = await h.run("CreateInstance", {
    IdentityManagementType: "CONNECT_MANAGED",
    InstanceAlias: `sb-hier-${++aliasSeq}`,
    InboundCallsEnabled: true,
    OutboundCallsEnabled: true,
  });
  assert.ok(out.Id && out.Arn);
  return { id: out.Id, arn: out.Arn };
}

async function fixture(t: TestContext, options: HarnessOptions = {}): Promise<Fixture> {
  const h = await operationHarness(options);
  t.after(() => h.close());
  return { h, ...(await addInstance(h)) };
}

/** The structure update naming the first levels `names`, LevelOne first. */
function structureOf(names: readonly string[]): HierarchyStructureUpdate {
  const s: HierarchyStructureUpdate = {};
  names.forEach((name, i) => {
    const m = MEMBERS[i];
    if (m) s[m] = { Name: name };
  });
  return s;
}

async function setLevels(f: Fixture, names: readonly string[], instanceId = f.id): Promise<void> {
  await f.h.run("UpdateUserHierarchyStructure", { InstanceId: instanceId, HierarchyStructure: structureOf(names) });
}

async function createGroup(
  f: Fixture,
  name: string,
  parent?: string,
  over: Partial<CreateUserHierarchyGroupRequest> = {},
): Promise<{ id: string; arn: string }> {
  const out = await f.h.run("CreateUserHierarchyGroup", {
    InstanceId: f.id,
    Name: name,
    ...(parent === undefined ? {} : { ParentGroupId: parent }),
    ...over,
  });
  assert.ok(out.HierarchyGroupId && out.HierarchyGroupArn);
  return { id: out.HierarchyGroupId, arn: out.HierarchyGroupArn };
}

/** A chain of groups, one per level, top first. */
async function chain(f: Fixture, depth: number): Promise<{ id: string; arn: string }[]> {
  const groups: { id: string; arn: string }[] = [];
  for (let i = 0; i < depth; i++) groups.push(await createGroup(f, `g${i + 1}`, groups[i - 1]?.id));
  return groups;
}

/** A user of the instance, made through CreateUser with the default profiles. */
async function addUser(f: Fixture, username: string): Promise<string> {
  const sp = await f.h.run("ListSecurityProfiles", { InstanceId: f.id });
  const rp = await f.h.run("ListRoutingProfiles", { InstanceId: f.id });
  const out = await f.h.run("CreateUser", {
    InstanceId: f.id,
    Username: username,
    Password: "Corr3ct-Horse",
    IdentityInfo: { FirstName: "Ada", LastName: "Lovelace" },
    PhoneConfig: { PhoneType: "SOFT_PHONE" },
    SecurityProfileIds: [sp.SecurityProfileSummaryList?.[0]?.Id as string],
    RoutingProfileId: rp.RoutingProfileSummaryList?.[0]?.Id as string,
  });
  return out.UserId as string;
}

/** Everything the hierarchy operations could change, as the store holds it. */
async function snapshot(f: Fixture) {
  const s = f.h.scope;
  return {
    levels: await f.h.store.hierarchy.levels(s, f.id),
    groups: await f.h.store.hierarchy.listGroups(s, f.id, { limit: 10_000 }),
    users: await f.h.store.users.list(s, f.id, { limit: 10_000 }),
  };
}

/** A refused change: nothing in the hierarchy or the users changed, one event (helpers/refusals.ts). */
const refusedChange = (f: Fixture, name: ServedConnectOperation, input: unknown, expected: Expected) =>
  refuse(f.h, () => snapshot(f), name, input, expected);
const refusedRead = (f: Fixture, name: ServedConnectOperation, input: unknown, expected: Expected) =>
  refuseRead(f.h, name, input, expected);

const otherAccountArn = (arn: string) => arn.replace(`:${HARNESS_ACCOUNT}:`, ":111122223333:");
const otherRegionArn = (arn: string) => arn.replace(":us-east-1:", ":eu-west-2:");
const otherPartitionArn = (arn: string) => arn.replace("arn:aws:", "arn:aws-cn:");
const foreignArns = (arn: string) => [otherAccountArn(arn), otherRegionArn(arn), otherPartitionArn(arn)];

// ---------------------------------------------------------------------------------------------
// The structure

describe("DescribeUserHierarchyStructure / UpdateUserHierarchyStructure", () => {
  test("a new instance has no levels: an empty HierarchyStructure, not a missing one", async (t) => {
    const f = await fixture(t);
    const out = await f.h.run("DescribeUserHierarchyStructure", { InstanceId: f.id });
    assert.deepEqual(out.HierarchyStructure, {});
  });

  test("levels read back with a UUID Id, an ARN ending agent-group-level/<n>, the name and the time", async (t) => {
    const f = await fixture(t);
    f.h.clock.advance(60_000);
    await setLevels(f, ["Company", "Division", "Team"]);
    const { HierarchyStructure: s } = await f.h.run("DescribeUserHierarchyStructure", { InstanceId: f.arn });
    assert.ok(s);
    assert.deepEqual(Object.keys(s), ["LevelOne", "LevelTwo", "LevelThree"]);
    ["Company", "Division", "Team"].forEach((name, i) => {
      const level = s[MEMBERS[i] as (typeof MEMBERS)[number]];
      assert.ok(level);
      assert.match(level.Id ?? "", UUID);
      assert.equal(level.Arn, `${f.arn}/agent-group-level/${i + 1}`);
      assert.equal(level.Name, name);
      assert.ok(level.LastModifiedTime instanceof Date);
      assert.equal(level.LastModifiedTime.getTime(), f.h.clock.now());
      assert.equal(level.LastModifiedRegion, "us-east-1");
    });
    assert.equal(new Set([s.LevelOne?.Id, s.LevelTwo?.Id, s.LevelThree?.Id]).size, 3, "each level has its own id");
  });

  test("the whole structure replaces the old one: renaming keeps ids, untouched levels keep their time, omitted levels go", async (t) => {
    const f = await fixture(t);
    await setLevels(f, ["Company", "Division", "Team"]);
    const before = (await f.h.run("DescribeUserHierarchyStructure", { InstanceId: f.id })).HierarchyStructure;
    const createdAt = f.h.clock.now();
    f.h.clock.advance(5_000);
    await setLevels(f, ["Company", "Business unit"]);
    const after = (await f.h.run("DescribeUserHierarchyStructure", { InstanceId: f.id })).HierarchyStructure;
    assert.deepEqual(Object.keys(after ?? {}), ["LevelOne", "LevelTwo"], "LevelThree was left out, so it is removed");
    assert.deepEqual(after?.LevelOne, before?.LevelOne, "an unchanged level is unchanged, time included");
    assert.equal(after?.LevelTwo?.Id, before?.LevelTwo?.Id, "a rename keeps the id");
    assert.equal(after?.LevelTwo?.Name, "Business unit");
    assert.equal(after?.LevelTwo?.LastModifiedTime?.getTime(), createdAt + 5_000, "a rename bumps the time");
    await setLevels(f, ["Company", "Business unit", "Team"]);
    const readded = (await f.h.run("DescribeUserHierarchyStructure", { InstanceId: f.id })).HierarchyStructure;
    assert.match(readded?.LevelThree?.Id ?? "", UUID);
    assert.notEqual(readded?.LevelThree?.Id, before?.LevelThree?.Id, "a level added again is a new level");
  });

  test("an empty HierarchyStructure removes every level (Terraform's Delete)", async (t) => {
    const f = await fixture(t);
    await setLevels(f, FIVE);
    await f.h.run("UpdateUserHierarchyStructure", { InstanceId: f.id, HierarchyStructure: {} });
    assert.deepEqual((await f.h.run("DescribeUserHierarchyStructure", { InstanceId: f.id })).HierarchyStructure, {});
    assert.deepEqual(await f.h.store.hierarchy.levels(f.h.scope, f.id), []);
  });

  test("all five levels at once", async (t) => {
    const f = await fixture(t);
    await setLevels(f, FIVE);
    const s = (await f.h.run("DescribeUserHierarchyStructure", { InstanceId: f.id })).HierarchyStructure ?? {};
    assert.deepEqual(
      MEMBERS.map((m) => s[m]?.Name),
      [...FIVE],
    );
    assert.equal(s.LevelFive?.Arn, `${f.arn}/agent-group-level/5`);
  });

  test("levels must be contiguous from LevelOne: a gap is InvalidParameterException naming the missing level", async (t) => {
    const f = await fixture(t);
    await setLevels(f, ["Company"]);
    const err = await refusedChange(
      f,
      "UpdateUserHierarchyStructure",
      { InstanceId: f.id, HierarchyStructure: { LevelOne: { Name: "Company" }, LevelThree: { Name: "Team" } } },
      INVALID_PARAMETER(/'hierarchyStructure\.levelTwo'/),
    );
    assert.match(err.message, /^1 validation error detected/);
    const both = await refusedChange(
      f,
      "UpdateUserHierarchyStructure",
      { InstanceId: f.id, HierarchyStructure: { LevelTwo: { Name: "Division" }, LevelFour: { Name: "Site" } } },
      INVALID_PARAMETER(),
    );
    assert.match(both.message, /^2 validation errors detected/);
    assert.match(both.message, /hierarchyStructure\.levelOne'[\s\S]*hierarchyStructure\.levelThree'/);
  });

  test("level names are 1..50 characters (code points); each bad one is named", async (t) => {
    const f = await fixture(t);
    await setLevels(f, ["L".repeat(50), "😀".repeat(50)]);
    await refusedChange(
      f,
      "UpdateUserHierarchyStructure",
      { InstanceId: f.id, HierarchyStructure: structureOf(["Company", "L".repeat(51)]) },
      INVALID_PARAMETER(/'hierarchyStructure\.levelTwo\.name'.*less than or equal to 50/),
    );
    await refusedChange(
      f,
      "UpdateUserHierarchyStructure",
      { InstanceId: f.id, HierarchyStructure: structureOf([""]) },
      INVALID_PARAMETER(/'hierarchyStructure\.levelOne\.name'.*greater than or equal to 1/),
    );
    // Name is required by the model
    await refusedChange(
      f,
      "UpdateUserHierarchyStructure",
      { InstanceId: f.id, HierarchyStructure: { LevelOne: {} } },
      INVALID_PARAMETER(/levelOne\.name/i),
    );
  });

  test("removing a level that groups occupy → ResourceInUseException naming the level; freeing it first works", async (t) => {
    const f = await fixture(t);
    await setLevels(f, ["Company", "Division", "Team"]);
    const [top, middle] = await chain(f, 2);
    assert.ok(top && middle);
    // LevelThree is empty: it can go
    await setLevels(f, ["Company", "Division"]);
    const err = await refusedChange(
      f,
      "UpdateUserHierarchyStructure",
      { InstanceId: f.id, HierarchyStructure: structureOf(["Company"]) },
      IN_USE(/LevelTwo/),
    );
    assert.deepEqual(err.extra, { ResourceType: "HIERARCHY_LEVEL", ResourceId: `${f.arn}/agent-group-level/2` });
    await refusedChange(f, "UpdateUserHierarchyStructure", { InstanceId: f.id, HierarchyStructure: {} }, IN_USE());
    await f.h.run("DeleteUserHierarchyGroup", { InstanceId: f.id, HierarchyGroupId: middle.id });
    await setLevels(f, ["Company"]);
    // renaming an occupied level is not removing it
    await setLevels(f, ["Corporation"]);
    assert.equal(
      (await f.h.run("DescribeUserHierarchyGroup", { InstanceId: f.id, HierarchyGroupId: top.id })).HierarchyGroup?.LevelId,
      "1",
    );
  });

  test("the instance by id or ARN; unknown or foreign instances are ResourceNotFoundException", async (t) => {
    const f = await fixture(t);
    await f.h.run("UpdateUserHierarchyStructure", { InstanceId: f.arn, HierarchyStructure: structureOf(["Company"]) });
    assert.equal((await f.h.run("DescribeUserHierarchyStructure", { InstanceId: f.id })).HierarchyStructure?.LevelOne?.Name, "Company");
    for (const label of [NOBODY, ...foreignArns(f.arn)]) {
      await refusedChange(
        f,
        "UpdateUserHierarchyStructure",
        { InstanceId: label, HierarchyStructure: structureOf(["X"]) },
        NOT_FOUND(/Instance not found/),
      );
      await refusedRead(f, "DescribeUserHierarchyStructure", { InstanceId: label }, NOT_FOUND());
    }
  });

  test("the structure is per instance", async (t) => {
    const f = await fixture(t);
    const other = await addInstance(f.h);
    await setLevels(f, ["Company"]);
    assert.deepEqual((await f.h.run("DescribeUserHierarchyStructure", { InstanceId: other.id })).HierarchyStructure, {});
  });

  test("the change event: eventName, readOnly false, the request's members", async (t) => {
    const f = await fixture(t);
    await setLevels(f, ["Company", "Team"]);
    const e = last(await f.h.auditEvents());
    assert.equal(e.eventName, "UpdateUserHierarchyStructure");
    assert.equal(e.errorCode, undefined);
    assert.equal(e.record.readOnly, false);
    assert.deepEqual(e.record.requestParameters, {
      hierarchyStructure: { levelOne: { name: "Company" }, levelTwo: { name: "Team" } },
      instanceId: f.id,
    });
    const before = (await f.h.auditEvents()).length;
    await f.h.run("DescribeUserHierarchyStructure", { InstanceId: f.id });
    assert.equal((await f.h.auditEvents()).length, before, "a successful read is not audited");
  });
});

// ---------------------------------------------------------------------------------------------
// Groups

describe("CreateUserHierarchyGroup / DescribeUserHierarchyGroup", () => {
  test("without a parent: a level-one group, read back whole (LevelId '1', its own path, tags, time)", async (t) => {
    const f = await fixture(t);
    await setLevels(f, ["Company"]);
    f.h.clock.advance(3_000);
    const g = await createGroup(f, "Example Corp", undefined, { Tags: { cost: "42" } });
    assert.match(g.id, UUID);
    assert.equal(g.arn, `${f.arn}/agent-group/${g.id}`);
    const { HierarchyGroup } = await f.h.run("DescribeUserHierarchyGroup", { InstanceId: f.id, HierarchyGroupId: g.id });
    const time = new Date(f.h.clock.now());
    const summary = { Id: g.id, Arn: g.arn, Name: "Example Corp", LastModifiedTime: time, LastModifiedRegion: "us-east-1" };
    assert.deepEqual(HierarchyGroup, { ...summary, LevelId: "1", HierarchyPath: { LevelOne: summary }, Tags: { cost: "42" } });
  });

  test("with a parent: one level below it; the path gives every level from LevelOne down to the group", async (t) => {
    const f = await fixture(t);
    await setLevels(f, FIVE);
    const groups = await chain(f, 5);
    const deepest = groups[4];
    assert.ok(deepest);
    const { HierarchyGroup } = await f.h.run("DescribeUserHierarchyGroup", { InstanceId: f.id, HierarchyGroupId: deepest.id });
    assert.equal(HierarchyGroup?.LevelId, "5");
    assert.deepEqual(Object.keys(HierarchyGroup?.HierarchyPath ?? {}), [...MEMBERS].reverse());
    MEMBERS.forEach((m, i) => {
      const s = HierarchyGroup?.HierarchyPath?.[m];
      assert.equal(s?.Id, groups[i]?.id);
      assert.equal(s?.Arn, groups[i]?.arn);
      assert.equal(s?.Name, `g${i + 1}`);
    });
    const middle = (await f.h.run("DescribeUserHierarchyGroup", { InstanceId: f.id, HierarchyGroupId: groups[2]?.arn as string }))
      .HierarchyGroup;
    assert.equal(middle?.LevelId, "3");
    assert.deepEqual(Object.keys(middle?.HierarchyPath ?? {}).sort(), ["LevelOne", "LevelThree", "LevelTwo"]);
    assert.deepEqual(middle?.Tags, {}, "no tags: an empty map");
  });

  test("ParentGroupId and InstanceId may be ARNs", async (t) => {
    const f = await fixture(t);
    await setLevels(f, ["Company", "Team"]);
    const top = await createGroup(f, "top");
    const child = await createGroup(f, "child", top.arn, { InstanceId: f.arn });
    const stored = await f.h.store.hierarchy.getGroup(f.h.scope, f.id, child.id);
    assert.equal(stored?.parentId, top.id);
    assert.equal(stored?.level, 2);
  });

  test("a group whose level is not in the structure → ResourceNotFoundException", async (t) => {
    const f = await fixture(t);
    await refusedChange(f, "CreateUserHierarchyGroup", { InstanceId: f.id, Name: "top" }, NOT_FOUND(/LevelOne/));
    await setLevels(f, ["Company", "Division"]);
    const [, division] = await chain(f, 2);
    await refusedChange(
      f,
      "CreateUserHierarchyGroup",
      { InstanceId: f.id, Name: "team", ParentGroupId: division?.id },
      NOT_FOUND(/LevelThree/),
    );
  });

  test("depth ≤ 5: a parent at LevelFive has no level below it (ResourceNotFoundException)", async (t) => {
    const f = await fixture(t);
    await setLevels(f, FIVE);
    const groups = await chain(f, 5);
    await refusedChange(
      f,
      "CreateUserHierarchyGroup",
      { InstanceId: f.id, Name: "sixth", ParentGroupId: groups[4]?.id },
      NOT_FOUND(/at most 5 levels/),
    );
  });

  test("an unknown parent, a parent of another instance, or a foreign parent ARN → ResourceNotFoundException", async (t) => {
    const f = await fixture(t);
    await setLevels(f, ["Company", "Team"]);
    const other = await addInstance(f.h);
    await setLevels(f, ["Company", "Team"], other.id);
    const foreign = (await f.h.run("CreateUserHierarchyGroup", { InstanceId: other.id, Name: "theirs" })).HierarchyGroupId as string;
    const mine = await createGroup(f, "mine");
    for (const parent of [
      NOBODY,
      foreign,
      `${other.arn}/agent-group/${foreign}`,
      ...foreignArns(mine.arn),
      `${f.arn}/queue/${mine.id}`, // an ARN of another type naming a real id
    ]) {
      await refusedChange(
        f,
        "CreateUserHierarchyGroup",
        { InstanceId: f.id, Name: "child", ParentGroupId: parent },
        NOT_FOUND(/Hierarchy group not found/),
      );
    }
  });

  test("names are unique among siblings (DuplicateResourceException); the same name elsewhere is fine", async (t) => {
    const f = await fixture(t);
    await setLevels(f, ["Company", "Team"]);
    const a = await createGroup(f, "North");
    const b = await createGroup(f, "South");
    await refusedChange(f, "CreateUserHierarchyGroup", { InstanceId: f.id, Name: "North" }, DUPLICATE(/North/));
    await createGroup(f, "Sales", a.id);
    await refusedChange(f, "CreateUserHierarchyGroup", { InstanceId: f.id, Name: "Sales", ParentGroupId: a.id }, DUPLICATE(/Sales/));
    await createGroup(f, "Sales", b.id); // a cousin, not a sibling
    await createGroup(f, "North", a.id); // a child may share its parent's name
    await createGroup(f, "north"); // names compare exactly (case-sensitive)
  });

  test("names are 1..100 characters (code points)", async (t) => {
    const f = await fixture(t);
    await setLevels(f, ["Company"]);
    await createGroup(f, "N".repeat(100));
    await createGroup(f, "😀".repeat(100));
    await refusedChange(
      f,
      "CreateUserHierarchyGroup",
      { InstanceId: f.id, Name: "N".repeat(101) },
      INVALID_PARAMETER(/'name'.*less than or equal to 100/),
    );
    await refusedChange(
      f,
      "CreateUserHierarchyGroup",
      { InstanceId: f.id, Name: "" },
      INVALID_PARAMETER(/'name'.*greater than or equal to 1/),
    );
  });

  test("the quota hierarchyGroupsPerInstance counts all levels → LimitExceededException (429); other instances unaffected", async (t) => {
    const f = await fixture(t, { quotas: { hierarchyGroupsPerInstance: 2 } });
    await setLevels(f, ["Company", "Team"]);
    const top = await createGroup(f, "top");
    const team = await createGroup(f, "team", top.id);
    await refusedChange(f, "CreateUserHierarchyGroup", { InstanceId: f.id, Name: "another" }, LIMIT_EXCEEDED());
    const other = await addInstance(f.h);
    await setLevels(f, ["Company"], other.id);
    await f.h.run("CreateUserHierarchyGroup", { InstanceId: other.id, Name: "top" });
    await f.h.run("DeleteUserHierarchyGroup", { InstanceId: f.id, HierarchyGroupId: team.id });
    await createGroup(f, "another");
  });

  test("an unknown or foreign instance → ResourceNotFoundException", async (t) => {
    const f = await fixture(t);
    await setLevels(f, ["Company"]);
    for (const label of [NOBODY, ...foreignArns(f.arn)]) {
      await refusedChange(f, "CreateUserHierarchyGroup", { InstanceId: label, Name: "top" }, NOT_FOUND(/Instance not found/));
    }
  });

  test("the success event: eventName, readOnly false, name and tags, the id and ARN in responseElements", async (t) => {
    const f = await fixture(t);
    await setLevels(f, ["Company", "Team"]);
    const top = await createGroup(f, "top");
    const g = await createGroup(f, "Support", top.id, { Tags: { team: "support" } });
    const e = last(await f.h.auditEvents());
    assert.equal(e.eventName, "CreateUserHierarchyGroup");
    assert.equal(e.errorCode, undefined);
    assert.equal(e.record.readOnly, false);
    assert.deepEqual(e.record.requestParameters, { name: "Support", parentGroupId: top.id, instanceId: f.id, tags: { team: "support" } });
    assert.deepEqual(e.record.responseElements, { hierarchyGroupId: g.id, hierarchyGroupArn: g.arn });
  });

  test("DescribeUserHierarchyGroup: by id or ARN; unknown, other-instance, foreign and other-type ARNs are not found", async (t) => {
    const f = await fixture(t);
    await setLevels(f, ["Company"]);
    const g = await createGroup(f, "top");
    const other = await addInstance(f.h);
    for (const label of [g.id, g.arn]) {
      for (const instance of [f.id, f.arn]) {
        const out = await f.h.run("DescribeUserHierarchyGroup", { InstanceId: instance, HierarchyGroupId: label });
        assert.equal(out.HierarchyGroup?.Id, g.id);
      }
    }
    for (const label of [NOBODY, ...foreignArns(g.arn), `${f.arn}/agent/${g.id}`]) {
      await refusedRead(
        f,
        "DescribeUserHierarchyGroup",
        { InstanceId: f.id, HierarchyGroupId: label },
        NOT_FOUND(/Hierarchy group not found/),
      );
    }
    await refusedRead(f, "DescribeUserHierarchyGroup", { InstanceId: other.id, HierarchyGroupId: g.id }, NOT_FOUND());
    await refusedRead(f, "DescribeUserHierarchyGroup", { InstanceId: NOBODY, HierarchyGroupId: g.id }, NOT_FOUND(/Instance not found/));
  });
});

describe("UpdateUserHierarchyGroupName", () => {
  test("renames the group (Describe and the children's paths see it) and bumps its time", async (t) => {
    const f = await fixture(t);
    await setLevels(f, ["Company", "Team"]);
    const top = await createGroup(f, "top");
    const child = await createGroup(f, "child", top.id);
    f.h.clock.advance(9_000);
    await f.h.run("UpdateUserHierarchyGroupName", { InstanceId: f.arn, HierarchyGroupId: top.arn, Name: "Headquarters" });
    const g = (await f.h.run("DescribeUserHierarchyGroup", { InstanceId: f.id, HierarchyGroupId: top.id })).HierarchyGroup;
    assert.equal(g?.Name, "Headquarters");
    assert.equal(g?.Id, top.id, "renaming keeps the id");
    assert.equal(g?.LastModifiedTime?.getTime(), f.h.clock.now());
    const c = (await f.h.run("DescribeUserHierarchyGroup", { InstanceId: f.id, HierarchyGroupId: child.id })).HierarchyGroup;
    assert.equal(c?.HierarchyPath?.LevelOne?.Name, "Headquarters");
    const e = last(await f.h.auditEvents());
    assert.equal(e.eventName, "UpdateUserHierarchyGroupName");
    assert.equal(e.record.readOnly, false);
    assert.deepEqual(e.record.requestParameters, { name: "Headquarters", hierarchyGroupId: top.arn, instanceId: f.arn });
  });

  test("the new name must be unique among siblings; renaming to its own name is fine", async (t) => {
    const f = await fixture(t);
    await setLevels(f, ["Company", "Team"]);
    const a = await createGroup(f, "North");
    await createGroup(f, "South");
    const sales = await createGroup(f, "Sales", a.id);
    await createGroup(f, "Support", a.id);
    await refusedChange(f, "UpdateUserHierarchyGroupName", { InstanceId: f.id, HierarchyGroupId: a.id, Name: "South" }, DUPLICATE(/South/));
    await refusedChange(
      f,
      "UpdateUserHierarchyGroupName",
      { InstanceId: f.id, HierarchyGroupId: sales.id, Name: "Support" },
      DUPLICATE(/Support/),
    );
    await f.h.run("UpdateUserHierarchyGroupName", { InstanceId: f.id, HierarchyGroupId: sales.id, Name: "South" });
    await f.h.run("UpdateUserHierarchyGroupName", { InstanceId: f.id, HierarchyGroupId: a.id, Name: "North" });
  });

  test("bad names, unknown and foreign groups are refused, nothing changed", async (t) => {
    const f = await fixture(t);
    await setLevels(f, ["Company"]);
    const g = await createGroup(f, "top");
    await refusedChange(
      f,
      "UpdateUserHierarchyGroupName",
      { InstanceId: f.id, HierarchyGroupId: g.id, Name: "" },
      INVALID_PARAMETER(/'name'/),
    );
    await refusedChange(
      f,
      "UpdateUserHierarchyGroupName",
      { InstanceId: f.id, HierarchyGroupId: g.id, Name: "x".repeat(101) },
      INVALID_PARAMETER(/'name'/),
    );
    for (const label of [NOBODY, ...foreignArns(g.arn)]) {
      await refusedChange(f, "UpdateUserHierarchyGroupName", { InstanceId: f.id, HierarchyGroupId: label, Name: "new" }, NOT_FOUND());
    }
    await refusedChange(f, "UpdateUserHierarchyGroupName", { InstanceId: NOBODY, HierarchyGroupId: g.id, Name: "new" }, NOT_FOUND());
  });
});

describe("DeleteUserHierarchyGroup", () => {
  test("deletes the group: Describe then answers ResourceNotFoundException; the event records it", async (t) => {
    const f = await fixture(t);
    await setLevels(f, ["Company"]);
    const g = await createGroup(f, "top");
    await f.h.run("DeleteUserHierarchyGroup", { InstanceId: f.arn, HierarchyGroupId: g.arn });
    await refusedRead(f, "DescribeUserHierarchyGroup", { InstanceId: f.id, HierarchyGroupId: g.id }, NOT_FOUND());
    const e = last(await f.h.auditEvents());
    assert.equal(e.eventName, "DeleteUserHierarchyGroup");
    assert.equal(e.record.readOnly, false);
    assert.deepEqual(e.record.requestParameters, { instanceId: f.arn, hierarchyGroupId: g.arn });
    await refusedChange(f, "DeleteUserHierarchyGroup", { InstanceId: f.id, HierarchyGroupId: g.id }, NOT_FOUND());
  });

  test("a group with child groups → ResourceInUseException (HIERARCHY_GROUP); its leaf can go first", async (t) => {
    const f = await fixture(t);
    await setLevels(f, ["Company", "Team"]);
    const [top, leaf] = await chain(f, 2);
    assert.ok(top && leaf);
    const err = await refusedChange(f, "DeleteUserHierarchyGroup", { InstanceId: f.id, HierarchyGroupId: top.id }, IN_USE(/child group/));
    assert.deepEqual(err.extra, { ResourceType: "HIERARCHY_GROUP", ResourceId: top.arn });
    await f.h.run("DeleteUserHierarchyGroup", { InstanceId: f.id, HierarchyGroupId: leaf.id });
    await f.h.run("DeleteUserHierarchyGroup", { InstanceId: f.id, HierarchyGroupId: top.id });
  });

  test("a group users are assigned to → ResourceInUseException; once they leave it can go", async (t) => {
    const f = await fixture(t);
    await setLevels(f, ["Company"]);
    const g = await createGroup(f, "top");
    const userId = await addUser(f, "ada");
    await f.h.run("UpdateUserHierarchy", { InstanceId: f.id, UserId: userId, HierarchyGroupId: g.id });
    const err = await refusedChange(f, "DeleteUserHierarchyGroup", { InstanceId: f.id, HierarchyGroupId: g.id }, IN_USE(/1 user/));
    assert.deepEqual(err.extra, { ResourceType: "HIERARCHY_GROUP", ResourceId: g.arn });
    await f.h.run("UpdateUserHierarchy", { InstanceId: f.id, UserId: userId });
    await f.h.run("DeleteUserHierarchyGroup", { InstanceId: f.id, HierarchyGroupId: g.id });
  });

  test("foreign and unknown labels → ResourceNotFoundException", async (t) => {
    const f = await fixture(t);
    await setLevels(f, ["Company"]);
    const g = await createGroup(f, "top");
    const other = await addInstance(f.h);
    for (const label of [NOBODY, ...foreignArns(g.arn)]) {
      await refusedChange(f, "DeleteUserHierarchyGroup", { InstanceId: f.id, HierarchyGroupId: label }, NOT_FOUND());
    }
    await refusedChange(f, "DeleteUserHierarchyGroup", { InstanceId: other.id, HierarchyGroupId: g.id }, NOT_FOUND());
  });
});

describe("ListUserHierarchyGroups", () => {
  test("every group of every level, ordered by name then id, as summaries", async (t) => {
    const f = await fixture(t);
    await setLevels(f, ["Company", "Team"]);
    const b = await createGroup(f, "Bravo");
    const a = await createGroup(f, "Alpha");
    const a2 = await createGroup(f, "Alpha", b.id);
    const c = await createGroup(f, "Charlie", a.id);
    const out = await f.h.run("ListUserHierarchyGroups", { InstanceId: f.arn });
    const alphas = [a, a2].sort((x, y) => (x.id < y.id ? -1 : 1));
    assert.deepEqual(
      out.UserHierarchyGroupSummaryList?.map((s) => s.Id),
      [...alphas.map((x) => x.id), b.id, c.id],
    );
    const first = out.UserHierarchyGroupSummaryList?.[0];
    assert.deepEqual(Object.keys(first ?? {}).sort(), ["Arn", "Id", "LastModifiedRegion", "LastModifiedTime", "Name"]);
    assert.equal(out.NextToken, undefined);
  });

  test("pages with MaxResults; a token is bound to its instance", async (t) => {
    const f = await fixture(t);
    await setLevels(f, ["Company"]);
    const other = await addInstance(f.h);
    for (const name of ["e", "d", "c", "b", "a"]) await createGroup(f, name);
    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const out = await f.h.run("ListUserHierarchyGroups", { InstanceId: f.id, MaxResults: 2, ...(token ? { NextToken: token } : {}) });
      pages++;
      for (const s of out.UserHierarchyGroupSummaryList ?? []) names.push(s.Name as string);
      token = out.NextToken;
      if (pages === 1) {
        await refusedRead(f, "ListUserHierarchyGroups", { InstanceId: other.id, NextToken: token }, INVALID_PARAMETER(/nextToken/));
      }
    } while (token !== undefined && pages < 10);
    assert.equal(pages, 3);
    assert.deepEqual(names, ["a", "b", "c", "d", "e"]);
    for (const MaxResults of [0, 1001]) {
      await refusedRead(f, "ListUserHierarchyGroups", { InstanceId: f.id, MaxResults }, INVALID_PARAMETER(/maxResults/));
    }
  });

  test("an instance without groups lists none; unknown instances are not found", async (t) => {
    const f = await fixture(t);
    const out = await f.h.run("ListUserHierarchyGroups", { InstanceId: f.id });
    assert.deepEqual(out.UserHierarchyGroupSummaryList, []);
    for (const label of [NOBODY, ...foreignArns(f.arn)])
      await refusedRead(f, "ListUserHierarchyGroups", { InstanceId: label }, NOT_FOUND());
  });
});

// ---------------------------------------------------------------------------------------------
// IAM targets

describe("IAM: each operation's action and resource", () => {
  const instanceId = "11111111-2222-4333-8444-555555555555";
  const instance = `arn:aws:connect:us-east-1:${HARNESS_ACCOUNT}:instance/${instanceId}`;
  const groupId = "66666666-7777-4888-8999-000000000000";
  const cases: [ServedConnectOperation, Record<string, unknown>, string][] = [
    ["UpdateUserHierarchyStructure", { InstanceId: instanceId, HierarchyStructure: {} }, instance],
    ["DescribeUserHierarchyStructure", { InstanceId: instanceId }, instance],
    ["CreateUserHierarchyGroup", { InstanceId: instanceId, Name: "n" }, `${instance}/agent-group/*`],
    ["DescribeUserHierarchyGroup", { InstanceId: instanceId, HierarchyGroupId: groupId }, `${instance}/agent-group/${groupId}`],
    [
      "UpdateUserHierarchyGroupName",
      { InstanceId: instance, HierarchyGroupId: `${instance}/agent-group/${groupId}`, Name: "n" },
      `${instance}/agent-group/${groupId}`,
    ],
    ["DeleteUserHierarchyGroup", { InstanceId: instanceId, HierarchyGroupId: groupId }, `${instance}/agent-group/${groupId}`],
    ["ListUserHierarchyGroups", { InstanceId: instanceId }, instance],
  ];
  for (const [name, input, resource] of cases) {
    test(`${name} → connect:${name} on ${resource.replace(instance, "…/instance/{id}")}`, () => {
      const op = CONNECT_OPERATIONS[name];
      assert.ok(op);
      assert.equal(op.iam.length, 1);
      const [{ action, target }] = op.iam as [(typeof op.iam)[number]];
      assert.equal(action, `connect:${name}`);
      const resolved = target.resolve(input, HARNESS_SCOPE);
      assert.equal(Array.isArray(resolved) ? undefined : resolved.resourceArn, resource);
    });
  }

  test("CreateUserHierarchyGroup's Tags are aws:RequestTag; reads do not mutate, changes do", () => {
    const create = CONNECT_OPERATIONS.CreateUserHierarchyGroup;
    const resolved = create?.iam[0]?.target.resolve({ InstanceId: instanceId, Name: "n", Tags: { team: "a" } }, HARNESS_SCOPE);
    assert.deepEqual(Array.isArray(resolved) ? undefined : resolved?.requestTags, { team: "a" });
    for (const [name] of cases) {
      const mutates = !name.startsWith("Describe") && !name.startsWith("List");
      assert.equal(CONNECT_OPERATIONS[name]?.mutates, mutates, name);
    }
  });
});
