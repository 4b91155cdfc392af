// Server-side SigV4 verification, the way AWS's front end does it for restJson services.
// The checks run in the order AWS reports them (as recorded against real DynamoDB in
// dynalite's notes, and https://docs.aws.amazon.com/IAM/latest/UserGuide/signature-v4-troubleshooting.html): missing parts → date format → clock → Host signed →
// algorithm → Credential shape → scope → access key → payload hash → signature → token.

import { timingSafeEqual } from "node:crypto";
import { amzDateFromHttpDate, checkRequestTime, parseAmzDate } from "./amz-date.js";
import {
  ALGORITHM,
  buildCanonicalRequest,
  buildStringToSign,
  canonicalHeaders,
  canonicalQuery,
  canonicalUri,
  payloadHash,
} from "./canonical.js";
import {
  badCredentialScope,
  contentSha256Mismatch,
  hostNotSigned,
  invalidExpires,
  malformedCredential,
  malformedDate,
  SCOPE_SENTENCE,
  signatureExpired,
  signatureMismatch,
  signatureNotYetCurrent,
  unrecognizedClient,
  unsignedPayload,
  unsupportedAlgorithm,
} from "./failures.js";
import { type CredentialScope, parseCredential, type RequestAuth, readRequestAuth } from "./request-auth.js";
import { signatureHex, signingKey } from "./signing-key.js";
import type { SigV4Input, VerifyFailure, VerifyOptions, VerifyResult, VerifySuccess } from "./types.js";

/** MAX_PRESIGNED_TTL in @smithy/signature-v4: a presigned URL lives at most 7 days. */
const MAX_PRESIGNED_EXPIRES_SEC = 604800;

const UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";

export interface SigningMaterial {
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
}

/**
 * The payload-hash line of the canonical request: the x-amz-content-sha256 header when sent
 * (SDK v3 always sends it), else the hash of the raw body. undefined when the header is neither
 * UNSIGNED-PAYLOAD nor the body's real hash: the body is not the one that was signed.
 */
export function payloadHashLine(auth: RequestAuth, body: Buffer): string | undefined {
  const declared = auth.contentSha256;
  if (declared === undefined) return payloadHash(body);
  if (declared === UNSIGNED_PAYLOAD) return declared;
  return declared === payloadHash(body) ? declared : undefined;
}

/** What the client must have computed, given the secret. Exported for the vector tests. */
export function computeSigningMaterial(
  input: SigV4Input,
  auth: RequestAuth,
  scope: CredentialScope,
  amzDate: string,
  secretAccessKey: string,
  payloadLine: string,
  omitSecurityTokenFromQuery = false,
): SigningMaterial {
  const canonicalRequest = buildCanonicalRequest({
    method: input.method,
    canonicalUri: canonicalUri(auth.path),
    canonicalQuery: canonicalQuery(auth.query, omitSecurityTokenFromQuery),
    canonicalHeaders: canonicalHeaders(input.rawHeaders, auth.signedHeaders.split(";")),
    signedHeaders: auth.signedHeaders,
    payloadHash: payloadLine,
  });
  const scopeText = `${scope.date}/${scope.region}/${scope.service}/${scope.terminator}`;
  const stringToSign = buildStringToSign(amzDate, scopeText, canonicalRequest);
  const key = signingKey(secretAccessKey, scope.date, scope.region, scope.service);
  return { canonicalRequest, stringToSign, signature: signatureHex(key, stringToSign) };
}

/**
 * Constant-time equality of two strings, compared as their UTF-8 bytes. The usual pair (an
 * expected hex signature, what the client sent) is compared code unit by code unit without
 * copying: every unit is visited whatever the first difference; strings that are not both
 * ASCII go through their UTF-8 bytes.
 */
