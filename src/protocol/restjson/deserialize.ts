// restJson1 request → operation input object, from the model's member bindings
// (https://smithy.io/2.0/aws/protocols/aws-restjson1-protocol.html). Members are keyed by their model names. Types are checked afterwards by
// validate.ts; here only what cannot even be read (bad JSON, bad percent-encoding, a
// non-numeric number in a label or query) is rejected, as SerializationException.
import { serialization } from "../../common/errors.js";
import type { Member, OperationDef, Shape } from "../../model/types.js";
import { isPlainObject, lowerCamel } from "../validate.js";

type Shapes = Readonly<Record<string, Shape>>;

/** Parses a raw query string; names and values percent-decoded, `+` kept literal. */
export function parseQuery(raw: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  if (!raw) return out;
  for (const pair of raw.split("&")) {
    if (!pair) continue;
    const eq = pair.indexOf("=");
    const k = decodeQueryPart(eq < 0 ? pair : pair.slice(0, eq));
    const v = eq < 0 ? "" : decodeQueryPart(pair.slice(eq + 1));
    const list = out.get(k);
    if (list) list.push(v);
    else out.set(k, [v]);
  }
  return out;
}

function decodeQueryPart(s: string): string {
  if (!s.includes("%")) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    throw serialization(`The query string is not valid percent-encoding: '${s}'`);
  }
}

function scalarFromText(shapes: Shapes, member: Member, text: string, where: string): unknown {
  const shape = shapes[member.target];
  const t = shape?.t ?? "string";
  if (t === "integer" || t === "long" || t === "short" || t === "byte") {
    if (!/^-?\d+$/.test(text)) throw serialization(`Value '${text}' at '${where}' is not a valid integer`);
    return Number(text);
  }
  if (t === "float" || t === "double") {
    const n = Number(text);
    if (text === "" || Number.isNaN(n)) throw serialization(`Value '${text}' at '${where}' is not a valid number`);
    return n;
  }
  if (t === "boolean") {
    if (text !== "true" && text !== "false") throw serialization(`Value '${text}' at '${where}' is not a valid boolean`);
    return text === "true";
  }
  if (t === "timestamp") {
    const ms = Date.parse(text);
    if (Number.isNaN(ms)) throw serialization(`Value '${text}' at '${where}' is not a valid timestamp`);
    return ms / 1000;
  }
  return text;
}

export interface HttpParts {
  labels: Readonly<Record<string, string>>;
  query: Map<string, string[]>;
  /** lower-cased header name → value (Node's req.headers) */
  headers: Readonly<Record<string, string | string[] | undefined>>;
  body: Buffer;
}

/** Whether the operation's input has members bound to the JSON body. */
export function hasBodyMembers(shapes: Shapes, op: OperationDef): boolean {
  const input = op.input ? shapes[op.input] : undefined;
  if (input?.t !== "structure") return false;
  return Object.values(input.members).some((m) => m.loc === undefined);
}

export function deserialize(shapes: Shapes, op: OperationDef, http: HttpParts): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  const shape = op.input ? shapes[op.input] : undefined;
  if (shape?.t !== "structure") return input;

  let body: Record<string, unknown> | undefined;
  for (const name in shape.members) {
    const m = shape.members[name] as Member;
    switch (m.loc) {
      case "label": {
        const v = http.labels[name];
        if (v !== undefined) input[name] = scalarFromText(shapes, m, v, name);
        break;
      }
      case "query": {
        const values = http.query.get(m.name ?? name);
        if (!values) break;
        const target = shapes[m.target];
        if (target?.t === "list") {
          const itemMember: Member = { target: target.member };
          input[name] = values.map((v) => scalarFromText(shapes, itemMember, v, m.name ?? name));
        } else {
          input[name] = scalarFromText(shapes, m, values[0] ?? "", m.name ?? name);
        }
        break;
      }
      case "header": {
        const raw = http.headers[(m.name ?? name).toLowerCase()];
        if (raw === undefined) break;
        const text = Array.isArray(raw) ? raw.join(", ") : raw;
        input[name] = scalarFromText(shapes, m, text, m.name ?? name);
        break;
      }
      default: {
        body ??= parseBody(http.body);
        const v = body[name];
        if (v === undefined || v === null) break;
        input[name] = typeof v === "object" ? withoutNulls(shapes, m.target, v, lowerCamel(name)) : v;
      }
    }
  }
  return input;
}

