// Operation output / errors → restJson1 responses (wire brief §2.2–2.3).
import type { ServiceError } from "../../common/errors.js";

export interface WireResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Success. Operations return wire-shaped objects (PascalCase members, epoch-second numbers);
 * undefined members vanish in JSON.stringify. Unit output → 200 with an empty body.
 */
export function serializeOutput(output: Record<string, unknown> | undefined, requestId: string): WireResponse {
  if (output === undefined) return { status: 200, headers: { "x-amzn-RequestId": requestId }, body: "" };
  return {
    status: 200,
    headers: { "Content-Type": "application/json", "x-amzn-RequestId": requestId },
    body: JSON.stringify(output),
  };
}

/** Error: bare shape name in x-amzn-ErrorType (never namespace#Name: old botocore keeps the #). */
export function serializeError(err: ServiceError, requestId: string): WireResponse {
  const body: Record<string, unknown> = { [err.messageKey]: err.message, ...err.extra };
  return {
    status: err.status,
    headers: {
      "Content-Type": "application/json",
      "x-amzn-RequestId": requestId,
      "x-amzn-ErrorType": err.code,
    },
    body: JSON.stringify(body),
  };
}
