// Tables generated from the Smithy model (see scripts/gen-model.ts) and their types.
import { SERVED_SHAPES } from "./shapes.gen.js";
import { UNSERVED_SHAPES } from "./shapes-unserved.gen.js";
import type { Shape } from "./types.js";

export { ERRORS } from "./errors.gen.js";
export { OPERATIONS } from "./operations.gen.js";
export { SERVICE } from "./service.gen.js";
export type * from "./types.js";

/**
 * Every shape reachable from operation inputs, operation outputs and error structures, by local Smithy name. The
 * server does not import this: it parses the unserved operations' part only when needed (lazy-shapes.ts).
 */
export const SHAPES: Readonly<Record<string, Shape>> = { ...SERVED_SHAPES, ...UNSERVED_SHAPES };
