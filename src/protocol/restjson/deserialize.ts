// restJson1 request → operation input object, from the model's member bindings
// (https://smithy.io/2.0/aws/protocols/aws-restjson1-protocol.html). Members are keyed by their model names. Types are checked afterwards by
// validate.ts; here only what cannot even be read (bad JSON, bad percent-encoding, a
// non-numeric number in a label or query) is rejected, as SerializationException.
import { serialization } from "../../common/errors.js";
import type { Member, OperationDef, Shape } from "../../model/types.js";
import { isPlainObject } from "../validate.js";

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
  for (const [name, m] of Object.entries(shape.members)) {
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
        if (v !== undefined && v !== null) input[name] = v;
      }
    }
  }
  return input;
}

function parseBody(buf: Buffer): Record<string, unknown> {
  // Clients send no body (and no Content-Type) when no body member is set: treat it as {}.
  if (buf.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(buf.toString("utf8"));
  } catch (err) {
    // V8's wording, without the "(line L column C)" Node 22 and 24 append: the same answer on every supported Node.
    const reason = err instanceof Error ? err.message.replace(/ \(line \d+ column \d+\)$/, "") : "parse error";
    throw serialization(`The request body is not valid JSON: ${reason}`);
  }
  if (!isPlainObject(parsed)) throw serialization("The request body must be a JSON object.");
  return parsed;
}
