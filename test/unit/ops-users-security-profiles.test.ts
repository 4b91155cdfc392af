// Rule tests for UpdateUserSecurityProfiles (src/operations/users/update-user-security-profiles.ts)
// through the operation harness: the whole set replaced, 1..10 ids, each by id or ARN and each in
// the user's instance; a profile a user holds cannot be deleted; IAM on the user and each profile.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { CONNECT_OPERATIONS } from "../../src/operations/connect-service.js";
import { HARNESS_SCOPE } from "../helpers/operation-harness.js";
import {
  addInstance,
  addSecurityProfile,
  IN_USE,
  INVALID_PARAMETER,
  iamResources,
  lastChange,
  NOBODY,
  NOT_FOUND,
  refusedChange,
  storedUser,
  userFixture,
} from "../helpers/user-fixture.js";

describe("UpdateUserSecurityProfiles", () => {
  test("replaces the set; ids and ARNs mixed, one profile named twice kept once, the order kept", async (t) => {
    const f = await userFixture(t);
    const leads = await addSecurityProfile(f, "Leads");
    await f.h.run("UpdateUserSecurityProfiles", {
      InstanceId: f.instance.id,
      UserId: f.user.id,
      SecurityProfileIds: [leads.arn, f.admin.id, leads.id],
    });
    assert.deepEqual((await storedUser(f)).securityProfileIds, [leads.id, f.admin.id]);
    const out = await f.h.run("DescribeUser", { InstanceId: f.instance.arn, UserId: f.user.arn });
    assert.deepEqual(out.User?.SecurityProfileIds, [leads.id, f.admin.id]);
    const e = await lastChange(f, "UpdateUserSecurityProfiles");
    assert.equal(e.targetUserId, f.user.id);
    assert.deepEqual(e.record.additionalEventData, { securityProfileIds: { before: [f.agent.id], after: [leads.id, f.admin.id] } });

    // The whole set: Agent is gone; the memberships follow (who holds Admin, who holds Agent).
    const ref = (id: string) => f.h.store.users.listReferencing(f.h.scope, f.instance.id, { securityProfileId: id });
    assert.deepEqual(await ref(f.admin.id), [f.user.id]);
    assert.deepEqual(await ref(f.agent.id), []);
  });

  test("ten profiles accepted; none or eleven → InvalidParameterException", async (t) => {
    const f = await userFixture(t);
    const ten = [f.agent.id, f.admin.id];
    for (let i = 0; ten.length < 10; i++) ten.push((await addSecurityProfile(f, `P${i}`)).id);
    await f.h.run("UpdateUserSecurityProfiles", { InstanceId: f.instance.id, UserId: f.user.id, SecurityProfileIds: ten });
    assert.equal((await storedUser(f)).securityProfileIds.length, 10);
    const eleven = [...ten, (await addSecurityProfile(f, "P11")).id];
    for (const SecurityProfileIds of [[], eleven]) {
      await refusedChange(
        f,
        "UpdateUserSecurityProfiles",
        { InstanceId: f.instance.id, UserId: f.user.id, SecurityProfileIds },
        INVALID_PARAMETER(/securityProfileIds|SecurityProfileIds/),
      );
    }
  });

  test("a profile held cannot be deleted (ResourceInUseException naming the user); once removed from the set, it can", async (t) => {
    const f = await userFixture(t);
    const leads = await addSecurityProfile(f, "Leads");
    await f.h.run("UpdateUserSecurityProfiles", { InstanceId: f.instance.id, UserId: f.user.id, SecurityProfileIds: [leads.id] });
    const err = await f.h.failure("DeleteSecurityProfile", { InstanceId: f.instance.id, SecurityProfileId: leads.id });
    assert.equal(err.code, IN_USE().code);
    assert.match(err.message, /assigned to 1 user/);
    await f.h.run("UpdateUserSecurityProfiles", { InstanceId: f.instance.id, UserId: f.user.id, SecurityProfileIds: [f.agent.id] });
    await f.h.run("DeleteSecurityProfile", { InstanceId: f.instance.id, SecurityProfileId: leads.id });
  });

  test("one unknown or foreign profile refuses the whole set, naming it → ResourceNotFoundException", async (t) => {
    const f = await userFixture(t);
    const other = await addInstance(f.h);
    const foreign = await addSecurityProfile(f, "Elsewhere", other.instance.id);
    const leads = await addSecurityProfile(f, "Leads");
    const labels = [
      NOBODY,
      foreign.id,
      foreign.arn,
      leads.arn.replace(":us-east-1:", ":eu-west-2:"),
      leads.arn.replace(`:${HARNESS_SCOPE.account}:`, ":111122223333:"),
      leads.arn.replace("/security-profile/", "/routing-profile/"),
      f.basicRouting.id,
    ];
    for (const bad of labels) {
      const err = await refusedChange(
        f,
        "UpdateUserSecurityProfiles",
        { InstanceId: f.instance.id, UserId: f.user.id, SecurityProfileIds: [leads.id, bad] },
        NOT_FOUND(/Security profile not found/),
      );
      assert.ok(err.message.endsWith(bad), err.message);
    }
    await refusedChange(
      f,
      "UpdateUserSecurityProfiles",
      { InstanceId: f.instance.id, UserId: NOBODY, SecurityProfileIds: [leads.id] },
      NOT_FOUND(/User not found/),
    );
  });

  test("IAM asks about the user and each profile named (as ids, whichever form was sent)", () => {
    const inst = `arn:aws:connect:us-east-1:${HARNESS_SCOPE.account}:instance/i-1`;
    const op = CONNECT_OPERATIONS.UpdateUserSecurityProfiles;
    assert.deepEqual(
      iamResources(op, { InstanceId: "i-1", UserId: `${inst}/agent/u-1`, SecurityProfileIds: ["sp-1", `${inst}/security-profile/sp-2`] }),
      [
        `connect:UpdateUserSecurityProfiles ${inst}/agent/u-1`,
        `connect:UpdateUserSecurityProfiles ${inst}/security-profile/sp-1`,
        `connect:UpdateUserSecurityProfiles ${inst}/security-profile/sp-2`,
      ],
    );
    assert.equal(op?.mutates, true);
  });
});
