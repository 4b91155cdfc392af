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
  /** e.g. arn:aws:iam::000000000000:root or arn:aws:iam::000000000000:user/helpdesk */
  principalArn: string;
  account: string;
  /** "root": the account's bootstrap credential, allowed everything (as in AWS) */
  kind: "root" | "user";
  /** IAM user name (kind "user") */
  userName?: string;
}

/**
 * What an operation tells the audit trail about a change, beyond what the pipeline records
 * itself (who, when, what was asked). Written in the same transaction as the change.
 */
export interface AuditNotes {
  /** the Connect user the call changed, for filtering (`audit list --user-id`) */
  targetUserId?: string;
  /** e.g. which identity members changed, with masked old and new values */
  additionalEventData?: Record<string, unknown>;
  /** non-sensitive output worth keeping (e.g. the id of what was created) */
  responseElements?: Record<string, unknown>;
}

export interface NotificationSettings {
  /** how long a revert link stays valid */
  revertTtlMs: number;
  /** base URL of links in messages, e.g. http://127.0.0.1:4599 */
  publicUrl: string;
}

export interface OperationContext {
  scope: Scope;
  caller: Caller;
  /** the caller's IP address, as the audit trail and notifications report it */
  sourceIp: string;
  notifications: NotificationSettings;
  store: Store;
  clock: Clock;
  quotas: Quotas;
  requestId: string;
  /** filled by mutating operations; read by the pipeline when it writes the audit event */
  audit: AuditNotes;
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
