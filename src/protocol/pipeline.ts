// The fixed request pipeline:
//   route → authenticate → throttle → deserialize → validate → authorize → invoke → serialize.
// Every failure becomes a typed AWS error; anything unexpected becomes InternalServiceException
// (500, retried by every SDK) with the request id logged and no stack in the body.
// Mutating operations run inside one store transaction together with their audit event, so a
// change without its event (or an event without its change) cannot exist. Refused mutating
// calls, denied calls and failed authentications are audited too.
import { randomUUID } from "node:crypto";
import type { Scope } from "../common/arn.js";
import type { Clock } from "../common/clock.js";
import { internalService, notImplemented, ServiceError, serialization, throttling } from "../common/errors.js";
import type { Logger } from "../common/log.js";
import type { OperationDef, Shape } from "../model/types.js";
import type { AuditNotes, Caller, Handler, NotificationSettings, OperationContext, Quotas } from "../operations/types.js";
import type { Store } from "../store/store.js";
import { StoreUnavailable } from "../store/store.js";
import { type AuditFacts, buildAuditEvent, isReadOnly, requestAuditFacts, requestParameters } from "./audit-record.js";
import { AUTH_FAILURE_CODES, type AuthOptions, authenticate, claimedAccessKeyId } from "./auth.js";
import { headerValue } from "./headers.js";
import { deserialize, parseQuery } from "./restjson/deserialize.js";
import { BadLabelEncoding, type RouteMatch, Router } from "./restjson/router.js";
import { serializeError, serializeOutput, type WireResponse } from "./restjson/serialize.js";
import type { TokenBuckets } from "./throttle.js";
import { summarize, validateInput } from "./validate.js";

export interface WireRequest {
  method: string;
  /** raw request target (path + query), as on the wire */
  url: string;
  rawHeaders: readonly string[];
  headers: Readonly<Record<string, string | string[] | undefined>>;
  body: Buffer;
  sourceIp: string;
}

export interface AuthorizationRequest {
  operation: string;
  input: Readonly<Record<string, unknown>>;
  caller: Caller;
  scope: Scope;
  sourceIp: string;
  store: Store;
  now: number;
}

/** Throws AccessDeniedException when the caller may not make this call. */
export type Authorizer = (request: AuthorizationRequest) => Promise<void>;

export interface PipelineDeps {
  shapes: Readonly<Record<string, Shape>>;
  operations: Readonly<Record<string, OperationDef>>;
  handlers: Readonly<Partial<Record<string, Handler>>>;
  store: Store;
  clock: Clock;
  quotas: Quotas;
  auth: AuthOptions;
  logger: Logger;
  /** absent: no rate limiting */
  throttle?: TokenBuckets;
  /** absent: every authenticated caller may do everything */
  authorize?: Authorizer;
  /** record audit events (default true) */
  audit?: boolean;
  notifications: NotificationSettings;
}

export type Pipeline = (req: WireRequest) => Promise<WireResponse>;

