// ListSecurityProfiles — GET /security-profiles-summary/{InstanceId}
// ListRoutingProfiles  — GET /routing-profiles-summary/{InstanceId}
// Same listing over two kinds; ordered by name, default page 100.
import { decodePageToken, toPage } from "../../common/pagination.js";
import type { ProfileKind, ProfileRecord } from "../../store/records.js";
import { epochSeconds, requireInstance } from "../resolve.js";
import { defineOperation, type Handler } from "../types.js";

interface Input {
  InstanceId: string;
  NextToken?: string;
  MaxResults?: number;
}

const summary = (p: ProfileRecord) => ({
  Id: p.id,
  Arn: p.arn,
  Name: p.name,
  LastModifiedTime: epochSeconds(p.lastModifiedTime),
  LastModifiedRegion: p.lastModifiedRegion,
});

function listProfiles(kind: ProfileKind, operation: string, listMember: string): Handler {
  return defineOperation<Input>(async (input, ctx) => {
    const instance = await requireInstance(ctx, input.InstanceId);
    const context = `${operation}/${instance.id}`;
    const after = input.NextToken === undefined ? undefined : decodePageToken(context, input.NextToken);
    const limit = input.MaxResults ?? 100;
    const rows = await ctx.store.profiles.list(ctx.scope, instance.id, kind, { after, limit });
    const page = toPage(rows, limit, context, (p) => p.name);
    return { [listMember]: page.items.map(summary), NextToken: page.nextToken };
  });
}

export const listSecurityProfiles = listProfiles("security", "ListSecurityProfiles", "SecurityProfileSummaryList");
export const listRoutingProfiles = listProfiles("routing", "ListRoutingProfiles", "RoutingProfileSummaryList");
