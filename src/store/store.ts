// The store interface. Operations depend on this file only, never on an implementation.
// Every key is scoped by (account, region). Every method that writes commits before it resolves.
import type { Scope } from "../common/arn.js";
import type { ChainRule } from "./audit-chain.js";
import type {
  AuditEventDraft,
  AuditEventRecord,
  HierarchyGroupRecord,
  HierarchyLevelRecord,
  IamAccessKeyRecord,
  IamPolicyRecord,
  IamPrincipalRecord,
  IdentityInfo,
  IdentityManagementType,
  InstanceRecord,
  OutboxMessageRecord,
  ProfileKind,
  ProfileRecord,
  QueueRecord,
  RevertTokenRecord,
  Tags,
  UserRecord,
  UserSummaryRecord,
} from "./records.js";

/** Thrown by create methods when a unique key (e.g. a username within an instance) is taken. */
export class UniqueViolation extends Error {
  constructor(readonly what: string) {
    super(`unique constraint violated: ${what}`);
    this.name = "UniqueViolation";
  }
}

// Thrown when the database cannot be reached or fails; defined with the other errors so every
// layer can recognise it without importing the store.
export { StoreUnavailable } from "../common/errors.js";

/** What lockForUpdate reads: the identity and what names the user (a hot path: no JSON to parse). */
export type LockedUser = Pick<UserRecord, "id" | "instanceId" | "username" | "identityInfo" | "lastModifiedTime">;

export interface ListRequest {
  /** key of the last row of the previous page (exclusive) */
  after?: string;
  /** rows to return; implementations fetch limit+1 so the caller can tell whether more exist */
  limit: number;
}

export interface InstancesRepo {
  /**
   * Creates the instance together with its default profiles and queues, atomically. Throws
   * UniqueViolation when the alias (or the client token) is taken in the scope.
   */
  create(scope: Scope, instance: InstanceRecord, defaults: ProfileRecord[], queues?: QueueRecord[]): Promise<void>;
  get(scope: Scope, instanceId: string): Promise<InstanceRecord | undefined>;
  /**
   * Reads the instance and holds it for the rest of the transaction against deletion
   * (PostgreSQL: FOR KEY SHARE). Taken first by whatever locks rows inside the instance (an
   * assignment's share locks), so a concurrent DeleteInstance — whose cascade locks those rows
   * in its own order — waits for the whole transaction instead of deadlocking with it.
   */
  lockKeys(scope: Scope, instanceId: string): Promise<InstanceRecord | undefined>;
  /** The instance a CreateInstance with this client token made, if any. */
  getByClientToken(scope: Scope, clientToken: string): Promise<InstanceRecord | undefined>;
  /** Replaces the instance's attributes and tags (the other members are fixed at creation). False when it does not exist. */
  update(scope: Scope, instanceId: string, patch: Partial<Pick<InstanceRecord, "attributes" | "tags">>): Promise<boolean>;
  count(scope: Scope): Promise<number>;
  /** ordered by id; returns up to limit+1 rows */
  list(scope: Scope, page: ListRequest): Promise<InstanceRecord[]>;
  /** The (account, region) scopes holding at least one instance, ordered by account, region. */
  listScopes(account?: string): Promise<Scope[]>;
  /** Deletes the instance and everything in it. False when it did not exist. */
  delete(scope: Scope, instanceId: string): Promise<boolean>;
}

