// Wildcard patterns (`*`, `?`), policy variables (`${key}`, `${key, 'default'}`, and the escapes
// `${*}`, `${?}`, `${$}`) and ARN piecewise matching, compiled once and matched without allocating.
//
// IAM User Guide, "IAM policy elements: Variables and tags": a variable is `${` context-key `}`;
// it is replaced by the key's value from the request; a default may follow the key as
// `, 'text'`; `${*}`, `${?}` and `${$}` stand for the literal characters; multivalued keys cannot
// be variables; a variable that cannot be resolved makes that Resource / condition value not
// match. "IAM JSON policy elements: Condition operators", ARN section: "Each of the six
// colon-delimited components of the ARN is checked separately and each can include multi-character
// match wildcards (*) or single-character match wildcards (?)".

import { lookup } from "./context.js";
import type { RequestContext } from "./types.js";

export type Tok =
  | { readonly k: "lit"; readonly s: string }
  | { readonly k: "star" }
  | { readonly k: "quest" }
  /** key lower-cased; def is the default text, undefined when none; bad = malformed, never resolves */
  | { readonly k: "var"; readonly key: string; readonly def: string | undefined; readonly bad: boolean };

const STAR: Tok = { k: "star" };
const QUEST: Tok = { k: "quest" };

/**
 * Splits a policy string into tokens. `vars`: recognise `${...}` (Version 2012-10-17 only).
 * `wild`: `*` and `?` are wildcards (StringLike, Arn*, Resource, Action), else literal.
 * Adjacent literal text is merged into one token.
 */
export function tokenize(src: string, vars: boolean, wild: boolean): Tok[] {
  const out: Tok[] = [];
  let lit = "";
  const flush = () => {
    if (lit !== "") out.push({ k: "lit", s: lit });
    lit = "";
  };
  for (let i = 0; i < src.length; i++) {
    const c = src[i] as string;
    if (vars && c === "$" && src[i + 1] === "{") {
      const close = src.indexOf("}", i + 2);
      if (close >= 0) {
        const body = src.slice(i + 2, close);
        i = close;
        if (body === "*" || body === "?" || body === "$") {
          lit += body; // escapes are literal characters, never wildcards
          continue;
        }
        flush();
        out.push(parseVariable(body));
        continue;
      }
      // an unterminated "${" is plain text
    }
    if (wild && c === "*") {
      flush();
      // consecutive stars are one star
      if (out[out.length - 1]?.k !== "star") out.push(STAR);
      continue;
    }
    if (wild && c === "?") {
      flush();
      out.push(QUEST);
      continue;
    }
    lit += c;
  }
  flush();
  return out;
}

