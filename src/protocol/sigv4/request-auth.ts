// Finds the SigV4 authentication in a request, header or presigned query (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html),
// and takes it apart without judging it yet: verify.ts decides what is wrong, in AWS's order.

import { headerNameIs, splitTarget } from "./canonical.js";
import {
  bothHeaderAndQueryAuth,
  incompleteAuthorizationHeader,
  incompleteQueryAuth,
  MISSING_HEADER_PART,
  missingAuthenticationToken,
} from "./failures.js";
import type { SigV4Input, VerifyFailure } from "./types.js";
import { decodeQueryComponent } from "./uri-encoding.js";

/** The few request headers SigV4 verification reads directly (first field of each name wins). */
export interface AuthHeaders {
  authorization?: string;
  amzDate?: string;
  date?: string;
  contentSha256?: string;
  securityToken?: string;
}

/** One pass over rawHeaders; names compared by length first, so most fields cost one check. */
export function scanAuthHeaders(rawHeaders: readonly string[]): AuthHeaders {
  const found: AuthHeaders = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] as string;
    const value = rawHeaders[i + 1] as string;
    switch (name.length) {
      case 4:
        if (found.date === undefined && headerNameIs(name, "date")) found.date = value;
        break;
      case 10:
        if (found.amzDate === undefined && headerNameIs(name, "x-amz-date")) found.amzDate = value;
        break;
      case 13:
        if (found.authorization === undefined && headerNameIs(name, "authorization")) {
          found.authorization = value;
        }
        break;
      case 20:
        if (found.contentSha256 === undefined && headerNameIs(name, "x-amz-content-sha256")) {
          found.contentSha256 = value;
        } else if (found.securityToken === undefined && headerNameIs(name, "x-amz-security-token")) {
          found.securityToken = value;
        }
        break;
    }
  }
  return found;
}

/** The X-Amz-* parameters of a presigned URL, decoded. */
interface QueryAuthParams {
  algorithm?: string;
  credential?: string;
  date?: string;
  expires?: string;
  signedHeaders?: string;
  signature?: string;
  securityToken?: string;
}

function scanQueryAuthParams(rawQuery: string): QueryAuthParams {
  const found: QueryAuthParams = {};
  for (const pair of rawQuery.split("&")) {
    const eq = pair.indexOf("=");
    const rawKey = eq === -1 ? pair : pair.slice(0, eq);
    const key = decodeQueryComponent(rawKey);
    if (!key.startsWith("X-Amz-")) continue;
    const value = eq === -1 ? "" : decodeQueryComponent(pair.slice(eq + 1));
    // First occurrence wins, like the header scan.
    switch (key) {
      case "X-Amz-Algorithm":
        found.algorithm ??= value;
        break;
      case "X-Amz-Credential":
        found.credential ??= value;
        break;
      case "X-Amz-Date":
        found.date ??= value;
        break;
      case "X-Amz-Expires":
        found.expires ??= value;
        break;
      case "X-Amz-SignedHeaders":
        found.signedHeaders ??= value;
        break;
      case "X-Amz-Signature":
        found.signature ??= value;
        break;
      case "X-Amz-Security-Token":
        found.securityToken ??= value;
        break;
    }
  }
  return found;
}

/** Authentication as the request states it. Empty strings stand for absent parts. */
export interface RequestAuth {
  presigned: boolean;
  /** Raw path and query of the target, for the canonical request. */
  path: string;
  query: string;
  algorithm: string;
  credential: string;
  signedHeaders: string;
  signature: string;
  /** X-Amz-Date (header, or query when presigned) or, failing that, the Date header. */
  dateValue: string;
  dateIsHttpDate: boolean;
  /** Raw X-Amz-Expires of a presigned URL. */
  expires?: string;
  sessionToken?: string;
  /** The x-amz-content-sha256 header, when sent. */
  contentSha256?: string;
  /** Set when a required part is absent: the IncompleteSignatureException AWS would send. */
  incomplete?: VerifyFailure;
}

/**
 * Splits `Authorization: AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`.
 * SDKs put a space after each comma, some signers do not: split on commas and trim.
 */
