// Round trip with the real @aws-sdk/client-connect over HTTP: users and UpdateUserIdentityInfo.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  type ConnectClient,
  CreateUserCommand,
  DeleteUserCommand,
  DescribeUserCommand,
  ListHoursOfOperationsCommand,
  ListUsersCommand,
  UpdateUserIdentityInfoCommand,
  type UserIdentityInfo,
} from "@aws-sdk/client-connect";
import { rejectsAws } from "../helpers/assert-aws.js";
import { createInstance, createUser, type InstanceFixture } from "../helpers/fixtures.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

let server: TestServer;
let c: ConnectClient;

before(async () => {
  server = await startTestServer(["--max-users-per-instance", "3"]);
  c = server.client();
});
after(() => server.close());

const rejects = rejectsAws;

const describeUser = async (inst: InstanceFixture, userId: string) =>
  (await c.send(new DescribeUserCommand({ InstanceId: inst.id, UserId: userId }))).User;

const update = (inst: InstanceFixture, userId: string, info: UserIdentityInfo | undefined) =>
  c.send(new UpdateUserIdentityInfoCommand({ InstanceId: inst.id, UserId: userId, IdentityInfo: info as UserIdentityInfo }));

describe("CreateUser / DescribeUser / ListUsers / DeleteUser", () => {
  test("create then describe returns every member", async () => {
    const inst = await createInstance(c);
    const u = await createUser(c, inst, {
      Username: "agent.one",
      IdentityInfo: { FirstName: "Ana", LastName: "Lima", Email: "ana@example.com", Mobile: "+5511999990000" },
      PhoneConfig: { PhoneType: "DESK_PHONE", DeskPhoneNumber: "+14155550123", AutoAccept: true, AfterContactWorkTimeLimit: 30 },
      SecurityProfileIds: [inst.agentProfileId, inst.adminProfileId],
      Tags: { team: "blue" },
    });
    assert.match(u.arn, new RegExp(`^arn:aws:connect:us-east-1:000000000000:instance/${inst.id}/agent/${u.id}$`));
    const user = await describeUser(inst, u.id);
    assert.equal(user?.Username, "agent.one");
    assert.deepEqual(user?.IdentityInfo, { FirstName: "Ana", LastName: "Lima", Email: "ana@example.com", Mobile: "+5511999990000" });
    assert.deepEqual(user?.PhoneConfig, {
      PhoneType: "DESK_PHONE",
      DeskPhoneNumber: "+14155550123",
      AutoAccept: true,
      AfterContactWorkTimeLimit: 30,
    });
    assert.deepEqual(new Set(user?.SecurityProfileIds), new Set([inst.agentProfileId, inst.adminProfileId]));
    assert.equal(user?.RoutingProfileId, inst.routingProfileId);
    assert.deepEqual(user?.Tags, { team: "blue" });
    assert.equal(user?.LastModifiedRegion, "us-east-1");
    assert.ok(user?.LastModifiedTime instanceof Date && Math.abs(user.LastModifiedTime.getTime() - Date.now()) < 60_000);
  });

  test("usernames are unique per instance, case-insensitively", async () => {
    const inst = await createInstance(c);
    await createUser(c, inst, { Username: "Dup.User" });
    const msg = await rejects(createUser(c, inst, { Username: "dup.user" }), "DuplicateResourceException", 409);
    assert.equal(msg, `The user dup.user is already associated with the Amazon Connect instance ${inst.id}`);
    // Another instance may reuse it.
    const other = await createInstance(c);
    await createUser(c, other, { Username: "dup.user" });
  });

  test("identity-type rules on create", async () => {
    const inst = await createInstance(c);
    await rejects(createUser(c, inst, { Password: undefined }), "InvalidRequestException", 400);
    assert.match(await rejects(createUser(c, inst, { Password: "short" }), "InvalidParameterException", 400), /'password'/);
    assert.match(await rejects(createUser(c, inst, { Username: "a".repeat(21) }), "InvalidRequestException", 400), /'username'/);
    await rejects(createUser(c, inst, { Username: "bad@host" }), "InvalidRequestException", 400);
    await rejects(createUser(c, inst, { IdentityInfo: { FirstName: "Only" } }), "InvalidRequestException", 400);
    await rejects(createUser(c, inst, { PhoneConfig: { PhoneType: "DESK_PHONE" } }), "InvalidParameterException", 400);
    await rejects(createUser(c, inst, { SecurityProfileIds: ["no-such-profile"] }), "ResourceNotFoundException", 404);
    await rejects(createUser(c, inst, { RoutingProfileId: "no-such-profile" }), "ResourceNotFoundException", 404);
    await rejects(createUser(c, inst, { SecurityProfileIds: [] }), "InvalidParameterException", 400);
    const saml = await createInstance(c, "SAML");
    await rejects(createUser(c, saml, { Password: "Passw0rd1" }), "InvalidRequestException", 400);
    await createUser(c, saml, { Password: undefined, Username: "saml_user@example.com" });
    const list = await c.send(new ListUsersCommand({ InstanceId: inst.id }));
    assert.equal(list.UserSummaryList?.length, 0, "no refused create left a user behind");
  });

  test("users per instance quota → LimitExceededException (429)", async () => {
    const inst = await createInstance(c);
    for (let i = 0; i < 3; i++) await createUser(c, inst);
    await rejects(createUser(c, inst), "LimitExceededException", 429);
  });

  test("ListUsers pages by username and DeleteUser removes", async () => {
    const inst = await createInstance(c);
    const made = [
      await createUser(c, inst, { Username: "carol" }),
      await createUser(c, inst, { Username: "alice" }),
      await createUser(c, inst, { Username: "bob" }),
    ];
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await c.send(new ListUsersCommand({ InstanceId: inst.arn, MaxResults: 2, NextToken: token }));
      assert.ok((page.UserSummaryList?.length ?? 0) <= 2);
      for (const s of page.UserSummaryList ?? []) {
        seen.push(s.Username as string);
        assert.ok(s.LastModifiedTime instanceof Date);
        assert.equal(s.LastModifiedRegion, "us-east-1");
      }
      token = page.NextToken;
    } while (token);
    assert.deepEqual(seen, ["alice", "bob", "carol"]);
    await rejects(c.send(new ListUsersCommand({ InstanceId: inst.id, NextToken: "garbage" })), "InvalidParameterException", 400);

    const bob = made[2] as { id: string };
    await c.send(new DeleteUserCommand({ InstanceId: inst.id, UserId: bob.id }));
    await rejects(describeUser(inst, bob.id), "ResourceNotFoundException", 404);
    await rejects(c.send(new DeleteUserCommand({ InstanceId: inst.id, UserId: bob.id })), "ResourceNotFoundException", 404);
  });

  test("resources are scoped by region", async () => {
    const inst = await createInstance(c);
    const u = await createUser(c, inst);
    const eu = server.client({ region: "eu-west-2" });
    await rejects(eu.send(new DescribeUserCommand({ InstanceId: inst.id, UserId: u.id })), "ResourceNotFoundException", 404);
  });
});

