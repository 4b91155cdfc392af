// A structure member sent as JSON null is a member not sent (src/protocol/restjson/deserialize.ts,
// withoutNulls): AWS's CloudFormation handler for AWS::Connect::User sends all five
// IdentityInfo members, null where unset. Through the harness (the codec's validation, then the
// operation), on CONNECT_MANAGED and SAML instances, for CreateUser, UpdateUserIdentityInfo and
// UpdateUserPhoneConfig; a null inside a list is still refused.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { addUser, storedUser, userFixture } from "../helpers/user-fixture.js";

const FIVE = (over: Record<string, string>) => ({
  FirstName: null,
  LastName: null,
  Email: null,
  SecondaryEmail: null,
  Mobile: null,
  ...over,
});

describe("null structure members are absent", () => {
  test("UpdateUserIdentityInfo with all five members, nulls where unset: the nulls are absent (replace clears them)", async (t) => {
    const f = await userFixture(t);
    await f.h.runRaw("UpdateUserIdentityInfo", {
      InstanceId: f.instance.id,
      UserId: f.user.id,
      IdentityInfo: FIVE({ FirstName: "Ada", LastName: "Byron", Email: "ada@example.com" }),
    });
    assert.deepEqual((await storedUser(f)).identityInfo, { firstName: "Ada", lastName: "Byron", email: "ada@example.com" });
    const e = (await f.h.auditEvents()).at(-1);
    assert.equal(e?.errorCode ?? null, null);
  });

  test("on a SAML instance a null Email is no Email (not refused as one)", async (t) => {
    const f = await userFixture(t);
    const saml = await f.h.run("CreateInstance", {
      IdentityManagementType: "SAML",
      InstanceAlias: "sb-null-saml",
      InboundCallsEnabled: true,
      OutboundCallsEnabled: true,
    });
    const sp = await f.h.run("ListSecurityProfiles", { InstanceId: saml.Id as string });
    const rp = await f.h.run("ListRoutingProfiles", { InstanceId: saml.Id as string });
    const agent = sp.SecurityProfileSummaryList?.find((p) => p.Name === "Agent");
    const instanceId = saml.Id as string;
    const agentId = agent?.Id as string;
    const routingId = rp.RoutingProfileSummaryList?.[0]?.Id as string;
    const out = await f.h.runRaw("CreateUser", {
      InstanceId: instanceId,
      Username: "saml.user",
      IdentityInfo: FIVE({ FirstName: "Sam", LastName: "L", SecondaryEmail: "sam@example.com" }),
      PhoneConfig: { PhoneType: "SOFT_PHONE", AutoAccept: null, AfterContactWorkTimeLimit: null, DeskPhoneNumber: null },
      SecurityProfileIds: [agentId],
      RoutingProfileId: routingId,
      HierarchyGroupId: null,
      Tags: null,
    });
    const id = (out as { UserId: string }).UserId;
    const u = await f.h.store.users.get(f.h.scope, instanceId, id);
    assert.deepEqual(u?.identityInfo, { firstName: "Sam", lastName: "L", secondaryEmail: "sam@example.com" });
    assert.deepEqual(u?.phoneConfig, { phoneType: "SOFT_PHONE", autoAccept: false, afterContactWorkTimeLimit: 0 });
    assert.equal(u?.hierarchyGroupId, undefined);
    assert.ok(await addUser(f.h, f), "the CONNECT_MANAGED instance is unaffected");
  });

  test("a null required member is still missing; a null inside a list is refused", async (t) => {
    const f = await userFixture(t);
    const err = await f.h.failure("UpdateUserPhoneConfig", {
      InstanceId: f.instance.id,
      UserId: f.user.id,
      PhoneConfig: { PhoneType: null },
    });
    assert.equal(err.code, "InvalidParameterException");
    assert.match(err.message, /phoneConfig\.phoneType/);
    const list = await f.h.failure("UpdateUserSecurityProfiles", {
      InstanceId: f.instance.id,
      UserId: f.user.id,
      SecurityProfileIds: [null],
    });
    assert.ok(["SerializationException", "InvalidParameterException"].includes(list.code), list.code);
    const first = await f.h.failure("UpdateUserIdentityInfo", { InstanceId: f.instance.id, UserId: f.user.id, IdentityInfo: FIVE({}) });
    assert.equal(first.code, "InvalidRequestException", "FirstName null = FirstName missing on CONNECT_MANAGED");
  });
});
