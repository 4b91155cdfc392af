// The SigV4 canonical request, rebuilt on the server from the raw request (non-S3 rules, as
// Connect signs). AWS reference:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
//
//   <METHOD>\n<CanonicalURI>\n<CanonicalQuery>\n<CanonicalHeaders>\n<SignedHeaders>\n<PayloadHash>

import * as nodeCrypto from "node:crypto";
import { canonicalQueryComponent, uriEncode } from "./uri-encoding.js";

export const ALGORITHM = "AWS4-HMAC-SHA256";
export const EMPTY_BODY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/** Splits Node's `req.url` into the raw path and the raw query (both still encoded). */
export function splitTarget(rawUrl: string): { path: string; query: string } {
  const q = rawUrl.indexOf("?");
  return q === -1 ? { path: rawUrl, query: "" } : { path: rawUrl.slice(0, q), query: rawUrl.slice(q + 1) };
}

/**
 * Non-S3 dot-segment handling (@smithy/signature-v4 getCanonicalPath, botocore
 * remove_dot_segments): drop empty and "." segments, ".." removes the previous one, the result
 * starts with "/" and keeps a trailing "/" only when the input had one and is not empty.
 */
export function normalizePath(path: string): string {
  // SDK paths are already normal: skip the split/join for them.
  if (path.charCodeAt(0) === 0x2f && path.indexOf("//") === -1 && path.indexOf("/.") === -1) {
    return path;
  }
  const kept: string[] = [];
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") kept.pop();
    else kept.push(segment);
  }
  if (kept.length === 0) return "/";
  const joined = `/${kept.join("/")}`;
  return path.endsWith("/") ? `${joined}/` : joined;
}

/**
 * The raw path (never a router's decoded one), normalised, then every byte but the unreserved
 * ones and "/" encoded. An SDK path arrives encoded (`user%201`), so its `%` becomes `%25`:
 * non-S3 services sign exactly that double encoding ([obs] for SDK v3,
 * botocore and both CLIs).
 */
export function canonicalUri(rawPath: string): string {
  return uriEncode(normalizePath(rawPath), true);
}

interface QueryPair {
  key: string;
  value: string;
}

function byKeyThenValue(a: QueryPair, b: QueryPair): number {
  // Encoded components are pure ASCII, so UTF-16 comparison is byte order.
  if (a.key !== b.key) return a.key < b.key ? -1 : 1;
  if (a.value === b.value) return 0;
  return a.value < b.value ? -1 : 1;
}

/**
 * Canonical query: every raw `k=v` pair (a key without "=" gets an empty value) decoded with
 * `+` literal and re-encoded, X-Amz-Signature left out, sorted by key then value.
 * `omitSecurityToken` also leaves out X-Amz-Security-Token: some signers add the token to a
 * presigned URL after signing (vector post-sts-header-after, query variant).
 */
export function canonicalQuery(rawQuery: string, omitSecurityToken = false): string {
  if (rawQuery === "") return "";
  const pairs: QueryPair[] = [];
  let start = 0;
  while (start <= rawQuery.length) {
    let end = rawQuery.indexOf("&", start);
    if (end === -1) end = rawQuery.length;
    if (end > start) {
      const eq = rawQuery.indexOf("=", start);
      const hasValue = eq !== -1 && eq < end;
      const key = canonicalQueryComponent(rawQuery.slice(start, hasValue ? eq : end));
      const skip = key === "X-Amz-Signature" || (omitSecurityToken && key === "X-Amz-Security-Token");
      if (!skip) {
        const value = hasValue ? canonicalQueryComponent(rawQuery.slice(eq + 1, end)) : "";
        pairs.push({ key, value });
      }
    }
    start = end + 1;
  }
  if (pairs.length > 1) pairs.sort(byKeyThenValue);
  let out = "";
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i] as QueryPair;
    out += i === 0 ? `${pair.key}=${pair.value}` : `&${pair.key}=${pair.value}`;
  }
  return out;
}

function isFoldableSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/**
 * Trims a header value and collapses each run of spaces/tabs/line breaks (a folded line
 * included) to one space, even inside quotes: `"a   b   c"` → `"a b c"`.
 * Vectors get-header-value-trim and get-header-value-multiline.
 */
export function normalizeHeaderValue(value: string): string {
  const n = value.length;
  let clean = true;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x20) {
      if (i === 0 || i === n - 1 || value.charCodeAt(i + 1) === 0x20) {
        clean = false;
        break;
      }
    } else if (c === 0x09 || c === 0x0a || c === 0x0d) {
      clean = false;
      break;
    }
  }
  if (clean) return value;
  let out = "";
  let pendingSpace = false;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (isFoldableSpace(c)) {
      pendingSpace = out.length > 0;
    } else {
      if (pendingSpace) out += " ";
      pendingSpace = false;
      out += value[i];
    }
  }
  return out;
}

/** Case-insensitive ASCII equality of a header name as received with a lower-case name. */
export function headerNameIs(received: string, lowerName: string): boolean {
  const n = lowerName.length;
  if (received.length !== n) return false;
  for (let i = 0; i < n; i++) {
    let c = received.charCodeAt(i);
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    if (c !== lowerName.charCodeAt(i)) return false;
  }
  return true;
}

/**
 * `name:value\n` for each signed header, in the order SignedHeaders lists them. Every field of
 * that name (case-insensitively) counts, in the order received, joined with "," (vector
 * get-header-key-duplicate). Works on Node's rawHeaders because req.headers already merged
 * and dropped fields. A signed header that is absent gives `name:`; the signature then decides.
 */
export function canonicalHeaders(rawHeaders: readonly string[], signedHeaderNames: readonly string[]): string {
  let out = "";
  for (const signed of signedHeaderNames) {
    const name = signed.toLowerCase();
    let value: string | undefined;
    for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
      if (!headerNameIs(rawHeaders[i] as string, name)) continue;
      const v = normalizeHeaderValue(rawHeaders[i + 1] as string);
      value = value === undefined ? v : `${value},${v}`;
    }
    out += `${name}:${value ?? ""}\n`;
  }
  return out;
}

/**
 * Hex SHA-256. crypto.hash (Node ≥ 20.12) is the one-shot form, about twice as fast as
 * createHash for small inputs; this runs twice per request, so use it when it exists.
 */
const sha256HexOf: (data: string | Buffer) => string =
  typeof nodeCrypto.hash === "function"
    ? (data) => nodeCrypto.hash("sha256", data, "hex")
    : (data) => nodeCrypto.createHash("sha256").update(data).digest("hex");

/** Lower-case hex SHA-256 of the body bytes exactly as received. */
export function payloadHash(body: Buffer): string {
  if (body.length === 0) return EMPTY_BODY_SHA256;
  return sha256HexOf(body);
}

/** Hex SHA-256 of text as UTF-8 (the canonical request). */
export function sha256Hex(text: string): string {
  return sha256HexOf(text);
}

export interface CanonicalParts {
  method: string;
  canonicalUri: string;
  canonicalQuery: string;
  /** The `name:value\n` block from canonicalHeaders. */
  canonicalHeaders: string;
  /** The SignedHeaders list exactly as the request gave it. */
  signedHeaders: string;
  payloadHash: string;
}

export function buildCanonicalRequest(p: CanonicalParts): string {
  // canonicalHeaders ends with "\n", which makes the blank line before SignedHeaders.
  return `${p.method}\n${p.canonicalUri}\n${p.canonicalQuery}\n${p.canonicalHeaders}\n${p.signedHeaders}\n${p.payloadHash}`;
}

/** `<yyyymmdd>/<region>/<service>/aws4_request` as the request's Credential stated it. */
export function buildStringToSign(amzDate: string, scope: string, canonicalRequest: string): string {
  return `${ALGORITHM}\n${amzDate}\n${scope}\n${sha256Hex(canonicalRequest)}`;
}
