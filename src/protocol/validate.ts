// Checks a deserialized input against the generated shape tables and returns the failures as
// data (smithy-typescript style); the pipeline maps them to AWS errors. Type mismatches and
// constraint violations are kept apart: the first become SerializationException, the second
// InvalidParameterException, with messages in the form AWS's front end uses:
//   Value 'x' at 'identityInfo.secondaryEmail' failed to satisfy constraint: Member must …
// Values of sensitive members are never echoed.
import { PERSONAL_DATA_SHAPES } from "../common/mask.js";
import { codePointLength, lowerCamel } from "../common/text.js";
import type { Member, Shape } from "../model/types.js";

export { codePointLength, lowerCamel };

export interface ValidationFailure {
  kind: "type" | "constraint";
  /** lowerCamel member path, e.g. identityInfo.firstName */
  path: string;
  message: string;
}

type Shapes = Readonly<Record<string, Shape>>;

const regexCache = new Map<string, RegExp>();
function compiled(pattern: string): RegExp {
  let re = regexCache.get(pattern);
  if (!re) {
    // Smithy patterns are ECMA-262 and unanchored unless they say so (a search, not a match).
    re = new RegExp(pattern, "u");
    regexCache.set(pattern, re);
  }
  return re;
}

function describe(value: unknown, sensitive: boolean): string {
  if (value === null || value === undefined) return "Value null";
  if (sensitive) return "Value";
  if (typeof value === "string") return `Value '${value}'`;
  if (typeof value === "number" || typeof value === "boolean") return `Value '${String(value)}'`;
  return "Value";
}

class Walker {
  readonly failures: ValidationFailure[] = [];
  constructor(private readonly shapes: Shapes) {}

  private fail(kind: ValidationFailure["kind"], path: string, value: unknown, sensitive: boolean, rule: string): void {
    const message =
      kind === "type"
        ? `${describe(value, sensitive)} at '${path}' failed to satisfy constraint: ${rule}`
        : `${describe(value, sensitive)} at '${path}' failed to satisfy constraint: ${rule}`;
    this.failures.push({ kind, path, message });
  }

  private bounds(
    path: string,
    value: unknown,
    sensitive: boolean,
    len: number,
    shape: { min?: number; max?: number },
    unit: "length" | "value",
  ) {
    if (shape.min !== undefined && len < shape.min) {
      this.fail("constraint", path, value, sensitive, `Member must have ${unit} greater than or equal to ${shape.min}`);
    }
    if (shape.max !== undefined && len > shape.max) {
      this.fail("constraint", path, value, sensitive, `Member must have ${unit} less than or equal to ${shape.max}`);
    }
  }

