// What a service contributes to the one request pipeline (front.ts): which requests are its, its
// codec (the wire protocol: restJson1, awsJson1.1, the revert pages), how its callers
// authenticate, and its operations. Everything else — throttling, authorization, invoking with
// the audit trail, logging, error mapping — is the front's, written once.
import type { Scope } from "../common/arn.js";
import type { Caller } from "../common/caller.js";
import type { ServiceError } from "../common/errors.js";
import type { AuditSource } from "../invoke/invoke.js";
import type { ServedOperation } from "../operations/declare.js";
import type { WireRequest, WireResponse } from "./wire.js";

/** The codec's routing result: which operation was asked (for logs and audit) or why none. */
export interface Route {
  /** the operation's name, when the request names a plausible one */
  operation?: string;
  /** raised after authentication (unauthenticated callers learn nothing of the routes) */
  error?: ServiceError;
}

export interface Codec<R extends Route = Route> {
  /** Names the operation; never throws (failures go in `error`). */
  route(req: WireRequest, rawPath: string, rawQuery: string): R;
  /**
   * When present: undefined if the codec can decode the routed request now, else a promise that settles once it can
   * (restJson1 loads the shapes of unserved operations the first time one is asked for).
   */
  prepare?(route: R): Promise<void> | undefined;
  /** The operation's input from the request; throws a ServiceError when it cannot be read. */
  decode(route: R, req: WireRequest, rawQuery: string, scope: Scope): unknown;
  /**
   * Checks the input against the operation's model (throws a ServiceError naming the member) and
   * returns it as the operation's types say (e.g. epoch-second timestamps as Dates).
   */
  validate(operation: string, input: unknown, scope: Scope): unknown;
  encodeOutput(operation: string, output: unknown, requestId: string): WireResponse;
  encodeError(error: ServiceError, requestId: string): WireResponse;
}

export interface Authenticated {
  caller: Caller;
  account: string;
  region: string;
}

/** An authentication scheme as a function (see Service.authenticate). */
export type Authenticate<R extends Route = Route> = (
  req: WireRequest,
  route: R,
  rawQuery: string,
) => Authenticated | Promise<Authenticated>;

export interface Service<R extends Route = Route> {
  /** for logs: how an operation of this service is named (e.g. cloudtrail:LookupEvents) */
  logName(operation: string): string;
  /** whether the request is this service's (services are asked in order) */
  claims(req: WireRequest, rawPath: string): boolean;
  codec: Codec<R>;
  /** who calls: a SigV4 signature for AWS APIs, the token for a revert link; throws a ServiceError */
  authenticate(req: WireRequest, route: R, rawQuery: string): Authenticated | Promise<Authenticated>;
  /** subject to --throttle (the account's Connect request rate) */
  throttled: boolean;
  /** subject to the fault rules (`--faults`, `/_switchboard/faults`) */
  faultable?: boolean;
  audit: AuditSource;
  /** served operations by name; a routed operation absent here answers NotImplementedException */
  operations: Readonly<Record<string, ServedOperation>>;
}
