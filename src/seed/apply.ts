// Applies a checked seed to a store in one transaction. Idempotent: a resource that exists
// (an instance by id or alias, a profile or queue by name, a group by its path, a user by
// username, a principal identical to its declaration) is left as it is, so applying a seed
// twice writes nothing the second time. Ids not given are derived from the names (the same on
// every run and every machine), so tests can hard-code them.
import { createHash } from "node:crypto";
import { type DeclaredPrincipal, importIamFile } from "../authz/iam-file.js";
import { iamUserArn } from "../authz/principal-directory.js";
import { hierarchyGroupArn, instanceArn, queueArn, routingProfileArn, type Scope, securityProfileArn, userArn } from "../common/arn.js";
import { levelArn } from "../operations/hierarchy/levels.js";
import { DEFAULT_QUEUE, DEFAULT_ROUTING_PROFILE, defaultProfiles, defaultQueues } from "../operations/instances/defaults.js";
import { detailsToAttributes, type QueueAssociation, type RoutingDetails } from "../operations/routing-profiles/details.js";
import { sortedPermissions } from "../operations/security-profiles/record.js";
import type { InstanceRecord, ProfileKind, ProfileRecord, Tags } from "../store/records.js";
import type { Store } from "../store/store.js";
import { DEFAULT_REGION, groupPaths, seedProblems } from "./check.js";
import { type LoadedSeed, loadSeed, type SeedDocument, SeedError, type SeedInstance, type SeedSource } from "./document.js";

export interface SeedSummary {
  file: string;
  /** what this application created (all zero the second time) */
  created: Record<"instances" | "securityProfiles" | "queues" | "routingProfiles" | "hierarchyGroups" | "users" | "principals", number>;
}

