// The store interface. Operations depend on this file only, never on an implementation.
// Every key is scoped by (account, region). Every method that writes commits before it resolves.
import type { Scope } from "../common/arn.js";
import type { IdentityInfo, InstanceRecord, ProfileKind, ProfileRecord, UserRecord } from "./records.js";

/** Thrown by create methods when a unique key (e.g. a username within an instance) is taken. */
export class UniqueViolation extends Error {
  constructor(readonly what: string) {
    super(`unique constraint violated: ${what}`);
    this.name = "UniqueViolation";
  }
}

/** Thrown when the database cannot be reached or fails; surfaces as InternalServiceException (500). */
export class StoreUnavailable extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StoreUnavailable";
  }
}

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

export interface StoreHealth {
  ok: boolean;
  engine: "sqlite" | "postgres";
  detail?: string;
}

export interface Store {
  readonly instances: InstancesRepo;
  readonly users: UsersRepo;
  readonly profiles: ProfilesRepo;
  health(): Promise<StoreHealth>;
  close(): Promise<void>;
}
