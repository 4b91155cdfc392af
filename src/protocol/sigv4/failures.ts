// Auth failures with the codes and message texts AWS's front end sends for restJson services.
// Their status is the front door's (common/errors.ts: 403 on restJson services; clients branch
// on the code, never on 400 vs 403).
// Sources of the texts are next to each builder; "[unconfirmed]" marks wording we chose.

import { FRAMEWORK_ERRORS } from "../../common/errors.js";
import type { SigV4ErrorCode, VerifyFailure } from "./types.js";

function fail(code: SigV4ErrorCode, message: string): VerifyFailure {
  return { ok: false, code, status: FRAMEWORK_ERRORS[code], message };
}

// https://github.com/amzn/selling-partner-api-models/issues/749
export const missingAuthenticationToken = (): VerifyFailure => fail("MissingAuthenticationTokenException", "Missing Authentication Token");

/** One "…requires…" sentence per missing part, then the header echoed (https://github.com/aws/chalice/issues/828). */
export const incompleteAuthorizationHeader = (missing: readonly string[], authorization: string): VerifyFailure =>
  fail("IncompleteSignatureException", `${missing.join("")}Authorization=${authorization}`);

export const MISSING_HEADER_PART = {
  credential: "Authorization header requires 'Credential' parameter. ",
  signature: "Authorization header requires 'Signature' parameter. ",
  signedHeaders: "Authorization header requires 'SignedHeaders' parameter. ",
  date: "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ",
} as const;

/** Presigned URL missing parameters: the Coral wording, as mirrored by dynalite's DynamoDB notes. */
export const incompleteQueryAuth = (missingParams: readonly string[]): VerifyFailure =>
  fail(
    "IncompleteSignatureException",
    `${missingParams.map((p) => `AWS query-string parameters must include '${p}'. `).join("")}Re-examine the query-string parameters.`,
  );

export const bothHeaderAndQueryAuth = (): VerifyFailure =>
  fail("IncompleteSignatureException", "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.");

export const malformedDate = (value: string): VerifyFailure =>
  fail(
    "IncompleteSignatureException",
    `Date must be in ISO-8601 'basic format'. Got '${value}'. See http://en.wikipedia.org/wiki/ISO_8601`,
  );

export const unsupportedAlgorithm = (algorithm: string): VerifyFailure =>
  fail("IncompleteSignatureException", `Unsupported AWS 'algorithm': '${algorithm}' (only AWS4-HMAC-SHA256 for now). `);

// https://github.com/mhart/aws4/issues/97
export const malformedCredential = (credential: string): VerifyFailure =>
  fail(
    "IncompleteSignatureException",
    `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`,
  );

/** [unconfirmed] code and text for X-Amz-Expires out of range; the 7-day cap is MAX_PRESIGNED_TTL. */
export const invalidExpires = (value: string): VerifyFailure =>
  fail("IncompleteSignatureException", `X-Amz-Expires must be a whole number of seconds between 0 and 604800, got '${value}'.`);

/** Scope problems are all reported at once, each sentence ending in ". " like AWS does. */
export const badCredentialScope = (sentences: readonly string[]): VerifyFailure => fail("InvalidSignatureException", sentences.join(""));

export const SCOPE_SENTENCE = {
  // https://github.com/aws/aws-sdk-ruby/issues/508
  region: (region: string) => `Credential should be scoped to a valid region, not '${region}'. `,
  // https://github.com/aws/aws-sdk-go/issues/1850
  service: (service: string) => `Credential should be scoped to correct service: '${service}'. `,
  terminator: (terminator: string) => `Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'. `,
  date: (scopeDate: string, amzDate: string) =>
    `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${amzDate.slice(0, 8)}', from '${amzDate}'. `,
} as const;

export const hostNotSigned = (): VerifyFailure =>
  fail("InvalidSignatureException", "'Host' must be a 'SignedHeader' in the AWS Authorization.");

// https://github.com/aws/aws-sdk-js/issues/573 ; https://github.com/basak/glacier-cli/issues/36
export const signatureExpired = (amzDate: string, limit: string, now: string, window: string) =>
  fail("InvalidSignatureException", `Signature expired: ${amzDate} is now earlier than ${limit} (${now} - ${window}.)`);

// https://github.com/NickWaterton/Roomba980-Python/issues/118
export const signatureNotYetCurrent = (amzDate: string, limit: string, now: string) =>
  fail("InvalidSignatureException", `Signature not yet current: ${amzDate} is still later than ${limit} (${now} + 5 min.)`);

// https://github.com/iann0036/iamlive/issues/58
export const unrecognizedClient = (): VerifyFailure =>
  fail("UnrecognizedClientException", "The security token included in the request is invalid.");

/** [unconfirmed] wording: Switchboard refuses unsigned payloads (README, "Limits and timeouts"). */
export const unsignedPayload = (): VerifyFailure =>
  fail("InvalidSignatureException", "x-amz-content-sha256: UNSIGNED-PAYLOAD is not accepted by this service; sign the request body.");

/** [unconfirmed] S3's wording for the same check (XAmzContentSHA256Mismatch). */
export const contentSha256Mismatch = (): VerifyFailure =>
  fail("InvalidSignatureException", "The provided 'x-amz-content-sha256' header does not match what was computed.");

/**
 * The session token's value in a canonical request (header line or presigned query parameter),
 * masked: AWS echoes it (https://github.com/amzn/selling-partner-api-docs/issues/116), Switchboard
 * does not — messages end up in client logs. The line stays, so the header is seen to be signed.
 */
const maskToken = (canonicalRequest: string) =>
  canonicalRequest.replace(/^(x-amz-security-token:).*$/gm, "$1***").replace(/((?:^|&)X-Amz-Security-Token=)[^&\n]*/gm, "$1***");

// https://github.com/mhart/aws4/issues/33 ; https://github.com/aws/aws-sdk-js/issues/2372
// The canonical request is shown as AWS shows it, its session token masked (maskToken).
export const signatureMismatch = (canonicalRequest: string, stringToSign: string): VerifyFailure =>
  fail(
    "InvalidSignatureException",
    "The request signature we calculated does not match the signature you provided. " +
      "Check your AWS Secret Access Key and signing method. " +
      "Consult the service documentation for details.\n\n" +
      `The Canonical String for this request should have been\n'${maskToken(canonicalRequest)}'\n\n` +
      `The String-to-Sign should have been\n'${stringToSign}'\n`,
  );
