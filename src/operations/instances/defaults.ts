// What a new instance contains (https://docs.aws.amazon.com/connect/latest/adminguide/connect-security-profiles.html,
// https://docs.aws.amazon.com/connect/latest/adminguide/concepts-routing.html): the four default security profiles and the
// routing profile `Basic Routing Profile` whose default outbound queue is `BasicQueue`.
// The security profiles' permissions and descriptions: security-profiles/default-profiles.ts.
import { randomUUID } from "node:crypto";
import { queueArn, routingProfileArn, type Scope, securityProfileArn } from "../../common/arn.js";
import type { ProfileRecord, QueueRecord } from "../../store/records.js";
import { defaultAssociations, detailsToAttributes, type RoutingDetails } from "../routing-profiles/details.js";
import { DEFAULT_DESCRIPTIONS, DEFAULT_PERMISSIONS, DEFAULT_SECURITY_PROFILE_NAMES } from "../security-profiles/default-profiles.js";
import { type SecurityProfileAttributes, sortedPermissions } from "../security-profiles/record.js";

export const DEFAULT_SECURITY_PROFILES = DEFAULT_SECURITY_PROFILE_NAMES;
export const DEFAULT_ROUTING_PROFILE = "Basic Routing Profile";
export const DEFAULT_QUEUE = "BasicQueue";

export function defaultProfiles(scope: Scope, instanceId: string, now: number): ProfileRecord[] {
  const base = { instanceId, lastModifiedTime: now, lastModifiedRegion: scope.region };
  const security = DEFAULT_SECURITY_PROFILES.map((name): ProfileRecord => {
    const id = randomUUID();
    const attributes: SecurityProfileAttributes = {
      description: DEFAULT_DESCRIPTIONS[name],
      permissions: sortedPermissions(DEFAULT_PERMISSIONS[name]),
    };
    return { ...base, id, kind: "security", name, arn: securityProfileArn(scope, instanceId, id), attributes: { ...attributes }, tags: {} };
  });
  const routingId = randomUUID();
  const queueId = randomUUID();
  const details: RoutingDetails = {
    isDefault: true,
    // concepts-routing.html: the basic profile handles 2 concurrent chats.
    mediaConcurrencies: [
      { Channel: "VOICE", Concurrency: 1 },
      { Channel: "CHAT", Concurrency: 2 },
      { Channel: "TASK", Concurrency: 1 },
    ],
    // BasicQueue (defaultQueues below makes its row from this)
    defaultOutboundQueue: { id: queueId, arn: queueArn(scope, instanceId, queueId) },
    // ...and routes from it on each of its channels. AWS documents the association, not its
    // priority or delay: Switchboard gives it the highest priority (1) and no delay.
    queueConfigs: defaultAssociations(queueId),
  };
  const routing: ProfileRecord = {
    ...base,
    id: routingId,
    kind: "routing",
    name: DEFAULT_ROUTING_PROFILE,
    arn: routingProfileArn(scope, instanceId, routingId),
    attributes: detailsToAttributes(details),
  };
  return [...security, routing];
}

/**
 * The queues the routing profiles name as their default outbound queue (the BasicQueue), as the
 * schema v3 upgrade writes them for instances created before queues were kept. BasicQueue is
 * STANDARD and ENABLED
 * (https://docs.aws.amazon.com/connect/latest/adminguide/concepts-queues-standard-and-agent.html); it reports no
 * description, hours of operation, caller id or contact limit: AWS's values for them are
 * undocumented, and Switchboard has no hours of operation or phone numbers an id could name.
 */
export function defaultQueues(profiles: readonly ProfileRecord[]): QueueRecord[] {
  return profiles.flatMap((p): QueueRecord[] => {
    const queue = p.kind === "routing" ? (p.attributes.defaultOutboundQueue as { id: string; arn: string } | undefined) : undefined;
    if (!queue) return [];
    return [
      {
        id: queue.id,
        arn: queue.arn,
        instanceId: p.instanceId,
        name: DEFAULT_QUEUE,
        attributes: { description: "", status: "ENABLED", type: "STANDARD" },
        tags: {},
        lastModifiedTime: p.lastModifiedTime,
        lastModifiedRegion: p.lastModifiedRegion,
      },
    ];
  });
}
