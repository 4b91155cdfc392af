// The rules of a routing profile's channels and queues, shared by Create, UpdateConcurrency,
// Associate and Disassociate. Messages name members the AWS way (`mediaConcurrencies.1.member.concurrency`).
import { duplicateResource, invalidParameter, invalidRequest } from "../../common/errors.js";
import type { Channel, MediaConcurrency, RoutingProfileQueueConfig, RoutingProfileQueueReference } from "../../model/types.gen.js";
import type { InstanceRecord } from "../../store/records.js";
import type { OperationContext } from "../declare.js";
import { requireQueue } from "../queues/queue-record.js";
import type { QueueAssociation } from "./details.js";

function fail(kind: "parameter" | "request", problems: string[]): never {
  const n = problems.length;
  const text = `${n} validation error${n === 1 ? "" : "s"} detected: ${problems.join("; ")}`;
  throw kind === "parameter" ? invalidParameter(text) : invalidRequest(text);
}

/** Routing profile names are unique in an instance (CreateRoutingProfile and UpdateRoutingProfileName list DuplicateResourceException). */
export const duplicateName = (name: string, instanceId: string) =>
  duplicateResource(`A routing profile named ${name} already exists in the Amazon Connect instance ${instanceId}.`);

// https://docs.aws.amazon.com/connect/latest/APIReference/API_MediaConcurrency.html: "Valid Range for VOICE: Minimum
// value of 1. Maximum value of 1." CHAT and TASK 1..10 as the shape's range; EMAIL has no range
// of its own on that page, so the shape's 1..10 holds for it.
const MAX_CONCURRENCY: Readonly<Partial<Record<Channel, number>>> = { VOICE: 1 };

/**
 * MediaConcurrencies of CreateRoutingProfile and UpdateRoutingProfileConcurrency: at least one
 * channel, each channel once, VOICE at 1. (The model sets no length; a profile without channels
 * routes nothing, and refusing it is the conservative reading.)
 */
export function checkMediaConcurrencies(list: readonly MediaConcurrency[]): void {
  if (list.length === 0) {
    fail("parameter", [
      "Value '[]' at 'mediaConcurrencies' failed to satisfy constraint: Member must have length greater than or equal to 1",
    ]);
  }
  const problems: string[] = [];
  const seen = new Set<Channel>();
  list.forEach((m, i) => {
    const at = `mediaConcurrencies.${i + 1}.member`;
    if (seen.has(m.Channel)) {
      problems.push(
        `Value '${m.Channel}' at '${at}.channel' failed to satisfy constraint: Member must name a channel not named before in the list`,
      );
    }
    seen.add(m.Channel);
    const max = MAX_CONCURRENCY[m.Channel];
    if (max !== undefined && m.Concurrency > max) {
      problems.push(
        `Value '${m.Concurrency}' at '${at}.concurrency' failed to satisfy constraint: Member must have value less than or equal to ${max} for channel ${m.Channel}`,
      );
    }
  });
  if (problems.length > 0) fail("parameter", problems);
}

// "the quota of 50 queues per routing profile per instance" (CreateRoutingProfile's QueueConfigs,
// https://docs.aws.amazon.com/connect/latest/APIReference/API_CreateRoutingProfile.html; the default of
// https://docs.aws.amazon.com/connect/latest/adminguide/amazon-connect-service-limits.html).
export const MAX_QUEUES_PER_ROUTING_PROFILE = 50;

const pairKey = (queueId: string, channel: Channel) => `${queueId}\u0000${channel}`;

/**
 * Resolves QueueConfigs (Create, Associate) to associations by queue id: every queue exists in
 * the instance (id or ARN), no queue and channel pair twice in the request, none already in
 * `current`, every channel one the profile handles, and at most 50 queues in the end.
 */
