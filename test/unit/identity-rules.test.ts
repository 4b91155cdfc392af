// Identity rules by identity management type (src/operations/users/rules.ts): format rules →
// InvalidParameterException (checked first), type rules → InvalidRequestException.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ServiceError } from "../../src/common/errors.js";
import type { UserIdentityInfo as WireIdentityInfo } from "../../src/model/types.gen.js";
import { checkCredentialsForType, checkIdentityInfo, checkUsername } from "../../src/operations/users/rules.js";
import type { IdentityManagementType } from "../../src/store/records.js";

const TYPES: readonly IdentityManagementType[] = ["CONNECT_MANAGED", "SAML", "EXISTING_DIRECTORY"];
const NAMED: readonly IdentityManagementType[] = ["CONNECT_MANAGED", "SAML"];

type Code = "InvalidParameterException" | "InvalidRequestException";

/** Runs fn expecting a ServiceError of that code; returns its message. */
function rejects(fn: () => void, code: Code): string {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof ServiceError, `expected ${code}, got ${caught === undefined ? "no error" : String(caught)}`);
  assert.equal(caught.code, code, caught.message);
  assert.equal(caught.status, 400);
  return caught.message;
}

const names = { FirstName: "Ada", LastName: "Lovelace" } satisfies WireIdentityInfo;

describe("checkIdentityInfo: formats (every type) → InvalidParameterException", () => {
  test("names must already be NFC", () => {
    const decomposed = "Jose\u0301"; // "José" as e + combining acute
    for (const type of NAMED) {
      const first = rejects(() => checkIdentityInfo(type, { ...names, FirstName: decomposed }), "InvalidParameterException");
      assert.ok(first.includes("'identityInfo.firstName'"), first);
      assert.match(first, /Normalization Form C/);
      const last = rejects(() => checkIdentityInfo(type, { ...names, LastName: decomposed }), "InvalidParameterException");
      assert.ok(last.includes("'identityInfo.lastName'"), last);
    }
    assert.doesNotThrow(() => checkIdentityInfo("CONNECT_MANAGED", { FirstName: "José".normalize("NFC"), LastName: "Lovelace" }));
  });

  test("a non-NFC name is never echoed", () => {
    const msg = rejects(() => checkIdentityInfo("SAML", { ...names, FirstName: "Secre\u0301t" }), "InvalidParameterException");
    assert.ok(!msg.includes("Secre"), msg);
  });

  test("Email and SecondaryEmail must match the whole e-mail pattern", () => {
    const bad = [
      "ada",
      "ada@",
      "@example.com",
      "ada@example",
      "ada@example.c",
      "ada @example.com",
      "ada@example.com trailing",
      "x ada@example.com",
      "ada@example.c0m",
    ];
    for (const v of bad) {
      const msg = rejects(() => checkIdentityInfo("CONNECT_MANAGED", { ...names, Email: v }), "InvalidParameterException");
      assert.ok(msg.includes("'identityInfo.email'"), msg);
      assert.ok(!msg.includes(v), `value echoed: ${msg}`);
      for (const type of TYPES) {
        const m2 = rejects(
          () => checkIdentityInfo(type, type === "EXISTING_DIRECTORY" ? { SecondaryEmail: v } : { ...names, SecondaryEmail: v }),
          "InvalidParameterException",
        );
        assert.ok(m2.includes("'identityInfo.secondaryEmail'"), m2);
      }
    }
    for (const ok of ["ada@example.com", "a.b+c_d%e-f@sub.example.co.uk", "A@B.IO"]) {
      assert.doesNotThrow(() => checkIdentityInfo("CONNECT_MANAGED", { ...names, Email: ok, SecondaryEmail: ok }), ok);
    }
  });

  test("an e-mail of 265 characters passes, 266 fails", () => {
    const at265 = `${"a".repeat(265 - "@example.com".length)}@example.com`;
    assert.equal(at265.length, 265);
    assert.doesNotThrow(() => checkIdentityInfo("CONNECT_MANAGED", { ...names, Email: at265 }));
    const at266 = `a${at265}`;
    rejects(() => checkIdentityInfo("CONNECT_MANAGED", { ...names, Email: at266 }), "InvalidParameterException");
    rejects(() => checkIdentityInfo("SAML", { ...names, SecondaryEmail: at266 }), "InvalidParameterException");
  });

  test("all format problems are reported together", () => {
    const msg = rejects(
      () => checkIdentityInfo("CONNECT_MANAGED", { FirstName: "e\u0301", LastName: "Lovelace", Email: "x", SecondaryEmail: "y" }),
      "InvalidParameterException",
    );
    assert.ok(msg.startsWith("3 validation errors detected: "), msg);
    for (const p of ["identityInfo.firstName", "identityInfo.email", "identityInfo.secondaryEmail"]) assert.ok(msg.includes(`'${p}'`), msg);
  });

  test("format is checked before the type rules", () => {
    // Missing LastName (type rule) and a bad Email (format): the format error wins.
    rejects(() => checkIdentityInfo("CONNECT_MANAGED", { FirstName: "Ada", Email: "bad" }), "InvalidParameterException");
    // EXISTING_DIRECTORY refuses Email, but a malformed one is a format error first.
    rejects(() => checkIdentityInfo("EXISTING_DIRECTORY", { Email: "bad" }), "InvalidParameterException");
    // SAML refuses Email; a malformed one is a format error first.
    rejects(() => checkIdentityInfo("SAML", { ...names, Email: "bad" }), "InvalidParameterException");
  });

  test("the prefix argument names the member path", () => {
    const msg = rejects(() => checkIdentityInfo("CONNECT_MANAGED", { ...names, Email: "bad" }, "info"), "InvalidParameterException");
    assert.ok(msg.includes("'info.email'"), msg);
  });
});

