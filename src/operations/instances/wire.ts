// InstanceRecord → the model's Instance and InstanceSummary.
import type { Instance, InstanceSummary } from "../../model/types.gen.js";
import type { InstanceRecord } from "../../store/records.js";
import { timestamp } from "../resolve.js";
import { callsEnabled } from "./attributes.js";

export const instanceSummaryToWire = (i: InstanceRecord): InstanceSummary => ({
  Id: i.id,
  Arn: i.arn,
  IdentityManagementType: i.identityManagementType,
  InstanceAlias: i.alias,
  CreatedTime: timestamp(i.createdTime),
  ServiceRole: i.serviceRole,
  InstanceStatus: i.status,
  // UpdateInstanceAttribute INBOUND_CALLS / OUTBOUND_CALLS changes these (attributes.ts).
  InboundCallsEnabled: callsEnabled(i, "INBOUND_CALLS"),
  OutboundCallsEnabled: callsEnabled(i, "OUTBOUND_CALLS"),
  InstanceAccessUrl: i.accessUrl,
});

export const instanceToWire = (i: InstanceRecord): Instance => ({ ...instanceSummaryToWire(i), Tags: i.tags });
