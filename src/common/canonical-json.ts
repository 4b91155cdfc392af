// Canonical JSON for hashing: object keys sorted (by UTF-16 code units), no whitespace,
// undefined members dropped. Same value → same bytes, on any node. On the audit hot path (every
// event's hash covers its record), so:
//  - a tree whose objects are all plain and already in sorted key order is exactly what
//    JSON.stringify writes, so it is handed to the native serializer after one cheap check;
//  - otherwise one walk that appends to a string, sorts an object's keys only when they are out
//    of order, and quotes each key once per process (keys repeat from record to record).
// The output is byte for byte that of the reference definition kept in
// test/unit/canonical-json.test.ts, which compares the two on a corpus.

/** Quoted keys with their colon (`"name":`), by key; bounded, since keys can come from input. */
const quotedKeys = new Map<string, string>();
const MAX_QUOTED_KEYS = 4096;

function quotedKey(k: string): string {
  let q = quotedKeys.get(k);
  if (q === undefined) {
    q = `${JSON.stringify(k)}:`;
    if (quotedKeys.size < MAX_QUOTED_KEYS) quotedKeys.set(k, q);
  }
  return q;
}

/**
 * Key lists seen out of order, with their sorted order: records of one kind share their key
 * lists (an audit record's members), so the sort is done once per list, not once per record.
 * Looked up by the first key; the lists under it are compared key by key (cheap: most keys are
 * the same interned strings).
 */
const sortedLists = new Map<string, { keys: string[]; sorted: string[] }[]>();
const MAX_SORTED_LISTS = 256;
let sortedListCount = 0;

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** keys in code-unit order: as given when already so, else sorted (the sort remembered). */
function sortedKeys(keys: string[]): string[] {
  let inOrder = true;
  for (let i = 1; i < keys.length; i++) {
    if (!((keys[i - 1] as string) < (keys[i] as string))) {
      inOrder = false;
      break;
    }
  }
  if (inOrder) return keys;
  const first = keys[0] as string;
  const known = sortedLists.get(first);
  if (known !== undefined) for (const k of known) if (sameKeys(k.keys, keys)) return k.sorted;
  const sorted = keys.slice().sort();
  if (sortedListCount < MAX_SORTED_LISTS) {
    sortedListCount++;
    if (known === undefined) sortedLists.set(first, [{ keys, sorted }]);
    else known.push({ keys, sorted });
  }
  return sorted;
}

/**
 * Whether JSON.stringify(value) already is the canonical form: every object in the tree is a
 * plain object (or array) without toJSON, iterates its keys in strictly increasing order (V8
 * puts integer-like keys first, numerically: such an object fails the check when that is not
 * also the string order), and no member is a function, symbol or bigint (the native serializer
 * drops or rejects those where the canonical form writes null).
 */
function alreadyCanonical(value: unknown, depth: number): boolean {
  if (depth > 64) return false;
  if (typeof value !== "object" || value === null) {
    const t = typeof value;
    return t === "string" || t === "number" || t === "boolean" || value === null || value === undefined;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === "function") return false;
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) return false;
    for (let i = 0; i < value.length; i++) if (!alreadyCanonical(value[i], depth + 1)) return false;
    return true;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  let previous: string | undefined;
  const obj = value as Record<string, unknown>;
  for (const k in obj) {
    if (previous !== undefined && !(previous < k)) return false;
    previous = k;
    if (!alreadyCanonical(obj[k], depth + 1)) return false;
  }
  return true;
}

function walk(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ",";
      const v: unknown = value[i];
      out += v === undefined ? "null" : walk(v);
    }
    return `${out}]`;
  }
  const obj = value as Record<string, unknown>;
  const keys = sortedKeys(Object.keys(obj));
  let out = "{";
  let first = true;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    const v = obj[k];
    if (v === undefined) continue;
    if (first) first = false;
    else out += ",";
    out += quotedKey(k);
    out += walk(v);
  }
  return `${out}}`;
}

export function canonicalJson(value: unknown): string {
  if (value !== undefined && typeof value === "object" && value !== null && alreadyCanonical(value, 0)) {
    return JSON.stringify(value);
  }
  return walk(value);
}
