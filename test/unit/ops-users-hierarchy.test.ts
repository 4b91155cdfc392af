// Rule tests for UpdateUserHierarchy (src/operations/users/update-user-hierarchy.ts) and
// CreateUser's HierarchyGroupId through the operation harness: a group by id or ARN that must
// exist in the instance, HierarchyGroupId omitted = detached, a group a user is in cannot be
// deleted, IAM on the user and the group when one is named.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { CONNECT_OPERATIONS } from "../../src/operations/connect-service.js";
import { HARNESS_SCOPE } from "../helpers/operation-harness.js";
import {
  addGroup,
  addInstance,
  addUser,
  IN_USE,
  iamResources,
  lastChange,
  NOBODY,
  NOT_FOUND,
  refusedChange,
  storedUser,
  userFixture,
} from "../helpers/user-fixture.js";

describe("UpdateUserHierarchy", () => {
  test("assigns a group (by id, then a child by ARN), then detaches when HierarchyGroupId is omitted", async (t) => {
    const f = await userFixture(t);
    const site = await addGroup(f, "London");
    const team = await addGroup(f, "Night shift", site);
    await f.h.run("UpdateUserHierarchy", { InstanceId: f.instance.id, UserId: f.user.id, HierarchyGroupId: site.id });
    assert.equal((await storedUser(f)).hierarchyGroupId, site.id);
    await f.h.run("UpdateUserHierarchy", { InstanceId: f.instance.arn, UserId: f.user.arn, HierarchyGroupId: team.arn });
    const out = await f.h.run("DescribeUser", { InstanceId: f.instance.id, UserId: f.user.id });
    assert.equal(out.User?.HierarchyGroupId, team.id);
    let e = await lastChange(f, "UpdateUserHierarchy");
    assert.deepEqual(e.record.additionalEventData, { hierarchyGroupId: { before: site.id, after: team.id } });

    await f.h.run("UpdateUserHierarchy", { InstanceId: f.instance.id, UserId: f.user.id });
    assert.equal((await storedUser(f)).hierarchyGroupId, undefined);
    const detached = await f.h.run("DescribeUser", { InstanceId: f.instance.id, UserId: f.user.id });
    assert.equal(detached.User?.HierarchyGroupId, undefined);
    e = await lastChange(f, "UpdateUserHierarchy");
    assert.equal(e.targetUserId, f.user.id);
    assert.deepEqual(e.record.additionalEventData, { hierarchyGroupId: { before: team.id, after: null } });
    // Detaching a detached user is no error.
    await f.h.run("UpdateUserHierarchy", { InstanceId: f.instance.id, UserId: f.user.id });
  });

  test("a group with a user cannot be deleted; once the user leaves, it can", async (t) => {
    const f = await userFixture(t);
    const site = await addGroup(f, "London");
    await f.h.run("UpdateUserHierarchy", { InstanceId: f.instance.id, UserId: f.user.id, HierarchyGroupId: site.id });
    const err = await f.h.failure("DeleteUserHierarchyGroup", { InstanceId: f.instance.id, HierarchyGroupId: site.id });
    assert.equal(err.code, IN_USE().code);
    assert.match(err.message, /1 user assigned/);
    await f.h.run("UpdateUserHierarchy", { InstanceId: f.instance.id, UserId: f.user.id });
    await f.h.run("DeleteUserHierarchyGroup", { InstanceId: f.instance.id, HierarchyGroupId: site.id });
  });

  test("a group unknown, of another instance, region or account → ResourceNotFoundException", async (t) => {
    const f = await userFixture(t);
    const other = await addInstance(f.h);
    const foreign = await addGroup(f, "Elsewhere", undefined, other.instance.id);
    const site = await addGroup(f, "London");
    await f.h.run("UpdateUserHierarchy", { InstanceId: f.instance.id, UserId: f.user.id, HierarchyGroupId: site.id });
    const labels = [
      NOBODY,
      foreign.id,
      foreign.arn,
      site.arn.replace(":us-east-1:", ":eu-west-2:"),
      site.arn.replace(`:${HARNESS_SCOPE.account}:`, ":111122223333:"),
      site.arn.replace("/agent-group/", "/routing-profile/"),
    ];
    for (const HierarchyGroupId of labels) {
      await refusedChange(
        f,
        "UpdateUserHierarchy",
        { InstanceId: f.instance.id, UserId: f.user.id, HierarchyGroupId },
        NOT_FOUND(/Hierarchy group not found/),
      );
    }
    assert.equal((await storedUser(f)).hierarchyGroupId, site.id, "still in its group");
    await refusedChange(f, "UpdateUserHierarchy", { InstanceId: f.instance.id, UserId: NOBODY }, NOT_FOUND(/User not found/));
  });

  test("IAM asks about the user, and the group when one is named", () => {
    const inst = `arn:aws:connect:us-east-1:${HARNESS_SCOPE.account}:instance/i-1`;
    const op = CONNECT_OPERATIONS.UpdateUserHierarchy;
    assert.deepEqual(iamResources(op, { InstanceId: "i-1", UserId: "u-1", HierarchyGroupId: `${inst}/agent-group/g-1` }), [
      `connect:UpdateUserHierarchy ${inst}/agent/u-1`,
      `connect:UpdateUserHierarchy ${inst}/agent-group/g-1`,
    ]);
    assert.deepEqual(iamResources(op, { InstanceId: inst, UserId: "u-1" }), [`connect:UpdateUserHierarchy ${inst}/agent/u-1`]);
    assert.equal(op?.mutates, true);
  });
});

describe("CreateUser's HierarchyGroupId", () => {
  test("a group by id or ARN is stored and described; the group is then in use", async (t) => {
    const f = await userFixture(t);
    const site = await addGroup(f, "London");
    const a = await addUser(f.h, f, { HierarchyGroupId: site.id });
    const b = await addUser(f.h, f, { HierarchyGroupId: site.arn });
    for (const u of [a, b]) {
      const out = await f.h.run("DescribeUser", { InstanceId: f.instance.id, UserId: u.id });
      assert.equal(out.User?.HierarchyGroupId, site.id);
    }
    assert.equal(await f.h.store.users.countReferencing(f.h.scope, f.instance.id, { hierarchyGroupId: site.id }), 2);
    const err = await f.h.failure("DeleteUserHierarchyGroup", { InstanceId: f.instance.id, HierarchyGroupId: site.id });
    assert.equal(err.code, "ResourceInUseException");
  });

  test("an unknown or foreign group → ResourceNotFoundException, and no user is created", async (t) => {
    const f = await userFixture(t);
    const other = await addInstance(f.h);
    const foreign = await addGroup(f, "Elsewhere", undefined, other.instance.id);
    for (const HierarchyGroupId of [NOBODY, foreign.id, foreign.arn]) {
      const input = {
        InstanceId: f.instance.id,
        Username: "newcomer",
        Password: "Corr3ct-Horse",
        IdentityInfo: { FirstName: "Ada", LastName: "Lovelace" },
        PhoneConfig: { PhoneType: "SOFT_PHONE" },
        SecurityProfileIds: [f.agent.id],
        RoutingProfileId: f.basicRouting.id,
        HierarchyGroupId,
      };
      await refusedChange(f, "CreateUser", input, NOT_FOUND(/Hierarchy group not found/));
    }
  });
});