describe("UpdateUserIdentityInfo", () => {
  test("replaces the identity info and bumps LastModifiedTime/Region", async () => {
    const inst = await createInstance(c);
    const u = await createUser(c, inst, {
      IdentityInfo: { FirstName: "Jane", LastName: "Doe", Email: "jane@example.com", Mobile: "+14155550100" },
    });
    const before = await describeUser(inst, u.id);
    await new Promise((r) => setTimeout(r, 5));
    await update(inst, u.id, { FirstName: "Janet", LastName: "Doe-Smith", SecondaryEmail: "janet.s@example.org" });
    const after = await describeUser(inst, u.id);
    // Omitted optional members (Email, Mobile) are cleared: the call replaces, it does not merge.
    assert.deepEqual(after?.IdentityInfo, { FirstName: "Janet", LastName: "Doe-Smith", SecondaryEmail: "janet.s@example.org" });
    assert.ok((after?.LastModifiedTime?.getTime() ?? 0) > (before?.LastModifiedTime?.getTime() ?? 0));
    assert.equal(after?.LastModifiedRegion, "us-east-1");
    assert.equal(after?.Username, before?.Username, "other members untouched");
    assert.deepEqual(after?.PhoneConfig, before?.PhoneConfig);
  });

  test("accepts instance and user ARNs as identifiers", async () => {
    const inst = await createInstance(c);
    const u = await createUser(c, inst);
    await c.send(
      new UpdateUserIdentityInfoCommand({ InstanceId: inst.arn, UserId: u.arn, IdentityInfo: { FirstName: "Arn", LastName: "Path" } }),
    );
    assert.equal((await describeUser(inst, u.arn))?.IdentityInfo?.FirstName, "Arn");
  });

  test("unknown instance or user → ResourceNotFoundException (404)", async () => {
    const inst = await createInstance(c);
    const other = await createInstance(c);
    const u = await createUser(c, inst);
    const info = { FirstName: "A", LastName: "B" };
    await rejects(
      c.send(new UpdateUserIdentityInfoCommand({ InstanceId: "00000000-0000-0000-0000-000000000000", UserId: u.id, IdentityInfo: info })),
      "ResourceNotFoundException",
      404,
    );
    await rejects(update(inst, "00000000-0000-0000-0000-000000000000", info), "ResourceNotFoundException", 404);
    // A user ARN that names another instance does not resolve.
    await rejects(update(other, u.arn, info), "ResourceNotFoundException", 404);
  });

  test("CONNECT_MANAGED rules; every refused call changes nothing", async () => {
    const inst = await createInstance(c);
    const u = await createUser(c, inst, { IdentityInfo: { FirstName: "Keep", LastName: "Me", Email: "keep@example.com" } });
    const original = await describeUser(inst, u.id);
    const cases: Array<[UserIdentityInfo | undefined, string, RegExp]> = [
      [undefined, "InvalidParameterException", /Value null at 'identityInfo' failed to satisfy constraint: Member must not be null/],
      [{ LastName: "Doe" }, "InvalidRequestException", /'identityInfo.firstName'/],
      [{ FirstName: "Jane" }, "InvalidRequestException", /'identityInfo.lastName'/],
      [{ FirstName: "", LastName: "Doe" }, "InvalidRequestException", /'identityInfo.firstName'/],
      [{ FirstName: "x".repeat(256), LastName: "Doe" }, "InvalidParameterException", /'identityInfo.firstName'.*less than or equal to 255/],
      [{ FirstName: "Jane", LastName: "x".repeat(257) }, "InvalidRequestException", /'identityInfo.lastName'.*256/],
      [{ FirstName: "Jane", LastName: "x".repeat(301) }, "InvalidParameterException", /'identityInfo.lastName'.*300/],
      [{ FirstName: "Jose\u0301", LastName: "Doe" }, "InvalidParameterException", /'identityInfo.firstName'.*NFC/],
      [
        { FirstName: "Jane", LastName: "Doe", SecondaryEmail: "not-an-email" },
        "InvalidParameterException",
        /'identityInfo.secondaryEmail'/,
      ],
      [{ FirstName: "Jane", LastName: "Doe", SecondaryEmail: "a@b.c trailing" }, "InvalidParameterException", /secondaryEmail/],
      [{ FirstName: "Jane", LastName: "Doe", Email: "nope" }, "InvalidParameterException", /'identityInfo.email'/],
      [{ FirstName: "Jane", LastName: "Doe", Mobile: "+0123456" }, "InvalidParameterException", /'identityInfo.mobile'/],
      [{ FirstName: "Jane", LastName: "Doe", Mobile: "14155550100" }, "InvalidParameterException", /'identityInfo.mobile'/],
      [{ FirstName: "Jane", LastName: "Doe", Mobile: "+1234567890123456" }, "InvalidParameterException", /'identityInfo.mobile'/],
    ];
    for (const [info, name, pattern] of cases) {
      const msg = await rejects(update(inst, u.id, info), name, 400);
      assert.match(msg, pattern, `${JSON.stringify(info)} → ${msg}`);
      // Sensitive values are never echoed back.
      if (info?.FirstName) assert.ok(!msg.includes(info.FirstName.slice(0, 50)) || info.FirstName === "Jane", msg);
    }
    assert.deepEqual(await describeUser(inst, u.id), original, "no refused request changed the user");
    // The boundaries themselves are accepted.
    await update(inst, u.id, { FirstName: "x".repeat(255), LastName: "y".repeat(256), Mobile: "+123456789012345" });
    await update(inst, u.id, { FirstName: "José", LastName: "Ångström" });
    assert.deepEqual((await describeUser(inst, u.id))?.IdentityInfo, { FirstName: "José", LastName: "Ångström" });
  });

  test("SAML: names required, Email refused, SecondaryEmail allowed", async () => {
    const inst = await createInstance(c, "SAML");
    const u = await createUser(c, inst, { Password: undefined, Username: "saml.user" });
    await rejects(update(inst, u.id, { FirstName: "A", LastName: "B", Email: "a@example.com" }), "InvalidRequestException", 400);
    await rejects(update(inst, u.id, { FirstName: "A" }), "InvalidRequestException", 400);
    // SAML keeps the model's limits (LastName up to 300).
    await update(inst, u.id, { FirstName: "A", LastName: "z".repeat(300), SecondaryEmail: "a@example.com" });
    const user = await describeUser(inst, u.id);
    assert.equal(user?.IdentityInfo?.SecondaryEmail, "a@example.com");
    assert.equal(user?.IdentityInfo?.Email, undefined);
  });

  test("EXISTING_DIRECTORY: names and Email are the directory's; SecondaryEmail and Mobile are updatable", async () => {
    const inst = await createInstance(c, "EXISTING_DIRECTORY");
    const u = await createUser(c, inst, { Password: undefined, IdentityInfo: undefined, Username: "dir.user" });
    const msg = await rejects(
      update(inst, u.id, { FirstName: "A", LastName: "B", Email: "a@example.com" }),
      "InvalidRequestException",
      400,
    );
    assert.match(msg, /'identityInfo.firstName'/);
    assert.match(msg, /'identityInfo.lastName'/);
    assert.match(msg, /'identityInfo.email'/);
    await update(inst, u.id, { SecondaryEmail: "alt@example.com", Mobile: "+442071838750" });
    const user = await describeUser(inst, u.id);
    assert.deepEqual(user?.IdentityInfo, { SecondaryEmail: "alt@example.com", Mobile: "+442071838750" });
    assert.ok(user?.DirectoryUserId, "a directory user id is assigned");
  });
});

test("an operation Switchboard does not implement answers NotImplementedException naming it", async () => {
  const inst = await createInstance(c);
  const msg = await rejects(c.send(new ListHoursOfOperationsCommand({ InstanceId: inst.id })), "NotImplementedException", 501);
  assert.match(msg, /ListHoursOfOperations is not implemented in Switchboard/);
});

test("CreateUser validates what the SDK does not: required members, enums", async () => {
  const inst = await createInstance(c);
  const msg = await rejects(
    c.send(
      new CreateUserCommand({
        InstanceId: inst.id,
        Username: "x",
        PhoneConfig: { PhoneType: "CELL" as "SOFT_PHONE" },
      } as never),
    ),
    "InvalidParameterException",
    400,
  );
  assert.match(msg, /^3 validation errors detected: /);
  assert.match(msg, /'phoneConfig.phoneType' failed to satisfy constraint: Member must satisfy enum value set: \[SOFT_PHONE, DESK_PHONE\]/);
  assert.match(msg, /Value null at 'securityProfileIds'/);
  assert.match(msg, /Value null at 'routingProfileId'/);
});
