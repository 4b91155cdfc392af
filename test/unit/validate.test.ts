// validateInput (src/protocol/validate.ts) against the real generated SHAPES: required members,
// lengths in code points, patterns, enums, ranges, lists, maps, type failures, message wording,
// and that sensitive values are never echoed.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { SHAPES } from "../../src/model/index.js";
import type { Shape } from "../../src/model/types.js";
import { codePointLength, summarize, type ValidationFailure, validateInput } from "../../src/protocol/validate.js";

const PATTERN_PHONE = "^\\+[1-9]\\d{1,14}$";

const updateInfo = (info: unknown, extra: Record<string, unknown> = {}) =>
  validateInput(SHAPES, "UpdateUserIdentityInfoRequest", { InstanceId: "i-1", UserId: "u-1", IdentityInfo: info, ...extra });

const createUser = (over: Record<string, unknown> = {}) =>
  validateInput(SHAPES, "CreateUserRequest", {
    InstanceId: "i-1",
    Username: "ada",
    Password: "Passw0rd!",
    PhoneConfig: { PhoneType: "SOFT_PHONE" },
    SecurityProfileIds: ["sp-1"],
    RoutingProfileId: "rp-1",
    ...over,
  });

const createInstance = (over: Record<string, unknown> = {}) =>
  validateInput(SHAPES, "CreateInstanceRequest", {
    IdentityManagementType: "CONNECT_MANAGED",
    InstanceAlias: "my-alias",
    InboundCallsEnabled: true,
    OutboundCallsEnabled: false,
    ...over,
  });

const listUsers = (over: Record<string, unknown> = {}) => validateInput(SHAPES, "ListUsersRequest", { InstanceId: "i-1", ...over });

function only(failures: ValidationFailure[]): ValidationFailure {
  assert.equal(failures.length, 1, `expected exactly one failure, got ${JSON.stringify(failures)}`);
  return failures[0] as ValidationFailure;
}

describe("validateInput: valid inputs pass", () => {
  test("each request shape accepts a well-formed input", () => {
    assert.deepEqual(updateInfo({ FirstName: "Ada", LastName: "Lovelace", Email: "ada@example.com", Mobile: "+14155550123" }), []);
    assert.deepEqual(createUser(), []);
    assert.deepEqual(createUser({ Tags: { team: "blue", "a:b/c=d+e-f@g_h.i": "" } }), []);
    assert.deepEqual(createInstance(), []);
    assert.deepEqual(listUsers({ MaxResults: 1, NextToken: "t" }), []);
    assert.deepEqual(listUsers({ MaxResults: 1000 }), []);
  });

  test("an unknown shape name validates nothing", () => {
    assert.deepEqual(validateInput(SHAPES, "NoSuchShape", { x: 1 }), []);
  });
});

describe("validateInput: required members", () => {
  test("missing IdentityInfo → 'Value null at identityInfo' message", () => {
    const f = only(validateInput(SHAPES, "UpdateUserIdentityInfoRequest", { InstanceId: "i-1", UserId: "u-1" }));
    assert.equal(f.kind, "constraint");
    assert.equal(f.path, "identityInfo");
    assert.equal(f.message, "Value null at 'identityInfo' failed to satisfy constraint: Member must not be null");
  });

  test("null counts as missing", () => {
    const f = only(updateInfo(null));
    assert.equal(f.message, "Value null at 'identityInfo' failed to satisfy constraint: Member must not be null");
  });

  test("every missing required member is reported, lowerCamel paths", () => {
    const failures = validateInput(SHAPES, "CreateUserRequest", { InstanceId: "i-1" });
    assert.deepEqual(failures.map((f) => f.path).sort(), ["phoneConfig", "routingProfileId", "securityProfileIds", "username"]);
    assert.ok(failures.every((f) => f.kind === "constraint" && f.message.startsWith("Value null at '")));
  });

  test("a required member of a nested structure", () => {
    const f = only(createUser({ PhoneConfig: {} }));
    assert.equal(f.message, "Value null at 'phoneConfig.phoneType' failed to satisfy constraint: Member must not be null");
  });

  test("optional members may be absent", () => {
    assert.deepEqual(updateInfo({}), []);
  });
});

