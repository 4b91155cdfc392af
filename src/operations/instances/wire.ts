// InstanceRecord → the model's Instance and InstanceSummary.
import type { Instance, InstanceSummary } from "../../model/types.gen.js";
import type { InstanceRecord } from "../../store/records.js";
import { timestamp } from "../resolve.js";

export const instanceSummaryToWire = (i: InstanceRecord): InstanceSummary => ({
  Id: i.id,
  Arn: i.arn,
  IdentityManagementType: i.identityManagementType,
  InstanceAlias: i.alias,
  CreatedTime: timestamp(i.createdTime),
  ServiceRole: i.serviceRole,
  InstanceStatus: i.status,
  InboundCallsEnabled: i.inboundCallsEnabled,
  OutboundCallsEnabled: i.outboundCallsEnabled,
  InstanceAccessUrl: i.accessUrl,
});

export const instanceToWire = (i: InstanceRecord): Instance => ({ ...instanceSummaryToWire(i), Tags: i.tags });
