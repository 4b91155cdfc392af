// Round trip with the real @aws-sdk/client-connect over HTTP: the user hierarchy — its structure
// and groups — as Terraform's aws_connect_user_hierarchy_structure and
// aws_connect_user_hierarchy_group drive it, and every error of the family.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import {
  type ConnectClient,
  CreateUserHierarchyGroupCommand,
  DeleteUserHierarchyGroupCommand,
  DescribeUserHierarchyGroupCommand,
  DescribeUserHierarchyStructureCommand,
  type HierarchyStructureUpdate,
  ListUserHierarchyGroupsCommand,
  paginateListUserHierarchyGroups,
  ResourceInUseException,
  UpdateUserHierarchyCommand,
  UpdateUserHierarchyGroupNameCommand,
  UpdateUserHierarchyStructureCommand,
} from "@aws-sdk/client-connect";
import { rejectsAws as rejects } from "../helpers/assert-aws.js";
import { createInstance, createUser, type InstanceFixture } from "../helpers/fixtures.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

let server: TestServer;
let c: ConnectClient;

before(async () => {
  server = await startTestServer(["--max-hierarchy-groups-per-instance", "6"]);
  c = server.client();
});
after(() => server.close());

const MEMBERS = ["LevelOne", "LevelTwo", "LevelThree", "LevelFour", "LevelFive"] as const;
const structureOf = (names: readonly string[]): HierarchyStructureUpdate =>
  Object.fromEntries(names.map((Name, i) => [MEMBERS[i], { Name }])) as HierarchyStructureUpdate;

const setLevels = (inst: InstanceFixture, names: readonly string[]) =>
  c.send(new UpdateUserHierarchyStructureCommand({ InstanceId: inst.id, HierarchyStructure: structureOf(names) }));

async function createGroup(inst: InstanceFixture, Name: string, ParentGroupId?: string, Tags?: Record<string, string>) {
  const out = await c.send(new CreateUserHierarchyGroupCommand({ InstanceId: inst.id, Name, ParentGroupId, Tags }));
  assert.ok(out.HierarchyGroupId && out.HierarchyGroupArn);
  return { id: out.HierarchyGroupId, arn: out.HierarchyGroupArn };
}

/** Puts a user in a group (UpdateUserHierarchy; no group: detached). */
async function assignUser(inst: InstanceFixture, userId: string, groupId: string | undefined): Promise<void> {
  await c.send(new UpdateUserHierarchyCommand({ InstanceId: inst.id, UserId: userId, HierarchyGroupId: groupId }));
}