describe("validateInput: lengths count code points", () => {
  test("255 emoji pass AgentFirstName (max 255) although their UTF-16 length is 510", () => {
    const name = "😹".repeat(255);
    assert.equal(name.length, 510);
    assert.deepEqual(updateInfo({ FirstName: name }), []);
  });

  test("256 emoji fail AgentFirstName", () => {
    const f = only(updateInfo({ FirstName: "😹".repeat(256) }));
    assert.equal(f.kind, "constraint");
    assert.equal(f.path, "identityInfo.firstName");
    assert.match(f.message, /Member must have length less than or equal to 255$/);
  });

  test("string minimum length (Username min 1)", () => {
    const f = only(createUser({ Username: "" }));
    assert.equal(f.message, "Value '' at 'username' failed to satisfy constraint: Member must have length greater than or equal to 1");
  });

  test("a non-sensitive string value is quoted in the message", () => {
    const f = only(createUser({ Username: "x".repeat(101) }));
    assert.equal(
      f.message,
      `Value '${"x".repeat(101)}' at 'username' failed to satisfy constraint: Member must have length less than or equal to 100`,
    );
  });
});

describe("validateInput: patterns", () => {
  test("PhoneNumber is E.164: '+14155550123' passes", () => {
    assert.deepEqual(updateInfo({ Mobile: "+14155550123" }), []);
    assert.deepEqual(updateInfo({ Mobile: "+123" }), []);
  });

  test("PhoneNumber: leading zero, missing plus, too long, trailing text fail", () => {
    for (const bad of ["+0123", "14155550123", "+1234567890123456", "+14155550123 ", "+1415555012a", "+"]) {
      const f = only(updateInfo({ Mobile: bad }));
      assert.equal(f.kind, "constraint", bad);
      assert.equal(
        f.message,
        // a phone number is personal data: never echoed (issue 10, defect 8)
        `Value at 'identityInfo.mobile' failed to satisfy constraint: Member must satisfy regular expression pattern: ${PATTERN_PHONE}`,
      );
    }
  });

  test("the pattern applies inside nested structures (DeskPhoneNumber)", () => {
    const f = only(createUser({ PhoneConfig: { PhoneType: "DESK_PHONE", DeskPhoneNumber: "555-1234" } }));
    assert.equal(f.path, "phoneConfig.deskPhoneNumber");
  });

  test("Password pattern: weak password refused without echoing it", () => {
    const secret = "weakpassword";
    const f = only(createUser({ Password: secret }));
    assert.equal(f.kind, "constraint");
    assert.equal(f.path, "password");
    assert.ok(!f.message.includes(secret), f.message);
    assert.ok(
      f.message.startsWith("Value at 'password' failed to satisfy constraint: Member must satisfy regular expression pattern"),
      f.message,
    );
  });

  test("every string pattern in the model compiles and can be checked", () => {
    const patterned = Object.entries(SHAPES).filter(([, s]) => s.t === "string" && s.pattern !== undefined);
    assert.ok(patterned.length > 10);
    for (const [name] of patterned) {
      const shapes: Record<string, Shape> = { ...SHAPES, __Probe: { t: "structure", members: { V: { target: name } } } };
      assert.doesNotThrow(() => validateInput(shapes, "__Probe", { V: "probe value" }), name);
    }
  });
});

