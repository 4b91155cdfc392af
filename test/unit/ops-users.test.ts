// Rule tests for the user operations (CreateUser, DescribeUser, ListUsers, DeleteUser,
// UpdateUserIdentityInfo), run through the operation harness: the model's validation, then the
// invoke step, on an in-memory store — no HTTP. Rules: src/operations/users/*.ts and the README's
// "Fidelity notes".
import assert from "node:assert/strict";
import { describe, type TestContext, test } from "node:test";
import { internalService, type ServiceError } from "../../src/common/errors.js";
import { HIDDEN } from "../../src/common/mask.js";
import type { CreateUserRequest, UserIdentityInfo } from "../../src/model/types.gen.js";
import type { ServedConnectOperation } from "../../src/operations/connect-service.js";
import type { OperationContext } from "../../src/operations/declare.js";
import type { ChangeEvent, ChangeSubscriber } from "../../src/operations/events.js";
import type { AuditEventRecord, IdentityInfo, IdentityManagementType, UserRecord } from "../../src/store/records.js";
import { HARNESS_ACCOUNT, type HarnessOptions, type OperationHarness, operationHarness } from "../helpers/operation-harness.js";

const PASSWORD = "Corr3ct-Horse";
const DIRECTORY_ID = "d-0123456789";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TYPES: readonly IdentityManagementType[] = ["CONNECT_MANAGED", "SAML", "EXISTING_DIRECTORY"];

// ---------------------------------------------------------------------------------------------
// Fixtures

interface Instance {
  type: IdentityManagementType;
  id: string;
  arn: string;
  /** default security profiles, by name */
  securityProfiles: Record<string, { id: string; arn: string }>;
  routingProfile: { id: string; arn: string };
}

interface Fixture extends Instance {
  h: OperationHarness;
}

let aliasSeq = 0;

async function addInstance(h: OperationHarness, type: IdentityManagementType): Promise<Instance> {
  const created = await h.run("CreateInstance", {
    IdentityManagementType: type,
    ...(type === "EXISTING_DIRECTORY" ? { DirectoryId: DIRECTORY_ID } : { InstanceAlias: `sb-users-${++aliasSeq}` }),
    InboundCallsEnabled: true,
    OutboundCallsEnabled: true,
  });
  const id = created.Id as string;
  const sp = await h.run("ListSecurityProfiles", { InstanceId: id });
  const rp = await h.run("ListRoutingProfiles", { InstanceId: id });
  const securityProfiles: Instance["securityProfiles"] = {};
  for (const p of sp.SecurityProfileSummaryList ?? []) securityProfiles[p.Name as string] = { id: p.Id as string, arn: p.Arn as string };
  const routing = rp.RoutingProfileSummaryList?.[0];
  assert.ok(routing?.Id && routing.Arn, "a new instance has a routing profile");
  return { type, id, arn: created.Arn as string, securityProfiles, routingProfile: { id: routing.Id, arn: routing.Arn } };
}

/** A harness with one instance of the given type; closed when the test ends. */
async function fixture(t: TestContext, type: IdentityManagementType = "CONNECT_MANAGED", options: HarnessOptions = {}): Promise<Fixture> {
  const h = await operationHarness(options);
  t.after(() => h.close());
  return { h, ...(await addInstance(h, type)) };
}

const agentProfile = (i: Instance) => {
  const p = i.securityProfiles.Agent;
  assert.ok(p, "the default Agent security profile exists");
  return p;
};

/** Identity info valid on an instance of the type. */
function validIdentity(type: IdentityManagementType): UserIdentityInfo {
  if (type === "CONNECT_MANAGED") return { FirstName: "Ada", LastName: "Lovelace", Email: "ada@example.com" };
  if (type === "SAML") return { FirstName: "Ada", LastName: "Lovelace", SecondaryEmail: "ada@example.org" };
  return { SecondaryEmail: "ada@example.org" };
}

/** A CreateUser input valid on the instance; `over` replaces members (undefined removes one). */
function userInput(i: Instance, over: Partial<CreateUserRequest> = {}): CreateUserRequest {
  return {
    InstanceId: i.id,
    Username: "ada",
    ...(i.type === "CONNECT_MANAGED" ? { Password: PASSWORD } : {}),
    IdentityInfo: validIdentity(i.type),
    PhoneConfig: { PhoneType: "SOFT_PHONE" },
    SecurityProfileIds: [agentProfile(i).id],
    RoutingProfileId: i.routingProfile.id,
    ...over,
  };
}

async function createUser(f: Fixture, over: Partial<CreateUserRequest> = {}, instance: Instance = f): Promise<{ id: string; arn: string }> {
  const out = await f.h.run("CreateUser", userInput(instance, over));
  assert.ok(out.UserId && out.UserArn);
  return { id: out.UserId, arn: out.UserArn };
}

const storedUser = (f: Fixture, userId: string, instanceId = f.id) => f.h.store.users.get(f.h.scope, instanceId, userId);

/** Every user of the instance as the store holds them (what "nothing changed" is checked on). */
async function usersOf(f: Fixture, instanceId = f.id): Promise<UserRecord[]> {
  return f.h.store.users.list(f.h.scope, instanceId, { limit: 10_000 });
}

