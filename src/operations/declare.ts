// An operation is one declared unit: its model name, its IAM target(s), whether it mutates, and
// its handler with model-typed input and output (types generated from the Smithy model). The
// service record (connect-service.ts) holds one declaration per served operation and is checked
// by the compiler against the model's operation names.
//
// Nothing is inferred from an operation's name: the authorizer, the access report and the audit
// trail read `iam` and `mutates` from here.
import type { AuditNotes } from "../audit/record.js";
import type { Scope } from "../common/arn.js";
import type { Caller } from "../common/caller.js";
import type { Clock } from "../common/clock.js";
import type { OperationInputs, OperationName, OperationOutputs } from "../model/types.gen.js";
import type { AuditEventDraft } from "../store/records.js";
import type { Store } from "../store/store.js";
import type { ChangeEvent, ChangeInterest } from "./events.js";
import type { IamTarget } from "./iam-targets.js";

export interface Quotas {
  /** Amazon Connect instances per account and region (AWS default: 2, adjustable) */
  instancesPerRegion: number;
  /** users per instance (AWS default: 500, adjustable) */
  usersPerInstance: number;
  /** security profiles per instance (AWS default: 100) */
  securityProfilesPerInstance: number;
  /** routing profiles per instance (AWS default: 100) */
  routingProfilesPerInstance: number;
  /** user hierarchy groups per instance, all levels together (AWS default: 500) */
  hierarchyGroupsPerInstance: number;
}

/** How the service reads requests where AWS documents nothing (README, "Fidelity notes"). */
export interface Behaviour {
  /** UpdateUserIdentityInfo: omitted members are cleared (replace) or kept (merge) */
  identityInfoUpdate: "replace" | "merge";
}

/** What every operation sees. An operation never touches HTTP, SQL or JSON. */
export interface OperationContext {
  scope: Scope;
  caller: Caller;
  /** the caller's IP address, as the audit trail and notifications report it */
  sourceIp: string;
  /** inside a mutating operation: bound to the transaction its audit event commits in */
  store: Store;
  clock: Clock;
  quotas: Quotas;
  behaviour: Behaviour;
  requestId: string;
  /** filled by mutating operations; read by the invoke step when it writes the audit event */
  audit: AuditNotes;
  /**
   * Reports a change to whoever subscribed (e.g. the old-address alert). Subscribers run in the
   * same transaction, after the handler, so their effects commit with the change or not at all.
   */
  emit(event: ChangeEvent): void;
}

/**
 * What handleAtOnce sees: the context of handle outside any transaction (store is the store
 * itself), without emit — a change made at once is reported to no one — and with what it needs
 * to write the call's audit event itself.
 */
export interface AtOnceContext extends Omit<OperationContext, "emit"> {
  /** The audit event the invoke step would write for this call, had the operation left these notes. */
  auditEvent(notes: AuditNotes): AuditEventDraft;
  /** The members of a kind of change some subscriber may act on ("any": every such change must be reported). */
  watched<K extends keyof ChangeInterest>(kind: K): NonNullable<ChangeInterest[K]> | "any";
}

/** handleAtOnce's answer when it could not do the change at once: nothing was written, handle runs. */
export const NOT_AT_ONCE: unique symbol = Symbol("not at once");

