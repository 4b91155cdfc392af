// awsJson1.1 (https://smithy.io/2.0/aws/protocols/aws-json-1_1-protocol.html): `POST /` with
// `X-Amz-Target: <service shape>.<Operation>`, a JSON body, errors named by `__type`. Served
// for CloudTrail, whose SDKs send the target in two spellings: botocore (AWS CLI, boto3) the full
// "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.<Operation>", SDK v3 the service shape
// name only, "CloudTrail_20131101.<Operation>".
import type { ServiceError } from "../../common/errors.js";
import { headerValue } from "../headers.js";
import type { Codec, Route } from "../service.js";
import type { WireRequest, WireResponse } from "../wire.js";

const CONTENT_TYPE = "application/x-amz-json-1.1";

export interface AwsJsonOptions {
  /** every accepted `X-Amz-Target` prefix (the operation name follows it) */
  targetPrefixes: readonly string[];
  /** the operations served; any other target is an UnknownOperationException */
  operations: ReadonlySet<string>;
  unknownOperation(operation: string): ServiceError;
  /** the service's own error for a body that is not JSON */
  notJson(): ServiceError;
}

/** Whether the request is an awsJson call for one of these target prefixes (matched case-insensitively). */
export function claimsAwsJson(req: WireRequest, rawPath: string, lowerPrefixes: readonly string[]): boolean {
  if (req.method !== "POST" || rawPath !== "/") return false;
  const target = headerValue(req.headers, "x-amz-target")?.toLowerCase();
  return target !== undefined && lowerPrefixes.some((p) => target.startsWith(p));
}

function respond(status: number, requestId: string, body: unknown, errorType?: string): WireResponse {
  const headers: Record<string, string> = { "Content-Type": CONTENT_TYPE, "x-amzn-RequestId": requestId };
  if (errorType) headers["x-amzn-ErrorType"] = errorType;
  return { status, headers, body: JSON.stringify(body) };
}

export function awsJsonCodec(options: AwsJsonOptions): Codec<Route> {
  return {
    route(req) {
      const target = headerValue(req.headers, "x-amz-target") ?? "";
      const suffix = target.slice(target.lastIndexOf(".") + 1);
      // named in logs and audit events: only a plausible operation name, never arbitrary text
      const operation = /^[A-Za-z0-9]{1,64}$/.test(suffix) ? suffix : "Unknown";
      const known = options.operations.has(operation) && options.targetPrefixes.some((p) => target === `${p}${operation}`);
      return known ? { operation } : { operation, error: options.unknownOperation(operation) };
    },

    decode(_route, req) {
      if (req.body.length === 0) return {};
      try {
        return JSON.parse(req.body.toString("utf8")) as unknown;
      } catch {
        throw options.notJson();
      }
    },

    // No model tables here: the operation checks its own input (Declaration.validate).
    validate: (_operation, input) => input,

    encodeOutput: (_operation, output, requestId) => respond(200, requestId, output),

    encodeError(error, requestId) {
      // Client errors, authentication failures included, are 400 on AWS's JSON services; a
      // server-side failure is AWS's common InternalFailure (retried by every SDK).
      if (error.status >= 500)
        return respond(error.status, requestId, { __type: "InternalFailure", message: error.message }, "InternalFailure");
      return respond(400, requestId, { __type: error.code, message: error.message }, error.code);
    },
  };
}