export interface UsersRepo {
  /** Throws UniqueViolation when the username (case-insensitively) exists in the instance. */
  create(scope: Scope, user: UserRecord): Promise<void>;
  get(scope: Scope, instanceId: string, userId: string): Promise<UserRecord | undefined>;
  count(scope: Scope, instanceId: string): Promise<number>;
  /** ordered by username; returns up to limit+1 rows; `after` is a username */
  list(scope: Scope, instanceId: string, page: ListRequest): Promise<UserRecord[]>;
  /** as list, only the summary's members: what ListUsers pages through (a directory of 100k in ~100 pages) */
  listSummaries(scope: Scope, instanceId: string, page: ListRequest): Promise<UserSummaryRecord[]>;
  delete(scope: Scope, instanceId: string, userId: string): Promise<boolean>;
  /**
   * Reads the user after locking its row for the rest of the transaction (PostgreSQL: a row
   * lock; SQLite: the write lock), so what was read is what the next write replaces.
   */
  lockForUpdate(scope: Scope, instanceId: string, userId: string): Promise<LockedUser | undefined>;
  /**
   * Replaces the identity info in one statement, so concurrent writers never mix fields.
   * lastModifiedTime never moves backwards. False when the user does not exist.
   */
  updateIdentityInfo(scope: Scope, instanceId: string, userId: string, info: IdentityInfo, modifiedTime: number): Promise<boolean>;
  /**
   * Replaces the given members in one statement (hierarchyGroupId null: detached from the
   * hierarchy). lastModifiedTime never moves backwards. False when the user does not exist.
   */
  update(scope: Scope, instanceId: string, userId: string, patch: UserPatch, modifiedTime: number): Promise<boolean>;
  /**
   * Optional (PostgreSQL): UpdateUserIdentityInfo's whole change in one statement — checks the
   * instance and its type, locks and reads the user, replaces the identity and records the audit
   * event with the changed members computed from the old values — or, when it cannot be done so,
   * nothing at all (the outcome says why). Outside any transaction: it commits by itself.
   */
  updateIdentityInfoAtOnce?(scope: Scope, change: IdentityChangeAtOnce): Promise<IdentityChangeOutcome>;
  /** How many users of the instance reference the profile or group (for ResourceInUseException). */
  countReferencing(scope: Scope, instanceId: string, ref: UserReference): Promise<number>;
  /** Ids of the users that reference it, ordered by username (SearchUsers, the access report). */
  listReferencing(scope: Scope, instanceId: string, ref: UserReference): Promise<string[]>;
}

/** What UsersRepo.updateIdentityInfoAtOnce is asked to do. */
export interface IdentityChangeAtOnce {
  instanceId: string;
  userId: string;
  /** the identity as requested; on an EXISTING_DIRECTORY instance its names and e-mail are kept as stored instead */
  info: IdentityInfo;
  /** the instance types whose rules the request passes; another type: "refused", nothing written */
  allowedTypes: readonly IdentityManagementType[];
  /** members whose change must be reported to a subscriber: when one changes, "ordinary", nothing written */
  watched: readonly (keyof IdentityInfo)[];
  modifiedTime: number;
  /**
   * The call's audit event but for record.additionalEventData, which the store adds as
   * identityChanges (audit/identity-changes.ts) would from the old and new values: the record's
   * last member, as JSON.stringify writes it.
   */
  event: AuditEventDraft;
}

export type IdentityChangeOutcome =
  | { kind: "updated"; type: IdentityManagementType; before: IdentityInfo }
  | { kind: "no-instance" }
  | { kind: "refused"; type: IdentityManagementType }
  | { kind: "no-user" }
  /** a watched member would change (or the engine cannot compute the event): the ordinary path must run */
  | { kind: "ordinary" };

export interface UserPatch {
  phoneConfig?: UserRecord["phoneConfig"];
  routingProfileId?: string;
  securityProfileIds?: string[];
  /** null: no hierarchy group */
  hierarchyGroupId?: string | null;
  tags?: Tags;
}

export type UserReference = { securityProfileId: string } | { routingProfileId: string } | { hierarchyGroupId: string };

/**
 * Row locks for the rest of the transaction (PostgreSQL: FOR SHARE / FOR UPDATE; SQLite: none
 * needed, a write transaction holds the database's single write lock). "share": whoever assigns
 * the row to a user (it cannot be deleted until the assignment commits); "update": whoever deletes
 * it (assignments wait, and its "who uses this" count then sees every committed one).
 */
export type LockMode = "share" | "update";

export interface ProfilesRepo {
  get(scope: Scope, instanceId: string, kind: ProfileKind, id: string): Promise<ProfileRecord | undefined>;
  /** Reads the profile after locking its row (see LockMode); undefined when it does not exist. */
  lock(scope: Scope, instanceId: string, kind: ProfileKind, id: string, mode: LockMode): Promise<ProfileRecord | undefined>;
  /** ordered by name; returns up to limit+1 rows; `after` is a name */
  list(scope: Scope, instanceId: string, kind: ProfileKind, page: ListRequest): Promise<ProfileRecord[]>;
  count(scope: Scope, instanceId: string, kind: ProfileKind): Promise<number>;
  /** Throws UniqueViolation when the name is taken among the instance's profiles of that kind. */
  create(scope: Scope, profile: ProfileRecord): Promise<void>;
  /** Replaces the given members; throws UniqueViolation on a taken name. False when it does not exist. */
  update(
    scope: Scope,
    instanceId: string,
    kind: ProfileKind,
    id: string,
    patch: Partial<Pick<ProfileRecord, "name" | "attributes" | "tags">>,
    modifiedTime: number,
  ): Promise<boolean>;
  delete(scope: Scope, instanceId: string, kind: ProfileKind, id: string): Promise<boolean>;
}

