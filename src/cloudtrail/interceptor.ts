// CloudTrail's API on Switchboard's port: awsJson1.1 requests (`POST /` with
// `X-Amz-Target: com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.<Operation>`), signed
// with SigV4 for the signing name `cloudtrail` and checked against the same credentials as
// Connect. Only LookupEvents is served, over the audit trail; any other CloudTrail operation is
// an UnknownOperationException. Every other request passes on to the Connect pipeline.
//
// Like the Connect pipeline, failed authentications and denied calls are recorded in the audit
// trail (eventSource cloudtrail.amazonaws.com); successful lookups are reads and are not.
import { randomUUID } from "node:crypto";
import type { Scope } from "../common/arn.js";
import type { Clock } from "../common/clock.js";
import { ServiceError } from "../common/errors.js";
import type { Logger } from "../common/log.js";
import type { Caller } from "../operations/types.js";
import { buildAuditEvent, requestAuditFacts } from "../protocol/audit-record.js";
import { AUTH_FAILURE_CODES, type AuthOptions, authenticate, claimedAccessKeyId } from "../protocol/auth.js";
import { headerValue } from "../protocol/headers.js";
import type { WireRequest } from "../protocol/pipeline.js";
import type { WireResponse } from "../protocol/restjson/serialize.js";
import { type Store, StoreUnavailable } from "../store/store.js";
import { clientError, lookupEvents, parseLookupEvents } from "./lookup-events.js";

export const SIGNING_NAME = "cloudtrail";
export const EVENT_SOURCE = "cloudtrail.amazonaws.com";
/**
 * The X-Amz-Target prefixes of CloudTrail's API: botocore (AWS CLI, boto3) sends the full
 * "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.<Operation>", SDK v3 the service shape
 * name only, "CloudTrail_20131101.<Operation>".
 */
const TARGET_PREFIXES = ["com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.", "CloudTrail_20131101."];
const CONTENT_TYPE = "application/x-amz-json-1.1";

export interface ActionAuthorizationRequest {
  /** e.g. cloudtrail:LookupEvents */
  action: string;
  /** the resource ARN, or "*" */
  resource: string;
  caller: Caller;
  scope: Scope;
  sourceIp: string;
  store: Store;
  now: number;
}

/** Throws AccessDeniedException (a ServiceError) when the caller may not act. */
export type ActionAuthorizer = (request: ActionAuthorizationRequest) => Promise<void>;

export interface CloudTrailDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
  /** Connect's authentication options; the signing name is replaced by `cloudtrail` */
  auth: AuthOptions;
  /** absent: every authenticated caller may look events up (the account root always may) */
  authorize?: ActionAuthorizer;
  /** record failed authentications and denials (default true) */
  audit?: boolean;
}

/** A CloudTrail call, or undefined when the request is for someone else. */
function cloudTrailTarget(req: WireRequest): string | undefined {
  if (req.method !== "POST" || (req.url !== "/" && !req.url.startsWith("/?"))) return undefined;
  const target = headerValue(req.headers, "x-amz-target");
  if (target === undefined) return undefined;
  const lower = target.toLowerCase();
  return lower.startsWith("com.amazonaws.cloudtrail.") || lower.startsWith("cloudtrail_") ? target : undefined;
}

function respond(status: number, requestId: string, body: Record<string, unknown>, errorType?: string): WireResponse {
  const headers: Record<string, string> = { "Content-Type": CONTENT_TYPE, "x-amzn-RequestId": requestId };
  if (errorType) headers["x-amzn-ErrorType"] = errorType;
  return { status, headers, body: JSON.stringify(body) };
}

/** LookupEvents' members as the audit record shows them (lowerCamel; none is sensitive; others dropped). */
const MEMBERS = ["LookupAttributes", "StartTime", "EndTime", "EventCategory", "MaxResults", "NextToken"] as const;

function requestParameters(body: Record<string, unknown>): Record<string, unknown> {
  const lower = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(lower);
    if (typeof v !== "object" || v === null) return v;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k.charAt(0).toLowerCase() + k.slice(1), lower(x)]));
  };
  const out: Record<string, unknown> = {};
  for (const m of MEMBERS) if (body[m] !== undefined) out[m.charAt(0).toLowerCase() + m.slice(1)] = lower(body[m]);
  return out;
}

