// The invoke step: runs a declared operation with its context, and keeps the audit trail.
//  - A mutating operation runs in one store transaction together with its audit event and the
//    subscribers of the changes it reports (the old-address alert): a change without its event,
//    or an event without its change, cannot exist. An operation that can make the same change
//    and write the same event in one store step (handleAtOnce: one statement on PostgreSQL) is
//    offered that first.
//  - Refused calls are recorded after the fact, by one policy (mustAudit): failed
//    authentications and denials always; refused changes too; reads, throttled calls, injected
//    faults and calls to operations Switchboard does not serve, never.
// The front (protocol/) calls it; it knows nothing of HTTP or of any protocol.
import { randomUUID } from "node:crypto";
import {
  type AuditedRequest,
  type AuditFacts,
  type AuditNotes,
  buildAuditEvent,
  claimedCredential,
  requestAuditFacts,
} from "../audit/record.js";
import type { Scope } from "../common/arn.js";
import type { Caller } from "../common/caller.js";
import type { Clock } from "../common/clock.js";
import { AUTH_FAILURE_CODES, type ServiceError } from "../common/errors.js";
import type { Logger } from "../common/log.js";
import {
  type AtOnceContext,
  type Behaviour,
  NOT_AT_ONCE,
  type OperationContext,
  type Quotas,
  type ServedOperation,
} from "../operations/declare.js";
import { type ChangeEvent, type ChangeSubscriber, watchedMembers } from "../operations/events.js";
import type { Store } from "../store/store.js";
import { ConsistencyLag } from "./consistency-lag.js";
import { type FailedAuthLimiter, recordSuppressed } from "./failed-auth-limit.js";

/** How a service's calls appear in the audit trail. */
export interface AuditSource {
  /** CloudTrail's eventSource, e.g. connect.amazonaws.com */
  eventSource: string;
  /** the request's members as the record shows them (sensitive ones hidden); null when none */
  requestParameters(operation: string, input: unknown): Record<string, unknown> | null;
  /** whether failed authentications are recorded (not for revert links, whose unknown tokens name no one) */
  auditsFailedAuthentication: boolean;
}

/** Where in the request pipeline a call failed (decides whether the refusal is recorded). */
export type Stage = "route" | "authenticate" | "throttle" | "decode" | "validate" | "authorize" | "inject" | "invoke";

/** What the front knows of one call. */
export interface CallRecord {
  source: AuditSource;
  /** the operation's name as routed ("Unknown" when nothing plausible was asked) */
  operation: string;
  declaration?: ServedOperation;
  requestId: string;
  request: AuditedRequest;
  caller?: Caller;
  scope?: Scope;
  /** the decoded input, once there is one */
  input?: unknown;
  /** what the operation added for its audit event (kept when it fails, e.g. a refused revert) */
  notes: AuditNotes;
}

export interface InvokeDeps {
  store: Store;
  clock: Clock;
  quotas: Quotas;
  /** default: replace */
  behaviour?: Behaviour;
  logger: Logger;
  /** the account named by events of unauthenticated requests */
  defaultAccount: string;
  /** run, in the change's transaction, for each change an operation reports */
  subscribers?: readonly ChangeSubscriber[];
  /** --consistency-lag: reads miss what changed this recently (absent or 0: off) */
  consistencyLagMs?: number;
  /** absent: every failed authentication is recorded */
  failedAuthLimiter?: FailedAuthLimiter;
}

export interface Invoker {
  /** Runs the declared operation for an authenticated, authorized call; resolves with its output. */
  run(call: CallRecord, declaration: ServedOperation, caller: Caller, scope: Scope, input: unknown): Promise<unknown>;
  /** Records the refusal when the audit policy asks for it; never throws (the answer stands). */
  recordFailure(call: CallRecord, error: ServiceError, stage: Stage): Promise<void>;
}

/** Whether a refused call is an audit event. */
export function mustAudit(call: CallRecord, error: ServiceError, stage: Stage): boolean {
  if (stage === "throttle" || stage === "route") return false; // throttled calls are not recorded, as in CloudTrail
  if (stage === "inject") return false; // an injected fault changed nothing and writes nothing (it is marked in the request log)
  if (stage === "authenticate") return call.source.auditsFailedAuthentication && AUTH_FAILURE_CODES.has(error.code);
  if (error.code === "AccessDeniedException") return true;
  return call.declaration?.mutates === true && error.code !== "NotImplementedException";
}

