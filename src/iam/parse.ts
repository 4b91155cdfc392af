// Parser/validator for IAM identity-based policy documents (IAM User Guide, "IAM JSON policy
// elements reference" and "Grammar of the IAM JSON policy language"). Every problem in the
// document is collected and reported together in one PolicyError.

import { compiled } from "./compile.js";
import { PolicyError } from "./errors.js";
import { checkValue, parseOperator } from "./operators.js";
import { arnPartCount, tokenize } from "./pattern.js";
import type { ConditionClause, Policy, Statement } from "./types.js";

export { PolicyError } from "./errors.js";

const TOP_LEVEL = new Set(["Version", "Id", "Statement"]);
const STATEMENT_ELEMENTS = new Set(["Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition"]);
const SID_RE = /^[A-Za-z0-9]*$/;
/** `*`, or `service:action` where both parts may carry `*` / `?` wildcards */
const ACTION_RE = /^(?:\*|[A-Za-z0-9*?_-]+:[A-Za-z0-9*?_.-]+)$/;

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };
type JsonObject = { [k: string]: Json };

const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);
const show = (v: unknown) => JSON.stringify(v) ?? String(v);

/**
 * Parses and validates an identity-based policy document (JSON text or an already parsed value).
 * The result is deeply frozen and already compiled for evaluate().
 * @throws PolicyError listing every problem found, each naming its statement (index and Sid).
 */
export function parsePolicy(id: string, doc: unknown): Policy {
  let value: unknown = doc;
  if (typeof doc === "string") {
    try {
      value = JSON.parse(doc);
    } catch (e) {
      throw new PolicyError(id, [`Policy: not valid JSON (${(e as Error).message})`]);
    }
  }
  if (!isObject(value)) throw new PolicyError(id, ["Policy: the document must be a JSON object"]);

  const problems: string[] = [];
  for (const k of Object.keys(value)) if (!TOP_LEVEL.has(k)) problems.push(`Policy: unknown top-level element "${k}"`);

  let version: Policy["version"] = "2008-10-17";
  const v = value.Version;
  if (v !== undefined) {
    if (v === "2012-10-17" || v === "2008-10-17") version = v;
    else problems.push(`Policy: Version ${show(v)} is not supported (use "2012-10-17" or "2008-10-17")`);
  }
  if (value.Id !== undefined && typeof value.Id !== "string") problems.push("Policy: Id must be a string");

  const raw = value.Statement;
  let list: Json[] = [];
  if (raw === undefined) problems.push("Policy: Statement is required");
  else if (Array.isArray(raw)) {
    if (raw.length === 0) problems.push("Policy: Statement must contain at least one statement");
    list = raw;
  } else if (isObject(raw)) list = [raw];
  else problems.push("Policy: Statement must be an object or an array of objects");

  const statements: Statement[] = [];
  const sids = new Map<string, number>();
  list.forEach((s, index) => {
    const st = parseStatement(s, index, version, problems, sids);
    if (st !== undefined) statements.push(st);
  });

  if (problems.length > 0) throw new PolicyError(id, problems);
  const policy: Policy = Object.freeze({ id, version, statements: Object.freeze(statements) });
  compiled(policy); // compile now: evaluate() then finds it cached
  return policy;
}

