// Switchboard's own reads that no AWS API has, for the console and any SigV4 client:
//   POST /_switchboard/api   X-Amz-Target: Switchboard.GetAccessReport | Switchboard.VerifyAuditChain
// awsJson1.1, SigV4 with the signing name `switchboard`, the same credentials as Connect. Each is
// authorized like any call, by an IAM action of its own on resource "*" (switchboard:GetAccessReport,
// switchboard:VerifyAuditChain); the account root may always. Both are reads: not audited when
// they succeed, a denial is.
import { verifyChain } from "../audit/verify.js";
import { ServiceError } from "../common/errors.js";
import { declarer, type ServedOperation, served } from "../operations/declare.js";
import { noResource } from "../operations/iam-targets.js";
// The access report is loaded on the first GetAccessReport only: the server's start-up never carries it.
import type { AccessReport } from "./access-report.js";

export const SWITCHBOARD_TARGET_PREFIX = "Switchboard.";
export const SWITCHBOARD_SIGNING_NAME = "switchboard";

/** Errors of this API (awsJson: the name in __type); every one a client fault. */
export const switchboardError = (name: "ValidationException" | "UnknownOperationException" | "SerializationException", message: string) =>
  new ServiceError(name, 400, message, undefined, "message");

export interface GetAccessReportRequest {
  /** only this instance (default: every instance of the caller's account in the signed region) */
  InstanceId?: string;
  /** default connect:UpdateUserIdentityInfo */
  Action?: string;
  /** users listed per principal (default 100, at most 1000); the counts are exact */
  ListLimit?: number;
}

export interface VerifyAuditChainResult {
  ok: boolean;
  events?: number;
  headHash?: string;
  brokenAt?: number;
  reason?: string;
}

interface Inputs {
  GetAccessReport: GetAccessReportRequest;
  VerifyAuditChain: Record<string, never>;
}
interface Outputs {
  GetAccessReport: AccessReport;
  VerifyAuditChain: VerifyAuditChainResult;
}

const op = declarer<Inputs, Outputs>();

function checkReportInput(input: unknown): void {
  if (typeof input !== "object" || input === null || Array.isArray(input))
    throw switchboardError("ValidationException", "The body must be a JSON object.");
  const i = input as Record<string, unknown>;
  for (const k of Object.keys(i)) {
    if (!["InstanceId", "Action", "ListLimit"].includes(k)) throw switchboardError("ValidationException", `Unknown member ${k}.`);
  }
  if (i.InstanceId !== undefined && (typeof i.InstanceId !== "string" || i.InstanceId.length > 100)) {
    throw switchboardError("ValidationException", "InstanceId must be a string of at most 100 characters.");
  }
  if (i.Action !== undefined && typeof i.Action !== "string") throw switchboardError("ValidationException", "Action must be a string.");
  if (i.ListLimit !== undefined && (!Number.isInteger(i.ListLimit) || (i.ListLimit as number) < 0 || (i.ListLimit as number) > 1000)) {
    throw switchboardError("ValidationException", "ListLimit must be a whole number from 0 to 1000.");
  }
}

export const getAccessReport = op("GetAccessReport", {
  iam: noResource(),
  mutates: false,
  validate: checkReportInput,
  async handle(input, ctx) {
    const { accessReport, isUserAction } = await import("./access-report.js");
    if (input.Action !== undefined && !isUserAction(input.Action)) {
      throw switchboardError(
        "ValidationException",
        "Action must be a Connect action on a user (…/agent/{UserId}), e.g. connect:UpdateUserIdentityInfo.",
      );
    }
    return accessReport(ctx.store, {
      account: ctx.scope.account,
      region: ctx.scope.region,
      ...(input.InstanceId ? { instanceId: input.InstanceId } : {}),
      ...(input.Action ? { action: input.Action } : {}),
      listLimit: input.ListLimit ?? 100,
      now: ctx.clock.now(),
    });
  },
});

export const verifyAuditChain = op("VerifyAuditChain", {
  iam: noResource(),
  mutates: false,
  validate(input) {
    if (typeof input !== "object" || input === null || Array.isArray(input) || Object.keys(input).length > 0) {
      throw switchboardError("ValidationException", "VerifyAuditChain takes an empty JSON object.");
    }
  },
  async handle(_input, ctx) {
    const r = await verifyChain(ctx.store);
    return r.ok ? { ok: true, events: r.events, headHash: r.headHash } : { ok: false, brokenAt: r.seq, reason: r.reason };
  },
});

export const SWITCHBOARD_OPERATIONS: Readonly<Record<string, ServedOperation>> = {
  GetAccessReport: served(getAccessReport, "switchboard"),
  VerifyAuditChain: served(verifyAuditChain, "switchboard"),
};
