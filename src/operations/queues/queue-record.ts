// What a queue holds beyond its name, as this family keeps it in QueueRecord.attributes, and how
// a request names a queue (its id or its ARN inside the instance).
// Queues: https://docs.aws.amazon.com/connect/latest/adminguide/concepts-queues-standard-and-agent.html
import { resourceNotFound } from "../../common/errors.js";
import type { OutboundCallerConfig, QueueStatus, QueueType } from "../../model/types.gen.js";
import type { InstanceRecord, QueueRecord } from "../../store/records.js";
import type { OperationContext } from "../declare.js";
import { childIdOf } from "../resolve.js";

/**
 * QueueRecord.attributes. BasicQueue rows (instances/defaults.ts, and the store's v3 upgrade for
 * databases made before queues were kept) hold `description: ""`, `status: "ENABLED"`,
 * `type: "STANDARD"`; an empty description is no description.
 */
export interface QueueDetails {
  description?: string;
  status: QueueStatus;
  type: QueueType;
  hoursOfOperationId?: string;
  maxContacts?: number;
  outboundCallerConfig?: OutboundCallerConfig;
}

export function queueDetails(q: QueueRecord): QueueDetails {
  const a = q.attributes as Partial<QueueDetails>;
  const details: QueueDetails = { status: a.status ?? "ENABLED", type: a.type ?? "STANDARD" };
  if (typeof a.description === "string" && a.description !== "") details.description = a.description;
  if (typeof a.hoursOfOperationId === "string") details.hoursOfOperationId = a.hoursOfOperationId;
  if (typeof a.maxContacts === "number") details.maxContacts = a.maxContacts;
  if (a.outboundCallerConfig && typeof a.outboundCallerConfig === "object") details.outboundCallerConfig = a.outboundCallerConfig;
  return details;
}

/** The queue a label (id or ARN of this instance's queue) names; ResourceNotFoundException otherwise. */
export async function requireQueue(ctx: OperationContext, instance: InstanceRecord, label: string): Promise<QueueRecord> {
  const id = childIdOf(ctx.scope, instance.id, "queue", label);
  const queue = id === undefined ? undefined : await ctx.store.queues.get(ctx.scope, instance.id, id);
  if (!queue) throw resourceNotFound(`Queue not found: ${label}`);
  return queue;
}
