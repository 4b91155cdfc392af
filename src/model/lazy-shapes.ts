// The shape table as the server holds it, filled in two steps for cold start (issue 11): the served operations'
// shapes are parsed when the server starts (shapes.gen.ts, about 15 % of the model); the others
// (shapes-unserved.gen.ts) the first time a request names an operation they belong to, since a request to an
// unserved operation is still decoded and validated against the model before its NotImplementedException.
import { SERVED_SHAPES, SERVED_SHAPES_OPERATIONS } from "./shapes.gen.js";
import type { Shape } from "./types.js";

export interface LazyShapes {
  /** the table; the same object throughout, completed once `ready` has resolved for an operation it lacked */
  readonly shapes: Readonly<Record<string, Shape>>;
  /** undefined when `shapes` holds everything `operation` needs; else a promise resolving once it does */
  ready(operation: string): Promise<void> | undefined;
}

export function lazyShapes(): LazyShapes {
  const shapes: Record<string, Shape> = { ...SERVED_SHAPES };
  const covered = new Set(SERVED_SHAPES_OPERATIONS);
  let complete = false;
  let loading: Promise<void> | undefined;
  return {
    shapes,
    ready(operation) {
      if (complete || covered.has(operation)) return undefined;
      loading ??= import("./shapes-unserved.gen.js").then(
        (m) => {
          Object.assign(shapes, m.UNSERVED_SHAPES);
          complete = true;
        },
        (err: unknown) => {
          loading = undefined; // the next request tries again
          throw err;
        },
      );
      return loading;
    },
  };
}