export function createPipeline(deps: PipelineDeps): Pipeline {
  const router = new Router(deps.operations);
  const auditing = deps.audit !== false;

  return async function handle(req: WireRequest): Promise<WireResponse> {
    const started = performance.now();
    const requestId = randomUUID();
    const q = req.url.indexOf("?");
    const rawPath = q < 0 ? req.url : req.url.slice(0, q);
    const rawQuery = q < 0 ? "" : req.url.slice(q + 1);

    let operation: string | undefined;
    let caller: Caller | undefined;
    let scope: Scope | undefined;
    /** the deserialized call, kept so the audit event (if any) can show its parameters */
    let call: { inputShape: string | undefined; input: Record<string, unknown> } | undefined;
    const notes: AuditNotes = {};
    /** set once the event for this request is written (or must not be) */
    let audited = false;
    let response: WireResponse;
    let failure: ServiceError | undefined;

    try {
      // Routing first only to name the operation in logs and audit events; an unknown route is
      // answered after authentication, so unauthenticated callers learn nothing.
      let match: RouteMatch | undefined;
      let routeError: ServiceError | undefined;
      try {
        match = router.match(req.method, rawPath);
      } catch (err) {
        if (!(err instanceof BadLabelEncoding)) throw err;
        routeError = serialization(`The request path is not valid percent-encoding: '${err.message}'`);
      }
      operation = match?.operation;

      // Lets a credential cache reload first (e.g. a key created by `switchboard iam` meanwhile).
      const preparing = deps.auth.credentials.prepare?.(claimedAccessKeyId(headerValue(req.headers, "authorization"), rawQuery));
      if (preparing) await preparing;
      const who = authenticate({ method: req.method, rawUrl: req.url, rawHeaders: req.rawHeaders, body: req.body }, deps.auth);
      caller = who.caller;
      scope = { account: who.account, region: who.region };

      // ThrottlingException 429 is retried with backoff by every SDK and CLI (wire brief §3).
      if (deps.throttle && !deps.throttle.take(`${who.account}/${who.region}`)) {
        audited = true; // throttled calls are not recorded, as in CloudTrail
        throw throttling("Rate exceeded");
      }
      if (routeError) throw routeError;
      if (!match) throw unknownOperation(req.method, rawPath, router.hasPath(rawPath));
      const opName = match.operation;
      const op = deps.operations[opName] as OperationDef;

      const input = deserialize(deps.shapes, op, {
        labels: match.labels,
        query: parseQuery(rawQuery),
        headers: req.headers,
        body: req.body,
      });
      call = { inputShape: op.input, input };
      if (op.input) {
        const failures = validateInput(deps.shapes, op.input, input);
        if (failures.length > 0) {
          const typeFailures = failures.filter((f) => f.kind === "type");
          if (typeFailures.length > 0) throw serialization(summarize(typeFailures));
          throw new ServiceError("InvalidParameterException", 400, summarize(failures));
        }
      }

      if (deps.authorize) {
        await deps.authorize({ operation: opName, input, caller, scope, sourceIp: req.sourceIp, store: deps.store, now: deps.clock.now() });
      }

      const handler = deps.handlers[opName];
      if (!handler) throw notImplemented(opName);
      const ctx = (store: Store): OperationContext => ({
        scope: scope as Scope,
        caller: caller as Caller,
        sourceIp: req.sourceIp,
        notifications: deps.notifications,
        store,
        clock: deps.clock,
        quotas: deps.quotas,
        requestId,
        audit: notes,
      });
      let output: Awaited<ReturnType<Handler>>;
      if (auditing && !isReadOnly(opName)) {
        // The change and its audit event commit together, or neither does.
        output = await deps.store.atomically(async (tx) => {
          const out = await handler(input, ctx(tx));
          await tx.audit.record(buildAuditEvent(facts(opName, undefined)));
          return out;
        });
        audited = true;
      } else {
        output = await handler(input, ctx(deps.store));
      }
      response = serializeOutput(output, requestId);
    } catch (err) {
      failure = toServiceError(err, requestId, operation, deps.logger);
      response = serializeError(failure, requestId);
    }

    if (auditing && failure && !audited && mustAudit(failure, operation)) {
      try {
        await deps.store.audit.record(buildAuditEvent(facts(operation ?? "Unknown", failure)));
      } catch (err) {
        // The call failed anyway; a failure to record it must not hide the original answer.
        deps.logger.log("error", "could not record audit event", {
          requestId,
          error: err instanceof Error ? err.message : String(err),
        });
      }
    }
    if (deps.logger.enabled("info")) {
      deps.logger.log("info", "request", {
        requestId,
        operation: operation ?? "-",
        status: response.status,
        errorCode: failure?.code,
        latencyMs: Math.round((performance.now() - started) * 1000) / 1000,
        sourceIp: req.sourceIp,
      });
    }
    return response;

    function facts(op: string, error: ServiceError | undefined): AuditFacts {
      return requestAuditFacts(
        { headers: req.headers, sourceIp: req.sourceIp, rawQuery },
        {
          operation: op,
          requestId,
          now: deps.clock.now(),
          defaultAccount: deps.auth.defaultAccount,
          caller,
          scope,
          // Built only when an event is written: most calls (successful reads) write none.
          requestParameters: call ? requestParameters(deps.shapes, call.inputShape, call.input) : null,
          notes,
          ...(error ? { error: { code: error.code, message: error.message } } : {}),
        },
      );
    }
  };
}

/** Failed authentications, denied calls, and refused mutating calls are recorded. */
function mustAudit(err: ServiceError, operation: string | undefined): boolean {
  if (AUTH_FAILURE_CODES.has(err.code) || err.code === "AccessDeniedException") return true;
  if (operation === undefined) return false;
  return !isReadOnly(operation) && err.code !== "NotImplementedException" && err.code !== "ThrottlingException";
}

function unknownOperation(method: string, rawPath: string, pathKnown: boolean): ServiceError {
  // API Gateway answers unknown routes with UnknownOperationException; say what was asked.
  const detail = pathKnown ? `${method} is not supported on ${rawPath}` : `no operation matches ${method} ${rawPath}`;
  return new ServiceError("UnknownOperationException", 404, `Unknown operation: ${detail}.`, undefined, "message");
}

function toServiceError(err: unknown, requestId: string, operation: string | undefined, logger: Logger): ServiceError {
  if (err instanceof ServiceError) return err;
  if (err instanceof StoreUnavailable) {
    logger.log("error", "store unavailable", { requestId, operation, error: err.message });
    return internalService(`The service is temporarily unable to reach its database. Request id: ${requestId}.`);
  }
  logger.log("error", "internal error", {
    requestId,
    operation,
    error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
  });
  return internalService(`An internal error occurred. Request id: ${requestId}.`);
}