const VAR_RE = /^\s*([^\s,']+)\s*(?:,\s*'((?:[^']|'')*)'\s*)?$/;

function parseVariable(body: string): Tok {
  const m = VAR_RE.exec(body);
  if (m === null) return { k: "var", key: body.toLowerCase(), def: undefined, bad: true };
  const name = m[1] as string;
  const def = m[2] === undefined ? undefined : m[2].replace(/''/g, "'");
  return { k: "var", key: name.toLowerCase(), def, bad: false };
}

export function hasVars(toks: readonly Tok[]): boolean {
  for (const t of toks) if (t.k === "var") return true;
  return false;
}

/**
 * Backtracking RegExps take time polynomial in the number of `*` on a failing match; the few
 * patterns with more stars than this go to the glob matcher, which is O(pattern × text) at worst,
 * so no policy can stall evaluate().
 */
const MAX_REGEX_STARS = 2;

/** Match with the glob matcher (variables, or too many stars) rather than a precompiled RegExp. */
export function needsGlob(toks: readonly Tok[]): boolean {
  let stars = 0;
  for (const t of toks) {
    if (t.k === "var") return true;
    if (t.k === "star") stars++;
  }
  return stars > MAX_REGEX_STARS;
}

/** Lower-cases literal tokens (case-insensitive globs over lower-cased text). */
export function lowerTokens(toks: readonly Tok[]): Tok[] {
  return toks.map((t) => (t.k === "lit" ? { k: "lit", s: t.s.toLowerCase() } : t));
}

/** Context value → the string IAM compares (Date: ISO 8601, whole seconds without ".000"). */
export function scalarToString(v: string | number | boolean | Date): string {
  if (typeof v === "string") return v;
  if (typeof v === "number") return String(v);
  if (typeof v === "boolean") return v ? "true" : "false";
  if (Number.isNaN(v.getTime())) return "Invalid Date";
  const iso = v.toISOString();
  return iso.endsWith(".000Z") ? `${iso.slice(0, -5)}Z` : iso;
}

/** The text a variable stands for, or undefined when it cannot be resolved. */
export function resolveVar(t: Tok & { k: "var" }, ctx: RequestContext): string | undefined {
  if (t.bad) return undefined;
  const v = lookup(ctx, t.key);
  if (v === undefined || v === null || Array.isArray(v)) return t.def; // multivalued keys cannot be variables
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean" || v instanceof Date) return scalarToString(v);
  return t.def;
}

/** Substitutes every variable; undefined when one cannot be resolved. Only for wildcard-free token lists. */
export function substitute(toks: readonly Tok[], ctx: RequestContext): string | undefined {
  let s = "";
  for (const t of toks) {
    if (t.k === "lit") s += t.s;
    else if (t.k === "var") {
      const r = resolveVar(t, ctx);
      if (r === undefined) return undefined;
      s += r;
    } else s += t.k === "star" ? "*" : "?";
  }
  return s;
}

const RE_SPECIAL = /[\\^$.*+?()[\]{}|/]/g;
const escapeRe = (s: string) => s.replace(RE_SPECIAL, "\\$&");

/** Regex source for variable-free tokens; `seg` makes wildcards stop at ':' (ARN parts 1-5). */
function tokensToRegexSource(toks: readonly Tok[], seg: boolean): string {
  let src = "";
  for (const t of toks) {
    if (t.k === "lit") src += escapeRe(t.s);
    else if (t.k === "star") src += seg ? "[^:]*" : "[\\s\\S]*";
    else if (t.k === "quest") src += seg ? "[^:]" : "[\\s\\S]";
    else throw new Error("variables must be substituted before compiling to a RegExp");
  }
  return src;
}

/** Splits tokens on the first five literal ':' (ARN partition/service/region/account/resource). */
export function splitArnTokens(toks: readonly Tok[]): Tok[][] {
  const parts: Tok[][] = [[]];
  for (const t of toks) {
    let cur = parts[parts.length - 1] as Tok[];
    if (t.k !== "lit" || parts.length === 6) {
      cur.push(t);
      continue;
    }
    let s = t.s;
    let c = s.indexOf(":");
    while (c >= 0 && parts.length < 6) {
      if (c > 0) cur.push({ k: "lit", s: s.slice(0, c) });
      cur = [];
      parts.push(cur);
      s = s.slice(c + 1);
      c = s.indexOf(":");
    }
    if (s !== "") cur.push({ k: "lit", s });
  }
  return parts;
}

/** Whole-string glob (`*` spans anything) → anchored RegExp source. */
export function globSource(toks: readonly Tok[]): string {
  return tokensToRegexSource(toks, false);
}

/**
 * ARN glob → anchored RegExp source, or undefined when the pattern has fewer than six parts.
 * Parts 1-5 cannot contain ':', so their wildcards are `[^:]`; the sixth (resource) part's
 * wildcards span '/' and ':'. Matching the whole ARN with this is equivalent to matching the
 * six parts piecewise: the pattern's five literal colons must land on the ARN's first five.
 */
export function arnGlobSource(toks: readonly Tok[]): string | undefined {
  const parts = splitArnTokens(toks);
  if (parts.length < 6) return undefined;
  return parts.map((p, i) => tokensToRegexSource(p, i < 5)).join(":");
}

/** Combines alternatives into one anchored RegExp; undefined when there are none. */
export function anchored(sources: readonly string[], ignoreCase: boolean): RegExp | undefined {
  if (sources.length === 0) return undefined;
  const body = sources.length === 1 ? (sources[0] as string) : sources.map((s) => `(?:${s})`).join("|");
  return new RegExp(`^(?:${body})$`, ignoreCase ? "i" : "");
}

/**
 * Glob-matches text[start, end) against tokens whose variables are resolved on the fly (all of
 * them must have been checked resolvable). Classic greedy star with single backtrack point,
 * which is exact for patterns made only of literals, `*` and `?`. No allocation.
 */
export function globMatchRange(toks: readonly Tok[], text: string, start: number, end: number, ctx: RequestContext): boolean {
  const n = toks.length;
  let pi = 0;
  let ti = start;
  let starPi = -1;
  let starTi = start;
  while (ti < end || pi < n) {
    if (pi < n) {
      const t = toks[pi] as Tok;
      if (t.k === "star") {
        starPi = pi++;
        starTi = ti;
        continue;
      }
      if (t.k === "quest") {
        if (ti < end) {
          pi++;
          ti++;
          continue;
        }
      } else {
        const s = t.k === "lit" ? t.s : (resolveVar(t, ctx) as string);
        if (ti + s.length <= end && text.startsWith(s, ti)) {
          pi++;
          ti += s.length;
          continue;
        }
      }
    }
    if (starPi >= 0 && starTi < end) {
      starTi++;
      ti = starTi;
      pi = starPi + 1;
      continue;
    }
    return false;
  }
  return true;
}

/** True when every variable resolves (and, with noColon, to text without ':'). */
export function varsResolvable(toks: readonly Tok[], ctx: RequestContext, noColon: boolean): boolean {
  for (const t of toks) {
    if (t.k !== "var") continue;
    const r = resolveVar(t, ctx);
    if (r === undefined) return false;
    if (noColon && r.includes(":")) return false;
  }
  return true;
}

/** A compiled string/ARN pattern: static (RegExp) or templated (variables, matched by glob). */
export interface Matcher {
  test(text: string, ctx: RequestContext): boolean;
}

/** Whole-string glob with variables. */
export function globTemplate(toks: readonly Tok[]): Matcher {
  return {
    test: (text, ctx) => varsResolvable(toks, ctx, false) && globMatchRange(toks, text, 0, text.length, ctx),
  };
}

/** ARN glob with variables, matched part by part; undefined when the pattern has fewer than six parts. */
export function arnTemplate(toks: readonly Tok[]): Matcher | undefined {
  const parts = splitArnTokens(toks);
  if (parts.length < 6) return undefined;
  return {
    test(text, ctx) {
      for (let i = 0; i < 6; i++) if (!varsResolvable(parts[i] as Tok[], ctx, i < 5)) return false;
      let from = 0;
      for (let i = 0; i < 5; i++) {
        const colon = text.indexOf(":", from);
        if (colon < 0) return false;
        if (!globMatchRange(parts[i] as Tok[], text, from, colon, ctx)) return false;
        from = colon + 1;
      }
      return globMatchRange(parts[5] as Tok[], text, from, text.length, ctx);
    },
  };
}

/** Number of ARN parts in a pattern (literal colons outside `${...}` count). */
export function arnPartCount(toks: readonly Tok[]): number {
  return splitArnTokens(toks).length;
}
