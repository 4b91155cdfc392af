// Operation output / errors → restJson1 responses
// (https://smithy.io/2.0/aws/protocols/aws-restjson1-protocol.html).
import type { ServiceError } from "../../common/errors.js";
import type { Shape } from "../../model/types.js";
import type { WireResponse } from "../wire.js";
import { holdsNonJsonValues } from "./input-values.js";

export type { WireResponse };

type Shapes = Readonly<Record<string, Shape>>;

function timestampToWire(d: Date, format: Extract<Shape, { t: "timestamp" }>["format"]): number | string {
  // restJson1 body timestamps default to epoch seconds (fractional milliseconds kept).
  if (format === "date-time") return d.toISOString();
  if (format === "http-date") return d.toUTCString();
  return d.getTime() / 1000;
}

/**
 * An operation's model-typed output (Date timestamps, Uint8Array blobs) as the JSON document
 * restJson1 sends, walking the model's output shape: members in the model's order, absent
 * members left out. Shapes with nothing to convert are passed through as they are.
 */
export function outputDocument(shapes: Shapes, shapeName: string, value: unknown, memo: Map<string, boolean>): unknown {
  if (value === undefined || value === null) return undefined;
  if (!holdsNonJsonValues(shapes, shapeName, memo)) return value;
  const shape = shapes[shapeName];
  switch (shape?.t) {
    case "timestamp":
      return value instanceof Date ? timestampToWire(value, shape.format) : value;
    case "blob":
      return value instanceof Uint8Array ? Buffer.from(value).toString("base64") : value;
    case "structure":
    case "union": {
      const obj = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const name in shape.members) {
        const v = obj[name];
        if (v !== undefined) out[name] = outputDocument(shapes, (shape.members[name] as { target: string }).target, v, memo);
      }
      return out;
    }
    case "list":
      return (value as unknown[]).map((v) => outputDocument(shapes, shape.member, v, memo));
    case "map": {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = outputDocument(shapes, shape.value, v, memo);
      return out;
    }
    default:
      return value;
  }
}

/**
 * Success: a JSON document (PascalCase members, timestamps already in their wire form);
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
