// CloudTrail's errors that LookupEvents can answer
// (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html#API_LookupEvents_Errors),
// plus the front door's for its protocol. CloudTrail's model is not in this repository: this is
// its error table (name → smithy.api#httpError; every one a client fault, 400, as awsJson1.1
// services answer them), transcribed from its API reference.
import { ServiceError } from "../../common/errors.js";

export const CLOUDTRAIL_ERRORS = {
  InvalidEventCategoryException: 400,
  InvalidLookupAttributesException: 400,
  InvalidMaxResultsException: 400,
  InvalidNextTokenException: 400,
  InvalidTimeRangeException: 400,
  UnknownOperationException: 400,
  SerializationException: 400,
} as const;
export type CloudTrailErrorName = keyof typeof CLOUDTRAIL_ERRORS;

/** A CloudTrail error; awsJson1.1 sends the name in __type and the text in `message`. */
export const cloudTrailError = (name: CloudTrailErrorName, message: string): ServiceError =>
  new ServiceError(name, CLOUDTRAIL_ERRORS[name], message, undefined, "message");
