// Routes METHOD + raw path to an operation using the model's URI templates.
// Labels are captured per raw segment and percent-decoded after splitting, so `%2F` inside a
// label (an ARN) stays inside it (https://smithy.io/2.0/spec/http-bindings.html#httplabel-trait). Literal segments win over labels.
import type { OperationDef } from "../../model/types.js";

export interface RouteMatch {
  operation: string;
  /** decoded label values by label name */
  labels: Record<string, string>;
}

interface Node {
  literals: Map<string, Node>;
  label?: { name: string; node: Node };
  operation?: string;
}

const newNode = (): Node => ({ literals: new Map() });

/** A label value that is not valid percent-encoding. */
export class BadLabelEncoding extends Error {}

export class Router {
  private readonly roots = new Map<string, Node>();

  constructor(operations: Readonly<Record<string, OperationDef>>) {
    for (const [name, op] of Object.entries(operations)) this.add(name, op);
  }

  private add(name: string, op: OperationDef): void {
    let root = this.roots.get(op.method);
    if (!root) {
      root = newNode();
      this.roots.set(op.method, root);
    }
    let node = root;
    for (const seg of splitPath(op.uri.split("?")[0] ?? "")) {
      const label = /^\{([^}+]+)\+?\}$/.exec(seg);
      if (label?.[1]) {
        if (!node.label) node.label = { name: label[1], node: newNode() };
        node = node.label.node;
      } else {
        let next = node.literals.get(seg);
        if (!next) {
          next = newNode();
          node.literals.set(seg, next);
        }
        node = next;
      }
    }
    node.operation = name;
  }

  /** rawPath: the request target before `?`, not decoded. */
  match(method: string, rawPath: string): RouteMatch | undefined {
    const root = this.roots.get(method);
    if (!root) return undefined;
    const labels: Record<string, string> = {};
    const found = walk(root, splitPath(rawPath), 0, labels);
    return found ? { operation: found, labels } : undefined;
  }

  /** Whether some method has a route for this path (to tell 404 from 405 in messages). */
  hasPath(rawPath: string): boolean {
    for (const method of this.roots.keys()) {
      try {
        if (this.match(method, rawPath)) return true;
      } catch (err) {
        // A label that is not valid percent-encoding still fills a route's label position.
        if (err instanceof BadLabelEncoding) return true;
        throw err;
      }
    }
    return false;
  }
}

function splitPath(path: string): string[] {
  // Leading and trailing slashes carry no segment; an empty inner segment is kept so that
  // `/users//x` does not match `/users/{InstanceId}/{UserId}` with an empty label.
  let p = path;
  if (p.startsWith("/")) p = p.slice(1);
  if (p.endsWith("/")) p = p.slice(0, -1);
  return p === "" ? [] : p.split("/");
}

function walk(node: Node, segs: string[], i: number, labels: Record<string, string>): string | undefined {
  if (i === segs.length) return node.operation;
  const seg = segs[i] ?? "";
  const lit = node.literals.get(seg);
  if (lit) {
    const found = walk(lit, segs, i + 1, labels);
    if (found) return found;
  }
  if (node.label && seg !== "") {
    const found = walk(node.label.node, segs, i + 1, labels);
    if (found) {
      labels[node.label.name] = decodeLabel(seg);
      return found;
    }
  }
  return undefined;
}

/**
 * The first path segment that is not valid percent-encoding (a `%` not followed by two hex
 * digits, or escapes that are not UTF-8), or undefined. Checked on the whole path before
 * routing, so the answer (400) does not depend on whether a route exists for the method.
 */
export function badPercentEncoding(rawPath: string): string | undefined {
  if (!rawPath.includes("%")) return undefined;
  for (const seg of rawPath.split("/")) {
    if (!seg.includes("%")) continue;
    try {
      decodeURIComponent(seg);
    } catch {
      return seg;
    }
  }
  return undefined;
}

function decodeLabel(seg: string): string {
  if (!seg.includes("%")) return seg;
  try {
    return decodeURIComponent(seg);
  } catch {
    throw new BadLabelEncoding(seg);
  }
}
