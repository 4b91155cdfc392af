// The one request pipeline, for every service on the port (Connect's restJson1, CloudTrail's
// awsJson1.1, the revert-link pages):
//   credentials → authenticate → throttle → decode → validate → authorize → inject → invoke → encode.
// The inject step (faults/) answers a call the fault rules pick with a modeled error, a delay or
// a dropped connection before the invoke step runs, so an injected failure changes nothing.
// A service contributes its codec, its authentication and its operations (service.ts); the rest
// is written once here. Every failure becomes a typed error of the service's protocol; anything
// unexpected becomes InternalServiceException (500, retried by every SDK) with the request id
// logged and no stack in the body. The invoke step (transaction + audit) is injected, so this
// layer never touches the store.
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { AuditedRequest } from "../audit/record.js";
import type { Authorizer } from "../authz/authorizer.js";
import { authzTargets } from "../authz/target.js";
import type { Scope } from "../common/arn.js";
import type { Clock } from "../common/clock.js";
import { internalService, notImplemented, ServiceError, StoreUnavailable, throttling } from "../common/errors.js";
import type { Logger } from "../common/log.js";
import type { CallRecord, Invoker, Stage } from "../invoke/invoke.js";
import type { FaultDecision, Faults } from "./faults/faults.js";
import { firstRawHeader } from "./headers.js";
import type { Route, Service } from "./service.js";
import type { TokenBuckets } from "./throttle.js";
import type { Pipeline, WireRequest, WireResponse } from "./wire.js";

export interface FrontDeps {
  /** asked in order; the first that claims a request answers it, the last answers the rest */
  services: readonly [...Service<Route>[], Service<Route>];
  invoker: Invoker;
  clock: Clock;
  logger: Logger;
  /** absent: no rate limiting */
  throttle?: TokenBuckets;
  /** absent: every authenticated caller may do everything */
  authorize?: Authorizer;
  /** the fault rules the inject step applies to the services that are `faultable` (absent: none) */
  faults?: Faults;
}

export function createFront(deps: FrontDeps): Pipeline {
  const { services, invoker, logger } = deps;
  const last = services[services.length - 1] as Service<Route>;

  return async function handle(req: WireRequest): Promise<WireResponse> {
    const started = performance.now();
    const requestId = randomUUID();
    const q = req.url.indexOf("?");
    const rawPath = q < 0 ? req.url : req.url.slice(0, q);
    const rawQuery = q < 0 ? "" : req.url.slice(q + 1);
    let service = last;
    for (const s of services) {
      if (s.claims(req, rawPath)) {
        service = s;
        break;
      }
    }

    const request: AuditedRequest = {
      sourceIp: req.sourceIp,
      // Fields whose repeats Node discards: the first raw one is req.headers' value.
      userAgent: firstRawHeader(req.rawHeaders, "user-agent"),
      authorization: firstRawHeader(req.rawHeaders, "authorization"),
      rawQuery,
    };
    const call: CallRecord = { source: service.audit, operation: "Unknown", requestId, request, notes: {} };
    /** the operation the request names, once routed (undefined: none) */
    let routed: string | undefined;
    let stage: Stage = "route";
    let response: WireResponse;
    let failure: ServiceError | undefined;
    /** the fault rule that fired for this call, if any */
    let injected: FaultDecision | undefined;
    try {
      // Routing first only to name the operation in logs and audit events; a routing error is
      // raised after authentication, so unauthenticated callers learn nothing.
      const route = service.codec.route(req, rawPath, rawQuery);
      routed = route.operation;
      if (routed !== undefined) call.operation = routed;
      const preparing = service.codec.prepare?.(route);
      if (preparing) await preparing;

      stage = "authenticate";
      const pending = service.authenticate(req, route, rawQuery);
      const who = pending instanceof Promise ? await pending : pending;
      const caller = who.caller;
      const scope: Scope = { account: who.account, region: who.region };
      call.caller = caller;
      call.scope = scope;

      stage = "throttle";
      // ThrottlingException 429 is retried with backoff by every SDK and CLI.
      if (service.throttled && deps.throttle && !deps.throttle.take(`${who.account}/${who.region}`)) {
        throw throttling("Rate exceeded");
      }
      stage = "route";
      if (route.error) throw route.error;
      if (routed === undefined) throw new Error("the codec named no operation and no routing error");
      const declaration = service.operations[routed];
      if (declaration) call.declaration = declaration;

      stage = "decode";
      const decoded = service.codec.decode(route, req, rawQuery, scope);
      call.input = decoded;
      stage = "validate";
      const input = service.codec.validate(routed, decoded, scope);
      declaration?.validate?.(input, scope);

      if (!declaration) throw notImplemented(routed);
      stage = "authorize";
      if (deps.authorize) {
        await deps.authorize({ declaration, input, caller, scope, sourceIp: req.sourceIp, now: deps.clock.now() });
      }
      if (service.faultable && deps.faults && !deps.faults.empty) {
        stage = "inject";
        injected = deps.faults.decide({
          operation: routed,
          principalArn: caller.principalArn,
          resources: () => authzTargets(declaration, input, scope).map((t) => t.resourceArn),
        });
        if (injected) {
          if (injected.latencyMs > 0) await sleep(injected.latencyMs);
          if (injected.error) throw injected.error;
        }
      }
      if (injected?.drop) {
        response = { status: 0, headers: {}, body: "", drop: true };
      } else {
        stage = "invoke";
        const output = await invoker.run(call, declaration, caller, scope, input);
        response = service.codec.encodeOutput(routed, output, requestId);
      }
    } catch (err) {
      failure = toServiceError(err, requestId, routed, logger);
      response = service.codec.encodeError(failure, requestId);
    }

    if (failure) await invoker.recordFailure(call, failure, stage);
    if (logger.enabled("info")) {
      logger.log("info", "request", {
        requestId,
        operation: routed === undefined ? "-" : service.logName(routed),
        status: response.status,
        errorCode: failure?.code,
        latencyMs: Math.round((performance.now() - started) * 1000) / 1000,
        sourceIp: req.sourceIp,
        // An injected fault is marked: the rule, and what it did.
        ...(injected ? { injectedFault: injected.rule, fault: injected.drop ? "drop" : injected.error ? "error" : "latency" } : {}),
      });
    }
    return response;
  };
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
