// SigV4's one percent-encoding rule: keep the RFC 3986 unreserved bytes (A-Z a-z 0-9 - _ . ~),
// write every other UTF-8 byte as %XX with upper-case hex.
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
//
// Hand-rolled rather than encodeURIComponent because that one keeps ! ' ( ) * as they are and
// throws on lone surrogates; both would make a request we cannot even answer.
// Every function returns its input unchanged (no allocation) when nothing needs encoding,
// which is the common case for SDK paths and query values.

const SLASH = 0x2f;
const PERCENT = 0x25;

/** UNRESERVED[c] === 1 for the ASCII codes SigV4 leaves as they are. */
const UNRESERVED = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const isAlnum = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
  if (isAlnum || c === 0x2d || c === 0x5f || c === 0x2e || c === 0x7e) UNRESERVED[c] = 1;
}

/** "%00" … "%FF", built once so encoding a byte is a table read. */
const PERCENT_BYTE: readonly string[] = Array.from({ length: 256 }, (_, b) => `%${b.toString(16).toUpperCase().padStart(2, "0")}`);

function percentByte(b: number): string {
  return PERCENT_BYTE[b] as string;
}

function keeps(c: number, keepSlash: boolean): boolean {
  return c < 128 && (UNRESERVED[c] === 1 || (keepSlash && c === SLASH));
}

/** Value of one hex digit, or -1. */
function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/**
 * Percent-encodes the UTF-8 bytes of the code point starting at s[i] and says how many UTF-16
 * units it used. A lone surrogate becomes U+FFFD, as Buffer.from(s, "utf8") would make it.
 */
function encodeCodePointAt(s: string, i: number): [encoded: string, width: number] {
  const c = s.charCodeAt(i);
  let cp = c;
  let width = 1;
  if (c >= 0xd800 && c <= 0xdbff) {
    const next = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
    if (next >= 0xdc00 && next <= 0xdfff) {
      cp = ((c - 0xd800) << 10) + (next - 0xdc00) + 0x10000;
      width = 2;
    } else {
      cp = 0xfffd;
    }
  } else if (c >= 0xdc00 && c <= 0xdfff) {
    cp = 0xfffd;
  }
  if (cp < 0x80) return [percentByte(cp), width];
  if (cp < 0x800) return [percentByte(0xc0 | (cp >> 6)) + percentByte(0x80 | (cp & 0x3f)), width];
  if (cp < 0x10000) {
    return [percentByte(0xe0 | (cp >> 12)) + percentByte(0x80 | ((cp >> 6) & 0x3f)) + percentByte(0x80 | (cp & 0x3f)), width];
  }
  return [
    percentByte(0xf0 | (cp >> 18)) +
      percentByte(0x80 | ((cp >> 12) & 0x3f)) +
      percentByte(0x80 | ((cp >> 6) & 0x3f)) +
      percentByte(0x80 | (cp & 0x3f)),
    width,
  ];
}

/**
 * Encodes every byte of `s` except the unreserved ones (and `/` when `keepSlash`).
 * A `%` already in `s` is encoded too (`%` → `%25`): this is the double encoding non-S3
 * services sign for already-encoded SDK paths.
 */
export function uriEncode(s: string, keepSlash: boolean): string {
  const n = s.length;
  let i = 0;
  while (i < n && keeps(s.charCodeAt(i), keepSlash)) i++;
  if (i === n) return s;
  let out = s.slice(0, i);
  while (i < n) {
    const c = s.charCodeAt(i);
    if (keeps(c, keepSlash)) {
      out += s[i];
      i++;
    } else if (c < 128) {
      out += percentByte(c);
      i++;
    } else {
      const [encoded, width] = encodeCodePointAt(s, i);
      out += encoded;
      i += width;
    }
  }
  return out;
}

/**
 * Canonical form of one raw query key or value: percent-decode to bytes (`+` stays a literal
 * plus, clients send spaces as %20) and re-encode with the unreserved-only rule. Done in a
 * single pass on bytes, so invalid UTF-8 inside %XX escapes survives unchanged, and a `%` that
 * does not start a valid escape is treated as a literal percent sign.
 */
export function canonicalQueryComponent(raw: string): string {
  const n = raw.length;
  let i = 0;
  while (i < n) {
    const c = raw.charCodeAt(i);
    if (c >= 128 || UNRESERVED[c] !== 1) break;
    i++;
  }
  if (i === n) return raw;
  let out = raw.slice(0, i);
  while (i < n) {
    const c = raw.charCodeAt(i);
    if (c === PERCENT && i + 2 < n) {
      const hi = hexValue(raw.charCodeAt(i + 1));
      const lo = hexValue(raw.charCodeAt(i + 2));
      if (hi >= 0 && lo >= 0) {
        const b = (hi << 4) | lo;
        out += b < 128 && UNRESERVED[b] === 1 ? String.fromCharCode(b) : percentByte(b);
        i += 3;
        continue;
      }
    }
    if (c < 128) {
      out += UNRESERVED[c] === 1 ? raw[i] : percentByte(c);
      i++;
    } else {
      const [encoded, width] = encodeCodePointAt(raw, i);
      out += encoded;
      i += width;
    }
  }
  return out;
}

/**
 * Decodes a raw query key or value to text (`+` literal). Only used for the few X-Amz-*
 * parameters of a presigned URL, whose values (credential, token, dates) are ASCII.
 * Malformed escapes are kept as written.
 */
export function decodeQueryComponent(raw: string): string {
  if (raw.indexOf("%") === -1) return raw;
  const bytes: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === PERCENT && i + 2 < raw.length) {
      const hi = hexValue(raw.charCodeAt(i + 1));
      const lo = hexValue(raw.charCodeAt(i + 2));
      if (hi >= 0 && lo >= 0) {
        bytes.push((hi << 4) | lo);
        i += 2;
        continue;
      }
    }
    if (c < 128) {
      bytes.push(c);
    } else {
      // Non-ASCII text in a raw query: keep its UTF-8 bytes (a surrogate pair is one char).
      const cp = raw.codePointAt(i) ?? c;
      const ch = String.fromCodePoint(cp);
      for (const b of Buffer.from(ch, "utf8")) bytes.push(b);
      i += ch.length - 1;
    }
  }
  return Buffer.from(bytes).toString("utf8");
}
