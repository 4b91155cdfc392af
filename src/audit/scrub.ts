// Stored audit text never holds a credential (issue 10): error messages of failed
// authentications echo parts of the request (an Authorization header, a canonical request),
// so what is stored is cut to the explanation and stripped of signatures and session tokens.
// The client's own answer may say more; the audit trail is read by anyone allowed LookupEvents.

/** `Signature=…`, `X-Amz-Signature=…`, `x-amz-security-token:…`, `X-Amz-Security-Token=…` values. */
const CREDENTIAL_VALUE = /((?:X-Amz-)?Signature=|X-Amz-Security-Token=|x-amz-security-token:\s*)[^\s,&'"]+/gi;

export const REDACTED = "<redacted>";

export function withoutCredentials(text: string): string {
  return text.replace(CREDENTIAL_VALUE, `$1${REDACTED}`);
}

/**
 * An error message as the audit trail stores it: only the explanation before any echoed
 * request material (the canonical request and string-to-sign follow a blank line), no
 * credential values, at most `max` characters.
 */
export function storedErrorMessage(message: string, max: number): string {
  const blank = message.indexOf("\n\n");
  const explanation = blank < 0 ? message : message.slice(0, blank);
  return withoutCredentials(explanation).slice(0, max);
}
