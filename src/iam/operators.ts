// Condition operators (IAM User Guide, "IAM JSON policy elements: Condition operators") and the
// per-clause logic of "Conditions with multiple context keys or values" / "Single-valued vs.
// multivalued context keys" (ForAllValues / ForAnyValue).

import { isAbsent, lookup } from "./context.js";
import {
  anchored,
  arnGlobSource,
  arnTemplate,
  globSource,
  globTemplate,
  hasVars,
  type Matcher,
  needsGlob,
  scalarToString,
  substitute,
  type Tok,
  tokenize,
} from "./pattern.js";
import type { ConditionClause, ContextValue, RequestContext } from "./types.js";
import { type Cidr, canonicalBase64, cidrContains, parseBool, parseCidr, parseDate, parseIp, parseNumber } from "./values.js";

type Family = "String" | "StringIgnoreCase" | "StringLike" | "Numeric" | "Date" | "Bool" | "Binary" | "Ip" | "Arn" | "Null";
type Cmp = "eq" | "lt" | "le" | "gt" | "ge";

interface BaseOperator {
  readonly family: Family;
  /** negated operators (StringNotEquals, NotIpAddress, ArnNotLike, ...): NOR over the policy values */
  readonly negated: boolean;
  readonly cmp: Cmp;
}

const op = (family: Family, negated = false, cmp: Cmp = "eq"): BaseOperator => ({ family, negated, cmp });

const BASE_OPERATORS: ReadonlyMap<string, BaseOperator> = new Map([
  ["StringEquals", op("String")],
  ["StringNotEquals", op("String", true)],
  ["StringEqualsIgnoreCase", op("StringIgnoreCase")],
  ["StringNotEqualsIgnoreCase", op("StringIgnoreCase", true)],
  ["StringLike", op("StringLike")],
  ["StringNotLike", op("StringLike", true)],
  ["NumericEquals", op("Numeric")],
  ["NumericNotEquals", op("Numeric", true)],
  ["NumericLessThan", op("Numeric", false, "lt")],
  ["NumericLessThanEquals", op("Numeric", false, "le")],
  ["NumericGreaterThan", op("Numeric", false, "gt")],
  ["NumericGreaterThanEquals", op("Numeric", false, "ge")],
  ["DateEquals", op("Date")],
  ["DateNotEquals", op("Date", true)],
  ["DateLessThan", op("Date", false, "lt")],
  ["DateLessThanEquals", op("Date", false, "le")],
  ["DateGreaterThan", op("Date", false, "gt")],
  ["DateGreaterThanEquals", op("Date", false, "ge")],
  ["Bool", op("Bool")],
  ["BinaryEquals", op("Binary")],
  ["IpAddress", op("Ip")],
  ["NotIpAddress", op("Ip", true)],
  ["ArnEquals", op("Arn")],
  ["ArnLike", op("Arn")],
  ["ArnNotEquals", op("Arn", true)],
  ["ArnNotLike", op("Arn", true)],
  ["Null", op("Null")],
]);

/** The base operator names this implementation supports (without prefix or IfExists suffix). */
export const SUPPORTED_OPERATORS: readonly string[] = [...BASE_OPERATORS.keys()];

export type SetMode = "none" | "all" | "any";

export interface ParsedOperator {
  readonly set: SetMode;
  readonly base: string;
  readonly ifExists: boolean;
  readonly family: Family;
  readonly negated: boolean;
  readonly cmp: Cmp;
}

const FOR_ALL = "ForAllValues:";
const FOR_ANY = "ForAnyValue:";
const IF_EXISTS = "IfExists";

/** Parses "ForAnyValue:StringLikeIfExists" and the like; a string is the reason it is not valid. */
export function parseOperator(name: string): ParsedOperator | string {
  let rest = name;
  let set: SetMode = "none";
  if (rest.startsWith(FOR_ALL)) {
    set = "all";
    rest = rest.slice(FOR_ALL.length);
  } else if (rest.startsWith(FOR_ANY)) {
    set = "any";
    rest = rest.slice(FOR_ANY.length);
  }
  let ifExists = false;
  let base = BASE_OPERATORS.get(rest);
  if (base === undefined && rest.endsWith(IF_EXISTS)) {
    base = BASE_OPERATORS.get(rest.slice(0, -IF_EXISTS.length));
    if (base !== undefined) {
      ifExists = true;
      rest = rest.slice(0, -IF_EXISTS.length);
    }
  }
  if (base === undefined) return `unknown condition operator "${name}"`;
  if (base.family === "Null" && ifExists) return `condition operator "${name}": Null cannot take the IfExists suffix`;
  if (base.family === "Null" && set !== "none") return `condition operator "${name}": Null cannot take a ForAllValues:/ForAnyValue: prefix`;
  return { set, base: rest, ifExists, family: base.family, negated: base.negated, cmp: base.cmp };
}

