// Errors that travel to the wire. Operations throw `ServiceError`s named after modeled Connect
// error shapes; the protocol layer adds framework errors (auth, routing, malformed input).
// The serializer turns either into `x-amzn-ErrorType: <Name>` + a JSON body.

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

// Modeled Connect errors (statuses from smithy.api#httpError, see src/model/errors.gen.ts).
export const invalidParameter = (message: string) => new ServiceError("InvalidParameterException", 400, message);
export const invalidRequest = (message: string) => new ServiceError("InvalidRequestException", 400, message);
export const resourceNotFound = (message: string) => new ServiceError("ResourceNotFoundException", 404, message);
export const duplicateResource = (message: string) => new ServiceError("DuplicateResourceException", 409, message);
export const limitExceeded = (message: string) => new ServiceError("LimitExceededException", 429, message);
export const serviceQuotaExceeded = (message: string) => new ServiceError("ServiceQuotaExceededException", 402, message);
export const throttling = (message: string) => new ServiceError("ThrottlingException", 429, message);
export const internalService = (message: string) => new ServiceError("InternalServiceException", 500, message);

// Front-door errors (not in the Connect model; names as AWS's front end sends them).
export const serialization = (message: string) => new ServiceError("SerializationException", 400, message, undefined, "message");
export const notImplemented = (operation: string) =>
  new ServiceError("NotImplementedException", 501, `The operation ${operation} is not implemented in Switchboard.`, undefined, "message");