describe("validateInput: enums and ranges", () => {
  test("enum failure lists the allowed values", () => {
    const f = only(createInstance({ IdentityManagementType: "LDAP" }));
    assert.equal(f.kind, "constraint");
    assert.equal(
      f.message,
      "Value 'LDAP' at 'identityManagementType' failed to satisfy constraint: Member must satisfy enum value set: [SAML, CONNECT_MANAGED, EXISTING_DIRECTORY]",
    );
  });

  test("enum values are case-sensitive", () => {
    only(createUser({ PhoneConfig: { PhoneType: "soft_phone" } }));
  });

  test("MaxResults 0 and 1001 are out of range", () => {
    assert.equal(
      only(listUsers({ MaxResults: 0 })).message,
      "Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
    assert.equal(
      only(listUsers({ MaxResults: 1001 })).message,
      "Value '1001' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000",
    );
  });

  test("AfterContactWorkTimeLimit minimum 0", () => {
    const f = only(createUser({ PhoneConfig: { PhoneType: "SOFT_PHONE", AfterContactWorkTimeLimit: -1 } }));
    assert.equal(f.path, "phoneConfig.afterContactWorkTimeLimit");
    assert.match(f.message, /greater than or equal to 0$/);
  });
});

describe("validateInput: lists and maps", () => {
  test("SecurityProfileIds must hold 1..10 items", () => {
    const empty = only(createUser({ SecurityProfileIds: [] }));
    assert.equal(empty.path, "securityProfileIds");
    assert.match(
      empty.message,
      /at 'securityProfileIds' failed to satisfy constraint: Member must have length greater than or equal to 1$/,
    );
    const many = only(createUser({ SecurityProfileIds: Array.from({ length: 11 }, (_, i) => `sp-${i}`) }));
    assert.match(many.message, /Member must have length less than or equal to 10$/);
    assert.deepEqual(createUser({ SecurityProfileIds: Array.from({ length: 10 }, (_, i) => `sp-${i}`) }), []);
  });

  test("a list item of the wrong type is a type failure at its 1-based member path", () => {
    const f = only(createUser({ SecurityProfileIds: ["sp-1", 7] }));
    assert.equal(f.kind, "type");
    assert.equal(f.path, "securityProfileIds.2.member");
  });

  test("a null list item is a type failure", () => {
    const f = only(createUser({ SecurityProfileIds: [null] }));
    assert.equal(f.kind, "type");
    assert.equal(f.path, "securityProfileIds.1.member");
  });

  test("Tags: a key with the aws: prefix is refused", () => {
    const f = only(createUser({ Tags: { "aws:owner": "me" } }));
    assert.equal(f.kind, "constraint");
    assert.equal(f.path, "tags.key");
    assert.ok(
      f.message.startsWith("Value 'aws:owner' at 'tags.key' failed to satisfy constraint: Member must satisfy regular expression pattern"),
      f.message,
    );
  });

  test("Tags: 'aws' without the colon, and keys merely containing aws:, are fine", () => {
    assert.deepEqual(createUser({ Tags: { aws: "1", "x-aws:y": "2" } }), []);
  });

  test("Tags: 1..50 entries, key length 1..128, value length ≤ 256", () => {
    assert.match(only(createUser({ Tags: {} })).message, /Member must have length greater than or equal to 1$/);
    const fiftyOne = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, "v"]));
    assert.match(only(createUser({ Tags: fiftyOne })).message, /Member must have length less than or equal to 50$/);
    assert.equal(only(createUser({ Tags: { "": "v" } })).path, "tags.key");
    assert.equal(only(createUser({ Tags: { ["k".repeat(129)]: "v" } })).path, "tags.key");
    assert.equal(only(createUser({ Tags: { k: "v".repeat(257) } })).path, "tags.k");
  });

  test("Tags: a non-string or null value is a type failure", () => {
    assert.equal(only(createUser({ Tags: { k: 1 } })).kind, "type");
    assert.equal(only(createUser({ Tags: { k: null } })).kind, "type");
  });

  test("Tags must be an object", () => {
    for (const bad of [["a"], "a=b", 3]) {
      const f = only(createUser({ Tags: bad }));
      assert.equal(f.kind, "type");
      assert.equal(f.path, "tags");
    }
  });
});

describe("validateInput: type failures", () => {
  test("wrong JSON types are kind 'type'", () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ Username: 42 }, "username"],
      [{ PhoneConfig: "SOFT_PHONE" }, "phoneConfig"],
      [{ PhoneConfig: { PhoneType: "SOFT_PHONE", AutoAccept: "yes" } }, "phoneConfig.autoAccept"],
      [{ PhoneConfig: { PhoneType: "SOFT_PHONE", AfterContactWorkTimeLimit: 1.5 } }, "phoneConfig.afterContactWorkTimeLimit"],
      [{ PhoneConfig: { PhoneType: "SOFT_PHONE", AfterContactWorkTimeLimit: "30" } }, "phoneConfig.afterContactWorkTimeLimit"],
      [{ SecurityProfileIds: "sp-1" }, "securityProfileIds"],
      [{ IdentityInfo: [] }, "identityInfo"],
    ];
    for (const [over, path] of cases) {
      const f = only(createUser(over));
      assert.equal(f.kind, "type", JSON.stringify(over));
      assert.equal(f.path, path);
    }
  });

  test("booleans must be booleans (CreateInstance)", () => {
    const f = only(createInstance({ InboundCallsEnabled: "true" }));
    assert.equal(f.kind, "type");
    assert.equal(f.message, "Value 'true' at 'inboundCallsEnabled' failed to satisfy constraint: Member must be a boolean");
  });

  test("a number where a sensitive string belongs is not echoed", () => {
    const f = only(updateInfo({ FirstName: 123456789 }));
    assert.equal(f.kind, "type");
    assert.ok(!f.message.includes("123456789"), f.message);
    assert.equal(f.message, "Value at 'identityInfo.firstName' failed to satisfy constraint: Member must be a string");
  });

  test("type failures and constraint failures are reported together, each with its kind", () => {
    const failures = createUser({ Username: 1, SecurityProfileIds: [] });
    assert.deepEqual(failures.map((f) => [f.path, f.kind]).sort(), [
      ["securityProfileIds", "constraint"],
      ["username", "type"],
    ]);
  });
});

