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
 * credential values, at most `max` bytes of UTF-8.
 */
export function storedErrorMessage(message: string, max: number): string {
  const blank = message.indexOf("\n\n");
  const explanation = blank < 0 ? message : message.slice(0, blank);
  return cutUtf8(withoutCredentials(explanation), max);
}

/** `s` cut to at most `maxBytes` of UTF-8, never inside a character. */
export function cutUtf8(s: string, maxBytes: number): string {
  if (s.length * 3 <= maxBytes || Buffer.byteLength(s) <= maxBytes) return s;
  let bytes = 0;
  let i = 0;
  for (const ch of s) {
    const n = Buffer.byteLength(ch);
    if (bytes + n > maxBytes) break;
    bytes += n;
    i += ch.length;
  }
  return s.slice(0, i);
}

/**
 * Bounds of the free-text fields of a stored event, in UTF-8 bytes: with them, the record of a
 * failed authentication (no request parameters) stays under 2 KB (README, "Limits and timeouts").
 */
export const STORED_TEXT_BYTES = {
  userAgent: 256,
  errorMessage: 1024,
  unauthenticatedErrorMessage: 512,
  accessKeyId: 128,
  region: 32,
} as const;