export interface QueuesRepo {
  get(scope: Scope, instanceId: string, id: string): Promise<QueueRecord | undefined>;
  /** ordered by name; returns up to limit+1 rows; `after` is a name */
  list(scope: Scope, instanceId: string, page: ListRequest): Promise<QueueRecord[]>;
  /** Throws UniqueViolation when the name is taken in the instance. */
  create(scope: Scope, queue: QueueRecord): Promise<void>;
  update(
    scope: Scope,
    instanceId: string,
    id: string,
    patch: Partial<Pick<QueueRecord, "name" | "attributes" | "tags">>,
    modifiedTime: number,
  ): Promise<boolean>;
}

export interface HierarchyRepo {
  /** The instance's levels, ordered 1..5 (none for a new instance). */
  levels(scope: Scope, instanceId: string): Promise<HierarchyLevelRecord[]>;
  /** Replaces the levels as a whole (levels not given are removed). */
  putLevels(scope: Scope, instanceId: string, levels: HierarchyLevelRecord[]): Promise<void>;
  getGroup(scope: Scope, instanceId: string, id: string): Promise<HierarchyGroupRecord | undefined>;
  /** Reads the group after locking its row (see LockMode); undefined when it does not exist. */
  lockGroup(scope: Scope, instanceId: string, id: string, mode: LockMode): Promise<HierarchyGroupRecord | undefined>;
  /** ordered by name, then id; returns up to limit+1 rows; `after` is the last row's `name\u0000id` */
  listGroups(scope: Scope, instanceId: string, page: ListRequest): Promise<HierarchyGroupRecord[]>;
  /** Throws UniqueViolation when a sibling (same parent, or level one) has the name. */
  createGroup(scope: Scope, group: HierarchyGroupRecord): Promise<void>;
  /** Throws UniqueViolation when a sibling has the name. False when it does not exist. */
  renameGroup(scope: Scope, instanceId: string, id: string, name: string, modifiedTime: number): Promise<boolean>;
  setGroupTags(scope: Scope, instanceId: string, id: string, tags: Tags): Promise<boolean>;
  deleteGroup(scope: Scope, instanceId: string, id: string): Promise<boolean>;
  countGroups(scope: Scope, instanceId: string): Promise<number>;
  /** groups directly below this one */
  countChildren(scope: Scope, instanceId: string, id: string): Promise<number>;
  countAtLevel(scope: Scope, instanceId: string, level: number): Promise<number>;
  /** ids of every group below this one, at any depth */
  descendants(scope: Scope, instanceId: string, id: string): Promise<string[]>;
}

/**
 * The tags of any taggable resource, by ARN (instance, agent, security-profile,
 * routing-profile, queue, agent-group): TagResource, UntagResource, ListTagsForResource and
 * aws:ResourceTag all read this one place. The tags are those each Describe* returns.
 */
export interface TagsRepo {
  /** undefined: no such resource in the scope */
  get(scope: Scope, resourceArn: string): Promise<Tags | undefined>;
  /** Replaces the resource's tags; false when no such resource exists in the scope. */
  put(scope: Scope, resourceArn: string, tags: Tags): Promise<boolean>;
}

export interface AuditFilter {
  /** epoch ms, inclusive */
  since?: number;
  /** epoch ms, exclusive */
  until?: number;
  eventName?: string;
  principalArn?: string;
  targetUserId?: string;
  account?: string;
  region?: string;
  /** events with seq greater than this (keyset paging, oldest first) … */
  afterSeq?: number;
  /** … or, for newest-first listings, seq less than this */
  beforeSeq?: number;
  order: "asc" | "desc";
  limit: number;
}

