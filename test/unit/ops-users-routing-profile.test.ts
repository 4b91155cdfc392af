// Rule tests for UpdateUserRoutingProfile (src/operations/users/update-user-routing-profile.ts)
// through the operation harness: the profile by id or ARN, it must exist in the user's instance,
// a profile a user holds cannot be deleted (ResourceInUseException), IAM on user and profile.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { CONNECT_OPERATIONS } from "../../src/operations/connect-service.js";
import { HARNESS_SCOPE } from "../helpers/operation-harness.js";
import {
  addInstance,
  addRoutingProfile,
  IN_USE,
  iamResources,
  lastChange,
  NOBODY,
  NOT_FOUND,
  refusedChange,
  storedUser,
  userFixture,
} from "../helpers/user-fixture.js";

describe("UpdateUserRoutingProfile", () => {
  test("assigns the profile (by id, then by ARN); DescribeUser and the audit event show it", async (t) => {
    const f = await userFixture(t);
    const sales = await addRoutingProfile(f, "Sales");
    const support = await addRoutingProfile(f, "Support");
    f.h.clock.advance(1_000);
    await f.h.run("UpdateUserRoutingProfile", { InstanceId: f.instance.id, UserId: f.user.id, RoutingProfileId: sales.id });
    assert.equal((await storedUser(f)).routingProfileId, sales.id);
    const e = await lastChange(f, "UpdateUserRoutingProfile");
    assert.equal(e.targetUserId, f.user.id);
    assert.deepEqual(e.record.additionalEventData, { routingProfileId: { before: f.basicRouting.id, after: sales.id } });

    await f.h.run("UpdateUserRoutingProfile", { InstanceId: f.instance.arn, UserId: f.user.arn, RoutingProfileId: support.arn });
    const out = await f.h.run("DescribeUser", { InstanceId: f.instance.id, UserId: f.user.id });
    assert.equal(out.User?.RoutingProfileId, support.id, "stored as the bare id");
    assert.equal(out.User?.LastModifiedTime?.getTime(), f.h.clock.now());
  });

  test("the profile held cannot be deleted; once the user moves, it can", async (t) => {
    const f = await userFixture(t);
    const sales = await addRoutingProfile(f, "Sales");
    await f.h.run("UpdateUserRoutingProfile", { InstanceId: f.instance.id, UserId: f.user.id, RoutingProfileId: sales.id });
    const err = await f.h.failure("DeleteRoutingProfile", { InstanceId: f.instance.id, RoutingProfileId: sales.id });
    assert.equal(err.code, IN_USE().code);
    assert.equal(err.status, 409);
    await f.h.run("UpdateUserRoutingProfile", { InstanceId: f.instance.id, UserId: f.user.id, RoutingProfileId: f.basicRouting.id });
    await f.h.run("DeleteRoutingProfile", { InstanceId: f.instance.id, RoutingProfileId: sales.id });
  });

  test("a profile unknown, of another instance, region or account, or a security profile's ARN → ResourceNotFoundException", async (t) => {
    const f = await userFixture(t);
    const other = await addInstance(f.h);
    const foreign = await addRoutingProfile(f, "Elsewhere", other.instance.id);
    const sales = await addRoutingProfile(f, "Sales");
    const labels = [
      NOBODY,
      foreign.id,
      foreign.arn,
      sales.arn.replace(":us-east-1:", ":eu-west-2:"),
      sales.arn.replace(`:${HARNESS_SCOPE.account}:`, ":111122223333:"),
      sales.arn.replace("/routing-profile/", "/security-profile/"),
      f.agent.id,
    ];
    for (const RoutingProfileId of labels) {
      await refusedChange(
        f,
        "UpdateUserRoutingProfile",
        { InstanceId: f.instance.id, UserId: f.user.id, RoutingProfileId },
        NOT_FOUND(/Routing profile not found/),
      );
    }
    await refusedChange(
      f,
      "UpdateUserRoutingProfile",
      { InstanceId: f.instance.id, UserId: NOBODY, RoutingProfileId: sales.id },
      NOT_FOUND(/User not found/),
    );
    await refusedChange(
      f,
      "UpdateUserRoutingProfile",
      { InstanceId: NOBODY, UserId: f.user.id, RoutingProfileId: sales.id },
      NOT_FOUND(/Instance not found/),
    );
  });

  test("IAM asks about the user and the routing profile", () => {
    const inst = `arn:aws:connect:us-east-1:${HARNESS_SCOPE.account}:instance/i-1`;
    const op = CONNECT_OPERATIONS.UpdateUserRoutingProfile;
    const expected = [
      `connect:UpdateUserRoutingProfile ${inst}/agent/u-1`,
      `connect:UpdateUserRoutingProfile ${inst}/routing-profile/rp-1`,
    ];
    assert.deepEqual(iamResources(op, { InstanceId: "i-1", UserId: "u-1", RoutingProfileId: "rp-1" }), expected);
    assert.deepEqual(
      iamResources(op, { InstanceId: inst, UserId: `${inst}/agent/u-1`, RoutingProfileId: `${inst}/routing-profile/rp-1` }),
      expected,
    );
    assert.equal(op?.mutates, true);
  });
});