export function createCloudTrailInterceptor(deps: CloudTrailDeps): (req: WireRequest) => Promise<WireResponse | undefined> {
  const auth: AuthOptions = { ...deps.auth, service: SIGNING_NAME };
  const auditing = deps.audit !== false;

  return async (req) => {
    const target = cloudTrailTarget(req);
    if (target === undefined) return undefined;
    const started = performance.now();
    const requestId = randomUUID();
    const rawQuery = req.url.indexOf("?") < 0 ? "" : req.url.slice(req.url.indexOf("?") + 1);
    const suffix = target.slice(target.lastIndexOf(".") + 1);
    // named in logs and audit events: only a plausible operation name, never arbitrary text
    const operation = /^[A-Za-z0-9]{1,64}$/.test(suffix) ? suffix : "Unknown";
    let caller: Caller | undefined;
    let scope: Scope | undefined;
    let params: Record<string, unknown> | null = null;

    try {
      // Lets the credential cache reload first (a key created by `switchboard iam` meanwhile).
      const preparing = auth.credentials.prepare?.(claimedAccessKeyId(headerValue(req.headers, "authorization"), rawQuery));
      if (preparing) await preparing;
      const who = authenticate({ method: req.method, rawUrl: req.url, rawHeaders: req.rawHeaders, body: req.body }, auth);
      caller = who.caller;
      scope = { account: who.account, region: who.region };
      if (!TARGET_PREFIXES.some((p) => target === `${p}LookupEvents`)) {
        throw clientError("UnknownOperationException", `Unknown operation: ${operation} is not served by Switchboard's CloudTrail API.`);
      }
      let body: unknown = {};
      if (req.body.length > 0) {
        try {
          body = JSON.parse(req.body.toString("utf8"));
        } catch {
          throw clientError("SerializationException", "The request body is not valid JSON.");
        }
      }
      const query = parseLookupEvents(body, scope);
      // recorded only once checked, so its size is bounded (one attribute of at most 2000 characters)
      params = requestParameters(body as Record<string, unknown>);
      if (deps.authorize && caller.kind !== "root") {
        await deps.authorize({
          action: `cloudtrail:${operation}`,
          resource: "*",
          caller,
          scope,
          sourceIp: req.sourceIp,
          store: deps.store,
          now: deps.clock.now(),
        });
      }
      const result = await lookupEvents(deps.store, scope, query);
      return done(respond(200, requestId, result as unknown as Record<string, unknown>));
    } catch (err) {
      const failure = asServiceError(err, requestId, deps.logger);
      if (auditing && (AUTH_FAILURE_CODES.has(failure.code) || failure.code === "AccessDeniedException")) {
        await record(failure);
      }
      // awsJson1.1: the error's name in __type (and x-amzn-ErrorType), its text in `message`;
      // client errors, authentication failures included, are 400 as on AWS's JSON services.
      const status = failure.status >= 500 ? failure.status : 400;
      return done(respond(status, requestId, { __type: failure.code, message: failure.message }, failure.code), failure.code);
    }

    function done(response: WireResponse, errorCode?: string): WireResponse {
      if (deps.logger.enabled("info")) {
        deps.logger.log("info", "request", {
          requestId,
          operation: `cloudtrail:${operation}`,
          status: response.status,
          errorCode,
          latencyMs: Math.round((performance.now() - started) * 1000) / 1000,
          sourceIp: req.sourceIp,
        });
      }
      return response;
    }

    async function record(failure: ServiceError): Promise<void> {
      const facts = requestAuditFacts(
        { headers: req.headers, sourceIp: req.sourceIp, rawQuery },
        {
          operation,
          requestId,
          now: deps.clock.now(),
          defaultAccount: auth.defaultAccount,
          caller,
          scope,
          requestParameters: params,
          error: { code: failure.code, message: failure.message },
        },
      );
      const draft = buildAuditEvent(facts);
      draft.record.eventSource = EVENT_SOURCE;
      try {
        await deps.store.audit.record(draft);
      } catch (err) {
        deps.logger.log("error", "could not record audit event", { requestId, error: err instanceof Error ? err.message : String(err) });
      }
    }
  };
}

function asServiceError(err: unknown, requestId: string, logger: Logger): ServiceError {
  if (err instanceof ServiceError) return err;
  const unreachable = err instanceof StoreUnavailable;
  logger.log("error", unreachable ? "store unavailable" : "internal error", {
    requestId,
    operation: "cloudtrail:LookupEvents",
    error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
  });
  // AWS's common error for a server-side failure (retried by every SDK).
  return new ServiceError(
    "InternalFailure",
    500,
    unreachable
      ? `The service is temporarily unable to reach its database. Request id: ${requestId}.`
      : `An internal error occurred. Request id: ${requestId}.`,
    undefined,
    "message",
  );
}