/** The object without its undefined members (the wire shapes carry explicit undefineds). */
function defined<T extends object>(o: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function last(events: AuditEventRecord[]): AuditEventRecord {
  const e = events.at(-1);
  assert.ok(e, "the audit trail is not empty");
  return e;
}

interface Expected {
  code: string;
  status: number;
  /** the member the message must name */
  names?: RegExp;
}

/**
 * A refused change: fails with the expected error, leaves the instance's users exactly as they
 * were, and adds exactly one event to the trail — the refusal, with its errorCode.
 */
async function refusedChange(
  f: Fixture,
  name: ServedConnectOperation,
  input: unknown,
  expected: Expected,
  opts: { checkNoChangeReported?: boolean } = {},
): Promise<ServiceError> {
  const usersBefore = await usersOf(f);
  const eventsBefore = await f.h.auditEvents();
  const err = await f.h.failure(name, input);
  assert.equal(err.code, expected.code, err.message);
  assert.equal(err.status, expected.status);
  if (expected.names) assert.match(err.message, expected.names);
  assert.deepEqual(await usersOf(f), usersBefore, "a refused change changes nothing");
  const eventsAfter = await f.h.auditEvents();
  assert.equal(eventsAfter.length, eventsBefore.length + 1, "exactly one new event: the refusal");
  const event = last(eventsAfter);
  assert.equal(event.eventName, name);
  assert.equal(event.errorCode, expected.code);
  assert.equal(event.record.errorCode, expected.code);
  assert.equal(event.record.errorMessage, err.message);
  assert.equal(event.record.readOnly, false);
  assert.equal(event.record.responseElements, null, "a refusal has no response");
  if (opts.checkNoChangeReported !== false) {
    assert.equal(event.record.additionalEventData, undefined, "a refusal reports no change");
  }
  return err;
}

/** A refused read: fails with the expected error and is not audited. */
async function refusedRead(f: Fixture, name: ServedConnectOperation, input: unknown, expected: Expected): Promise<ServiceError> {
  const before = (await f.h.auditEvents()).length;
  const err = await f.h.failure(name, input);
  assert.equal(err.code, expected.code, err.message);
  assert.equal(err.status, expected.status);
  if (expected.names) assert.match(err.message, expected.names);
  assert.equal((await f.h.auditEvents()).length, before, "a refused read is not audited");
  return err;
}

const INVALID_PARAMETER = (names?: RegExp): Expected => ({ code: "InvalidParameterException", status: 400, ...(names ? { names } : {}) });
const INVALID_REQUEST = (names?: RegExp): Expected => ({ code: "InvalidRequestException", status: 400, ...(names ? { names } : {}) });
const NOT_FOUND = (names?: RegExp): Expected => ({ code: "ResourceNotFoundException", status: 404, ...(names ? { names } : {}) });

const otherAccountArn = (arn: string) => arn.replace(`:${HARNESS_ACCOUNT}:`, ":111122223333:");
const otherRegionArn = (arn: string) => arn.replace(":us-east-1:", ":eu-west-2:");
const otherPartitionArn = (arn: string) => arn.replace("arn:aws:", "arn:aws-cn:");

// ---------------------------------------------------------------------------------------------
// CreateUser

describe("CreateUser: what is created", () => {
  test("DescribeUser reads back every member; defaults for AutoAccept and ACW; time from the clock", async (t) => {
    const f = await fixture(t);
    f.h.clock.advance(90_000);
    const created = await createUser(f, {
      Username: "ada.lovelace",
      IdentityInfo: { FirstName: "Ada", LastName: "Lovelace", Email: "ada@example.com", Mobile: "+15550100" },
      Tags: { team: "support" },
    });
    assert.match(created.id, UUID);
    assert.equal(created.arn, `${f.arn}/agent/${created.id}`);
    const { User } = await f.h.run("DescribeUser", { InstanceId: f.id, UserId: created.id });
    assert.ok(User);
    assert.equal(User.Id, created.id);
    assert.equal(User.Arn, created.arn);
    assert.equal(User.Username, "ada.lovelace");
    assert.deepEqual(defined(User.IdentityInfo), { FirstName: "Ada", LastName: "Lovelace", Email: "ada@example.com", Mobile: "+15550100" });
    assert.deepEqual(defined(User.PhoneConfig), { PhoneType: "SOFT_PHONE", AutoAccept: false, AfterContactWorkTimeLimit: 0 });
    assert.deepEqual(User.SecurityProfileIds, [agentProfile(f).id]);
    assert.equal(User.RoutingProfileId, f.routingProfile.id);
    assert.equal(User.DirectoryUserId, undefined, "no directory user id outside EXISTING_DIRECTORY");
    assert.equal(User.HierarchyGroupId, undefined);
    assert.deepEqual(User.Tags, { team: "support" });
    assert.ok(User.LastModifiedTime instanceof Date, "LastModifiedTime is a Date");
    assert.equal(User.LastModifiedTime.getTime(), f.h.clock.now());
    assert.equal(User.LastModifiedRegion, "us-east-1");
  });

  test("a DESK_PHONE with its number, AutoAccept and an ACW limit are stored as given", async (t) => {
    const f = await fixture(t);
    const { id } = await createUser(f, {
      PhoneConfig: { PhoneType: "DESK_PHONE", DeskPhoneNumber: "+442071838750", AutoAccept: true, AfterContactWorkTimeLimit: 120 },
    });
    const { User } = await f.h.run("DescribeUser", { InstanceId: f.id, UserId: id });
    assert.deepEqual(defined(User?.PhoneConfig), {
      PhoneType: "DESK_PHONE",
      DeskPhoneNumber: "+442071838750",
      AutoAccept: true,
      AfterContactWorkTimeLimit: 120,
    });
  });

  test("ARNs are accepted for InstanceId, SecurityProfileIds and RoutingProfileId; a profile named twice is kept once", async (t) => {
    const f = await fixture(t);
    const agent = agentProfile(f);
    const admin = f.securityProfiles.Admin;
    assert.ok(admin);
    const { id } = await createUser(f, {
      InstanceId: f.arn,
      SecurityProfileIds: [agent.arn, admin.id, agent.id],
      RoutingProfileId: f.routingProfile.arn,
    });
    const stored = await storedUser(f, id);
    assert.ok(stored, "the user is created in the instance the ARN names");
    assert.deepEqual(stored.securityProfileIds, [agent.id, admin.id], "stored as ids, each once, in the order given");
    assert.equal(stored.routingProfileId, f.routingProfile.id);
  });

  test("EXISTING_DIRECTORY: DirectoryUserId is kept when given and computed (a UUID) when omitted", async (t) => {
    const f = await fixture(t, "EXISTING_DIRECTORY");
    const given = await createUser(f, { Username: "grace", DirectoryUserId: "S-1-5-21-1004" });
    const computed = await createUser(f, { Username: "ada" });
    assert.equal((await storedUser(f, given.id))?.directoryUserId, "S-1-5-21-1004");
    const { User } = await f.h.run("DescribeUser", { InstanceId: f.id, UserId: computed.id });
    assert.match(User?.DirectoryUserId ?? "", UUID);
  });

  test("IdentityInfo may be omitted on EXISTING_DIRECTORY (the directory holds the names)", async (t) => {
    const f = await fixture(t, "EXISTING_DIRECTORY");
    const { id } = await createUser(f, { IdentityInfo: undefined });
    assert.deepEqual((await storedUser(f, id))?.identityInfo, {});
  });

  test("the success event: eventName, readOnly false, sensitive members hidden, ids in responseElements", async (t) => {
    const f = await fixture(t);
    f.h.clock.advance(5_000);
    const before = (await f.h.auditEvents()).length;
    const { id, arn } = await createUser(f, {
      Username: "ada",
      Password: PASSWORD,
      IdentityInfo: {
        FirstName: "Ada",
        LastName: "Lovelace",
        Email: "ada@example.com",
        SecondaryEmail: "countess@example.org",
        Mobile: "+15550100",
      },
      Tags: { team: "support" },
    });
    const events = await f.h.auditEvents();
    assert.equal(events.length, before + 1, "one event for one change");
    const e = last(events);
    assert.equal(e.eventName, "CreateUser");
    assert.equal(e.errorCode, undefined);
    assert.equal(e.targetUserId, id);
    assert.equal(e.principalArn, `arn:aws:iam::${HARNESS_ACCOUNT}:root`);
    assert.equal(e.eventTime, f.h.clock.now());
    assert.equal(e.record.eventName, "CreateUser");
    assert.equal(e.record.eventSource, "connect.amazonaws.com");
    assert.equal(e.record.readOnly, false);
    assert.equal(e.record.errorCode, undefined);
    assert.deepEqual(e.record.requestParameters, {
      username: "ada",
      password: HIDDEN,
      identityInfo: { firstName: HIDDEN, lastName: HIDDEN, email: HIDDEN, secondaryEmail: HIDDEN, mobile: HIDDEN },
      phoneConfig: { phoneType: "SOFT_PHONE" },
      securityProfileIds: [agentProfile(f).id],
      routingProfileId: f.routingProfile.id,
      instanceId: f.id,
      tags: { team: "support" },
    });
    assert.deepEqual(e.record.responseElements, { userId: id, userArn: arn });
    const text = JSON.stringify(e.record);
    for (const secret of [PASSWORD, "Lovelace", "ada@example.com", "countess@example.org", "+15550100"]) {
      assert.ok(!text.includes(secret), `the event does not contain ${secret}`);
    }
  });
});

describe("CreateUser: identity management type rules", () => {
  test("CONNECT_MANAGED: Password is required (InvalidRequestException naming password)", async (t) => {
    const f = await fixture(t);
    await refusedChange(f, "CreateUser", userInput(f, { Password: undefined }), INVALID_REQUEST(/'password'/));
  });

  test("SAML and EXISTING_DIRECTORY: Password is refused", async (t) => {
    for (const type of ["SAML", "EXISTING_DIRECTORY"] as const) {
      const f = await fixture(t, type);
      const err = await refusedChange(f, "CreateUser", userInput(f, { Password: PASSWORD }), INVALID_REQUEST(/'password'/));
      assert.ok(!err.message.includes(PASSWORD), "the password is not echoed");
    }
  });

  test("DirectoryUserId is refused outside EXISTING_DIRECTORY", async (t) => {
    for (const type of ["CONNECT_MANAGED", "SAML"] as const) {
      const f = await fixture(t, type);
      await refusedChange(f, "CreateUser", userInput(f, { DirectoryUserId: "S-1-5-21-1004" }), INVALID_REQUEST(/'directoryUserId'/));
    }
  });

  test("CONNECT_MANAGED and SAML: FirstName and LastName are required, each named", async (t) => {
    for (const type of ["CONNECT_MANAGED", "SAML"] as const) {
      const f = await fixture(t, type);
      const err = await refusedChange(
        f,
        "CreateUser",
        userInput(f, { IdentityInfo: { SecondaryEmail: "ada@example.org" } }),
        INVALID_REQUEST(),
      );
      assert.match(err.message, /^2 validation errors detected/);
      assert.match(err.message, /identityInfo\.firstName/);
      assert.match(err.message, /identityInfo\.lastName/);
      await refusedChange(f, "CreateUser", userInput(f, { IdentityInfo: undefined }), INVALID_REQUEST(/identityInfo\.firstName/));
    }
  });

  test("SAML: an empty name is refused although the model allows length 0", async (t) => {
    const f = await fixture(t, "SAML");
    await refusedChange(
      f,
      "CreateUser",
      userInput(f, { IdentityInfo: { FirstName: "", LastName: "Lovelace" } }),
      INVALID_REQUEST(/identityInfo\.firstName/),
    );
    await refusedChange(
      f,
      "CreateUser",
      userInput(f, { IdentityInfo: { FirstName: "Ada", LastName: "" } }),
      INVALID_REQUEST(/identityInfo\.lastName/),
    );
  });

  test("CONNECT_MANAGED: LastName at most 256 (InvalidRequestException); SAML keeps the model's 300", async (t) => {
    const f = await fixture(t);
    await createUser(f, { Username: "at-limit", IdentityInfo: { FirstName: "A".repeat(255), LastName: "L".repeat(256) } });
    await refusedChange(
      f,
      "CreateUser",
      userInput(f, { Username: "over", IdentityInfo: { FirstName: "Ada", LastName: "L".repeat(257) } }),
      INVALID_REQUEST(/identityInfo\.lastName.*less than or equal to 256/),
    );
    const saml = await addInstance(f.h, "SAML");
    await createUser(f, { Username: "long-saml", IdentityInfo: { FirstName: "Ada", LastName: "L".repeat(300) } }, saml);
    // beyond the model's own limit, it is a constraint violation on every type
    await refusedChange(
      f,
      "CreateUser",
      userInput(f, { Username: "model", IdentityInfo: { FirstName: "Ada", LastName: "L".repeat(301) } }),
      INVALID_PARAMETER(/identityInfo\.lastName/),
    );
  });

  test("CONNECT_MANAGED: name lengths count code points, not UTF-16 units", async (t) => {
    const f = await fixture(t);
    const { id } = await createUser(f, { IdentityInfo: { FirstName: "😀".repeat(255), LastName: "😀".repeat(256) } });
    assert.equal((await storedUser(f, id))?.identityInfo.lastName, "😀".repeat(256));
  });

  test("SAML: Email is refused (use SecondaryEmail)", async (t) => {
    const f = await fixture(t, "SAML");
    await refusedChange(
      f,
      "CreateUser",
      userInput(f, { IdentityInfo: { FirstName: "Ada", LastName: "Lovelace", Email: "ada@example.com" } }),
      INVALID_REQUEST(/identityInfo\.email.*SecondaryEmail/),
    );
  });

  test("EXISTING_DIRECTORY: FirstName, LastName and Email are refused, each named; SecondaryEmail and Mobile are the caller's", async (t) => {
    const f = await fixture(t, "EXISTING_DIRECTORY");
    const err = await refusedChange(
      f,
      "CreateUser",
      userInput(f, { IdentityInfo: { FirstName: "Ada", LastName: "Lovelace", Email: "ada@example.com" } }),
      INVALID_REQUEST(),
    );
    assert.match(err.message, /^3 validation errors detected/);
    for (const m of [/identityInfo\.firstName/, /identityInfo\.lastName/, /identityInfo\.email'/]) assert.match(err.message, m);
    for (const secret of ["Lovelace", "ada@example.com"]) assert.ok(!err.message.includes(secret), "values are not echoed");
    const { id } = await createUser(f, { IdentityInfo: { SecondaryEmail: "ada@example.org", Mobile: "+15550100" } });
    assert.deepEqual((await storedUser(f, id))?.identityInfo, { secondaryEmail: "ada@example.org", mobile: "+15550100" });
  });
});

describe("CreateUser: formats (every type) → InvalidParameterException", () => {
  test("names must already be NFC: decomposed text is refused, not normalized, and not echoed", async (t) => {
    for (const type of ["CONNECT_MANAGED", "SAML"] as const) {
      const f = await fixture(t, type);
      const decomposed = "Jose\u0301";
      const err = await refusedChange(
        f,
        "CreateUser",
        userInput(f, { IdentityInfo: { FirstName: decomposed, LastName: "Lovelace" } }),
        INVALID_PARAMETER(/identityInfo\.firstName.*Normalization Form C/),
      );
      assert.ok(!err.message.includes("Jose"), err.message);
      await refusedChange(
        f,
        "CreateUser",
        userInput(f, { IdentityInfo: { FirstName: "Ada", LastName: decomposed } }),
        INVALID_PARAMETER(/identityInfo\.lastName/),
      );
      const composed = "José".normalize("NFC");
      const { id } = await createUser(f, { IdentityInfo: { FirstName: composed, LastName: "Lovelace" } });
      assert.equal((await storedUser(f, id))?.identityInfo.firstName, composed);
    }
  });

  test("a format error is an InvalidParameterException even where the type rules would refuse the member too", async (t) => {
    const f = await fixture(t, "EXISTING_DIRECTORY");
    await refusedChange(
      f,
      "CreateUser",
      userInput(f, { IdentityInfo: { FirstName: "Jose\u0301" } }),
      INVALID_PARAMETER(/identityInfo\.firstName/),
    );
  });

  test("Email must be a whole e-mail address", async (t) => {
    const f = await fixture(t);
    for (const bad of ["ada", "ada@example", "ada@example.com trailing", "x ada@example.com", `${"a".repeat(260)}@example.com`]) {
      const err = await refusedChange(
        f,
        "CreateUser",
        userInput(f, { IdentityInfo: { FirstName: "Ada", LastName: "Lovelace", Email: bad } }),
        INVALID_PARAMETER(/identityInfo\.email'/),
      );
      assert.ok(!err.message.includes(bad), "the address is not echoed");
    }
  });

  test("SecondaryEmail must be a whole e-mail address, on every type", async (t) => {
    for (const type of TYPES) {
      const f = await fixture(t, type);
      const info = { ...validIdentity(type), SecondaryEmail: "ada@@example.org" };
      await refusedChange(f, "CreateUser", userInput(f, { IdentityInfo: info }), INVALID_PARAMETER(/identityInfo\.secondaryEmail/));
    }
  });

  test("Mobile must be E.164", async (t) => {
    const f = await fixture(t);
    for (const bad of ["5550100", "+05550100", "+1 555 0100", `+1${"5".repeat(15)}`]) {
      await refusedChange(
        f,
        "CreateUser",
        userInput(f, { IdentityInfo: { ...validIdentity("CONNECT_MANAGED"), Mobile: bad } }),
        INVALID_PARAMETER(/identityInfo\.mobile/),
      );
    }
  });

  test("a Password that does not match the model's pattern is refused and not echoed", async (t) => {
    const f = await fixture(t);
    const err = await refusedChange(f, "CreateUser", userInput(f, { Password: "alllowercase1" }), INVALID_PARAMETER(/'password'/));
    assert.ok(!err.message.includes("alllowercase1"));
  });

  test("a DESK_PHONE needs a DeskPhoneNumber", async (t) => {
    const f = await fixture(t);
    await refusedChange(
      f,
      "CreateUser",
      userInput(f, { PhoneConfig: { PhoneType: "DESK_PHONE" } }),
      INVALID_PARAMETER(/phoneConfig\.deskPhoneNumber.*DESK_PHONE/),
    );
    await refusedChange(
      f,
      "CreateUser",
      userInput(f, { PhoneConfig: { PhoneType: "DESK_PHONE", DeskPhoneNumber: "020 7183 8750" } }),
      INVALID_PARAMETER(/phoneConfig\.deskPhoneNumber/),
    );
  });

  test("AfterContactWorkTimeLimit is 0..2,000,000 seconds", async (t) => {
    const f = await fixture(t);
    await createUser(f, { Username: "max-acw", PhoneConfig: { PhoneType: "SOFT_PHONE", AfterContactWorkTimeLimit: 2_000_000 } });
    await refusedChange(
      f,
      "CreateUser",
      userInput(f, { Username: "over-acw", PhoneConfig: { PhoneType: "SOFT_PHONE", AfterContactWorkTimeLimit: 2_000_001 } }),
      INVALID_PARAMETER(/phoneConfig\.afterContactWorkTimeLimit.*2000000/),
    );
    await refusedChange(
      f,
      "CreateUser",
      userInput(f, { Username: "neg-acw", PhoneConfig: { PhoneType: "SOFT_PHONE", AfterContactWorkTimeLimit: -1 } }),
      INVALID_PARAMETER(/phoneConfig\.afterContactWorkTimeLimit/),
    );
  });

  test("both phone problems are reported together", async (t) => {
    const f = await fixture(t);
    const err = await refusedChange(
      f,
      "CreateUser",
      userInput(f, { PhoneConfig: { PhoneType: "DESK_PHONE", AfterContactWorkTimeLimit: 3_000_000 } }),
      INVALID_PARAMETER(/^2 validation errors detected/),
    );
    assert.match(err.message, /phoneConfig\.deskPhoneNumber/);
    assert.match(err.message, /phoneConfig\.afterContactWorkTimeLimit/);
  });

  test("SecurityProfileIds needs 1..10 entries (model)", async (t) => {
    const f = await fixture(t);
    await refusedChange(f, "CreateUser", userInput(f, { SecurityProfileIds: [] }), INVALID_PARAMETER(/securityProfileIds/));
  });

  test("a member of the wrong JSON type is a SerializationException", async (t) => {
    const f = await fixture(t);
    await refusedChange(
      f,
      "CreateUser",
      { ...userInput(f), Username: 42 },
      { code: "SerializationException", status: 400, names: /'username'/ },
    );
  });
});

describe("CreateUser: usernames", () => {
  test("up to 20 characters outside SAML (InvalidRequestException); counted in code points", async (t) => {
    for (const type of ["CONNECT_MANAGED", "EXISTING_DIRECTORY"] as const) {
      const f = await fixture(t, type);
      await createUser(f, { Username: "u".repeat(20) });
      await refusedChange(f, "CreateUser", userInput(f, { Username: "v".repeat(21) }), INVALID_REQUEST(/'username'.*20/));
      await createUser(f, { Username: "😀".repeat(20) });
    }
  });

  test("SAML: up to 64 characters from [a-zA-Z0-9_-.@]", async (t) => {
    const f = await fixture(t, "SAML");
    await createUser(f, { Username: "a".repeat(64) });
    await createUser(f, { Username: "Ada_Lovelace-1.x" });
    await refusedChange(f, "CreateUser", userInput(f, { Username: "b".repeat(65) }), INVALID_REQUEST(/'username'/));
    await refusedChange(f, "CreateUser", userInput(f, { Username: "ada lovelace" }), INVALID_REQUEST(/'username'/));
    await refusedChange(f, "CreateUser", userInput(f, { Username: "adá" }), INVALID_REQUEST(/'username'/));
  });

  test("'@' only in e-mail form", async (t) => {
    for (const type of ["CONNECT_MANAGED", "SAML"] as const) {
      const f = await fixture(t, type);
      await createUser(f, { Username: "ada@example.com" });
      await refusedChange(f, "CreateUser", userInput(f, { Username: "ada@home" }), INVALID_REQUEST(/'username'.*'@'/));
      await refusedChange(f, "CreateUser", userInput(f, { Username: "@example.com" }), INVALID_REQUEST(/'username'/));
    }
  });

  test("beyond the model's 100 characters it is a constraint violation", async (t) => {
    const f = await fixture(t, "SAML");
    await refusedChange(f, "CreateUser", userInput(f, { Username: "a".repeat(101) }), INVALID_PARAMETER(/'username'/));
  });

  test("unique per instance, case-insensitively (DuplicateResourceException, 409)", async (t) => {
    const f = await fixture(t);
    const first = await createUser(f, { Username: "Ada.Lovelace" });
    for (const again of ["Ada.Lovelace", "ada.lovelace", "ADA.LOVELACE"]) {
      const err = await refusedChange(f, "CreateUser", userInput(f, { Username: again }), {
        code: "DuplicateResourceException",
        status: 409,
      });
      assert.equal(err.message, `The user ${again} is already associated with the Amazon Connect instance ${f.id}`);
    }
    const users = await usersOf(f);
    assert.deepEqual(
      users.map((u) => [u.id, u.username]),
      [[first.id, "Ada.Lovelace"]],
    );
    // the same name in another instance is another user
    const other = await addInstance(f.h, "CONNECT_MANAGED");
    await createUser(f, { Username: "ada.lovelace" }, other);
  });
});

describe("CreateUser: what it refers to", () => {
  test("an unknown instance → ResourceNotFoundException", async (t) => {
    const f = await fixture(t);
    await refusedChange(f, "CreateUser", userInput(f, { InstanceId: "00000000-0000-4000-8000-000000000000" }), NOT_FOUND(/Instance/));
  });

  test("an instance ARN of another account, region or partition does not resolve", async (t) => {
    const f = await fixture(t);
    for (const arn of [otherAccountArn(f.arn), otherRegionArn(f.arn), otherPartitionArn(f.arn)]) {
      assert.notEqual(arn, f.arn);
      await refusedChange(f, "CreateUser", userInput(f, { InstanceId: arn }), NOT_FOUND(/Instance not found/));
    }
  });

  test("an unknown security or routing profile → ResourceNotFoundException naming which", async (t) => {
    const f = await fixture(t);
    const nobody = "00000000-0000-4000-8000-000000000000";
    await refusedChange(
      f,
      "CreateUser",
      userInput(f, { SecurityProfileIds: [agentProfile(f).id, nobody] }),
      NOT_FOUND(/Security profile not found/),
    );
    await refusedChange(f, "CreateUser", userInput(f, { RoutingProfileId: nobody }), NOT_FOUND(/Routing profile not found/));
  });

  test("a profile of the wrong kind does not resolve", async (t) => {
    const f = await fixture(t);
    await refusedChange(f, "CreateUser", userInput(f, { RoutingProfileId: agentProfile(f).id }), NOT_FOUND(/Routing profile/));
    await refusedChange(f, "CreateUser", userInput(f, { SecurityProfileIds: [f.routingProfile.id] }), NOT_FOUND(/Security profile/));
    // an ARN of the other type naming a real id
    const asRouting = f.routingProfile.arn.replace("/routing-profile/", "/security-profile/");
    await refusedChange(f, "CreateUser", userInput(f, { SecurityProfileIds: [asRouting] }), NOT_FOUND(/Security profile/));
  });

  test("profiles of another instance, or profile ARNs of another account or region, do not resolve", async (t) => {
    const f = await fixture(t);
    const other = await addInstance(f.h, "CONNECT_MANAGED");
    await refusedChange(f, "CreateUser", userInput(f, { SecurityProfileIds: [agentProfile(other).id] }), NOT_FOUND(/Security profile/));
    await refusedChange(f, "CreateUser", userInput(f, { RoutingProfileId: other.routingProfile.arn }), NOT_FOUND(/Routing profile/));
    await refusedChange(
      f,
      "CreateUser",
      userInput(f, { SecurityProfileIds: [otherRegionArn(agentProfile(f).arn)] }),
      NOT_FOUND(/Security profile/),
    );
    await refusedChange(
      f,
      "CreateUser",
      userInput(f, { RoutingProfileId: otherAccountArn(f.routingProfile.arn) }),
      NOT_FOUND(/Routing profile/),
    );
  });

  test("a HierarchyGroupId of no group → ResourceNotFoundException", async (t) => {
    const f = await fixture(t);
    await refusedChange(
      f,
      "CreateUser",
      userInput(f, { HierarchyGroupId: "00000000-0000-4000-8000-000000000000" }),
      NOT_FOUND(/Hierarchy group/),
    );
  });
});

describe("CreateUser: the users quota", () => {
  test("more than usersPerInstance → LimitExceededException (429); other instances are not affected", async (t) => {
    const f = await fixture(t, "CONNECT_MANAGED", { quotas: { usersPerInstance: 2 } });
    await createUser(f, { Username: "one" });
    const two = await createUser(f, { Username: "two" });
    const err = await refusedChange(f, "CreateUser", userInput(f, { Username: "three" }), { code: "LimitExceededException", status: 429 });
    assert.match(err.message, /maximum of 2 users/);
    assert.equal(await f.h.store.users.count(f.h.scope, f.id), 2);
    const other = await addInstance(f.h, "CONNECT_MANAGED");
    await createUser(f, { Username: "three" }, other);
    // deleting a user makes room again
    await f.h.run("DeleteUser", { InstanceId: f.id, UserId: two.id });
    await createUser(f, { Username: "three" });
  });
});

// ---------------------------------------------------------------------------------------------
// DescribeUser

describe("DescribeUser", () => {
  test("by id or by ARN, in an instance named by id or by ARN", async (t) => {
    const f = await fixture(t);
    const { id, arn } = await createUser(f);
    for (const [InstanceId, UserId] of [
      [f.id, id],
      [f.arn, id],
      [f.id, arn],
      [f.arn, arn],
    ] as const) {
      const { User } = await f.h.run("DescribeUser", { InstanceId, UserId });
      assert.equal(User?.Id, id);
      assert.equal(User?.Username, "ada");
    }
  });

  test("an unknown user or instance → ResourceNotFoundException", async (t) => {
    const f = await fixture(t);
    await refusedRead(f, "DescribeUser", { InstanceId: f.id, UserId: "00000000-0000-4000-8000-000000000000" }, NOT_FOUND(/User not found/));
    const { id } = await createUser(f);
    await refusedRead(
      f,
      "DescribeUser",
      { InstanceId: "00000000-0000-4000-8000-000000000000", UserId: id },
      NOT_FOUND(/Instance not found/),
    );
  });

  test("a user is found only in its own instance, and only by an ARN of its own instance, account and region", async (t) => {
    const f = await fixture(t);
    const { id, arn } = await createUser(f);
    const other = await addInstance(f.h, "CONNECT_MANAGED");
    await refusedRead(f, "DescribeUser", { InstanceId: other.id, UserId: id }, NOT_FOUND(/User not found/));
    const inOther = arn.replace(f.id, other.id);
    await refusedRead(f, "DescribeUser", { InstanceId: f.id, UserId: inOther }, NOT_FOUND(/User not found/));
    for (const wrong of [otherAccountArn(arn), otherRegionArn(arn), otherPartitionArn(arn), arn.replace("/agent/", "/queue/")]) {
      await refusedRead(f, "DescribeUser", { InstanceId: f.id, UserId: wrong }, NOT_FOUND(/User not found/));
    }
    // an ARN of something inside the instance does not name the instance
    await refusedRead(f, "DescribeUser", { InstanceId: `${f.arn}/agent/x`, UserId: id }, NOT_FOUND(/Instance not found/));
  });

  test("a user in another region is not visible from this one", async (t) => {
    const f = await fixture(t);
    const { id } = await createUser(f);
    const err = await f.h.failure(
      "DescribeUser",
      { InstanceId: f.id, UserId: id },
      { scope: { account: HARNESS_ACCOUNT, region: "eu-west-2" } },
    );
    assert.equal(err.code, "ResourceNotFoundException");
  });

  test("reads are not audited", async (t) => {
    const f = await fixture(t);
    const { id } = await createUser(f);
    const before = (await f.h.auditEvents()).length;
    await f.h.run("DescribeUser", { InstanceId: f.id, UserId: id });
    assert.equal((await f.h.auditEvents()).length, before);
  });
});

// ---------------------------------------------------------------------------------------------
// ListUsers

describe("ListUsers", () => {
  test("summaries ordered by username, with LastModifiedTime as a Date from the clock", async (t) => {
    const f = await fixture(t);
    const names = ["mary", "Bob", "alice", "zed", "Carol"];
    const times = new Map<string, number>();
    const ids = new Map<string, string>();
    for (const name of names) {
      f.h.clock.advance(1_000);
      ids.set(name, (await createUser(f, { Username: name })).id);
      times.set(name, f.h.clock.now());
    }
    const out = await f.h.run("ListUsers", { InstanceId: f.id });
    assert.equal(out.NextToken, undefined);
    const list = out.UserSummaryList ?? [];
    assert.deepEqual(
      list.map((u) => u.Username),
      [...names].sort(),
    );
    for (const u of list) {
      const name = u.Username as string;
      assert.equal(u.Id, ids.get(name));
      assert.equal(u.Arn, `${f.arn}/agent/${ids.get(name)}`);
      assert.ok(u.LastModifiedTime instanceof Date);
      assert.equal(u.LastModifiedTime.getTime(), times.get(name));
      assert.equal(u.LastModifiedRegion, "us-east-1");
    }
  });

  test("MaxResults pages through every user once; the last page has no NextToken", async (t) => {
    const f = await fixture(t);
    const names = ["u1", "u2", "u3", "u4", "u5"];
    for (const name of names) await createUser(f, { Username: name });
    const pages: string[][] = [];
    let token: string | undefined;
    do {
      const out = await f.h.run("ListUsers", { InstanceId: f.id, MaxResults: 2, ...(token ? { NextToken: token } : {}) });
      pages.push((out.UserSummaryList ?? []).map((u) => u.Username as string));
      token = out.NextToken;
    } while (token !== undefined && pages.length < 10);
    assert.deepEqual(pages, [["u1", "u2"], ["u3", "u4"], ["u5"]]);
  });

  test("a page that ends exactly at the last user has no NextToken", async (t) => {
    const f = await fixture(t);
    for (const name of ["a1", "a2"]) await createUser(f, { Username: name });
    const out = await f.h.run("ListUsers", { InstanceId: f.id, MaxResults: 2 });
    assert.equal(out.UserSummaryList?.length, 2);
    assert.equal(out.NextToken, undefined);
  });

  test("the default page is 100 users", async (t) => {
    const f = await fixture(t);
    for (let i = 0; i < 101; i++) await createUser(f, { Username: `user${String(i).padStart(3, "0")}` });
    const first = await f.h.run("ListUsers", { InstanceId: f.id });
    assert.equal(first.UserSummaryList?.length, 100);
    assert.ok(first.NextToken);
    const rest = await f.h.run("ListUsers", { InstanceId: f.id, NextToken: first.NextToken });
    assert.deepEqual(
      rest.UserSummaryList?.map((u) => u.Username),
      ["user100"],
    );
  });

  test("MaxResults outside 1..1000 → InvalidParameterException naming maxResults", async (t) => {
    const f = await fixture(t);
    for (const MaxResults of [0, 1001])
      await refusedRead(f, "ListUsers", { InstanceId: f.id, MaxResults }, INVALID_PARAMETER(/maxResults/));
  });

  test("a forged token, or one from another listing, → InvalidParameterException naming nextToken", async (t) => {
    const f = await fixture(t);
    for (const name of ["u1", "u2", "u3"]) await createUser(f, { Username: name });
    const { NextToken } = await f.h.run("ListUsers", { InstanceId: f.id, MaxResults: 1 });
    assert.ok(NextToken);
    const forged = [
      "not-a-token",
      Buffer.from(JSON.stringify({ k: "u1", c: "AAAAAAAAAAAAAAAA" })).toString("base64url"),
      // a real token's checksum with another key
      Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(NextToken, "base64url").toString("utf8")), k: "u2" })).toString("base64url"),
    ];
    for (const token of forged) await refusedRead(f, "ListUsers", { InstanceId: f.id, NextToken: token }, INVALID_PARAMETER(/nextToken/));
    // bound to the instance it came from
    const other = await addInstance(f.h, "CONNECT_MANAGED");
    await refusedRead(f, "ListUsers", { InstanceId: other.id, NextToken }, INVALID_PARAMETER(/nextToken/));
    // and to the operation
    await refusedRead(f, "ListSecurityProfiles", { InstanceId: f.id, NextToken }, INVALID_PARAMETER(/nextToken/));
    // the genuine token still works
    const page = await f.h.run("ListUsers", { InstanceId: f.id, MaxResults: 1, NextToken });
    assert.deepEqual(
      page.UserSummaryList?.map((u) => u.Username),
      ["u2"],
    );
  });

  test("only the instance's users; InstanceId may be an ARN; an unknown instance → ResourceNotFoundException", async (t) => {
    const f = await fixture(t);
    const other = await addInstance(f.h, "CONNECT_MANAGED");
    await createUser(f, { Username: "mine" });
    await createUser(f, { Username: "theirs" }, other);
    const out = await f.h.run("ListUsers", { InstanceId: f.arn });
    assert.deepEqual(
      out.UserSummaryList?.map((u) => u.Username),
      ["mine"],
    );
    await refusedRead(f, "ListUsers", { InstanceId: otherRegionArn(f.arn) }, NOT_FOUND(/Instance not found/));
    await refusedRead(f, "ListUsers", { InstanceId: "00000000-0000-4000-8000-000000000000" }, NOT_FOUND(/Instance not found/));
  });

  test("reads are not audited", async (t) => {
    const f = await fixture(t);
    await createUser(f);
    const before = (await f.h.auditEvents()).length;
    await f.h.run("ListUsers", { InstanceId: f.id });
    await f.h.run("ListUsers", { InstanceId: f.id, MaxResults: 1 });
    assert.equal((await f.h.auditEvents()).length, before);
  });
});

