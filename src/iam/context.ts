// Condition-key lookup in a request context. Key names are case-insensitive: callers store them
// lower-cased (the fast path); a key stored in another case is still found, by a scan that only
// runs when the lower-cased lookup misses. `aws:PrincipalArn` falls back to ctx.principalArn,
// which IAM always puts in the request context.

import type { ContextValue, RequestContext } from "./types.js";

const hasOwn = Object.prototype.hasOwnProperty;

export function lookup(ctx: RequestContext, lowerKey: string): ContextValue {
  const keys = ctx.keys;
  const v = keys[lowerKey];
  if (v !== undefined && hasOwn.call(keys, lowerKey)) return v;
  for (const k in keys) {
    if (k.length === lowerKey.length && k !== lowerKey && hasOwn.call(keys, k) && k.toLowerCase() === lowerKey) return keys[k];
  }
  if (lowerKey === "aws:principalarn") return ctx.principalArn;
  return undefined;
}

/** Absent: undefined (or null from untyped callers), or an empty multivalued key (IAM: "a null dataset"). */
export function isAbsent(v: ContextValue | null): v is undefined | null | readonly string[] {
  return v === undefined || v === null || (Array.isArray(v) && v.length === 0);
}
