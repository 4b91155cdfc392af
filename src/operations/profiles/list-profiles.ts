// ListSecurityProfiles — GET /security-profiles-summary/{InstanceId}
// ListRoutingProfiles  — GET /routing-profiles-summary/{InstanceId}
// Same listing over two kinds; ordered by name, default page 100.
import type { ProfileKind, ProfileRecord } from "../../store/records.js";
import type { OperationContext } from "../declare.js";
import { operation } from "../declare.js";
import { onInstance } from "../iam-targets.js";
import { page as listPage } from "../paging.js";
import { requireInstance, timestamp } from "../resolve.js";

interface ListInput {
  InstanceId: string;
  NextToken?: string | undefined;
  MaxResults?: number | undefined;
}

const summary = (p: ProfileRecord) => ({
  Id: p.id,
  Arn: p.arn,
  Name: p.name,
  LastModifiedTime: timestamp(p.lastModifiedTime),
  LastModifiedRegion: p.lastModifiedRegion,
});

async function page(kind: ProfileKind, operationName: string, input: ListInput, ctx: OperationContext) {
  const instance = await requireInstance(ctx, input.InstanceId);
  const p = await listPage(
    `${operationName}/${instance.id}`,
    input,
    100,
    (r) => ctx.store.profiles.list(ctx.scope, instance.id, kind, r),
    (r) => r.name,
  );
  return { items: p.items.map(summary), NextToken: p.NextToken };
}

export const listSecurityProfiles = operation("ListSecurityProfiles", {
  iam: onInstance(),
  mutates: false,
  async handle(input, ctx) {
    const { items, NextToken } = await page("security", "ListSecurityProfiles", input, ctx);
    return { SecurityProfileSummaryList: items, NextToken };
  },
});

export const listRoutingProfiles = operation("ListRoutingProfiles", {
  iam: onInstance(),
  mutates: false,
  async handle(input, ctx) {
    const { items, NextToken } = await page("routing", "ListRoutingProfiles", input, ctx);
    return { RoutingProfileSummaryList: items, NextToken };
  },
});
