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
  /**
   * Instance attributes (DescribeInstanceAttribute): attribute type → value as the API writes it
   * ("true"/"false" …). Absent types have their default (operations/instances/attributes.ts).
   */
  attributes?: Record<string, string>;
  /** CreateInstance's idempotency token, when the call carried one */
  clientToken?: string;
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

/** What ListUsers returns of a user (UserSummary): read without the rest of the record. */
export type UserSummaryRecord = Pick<UserRecord, "id" | "arn" | "username" | "lastModifiedTime" | "lastModifiedRegion">;

export type ProfileKind = "security" | "routing";

export interface ProfileRecord {
  id: string;
  arn: string;
  instanceId: string;
  kind: ProfileKind;
  name: string;
  /** kind-specific details (permissions, queues, concurrency…), owned by the operations' family */
  attributes: Record<string, unknown>;
  /** absent on profiles written before tags were kept: no tags */
  tags?: Tags;
  lastModifiedTime: number;
  lastModifiedRegion: string;
}

export interface QueueRecord {
  id: string;
  arn: string;
  instanceId: string;
  name: string;
  /** details as the family defines them (description, status, type, hours of operation …) */
  attributes: Record<string, unknown>;
  tags: Tags;
  lastModifiedTime: number;
  lastModifiedRegion: string;
}

/** One level of an instance's user hierarchy (1 = LevelOne … 5 = LevelFive). */
export interface HierarchyLevelRecord {
  level: number;
  id: string;
  arn: string;
  name: string;
  lastModifiedTime: number;
  lastModifiedRegion: string;
}

export interface HierarchyGroupRecord {
  id: string;
  arn: string;
  instanceId: string;
  name: string;
  /** its level, 1..5 (a level-one group has no parent) */
  level: number;
  parentId?: string;
  tags: Tags;
  lastModifiedTime: number;
  lastModifiedRegion: string;
}

/** One audit event: a CloudTrail record plus the columns it is searched by. */
export interface AuditEventDraft {
  eventId: string;
  /** epoch ms */
  eventTime: number;
  account: string;
  region: string;
  eventName: string;
  principalArn?: string;
  /** the Connect user the call was about, when any (for filtering) */
  targetUserId?: string;
  errorCode?: string;
  /** the CloudTrail record (JSON-serializable; sensitive values already masked) */
  record: Record<string, unknown>;
}

export interface AuditEventRecord extends AuditEventDraft {
  /** position in the hash chain, from 1 */
  seq: number;
  /** hex SHA-256 of the previous event (64 zeros for the first) */
  prevHash: string;
  /** hex SHA-256 of prevHash and this event's fields, its record as stored (audit-chain.ts) */
  hash: string;
}

export interface IamPrincipalRecord {
  account: string;
  name: string;
  arn: string;
  tags: Tags;
  createdTime: number;
}

export interface IamAccessKeyRecord {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  account: string;
  principalName: string;
  status: "Active" | "Inactive";
  createdTime: number;
}

export interface IamPolicyRecord {
  account: string;
  principalName: string;
  policyName: string;
  /** the policy JSON as written */
  document: string;
}

export interface OutboxMessageRecord {
  id: string;
  createdTime: number;
  account: string;
  region: string;
  /** e.g. "email-changed" */
  kind: string;
  recipient: string;
  subject: string;
  body: string;
  status: "pending" | "sent" | "failed";
  attempts: number;
  nextAttemptTime: number;
  lastError?: string;
  sentTime?: number;
}

export interface RevertTokenRecord {
  /** hex SHA-256 of the token; the token itself is only in the message */
  tokenHash: string;
  account: string;
  region: string;
  instanceId: string;
  userId: string;
  /** the identity info to restore */
  previous: IdentityInfo;
  createdTime: number;
  expiresTime: number;
  usedTime?: number;
}
