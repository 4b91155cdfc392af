// Snapshots: the whole store as one stable JSON document (keys sorted, lists sorted by their
// keys, two-space indentation), so it diffs well in code review and an export → import into an
// empty store → export gives the same bytes, on SQLite and PostgreSQL and from one to the other.
// Holds every Connect resource (instances with their profiles, queues, hierarchy and users), the
// IAM principals with their keys and policies — secret keys only when asked (`secrets`) — and,
// when asked (`audit`), the audit trail, re-chained on import and checked against its hashes.
// Not included: the notification outbox and revert tokens (messages to people, one-time links).
import type { Scope } from "../common/arn.js";
import type { ProgressReporter } from "../common/progress.js";
import { storedHashRule } from "../store/audit-chain.js";
import type {
  AuditEventRecord,
  HierarchyGroupRecord,
  HierarchyLevelRecord,
  IamAccessKeyRecord,
  IamPolicyRecord,
  IamPrincipalRecord,
  InstanceRecord,
  ProfileRecord,
  QueueRecord,
  UserRecord,
} from "../store/records.js";
import type { Store } from "../store/store.js";

export const SNAPSHOT_FORMAT = "switchboard-snapshot";
export const SNAPSHOT_VERSION = 1;

export interface InstanceSnapshot {
  account: string;
  region: string;
  instance: InstanceRecord;
  profiles: ProfileRecord[];
  queues: QueueRecord[];
  hierarchyLevels: HierarchyLevelRecord[];
  hierarchyGroups: HierarchyGroupRecord[];
  users: UserRecord[];
}

export interface PrincipalSnapshot {
  principal: IamPrincipalRecord;
  /** without secretAccessKey and sessionToken unless exported with secrets */
  accessKeys: (Omit<IamAccessKeyRecord, "secretAccessKey"> & { secretAccessKey?: string })[];
  policies: IamPolicyRecord[];
}

export interface Snapshot {
  format: typeof SNAPSHOT_FORMAT;
  version: typeof SNAPSHOT_VERSION;
  /** whether the access keys' secrets are included (a snapshot without them cannot restore keys) */
  secrets: boolean;
  instances: InstanceSnapshot[];
  iam: PrincipalSnapshot[];
  /** the audit trail in chain order, when exported with it */
  audit?: AuditEventRecord[];
}

export interface ExportOptions {
  secrets?: boolean;
  audit?: boolean;
  /** told as instances, principals and audit events are read (the CLI draws it on a terminal) */
  onProgress?: ProgressReporter;
}

export interface ImportOptions {
  /** told as instances, principals and audit events are written */
  onProgress?: ProgressReporter;
}

const ALL = { limit: 1_000_000 };
const by =
  <T>(...keys: ((x: T) => string | number)[]) =>
  (a: T, b: T) => {
    for (const k of keys) {
      const x = k(a);
      const y = k(b);
      if (x < y) return -1;
      if (x > y) return 1;
    }
    return 0;
  };

/** Records as JSON holds them: no undefined members, profile tags always present. */
const plain = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

export async function exportSnapshot(store: Store, opts: ExportOptions = {}): Promise<Snapshot> {
  const instances: InstanceSnapshot[] = [];
  const progress = opts.onProgress;
  for (const scope of await store.instances.listScopes()) {
    for (const instance of await store.instances.list(scope, ALL)) {
      progress?.("instances read", instances.length);
      const profiles = [
        ...(await store.profiles.list(scope, instance.id, "security", ALL)),
        ...(await store.profiles.list(scope, instance.id, "routing", ALL)),
      ].map((p) => ({ ...p, tags: p.tags ?? {} }));
      instances.push({
        account: scope.account,
        region: scope.region,
        instance,
        profiles: profiles.sort(
          by(
            (p) => p.kind,
            (p) => p.id,
          ),
        ),
        queues: (await store.queues.list(scope, instance.id, ALL)).sort(by((q) => q.id)),
        hierarchyLevels: await store.hierarchy.levels(scope, instance.id),
        hierarchyGroups: (await store.hierarchy.listGroups(scope, instance.id, ALL)).sort(
          by(
            (g) => g.level,
            (g) => g.id,
          ),
        ),
        users: (await store.users.list(scope, instance.id, ALL)).sort(by((u) => u.id)),
      });
    }
  }
  instances.sort(
    by(
      (i) => i.account,
      (i) => i.region,
      (i) => i.instance.id,
    ),
  );
  progress?.("instances read", instances.length, instances.length);
  const iam: PrincipalSnapshot[] = [];
  const principals = await store.iam.listPrincipals();
  for (const principal of principals) {
    progress?.("IAM principals read", iam.length, principals.length);
    const keys = await store.iam.listAccessKeys(principal.account, principal.name);
    iam.push({
      principal,
      accessKeys: keys
        .map(({ secretAccessKey, sessionToken, ...k }) =>
          opts.secrets ? { ...k, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) } : k,
        )
        .sort(by((k) => k.accessKeyId)),
      policies: (await store.iam.listPolicies(principal.account, principal.name)).sort(by((p) => p.policyName)),
    });
  }
  progress?.("IAM principals read", iam.length, principals.length);
  iam.sort(
    by(
      (p) => p.principal.account,
      (p) => p.principal.name,
    ),
  );
  const snapshot: Snapshot = { format: SNAPSHOT_FORMAT, version: SNAPSHOT_VERSION, secrets: opts.secrets === true, instances, iam };
  if (opts.audit) {
    const events: AuditEventRecord[] = [];
    for (let after = 0; ; ) {
      const page = await store.audit.chain(after, 1000);
      events.push(...page);
      progress?.("audit events read", events.length);
      if (page.length < 1000) break;
      after = page[page.length - 1]?.seq ?? after;
    }
    snapshot.audit = events;
  }
  return plain(snapshot);
}