export function createInvoker(deps: InvokeDeps): Invoker {
  const subscribers = deps.subscribers ?? [];
  const behaviour: Behaviour = deps.behaviour ?? { identityInfoUpdate: "replace" };
  const lag = deps.consistencyLagMs ? new ConsistencyLag(deps.consistencyLagMs, () => deps.clock.now()) : undefined;

  function facts(call: CallRecord, error: ServiceError | undefined, notes = call.notes): AuditFacts {
    return requestAuditFacts(call.request, {
      operation: call.operation,
      eventSource: call.source.eventSource,
      readOnly: call.declaration ? !call.declaration.mutates : true,
      requestId: call.requestId,
      now: deps.clock.now(),
      defaultAccount: deps.defaultAccount,
      caller: call.caller,
      scope: call.scope,
      // Built only when an event is written: most calls (successful reads) write none.
      requestParameters: call.input === undefined ? null : call.source.requestParameters(call.operation, call.input),
      notes,
      ...(error ? { error: { code: error.code, message: error.message } } : {}),
    });
  }

  function context(call: CallRecord, caller: Caller, scope: Scope, store: Store, events: ChangeEvent[] | undefined): OperationContext {
    return {
      scope,
      caller,
      sourceIp: call.request.sourceIp,
      store,
      clock: deps.clock,
      quotas: deps.quotas,
      behaviour,
      requestId: call.requestId,
      audit: call.notes,
      emit(event) {
        if (!events) throw new Error(`${call.operation} is declared read-only and cannot report a change`);
        events.push(event);
      },
    };
  }

  /** handleAtOnce's context: handle's, on the store itself, with the audit event to write and what subscribers watch. */
  function atOnceContext(call: CallRecord, caller: Caller, scope: Scope): AtOnceContext {
    // context()'s members but emit, written out: on the hot path, a rest copy costs more.
    return {
      scope,
      caller,
      sourceIp: call.request.sourceIp,
      store: deps.store,
      clock: deps.clock,
      quotas: deps.quotas,
      behaviour,
      requestId: call.requestId,
      audit: call.notes,
      auditEvent: (notes) => buildAuditEvent(facts(call, undefined, notes)),
      watched: (kind) => watchedMembers(subscribers, kind),
    };
  }

  return {
    async run(call, declaration, caller, scope, input) {
      if (!declaration.mutates) {
        if (!lag) return declaration.handle(input, context(call, caller, scope, deps.store, undefined));
        lag.beforeRead(declaration, input, scope);
        return lag.afterRead(declaration, await declaration.handle(input, context(call, caller, scope, deps.store, undefined)));
      }
      try {
        // At once, when the operation can (it then wrote the change and its event in one step);
        // NOT_AT_ONCE: it wrote nothing, and the ordinary path below runs.
        if (declaration.handleAtOnce) {
          const done = await declaration.handleAtOnce(input, atOnceContext(call, caller, scope));
          if (done !== NOT_AT_ONCE) {
            lag?.changed(declaration, input, scope, done);
            return done;
          }
        }
        // The change, what its subscribers do, and its audit event commit together, or none does.
        const committed = await deps.store.atomically(async (tx) => {
          const events: ChangeEvent[] = [];
          const ctx = context(call, caller, scope, tx, events);
          const output = await declaration.handle(input, ctx);
          for (const event of events) for (const subscriber of subscribers) await subscriber(event, ctx);
          await tx.audit.record(buildAuditEvent(facts(call, undefined)));
          return output;
        });
        lag?.changed(declaration, input, scope, committed);
        return committed;
      } catch (err) {
        // Rolled back: what the notes say the change did did not happen. Who and what was
        // asked (target, parameters) stay for the refusal's event.
        delete call.notes.additionalEventData;
        delete call.notes.responseElements;
        throw err;
      }
    },

    async recordFailure(call, error, stage) {
      if (!mustAudit(call, error, stage)) return;
      const limiter = deps.failedAuthLimiter;
      if (stage === "authenticate" && limiter) {
        const claimed = claimedCredential(call.request.authorization, call.request.rawQuery).accessKeyId;
        const admitted = limiter.admit(call.request.sourceIp, claimed);
        try {
          await recordSuppressed(deps.store, limiter, deps.defaultAccount, randomUUID);
        } catch (err) {
          deps.logger.log("error", "could not record audit event", {
            requestId: call.requestId,
            error: err instanceof Error ? err.message : String(err),
          });
        }
        if (!admitted) return;
      }
      try {
        await deps.store.audit.record(buildAuditEvent(facts(call, error)));
      } catch (err) {
        // The call failed anyway; a failure to record it must not hide the original answer.
        deps.logger.log("error", "could not record audit event", {
          requestId: call.requestId,
          error: err instanceof Error ? err.message : String(err),
        });
      }
    },
  };
}