describe("validateInput: sensitive values are never echoed", () => {
  test("a too-long FirstName", () => {
    const value = `Secret${"Q".repeat(300)}`;
    const f = only(updateInfo({ FirstName: value }));
    assert.ok(!f.message.includes("SecretQQQ"), f.message);
    assert.ok(f.message.startsWith("Value at 'identityInfo.firstName' failed to satisfy constraint:"), f.message);
  });

  test("a too-long LastName (max 300)", () => {
    const f = only(updateInfo({ LastName: "Z".repeat(301) }));
    assert.ok(!f.message.includes("ZZZ"), f.message);
    assert.match(f.message, /less than or equal to 300$/);
  });

  test("a bad DirectoryAlias (sensitive) on CreateInstance", () => {
    const f = only(createInstance({ InstanceAlias: "d-secretalias" }));
    assert.equal(f.path, "instanceAlias");
    assert.ok(!f.message.includes("secretalias"), f.message);
  });

  test("a bad Password of the wrong type", () => {
    const f = only(createUser({ Password: 31337 }));
    assert.ok(!f.message.includes("31337"), f.message);
  });

  test("a non-sensitive string value IS quoted; a phone number (personal data) is not", () => {
    const f = only(createUser({ PhoneConfig: { PhoneType: "X" } }));
    assert.ok(f.message.startsWith("Value 'X' at 'phoneConfig.phoneType'"), f.message);
    const m = only(updateInfo({ Mobile: "x" }));
    assert.ok(m.message.startsWith("Value at 'identityInfo.mobile'"), m.message);
  });
});

describe("summarize and codePointLength", () => {
  const a: ValidationFailure = { kind: "constraint", path: "a", message: "first problem" };
  const b: ValidationFailure = { kind: "type", path: "b", message: "second problem" };

  test("one failure", () => {
    assert.equal(summarize([a]), "1 validation error detected: first problem");
  });

  test("two failures are joined with '; '", () => {
    assert.equal(summarize([a, b]), "2 validation errors detected: first problem; second problem");
  });

  test("summarize of real failures", () => {
    const failures = validateInput(SHAPES, "UpdateUserIdentityInfoRequest", { InstanceId: "i", UserId: "u" });
    assert.equal(
      summarize(failures),
      "1 validation error detected: Value null at 'identityInfo' failed to satisfy constraint: Member must not be null",
    );
  });

  test("codePointLength counts Unicode scalar values", () => {
    assert.equal(codePointLength(""), 0);
    assert.equal(codePointLength("abc"), 3);
    assert.equal(codePointLength("😹"), 1);
    assert.equal(codePointLength("a😹b😹"), 4);
    assert.equal(codePointLength("é"), 1);
    assert.equal(codePointLength("e\u0301"), 2, "a combining mark is its own code point");
    assert.equal(codePointLength("\ud83d"), 1, "a lone high surrogate counts once");
    assert.equal(codePointLength("\ude39\ud83d"), 2, "a reversed pair is two lone surrogates");
    assert.equal(codePointLength("\ud83d\ude39\ud83d"), 2);
    for (const s of ["héllo", "😹😹x", "日本語", "\u{10FFFF}"]) assert.equal(codePointLength(s), [...s].length, s);
  });
});