/** A declared operation of any service, typed by its own input and output. */
export interface Declaration<N extends string, I, O> {
  readonly name: N;
  /**
   * What IAM is asked: one target, or several when the action acts on several resources (each
   * must be allowed). `[]` only for operations that authorize otherwise (a revert link's token).
   */
  readonly iam: IamTarget<I> | readonly IamTarget<I>[];
  /** true: a change, run in a transaction with its audit event; false: a read, not audited when it succeeds */
  readonly mutates: boolean;
  /**
   * Only for services whose model is not in this repository (CloudTrail): checks the decoded
   * input before authorization, throwing the service's error; Connect's inputs are checked
   * against the generated tables instead.
   */
  validate?(input: unknown, scope: Scope): void;
  handle(input: I, ctx: OperationContext): Promise<O>;
  /**
   * Optional, for a mutating operation: the same change as handle — same checks, same errors,
   * same stored result and the same audit event, which it writes itself — made by the store in
   * one step (on PostgreSQL one statement: one round trip, the row lock held only inside it).
   * Tried first by the invoke step; resolves NOT_AT_ONCE, having written nothing, whenever it
   * cannot be exactly handle (no such store capability, a change a subscriber acts on, …).
   */
  handleAtOnce?(input: I, ctx: AtOnceContext): Promise<O | typeof NOT_AT_ONCE>;
}

/** A Connect operation, typed from the model. */
export type ConnectDeclaration<N extends OperationName> = Declaration<N, OperationInputs[N], OperationOutputs[N]>;

/** What a service record may hold: under each model name, that operation's declaration. */
export type ConnectRecord = { readonly [N in OperationName]?: ConnectDeclaration<N> };

/**
 * `true` when the record and the not-served list decide every operation of the model exactly
 * once; otherwise a type naming the operations left undecided or decided twice, which `true`
 * cannot be assigned to — so the compiler names them.
 */
export type EveryOperationDecided<R extends ConnectRecord, NotServed extends OperationName> = [
  Exclude<OperationName, keyof R | NotServed>,
] extends [never]
  ? [Extract<keyof R, NotServed>] extends [never]
    ? true
    : { servedAndListedAsNotServed: Extract<keyof R, NotServed> }
  : { neitherServedNorListed: Exclude<OperationName, keyof R | NotServed> };

/**
 * A declaration as the request pipeline holds it: input already decoded and validated against
 * the operation's model shape (which is what makes the one cast in `served()` sound).
 */
export interface ServedOperation {
  readonly name: string;
  /** each IAM action and the target it is asked on */
  readonly iam: readonly { readonly action: string; readonly target: IamTarget<unknown> }[];
  readonly mutates: boolean;
  validate?(input: unknown, scope: Scope): void;
  handle(input: unknown, ctx: OperationContext): Promise<unknown>;
  handleAtOnce?(input: unknown, ctx: AtOnceContext): Promise<unknown>;
}

/** Declares a Connect operation: `operation("UpdateUserIdentityInfo", { iam: onUser(), mutates: true, handle })`. */
export function operation<N extends OperationName>(name: N, d: Omit<ConnectDeclaration<N>, "name" | "validate">): ConnectDeclaration<N> {
  return { name, ...d };
}

/** A declarer for a service whose types are not in the Connect model (CloudTrail, revert links). */
export function declarer<Inputs, Outputs>() {
  return <N extends keyof Inputs & keyof Outputs & string>(
    name: N,
    d: Omit<Declaration<N, Inputs[N], Outputs[N]>, "name">,
  ): Declaration<N, Inputs[N], Outputs[N]> => ({ name, ...d });
}

/**
 * The pipeline's view of a declaration (see ServedOperation); `iamPrefix` names the service in
 * IAM actions (connect, cloudtrail): `<prefix>:<Operation>` unless the target names its own.
 */
export function served<N extends string, I, O>(d: Declaration<N, I, O>, iamPrefix: string): ServedOperation {
  const targets = (Array.isArray(d.iam) ? d.iam : [d.iam]) as readonly IamTarget<unknown>[];
  return {
    name: d.name,
    iam: targets.map((target) => ({ action: target.action ?? `${iamPrefix}:${d.name}`, target })),
    mutates: d.mutates,
    ...(d.validate ? { validate: d.validate } : {}),
    handle: d.handle as (input: unknown, ctx: OperationContext) => Promise<unknown>,
    ...(d.handleAtOnce ? { handleAtOnce: d.handleAtOnce as (input: unknown, ctx: AtOnceContext) => Promise<unknown> } : {}),
  };
}
