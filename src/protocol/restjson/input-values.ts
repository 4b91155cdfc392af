// A validated input document as the operation's generated types have it: restJson1 sends
// timestamps as epoch seconds (or the shape's timestampFormat) and blobs as base64; operations
// get Dates and bytes. Shapes with nothing to convert (most) are passed through as they are.
import type { Shape } from "../../model/types.js";

type Shapes = Readonly<Record<string, Shape>>;

/** Whether a value of the shape can hold a timestamp or a blob (what JSON carries in another form). */
export function holdsNonJsonValues(shapes: Shapes, name: string, memo: Map<string, boolean>): boolean {
  const known = memo.get(name);
  if (known !== undefined) return known;
  memo.set(name, false); // recursive shapes: a cycle adds nothing
  const shape = shapes[name];
  let holds = false;
  if (shape?.t === "timestamp" || shape?.t === "blob") holds = true;
  else if (shape?.t === "structure" || shape?.t === "union") {
    holds = Object.values(shape.members).some((m) => holdsNonJsonValues(shapes, m.target, memo));
  } else if (shape?.t === "list") holds = holdsNonJsonValues(shapes, shape.member, memo);
  else if (shape?.t === "map") holds = holdsNonJsonValues(shapes, shape.value, memo);
  memo.set(name, holds);
  return holds;
}

export function inputValue(shapes: Shapes, name: string, value: unknown, memo: Map<string, boolean>): unknown {
  if (value === undefined || value === null || !holdsNonJsonValues(shapes, name, memo)) return value;
  const shape = shapes[name];
  switch (shape?.t) {
    case "timestamp":
      if (typeof value === "number") return new Date(value * 1000);
      return typeof value === "string" ? new Date(value) : value;
    case "blob":
      return typeof value === "string" ? new Uint8Array(Buffer.from(value, "base64")) : value;
    case "structure":
    case "union": {
      const obj = value as Record<string, unknown>;
      const out: Record<string, unknown> = { ...obj };
      for (const [member, m] of Object.entries(shape.members)) {
        if (obj[member] !== undefined) out[member] = inputValue(shapes, m.target, obj[member], memo);
      }
      return out;
    }
    case "list":
      return (value as unknown[]).map((v) => inputValue(shapes, shape.member, v, memo));
    case "map":
      return Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, inputValue(shapes, shape.value, v, memo)]),
      );
    default:
      return value;
  }
}

/**
 * Removes the JSON nulls of structure members, at any depth: a member sent as null is a member
 * not sent (Smithy's JSON protocols treat a null structure member as absent; AWS's
 * CloudFormation handler for AWS::Connect::User sends every IdentityInfo member, null where
 * unset). Top-level body members are already dropped by the deserializer; nulls inside lists and
 * maps are left for validation to refuse. Mutates the freshly parsed document in place.
 */
export function dropNullMembers(shapes: Shapes, name: string, value: unknown, depth = 0): void {
  if (value === null || typeof value !== "object" || depth > 32) return;
  const shape = shapes[name];
  switch (shape?.t) {
    case "structure":
    case "union": {
      // The document's own keys (a few), not the shape's members (up to dozens): the hot path.
      const obj = value as Record<string, unknown>;
      for (const member in obj) {
        const v = obj[member];
        const m = shape.members[member];
        if (m === undefined) continue;
        if (v === null) delete obj[member];
        else if (typeof v === "object") dropNullMembers(shapes, m.target, v, depth + 1);
      }
      return;
    }
    case "list":
      if (Array.isArray(value)) for (const v of value) dropNullMembers(shapes, shape.member, v, depth + 1);
      return;
    case "map":
      for (const v of Object.values(value as Record<string, unknown>)) dropNullMembers(shapes, shape.value, v, depth + 1);
      return;
    default:
      return;
  }
}
