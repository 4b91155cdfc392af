// Masks for sensitive values in audit records: enough for an investigator to recognise a value
// (first character, e-mail domain), never the value itself.

/** `jane.doe@example.com` → `j***@example.com`; other text → `J***`; empty stays empty. */
export function maskValue(value: string): string {
  if (value === "") return "";
  const at = value.lastIndexOf("@");
  const first = String.fromCodePoint(value.codePointAt(0) ?? 42);
  if (at > 0) return `${first}***${value.slice(at)}`;
  return `${first}***`;
}

/** CloudTrail's own placeholder for sensitive request parameters. */
export const HIDDEN = "HIDDEN_DUE_TO_SECURITY_REASONS";

/**
 * Shapes the model does not mark smithy.api#sensitive that still hold personal data: masked in
 * validation messages and audit records like the sensitive ones. PhoneNumber is a user's Mobile
 * (UserIdentityInfo) and desk phone (UserPhoneConfig).
 */
export const PERSONAL_DATA_SHAPES: ReadonlySet<string> = new Set(["PhoneNumber"]);
