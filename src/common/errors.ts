// Errors that travel to the wire, built in one place each:
//  - modeled Connect errors (`modeledError`): name, HTTP status and fault from the generated
//    error table (src/model/errors.gen.ts, from smithy.api#error / smithy.api#httpError);
//  - front-door errors of AWS's own front end (`frameworkError`): authentication, routing,
//    malformed input — not in any service model, so their statuses are listed here, once.
// A codec turns either into its protocol's error response.
import { ERRORS } from "../model/errors.gen.js";
import type { ErrorName } from "../model/types.gen.js";

export class ServiceError extends Error {
  constructor(
    /** the error shape name, sent as x-amzn-ErrorType */
    readonly code: string,
    readonly status: number,
    message: string,
    /** extra modeled members for the body, e.g. { Reason: {...} } */
    readonly extra?: Readonly<Record<string, unknown>>,
    /**
     * Connect's modeled error shapes spell the member `Message`; the auth/front-door errors of
     * AWS services (UnrecognizedClientException, SerializationException …) use `message`.
     */
    readonly messageKey: "Message" | "message" = "Message",
  ) {
    super(message);
    this.name = code;
  }
}

/** A modeled error of the service: its status is the model's, never written by hand. */
export function modeledError(name: ErrorName, message: string, extra?: Readonly<Record<string, unknown>>): ServiceError {
  const def = ERRORS[name];
  if (def === undefined) throw new Error(`${name} is not an error shape of the model`);
  return new ServiceError(name, def.status, message, extra);
}

/**
 * Errors of AWS's front end, shared by every restJson service (not in the Connect model). Auth
 * failures are 403 on restJson services; SDKs branch on the code, never on 400 vs 403.
 */
export const FRAMEWORK_ERRORS = {
  SerializationException: 400,
  UnknownOperationException: 404,
  RequestEntityTooLargeException: 413,
  RequestTimeoutException: 408,
  NotImplementedException: 501,
  MissingAuthenticationTokenException: 403,
  IncompleteSignatureException: 403,
  UnrecognizedClientException: 403,
  InvalidSignatureException: 403,
  ExpiredTokenException: 403,
} as const;
export type FrameworkErrorName = keyof typeof FRAMEWORK_ERRORS;

export function frameworkError(name: FrameworkErrorName, message: string): ServiceError {
  return new ServiceError(name, FRAMEWORK_ERRORS[name], message, undefined, "message");
}

/** The codes authentication failures carry (audited as failed authentications). */
export const AUTH_FAILURE_CODES: ReadonlySet<string> = new Set<FrameworkErrorName>([
  "MissingAuthenticationTokenException",
  "IncompleteSignatureException",
  "UnrecognizedClientException",
  "InvalidSignatureException",
  "ExpiredTokenException",
]);

// Shorthands for the modeled errors operations throw most.
export const invalidParameter = (message: string) => modeledError("InvalidParameterException", message);
export const invalidRequest = (message: string) => modeledError("InvalidRequestException", message);
export const resourceNotFound = (message: string) => modeledError("ResourceNotFoundException", message);
export const duplicateResource = (message: string) => modeledError("DuplicateResourceException", message);
export const resourceInUse = (message: string) => modeledError("ResourceInUseException", message);
export const limitExceeded = (message: string) => modeledError("LimitExceededException", message);
export const serviceQuotaExceeded = (message: string) => modeledError("ServiceQuotaExceededException", message);
export const throttling = (message: string) => modeledError("ThrottlingException", message);
export const internalService = (message: string) => modeledError("InternalServiceException", message);
export const accessDenied = (message: string) => modeledError("AccessDeniedException", message);

export const serialization = (message: string) => frameworkError("SerializationException", message);
export const notImplemented = (operation: string) =>
  frameworkError("NotImplementedException", `The operation ${operation} is not implemented in Switchboard.`);

/** Thrown when the database cannot be reached or fails; surfaces as a 5xx the SDKs retry. */
export class StoreUnavailable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StoreUnavailable";
  }
}

/** A configuration or command-line mistake: reported to the user as it is, without a stack (exit code 2). */
export class ConfigError extends Error {}
