// Records and helpers the contract's cases build on, shared by every *.contract.test.ts. Each case
// makes ids of its own (a random account, fresh UUIDs), so cases never see each other's rows.
import assert from "node:assert/strict";
import { randomBytes, randomUUID } from "node:crypto";
import {
  hierarchyGroupArn,
  instanceArn,
  queueArn,
  routingProfileArn,
  type Scope,
  securityProfileArn,
  userArn,
} from "../../src/common/arn.js";
import { chainHash, GENESIS_HASH } from "../../src/store/audit-chain.js";
import type {
  AuditEventDraft,
  AuditEventRecord,
  HierarchyGroupRecord,
  HierarchyLevelRecord,
  IamAccessKeyRecord,
  IamPrincipalRecord,
  IdentityInfo,
  InstanceRecord,
  OutboxMessageRecord,
  ProfileKind,
  ProfileRecord,
  QueueRecord,
  RevertTokenRecord,
  UserRecord,
} from "../../src/store/records.js";
import type { Store } from "../../src/store/store.js";

export const T0 = 1_700_000_000_000;
const REGION = "us-west-2";

/** A scope of its own: a random 12-digit account. */
export const newScope = (region = REGION): Scope => ({
  account: String(100_000_000_000 + Math.floor(Math.random() * 899_999_999_999)),
  region,
});
export const newId = () => randomUUID();

export function instanceRecord(s: Scope, id: string, alias?: string): InstanceRecord {
  const rec: InstanceRecord = {
    id,
    arn: instanceArn(s, id),
    identityManagementType: "CONNECT_MANAGED",
    createdTime: T0,
    serviceRole: `arn:aws:iam::${s.account}:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect_x`,
    status: "ACTIVE",
    inboundCallsEnabled: true,
    outboundCallsEnabled: false,
    accessUrl: `https://${alias ?? id}.my.connect.aws`,
    tags: { team: "contract" },
  };
  if (alias !== undefined) rec.alias = alias;
  return rec;
}

export function profileRecord(s: Scope, instanceId: string, kind: ProfileKind, name: string): ProfileRecord {
  const id = newId();
  return {
    id,
    arn: kind === "security" ? securityProfileArn(s, instanceId, id) : routingProfileArn(s, instanceId, id),
    instanceId,
    kind,
    name,
    attributes: kind === "security" ? { permissions: ["BasicAgentAccess"] } : { concurrency: [{ channel: "VOICE", concurrency: 1 }] },
    lastModifiedTime: T0,
    lastModifiedRegion: s.region,
  };
}

export const SECURITY_NAMES = ["QualityAnalyst", "Admin", "agent", "CallCenterManager", "Agent"];

export function defaultProfiles(s: Scope, instanceId: string): ProfileRecord[] {
  return [
    ...SECURITY_NAMES.map((n) => profileRecord(s, instanceId, "security", n)),
    profileRecord(s, instanceId, "routing", "Basic Routing Profile"),
  ];
}

export function userRecord(s: Scope, instanceId: string, username: string, identityInfo: IdentityInfo = {}): UserRecord {
  const id = newId();
  return {
    id,
    arn: userArn(s, instanceId, id),
    instanceId,
    username,
    identityInfo,
    phoneConfig: { phoneType: "SOFT_PHONE", autoAccept: false, afterContactWorkTimeLimit: 0 },
    securityProfileIds: [newId()],
    routingProfileId: newId(),
    tags: {},
    lastModifiedTime: T0,
    lastModifiedRegion: s.region,
  };
}

export function queueRecord(s: Scope, instanceId: string, name: string): QueueRecord {
  const id = newId();
  return {
    id,
    arn: queueArn(s, instanceId, id),
    instanceId,
    name,
    attributes: { description: "", status: "ENABLED", type: "STANDARD" },
    tags: {},
    lastModifiedTime: T0,
    lastModifiedRegion: s.region,
  };
}

/** A hierarchy group: level one without a parent, else one level below it. */
export function groupRecord(s: Scope, instanceId: string, name: string, parent?: HierarchyGroupRecord): HierarchyGroupRecord {
  const id = newId();
  const group: HierarchyGroupRecord = {
    id,
    arn: hierarchyGroupArn(s, instanceId, id),
    instanceId,
    name,
    level: parent ? parent.level + 1 : 1,
    tags: {},
    lastModifiedTime: T0,
    lastModifiedRegion: s.region,
  };
  if (parent) group.parentId = parent.id;
  return group;
}

/** Levels 1..names.length, named as given. */
export function levelRecords(s: Scope, instanceId: string, names: string[]): HierarchyLevelRecord[] {
  return names.map((name, i) => {
    const id = newId();
    return {
      level: i + 1,
      id,
      arn: `${instanceArn(s, instanceId)}/agent-group-level/${id}`,
      name,
      lastModifiedTime: T0,
      lastModifiedRegion: s.region,
    };
  });
}

/** The same ids under another region, and under another account: scopes that must see nothing. */
export const otherScopes = (s: Scope): Scope[] => [
  { account: s.account, region: "eu-central-1" },
  { account: newScope().account, region: s.region },
];

