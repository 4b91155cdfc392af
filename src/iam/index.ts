// IAM identity-policy language: parse/validate policy documents and evaluate requests against them.
// A leaf module: node built-ins only, no I/O.
//
// Choices where the IAM User Guide is silent or unclear (each also noted where it is implemented):
// - Key absent, no set prefix: positive operators false, negated operators (StringNotEquals,
//   NotIpAddress, ArnNotLike, ...) true, as the "Condition operators" page states; IfExists true.
// - A multivalued key (array) under an operator without ForAllValues/ForAnyValue: the positive
//   operator holds when any request value matches; the negated one is its exact negation. The
//   guide only says such keys "require a condition set operator".
// - An empty array is "absent" (a "null dataset"): Null "true" holds, ForAllValues holds,
//   ForAnyValue fails, plain operators behave as for a missing key.
// - ForAnyValue:...IfExists on an absent key is true (IfExists: "if the key is not present,
//   evaluate the condition element as true"); ForAllValues is true there anyway.
// - Null and IfExists / set prefixes cannot be combined (reported as problems).
// - Policy variables are substituted in Resource/NotResource and in String*/Arn* condition values
//   only, Version 2012-10-17 only; substituted text is literal (its `*`/`?` are not wildcards);
//   a variable naming a multivalued key, or a missing key without a default, makes that pattern
//   not match (so it cannot grant, and under NotResource / negated operators it counts as "not
//   matched"). A malformed `${...}` never resolves; an unterminated `${` is plain text.
// - Resource/NotResource values must be "*" or "arn:" with at least six colon-separated parts;
//   Arn* condition values with fewer than six parts match nothing. ArnEquals = ArnLike (both take
//   wildcards, per the guide); in ARN parts 1-5 a wildcard never crosses ':'.
// - Operator names and element names are case-sensitive; Bool/Null values "true"/"false" are not.
// - Dates: ISO 8601 (no zone = UTC) or epoch seconds (all-digit strings and numbers). Numbers
//   compared as IEEE doubles. Non-parseable context values never match (so negated operators hold).
// - BinaryEquals compares the decoded bytes of base64 policy and context values.
// - IpAddress: IPv4 and IPv6 CIDR or bare addresses; IPv4 never matches an IPv6 block.
// - aws:PrincipalArn falls back to RequestContext.principalArn when keys lacks it.
// - Sids: [A-Za-z0-9]*, unique within a policy; an empty Sid is treated as none.

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