describe("aws_connect_user_hierarchy_structure: Create, Read, Update, Delete", () => {
  test("a new instance has no levels; the structure is set, read back, renamed and removed as Terraform does it", async () => {
    const inst = await createInstance(c);
    const empty = await c.send(new DescribeUserHierarchyStructureCommand({ InstanceId: inst.id }));
    assert.deepEqual(empty.HierarchyStructure, {}, "present and empty (Terraform errors on a missing one)");

    // Create = UpdateUserHierarchyStructure with the levels; Read = Describe (arn, id, name per level)
    await setLevels(inst, ["Company", "Division"]);
    const s1 = (await c.send(new DescribeUserHierarchyStructureCommand({ InstanceId: inst.id }))).HierarchyStructure;
    assert.deepEqual(Object.keys(s1 ?? {}), ["LevelOne", "LevelTwo"]);
    for (const [i, m] of (["LevelOne", "LevelTwo"] as const).entries()) {
      const level = s1?.[m];
      assert.match(level?.Id ?? "", /^[0-9a-f-]{36}$/);
      assert.equal(level?.Arn, `${inst.arn}/agent-group-level/${i + 1}`);
      assert.ok(level?.LastModifiedTime instanceof Date && Math.abs(level.LastModifiedTime.getTime() - Date.now()) < 60_000);
      assert.equal(level?.LastModifiedRegion, "us-east-1");
    }
    assert.equal(s1?.LevelOne?.Name, "Company");

    // Update: rename LevelTwo, add LevelThree
    await setLevels(inst, ["Company", "Business unit", "Team"]);
    const s2 = (await c.send(new DescribeUserHierarchyStructureCommand({ InstanceId: inst.arn }))).HierarchyStructure;
    assert.equal(s2?.LevelTwo?.Id, s1?.LevelTwo?.Id, "a rename keeps the id");
    assert.equal(s2?.LevelTwo?.Name, "Business unit");
    assert.equal(s2?.LevelThree?.Name, "Team");

    // Delete = an empty structure
    await c.send(new UpdateUserHierarchyStructureCommand({ InstanceId: inst.id, HierarchyStructure: {} }));
    assert.deepEqual((await c.send(new DescribeUserHierarchyStructureCommand({ InstanceId: inst.id }))).HierarchyStructure, {});
  });

  test("errors: a gap or a bad name (InvalidParameterException), a level groups occupy (ResourceInUseException), unknown instance (404)", async () => {
    const inst = await createInstance(c);
    const gap = await rejects(
      c.send(new UpdateUserHierarchyStructureCommand({ InstanceId: inst.id, HierarchyStructure: { LevelTwo: { Name: "Division" } } })),
      "InvalidParameterException",
      400,
    );
    assert.match(gap, /hierarchyStructure\.levelOne/);
    await rejects(setLevels(inst, ["x".repeat(51)]), "InvalidParameterException", 400);
    await setLevels(inst, ["Company", "Team"]);
    const top = await createGroup(inst, "top");
    await createGroup(inst, "team", top.id);
    try {
      await setLevels(inst, ["Company"]);
      assert.fail("removing an occupied level succeeded");
    } catch (err) {
      assert.ok(err instanceof ResourceInUseException, String(err));
      assert.equal(err.$metadata.httpStatusCode, 409);
      assert.equal(err.ResourceType, "HIERARCHY_LEVEL");
      assert.equal(err.ResourceId, `${inst.arn}/agent-group-level/2`);
    }
    const s = (await c.send(new DescribeUserHierarchyStructureCommand({ InstanceId: inst.id }))).HierarchyStructure;
    assert.equal(s?.LevelTwo?.Name, "Team", "the refused update changed nothing");
    await rejects(setLevels({ ...inst, id: randomUUID() }, ["Company"]), "ResourceNotFoundException", 404);
    await rejects(c.send(new DescribeUserHierarchyStructureCommand({ InstanceId: randomUUID() })), "ResourceNotFoundException", 404);
  });
});