  value(path: string, target: string, value: unknown, inheritedSensitive: boolean): void {
    const shape = this.shapes[target];
    if (!shape) return; // prelude shapes without constraints (e.g. Unit)
    const sensitive = inheritedSensitive || ("sensitive" in shape && shape.sensitive === true) || PERSONAL_DATA_SHAPES.has(target);
    switch (shape.t) {
      case "string": {
        if (typeof value !== "string") {
          this.fail("type", path, value, sensitive, "Member must be a string");
          return;
        }
        if (value.includes("\0")) {
          // No model constraint says so, but PostgreSQL cannot store U+0000 in text or jsonb; refused
          // on every engine alike, so code that works here works on either (README, fidelity notes).
          // The value is not echoed.
          this.fail("constraint", path, value, true, "Member must not contain the NUL character (U+0000)");
          return;
        }
        if (shape.enum && !shape.enum.includes(value)) {
          this.fail("constraint", path, value, sensitive, `Member must satisfy enum value set: [${shape.enum.join(", ")}]`);
          return;
        }
        if (shape.min !== undefined || shape.max !== undefined)
          this.bounds(path, value, sensitive, codePointLength(value), shape, "length");
        if (shape.pattern !== undefined && !compiled(shape.pattern).test(value)) {
          this.fail("constraint", path, value, sensitive, `Member must satisfy regular expression pattern: ${shape.pattern}`);
        }
        return;
      }
      case "integer":
      case "long":
      case "short":
      case "byte": {
        if (typeof value !== "number" || !Number.isInteger(value)) {
          this.fail("type", path, value, sensitive, "Member must be an integer");
          return;
        }
        this.bounds(path, value, sensitive, value, shape, "value");
        return;
      }
      case "float":
      case "double": {
        const ok = typeof value === "number" || value === "NaN" || value === "Infinity" || value === "-Infinity";
        if (!ok) {
          this.fail("type", path, value, sensitive, "Member must be a number");
          return;
        }
        if (typeof value === "number") this.bounds(path, value, sensitive, value, shape, "value");
        return;
      }
      case "boolean":
        if (typeof value !== "boolean") this.fail("type", path, value, sensitive, "Member must be a boolean");
        return;
      case "timestamp":
        if (typeof value !== "number" && !(shape.format === "date-time" && typeof value === "string")) {
          this.fail("type", path, value, sensitive, "Member must be a timestamp (epoch seconds)");
        }
        return;
      case "blob":
        if (typeof value !== "string") this.fail("type", path, value, sensitive, "Member must be a base64 string");
        return;
      case "document":
        return;
      case "list": {
        if (!Array.isArray(value)) {
          this.fail("type", path, value, sensitive, "Member must be a list");
          return;
        }
        this.bounds(path, value, sensitive, value.length, shape, "length");
        value.forEach((item, i) => {
          const itemPath = `${path}.${i + 1}.member`;
          if (item === null || item === undefined) this.fail("type", itemPath, item, sensitive, "Member must not be null");
          else this.value(itemPath, shape.member, item, sensitive);
        });
        return;
      }
      case "map": {
        if (!isPlainObject(value)) {
          this.fail("type", path, value, sensitive, "Member must be a map");
          return;
        }
        const entries = Object.entries(value);
        this.bounds(path, value, sensitive, entries.length, shape, "length");
        for (const [k, v] of entries) {
          this.value(`${path}.key`, shape.key, k, sensitive);
          if (v === null || v === undefined) this.fail("type", `${path}.${k}`, v, sensitive, "Member must not be null");
          else this.value(`${path}.${k}`, shape.value, v, sensitive);
        }
        return;
      }
      case "structure":
        if (!isPlainObject(value)) {
          this.fail("type", path, value, sensitive, "Member must be a structure");
          return;
        }
        this.members(path, shape.members, value, sensitive);
        return;
      case "union": {
        if (!isPlainObject(value)) {
          this.fail("type", path, value, sensitive, "Member must be a union");
          return;
        }
        const set = Object.keys(value).filter((k) => k in shape.members && value[k] !== null && value[k] !== undefined);
        if (set.length !== 1) {
          this.fail("constraint", path, value, sensitive, "Member must have exactly one member set");
        }
        this.members(path, shape.members, value, sensitive, true);
        return;
      }
    }
  }

  /**
   * True when value is a scalar its shape accepts (value() would report nothing); false when
   * value() must look (a failure, a list, a structure…). Only the cheap, common cases.
   */
  private validScalar(target: string, value: unknown): boolean {
    const shape = this.shapes[target];
    if (!shape) return true;
    switch (shape.t) {
      case "string": {
        if (typeof value !== "string" || value.includes("\0")) return false;
        if (shape.enum && !shape.enum.includes(value)) return false;
        if (shape.min !== undefined || shape.max !== undefined) {
          const len = codePointLength(value);
          if ((shape.min !== undefined && len < shape.min) || (shape.max !== undefined && len > shape.max)) return false;
        }
        return shape.pattern === undefined || compiled(shape.pattern).test(value);
      }
      case "boolean":
        return typeof value === "boolean";
      default:
        return false;
    }
  }

  members(
    prefix: string,
    members: Readonly<Record<string, Member>>,
    obj: Record<string, unknown>,
    sensitive: boolean,
    isUnion = false,
  ): void {
    for (const name in members) {
      const m = members[name] as Member;
      const v = obj[name];
      if (v === undefined || v === null) {
        if (m.required && !isUnion) this.fail("constraint", memberPath(prefix, name), null, false, "Member must not be null");
        continue;
      }
      // Most members are valid scalars: checked without building their path, which only a failure or a nested value needs.
      if (this.validScalar(m.target, v)) continue;
      this.value(memberPath(prefix, name), m.target, v, sensitive);
    }
  }
}

/** lowerCamel member names, by model name (a fixed set: the model's). */
const camelNames = new Map<string, string>();

function memberPath(prefix: string, name: string): string {
  let camel = camelNames.get(name);
  if (camel === undefined) {
    camel = lowerCamel(name);
    camelNames.set(name, camel);
  }
  return prefix ? `${prefix}.${camel}` : camel;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Validates an operation input object against its input structure shape. */
export function validateInput(shapes: Shapes, inputShape: string, input: Record<string, unknown>): ValidationFailure[] {
  const shape = shapes[inputShape];
  if (shape?.t !== "structure") return [];
  const w = new Walker(shapes);
  w.members("", shape.members, input, false);
  return w.failures;
}

/** "1 validation error detected: …" / "2 validation errors detected: …; …" */
export function summarize(failures: readonly ValidationFailure[]): string {
  const n = failures.length;
  return `${n} validation error${n === 1 ? "" : "s"} detected: ${failures.map((f) => f.message).join("; ")}`;
}
