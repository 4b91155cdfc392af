// What a security profile keeps in ProfileRecord.attributes (the family owns that bag), and the
// profile as the model's SecurityProfile. Profiles written before this family existed have empty
// attributes: a default profile then reads as its documented permissions, any other as none.
import type { Application, SecurityProfile } from "../../model/types.gen.js";
import type { ProfileRecord, Tags } from "../../store/records.js";
import { timestamp } from "../resolve.js";
import { DEFAULT_DESCRIPTIONS, DEFAULT_PERMISSIONS, isDefaultSecurityProfile } from "./default-profiles.js";

export interface SecurityProfileAttributes {
  description?: string;
  /** sorted, without repeats (ListSecurityProfilePermissions pages through it by name) */
  permissions: string[];
  allowedAccessControlTags?: Tags;
  tagRestrictedResources?: string[];
  applications?: Application[];
  hierarchyRestrictedResources?: string[];
  allowedAccessControlHierarchyGroupId?: string;
}

/** The members of a request that set attributes (Create and Update share them). */
export type AttributeMembers = Pick<
  SecurityProfile,
  | "Description"
  | "AllowedAccessControlTags"
  | "TagRestrictedResources"
  | "HierarchyRestrictedResources"
  | "AllowedAccessControlHierarchyGroupId"
> & { Permissions?: string[] | undefined; Applications?: Application[] | undefined };

export const sortedPermissions = (names: readonly string[]): string[] => [...new Set(names)].sort();

export function attributesOf(p: ProfileRecord): SecurityProfileAttributes {
  const a = p.attributes as Partial<SecurityProfileAttributes>;
  if (a.permissions !== undefined) return a as SecurityProfileAttributes;
  if (!isDefaultSecurityProfile(p.name)) return { ...a, permissions: [] };
  return { description: DEFAULT_DESCRIPTIONS[p.name], ...a, permissions: sortedPermissions(DEFAULT_PERMISSIONS[p.name]) };
}

/**
 * The attributes after a request: members it carries replace the stored ones (an empty list or
 * map clears), members it omits keep their value. `hierarchyGroupId` is the resolved id of
 * AllowedAccessControlHierarchyGroupId (the request may name it by ARN).
 */
export function applyMembers(
  current: SecurityProfileAttributes,
  m: AttributeMembers,
  hierarchyGroupId: string | undefined,
): SecurityProfileAttributes {
  const next: SecurityProfileAttributes = { ...current };
  if (m.Description !== undefined) next.description = m.Description;
  if (m.Permissions !== undefined) next.permissions = sortedPermissions(m.Permissions);
  if (m.AllowedAccessControlTags !== undefined) next.allowedAccessControlTags = { ...m.AllowedAccessControlTags };
  if (m.TagRestrictedResources !== undefined) next.tagRestrictedResources = [...new Set(m.TagRestrictedResources)];
  if (m.Applications !== undefined) next.applications = m.Applications;
  if (m.HierarchyRestrictedResources !== undefined) next.hierarchyRestrictedResources = [...new Set(m.HierarchyRestrictedResources)];
  if (hierarchyGroupId !== undefined) next.allowedAccessControlHierarchyGroupId = hierarchyGroupId;
  return next;
}

export function securityProfileToWire(p: ProfileRecord): SecurityProfile {
  const a = attributesOf(p);
  return {
    Id: p.id,
    // The model's OrganizationResourceId targets InstanceId.
    OrganizationResourceId: p.instanceId,
    Arn: p.arn,
    SecurityProfileName: p.name,
    Description: a.description,
    Tags: p.tags ?? {},
    AllowedAccessControlTags: a.allowedAccessControlTags,
    TagRestrictedResources: a.tagRestrictedResources,
    LastModifiedTime: timestamp(p.lastModifiedTime),
    LastModifiedRegion: p.lastModifiedRegion,
    HierarchyRestrictedResources: a.hierarchyRestrictedResources,
    AllowedAccessControlHierarchyGroupId: a.allowedAccessControlHierarchyGroupId,
  };
}
