// The IAM identity-policy language: the parsed policy shape and the request context it is
// evaluated against. Semantics follow the IAM User Guide ("IAM JSON policy elements reference",
// "Policy evaluation logic", "IAM JSON policy elements: Condition operators", "Conditions with
// multiple context keys or values", "IAM policy elements: Variables and tags").

/**
 * A condition-key value in the request context. Arrays are multivalued keys (e.g. `aws:TagKeys`);
 * `undefined` (and, by this implementation's choice, an empty array) means "key not present".
 */
export type ContextValue = string | number | boolean | Date | readonly string[] | undefined;

export interface RequestContext {
  /** e.g. "connect:UpdateUserIdentityInfo" */
  action: string;
  /** the ARN of the resource the request acts on */
  resource: string;
  /** the caller; also answers `aws:PrincipalArn` when `keys` does not carry it */
  principalArn: string;
  /** condition keys; names are case-insensitive (store/lookup lower-cased); multivalued keys are arrays */
  keys: Readonly<Record<string, ContextValue>>;
}

export interface Policy {
  /** names the policy in decisions and error messages, e.g. "alice/inline/helpdesk" */
  id: string;
  /** "2008-10-17" also stands for a document without a Version (policy variables are then literal text) */
  version: "2012-10-17" | "2008-10-17";
  statements: readonly Statement[];
}

export interface Statement {
  /** absent when the document has no Sid (or an empty one) */
  sid?: string;
  effect: "Allow" | "Deny";
  action?: readonly string[];
  notAction?: readonly string[];
  resource?: readonly string[];
  notResource?: readonly string[];
  /** one clause per (operator, key) pair, in document order; all must hold (AND) */
  condition?: readonly ConditionClause[];
  /** position in the document's Statement array (0 when Statement is a single object) */
  index: number;
}

export interface ConditionClause {
  /** as written, e.g. "ForAnyValue:StringLikeIfExists" */
  operator: string;
  /** as written; matched case-insensitively */
  key: string;
  /** several values for one key are ORed (NORed for negated operators) */
  values: readonly (string | number | boolean)[];
}

export interface StatementRef {
  policyId: string;
  sid?: string;
  index: number;
}

export type Decision =
  | { decision: "Allow"; statement: StatementRef }
  | { decision: "ExplicitDeny"; statement: StatementRef }
  | { decision: "ImplicitDeny" };
