// An instance's profile and hierarchy-group names by id (read once per page through the list operations).
import {
  ListRoutingProfilesCommand,
  ListSecurityProfilesCommand,
  ListUserHierarchyGroupsCommand,
  type RoutingProfileSummary,
  type SecurityProfileSummary,
} from "@aws-sdk/client-connect";
import { connect } from "../api.js";

export interface Names {
  security: SecurityProfileSummary[];
  routing: RoutingProfileSummary[];
  hierarchy: { Id?: string; Name?: string }[];
  name(id: string | undefined): string;
}

export async function readNames(instanceId: string): Promise<Names> {
  const c = connect();
  const [security, routing, hierarchy] = await Promise.all([
    c.send(new ListSecurityProfilesCommand({ InstanceId: instanceId, MaxResults: 1000 })).then((r) => r.SecurityProfileSummaryList ?? []),
    c.send(new ListRoutingProfilesCommand({ InstanceId: instanceId, MaxResults: 1000 })).then((r) => r.RoutingProfileSummaryList ?? []),
    c
      .send(new ListUserHierarchyGroupsCommand({ InstanceId: instanceId, MaxResults: 1000 }))
      .then((r) => r.UserHierarchyGroupSummaryList ?? [])
      .catch(() => []),
  ]);
  const byId = new Map([...security, ...routing, ...hierarchy].map((p) => [p.Id ?? "", p.Name ?? ""]));
  return { security, routing, hierarchy, name: (id) => (id ? (byId.get(id) ?? id) : "") };
}
