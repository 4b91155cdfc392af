// Types of the tables generated from the Smithy model (src/model/*.gen.ts).
// Shape names are the Smithy shape names without the `com.amazonaws.connect#` namespace;
// prelude shapes keep their own names (`String`, `Integer`, `Boolean`, `Long`, `Timestamp`, …).

export interface LengthRange {
  /** smithy.api#length / smithy.api#range lower bound */
  min?: number;
  /** upper bound */
  max?: number;
}

export type Shape =
  | ({ t: "string"; pattern?: string; enum?: readonly string[]; sensitive?: true } & LengthRange)
  | ({ t: "integer" | "long" | "short" | "byte" | "float" | "double" } & LengthRange)
  | { t: "boolean" }
  | { t: "timestamp"; format?: "epoch-seconds" | "date-time" | "http-date" }
  | { t: "blob" }
  | { t: "document" }
  | ({ t: "list"; member: string; sensitive?: true } & LengthRange)
  | ({ t: "map"; key: string; value: string; sensitive?: true } & LengthRange)
  | { t: "structure"; members: Readonly<Record<string, Member>>; sensitive?: true }
  | { t: "union"; members: Readonly<Record<string, Member>>; sensitive?: true };

/** Where a top-level member of an operation input is bound on the HTTP request (absent = JSON body). */
export type InputBinding = "label" | "query" | "header";

/**
 * Where a top-level member of an operation output or an error is bound on the HTTP response (absent = JSON body):
 * a header, the whole body (`payload`; then every other member is a header), or the status code (output only).
 */
export type OutputBinding = "header" | "payload" | "responseCode";

/** HTTP binding of a member of an operation input, output or error structure (Smithy HTTP binding traits). */
export type Binding = InputBinding | OutputBinding;

export interface Member {
  target: string;
  required?: true;
  /**
   * HTTP binding; only on top-level members of operation input structures (an InputBinding) and of operation output
   * and error structures (an OutputBinding; `responseCode` on outputs only). Members of nested structures have none.
   */
  loc?: Binding;
  /** wire name for query/header bindings (label name = member name) */
  name?: string;
  idempotencyToken?: true;
}

export interface OperationDef {
  method: "GET" | "POST" | "PUT" | "DELETE" | "PATCH" | "HEAD";
  /** URI template as in the model, e.g. /users/{InstanceId}/{UserId}/identity-info */
  uri: string;
  /** input structure shape name; undefined for Unit input */
  input?: string;
  /** output structure shape name; undefined for Unit output */
  output?: string;
  errors: readonly string[];
  /** smithy.api#paginated, merged with the service's defaults; only on operations that carry the trait */
  paginated?: Pagination;
}

/** Member names (input) and member paths (output, dot-separated) of a paginated operation. */
export interface Pagination {
  /** input member holding the continuation token */
  inputToken?: string;
  /** output member path holding the next continuation token */
  outputToken?: string;
  /** input member limiting the page size */
  pageSize?: string;
  /** output member path holding the paginated list or map */
  items?: string;
}

export interface ErrorDef {
  status: number;
  fault: "client" | "server";
}
