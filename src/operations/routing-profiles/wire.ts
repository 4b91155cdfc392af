// ProfileRecord (kind "routing") → the model's RoutingProfile (DescribeRoutingProfile) and
// RoutingProfileQueueConfigSummary (ListRoutingProfileQueues).
import type { RoutingProfile, RoutingProfileQueueConfigSummary } from "../../model/types.gen.js";
import type { ProfileRecord, QueueRecord } from "../../store/records.js";
import { timestamp } from "../resolve.js";
import { associatedQueueCount, type QueueAssociation, type RoutingDetails } from "./details.js";

/**
 * Every member the model has that Switchboard keeps. AssociatedQueueIds stays out: "DescribeRoutingProfile does
 * not populate AssociatedQueueIds in its response"
 * (https://docs.aws.amazon.com/connect/latest/APIReference/API_DescribeRoutingProfile.html).
 */
export function routingProfileToWire(p: ProfileRecord, d: RoutingDetails, numberOfAssociatedUsers: number): RoutingProfile {
  return {
    InstanceId: p.instanceId,
    Name: p.name,
    RoutingProfileArn: p.arn,
    RoutingProfileId: p.id,
    Description: d.description,
    MediaConcurrencies: d.mediaConcurrencies,
    DefaultOutboundQueueId: d.defaultOutboundQueue.id,
    Tags: p.tags ?? {},
    NumberOfAssociatedQueues: associatedQueueCount(d),
    NumberOfAssociatedUsers: numberOfAssociatedUsers,
    AgentAvailabilityTimer: d.agentAvailabilityTimer,
    LastModifiedTime: timestamp(p.lastModifiedTime),
    LastModifiedRegion: p.lastModifiedRegion,
    IsDefault: d.isDefault,
  };
}

export const queueConfigSummary = (a: QueueAssociation, q: QueueRecord): RoutingProfileQueueConfigSummary => ({
  QueueId: q.id,
  QueueArn: q.arn,
  QueueName: q.name,
  Priority: a.priority,
  Delay: a.delay,
  Channel: a.channel,
});