describe("checkIdentityInfo: CONNECT_MANAGED and SAML", () => {
  test("valid input passes", () => {
    assert.doesNotThrow(() =>
      checkIdentityInfo("CONNECT_MANAGED", {
        ...names,
        Email: "ada@example.com",
        SecondaryEmail: "a2@example.com",
        Mobile: "+14155550123",
      }),
    );
    assert.doesNotThrow(() => checkIdentityInfo("SAML", { ...names, SecondaryEmail: "a2@example.com", Mobile: "+14155550123" }));
  });

  test("FirstName and LastName are required (absent or empty) → InvalidRequestException", () => {
    for (const type of NAMED) {
      const both = rejects(() => checkIdentityInfo(type, {}), "InvalidRequestException");
      assert.ok(both.startsWith("2 validation errors detected: "), both);
      assert.ok(both.includes("'identityInfo.firstName'") && both.includes("'identityInfo.lastName'"), both);
      assert.ok(both.includes(`on a ${type} instance`), both);
      const noLast = rejects(() => checkIdentityInfo(type, { FirstName: "Ada" }), "InvalidRequestException");
      assert.ok(noLast.startsWith("1 validation error detected: ") && noLast.includes("'identityInfo.lastName'"), noLast);
      const emptyFirst = rejects(() => checkIdentityInfo(type, { FirstName: "", LastName: "L" }), "InvalidRequestException");
      assert.ok(emptyFirst.includes("'identityInfo.firstName'"), emptyFirst);
    }
  });

  test("CONNECT_MANAGED: FirstName ≤ 255 and LastName ≤ 256 code points", () => {
    assert.doesNotThrow(() => checkIdentityInfo("CONNECT_MANAGED", { FirstName: "😹".repeat(255), LastName: "😹".repeat(256) }));
    const first = rejects(
      () => checkIdentityInfo("CONNECT_MANAGED", { FirstName: "a".repeat(256), LastName: "L" }),
      "InvalidRequestException",
    );
    assert.ok(first.includes("'identityInfo.firstName'") && first.includes("255"), first);
    assert.ok(!first.includes("aaaa"), first);
    const last = rejects(
      () => checkIdentityInfo("CONNECT_MANAGED", { FirstName: "F", LastName: "😹".repeat(257) }),
      "InvalidRequestException",
    );
    assert.ok(last.includes("'identityInfo.lastName'") && last.includes("256"), last);
  });

  test("SAML has no CONNECT_MANAGED name limits (the model's apply instead)", () => {
    assert.doesNotThrow(() => checkIdentityInfo("SAML", { FirstName: "F", LastName: "a".repeat(300) }));
  });

  test("SAML refuses Email (use SecondaryEmail)", () => {
    const msg = rejects(() => checkIdentityInfo("SAML", { ...names, Email: "ada@example.com" }), "InvalidRequestException");
    assert.ok(msg.includes("'identityInfo.email'"), msg);
    assert.match(msg, /SecondaryEmail/);
    assert.ok(!msg.includes("ada@example.com"), msg);
  });

  test("CONNECT_MANAGED accepts Email", () => {
    assert.doesNotThrow(() => checkIdentityInfo("CONNECT_MANAGED", { ...names, Email: "ada@example.com" }));
  });
});