export interface AuditRepo {
  /**
   * Appends to the hash chain now. Inside atomically(), the event commits with the change it
   * describes — or neither does. rule "original": hashed by the chain's original rule (a
   * snapshot's event written before the current rule, re-chained as it was; audit-chain.ts).
   */
  append(event: AuditEventDraft, rule?: ChainRule): Promise<AuditEventRecord>;
  /**
   * Records an event in the caller's transaction (so it commits with its change, or neither
   * does). SQLite links it into the chain at once (append). PostgreSQL queues it and links it
   * after commit, in batches (linkPending): concurrent writers — of every node — then never wait
   * on the chain's head across a commit. Readers (list, chain, head) link what is queued first.
   */
  record(event: AuditEventDraft): Promise<void>;
  /** Links queued events into the chain in (eventTime, eventId) order; returns how many. */
  linkPending(limit?: number): Promise<number>;
  list(filter: AuditFilter): Promise<AuditEventRecord[]>;
  /** The chain in seq order from afterSeq (exclusive), for verification. */
  chain(afterSeq: number, limit: number): Promise<AuditEventRecord[]>;
  /** The head: the last appended seq and hash (so removing the newest events is noticed too). */
  head(): Promise<{ seq: number; hash: string }>;
}

export interface IamRepo {
  putPrincipal(p: IamPrincipalRecord): Promise<void>;
  getPrincipal(account: string, name: string): Promise<IamPrincipalRecord | undefined>;
  listPrincipals(account?: string): Promise<IamPrincipalRecord[]>;
  /** Deletes the principal with its keys and policies. */
  deletePrincipal(account: string, name: string): Promise<boolean>;
  putAccessKey(k: IamAccessKeyRecord): Promise<void>;
  getAccessKey(accessKeyId: string): Promise<IamAccessKeyRecord | undefined>;
  listAccessKeys(account: string, principalName: string): Promise<IamAccessKeyRecord[]>;
  deleteAccessKey(accessKeyId: string): Promise<boolean>;
  putPolicy(p: IamPolicyRecord): Promise<void>;
  listPolicies(account: string, principalName: string): Promise<IamPolicyRecord[]>;
  deletePolicy(account: string, principalName: string, policyName: string): Promise<boolean>;
  /** bumped by every IAM write, so running servers know to reload their cache */
  revision(): Promise<number>;
}

export interface OutboxRepo {
  enqueue(m: OutboxMessageRecord): Promise<void>;
  /**
   * Claims up to `limit` due pending messages for `leaseMs` (so two nodes never send the same
   * message at once) and returns them.
   */
  claimDue(now: number, leaseMs: number, limit: number): Promise<OutboxMessageRecord[]>;
  markSent(id: string, now: number): Promise<void>;
  /** records a failed attempt; status becomes "failed" when gaveUp */
  markAttemptFailed(id: string, error: string, nextAttemptTime: number, gaveUp: boolean): Promise<void>;
  list(status?: OutboxMessageRecord["status"]): Promise<OutboxMessageRecord[]>;
  putRevertToken(t: RevertTokenRecord): Promise<void>;
  getRevertToken(tokenHash: string): Promise<RevertTokenRecord | undefined>;
  /**
   * Marks the token used and forgets the identity it would restore (`previous` becomes {}: the
   * caller has read it); false when it was already used (single use, race-free).
   */
  useRevertToken(tokenHash: string, now: number): Promise<boolean>;
  /** Forgets the identities kept by a user's revert tokens (all of an instance's without userId); returns how many. */
  forgetRevertTokens(scope: Scope, instanceId: string, userId?: string): Promise<number>;
  /** Forgets the identities kept by tokens expired at `now` (the sweep); returns how many. */
  purgeExpiredRevertTokens(now: number): Promise<number>;
}

export interface StoreHealth {
  ok: boolean;
  engine: "sqlite" | "postgres";
  detail?: string;
}

export interface Store {
  readonly instances: InstancesRepo;
  readonly users: UsersRepo;
  readonly profiles: ProfilesRepo;
  readonly queues: QueuesRepo;
  readonly hierarchy: HierarchyRepo;
  readonly tags: TagsRepo;
  readonly audit: AuditRepo;
  readonly iam: IamRepo;
  readonly outbox: OutboxRepo;
  /**
   * Runs fn with a Store whose every read and write belongs to one transaction: committed when
   * fn resolves, rolled back when it throws. Nested calls join the outer transaction.
   */
  atomically<T>(fn: (tx: Store) => Promise<T>): Promise<T>;
  /**
   * Deletes every row of every table but the schema's own (reset, snapshot import): the store is
   * then as a fresh one, the audit chain empty; the IAM revision moves on (caches reload).
   */
  clear(): Promise<void>;
  health(): Promise<StoreHealth>;
  close(): Promise<void>;
}
