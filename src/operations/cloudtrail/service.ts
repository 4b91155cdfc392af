// CloudTrail's API on Switchboard's port, over Switchboard's own audit trail: LookupEvents only
// (awsJson1.1, SigV4 signing name `cloudtrail`; the protocol is protocol/awsjson/). CloudTrail's
// model is not in this repository, so its types are written here from its API reference
// (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html) and
// LookupEvents checks its own input.
import { declarer, type ServedOperation, served } from "../declare.js";
import { noResource } from "../iam-targets.js";
import { type LookupResult, lookupEvents, parseLookupEvents } from "./lookup-events.js";

/** LookupEvents' request as JSON carries it (checked by parseLookupEvents). */
export interface LookupEventsRequest {
  LookupAttributes?: { AttributeKey: string; AttributeValue: string }[];
  StartTime?: number;
  EndTime?: number;
  EventCategory?: string;
  MaxResults?: number;
  NextToken?: string;
}

interface Inputs {
  LookupEvents: LookupEventsRequest;
}
interface Outputs {
  LookupEvents: LookupResult;
}

const cloudTrailOperation = declarer<Inputs, Outputs>();

export const lookupEventsOperation = cloudTrailOperation("LookupEvents", {
  // CloudTrail's read actions have no resource-level permissions: resource "*".
  iam: noResource(),
  mutates: false,
  validate: (input, scope) => void parseLookupEvents(input, scope),
  handle: async (input, ctx) => lookupEvents(ctx.store, ctx.scope, parseLookupEvents(input, ctx.scope)),
});

export const CLOUDTRAIL_OPERATIONS: Readonly<Record<string, ServedOperation>> = {
  LookupEvents: served(lookupEventsOperation, "cloudtrail"),
};

/** LookupEvents' members as the audit record shows them (lowerCamel; none is sensitive; others dropped). */
const MEMBERS = ["LookupAttributes", "StartTime", "EndTime", "EventCategory", "MaxResults", "NextToken"] as const;

export function cloudTrailRequestParameters(_operation: string, input: unknown): Record<string, unknown> | null {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return null;
  const body = input as Record<string, unknown>;
  const lower = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(lower);
    if (typeof v !== "object" || v === null) return v;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k.charAt(0).toLowerCase() + k.slice(1), lower(x)]));
  };
  const out: Record<string, unknown> = {};
  for (const m of MEMBERS) if (body[m] !== undefined) out[m.charAt(0).toLowerCase() + m.slice(1)] = lower(body[m]);
  return out;
}
