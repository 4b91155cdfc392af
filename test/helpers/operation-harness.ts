// Runs one Connect operation the way the server does — the model's validation, then the invoke
// step (a mutating operation in one transaction with its audit event and its subscribers) — on
// an in-memory SQLite store (or the one given), with a fixed clock and a chosen caller. No sockets, no signing:
// what a rule test needs, in microseconds.

import { modelRequestParameters } from "../../src/audit/record.js";
import type { Scope } from "../../src/common/arn.js";
import type { Caller } from "../../src/common/caller.js";
import type { Clock } from "../../src/common/clock.js";
import { ServiceError } from "../../src/common/errors.js";
import { silentLogger } from "../../src/common/log.js";
import { type CallRecord, createInvoker } from "../../src/invoke/invoke.js";
import { SHAPES } from "../../src/model/index.js";
import { OPERATIONS } from "../../src/model/operations.gen.js";
import type { OperationInputs, OperationOutputs } from "../../src/model/types.gen.js";
import { CONNECT_OPERATIONS, type ServedConnectOperation } from "../../src/operations/connect-service.js";
import type { Behaviour, Quotas } from "../../src/operations/declare.js";
import type { ChangeSubscriber } from "../../src/operations/events.js";
import { restJsonCodec } from "../../src/protocol/restjson/codec.js";
import { nullsAsAbsent } from "../../src/protocol/restjson/deserialize.js";
import type { AuditEventRecord } from "../../src/store/records.js";
import { SqlStore } from "../../src/store/sql/sql-store.js";
import { SqliteDriver } from "../../src/store/sqlite/sqlite-driver.js";
import type { Store } from "../../src/store/store.js";

export const HARNESS_ACCOUNT = "000000000000";
export const HARNESS_SCOPE: Scope = { account: HARNESS_ACCOUNT, region: "us-east-1" };
export const ROOT_CALLER: Caller = {
  accessKeyId: "test",
  principalArn: `arn:aws:iam::${HARNESS_ACCOUNT}:root`,
  account: HARNESS_ACCOUNT,
  kind: "root",
};

/** A clock that moves only when told to. */
export class ManualClock implements Clock {
  constructor(public ms = Date.UTC(2024, 4, 1, 12, 0, 0)) {}
  now(): number {
    return this.ms;
  }
  advance(ms: number): void {
    this.ms += ms;
  }
}

export interface HarnessOptions {
  caller?: Caller;
  scope?: Scope;
  quotas?: Partial<Quotas>;
  subscribers?: readonly ChangeSubscriber[];
  behaviour?: Behaviour;
  /** default: a fresh in-memory SQLite store (closed by close()) */
  store?: Store;
}

export interface OperationHarness {
  store: Store;
  clock: ManualClock;
  scope: Scope;
  /** validates `input` against the operation's model, then invokes it; throws its ServiceError */
  run<N extends ServedConnectOperation>(
    name: N,
    input: OperationInputs[N],
    opts?: { caller?: Caller; scope?: Scope },
  ): Promise<OperationOutputs[N]>;
  /** like run, for inputs the types would refuse (what a hostile or old client sends) */
  runRaw(name: ServedConnectOperation, input: unknown, opts?: { caller?: Caller; scope?: Scope }): Promise<unknown>;
  /** the error a call fails with (fails the test when it succeeds) */
  failure(name: ServedConnectOperation, input: unknown, opts?: { caller?: Caller; scope?: Scope }): Promise<ServiceError>;
  /** the audit trail, oldest first */
  auditEvents(): Promise<AuditEventRecord[]>;
  close(): Promise<void>;
}

export async function operationHarness(options: HarnessOptions = {}): Promise<OperationHarness> {
  const store = options.store ?? (await SqlStore.open(new SqliteDriver({ file: ":memory:", durability: "normal" })));
  const clock = new ManualClock();
  const quotas: Quotas = {
    instancesPerRegion: 1000,
    usersPerInstance: 500,
    securityProfilesPerInstance: 100,
    routingProfilesPerInstance: 100,
    hierarchyGroupsPerInstance: 500,
    ...options.quotas,
  };
  const invoker = createInvoker({
    store,
    clock,
    quotas,
    logger: silentLogger,
    defaultAccount: HARNESS_ACCOUNT,
    subscribers: options.subscribers ?? [],
    ...(options.behaviour ? { behaviour: options.behaviour } : {}),
  });
  const codec = restJsonCodec(SHAPES, OPERATIONS);
  const source = {
    eventSource: "connect.amazonaws.com",
    auditsFailedAuthentication: true,
    requestParameters: (operation: string, input: unknown) =>
      modelRequestParameters(SHAPES, OPERATIONS[operation]?.input, input as Record<string, unknown>),
  };
  let seq = 0;

  async function runRaw(name: ServedConnectOperation, raw: unknown, opts: { caller?: Caller; scope?: Scope } = {}): Promise<unknown> {
    const caller = opts.caller ?? options.caller ?? ROOT_CALLER;
    const scope = opts.scope ?? options.scope ?? HARNESS_SCOPE;
    const declaration = CONNECT_OPERATIONS[name];
    if (!declaration) throw new Error(`${name} is not served`);
    const call: CallRecord = {
      source,
      operation: name,
      declaration,
      requestId: `harness-${++seq}`,
      request: { sourceIp: "192.0.2.10", userAgent: "operation-harness", rawQuery: "" },
      caller,
      scope,
      input: raw,
      notes: {},
    };
    try {
      // The deserializer's null rule (the harness has no HTTP body to deserialize).
      const inputShape = OPERATIONS[name]?.input;
      if (inputShape) nullsAsAbsent(SHAPES, inputShape, raw as Record<string, unknown>);
      const input = codec.validate(name, raw, scope);
      return await invoker.run(call, declaration, caller, scope, input);
    } catch (err) {
      if (err instanceof ServiceError) await invoker.recordFailure(call, err, "invoke");
      throw err;
    }
  }

  return {
    store,
    clock,
    scope: options.scope ?? HARNESS_SCOPE,
    run: (name, input, opts) => runRaw(name, input, opts) as never,
    runRaw,
    async failure(name, input, opts) {
      try {
        await runRaw(name, input, opts);
      } catch (err) {
        if (err instanceof ServiceError) return err;
        throw err;
      }
      throw new Error(`${name} succeeded, but a ServiceError was expected`);
    },
    auditEvents: () => store.audit.chain(0, 100_000),
    close: () => store.close(),
  };
}