/** A stable UUID for a resource the seed names but gives no id (SHA-256 of its names, version-5 layout). */
export function derivedId(...parts: string[]): string {
  const h = createHash("sha256")
    .update(`switchboard-seed\u0000${parts.join("\u0000")}`)
    .digest("hex");
  const variant = ((Number.parseInt(h[16] as string, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const PAGE = { limit: 100_000 };
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The default profiles and BasicQueue of a new seeded instance, with derived ids. */
function seededDefaults(scope: Scope, instanceId: string, now: number) {
  let text = JSON.stringify(defaultProfiles(scope, instanceId, now));
  const profiles = JSON.parse(text) as ProfileRecord[];
  for (const p of profiles) {
    const id = derivedId(instanceId, p.kind, p.name);
    text = text.replaceAll(p.id, id);
    const queue = p.attributes.defaultOutboundQueue as { id: string } | undefined;
    if (queue) text = text.replaceAll(queue.id, derivedId(instanceId, "queue", DEFAULT_QUEUE));
  }
  const renamed = JSON.parse(text) as ProfileRecord[];
  return { profiles: renamed, queues: defaultQueues(renamed) };
}

async function applyInstance(
  tx: Store,
  file: string,
  doc: SeedDocument,
  i: number,
  inst: SeedInstance,
  account: string,
  now: number,
  s: SeedSummary,
) {
  const scope: Scope = { account, region: inst.region ?? doc.region ?? DEFAULT_REGION };
  const existing = (await tx.instances.list(scope, PAGE)).find(
    (x) => (inst.id !== undefined && x.id === inst.id) || x.alias?.toLowerCase() === inst.alias.toLowerCase(),
  );
  if (existing && inst.id !== undefined && existing.id !== inst.id) {
    throw new SeedError([`${file}: instances[${i}].alias: '${inst.alias}' is already the alias of instance ${existing.id}`]);
  }
  const id = existing?.id ?? inst.id ?? derivedId(account, scope.region, "instance", inst.alias.toLowerCase());
  if (!existing) {
    const record: InstanceRecord = {
      id,
      arn: instanceArn(scope, id),
      identityManagementType: inst.identityManagementType ?? "CONNECT_MANAGED",
      alias: inst.alias,
      createdTime: now,
      serviceRole: `arn:aws:iam::${account}:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect_${id.replace(/-/g, "").slice(0, 20).toUpperCase()}`,
      status: "ACTIVE",
      inboundCallsEnabled: inst.inboundCallsEnabled ?? true,
      outboundCallsEnabled: inst.outboundCallsEnabled ?? true,
      accessUrl: `https://${inst.alias}.my.connect.aws/`,
      tags: inst.tags ?? {},
    };
    const defaults = seededDefaults(scope, id, now);
    await tx.instances.create(scope, record, defaults.profiles, defaults.queues);
    s.created.instances++;
  }
  const base = { instanceId: id, lastModifiedTime: now, lastModifiedRegion: scope.region };
  const profileIds = async (kind: ProfileKind) =>
    new Map((await tx.profiles.list(scope, id, kind, PAGE)).map((p) => [p.name, p.id] as [string, string]));

  const security = await profileIds("security");
  for (const sp of inst.securityProfiles ?? []) {
    if (security.has(sp.name)) continue;
    const pid = sp.id ?? derivedId(id, "security", sp.name);
    const attributes = { ...(sp.description ? { description: sp.description } : {}), permissions: sortedPermissions(sp.permissions ?? []) };
    await tx.profiles.create(scope, {
      ...base,
      id: pid,
      kind: "security",
      name: sp.name,
      arn: securityProfileArn(scope, id, pid),
      attributes,
      tags: sp.tags ?? {},
    });
    security.set(sp.name, pid);
    s.created.securityProfiles++;
  }

  const queues = new Map((await tx.queues.list(scope, id, PAGE)).map((q) => [q.name, q.id] as [string, string]));
  for (const q of inst.queues ?? []) {
    if (queues.has(q.name)) continue;
    const qid = q.id ?? derivedId(id, "queue", q.name);
    const attributes = {
      ...(q.description ? { description: q.description } : {}),
      status: q.status ?? "ENABLED",
      type: "STANDARD",
      ...(q.maxContacts !== undefined ? { maxContacts: q.maxContacts } : {}),
    };
    await tx.queues.create(scope, { ...base, id: qid, name: q.name, arn: queueArn(scope, id, qid), attributes, tags: q.tags ?? {} });
    queues.set(q.name, qid);
    s.created.queues++;
  }

  const routing = await profileIds("routing");
  for (const rp of inst.routingProfiles ?? []) {
    if (routing.has(rp.name)) continue;
    const pid = rp.id ?? derivedId(id, "routing", rp.name);
    const concurrencies = (rp.mediaConcurrencies ?? [{ channel: "VOICE", concurrency: 1 }]).map((m) => ({
      Channel: m.channel,
      Concurrency: m.concurrency,
    }));
    const outbound = queues.get(rp.defaultOutboundQueue ?? DEFAULT_QUEUE) as string;
    const queueConfigs: QueueAssociation[] = (rp.queues ?? []).flatMap((name) =>
      concurrencies.map((c) => ({ queueId: queues.get(name) as string, channel: c.Channel, priority: 1, delay: 0 })),
    );
    const details: RoutingDetails = {
      isDefault: false,
      mediaConcurrencies: concurrencies,
      defaultOutboundQueue: { id: outbound, arn: queueArn(scope, id, outbound) },
      queueConfigs,
      ...(rp.description ? { description: rp.description } : {}),
    };
    await tx.profiles.create(scope, {
      ...base,
      id: pid,
      kind: "routing",
      name: rp.name,
      arn: routingProfileArn(scope, id, pid),
      attributes: detailsToAttributes(details),
      tags: rp.tags ?? {},
    });
    routing.set(rp.name, pid);
    s.created.routingProfiles++;
  }

  const levels = inst.hierarchy?.levels ?? [];
  if (levels.length > 0 && (await tx.hierarchy.levels(scope, id)).length === 0) {
    await tx.hierarchy.putLevels(
      scope,
      id,
      levels.map((name, n) => ({
        level: n + 1,
        id: derivedId(id, "level", String(n + 1)),
        arn: levelArn(scope, id, n + 1),
        name,
        ...base,
      })),
    );
  }
  const existingGroups = await tx.hierarchy.listGroups(scope, id, PAGE);
  const groupIds = new Map<string, string>();
  // Paths of the stored groups (names from level one), to match the declared ones.
  const byId = new Map(existingGroups.map((g) => [g.id, g]));
  const pathOf = (gid: string): string => {
    const g = byId.get(gid);
    if (!g) return "";
    return g.parentId ? `${pathOf(g.parentId)}/${g.name}` : g.name;
  };
  for (const g of existingGroups) groupIds.set(pathOf(g.id), g.id);
  for (const { path, depth, group } of groupPaths(inst.hierarchy?.groups)) {
    if (groupIds.has(path)) continue;
    const parentPath = path.slice(0, Math.max(0, path.length - group.name.length - 1));
    const gid = group.id ?? derivedId(id, "group", path);
    await tx.hierarchy.createGroup(scope, {
      ...base,
      id: gid,
      arn: hierarchyGroupArn(scope, id, gid),
      name: group.name,
      level: depth,
      ...(depth > 1 ? { parentId: groupIds.get(parentPath) as string } : {}),
      tags: group.tags ?? {},
    });
    groupIds.set(path, gid);
    s.created.hierarchyGroups++;
  }

  const usernames = new Set((await tx.users.list(scope, id, PAGE)).map((u) => u.username.toLowerCase()));
  for (const u of inst.users ?? []) {
    if (usernames.has(u.username.toLowerCase())) continue;
    const uid = u.id ?? derivedId(id, "user", u.username.toLowerCase());
    const identityInfo = Object.fromEntries(
      (["firstName", "lastName", "email", "secondaryEmail", "mobile"] as const).filter((k) => u[k] !== undefined).map((k) => [k, u[k]]),
    );
    await tx.users.create(scope, {
      id: uid,
      arn: userArn(scope, id, uid),
      instanceId: id,
      username: u.username,
      identityInfo,
      phoneConfig: {
        phoneType: u.phoneType ?? "SOFT_PHONE",
        autoAccept: u.autoAccept ?? false,
        afterContactWorkTimeLimit: u.afterContactWorkTimeLimit ?? 0,
        ...(u.deskPhoneNumber ? { deskPhoneNumber: u.deskPhoneNumber } : {}),
      },
      securityProfileIds: [...new Set((u.securityProfiles ?? ["Agent"]).map((n) => security.get(n) as string))],
      routingProfileId: routing.get(u.routingProfile ?? DEFAULT_ROUTING_PROFILE) as string,
      ...(u.hierarchyGroup ? { hierarchyGroupId: groupIds.get(u.hierarchyGroup) as string } : {}),
      tags: u.tags ?? {},
      lastModifiedTime: now,
      lastModifiedRegion: scope.region,
    });
    usernames.add(u.username.toLowerCase());
    s.created.users++;
  }
}

/** The principals that differ from (or are missing in) the store. */
async function changedPrincipals(tx: Store, declared: readonly DeclaredPrincipal[]): Promise<DeclaredPrincipal[]> {
  const out: DeclaredPrincipal[] = [];
  for (const p of declared) {
    const stored = await tx.iam.getPrincipal(p.account, p.name);
    const keys = (await tx.iam.listAccessKeys(p.account, p.name))
      .map((k) => [k.accessKeyId, k.secretAccessKey, k.sessionToken ?? null])
      .sort();
    const policies = (await tx.iam.listPolicies(p.account, p.name)).map((d) => [d.policyName, d.document]).sort();
    const want = {
      tags: p.tags,
      keys: p.accessKeys.map((k) => [k.accessKeyId, k.secretAccessKey, k.sessionToken ?? null]).sort(),
      policies: p.policies.map((d) => [d.name, d.document]).sort(),
    };
    if (!stored || !same(stored.tags, want.tags) || !same(keys, want.keys) || !same(policies, want.policies)) out.push(p);
  }
  return out;
}

export interface ApplyOptions {
  /** the server's account: the default of the file's `account` */
  account: string;
  now: number;
  /** access key ids the seed may not declare (the root credential's) */
  reservedKeyIds: readonly string[];
}

/** Reads, checks completely, then applies a seed in one transaction. @throws SeedError listing every problem */
export async function applySeed(store: Store, source: SeedSource, opts: ApplyOptions): Promise<SeedSummary> {
  return applyLoadedSeed(store, await loadSeed(source), opts);
}

/** applySeed for a seed read already (reset applies the one read at start). */
export async function applyLoadedSeed(store: Store, { file, doc }: LoadedSeed, opts: ApplyOptions): Promise<SeedSummary> {
  const problems = seedProblems(file, doc, opts.reservedKeyIds, doc.account ?? opts.account);
  if (problems.length > 0) throw new SeedError(problems);
  const account = doc.account ?? opts.account;
  const summary: SeedSummary = {
    file,
    created: { instances: 0, securityProfiles: 0, queues: 0, routingProfiles: 0, hierarchyGroups: 0, users: 0, principals: 0 },
  };
  const principals: DeclaredPrincipal[] = (doc.iam?.principals ?? []).map((p) => {
    const acct = p.account ?? account;
    return {
      name: p.name,
      account: acct,
      arn: iamUserArn(acct, p.name),
      tags: (p.tags ?? {}) as Tags,
      accessKeys: (p.accessKeys ?? []).map((k) => ({ ...k })),
      policies: Object.entries(p.policies ?? {}).map(([name, d]) => ({
        name,
        document: typeof d === "string" ? d : JSON.stringify(d),
        policy: undefined as never,
      })),
    };
  });
  await store.atomically(async (tx) => {
    for (const [i, inst] of (doc.instances ?? []).entries()) await applyInstance(tx, file, doc, i, inst, account, opts.now, summary);
    const changed = await changedPrincipals(tx, principals);
    if (changed.length > 0) await importIamFile(tx, { file, principals: changed }, opts.now);
    summary.created.principals = changed.length;
  });
  return summary;
}
