// InstanceRecord → wire shapes (Instance, InstanceSummary).
import type { InstanceRecord } from "../../store/records.js";
import { epochSeconds } from "../resolve.js";

export const instanceSummaryToWire = (i: InstanceRecord) => ({
  Id: i.id,
  Arn: i.arn,
  IdentityManagementType: i.identityManagementType,
  InstanceAlias: i.alias,
  CreatedTime: epochSeconds(i.createdTime),
  ServiceRole: i.serviceRole,
  InstanceStatus: i.status,
  InboundCallsEnabled: i.inboundCallsEnabled,
  OutboundCallsEnabled: i.outboundCallsEnabled,
  InstanceAccessUrl: i.accessUrl,
});

export const instanceToWire = (i: InstanceRecord) => ({ ...instanceSummaryToWire(i), Tags: i.tags });
