// QueueRecord → the model's Queue (DescribeQueue) and QueueSummary (ListQueues).
import type { Queue, QueueSummary } from "../../model/types.gen.js";
import type { QueueRecord } from "../../store/records.js";
import { timestamp } from "../resolve.js";
import { queueDetails } from "./queue-record.js";

export function queueToWire(q: QueueRecord): Queue {
  const d = queueDetails(q);
  return {
    Name: q.name,
    QueueArn: q.arn,
    QueueId: q.id,
    Description: d.description,
    OutboundCallerConfig: d.outboundCallerConfig,
    HoursOfOperationId: d.hoursOfOperationId,
    MaxContacts: d.maxContacts,
    Status: d.status,
    Tags: q.tags,
    LastModifiedTime: timestamp(q.lastModifiedTime),
    LastModifiedRegion: q.lastModifiedRegion,
  };
}

export const queueSummaryToWire = (q: QueueRecord): QueueSummary => ({
  Id: q.id,
  Arn: q.arn,
  Name: q.name,
  QueueType: queueDetails(q).type,
  LastModifiedTime: timestamp(q.lastModifiedTime),
  LastModifiedRegion: q.lastModifiedRegion,
});