/** A fresh scope holding one instance (with its default profiles). */
export async function withInstance(store: Store): Promise<{ s: Scope; instanceId: string; profiles: ProfileRecord[] }> {
  const s = newScope();
  const instanceId = newId();
  const profiles = defaultProfiles(s, instanceId);
  await store.instances.create(s, instanceRecord(s, instanceId), profiles);
  return { s, instanceId, profiles };
}

/** JSON round trip: records compare without keys whose value is undefined. */
export const plain = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
export const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));

/** Walks every page of a limit+1 keyset listing. */
export async function allPages<T>(limit: number, list: (after: string | undefined) => Promise<T[]>, key: (row: T) => string): Promise<T[]> {
  const out: T[] = [];
  let after: string | undefined;
  for (;;) {
    const rows = await list(after);
    assert.ok(rows.length <= limit + 1, `a page returns at most limit+1 rows, got ${rows.length}`);
    const page = rows.slice(0, limit);
    out.push(...page);
    if (rows.length <= limit) return out;
    const last = page[page.length - 1];
    assert.ok(last);
    after = key(last);
  }
}

// Usernames whose UTF-8 byte order (SQLite BINARY, PostgreSQL COLLATE "C") differs from both a
// case-insensitive/locale order and JavaScript's UTF-16 order (the emoji vs the fullwidth letter).
export const USERNAMES = ["Zed", "alice", "Émile", "bob", "😀grin", "Ａlpha", "_under", "Bob2"];
export const USERNAMES_BYTE_ORDER = ["Bob2", "Zed", "_under", "alice", "bob", "Émile", "Ａlpha", "😀grin"];

// ---- fixtures: audit, IAM, outbox ---------------------------------------------------------------

/** An audit event; callers give it an account (or event name) of its own so cases stay apart. */
export function auditDraft(fields: Partial<AuditEventDraft> & Pick<AuditEventDraft, "account">): AuditEventDraft {
  return {
    eventId: newId(),
    eventTime: T0,
    region: REGION,
    eventName: "CreateUser",
    record: {
      eventVersion: "1.08",
      eventSource: "connect.amazonaws.com",
      requestParameters: { username: "Émile 😀", list: [1, "two", null, true, { b: 2, a: 1 }] },
    },
    ...fields,
  };
}

export const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Asserts that events continue the chain whose head is `from`: seqs contiguous, each linked and hashed. */
export function assertChain(events: readonly AuditEventRecord[], from: { seq: number; hash: string }): void {
  let prev = from;
  for (const e of events) {
    assert.equal(e.seq, prev.seq + 1, `seq ${e.seq} follows ${prev.seq}`);
    assert.equal(e.prevHash, prev.hash, `event ${e.seq} links to the previous hash`);
    assert.equal(e.hash, chainHash(e.prevHash, e), `event ${e.seq}'s hash is chainHash(prevHash, event)`);
    prev = e;
  }
}

/** The whole chain of a store, checked from genesis. */
export async function wholeChain(store: Store): Promise<AuditEventRecord[]> {
  const chain = await store.audit.chain(0, 10_000);
  assertChain(chain, { seq: 0, hash: GENESIS_HASH });
  return chain;
}

export const bySeq = (a: { seq: number }, b: { seq: number }) => a.seq - b.seq;

export function iamPrincipal(account: string, name: string, tags: Record<string, string> = {}): IamPrincipalRecord {
  return { account, name, arn: `arn:aws:iam::${account}:user/${name}`, tags, createdTime: T0 };
}

export function accessKey(p: IamPrincipalRecord, sessionToken?: string): IamAccessKeyRecord {
  const k: IamAccessKeyRecord = {
    accessKeyId: `AKIA${randomBytes(8).toString("hex").toUpperCase()}`,
    secretAccessKey: randomBytes(20).toString("base64"),
    account: p.account,
    principalName: p.name,
    status: "Active",
    createdTime: T0 + 1,
  };
  if (sessionToken !== undefined) k.sessionToken = sessionToken;
  return k;
}

export function outboxMessage(fields: Partial<OutboxMessageRecord> = {}): OutboxMessageRecord {
  const s = newScope();
  return {
    id: newId(),
    createdTime: T0,
    account: s.account,
    region: s.region,
    kind: "email-changed",
    recipient: "old@example.com",
    subject: "Your email address was changed",
    body: "If this was not you, follow the link to undo it: https://…/revert?token=…",
    status: "pending",
    attempts: 0,
    nextAttemptTime: T0,
    ...fields,
  };
}

export function revertToken(s: Scope, instanceId: string, userId: string): RevertTokenRecord {
  return {
    tokenHash: randomBytes(32).toString("hex"),
    account: s.account,
    region: s.region,
    instanceId,
    userId,
    previous: { firstName: "Old", email: "old@example.com" },
    createdTime: T0,
    expiresTime: T0 + 7 * 86_400_000,
  };
}

/** Settles a promise into its value or its rejection reason. */
export const outcome = <T>(p: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> =>
  p.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
