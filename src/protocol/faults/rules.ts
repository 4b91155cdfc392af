// Fault rules: the document `--faults FILE` and `PUT /_switchboard/faults` carry, checked
// completely (every problem named, nothing half-applied). A rule says which calls it matches
// (operation glob, optional principal and resource globs), what it does to them (a modeled error
// of the Connect model, added latency, a dropped connection) and how often (always, with a
// probability, or every Nth matching call; at most `count` times).
import { ERRORS } from "../../model/errors.gen.js";
import type { ErrorName } from "../../model/types.gen.js";

export interface FaultRule {
  /** a name for logs and GET (default: rule-<position>) */
  id: string;
  /** glob (`*`, `?`) on the operation's model name, e.g. `UpdateUser*` */
  operation: string;
  /** glob on the caller's ARN, e.g. `arn:aws:iam::*:user/ci-*` (absent: every caller) */
  principal?: string;
  /** glob on the resource ARN(s) the call is authorized on; one matching is enough (absent: any) */
  resource?: string;
  /** an error shape of the model: status and fault from the generated error table */
  error?: ErrorName;
  /** the error's message (default: says it was injected) */
  message?: string;
  /** added before the answer (alone: the call then runs normally) */
  latencyMs?: number;
  /** close the connection without an answer */
  drop?: boolean;
  /** 0 < p <= 1: each matching call fires with this probability (default 1) */
  probability?: number;
  /** fire on every Nth matching call (N, 2N, …); with count 1, on the Nth call only */
  nth?: number;
  /** fire at most this many times (absent: without limit) */
  count?: number;
}

export interface FaultDocument {
  rules: FaultRule[];
}

/** Thrown with every problem of a document, one line each. */
export class FaultRuleError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
    this.name = "FaultRuleError";
  }
}

const KEYS = new Set(["id", "operation", "principal", "resource", "error", "message", "latencyMs", "drop", "probability", "nth", "count"]);
/** a latency above this is a typo, not a test (SDK timeouts are far lower) */
export const MAX_LATENCY_MS = 600_000;
const MAX_RULES = 1000;

/** Parses and checks a fault document (`{"rules": [...]}`); throws FaultRuleError naming each problem. */
export function parseFaultDocument(value: unknown): FaultDocument {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new FaultRuleError(['the document must be a JSON object {"rules": [...]}']);
  }
  const doc = value as Record<string, unknown>;
  const problems: string[] = [];
  for (const k of Object.keys(doc)) if (k !== "rules") problems.push(`unknown member "${k}" (only "rules")`);
  const list = doc.rules;
  if (!Array.isArray(list)) throw new FaultRuleError([...problems, '"rules" must be an array']);
  if (list.length > MAX_RULES) throw new FaultRuleError([...problems, `at most ${MAX_RULES} rules`]);
  const rules: FaultRule[] = [];
  const ids = new Set<string>();
  list.forEach((raw, i) => {
    const where = `rules[${i}]`;
    const rule = parseRule(raw, i, (p) => problems.push(`${where}: ${p}`));
    if (rule === undefined) return;
    if (ids.has(rule.id)) problems.push(`${where}: duplicate id "${rule.id}"`);
    ids.add(rule.id);
    rules.push(rule);
  });
  if (problems.length > 0) throw new FaultRuleError(problems);
  return { rules };
}

function parseRule(raw: unknown, index: number, problem: (p: string) => void): FaultRule | undefined {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    problem("a rule must be an object");
    return undefined;
  }
  const r = raw as Record<string, unknown>;
  for (const k of Object.keys(r)) if (!KEYS.has(k)) problem(`unknown member "${k}"`);
  const str = (k: string, max = 2048): string | undefined => {
    const v = r[k];
    if (v === undefined) return undefined;
    if (typeof v !== "string" || v.length === 0 || v.length > max) {
      problem(`"${k}" must be a non-empty string of at most ${max} characters`);
      return undefined;
    }
    return v;
  };
  const num = (k: string, ok: (n: number) => boolean, what: string): number | undefined => {
    const v = r[k];
    if (v === undefined) return undefined;
    if (typeof v !== "number" || !Number.isFinite(v) || !ok(v)) {
      problem(`"${k}" must be ${what}`);
      return undefined;
    }
    return v;
  };
  const whole = (n: number) => Number.isInteger(n) && n >= 1;
  const rule: FaultRule = { id: str("id", 128) ?? `rule-${index + 1}`, operation: str("operation", 256) ?? "*" };
  if (r.operation === undefined) problem('"operation" is required (a glob such as "*" or "UpdateUser*")');
  const principal = str("principal");
  if (principal !== undefined) rule.principal = principal;
  const resource = str("resource");
  if (resource !== undefined) rule.resource = resource;
  const error = str("error", 128);
  if (error !== undefined) {
    if (ERRORS[error] === undefined) problem(`"error": ${error} is not an error of the Connect model (e.g. ThrottlingException)`);
    else rule.error = error as ErrorName;
  }
  const message = str("message", 1024);
  if (message !== undefined) rule.message = message;
  const latency = num("latencyMs", (n) => Number.isInteger(n) && n >= 0 && n <= MAX_LATENCY_MS, `a whole number 0..${MAX_LATENCY_MS}`);
  if (latency !== undefined) rule.latencyMs = latency;
  if (r.drop !== undefined) {
    if (typeof r.drop !== "boolean") problem('"drop" must be true or false');
    else if (r.drop) rule.drop = true;
  }
  const probability = num("probability", (n) => n > 0 && n <= 1, "a number > 0 and <= 1");
  if (probability !== undefined) rule.probability = probability;
  const nth = num("nth", whole, "a whole number >= 1");
  if (nth !== undefined) rule.nth = nth;
  const count = num("count", whole, "a whole number >= 1");
  if (count !== undefined) rule.count = count;
  if (rule.error !== undefined && rule.drop) problem('"error" and "drop" exclude each other');
  if (rule.error === undefined && !rule.drop && rule.latencyMs === undefined) problem('a rule needs "error", "drop" or "latencyMs"');
  if (rule.probability !== undefined && rule.nth !== undefined) problem('"probability" and "nth" exclude each other');
  if (rule.message !== undefined && rule.error === undefined) problem('"message" needs "error"');
  return rule;
}

/** A glob (`*` any run, `?` one character, everything else literal) as an anchored RegExp. */
export function globRegExp(glob: string): RegExp {
  let src = "";
  for (const c of glob) {
    if (c === "*") src += ".*";
    else if (c === "?") src += ".";
    else src += c.replace(/[\\^$.|+()[\]{}]/g, "\\$&");
  }
  return new RegExp(`^${src}$`, "s");
}