describe("aws_connect_user_hierarchy_group: Create, Read, Update, Delete", () => {
  test("Create with ParentGroupId and Tags, Describe with the whole HierarchyPath, rename, delete", async () => {
    const inst = await createInstance(c);
    await setLevels(inst, ["Company", "Division", "Team"]);
    const top = await createGroup(inst, "Example Corp", undefined, { env: "test" });
    const division = await createGroup(inst, "Services", top.id, { env: "test" });
    const team = await createGroup(inst, "EU Site", division.arn, { team: "eu" });
    assert.equal(team.arn, `${inst.arn}/agent-group/${team.id}`);

    // Read: arn, hierarchy_group_id, hierarchy_path (arn, id, name per level), level_id, name, tags
    const g = (await c.send(new DescribeUserHierarchyGroupCommand({ InstanceId: inst.id, HierarchyGroupId: team.id }))).HierarchyGroup;
    assert.equal(g?.Id, team.id);
    assert.equal(g?.Arn, team.arn);
    assert.equal(g?.Name, "EU Site");
    assert.equal(g?.LevelId, "3");
    assert.deepEqual(g?.Tags, { team: "eu" });
    assert.ok(g?.LastModifiedTime instanceof Date);
    assert.equal(g?.LastModifiedRegion, "us-east-1");
    assert.deepEqual(
      [g?.HierarchyPath?.LevelOne, g?.HierarchyPath?.LevelTwo, g?.HierarchyPath?.LevelThree].map((s) => [s?.Id, s?.Arn, s?.Name]),
      [
        [top.id, top.arn, "Example Corp"],
        [division.id, division.arn, "Services"],
        [team.id, team.arn, "EU Site"],
      ],
    );
    assert.equal(g?.HierarchyPath?.LevelFour, undefined);

    // Update: UpdateUserHierarchyGroupName, then Read again
    await c.send(
      new UpdateUserHierarchyGroupNameCommand({ InstanceId: inst.id, HierarchyGroupId: division.id, Name: "Services Division" }),
    );
    const renamed = (await c.send(new DescribeUserHierarchyGroupCommand({ InstanceId: inst.arn, HierarchyGroupId: team.arn })))
      .HierarchyGroup;
    assert.equal(renamed?.HierarchyPath?.LevelTwo?.Name, "Services Division");

    // Delete, bottom up; then Read answers ResourceNotFoundException (Terraform's "gone")
    for (const x of [team, division, top]) {
      await c.send(new DeleteUserHierarchyGroupCommand({ InstanceId: inst.id, HierarchyGroupId: x.id }));
      await rejects(
        c.send(new DescribeUserHierarchyGroupCommand({ InstanceId: inst.id, HierarchyGroupId: x.id })),
        "ResourceNotFoundException",
        404,
      );
    }
  });

  test("ListUserHierarchyGroups: ordered by name, paged (the SDK's paginator follows NextToken)", async () => {
    const inst = await createInstance(c);
    await setLevels(inst, ["Company", "Team"]);
    const b = await createGroup(inst, "Bravo");
    await createGroup(inst, "Alpha");
    await createGroup(inst, "Charlie", b.id);
    const page1 = await c.send(new ListUserHierarchyGroupsCommand({ InstanceId: inst.id, MaxResults: 2 }));
    assert.deepEqual(
      page1.UserHierarchyGroupSummaryList?.map((s) => s.Name),
      ["Alpha", "Bravo"],
    );
    assert.ok(page1.NextToken);
    const names: string[] = [];
    for await (const p of paginateListUserHierarchyGroups({ client: c, pageSize: 1 }, { InstanceId: inst.id })) {
      for (const s of p.UserHierarchyGroupSummaryList ?? []) names.push(s.Name as string);
    }
    assert.deepEqual(names, ["Alpha", "Bravo", "Charlie"]);
    const one = page1.UserHierarchyGroupSummaryList?.[0];
    assert.match(one?.Arn ?? "", new RegExp(`^${inst.arn}/agent-group/${one?.Id}$`));
    assert.ok(one?.LastModifiedTime instanceof Date);
    await rejects(
      c.send(new ListUserHierarchyGroupsCommand({ InstanceId: (await createInstance(c)).id, NextToken: page1.NextToken })),
      "InvalidParameterException",
      400,
    );
  });

  test("errors: missing level, unknown parent, depth, duplicates, names, in use, unknown group, quota", async () => {
    const inst = await createInstance(c);
    // no structure yet: the level-one group has no level
    await rejects(c.send(new CreateUserHierarchyGroupCommand({ InstanceId: inst.id, Name: "top" })), "ResourceNotFoundException", 404);
    await setLevels(inst, ["Company", "Team"]);
    const top = await createGroup(inst, "top");
    const team = await createGroup(inst, "team", top.id);
    // LevelThree is not in the structure
    await rejects(
      c.send(new CreateUserHierarchyGroupCommand({ InstanceId: inst.id, Name: "site", ParentGroupId: team.id })),
      "ResourceNotFoundException",
      404,
    );
    await rejects(
      c.send(new CreateUserHierarchyGroupCommand({ InstanceId: inst.id, Name: "x", ParentGroupId: randomUUID() })),
      "ResourceNotFoundException",
      404,
    );
    await rejects(c.send(new CreateUserHierarchyGroupCommand({ InstanceId: inst.id, Name: "top" })), "DuplicateResourceException", 409);
    await rejects(c.send(new CreateUserHierarchyGroupCommand({ InstanceId: inst.id, Name: "" })), "InvalidParameterException", 400);
    await rejects(
      c.send(new CreateUserHierarchyGroupCommand({ InstanceId: inst.id, Name: "n".repeat(101) })),
      "InvalidParameterException",
      400,
    );
    const other = await createGroup(inst, "other");
    await rejects(
      c.send(new UpdateUserHierarchyGroupNameCommand({ InstanceId: inst.id, HierarchyGroupId: other.id, Name: "top" })),
      "DuplicateResourceException",
      409,
    );
    await rejects(
      c.send(new UpdateUserHierarchyGroupNameCommand({ InstanceId: inst.id, HierarchyGroupId: randomUUID(), Name: "y" })),
      "ResourceNotFoundException",
      404,
    );
    // a parent with a child, and a group a user belongs to, cannot be deleted
    const parentInUse = await rejects(
      c.send(new DeleteUserHierarchyGroupCommand({ InstanceId: inst.id, HierarchyGroupId: top.id })),
      "ResourceInUseException",
      409,
    );
    assert.match(parentInUse, /child group/);
    const user = await createUser(c, inst);
    await assignUser(inst, user.id, team.id);
    const userInUse = await rejects(
      c.send(new DeleteUserHierarchyGroupCommand({ InstanceId: inst.id, HierarchyGroupId: team.id })),
      "ResourceInUseException",
      409,
    );
    assert.match(userInUse, /user/);
    await assignUser(inst, user.id, undefined);
    await c.send(new DeleteUserHierarchyGroupCommand({ InstanceId: inst.id, HierarchyGroupId: team.id }));
    await rejects(
      c.send(new DeleteUserHierarchyGroupCommand({ InstanceId: inst.id, HierarchyGroupId: team.id })),
      "ResourceNotFoundException",
      404,
    );
    await rejects(
      c.send(
        new DescribeUserHierarchyGroupCommand({
          InstanceId: inst.id,
          HierarchyGroupId: `${inst.arn.replace("us-east-1", "eu-west-1")}/agent-group/${top.id}`,
        }),
      ),
      "ResourceNotFoundException",
      404,
    );
    // the server's quota is 6 groups: top, other + 4 more
    for (const name of ["g3", "g4", "g5", "g6"]) await createGroup(inst, name);
    await rejects(c.send(new CreateUserHierarchyGroupCommand({ InstanceId: inst.id, Name: "g7" })), "LimitExceededException", 429);
  });

  test("depth ≤ 5: five levels of groups, and no sixth", async () => {
    const inst = await createInstance(c);
    await setLevels(inst, ["L1", "L2", "L3", "L4", "L5"]);
    let parent: string | undefined;
    for (let i = 1; i <= 5; i++) parent = (await createGroup(inst, `g${i}`, parent)).id;
    const deepest = (await c.send(new DescribeUserHierarchyGroupCommand({ InstanceId: inst.id, HierarchyGroupId: parent as string })))
      .HierarchyGroup;
    assert.equal(deepest?.LevelId, "5");
    assert.deepEqual(
      MEMBERS.map((m) => deepest?.HierarchyPath?.[m]?.Name),
      ["g1", "g2", "g3", "g4", "g5"],
    );
    await rejects(
      c.send(new CreateUserHierarchyGroupCommand({ InstanceId: inst.id, Name: "g6", ParentGroupId: parent })),
      "ResourceNotFoundException",
      404,
    );
  });
});

