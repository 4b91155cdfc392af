// What a routing profile holds beyond its name, as this family keeps it in
// ProfileRecord.attributes (kind "routing"), and the one reader of that form.
import type { AgentAvailabilityTimer, Channel, MediaConcurrency } from "../../model/types.gen.js";
import type { ProfileRecord } from "../../store/records.js";

/** One (queue, channel) association: RoutingProfileQueueConfig with the queue by id. */
export interface QueueAssociation {
  queueId: string;
  channel: Channel;
  priority: number;
  delay: number;
}

export interface RoutingDetails {
  description?: string;
  /** the instance's own profile (instances/defaults.ts); never deleted */
  isDefault: boolean;
  /** as the caller gave them, in their order (MediaConcurrency is stored in the model's form) */
  mediaConcurrencies: MediaConcurrency[];
  /** the queue's id and ARN (the form the store's v3 upgrade reads to make BasicQueue rows) */
  defaultOutboundQueue: { id: string; arn: string };
  /** ordered by the time they were associated */
  queueConfigs: QueueAssociation[];
  agentAvailabilityTimer?: AgentAvailabilityTimer;
}

/**
 * The default profile's associations with BasicQueue (instances/defaults.ts). A default profile
 * written before queues were kept has no queueConfigs: the store's v3 upgrade gives it its
 * BasicQueue row, and routingDetails these associations.
 */
export const DEFAULT_CHANNELS: readonly Channel[] = ["VOICE", "CHAT", "TASK"];
export const defaultAssociations = (queueId: string): QueueAssociation[] =>
  DEFAULT_CHANNELS.map((channel) => ({ queueId, channel, priority: 1, delay: 0 }));

export function routingDetails(p: ProfileRecord): RoutingDetails {
  const a = p.attributes as Partial<RoutingDetails>;
  const isDefault = a.isDefault === true;
  const defaultOutboundQueue = { id: a.defaultOutboundQueue?.id ?? "", arn: a.defaultOutboundQueue?.arn ?? "" };
  const details: RoutingDetails = {
    isDefault,
    mediaConcurrencies: Array.isArray(a.mediaConcurrencies) ? a.mediaConcurrencies : [],
    defaultOutboundQueue,
    queueConfigs: Array.isArray(a.queueConfigs) ? a.queueConfigs : isDefault ? defaultAssociations(defaultOutboundQueue.id) : [],
  };
  if (typeof a.description === "string" && a.description !== "") details.description = a.description;
  if (a.agentAvailabilityTimer !== undefined) details.agentAvailabilityTimer = a.agentAvailabilityTimer;
  return details;
}

/** The attributes to store for these details (undefined members left out). */
export function detailsToAttributes(d: RoutingDetails): Record<string, unknown> {
  return Object.fromEntries(Object.entries(d).filter(([, v]) => v !== undefined));
}

/** How many distinct queues the profile routes from (RoutingProfile.NumberOfAssociatedQueues). */
export const associatedQueueCount = (d: RoutingDetails): number => new Set(d.queueConfigs.map((c) => c.queueId)).size;