function parseAuthorizationHeader(value: string): {
  algorithm: string;
  credential: string;
  signedHeaders: string;
  signature: string;
} {
  const header = value.trim();
  const space = header.indexOf(" ");
  const algorithm = space === -1 ? header : header.slice(0, space);
  let credential = "";
  let signedHeaders = "";
  let signature = "";
  if (space !== -1) {
    for (const rawPart of header.slice(space + 1).split(",")) {
      const part = rawPart.trim();
      const eq = part.indexOf("=");
      if (eq <= 0) continue;
      const key = part.slice(0, eq);
      const partValue = part.slice(eq + 1).trim();
      if (key === "Credential") credential ||= partValue;
      else if (key === "SignedHeaders") signedHeaders ||= partValue;
      else if (key === "Signature") signature ||= partValue;
    }
  }
  return { algorithm, credential, signedHeaders, signature };
}

/**
 * The request's authentication, or the failure when there is none to parse:
 * MissingAuthenticationToken when neither an Authorization header nor X-Amz-* query auth is
 * present, IncompleteSignature when both are.
 */
export function readRequestAuth(input: SigV4Input): RequestAuth | VerifyFailure {
  const headers = scanAuthHeaders(input.rawHeaders);
  const { path, query } = splitTarget(input.rawUrl);
  // Only pay for a query scan when the query can hold SigV4 parameters at all.
  const queryParams: QueryAuthParams = query !== "" && query.indexOf("X-Amz-") !== -1 ? scanQueryAuthParams(query) : {};
  const authorization = headers.authorization;
  const hasHeaderAuth = authorization !== undefined && authorization !== "";
  const hasQueryAuth = queryParams.algorithm !== undefined || queryParams.credential !== undefined || queryParams.signature !== undefined;

  if (hasHeaderAuth && queryParams.algorithm !== undefined) return bothHeaderAndQueryAuth();

  if (hasHeaderAuth) {
    const parts = parseAuthorizationHeader(authorization);
    const amzDate = headers.amzDate ?? "";
    const dateIsHttpDate = amzDate === "" && (headers.date ?? "") !== "";
    const dateValue = dateIsHttpDate ? (headers.date as string) : amzDate;
    const missing: string[] = [];
    if (parts.credential === "") missing.push(MISSING_HEADER_PART.credential);
    if (parts.signature === "") missing.push(MISSING_HEADER_PART.signature);
    if (parts.signedHeaders === "") missing.push(MISSING_HEADER_PART.signedHeaders);
    if (dateValue === "") missing.push(MISSING_HEADER_PART.date);
    const auth: RequestAuth = {
      presigned: false,
      path,
      query,
      ...parts,
      dateValue,
      dateIsHttpDate,
      sessionToken: headers.securityToken ?? queryParams.securityToken,
      contentSha256: headers.contentSha256,
    };
    if (missing.length > 0) auth.incomplete = incompleteAuthorizationHeader(missing, authorization);
    return auth;
  }

  if (hasQueryAuth) {
    const q = queryParams;
    const missing: string[] = [];
    if (!q.algorithm) missing.push("X-Amz-Algorithm");
    if (!q.credential) missing.push("X-Amz-Credential");
    if (!q.signature) missing.push("X-Amz-Signature");
    if (!q.signedHeaders) missing.push("X-Amz-SignedHeaders");
    if (!q.date) missing.push("X-Amz-Date");
    const auth: RequestAuth = {
      presigned: true,
      path,
      query,
      algorithm: q.algorithm ?? "",
      credential: q.credential ?? "",
      signedHeaders: q.signedHeaders ?? "",
      signature: q.signature ?? "",
      dateValue: q.date ?? "",
      dateIsHttpDate: false,
      expires: q.expires,
      sessionToken: q.securityToken ?? headers.securityToken,
      contentSha256: headers.contentSha256,
    };
    if (missing.length > 0) auth.incomplete = incompleteQueryAuth(missing);
    return auth;
  }

  return missingAuthenticationToken();
}

/** The five parts of `AKID/yyyymmdd/region/service/aws4_request`. */
export interface CredentialScope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  terminator: string;
}

/** Splits a Credential; undefined unless it has exactly five parts (trailing "/" ignored, as AWS does). */
export function parseCredential(credential: string): CredentialScope | undefined {
  let end = credential.length;
  while (end > 0 && credential.charCodeAt(end - 1) === 0x2f) end--;
  const parts = credential.slice(0, end).split("/");
  if (parts.length !== 5) return undefined;
  const [accessKeyId, date, region, service, terminator] = parts as [string, string, string, string, string];
  return { accessKeyId, date, region, service, terminator };
}