describe("checkIdentityInfo: EXISTING_DIRECTORY", () => {
  test("SecondaryEmail and Mobile are allowed; nothing is required", () => {
    assert.doesNotThrow(() => checkIdentityInfo("EXISTING_DIRECTORY", {}));
    assert.doesNotThrow(() => checkIdentityInfo("EXISTING_DIRECTORY", { SecondaryEmail: "a@example.com", Mobile: "+14155550123" }));
  });

  test("FirstName, LastName and Email are each refused → InvalidRequestException", () => {
    for (const m of ["FirstName", "LastName", "Email"] as const) {
      const info: WireIdentityInfo = { [m]: m === "Email" ? "ada@example.com" : "Ada" };
      const msg = rejects(() => checkIdentityInfo("EXISTING_DIRECTORY", info), "InvalidRequestException");
      assert.ok(msg.startsWith("1 validation error detected: "), msg);
      assert.ok(msg.includes(`'identityInfo.${m.charAt(0).toLowerCase()}${m.slice(1)}'`), msg);
      assert.match(msg, /managed by the directory/);
    }
  });

  test("all offending members are named in one message", () => {
    const msg = rejects(
      () =>
        checkIdentityInfo("EXISTING_DIRECTORY", {
          FirstName: "Ada",
          LastName: "Lovelace",
          Email: "ada@example.com",
          SecondaryEmail: "s@example.com",
        }),
      "InvalidRequestException",
    );
    assert.ok(msg.startsWith("3 validation errors detected: "), msg);
    for (const p of ["identityInfo.firstName", "identityInfo.lastName", "identityInfo.email"]) assert.ok(msg.includes(`'${p}'`), msg);
    assert.ok(!msg.includes("secondaryEmail"), msg);
  });

  test("an empty FirstName is still a member set", () => {
    rejects(() => checkIdentityInfo("EXISTING_DIRECTORY", { FirstName: "" }), "InvalidRequestException");
  });
});

describe("checkUsername", () => {
  test("non-SAML: at most 20 code points", () => {
    for (const type of ["CONNECT_MANAGED", "EXISTING_DIRECTORY"] as const) {
      assert.doesNotThrow(() => checkUsername(type, "u".repeat(20)));
      assert.doesNotThrow(() => checkUsername(type, "😹".repeat(20)));
      const msg = rejects(() => checkUsername(type, "u".repeat(21)), "InvalidRequestException");
      assert.ok(msg.includes("'username'") && msg.includes("20"), msg);
    }
  });

  test("SAML: up to 64 characters from [a-zA-Z0-9_-.@]", () => {
    assert.doesNotThrow(() => checkUsername("SAML", "a".repeat(64)));
    assert.doesNotThrow(() => checkUsername("SAML", "Ada_Love-lace.1"));
    assert.doesNotThrow(() => checkUsername("SAML", "ada.lovelace@example.com"));
    for (const bad of ["a".repeat(65), "ada lovelace", "ada+x", "adá", "ada/x", ""]) {
      const msg = rejects(() => checkUsername("SAML", bad), "InvalidRequestException");
      assert.ok(msg.includes("'username'"), msg);
    }
  });

  test("`@` only in e-mail form", () => {
    for (const type of TYPES) {
      assert.doesNotThrow(() => checkUsername(type, "ada@example.com"), type);
      for (const bad of ["ada@", "@example.com", "ada@example", "a@b@c.com"]) {
        const msg = rejects(() => checkUsername(type, bad), "InvalidRequestException");
        assert.match(msg, /e-mail form/, `${type} ${bad}`);
      }
    }
  });

  test("a long non-e-mail username with `@` reports both problems", () => {
    const msg = rejects(() => checkUsername("CONNECT_MANAGED", `${"a".repeat(20)}@x`), "InvalidRequestException");
    assert.ok(msg.startsWith("2 validation errors detected: "), msg);
  });
});

describe("checkCredentialsForType", () => {
  test("CONNECT_MANAGED requires a password", () => {
    assert.doesNotThrow(() => checkCredentialsForType("CONNECT_MANAGED", "Passw0rd!", undefined));
    const msg = rejects(() => checkCredentialsForType("CONNECT_MANAGED", undefined, undefined), "InvalidRequestException");
    assert.ok(msg.includes("'password'"), msg);
  });

  test("SAML and EXISTING_DIRECTORY refuse a password, without echoing it", () => {
    for (const type of ["SAML", "EXISTING_DIRECTORY"] as const) {
      assert.doesNotThrow(() => checkCredentialsForType(type, undefined, undefined));
      const msg = rejects(() => checkCredentialsForType(type, "Sup3rSecret!", undefined), "InvalidRequestException");
      assert.ok(msg.includes("'password'") && msg.includes(type), msg);
      assert.ok(!msg.includes("Sup3rSecret"), msg);
    }
  });

  test("DirectoryUserId only on EXISTING_DIRECTORY", () => {
    assert.doesNotThrow(() => checkCredentialsForType("EXISTING_DIRECTORY", undefined, "dir-user-1"));
    rejects(() => checkCredentialsForType("SAML", undefined, "dir-user-1"), "InvalidRequestException");
    const msg = rejects(() => checkCredentialsForType("CONNECT_MANAGED", "Passw0rd!", "dir-user-1"), "InvalidRequestException");
    assert.ok(msg.includes("'directoryUserId'"), msg);
  });

  test("both problems together", () => {
    const msg = rejects(() => checkCredentialsForType("SAML", "Passw0rd!", "d"), "InvalidRequestException");
    assert.ok(msg.startsWith("2 validation errors detected: "), msg);
  });
});