// ---------------------------------------------------------------------------------------------
// DeleteUser

describe("DeleteUser", () => {
  test("removes the user (and only that user); audited with the target user", async (t) => {
    const f = await fixture(t);
    const gone = await createUser(f, { Username: "gone" });
    const kept = await createUser(f, { Username: "kept" });
    const before = (await f.h.auditEvents()).length;
    const out = await f.h.run("DeleteUser", { InstanceId: f.id, UserId: gone.id });
    assert.equal(out, undefined);
    assert.equal(await storedUser(f, gone.id), undefined);
    assert.ok(await storedUser(f, kept.id));
    await refusedRead(f, "DescribeUser", { InstanceId: f.id, UserId: gone.id }, NOT_FOUND());
    const events = await f.h.auditEvents();
    assert.equal(events.length, before + 1);
    const e = last(events);
    assert.equal(e.eventName, "DeleteUser");
    assert.equal(e.errorCode, undefined);
    assert.equal(e.targetUserId, gone.id);
    assert.equal(e.record.readOnly, false);
    assert.deepEqual(e.record.requestParameters, { instanceId: f.id, userId: gone.id });
  });

  test("by ARN; the username is free again afterwards", async (t) => {
    const f = await fixture(t);
    const { id, arn } = await createUser(f, { Username: "ada" });
    await f.h.run("DeleteUser", { InstanceId: f.arn, UserId: arn });
    assert.equal(await storedUser(f, id), undefined);
    await createUser(f, { Username: "ADA" });
  });

  test("an unknown user, a user of another instance, or an ARN of another region → ResourceNotFoundException, nothing deleted", async (t) => {
    const f = await fixture(t);
    const { id, arn } = await createUser(f);
    const other = await addInstance(f.h, "CONNECT_MANAGED");
    await refusedChange(f, "DeleteUser", { InstanceId: f.id, UserId: "00000000-0000-4000-8000-000000000000" }, NOT_FOUND(/User not found/));
    await refusedChange(f, "DeleteUser", { InstanceId: other.id, UserId: id }, NOT_FOUND(/User not found/));
    await refusedChange(f, "DeleteUser", { InstanceId: f.id, UserId: otherRegionArn(arn) }, NOT_FOUND(/User not found/));
    await refusedChange(f, "DeleteUser", { InstanceId: otherAccountArn(f.arn), UserId: id }, NOT_FOUND(/Instance not found/));
    assert.ok(await storedUser(f, id));
  });

  test("deleting twice: the second call is refused and audited", async (t) => {
    const f = await fixture(t);
    const { id } = await createUser(f);
    await f.h.run("DeleteUser", { InstanceId: f.id, UserId: id });
    await refusedChange(f, "DeleteUser", { InstanceId: f.id, UserId: id }, NOT_FOUND(/User not found/));
  });
});

