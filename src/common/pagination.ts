// Keyset pagination tokens (moto's design): the token carries the last key returned plus a
// checksum of what the listing was for, so a token from one listing is refused by another.
// Tokens are deterministic (no per-process secret), so any node of a cluster accepts any
// node's tokens.
import { createHash } from "node:crypto";
import { invalidParameter } from "./errors.js";

function checksum(context: string, key: string): string {
  return createHash("sha256").update(context).update("\0").update(key).digest("base64url").slice(0, 16);
}

export function encodePageToken(context: string, lastKey: string): string {
  return Buffer.from(JSON.stringify({ k: lastKey, c: checksum(context, lastKey) })).toString("base64url");
}

/** Returns the last key of the previous page; throws InvalidParameterException on a foreign or forged token. */
export function decodePageToken(context: string, token: string): string {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    if (parsed && typeof parsed === "object") {
      const { k, c } = parsed as { k?: unknown; c?: unknown };
      if (typeof k === "string" && c === checksum(context, k)) return k;
    }
  } catch {
    // fall through to the error below
  }
  throw invalidParameter("Value at 'nextToken' failed to satisfy constraint: The token is not valid for this request.");
}

export interface Page<T> {
  items: T[];
  nextToken?: string;
}

/** Given up to limit+1 rows fetched after `after`, cut to `limit` and mint the next token. */
export function toPage<T>(rows: T[], limit: number, context: string, keyOf: (row: T) => string): Page<T> {
  if (rows.length <= limit) return { items: rows };
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return last === undefined ? { items } : { items, nextToken: encodePageToken(context, keyOf(last)) };
}
