// What a stored audit event says, read from its CloudTrail record: the fields `audit list` prints
// and CloudTrail's LookupEvents returns and filters on. The record is the source of truth; the
// indexed columns (event name, principal, target user, error code) are copies of its facts.
import { parseConnectArn } from "../common/arn.js";
import type { AuditEventRecord } from "../store/records.js";

export interface EventResource {
  ResourceType: string;
  ResourceName: string;
}

const obj = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

export function userIdentityOf(e: AuditEventRecord): Record<string, unknown> {
  return obj(e.record.userIdentity) ?? {};
}

export function eventSourceOf(e: AuditEventRecord): string {
  return str(e.record.eventSource) ?? "connect.amazonaws.com";
}

export function readOnlyOf(e: AuditEventRecord): boolean {
  return e.record.readOnly === true;
}

export function accessKeyIdOf(e: AuditEventRecord): string | undefined {
  return str(userIdentityOf(e).accessKeyId);
}

export function sourceIpOf(e: AuditEventRecord): string | undefined {
  return str(e.record.sourceIPAddress);
}

/**
 * LookupEvents' Username: the IAM user name, "root" for the account root (as CloudTrail shows
 * it); absent when the caller is unknown (a failed authentication).
 */
export function usernameOf(e: AuditEventRecord): string | undefined {
  const id = userIdentityOf(e);
  if (id.type === "Root") return "root";
  return str(id.userName);
}

/** A Connect instance or user label (an id or an ARN) as the id. */
function idOf(label: string, kind: "instance" | "user"): string {
  const arn = parseConnectArn(label);
  if (!arn) return label;
  if (kind === "instance") return arn.instanceId;
  return arn.rest[0] === "agent" && arn.rest[1] ? arn.rest[1] : label;
}

/**
 * The resources an event is about, as LookupEvents lists them: the Connect instance (named by
 * the request, or created by it) and the target user, by id.
 */
export function resourcesOf(e: AuditEventRecord): EventResource[] {
  const out: EventResource[] = [];
  const params = obj(e.record.requestParameters) ?? {};
  const response = obj(e.record.responseElements) ?? {};
  const instance = str(params.instanceId) ?? (e.eventName === "CreateInstance" ? str(response.id) : undefined);
  if (instance) out.push({ ResourceType: "AWS::Connect::Instance", ResourceName: idOf(instance, "instance") });
  const user = e.targetUserId ?? (str(params.userId) ? idOf(str(params.userId) as string, "user") : undefined);
  if (user) out.push({ ResourceType: "AWS::Connect::User", ResourceName: user });
  return out;
}