export async function resolveQueueConfigs(
  ctx: OperationContext,
  instance: InstanceRecord,
  configs: readonly RoutingProfileQueueConfig[],
  handled: readonly MediaConcurrency[],
  current: readonly QueueAssociation[],
): Promise<QueueAssociation[]> {
  const resolved: QueueAssociation[] = [];
  for (const c of configs) {
    const queue = await requireQueue(ctx, instance, c.QueueReference.QueueId);
    resolved.push({ queueId: queue.id, channel: c.QueueReference.Channel, priority: c.Priority, delay: c.Delay });
  }
  const duplicates: string[] = [];
  const seen = new Set<string>();
  resolved.forEach((a, i) => {
    const key = pairKey(a.queueId, a.channel);
    if (seen.has(key)) {
      duplicates.push(
        `Value at 'queueConfigs.${i + 1}.member.queueReference' failed to satisfy constraint: Member must name a queue and channel pair not named before in the list`,
      );
    }
    seen.add(key);
  });
  if (duplicates.length > 0) fail("parameter", duplicates);

  // What depends on the profile's state: InvalidRequestException (README, "Which 400").
  const problems: string[] = [];
  const channels = new Set(handled.map((m) => m.Channel));
  const existing = new Set(current.map((a) => pairKey(a.queueId, a.channel)));
  resolved.forEach((a, i) => {
    const at = `queueConfigs.${i + 1}.member.queueReference`;
    // The admin website offers a queue only the profile's channels; the API pages say nothing,
    // so the stricter reading holds (README, "Fidelity notes").
    if (!channels.has(a.channel)) {
      problems.push(
        `Value '${a.channel}' at '${at}.channel' failed to satisfy constraint: the routing profile does not handle the channel ${a.channel} (add it to its MediaConcurrencies first)`,
      );
    }
    if (existing.has(pairKey(a.queueId, a.channel))) {
      problems.push(
        `Value at '${at}' failed to satisfy constraint: queue ${a.queueId} is already associated with the routing profile on channel ${a.channel}`,
      );
    }
  });
  if (problems.length > 0) fail("request", problems);
  const queues = new Set([...current, ...resolved].map((a) => a.queueId)).size;
  if (queues > MAX_QUEUES_PER_ROUTING_PROFILE) {
    throw invalidRequest(
      `A routing profile can have at most ${MAX_QUEUES_PER_ROUTING_PROFILE} queues; this request would give it ${queues}.`,
    );
  }
  return resolved;
}

// https://docs.aws.amazon.com/connect/latest/APIReference/API_DisassociateRoutingProfileQueues.html: "Up to 10 queue
// references can be disassociated in a single API call." (The model in this repository sets no
// length; the page's limit is kept, and so is the model's silence about an empty list: refused.)
export const MAX_QUEUE_REFERENCES = 10;

/**
 * The associations QueueReferences names (Disassociate): 1..10 references, no pair twice, each
 * one associated now. `idOf` reads a queue id from an id or an ARN of this instance (undefined:
 * it names no queue here). Returns the keys (associationKey) of the associations named.
 */
export function matchQueueReferences(
  refs: readonly RoutingProfileQueueReference[],
  current: readonly QueueAssociation[],
  idOf: (label: string) => string | undefined,
): Set<string> {
  if (refs.length === 0 || refs.length > MAX_QUEUE_REFERENCES) {
    const bound = refs.length === 0 ? "greater than or equal to 1" : `less than or equal to ${MAX_QUEUE_REFERENCES}`;
    fail("parameter", [`Value at 'queueReferences' failed to satisfy constraint: Member must have length ${bound}`]);
  }
  const keys = new Set<string>();
  const duplicates: string[] = [];
  const missing: string[] = [];
  const existing = new Set(current.map((a) => pairKey(a.queueId, a.channel)));
  refs.forEach((r, i) => {
    const at = `queueReferences.${i + 1}.member`;
    const id = idOf(r.QueueId);
    const key = id === undefined ? undefined : pairKey(id, r.Channel);
    if (key !== undefined && keys.has(key)) {
      duplicates.push(
        `Value at '${at}' failed to satisfy constraint: Member must name a queue and channel pair not named before in the list`,
      );
    }
    if (key === undefined || !existing.has(key)) {
      missing.push(
        `Value at '${at}' failed to satisfy constraint: queue ${r.QueueId} is not associated with the routing profile on channel ${r.Channel}`,
      );
    }
    if (key !== undefined) keys.add(key);
  });
  if (duplicates.length > 0) fail("parameter", duplicates);
  if (missing.length > 0) fail("request", missing);
  return keys;
}

export const associationKey = (a: QueueAssociation) => pairKey(a.queueId, a.channel);
