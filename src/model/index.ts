// Tables generated from the Smithy model (see scripts/gen-model.ts) and their types.
export { ERRORS } from "./errors.gen.js";
export { OPERATIONS } from "./operations.gen.js";
export { SERVICE } from "./service.gen.js";
export { SHAPES } from "./shapes.gen.js";
export type * from "./types.js";