describe("a child group created while its parent is deleted", () => {
  test("either the child exists and the delete was refused, or the parent is gone and the create refused — never an orphan", async () => {
    for (let round = 0; round < 2; round++) {
      const inst = await createInstance(c);
      await setLevels(inst, ["Region", "Site"]);
      // The server allows 6 groups per instance: 3 parents and their 3 children.
      const parents = await Promise.all(
        [0, 1, 2].map(async (i) => {
          const made = await c.send(new CreateUserHierarchyGroupCommand({ InstanceId: inst.id, Name: `Parent ${round}.${i}` }));
          return made.HierarchyGroupId ?? "";
        }),
      );
      const outcome = (p: Promise<unknown>) =>
        p.then(
          () => "ok",
          (e: { name: string }) => e.name,
        );
      const results = await Promise.all(
        parents.map((parent) =>
          Promise.all([
            outcome(c.send(new CreateUserHierarchyGroupCommand({ InstanceId: inst.id, Name: "Child", ParentGroupId: parent }))),
            outcome(c.send(new DeleteUserHierarchyGroupCommand({ InstanceId: inst.id, HierarchyGroupId: parent }))),
          ]),
        ),
      );
      const listed = await c.send(new ListUserHierarchyGroupsCommand({ InstanceId: inst.id }));
      const names = (listed.UserHierarchyGroupSummaryList ?? []).map((g) => g.Name);
      for (const [i, [create, remove]] of results.entries()) {
        if (create === "ok") {
          assert.equal(remove, "ResourceInUseException", `pair ${i}: the delete must see the child`);
          assert.ok(names.includes(`Parent ${round}.${i}`), `pair ${i}: the parent stays`);
        } else {
          assert.deepEqual([create, remove], ["ResourceNotFoundException", "ok"], `pair ${i}`);
          assert.ok(!names.includes(`Parent ${round}.${i}`));
        }
      }
      const children = names.filter((n) => n === "Child").length;
      assert.equal(children, results.filter(([create]) => create === "ok").length, "every child has its parent");
    }
  });
});
