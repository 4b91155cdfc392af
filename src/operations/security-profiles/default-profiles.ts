// The permissions of the four security profiles every instance starts with. AWS describes them
// (https://docs.aws.amazon.com/connect/latest/adminguide/default-security-profiles.html) without
// listing their permissions: Admin "perform all actions", Agent "access the CCP",
// CallCenterManager "user management, metrics, and routing", QualityAnalyst "metrics". Each list
// below is that description in the names of
// https://docs.aws.amazon.com/connect/latest/adminguide/security-profile-list.html; the choices
// where the description leaves room are in README's "Fidelity notes".
import { CONTACT_CONTROL_PANEL, DOCUMENTED_PERMISSIONS, METRICS, ROUTING, USERS_AND_PERMISSIONS } from "./permission-names.js";

export const DEFAULT_SECURITY_PROFILE_NAMES = ["Admin", "Agent", "CallCenterManager", "QualityAnalyst"] as const;
export type DefaultSecurityProfileName = (typeof DEFAULT_SECURITY_PROFILE_NAMES)[number];

const pick = (from: readonly string[], prefixes: readonly string[]) =>
  from.filter((p) => prefixes.some((prefix) => p === prefix || p.startsWith(`${prefix}.`)));

export const DEFAULT_PERMISSIONS: Readonly<Record<DefaultSecurityProfileName, readonly string[]>> = {
  // "All actions": every current permission the list documents (legacy names excluded).
  Admin: DOCUMENTED_PERMISSIONS,
  // The CCP, and outbound calls from it (the two permissions AWS's CCP section starts with).
  Agent: CONTACT_CONTROL_PANEL.filter((p) => p === "BasicAgentAccess" || p === "OutboundCallAccess"),
  // Users, hierarchy and agent statuses — but not Users.EditPermission, which the list warns to
  // limit (it assigns security profiles, Admin included); routing resources; metrics and the
  // monitoring a manager does. No BasicAgentAccess: the list tells managers to add the Agent
  // profile for the CCP.
  CallCenterManager: [
    ...pick(USERS_AND_PERMISSIONS, ["AgentGrouping", "AgentStates"]),
    ...["Users.Create", "Users.Delete", "Users.Edit", "Users.View"],
    ...pick(ROUTING, ["RoutingPolicies", "TransferDestinations", "HoursOfOperation", "Queues"]),
    ...METRICS,
    "ContactSearch.View",
    "AgentTimeCard.View",
    "ManagerListenIn",
    ...["MetricsReports.View", "MetricsReports.Create", "MetricsReports.Share", "MetricsReports.Edit", "MetricsReports.Delete"],
  ],
  // Metrics: the metrics pages, contact search and saved reports, read-only.
  QualityAnalyst: [...METRICS, "ContactSearch.View", "MetricsReports.View"],
};

/** AWS's descriptions of the defaults (default-security-profiles.html), as their Description. */
export const DEFAULT_DESCRIPTIONS: Readonly<Record<DefaultSecurityProfileName, string>> = {
  Admin: "Grants administrators permission to perform all actions.",
  Agent: "Grants agents permission to access the CCP.",
  CallCenterManager: "Grants managers permission to perform actions related to user management, metrics, and routing.",
  QualityAnalyst: "Grants analysts permission to perform actions related to metrics.",
};

export const isDefaultSecurityProfile = (name: string): name is DefaultSecurityProfileName =>
  (DEFAULT_SECURITY_PROFILE_NAMES as readonly string[]).includes(name);
