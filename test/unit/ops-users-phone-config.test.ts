// Rule tests for UpdateUserPhoneConfig (src/operations/users/update-user-phone-config.ts) through
// the operation harness: the config replaced whole, DESK_PHONE's E.164 number, ACW 0..2,000,000 s
// as for CreateUser, IDs or ARNs for the instance and the user, refusals that change nothing.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { CONNECT_OPERATIONS } from "../../src/operations/connect-service.js";
import { HARNESS_SCOPE } from "../helpers/operation-harness.js";
import {
  addInstance,
  addUser,
  INVALID_PARAMETER,
  iamResources,
  lastChange,
  NOBODY,
  NOT_FOUND,
  refusedChange,
  storedUser,
  userFixture,
} from "../helpers/user-fixture.js";

describe("UpdateUserPhoneConfig", () => {
  test("replaces the config whole: omitted members take their defaults, DescribeUser shows it", async (t) => {
    const f = await userFixture(t);
    const desk = { PhoneType: "DESK_PHONE", AutoAccept: false, AfterContactWorkTimeLimit: 120, DeskPhoneNumber: "+14155550123" } as const;
    f.h.clock.advance(5_000);
    await f.h.run("UpdateUserPhoneConfig", { InstanceId: f.instance.id, UserId: f.user.id, PhoneConfig: desk });
    const out = await f.h.run("DescribeUser", { InstanceId: f.instance.id, UserId: f.user.id });
    assert.deepEqual(out.User?.PhoneConfig, desk);
    assert.equal(out.User?.LastModifiedTime?.getTime(), f.h.clock.now());
    const e = await lastChange(f, "UpdateUserPhoneConfig");
    assert.equal(e.targetUserId, f.user.id);
    assert.deepEqual(e.record.additionalEventData, {
      changedMembers: ["PhoneType", "AutoAccept", "AfterContactWorkTimeLimit", "DeskPhoneNumber"],
    });
    assert.ok(!JSON.stringify(e.record.additionalEventData).includes("555"), "the change details hold no number");

    // Back to a soft phone with only PhoneType: the desk number goes, AutoAccept false, ACW 0.
    await f.h.run("UpdateUserPhoneConfig", { InstanceId: f.instance.id, UserId: f.user.id, PhoneConfig: { PhoneType: "SOFT_PHONE" } });
    const u = await storedUser(f);
    assert.deepEqual(u.phoneConfig, { phoneType: "SOFT_PHONE", autoAccept: false, afterContactWorkTimeLimit: 0 });
    const again = await f.h.run("DescribeUser", { InstanceId: f.instance.id, UserId: f.user.id });
    // as the wire carries it (an undefined member is not sent)
    assert.deepEqual(JSON.parse(JSON.stringify(again.User?.PhoneConfig)), {
      PhoneType: "SOFT_PHONE",
      AutoAccept: false,
      AfterContactWorkTimeLimit: 0,
    });
  });

  test("the ACW bounds are CreateUser's: 0 and 2,000,000 accepted", async (t) => {
    const f = await userFixture(t);
    for (const acw of [0, 2_000_000]) {
      await f.h.run("UpdateUserPhoneConfig", {
        InstanceId: f.instance.id,
        UserId: f.user.id,
        PhoneConfig: { PhoneType: "SOFT_PHONE", AfterContactWorkTimeLimit: acw },
      });
      assert.equal((await storedUser(f)).phoneConfig.afterContactWorkTimeLimit, acw);
    }
  });

  test("instance and user by ARN (the user's ARN names its instance)", async (t) => {
    const f = await userFixture(t);
    await f.h.run("UpdateUserPhoneConfig", {
      InstanceId: f.instance.arn,
      UserId: f.user.arn,
      PhoneConfig: { PhoneType: "SOFT_PHONE", AutoAccept: true, AfterContactWorkTimeLimit: 7 },
    });
    assert.equal((await storedUser(f)).phoneConfig.afterContactWorkTimeLimit, 7);
  });

  test("DESK_PHONE without a number, a number not in E.164, ACW out of range → InvalidParameterException", async (t) => {
    const f = await userFixture(t);
    const cases: [unknown, RegExp][] = [
      [{ PhoneType: "DESK_PHONE" }, /phoneConfig\.deskPhoneNumber.*required when PhoneType is DESK_PHONE/],
      [{ PhoneType: "DESK_PHONE", DeskPhoneNumber: "4155550123" }, /DeskPhoneNumber|deskPhoneNumber/],
      [{ PhoneType: "DESK_PHONE", DeskPhoneNumber: "+0155550123" }, /DeskPhoneNumber|deskPhoneNumber/],
      [{ PhoneType: "DESK_PHONE", DeskPhoneNumber: "+1415555012345678" }, /DeskPhoneNumber|deskPhoneNumber/],
      [{ PhoneType: "SOFT_PHONE", AfterContactWorkTimeLimit: 2_000_001 }, /less than or equal to 2000000/],
      [{ PhoneType: "SOFT_PHONE", AfterContactWorkTimeLimit: -1 }, /AfterContactWorkTimeLimit|afterContactWorkTimeLimit/],
      [{ PhoneType: "SATELLITE" }, /PhoneType|phoneType/],
      [{ AutoAccept: true }, /PhoneType|phoneType/],
    ];
    for (const [PhoneConfig, names] of cases) {
      await refusedChange(
        f,
        "UpdateUserPhoneConfig",
        { InstanceId: f.instance.id, UserId: f.user.id, PhoneConfig },
        INVALID_PARAMETER(names),
      );
    }
  });

  test("unknown instance or user, ARNs of another instance, region or account → ResourceNotFoundException", async (t) => {
    const f = await userFixture(t);
    const other = await addInstance(f.h);
    const stranger = await addUser(f.h, other);
    const pc = { PhoneType: "SOFT_PHONE" };
    const cases: [string, string, RegExp][] = [
      [NOBODY, f.user.id, /Instance not found/],
      [f.instance.id, NOBODY, /User not found/],
      [f.instance.id, stranger.id, /User not found/],
      [f.instance.id, stranger.arn, /User not found/],
      [f.instance.id, f.user.arn.replace(":us-east-1:", ":eu-west-2:"), /User not found/],
      [f.instance.id, f.user.arn.replace(`:${HARNESS_SCOPE.account}:`, ":111122223333:"), /User not found/],
      [f.instance.arn.replace(":us-east-1:", ":eu-west-2:"), f.user.id, /Instance not found/],
      [f.instance.id, `${f.instance.arn}/security-profile/${f.user.id}`, /User not found/],
    ];
    for (const [InstanceId, UserId, names] of cases) {
      await refusedChange(f, "UpdateUserPhoneConfig", { InstanceId, UserId, PhoneConfig: pc }, NOT_FOUND(names));
    }
  });

  test("IAM asks about the user (also when named by ARN); declared a change", () => {
    const op = CONNECT_OPERATIONS.UpdateUserPhoneConfig;
    const inst = `arn:aws:connect:us-east-1:${HARNESS_SCOPE.account}:instance/i-1`;
    assert.deepEqual(iamResources(op, { InstanceId: "i-1", UserId: "u-1", PhoneConfig: { PhoneType: "SOFT_PHONE" } }), [
      `connect:UpdateUserPhoneConfig ${inst}/agent/u-1`,
    ]);
    assert.deepEqual(iamResources(op, { InstanceId: inst, UserId: `${inst}/agent/u-1`, PhoneConfig: { PhoneType: "SOFT_PHONE" } }), [
      `connect:UpdateUserPhoneConfig ${inst}/agent/u-1`,
    ]);
    assert.equal(op?.mutates, true);
  });
});
