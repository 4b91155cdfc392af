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

/** Where a top-level input member is bound on the HTTP request (absent = JSON body). */
export type Binding = "label" | "query" | "header";

export interface Member {
  target: string;
  required?: true;
  /** HTTP binding; only on operation input structures */
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
}

export interface ErrorDef {
  status: number;
  fault: "client" | "server";
}