// ---------------------------------------------------------------------------------------------
// UpdateUserIdentityInfo

/** Seeds what the directory would hold for an EXISTING_DIRECTORY user (not settable through the API). */
async function seedDirectoryFields(f: Fixture, userId: string, info: IdentityInfo): Promise<void> {
  const current = await storedUser(f, userId);
  assert.ok(current);
  const ok = await f.h.store.users.updateIdentityInfo(f.h.scope, f.id, userId, { ...current.identityInfo, ...info }, f.h.clock.now());
  assert.ok(ok);
}

interface Seen {
  event: ChangeEvent;
  ctx: OperationContext;
  /** the user as the subscriber's (transaction-bound) store shows it */
  inTransaction: UserRecord | undefined;
}

/** A subscriber that records what it got. */
function recorder(): { seen: Seen[]; subscriber: ChangeSubscriber } {
  const seen: Seen[] = [];
  return {
    seen,
    subscriber: async (event, ctx) => {
      const inTransaction = await ctx.store.users.get(ctx.scope, event.user.instanceId, event.user.id);
      seen.push({ event, ctx, inTransaction });
    },
  };
}

describe("UpdateUserIdentityInfo: replace semantics", () => {
  test("CONNECT_MANAGED: the identity info is replaced; omitted Email, SecondaryEmail and Mobile are cleared", async (t) => {
    const f = await fixture(t);
    const { id } = await createUser(f, {
      IdentityInfo: {
        FirstName: "Ada",
        LastName: "Lovelace",
        Email: "ada@example.com",
        SecondaryEmail: "ada@example.org",
        Mobile: "+15550100",
      },
    });
    const out = await f.h.run("UpdateUserIdentityInfo", {
      InstanceId: f.id,
      UserId: id,
      IdentityInfo: { FirstName: "Augusta", LastName: "King" },
    });
    assert.equal(out, undefined);
    assert.deepEqual((await storedUser(f, id))?.identityInfo, { firstName: "Augusta", lastName: "King" });
    const { User } = await f.h.run("DescribeUser", { InstanceId: f.id, UserId: id });
    assert.deepEqual(defined(User?.IdentityInfo), { FirstName: "Augusta", LastName: "King" });
  });

  test("SAML: SecondaryEmail and Mobile are set and cleared by what the call carries", async (t) => {
    const f = await fixture(t, "SAML");
    const { id } = await createUser(f, { IdentityInfo: { FirstName: "Ada", LastName: "Lovelace" } });
    await f.h.run("UpdateUserIdentityInfo", {
      InstanceId: f.id,
      UserId: id,
      IdentityInfo: { FirstName: "Ada", LastName: "Lovelace", SecondaryEmail: "ada@example.org", Mobile: "+15550100" },
    });
    assert.deepEqual((await storedUser(f, id))?.identityInfo, {
      firstName: "Ada",
      lastName: "Lovelace",
      secondaryEmail: "ada@example.org",
      mobile: "+15550100",
    });
    await f.h.run("UpdateUserIdentityInfo", { InstanceId: f.id, UserId: id, IdentityInfo: { FirstName: "Ada", LastName: "Lovelace" } });
    assert.deepEqual((await storedUser(f, id))?.identityInfo, { firstName: "Ada", lastName: "Lovelace" });
  });

  test("EXISTING_DIRECTORY: SecondaryEmail and Mobile are replaced; the directory's names and Email are kept", async (t) => {
    const f = await fixture(t, "EXISTING_DIRECTORY");
    const { id } = await createUser(f, { IdentityInfo: { SecondaryEmail: "old@example.org", Mobile: "+15550100" } });
    await seedDirectoryFields(f, id, { firstName: "Grace", lastName: "Hopper", email: "grace@corp.example" });
    await f.h.run("UpdateUserIdentityInfo", { InstanceId: f.id, UserId: id, IdentityInfo: { SecondaryEmail: "new@example.org" } });
    assert.deepEqual((await storedUser(f, id))?.identityInfo, {
      firstName: "Grace",
      lastName: "Hopper",
      email: "grace@corp.example",
      secondaryEmail: "new@example.org",
    });
    await f.h.run("UpdateUserIdentityInfo", { InstanceId: f.id, UserId: id, IdentityInfo: {} });
    assert.deepEqual((await storedUser(f, id))?.identityInfo, { firstName: "Grace", lastName: "Hopper", email: "grace@corp.example" });
  });

  test("UserId and InstanceId may be ARNs", async (t) => {
    const f = await fixture(t);
    const { id, arn } = await createUser(f);
    await f.h.run("UpdateUserIdentityInfo", { InstanceId: f.arn, UserId: arn, IdentityInfo: { FirstName: "Augusta", LastName: "King" } });
    assert.equal((await storedUser(f, id))?.identityInfo.firstName, "Augusta");
  });

  test("LastModifiedTime is the clock's time of the change, and never moves backwards", async (t) => {
    const f = await fixture(t);
    const { id } = await createUser(f);
    const created = f.h.clock.now();
    f.h.clock.advance(60_000);
    await f.h.run("UpdateUserIdentityInfo", { InstanceId: f.id, UserId: id, IdentityInfo: { FirstName: "Augusta", LastName: "King" } });
    const { User } = await f.h.run("DescribeUser", { InstanceId: f.id, UserId: id });
    assert.ok(User?.LastModifiedTime instanceof Date);
    assert.equal(User.LastModifiedTime.getTime(), f.h.clock.now());
    assert.equal(User.LastModifiedTime.getTime(), created + 60_000);
    const summary = (await f.h.run("ListUsers", { InstanceId: f.id })).UserSummaryList?.[0];
    assert.equal(summary?.LastModifiedTime?.getTime(), created + 60_000);
    // a clock stepping back does not move it backwards
    f.h.clock.advance(-3_600_000);
    await f.h.run("UpdateUserIdentityInfo", { InstanceId: f.id, UserId: id, IdentityInfo: { FirstName: "Ada", LastName: "King" } });
    const after = await f.h.run("DescribeUser", { InstanceId: f.id, UserId: id });
    assert.equal(after.User?.IdentityInfo?.FirstName, "Ada");
    assert.equal(after.User?.LastModifiedTime?.getTime(), created + 60_000);
  });
});

