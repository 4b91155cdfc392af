// The store interface. Operations depend on this file only, never on an implementation.
// Every key is scoped by (account, region). Every method that writes commits before it resolves.
import type { Scope } from "../common/arn.js";
import type {
  AuditEventDraft,
  AuditEventRecord,
  IamAccessKeyRecord,
  IamPolicyRecord,
  IamPrincipalRecord,
  IdentityInfo,
  InstanceRecord,
  OutboxMessageRecord,
  ProfileKind,
  ProfileRecord,
  RevertTokenRecord,
  UserRecord,
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
  /** Creates the instance together with its default profiles, atomically. */
  create(scope: Scope, instance: InstanceRecord, defaults: ProfileRecord[]): Promise<void>;
  get(scope: Scope, instanceId: string): Promise<InstanceRecord | undefined>;
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
}

export interface ProfilesRepo {
  get(scope: Scope, instanceId: string, kind: ProfileKind, id: string): Promise<ProfileRecord | undefined>;
  /** ordered by name; returns up to limit+1 rows; `after` is a name */
  list(scope: Scope, instanceId: string, kind: ProfileKind, page: ListRequest): Promise<ProfileRecord[]>;
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
   * describes — or neither does.
   */
  append(event: AuditEventDraft): Promise<AuditEventRecord>;
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
  /** Marks the token used; false when it was already used (single use, race-free). */
  useRevertToken(tokenHash: string, now: number): Promise<boolean>;
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
  readonly audit: AuditRepo;
  readonly iam: IamRepo;
  readonly outbox: OutboxRepo;
  /**
   * Runs fn with a Store whose every read and write belongs to one transaction: committed when
   * fn resolves, rolled back when it throws. Nested calls join the outer transaction.
   */
  atomically<T>(fn: (tx: Store) => Promise<T>): Promise<T>;
  health(): Promise<StoreHealth>;
  close(): Promise<void>;
}