function constantTimeEquals(expected: string, given: string): boolean {
  if (expected.length === given.length) {
    let diff = 0;
    let wide = 0;
    for (let i = 0; i < expected.length; i++) {
      const a = expected.charCodeAt(i);
      const b = given.charCodeAt(i);
      diff |= a ^ b;
      wide |= a | b;
    }
    if (wide < 0x80) return diff === 0;
  }
  const a = Buffer.from(expected, "utf8");
  const b = Buffer.from(given, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The timestamp the string to sign carries, in basic format; undefined when malformed. */
function signingTimestamp(auth: RequestAuth): string | undefined {
  if (auth.dateIsHttpDate) return amzDateFromHttpDate(auth.dateValue);
  return parseAmzDate(auth.dateValue) === undefined ? undefined : auth.dateValue;
}

/** A presigned URL's X-Amz-Expires in seconds, or a failure when it is not 0…604800. */
function presignedLifetime(auth: RequestAuth): number | undefined | VerifyFailure {
  if (auth.expires === undefined) return undefined;
  const text = auth.expires;
  const isDigits = text.length > 0 && text.length <= 7 && /^[0-9]+$/.test(text);
  const seconds = isDigits ? Number(text) : Number.NaN;
  if (!(seconds <= MAX_PRESIGNED_EXPIRES_SEC)) return invalidExpires(text);
  return seconds;
}

function includesHost(signedHeaderNames: readonly string[]): boolean {
  for (const name of signedHeaderNames) {
    const lower = name.toLowerCase();
    if (lower === "host" || lower === ":authority") return true;
  }
  return false;
}

/**
 * "Auth off" (verifySignature: false): the Credential still names the caller and the region
 * its data lives in, so it must be there and well formed; everything else is accepted.
 */
function acceptUnverified(auth: RequestAuth): VerifyResult {
  if (auth.credential === "" && auth.incomplete !== undefined) return auth.incomplete;
  const scope = parseCredential(auth.credential);
  if (scope === undefined) return malformedCredential(auth.credential);
  if (scope.accessKeyId === "") return unrecognizedClient();
  return success(scope, auth);
}

function success(scope: CredentialScope, auth: RequestAuth): VerifySuccess {
  const result: VerifySuccess = {
    ok: true,
    accessKeyId: scope.accessKeyId,
    region: scope.region,
    presigned: auth.presigned,
  };
  if (auth.sessionToken !== undefined) result.sessionToken = auth.sessionToken;
  return result;
}

export function verifySigV4(input: SigV4Input, opts: VerifyOptions): VerifyResult {
  const auth = readRequestAuth(input);
  if ("ok" in auth) return auth;
  if (opts.verifySignature === false) return acceptUnverified(auth);
  if (auth.incomplete !== undefined) return auth.incomplete;

  const amzDate = signingTimestamp(auth);
  if (amzDate === undefined) return malformedDate(auth.dateValue);
  const lifetime = presignedLifetime(auth);
  if (typeof lifetime === "object") return lifetime;
  if (opts.checkClock !== false) {
    const requestMs = parseAmzDate(amzDate) as number;
    const verdict = checkRequestTime(requestMs, opts.nowMs, lifetime);
    if (!verdict.ok) {
      return verdict.kind === "expired"
        ? signatureExpired(amzDate, verdict.limit, verdict.now, verdict.window)
        : signatureNotYetCurrent(amzDate, verdict.limit, verdict.now);
    }
  }

  if (!includesHost(auth.signedHeaders.split(";"))) return hostNotSigned();
  if (auth.algorithm !== ALGORITHM) return unsupportedAlgorithm(auth.algorithm);

  const scope = parseCredential(auth.credential);
  if (scope === undefined) return malformedCredential(auth.credential);
  const scopeProblems: string[] = [];
  const regionOk = scope.region !== "" && (opts.acceptRegion === undefined || opts.acceptRegion(scope.region));
  if (!regionOk) scopeProblems.push(SCOPE_SENTENCE.region(scope.region));
  if (scope.service !== opts.service) scopeProblems.push(SCOPE_SENTENCE.service(opts.service));
  if (scope.terminator !== "aws4_request") {
    scopeProblems.push(SCOPE_SENTENCE.terminator(scope.terminator));
  }
  if (scope.date !== amzDate.slice(0, 8)) scopeProblems.push(SCOPE_SENTENCE.date(scope.date, amzDate));
  if (scopeProblems.length > 0) return badCredentialScope(scopeProblems);

  const credential = opts.lookup(scope.accessKeyId);
  if (credential === undefined) return unrecognizedClient();

  // Connect's and CloudTrail's SDKs always sign the body; an unsigned payload would let the
  // body be swapped under a valid signature (issue 10). S3-style streaming is not served.
  if (auth.contentSha256 === UNSIGNED_PAYLOAD) return unsignedPayload();
  const payloadLine = payloadHashLine(auth, input.body);
  if (payloadLine === undefined) return contentSha256Mismatch();

  const material = computeSigningMaterial(input, auth, scope, amzDate, credential.secretAccessKey, payloadLine);
  if (!constantTimeEquals(material.signature, auth.signature)) {
    // A token appended to a presigned URL after signing is not part of what was signed
    // (vector post-sts-header-after, query variant): try once more without it.
    const retry =
      auth.presigned && auth.query.indexOf("X-Amz-Security-Token") !== -1
        ? computeSigningMaterial(input, auth, scope, amzDate, credential.secretAccessKey, payloadLine, true)
        : undefined;
    if (retry === undefined || !constantTimeEquals(retry.signature, auth.signature)) {
      return signatureMismatch(material.canonicalRequest, material.stringToSign);
    }
  }

  // The token need not be signed (post-sts-header-after adds it afterwards), only match.
  if (credential.sessionToken !== undefined) {
    const token = auth.sessionToken;
    if (token === undefined || !constantTimeEquals(credential.sessionToken, token)) {
      return unrecognizedClient();
    }
  }

  return success(scope, auth);
}
