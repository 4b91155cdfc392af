// Identity rules that depend on the instance's identity management type (API_UserIdentityInfo.html, API_CreateUser.html under
// https://docs.aws.amazon.com/connect/latest/APIReference/).
// Two error classes, as the product decided (README, "Fidelity notes"):
//  - a value that is malformed whatever the instance (non-NFC name, bad e-mail) →
//    InvalidParameterException;
//  - a rule that exists because of the instance's identity management type (what is required,
//    allowed or directory-managed; CONNECT_MANAGED's tighter name lengths) → InvalidRequestException.
import { invalidParameter, invalidRequest } from "../../common/errors.js";
import { codePointLength } from "../../common/text.js";
import type { UserIdentityInfo } from "../../model/types.gen.js";
import type { IdentityManagementType } from "../../store/records.js";

// https://docs.aws.amazon.com/connect/latest/APIReference/API_UserIdentityInfo.html gives
// (?=^.{0,265}$)[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,63} unanchored at the end;
// Switchboard matches the whole string (the conservative reading).
const EMAIL = /^(?=.{0,265}$)[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,63}$/;

const CONNECT_MANAGED_LIMITS = { FirstName: 255, LastName: 256 } as const; // API_UserIdentityInfo.html

const at = (prefix: string, member: string) => `${prefix}.${member.charAt(0).toLowerCase()}${member.slice(1)}`;

function fail(kind: "parameter" | "request", problems: string[]): never {
  const n = problems.length;
  const text = `${n} validation error${n === 1 ? "" : "s"} detected: ${problems.join("; ")}`;
  throw kind === "parameter" ? invalidParameter(text) : invalidRequest(text);
}

/** Format rules that hold for every instance type. */
function formatProblems(info: UserIdentityInfo, prefix: string): string[] {
  const problems: string[] = [];
  for (const m of ["FirstName", "LastName"] as const) {
    const v = info[m];
    // https://docs.aws.amazon.com/connect/latest/APIReference/API_UserIdentityInfo.html: names
    // must already be NFC; decomposed text is refused, not normalized.
    if (v !== undefined && v.normalize("NFC") !== v) {
      problems.push(`Value at '${at(prefix, m)}' failed to satisfy constraint: Member must be in Unicode Normalization Form C (NFC)`);
    }
  }
  for (const m of ["Email", "SecondaryEmail"] as const) {
    const v = info[m];
    if (v !== undefined && !EMAIL.test(v)) {
      problems.push(
        `Value at '${at(prefix, m)}' failed to satisfy constraint: Member must be a valid e-mail address of at most 265 characters`,
      );
    }
  }
  return problems;
}

/**
 * Checks IdentityInfo as sent to CreateUser or UpdateUserIdentityInfo for an instance of the
 * given type. `prefix` is the member path used in messages ("identityInfo").
 */
export function checkIdentityInfo(type: IdentityManagementType, info: UserIdentityInfo, prefix = "identityInfo"): void {
  const formats = formatProblems(info, prefix);
  if (formats.length > 0) fail("parameter", formats);
  const problems = typeProblems(type, info, prefix);
  if (problems.length > 0) fail("request", problems);
}

const TYPES: readonly IdentityManagementType[] = ["CONNECT_MANAGED", "SAML", "EXISTING_DIRECTORY"];

/** The instance types for which checkIdentityInfo accepts info (without building the errors it would throw). */
export function typesAccepting(info: UserIdentityInfo): IdentityManagementType[] {
  if (formatProblems(info, "identityInfo").length > 0) return [];
  return TYPES.filter((type) => typeProblems(type, info, "identityInfo").length === 0);
}

/** Rules that exist because of the instance's identity management type. */
function typeProblems(type: IdentityManagementType, info: UserIdentityInfo, prefix: string): string[] {
  const problems: string[] = [];
  if (type === "EXISTING_DIRECTORY") {
    // The directory owns these (API_UserIdentityInfo.html note); refusing them, rather than
    // ignoring them, keeps a caller from believing a change happened.
    for (const m of ["FirstName", "LastName", "Email"] as const) {
      if (info[m] !== undefined) {
        problems.push(
          `Value at '${at(prefix, m)}' failed to satisfy constraint: ${m} is managed by the directory on an EXISTING_DIRECTORY instance and cannot be set through the API`,
        );
      }
    }
  } else {
    for (const m of ["FirstName", "LastName"] as const) {
      const v = info[m];
      if (v === undefined || v === "") {
        problems.push(`Value at '${at(prefix, m)}' failed to satisfy constraint: ${m} is required on a ${type} instance`);
      } else if (type === "CONNECT_MANAGED" && codePointLength(v) > CONNECT_MANAGED_LIMITS[m]) {
        problems.push(
          `Value at '${at(prefix, m)}' failed to satisfy constraint: Member must have length less than or equal to ${CONNECT_MANAGED_LIMITS[m]} on a CONNECT_MANAGED instance`,
        );
      }
    }
    if (type === "SAML" && info.Email !== undefined) {
      problems.push(
        `Value at '${at(prefix, "Email")}' failed to satisfy constraint: Email cannot be set on a SAML instance; use SecondaryEmail`,
      );
    }
  }
  return problems;
}

// CreateUser's Username rules (https://docs.aws.amazon.com/connect/latest/APIReference/API_CreateUser.html):
// up to 20 characters unless SAML; SAML: up to 64 of [a-zA-Z0-9_-.@]; `@` only in e-mail form.
const SAML_USERNAME = /^[a-zA-Z0-9_\-.@]{1,64}$/;
const EMAIL_FORM = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export function checkUsername(type: IdentityManagementType, username: string): void {
  const problems: string[] = [];
  if (type === "SAML") {
    if (!SAML_USERNAME.test(username)) {
      problems.push(
        "Value at 'username' failed to satisfy constraint: on a SAML instance a username is 1 to 64 characters from [a-zA-Z0-9_-.@]",
      );
    }
  } else if (codePointLength(username) > 20) {
    problems.push(
      `Value '${username}' at 'username' failed to satisfy constraint: Member must have length less than or equal to 20 on a ${type} instance`,
    );
  }
  if (username.includes("@") && !EMAIL_FORM.test(username)) {
    problems.push(`Value '${username}' at 'username' failed to satisfy constraint: '@' is allowed only in e-mail form (user@example.com)`);
  }
  if (problems.length > 0) fail("request", problems);
}

/** Password and DirectoryUserId by type (API_CreateUser.html). */
export function checkCredentialsForType(
  type: IdentityManagementType,
  password: string | undefined,
  directoryUserId: string | undefined,
): void {
  const problems: string[] = [];
  if (type === "CONNECT_MANAGED" && password === undefined) {
    problems.push("Value null at 'password' failed to satisfy constraint: Password is required on a CONNECT_MANAGED instance");
  }
  if (type !== "CONNECT_MANAGED" && password !== undefined) {
    problems.push(`Value at 'password' failed to satisfy constraint: Password cannot be set on a ${type} instance`);
  }
  if (type !== "EXISTING_DIRECTORY" && directoryUserId !== undefined) {
    problems.push(
      `Value at 'directoryUserId' failed to satisfy constraint: DirectoryUserId can be set only on an EXISTING_DIRECTORY instance`,
    );
  }
  if (problems.length > 0) fail("request", problems);
}