/** The value with its objects' keys sorted, at every level. */
function sortedDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortedDeep);
  if (v !== null && typeof v === "object") {
    return Object.fromEntries(
      Object.keys(v as object)
        .sort()
        .map((k) => [k, sortedDeep((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

/**
 * Keys sorted at every level but inside an audit event's record, which keeps its members' order
 * as stored (the event's hash covers the record as written: audit-chain.ts); two-space
 * indentation, a final newline: the same data, the same bytes.
 */
export function snapshotText(s: Snapshot): string {
  const doc = sortedDeep(s) as Record<string, unknown>;
  // Replacing members keeps their places: `audit` among the sorted keys, `record` in its event.
  if (s.audit) doc.audit = s.audit.map((e) => ({ ...(sortedDeep(e) as object), record: e.record }));
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** What is wrong with a document that should be a snapshot (empty: nothing). */
export class SnapshotError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SnapshotError";
  }
}

export function parseSnapshot(text: string): Snapshot {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new SnapshotError("the snapshot is not valid JSON");
  }
  const s = value as Partial<Snapshot>;
  if (s?.format !== SNAPSHOT_FORMAT) throw new SnapshotError(`not a Switchboard snapshot (format must be "${SNAPSHOT_FORMAT}")`);
  if (s.version !== SNAPSHOT_VERSION)
    throw new SnapshotError(`snapshot version ${String(s.version)} is not supported (this Switchboard reads ${SNAPSHOT_VERSION})`);
  if (!Array.isArray(s.instances) || !Array.isArray(s.iam)) throw new SnapshotError("a snapshot needs the instances and iam arrays");
  return s as Snapshot;
}

export interface ImportSummary {
  instances: number;
  users: number;
  principals: number;
  /** access keys left out: exported without their secrets */
  keysWithoutSecrets: number;
  auditEvents: number;
}

/**
 * Replaces the store's content with the snapshot's, in one transaction. The audit trail is
 * re-chained event by event; a hash that differs from the snapshot's means the snapshot's chain
 * was not intact, and nothing is imported.
 */
export async function importSnapshot(store: Store, s: Snapshot, opts: ImportOptions = {}): Promise<ImportSummary> {
  const summary: ImportSummary = { instances: 0, users: 0, principals: 0, keysWithoutSecrets: 0, auditEvents: 0 };
  const progress = opts.onProgress;
  const audit = s.audit ?? [];
  await store.atomically(async (tx) => {
    await tx.clear();
    for (const i of s.instances) {
      progress?.("instances written", summary.instances, s.instances.length);
      const scope: Scope = { account: i.account, region: i.region };
      const profiles = i.profiles;
      await tx.instances.create(scope, i.instance, profiles, i.queues);
      if (i.hierarchyLevels.length > 0) await tx.hierarchy.putLevels(scope, i.instance.id, i.hierarchyLevels);
      for (const g of [...i.hierarchyGroups].sort(by((x) => x.level))) await tx.hierarchy.createGroup(scope, g);
      for (const u of i.users) await tx.users.create(scope, u);
      summary.instances++;
      summary.users += i.users.length;
    }
    progress?.("instances written", summary.instances, s.instances.length);
    for (const p of s.iam) {
      progress?.("IAM principals written", summary.principals, s.iam.length);
      await tx.iam.putPrincipal(p.principal);
      for (const k of p.accessKeys) {
        if (typeof k.secretAccessKey !== "string" || k.secretAccessKey === "") {
          summary.keysWithoutSecrets++;
          continue;
        }
        await tx.iam.putAccessKey({ ...k, secretAccessKey: k.secretAccessKey });
      }
      for (const d of p.policies) await tx.iam.putPolicy(d);
      summary.principals++;
    }
    progress?.("IAM principals written", summary.principals, s.iam.length);
    for (const e of audit) {
      progress?.("audit events re-chained", summary.auditEvents, audit.length);
      const { seq, prevHash, hash, ...draft } = e;
      // Re-chained by the rule its hash was written with (events older than the current rule
      // keep theirs); a hash neither rule gives is an edited event.
      const rule = storedHashRule(e);
      const linked = rule === undefined ? undefined : await tx.audit.append(draft, rule);
      if (linked?.seq !== seq || linked.hash !== hash || linked.prevHash !== prevHash) {
        throw new SnapshotError(`the snapshot's audit chain is not intact at event ${seq} (${e.eventId}): nothing imported`);
      }
      summary.auditEvents++;
    }
    if (audit.length > 0) progress?.("audit events re-chained", audit.length, audit.length);
  });
  return summary;
}
