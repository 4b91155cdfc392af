// What every operation module sees. An operation never touches HTTP, SQL or JSON.
import type { Scope } from "../common/arn.js";
import type { Clock } from "../common/clock.js";
import type { Store } from "../store/store.js";

export interface Quotas {
  /** Amazon Connect instances per account and region (AWS default: 2, adjustable) */
  instancesPerRegion: number;
  /** users per instance (AWS default: 500, adjustable) */
  usersPerInstance: number;
}

export interface Caller {
  accessKeyId: string;
  /** e.g. arn:aws:iam::000000000000:root */
  principalArn: string;
}

export interface OperationContext {
  scope: Scope;
  caller: Caller;
  store: Store;
  clock: Clock;
  quotas: Quotas;
  requestId: string;
}

/** Wire-shaped output (PascalCase members, timestamps as epoch seconds) or undefined for Unit. */
export type Output = Record<string, unknown> | undefined;

export type Handler = (input: Record<string, unknown>, ctx: OperationContext) => Promise<Output>;

/**
 * Declares an operation with its typed input. The input has already passed the model's shape
 * and constraint validation, which is what makes the cast sound.
 */
export function defineOperation<I>(fn: (input: I, ctx: OperationContext) => Promise<Output>): Handler {
  return (input, ctx) => fn(input as I, ctx);
}
