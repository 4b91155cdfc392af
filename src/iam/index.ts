// IAM identity-policy language: parse/validate policy documents and evaluate requests against them.
// A leaf module: node built-ins only, no I/O.

export { evaluate } from "./evaluate.js";
export { PolicyError, parsePolicy } from "./parse.js";
export type {
  ConditionClause,
  ContextValue,
  Decision,
  Policy,
  RequestContext,
  Statement,
  StatementRef,
} from "./types.js";