/**
 * JSON `null`, decided once for every member kind (the conservative reading of restJson1, which
 * says nothing of null in requests; https://smithy.io/2.0/aws/protocols/aws-restjson1-protocol.html):
 *  - a null member of a structure or union is absent (as botocore sends None with validation off),
 *    so a required one gets the usual "Member must not be null" error from validation;
 *  - null inside a list or a map is not a value at all: SerializationException.
 * Values of the wrong type are left as they are for validation to report. Mutates the parsed body.
 */
function withoutNulls(shapes: Shapes, target: string, value: unknown, path: string): unknown {
  const shape = shapes[target];
  if (!shape || value === null || typeof value !== "object") return value;
  switch (shape.t) {
    case "structure":
    case "union": {
      if (!isPlainObject(value)) return value;
      for (const k in shape.members) {
        if (!(k in value)) continue;
        const v = value[k];
        if (v === null) delete value[k];
        // Only a nested value can hold a null to refuse (and needs the path to name it).
        else if (typeof v === "object") value[k] = withoutNulls(shapes, (shape.members[k] as Member).target, v, `${path}.${lowerCamel(k)}`);
      }
      return value;
    }
    case "list": {
      if (!Array.isArray(value)) return value;
      value.forEach((item, i) => {
        const at = `${path}.${i + 1}.member`;
        if (item === null) throw serialization(`Value null at '${at}' failed to satisfy constraint: Member must not be null`);
        value[i] = withoutNulls(shapes, shape.member, item, at);
      });
      return value;
    }
    case "map": {
      if (!isPlainObject(value)) return value;
      for (const [k, v] of Object.entries(value)) {
        const at = `${path}.${k}`;
        if (v === null) throw serialization(`Value null at '${at}' failed to satisfy constraint: Member must not be null`);
        value[k] = withoutNulls(shapes, shape.value, v, at);
      }
      return value;
    }
    default:
      return value;
  }
}

const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

function parseBody(buf: Buffer): Record<string, unknown> {
  // Clients send no body (and no Content-Type) when no body member is set: treat it as {}.
  if (buf.length === 0) return {};
  let text: string;
  try {
    text = UTF8.decode(buf);
  } catch {
    // Read leniently, invalid bytes would become U+FFFD and be stored; AWS's front end refuses them.
    throw serialization("The request body is not valid UTF-8.");
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    // V8's wording, without the "(line L column C)" Node 22 and 24 append: the same answer on every supported Node.
    const reason = err instanceof Error ? err.message.replace(/ \(line \d+ column \d+\)$/, "") : "parse error";
    throw serialization(`The request body is not valid JSON: ${reason}`);
  }
  if (!isPlainObject(parsed)) throw serialization("The request body must be a JSON object.");
  return parsed;
}

/**
 * The same rule applied to a whole input document already parsed (the operation harness builds
 * inputs without HTTP): null members of the input structure are absent, nulls in lists and maps
 * are refused.
 */
export function nullsAsAbsent(shapes: Shapes, inputShape: string, input: Record<string, unknown>): Record<string, unknown> {
  const shape = shapes[inputShape];
  if (shape?.t !== "structure") return input;
  for (const [k, m] of Object.entries(shape.members)) {
    if (!(k in input)) continue;
    if (input[k] === null) delete input[k];
    else input[k] = withoutNulls(shapes, m.target, input[k], lowerCamel(k));
  }
  return input;
}
