// The fixed request pipeline: authenticate → route → deserialize → validate → invoke → serialize.
// Every failure becomes a typed AWS error; anything unexpected becomes InternalServiceException
// (500, retried by every SDK) with the request id logged and no stack in the body.
import { randomUUID } from "node:crypto";
import type { Clock } from "../common/clock.js";
import { internalService, notImplemented, ServiceError, serialization, throttling } from "../common/errors.js";
import type { Logger } from "../common/log.js";
import type { OperationDef, Shape } from "../model/types.js";
import type { Handler, Quotas } from "../operations/types.js";
import type { Store } from "../store/store.js";
import { StoreUnavailable } from "../store/store.js";
import { type AuthOptions, authenticate } from "./auth.js";
import { deserialize, parseQuery } from "./restjson/deserialize.js";
import { BadLabelEncoding, Router } from "./restjson/router.js";
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
}

export type Pipeline = (req: WireRequest) => Promise<WireResponse>;

export function createPipeline(deps: PipelineDeps): Pipeline {
  const router = new Router(deps.operations);

  return async function handle(req: WireRequest): Promise<WireResponse> {
    const started = performance.now();
    const requestId = randomUUID();
    let operation: string | undefined;
    let response: WireResponse;
    let errorCode: string | undefined;
    try {
      const q = req.url.indexOf("?");
      const rawPath = q < 0 ? req.url : req.url.slice(0, q);
      const rawQuery = q < 0 ? "" : req.url.slice(q + 1);

      const who = authenticate({ method: req.method, rawUrl: req.url, rawHeaders: req.rawHeaders, body: req.body }, deps.auth);

      // ThrottlingException 429 is retried with backoff by every SDK and CLI (wire brief §3).
      if (deps.throttle && !deps.throttle.take(`${who.account}/${who.region}`)) throw throttling("Rate exceeded");

      let match: ReturnType<Router["match"]>;
      try {
        match = router.match(req.method, rawPath);
      } catch (err) {
        if (err instanceof BadLabelEncoding) throw serialization(`The request path is not valid percent-encoding: '${err.message}'`);
        throw err;
      }
      if (!match) throw unknownOperation(req.method, rawPath, router.hasPath(rawPath));
      operation = match.operation;
      const op = deps.operations[operation] as OperationDef;

      const input = deserialize(deps.shapes, op, {
        labels: match.labels,
        query: parseQuery(rawQuery),
        headers: req.headers,
        body: req.body,
      });
      if (op.input) {
        const failures = validateInput(deps.shapes, op.input, input);
        if (failures.length > 0) {
          const typeFailures = failures.filter((f) => f.kind === "type");
          if (typeFailures.length > 0) throw serialization(summarize(typeFailures));
          throw new ServiceError("InvalidParameterException", 400, summarize(failures));
        }
      }

      const handler = deps.handlers[operation];
      if (!handler) throw notImplemented(operation);
      const output = await handler(input, {
        scope: { account: who.account, region: who.region },
        caller: who.caller,
        store: deps.store,
        clock: deps.clock,
        quotas: deps.quotas,
        requestId,
      });
      response = serializeOutput(output, requestId);
    } catch (err) {
      const se = toServiceError(err, requestId, operation, deps.logger);
      errorCode = se.code;
      response = serializeError(se, requestId);
    }
    if (deps.logger.enabled("info")) {
      deps.logger.log("info", "request", {
        requestId,
        operation: operation ?? "-",
        status: response.status,
        errorCode,
        latencyMs: Math.round((performance.now() - started) * 1000) / 1000,
        sourceIp: req.sourceIp,
      });
    }
    return response;
  };
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