describe("UpdateUserIdentityInfo: rules", () => {
  test("CONNECT_MANAGED and SAML: FirstName and LastName are required on every call", async (t) => {
    for (const type of ["CONNECT_MANAGED", "SAML"] as const) {
      const f = await fixture(t, type);
      const { id } = await createUser(f);
      await refusedChange(
        f,
        "UpdateUserIdentityInfo",
        { InstanceId: f.id, UserId: id, IdentityInfo: { LastName: "King" } },
        INVALID_REQUEST(/identityInfo\.firstName/),
      );
      const err = await refusedChange(f, "UpdateUserIdentityInfo", { InstanceId: f.id, UserId: id, IdentityInfo: {} }, INVALID_REQUEST());
      assert.match(err.message, /identityInfo\.firstName/);
      assert.match(err.message, /identityInfo\.lastName/);
    }
  });

  test("CONNECT_MANAGED: LastName over 256 → InvalidRequestException", async (t) => {
    const f = await fixture(t);
    const { id } = await createUser(f);
    await refusedChange(
      f,
      "UpdateUserIdentityInfo",
      { InstanceId: f.id, UserId: id, IdentityInfo: { FirstName: "Ada", LastName: "L".repeat(257) } },
      INVALID_REQUEST(/identityInfo\.lastName/),
    );
  });

  test("SAML: Email → InvalidRequestException; an empty name too", async (t) => {
    const f = await fixture(t, "SAML");
    const { id } = await createUser(f);
    await refusedChange(
      f,
      "UpdateUserIdentityInfo",
      { InstanceId: f.id, UserId: id, IdentityInfo: { FirstName: "Ada", LastName: "Lovelace", Email: "ada@example.com" } },
      INVALID_REQUEST(/identityInfo\.email/),
    );
    await refusedChange(
      f,
      "UpdateUserIdentityInfo",
      { InstanceId: f.id, UserId: id, IdentityInfo: { FirstName: "Ada", LastName: "" } },
      INVALID_REQUEST(/identityInfo\.lastName/),
    );
  });

  test("EXISTING_DIRECTORY: FirstName, LastName or Email → InvalidRequestException naming each", async (t) => {
    const f = await fixture(t, "EXISTING_DIRECTORY");
    const { id } = await createUser(f);
    await seedDirectoryFields(f, id, { firstName: "Grace", lastName: "Hopper", email: "grace@corp.example" });
    for (const [member, info] of [
      ["firstName", { FirstName: "Ada" }],
      ["lastName", { LastName: "Lovelace" }],
      ["email", { Email: "ada@example.com" }],
    ] as const) {
      await refusedChange(
        f,
        "UpdateUserIdentityInfo",
        { InstanceId: f.id, UserId: id, IdentityInfo: { ...info, SecondaryEmail: "x@example.org" } },
        INVALID_REQUEST(new RegExp(`identityInfo\\.${member}'.*directory`)),
      );
    }
  });

  test("formats: NFC names, whole e-mail addresses, E.164 Mobile → InvalidParameterException", async (t) => {
    const f = await fixture(t);
    const { id } = await createUser(f);
    const names = { FirstName: "Ada", LastName: "Lovelace" };
    const cases: [UserIdentityInfo, RegExp][] = [
      [{ ...names, FirstName: "Ada\u0301" }, /identityInfo\.firstName.*Normalization Form C/],
      [{ ...names, Email: "ada@example" }, /identityInfo\.email'/],
      [{ ...names, SecondaryEmail: "ada@example.org, eve@example.org" }, /identityInfo\.secondaryEmail/],
      [{ ...names, Mobile: "555-0100" }, /identityInfo\.mobile/],
    ];
    for (const [IdentityInfo, names] of cases) {
      await refusedChange(f, "UpdateUserIdentityInfo", { InstanceId: f.id, UserId: id, IdentityInfo }, INVALID_PARAMETER(names));
    }
  });

  test("IdentityInfo is required (model)", async (t) => {
    const f = await fixture(t);
    const { id } = await createUser(f);
    await refusedChange(f, "UpdateUserIdentityInfo", { InstanceId: f.id, UserId: id }, INVALID_PARAMETER(/identityInfo/));
  });

  test("an unknown user, another instance's user, or an ARN of another account or region → ResourceNotFoundException", async (t) => {
    const f = await fixture(t);
    const { id, arn } = await createUser(f);
    const other = await addInstance(f.h, "CONNECT_MANAGED");
    const info = { FirstName: "Augusta", LastName: "King" };
    await refusedChange(
      f,
      "UpdateUserIdentityInfo",
      { InstanceId: f.id, UserId: "00000000-0000-4000-8000-000000000000", IdentityInfo: info },
      NOT_FOUND(/User not found/),
    );
    await refusedChange(f, "UpdateUserIdentityInfo", { InstanceId: other.id, UserId: id, IdentityInfo: info }, NOT_FOUND(/User not found/));
    await refusedChange(
      f,
      "UpdateUserIdentityInfo",
      { InstanceId: f.id, UserId: otherAccountArn(arn), IdentityInfo: info },
      NOT_FOUND(/User not found/),
    );
    await refusedChange(
      f,
      "UpdateUserIdentityInfo",
      { InstanceId: otherRegionArn(f.arn), UserId: id, IdentityInfo: info },
      NOT_FOUND(/Instance not found/),
    );
    assert.equal((await storedUser(f, id))?.identityInfo.firstName, "Ada");
  });
});

describe("UpdateUserIdentityInfo: audit", () => {
  test("the success event: requestParameters with sensitive members hidden; additionalEventData with masked old and new values", async (t) => {
    const f = await fixture(t);
    const { id } = await createUser(f, {
      IdentityInfo: { FirstName: "Ada", LastName: "Lovelace", Email: "ada@example.com", Mobile: "+15550100" },
    });
    f.h.clock.advance(1_000);
    const before = (await f.h.auditEvents()).length;
    await f.h.run("UpdateUserIdentityInfo", {
      InstanceId: f.id,
      UserId: id,
      IdentityInfo: { FirstName: "Ada", LastName: "King", Email: "ada@example.org", SecondaryEmail: "countess@example.net" },
    });
    const events = await f.h.auditEvents();
    assert.equal(events.length, before + 1);
    const e = last(events);
    assert.equal(e.eventName, "UpdateUserIdentityInfo");
    assert.equal(e.record.eventName, "UpdateUserIdentityInfo");
    assert.equal(e.record.readOnly, false);
    assert.equal(e.errorCode, undefined);
    assert.equal(e.targetUserId, id);
    assert.equal(e.eventTime, f.h.clock.now());
    assert.deepEqual(e.record.requestParameters, {
      identityInfo: { firstName: HIDDEN, lastName: HIDDEN, email: HIDDEN, secondaryEmail: HIDDEN },
      userId: id,
      instanceId: f.id,
    });
    assert.deepEqual(e.record.additionalEventData, {
      changedMembers: ["LastName", "Email", "SecondaryEmail", "Mobile"],
      changes: {
        LastName: { old: "L***", new: "K***" },
        Email: { old: "a***@example.com", new: "a***@example.org" },
        SecondaryEmail: { old: null, new: "c***@example.net" },
        Mobile: { old: "+***", new: null },
      },
    });
    const text = JSON.stringify(e.record);
    for (const secret of ["Lovelace", "King", "ada@example.com", "ada@example.org", "countess@example.net", "+15550100"]) {
      assert.ok(!text.includes(secret), `the event does not contain ${secret}`);
    }
  });

  test("Mobile is not sensitive in the model but personal data: hidden in requestParameters, masked in the change details", async (t) => {
    const f = await fixture(t);
    const { id } = await createUser(f);
    await f.h.run("UpdateUserIdentityInfo", {
      InstanceId: f.id,
      UserId: id,
      IdentityInfo: { FirstName: "Ada", LastName: "Lovelace", Mobile: "+15550199" },
    });
    const e = last(await f.h.auditEvents());
    const params = e.record.requestParameters as { identityInfo: Record<string, unknown> };
    assert.equal(params.identityInfo.mobile, HIDDEN);
    const data = e.record.additionalEventData as { changes: Record<string, unknown> };
    assert.deepEqual(data.changes.Mobile, { old: null, new: "+***" });
  });

  test("EXISTING_DIRECTORY: the kept directory fields are not reported as changed", async (t) => {
    const f = await fixture(t, "EXISTING_DIRECTORY");
    const { id } = await createUser(f, { IdentityInfo: { SecondaryEmail: "old@example.org" } });
    await seedDirectoryFields(f, id, { firstName: "Grace", lastName: "Hopper", email: "grace@corp.example" });
    await f.h.run("UpdateUserIdentityInfo", { InstanceId: f.id, UserId: id, IdentityInfo: { SecondaryEmail: "new@example.org" } });
    assert.deepEqual(last(await f.h.auditEvents()).record.additionalEventData, {
      changedMembers: ["SecondaryEmail"],
      changes: { SecondaryEmail: { old: "o***@example.org", new: "n***@example.org" } },
    });
  });
});

describe("UpdateUserIdentityInfo: the change event", () => {
  test("subscribers get user-identity-changed with before and after, inside the change's transaction", async (t) => {
    const { seen, subscriber } = recorder();
    const f = await fixture(t, "CONNECT_MANAGED", { subscribers: [subscriber] });
    const { id } = await createUser(f, { IdentityInfo: { FirstName: "Ada", LastName: "Lovelace", Email: "ada@example.com" } });
    assert.equal(seen.length, 0, "CreateUser reports no identity change");
    f.h.clock.advance(1_000);
    await f.h.run("UpdateUserIdentityInfo", {
      InstanceId: f.id,
      UserId: id,
      IdentityInfo: { FirstName: "Ada", LastName: "King", SecondaryEmail: "countess@example.net" },
    });
    assert.equal(seen.length, 1);
    const [{ event, ctx, inTransaction }] = seen as [Seen];
    assert.equal(event.kind, "user-identity-changed");
    assert.equal(event.user.id, id);
    assert.equal(event.user.instanceId, f.id);
    assert.equal(event.user.username, "ada");
    assert.deepEqual(event.before, { firstName: "Ada", lastName: "Lovelace", email: "ada@example.com" });
    assert.deepEqual(defined(event.after), { firstName: "Ada", lastName: "King", secondaryEmail: "countess@example.net" });
    assert.deepEqual(ctx.scope, f.h.scope);
    assert.equal(ctx.caller.kind, "root");
    assert.deepEqual(inTransaction?.identityInfo, { firstName: "Ada", lastName: "King", secondaryEmail: "countess@example.net" });
    assert.equal(inTransaction?.lastModifiedTime, f.h.clock.now());
  });

  test("EXISTING_DIRECTORY: after keeps the directory's names and Email", async (t) => {
    const { seen, subscriber } = recorder();
    const f = await fixture(t, "EXISTING_DIRECTORY", { subscribers: [subscriber] });
    const { id } = await createUser(f);
    await seedDirectoryFields(f, id, { firstName: "Grace", lastName: "Hopper", email: "grace@corp.example" });
    await f.h.run("UpdateUserIdentityInfo", { InstanceId: f.id, UserId: id, IdentityInfo: { Mobile: "+15550100" } });
    assert.equal(seen.length, 1);
    const { event } = seen[0] as Seen;
    assert.deepEqual(defined(event.before), {
      firstName: "Grace",
      lastName: "Hopper",
      email: "grace@corp.example",
      secondaryEmail: "ada@example.org",
    });
    assert.deepEqual(defined(event.after), { firstName: "Grace", lastName: "Hopper", email: "grace@corp.example", mobile: "+15550100" });
  });

  test("a refused change reports nothing", async (t) => {
    const { seen, subscriber } = recorder();
    const f = await fixture(t, "CONNECT_MANAGED", { subscribers: [subscriber] });
    const { id } = await createUser(f);
    await refusedChange(
      f,
      "UpdateUserIdentityInfo",
      { InstanceId: f.id, UserId: id, IdentityInfo: { FirstName: "Ada" } },
      INVALID_REQUEST(),
    );
    await refusedChange(
      f,
      "UpdateUserIdentityInfo",
      { InstanceId: f.id, UserId: "00000000-0000-4000-8000-000000000000", IdentityInfo: { FirstName: "Ada", LastName: "King" } },
      NOT_FOUND(),
    );
    assert.equal(seen.length, 0);
  });

  test("what a subscriber writes commits with the change", async (t) => {
    const subscriber: ChangeSubscriber = async (event, ctx) => {
      await ctx.store.outbox.enqueue(outboxMessage(event, ctx));
    };
    const f = await fixture(t, "CONNECT_MANAGED", { subscribers: [subscriber] });
    const { id } = await createUser(f);
    await f.h.run("UpdateUserIdentityInfo", { InstanceId: f.id, UserId: id, IdentityInfo: { FirstName: "Ada", LastName: "King" } });
    const queued = await f.h.store.outbox.list();
    assert.equal(queued.length, 1);
    assert.equal(queued[0]?.recipient, "ada@example.com");
  });

  test("a subscriber that throws rolls the change back: identity, its writes and the success event", async (t) => {
    const failing: ChangeSubscriber = async (event, ctx) => {
      await ctx.store.outbox.enqueue(outboxMessage(event, ctx));
      throw internalService("the alert could not be queued");
    };
    const f = await fixture(t, "CONNECT_MANAGED", { subscribers: [failing] });
    const { id } = await createUser(f);
    const before = await storedUser(f, id);
    f.h.clock.advance(1_000);
    await refusedChange(
      f,
      "UpdateUserIdentityInfo",
      { InstanceId: f.id, UserId: id, IdentityInfo: { FirstName: "Eve", LastName: "Mallory", Email: "eve@example.net" } },
      { code: "InternalServiceException", status: 500, names: /could not be queued/ },
    );
    const after = await storedUser(f, id);
    assert.deepEqual(after, before, "identity and LastModifiedTime unchanged");
    assert.deepEqual(await f.h.store.outbox.list(), [], "the subscriber's own write is rolled back too");
    assert.ok(
      !(await f.h.auditEvents()).some((e) => e.eventName === "UpdateUserIdentityInfo" && e.errorCode === undefined),
      "no success event",
    );
  });

  test("the refusal event of a rolled-back change does not report the change as made", async (t) => {
    const f = await fixture(t, "CONNECT_MANAGED", {
      subscribers: [
        async () => {
          throw internalService("the alert could not be queued");
        },
      ],
    });
    const { id } = await createUser(f);
    await refusedChange(
      f,
      "UpdateUserIdentityInfo",
      { InstanceId: f.id, UserId: id, IdentityInfo: { FirstName: "Eve", LastName: "Mallory", Email: "eve@example.net" } },
      { code: "InternalServiceException", status: 500 },
    );
  });

  test("a subscriber that throws a plain Error also rolls the change back", async (t) => {
    const f = await fixture(t, "CONNECT_MANAGED", {
      subscribers: [
        async () => {
          throw new Error("boom");
        },
      ],
    });
    const { id } = await createUser(f);
    const before = await storedUser(f, id);
    const events = (await f.h.auditEvents()).length;
    await assert.rejects(
      f.h.run("UpdateUserIdentityInfo", { InstanceId: f.id, UserId: id, IdentityInfo: { FirstName: "Eve", LastName: "Mallory" } }),
      /boom/,
    );
    assert.deepEqual(await storedUser(f, id), before);
    assert.equal((await f.h.auditEvents()).length, events, "no success event");
  });
});

function outboxMessage(event: ChangeEvent, ctx: OperationContext) {
  return {
    id: `msg-${event.user.id}`,
    createdTime: ctx.clock.now(),
    account: ctx.scope.account,
    region: ctx.scope.region,
    kind: "email-changed",
    recipient: event.before.email ?? "",
    subject: "Your e-mail address was changed",
    body: "…",
    status: "pending" as const,
    attempts: 0,
    nextAttemptTime: ctx.clock.now(),
  };
}
