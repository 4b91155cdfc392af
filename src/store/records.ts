// Records as the store keeps them. No wire types here: operations map these to wire shapes.
// Times are epoch milliseconds.

export type IdentityManagementType = "SAML" | "CONNECT_MANAGED" | "EXISTING_DIRECTORY";
export type Tags = Record<string, string>;

export interface InstanceRecord {
  id: string;
  arn: string;
  identityManagementType: IdentityManagementType;
  alias?: string;
  directoryId?: string;
  createdTime: number;
  serviceRole: string;
  status: "CREATION_IN_PROGRESS" | "ACTIVE" | "CREATION_FAILED";
  inboundCallsEnabled: boolean;
  outboundCallsEnabled: boolean;
  accessUrl: string;
  tags: Tags;
}

export interface IdentityInfo {
  firstName?: string;
  lastName?: string;
  email?: string;
  secondaryEmail?: string;
  mobile?: string;
}

export interface PhoneConfig {
  phoneType: string;
  autoAccept: boolean;
  afterContactWorkTimeLimit: number;
  deskPhoneNumber?: string;
}

export interface UserRecord {
  id: string;
  arn: string;
  instanceId: string;
  username: string;
  identityInfo: IdentityInfo;
  phoneConfig: PhoneConfig;
  directoryUserId?: string;
  securityProfileIds: string[];
  routingProfileId: string;
  hierarchyGroupId?: string;
  tags: Tags;
  lastModifiedTime: number;
  lastModifiedRegion: string;
}

export type ProfileKind = "security" | "routing";

export interface ProfileRecord {
  id: string;
  arn: string;
  instanceId: string;
  kind: ProfileKind;
  name: string;
  /** kind-specific details (permissions, queues, concurrency…) */
  attributes: Record<string, unknown>;
  lastModifiedTime: number;
  lastModifiedRegion: string;
}