/** Why a policy value is not acceptable for the operator, or undefined when it is. */
export function checkValue(o: ParsedOperator, v: string | number | boolean): string | undefined {
  switch (o.family) {
    case "Numeric":
      return parseNumber(v) === undefined ? `${JSON.stringify(v)} is not a number` : undefined;
    case "Date":
      return parseDate(v) === undefined ? `${JSON.stringify(v)} is not an ISO 8601 date or epoch seconds` : undefined;
    case "Bool":
    case "Null":
      return parseBool(v) === undefined ? `${JSON.stringify(v)} is not "true" or "false"` : undefined;
    case "Binary":
      return canonicalBase64(v) === undefined ? `${JSON.stringify(v)} is not base64` : undefined;
    case "Ip":
      return parseCidr(v) === undefined ? `${JSON.stringify(v)} is not an IPv4/IPv6 address or CIDR block` : undefined;
    default:
      return undefined;
  }
}

type Scalar = string | number | boolean | Date;
/** Does one (single) context value match at least one policy value, under the positive operator? */
type ScalarTest = (v: Scalar, ctx: RequestContext) => boolean;

export interface CompiledClause {
  /** lower-cased */
  readonly key: string;
  readonly set: SetMode;
  readonly ifExists: boolean;
  readonly negated: boolean;
  /** Null operator: the wanted "absent" flags (any may hold) */
  readonly nullWants: readonly boolean[] | undefined;
  readonly test: ScalarTest;
}

const NEVER: ScalarTest = () => false;

function compare(cmp: Cmp, a: number, b: number): boolean {
  switch (cmp) {
    case "eq":
      return a === b;
    case "lt":
      return a < b;
    case "le":
      return a <= b;
    case "gt":
      return a > b;
    case "ge":
      return a >= b;
  }
}

/** Static values → one test; templated values (policy variables) → matchers resolved per request. */
function patternTest(values: readonly string[], vars: boolean, arn: boolean): ScalarTest {
  const sources: string[] = [];
  const templates: Matcher[] = [];
  for (const v of values) {
    const toks = tokenize(v, vars, true);
    if (needsGlob(toks)) {
      const m = arn ? arnTemplate(toks) : globTemplate(toks);
      if (m !== undefined) templates.push(m);
    } else {
      const src = arn ? arnGlobSource(toks) : globSource(toks);
      if (src !== undefined) sources.push(src);
    }
  }
  const re = anchored(sources, false);
  if (templates.length === 0) return re === undefined ? NEVER : (v) => re.test(scalarToString(v));
  return (v, ctx) => {
    const s = scalarToString(v);
    if (re?.test(s)) return true;
    for (const t of templates) if (t.test(s, ctx)) return true;
    return false;
  };
}

function equalsTest(values: readonly string[], vars: boolean, fold: boolean): ScalarTest {
  const fixed = new Set<string>();
  const templates: Tok[][] = [];
  for (const v of values) {
    const toks = tokenize(v, vars, false);
    if (hasVars(toks)) templates.push(toks);
    else {
      const s = toks.map((t) => (t.k === "lit" ? t.s : "")).join("");
      fixed.add(fold ? s.toLowerCase() : s);
    }
  }
  if (templates.length === 0) {
    return fold ? (v) => fixed.has(scalarToString(v).toLowerCase()) : (v) => fixed.has(scalarToString(v));
  }
  return (v, ctx) => {
    const s = fold ? scalarToString(v).toLowerCase() : scalarToString(v);
    if (fixed.has(s)) return true;
    for (const t of templates) {
      const r = substitute(t, ctx);
      if (r !== undefined && (fold ? r.toLowerCase() : r) === s) return true;
    }
    return false;
  };
}

function numericContext(v: Scalar): number | undefined {
  return typeof v === "number" || typeof v === "string" ? parseNumber(v) : undefined;
}