function parseStatement(s: Json, index: number, version: Policy["version"], problems: string[], sids: Map<string, number>) {
  if (!isObject(s)) {
    problems.push(`Statement[${index}]: must be an object`);
    return undefined;
  }
  const sidRaw = s.Sid;
  const label = typeof sidRaw === "string" && sidRaw !== "" ? `Statement[${index}] (Sid "${sidRaw}")` : `Statement[${index}]`;
  const before = problems.length;
  const bad = (reason: string) => problems.push(`${label}: ${reason}`);

  let sid: string | undefined;
  if (sidRaw !== undefined) {
    if (typeof sidRaw !== "string") bad("Sid must be a string");
    else if (!SID_RE.test(sidRaw)) bad(`Sid ${show(sidRaw)} may contain only letters A-Z, a-z and digits 0-9`);
    else if (sidRaw !== "") {
      const first = sids.get(sidRaw);
      if (first !== undefined) bad(`Sid "${sidRaw}" is already used by Statement[${first}] (Sids must be unique within a policy)`);
      else sids.set(sidRaw, index);
      sid = sidRaw;
    }
  }

  for (const k of Object.keys(s)) {
    if (k === "Principal" || k === "NotPrincipal") bad(`${k} is not allowed in an identity-based policy`);
    else if (!STATEMENT_ELEMENTS.has(k)) bad(`unknown element "${k}"`);
  }

  const effect = s.Effect;
  if (effect === undefined) bad("Effect is required");
  else if (effect !== "Allow" && effect !== "Deny") bad(`Effect must be "Allow" or "Deny", got ${show(effect)}`);

  const action = pair(s, "Action", "NotAction", bad);
  for (const a of action.list ?? []) {
    if (!ACTION_RE.test(a)) bad(`${action.name} ${show(a)} must be "*" or "service:action" (e.g. "connect:DescribeUser")`);
  }

  const resource = pair(s, "Resource", "NotResource", bad);
  for (const r of resource.list ?? []) {
    if (r === "*") continue;
    const parts = arnPartCount(tokenize(r, version === "2012-10-17", true));
    if (!r.startsWith("arn:") || parts < 6) {
      bad(`${resource.name} ${show(r)} must be "*" or an ARN (arn:partition:service:region:account:resource)`);
    }
  }

  const condition = parseCondition(s.Condition, bad);

  if (problems.length > before) return undefined;
  const st: Statement = {
    ...(sid === undefined ? {} : { sid }),
    effect: effect as "Allow" | "Deny",
    ...(action.name === "Action" ? { action: action.list } : { notAction: action.list }),
    ...(resource.name === "Resource" ? { resource: resource.list } : { notResource: resource.list }),
    ...(condition === undefined ? {} : { condition }),
    index,
  };
  return Object.freeze(st);
}

/** Exactly one of two mutually exclusive elements, each a string or a non-empty array of strings. */
function pair(s: JsonObject, yes: string, no: string, bad: (r: string) => void): { name: string; list: readonly string[] | undefined } {
  const a = s[yes];
  const b = s[no];
  if (a !== undefined && b !== undefined) {
    bad(`${yes} and ${no} cannot both be present`);
    return { name: yes, list: undefined };
  }
  if (a === undefined && b === undefined) {
    bad(`one of ${yes} or ${no} is required`);
    return { name: yes, list: undefined };
  }
  const name = a !== undefined ? yes : no;
  const v = (a ?? b) as Json;
  if (typeof v === "string") return { name, list: Object.freeze([v]) };
  if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === "string")) return { name, list: Object.freeze([...(v as string[])]) };
  bad(`${name} must be a string or a non-empty array of strings`);
  return { name, list: undefined };
}

function parseCondition(c: Json | undefined, bad: (r: string) => void): readonly ConditionClause[] | undefined {
  if (c === undefined) return undefined;
  if (!isObject(c)) {
    bad("Condition must be an object of operator → { key → value(s) }");
    return undefined;
  }
  const clauses: ConditionClause[] = [];
  for (const [operator, block] of Object.entries(c)) {
    const o = parseOperator(operator);
    if (typeof o === "string") bad(o);
    if (!isObject(block)) {
      bad(`condition operator "${operator}" must map condition keys to values`);
      continue;
    }
    const keys = Object.keys(block);
    if (keys.length === 0) bad(`condition operator "${operator}" has no condition keys`);
    for (const key of keys) {
      const raw = block[key] as Json;
      const where = `condition ${operator} ${show(key)}`;
      if (!/^[^:\s]+:\S/.test(key)) bad(`${where}: a condition key must be prefixed by its service, e.g. "aws:SourceIp"`);
      const values = Array.isArray(raw) ? raw : [raw];
      if (values.length === 0) {
        bad(`${where}: needs at least one value`);
        continue;
      }
      const ok: (string | number | boolean)[] = [];
      for (const v of values) {
        if (typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean") {
          bad(`${where}: value ${show(v)} must be a string, number or boolean`);
          continue;
        }
        if (typeof o !== "string") {
          const why = checkValue(o, v);
          if (why !== undefined) bad(`${where}: ${why}`);
        }
        ok.push(v);
      }
      clauses.push(Object.freeze({ operator, key, values: Object.freeze(ok) }));
    }
  }
  return Object.freeze(clauses);
}