function buildTest(o: ParsedOperator, raw: readonly (string | number | boolean)[], vars: boolean): ScalarTest {
  const strs = () => raw.map((v) => (typeof v === "string" ? v : String(v)));
  switch (o.family) {
    case "String":
      return equalsTest(strs(), vars, false);
    case "StringIgnoreCase":
      return equalsTest(strs(), vars, true);
    case "StringLike":
      return patternTest(strs(), vars, false);
    case "Arn":
      return patternTest(strs(), vars, true);
    case "Numeric": {
      const nums = raw.map((v) => parseNumber(v)).filter((n): n is number => n !== undefined);
      const cmp = o.cmp;
      return (v) => {
        const n = numericContext(v);
        if (n === undefined) return false;
        for (const p of nums) if (compare(cmp, n, p)) return true;
        return false;
      };
    }
    case "Date": {
      const times = raw.map((v) => parseDate(v)).filter((n): n is number => n !== undefined);
      const cmp = o.cmp;
      return (v) => {
        const t = parseDate(v);
        if (t === undefined) return false;
        for (const p of times) if (compare(cmp, t, p)) return true;
        return false;
      };
    }
    case "Bool": {
      const wants = raw.map((v) => parseBool(v));
      const wantTrue = wants.includes(true);
      const wantFalse = wants.includes(false);
      return (v) => {
        const b = typeof v === "boolean" ? v : typeof v === "string" ? parseBool(v) : undefined;
        return b === undefined ? false : b ? wantTrue : wantFalse;
      };
    }
    case "Binary": {
      const set = new Set(raw.map((v) => canonicalBase64(v)).filter((s): s is string => s !== undefined));
      return (v) => {
        const c = typeof v === "string" ? canonicalBase64(v) : undefined;
        return c !== undefined && set.has(c);
      };
    }
    case "Ip": {
      const cidrs = raw.map((v) => parseCidr(v)).filter((c): c is Cidr => c !== undefined);
      return (v) => {
        if (typeof v !== "string") return false;
        const ip = parseIp(v);
        if (ip === undefined) return false;
        for (const c of cidrs) if (cidrContains(c, ip)) return true;
        return false;
      };
    }
    case "Null":
      return NEVER; // handled by nullWants
  }
}

/** Compiles one clause; the operator must be valid (parseOperator did not return a reason). */
export function compileClause(clause: ConditionClause, o: ParsedOperator, variables: boolean): CompiledClause {
  // Policy variables are substituted in string and ARN comparisons only ("Where you can use policy variables").
  const vars = variables && (o.family === "String" || o.family === "StringIgnoreCase" || o.family === "StringLike" || o.family === "Arn");
  return {
    key: clause.key.toLowerCase(),
    set: o.set,
    ifExists: o.ifExists,
    negated: o.negated,
    nullWants: o.family === "Null" ? clause.values.map((v) => parseBool(v) === true) : undefined,
    test: buildTest(o, clause.values, vars),
  };
}

/** One value under the (possibly negated) operator: negated = no policy value matches (NOR). */
function one(c: CompiledClause, v: Scalar, ctx: RequestContext): boolean {
  return c.negated ? !c.test(v, ctx) : c.test(v, ctx);
}

/**
 * Evaluates a clause against the request:
 * - Null: "true" holds when the key is absent, "false" when present (values ORed).
 * - key absent, no set prefix: IfExists → true; negated operator → true; otherwise false
 *   ("Condition operators": "If the policy condition requires that the key is not matched, such as
 *   StringNotLike or ArnNotLike, and the right key is not present, the condition is true").
 * - ForAllValues: true when the key is absent or empty, else every request value must satisfy the
 *   operator (for a negated operator: no request value matches any policy value).
 * - ForAnyValue: false when the key is absent or empty (true with IfExists), else at least one
 *   request value must satisfy the operator (negated: at least one request value matches none).
 * - no set prefix on a multivalued key: the positive operator holds when any request value matches
 *   (ForAnyValue semantics); the negated operator is its exact negation (no value matches).
 */
export function evalClause(c: CompiledClause, ctx: RequestContext): boolean {
  const raw: ContextValue = lookup(ctx, c.key);
  const absent = isAbsent(raw);
  if (c.nullWants !== undefined) {
    for (const w of c.nullWants) if (w === absent) return true;
    return false;
  }
  if (c.set === "all") {
    if (absent) return true;
    if (!Array.isArray(raw)) return one(c, raw as Scalar, ctx);
    for (const v of raw as readonly string[]) if (!one(c, v, ctx)) return false;
    return true;
  }
  if (c.set === "any") {
    if (absent) return c.ifExists;
    if (!Array.isArray(raw)) return one(c, raw as Scalar, ctx);
    for (const v of raw as readonly string[]) if (one(c, v, ctx)) return true;
    return false;
  }
  if (absent) return c.ifExists || c.negated;
  if (!Array.isArray(raw)) return one(c, raw as Scalar, ctx);
  let any = false;
  for (const v of raw as readonly string[]) {
    if (c.test(v, ctx)) {
      any = true;
      break;
    }
  }
  return c.negated ? !any : any;
}
