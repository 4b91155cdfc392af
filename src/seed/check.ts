// What the seed file says of itself, checked before the store is touched: names unique where
// the API makes them unique, every name a member references declared (or one of an instance's
// defaults), groups within the declared levels, IAM policies valid. Paths as in the file.
import { PolicyError, parsePolicy } from "../iam/index.js";
import { DEFAULT_QUEUE, DEFAULT_ROUTING_PROFILE, DEFAULT_SECURITY_PROFILES } from "../operations/instances/defaults.js";
import type { SeedDocument, SeedGroup } from "./document.js";

export const DEFAULT_REGION = "us-east-1";

/** `Paris` under `EMEA` → `EMEA/Paris`: how a user names its group. */
export const groupPaths = (groups: readonly SeedGroup[] = [], parent = ""): { path: string; depth: number; group: SeedGroup }[] =>
  groups.flatMap((g) => {
    const path = parent === "" ? g.name : `${parent}/${g.name}`;
    const depth = parent === "" ? 1 : parent.split("/").length + 1;
    return [{ path, depth, group: g }, ...groupPaths(g.groups, path)];
  });

export function seedProblems(file: string, doc: SeedDocument, reservedKeyIds: readonly string[], defaultAccount: string): string[] {
  const problems: string[] = [];
  const at = (path: string, reason: string) => problems.push(`${file}: ${path}: ${reason}`);
  const ids = new Map<string, string>();
  const uniqueId = (id: string | undefined, path: string) => {
    if (id === undefined) return;
    const first = ids.get(id);
    if (first) at(`${path}.id`, `${id} is already the id of ${first}`);
    else ids.set(id, path);
  };
  const aliases = new Map<string, string>();
  (doc.instances ?? []).forEach((inst, i) => {
    const ip = `instances[${i}]`;
    uniqueId(inst.id, ip);
    const aliasKey = `${inst.region ?? doc.region ?? DEFAULT_REGION}/${inst.alias.toLowerCase()}`;
    const firstAlias = aliases.get(aliasKey);
    if (firstAlias)
      at(`${ip}.alias`, `'${inst.alias}' is already the alias of ${firstAlias} (aliases are unique per region, case-insensitively)`);
    else aliases.set(aliasKey, ip);

    const names = (kind: string, list: readonly { name: string; id?: string }[], reserved: readonly string[], path: string) => {
      const seen = new Set<string>();
      list.forEach((x, j) => {
        const p = `${ip}.${path}[${j}]`;
        uniqueId(x.id, p);
        if (reserved.includes(x.name)) at(`${p}.name`, `'${x.name}' is a default ${kind} of every instance: it exists already`);
        else if (seen.has(x.name)) at(`${p}.name`, `'${x.name}' is declared twice in the instance`);
        seen.add(x.name);
      });
      return new Set([...reserved, ...seen]);
    };
    const securityNames = names("security profile", inst.securityProfiles ?? [], DEFAULT_SECURITY_PROFILES, "securityProfiles");
    const queueNames = names("queue", inst.queues ?? [], [DEFAULT_QUEUE], "queues");
    const routingNames = names("routing profile", inst.routingProfiles ?? [], [DEFAULT_ROUTING_PROFILE], "routingProfiles");

    (inst.routingProfiles ?? []).forEach((rp, j) => {
      const p = `${ip}.routingProfiles[${j}]`;
      if (rp.defaultOutboundQueue !== undefined && !queueNames.has(rp.defaultOutboundQueue)) {
        at(`${p}.defaultOutboundQueue`, `no queue '${rp.defaultOutboundQueue}' in the instance`);
      }
      (rp.queues ?? []).forEach((q, k) => {
        if (!queueNames.has(q)) at(`${p}.queues[${k}]`, `no queue '${q}' in the instance`);
      });
      const channels = new Set<string>();
      (rp.mediaConcurrencies ?? []).forEach((mc, k) => {
        if (channels.has(mc.channel)) at(`${p}.mediaConcurrencies[${k}].channel`, `${mc.channel} is given twice`);
        channels.add(mc.channel);
      });
    });

    const levels = inst.hierarchy?.levels ?? [];
    const groups = groupPaths(inst.hierarchy?.groups);
    const groupSet = new Set<string>();
    const walk = (list: readonly SeedGroup[], path: string, depth: number) => {
      const siblings = new Set<string>();
      list.forEach((g, j) => {
        const p = `${path}[${j}]`;
        uniqueId(g.id, p);
        if (siblings.has(g.name)) at(`${p}.name`, `'${g.name}' is declared twice among its siblings`);
        siblings.add(g.name);
        if (depth > levels.length) {
          at(p, levels.length === 0 ? "groups need hierarchy.levels" : `is at level ${depth}, below the ${levels.length} declared levels`);
        }
        walk(g.groups ?? [], `${p}.groups`, depth + 1);
      });
    };
    walk(inst.hierarchy?.groups ?? [], `${ip}.hierarchy.groups`, 1);
    for (const g of groups) groupSet.add(g.path);

    const usernames = new Set<string>();
    (inst.users ?? []).forEach((u, j) => {
      const p = `${ip}.users[${j}]`;
      uniqueId(u.id, p);
      const key = u.username.toLowerCase();
      if (usernames.has(key))
        at(`${p}.username`, `'${u.username}' is declared twice in the instance (usernames are unique case-insensitively)`);
      usernames.add(key);
      (u.securityProfiles ?? []).forEach((s, k) => {
        if (!securityNames.has(s)) at(`${p}.securityProfiles[${k}]`, `no security profile '${s}' in the instance`);
      });
      if (u.routingProfile !== undefined && !routingNames.has(u.routingProfile)) {
        at(`${p}.routingProfile`, `no routing profile '${u.routingProfile}' in the instance`);
      }
      if (u.hierarchyGroup !== undefined && !groupSet.has(u.hierarchyGroup)) {
        at(`${p}.hierarchyGroup`, `no hierarchy group '${u.hierarchyGroup}' in the instance (a path of names from level one: A/B)`);
      }
      if (u.phoneType === "DESK_PHONE" && u.deskPhoneNumber === undefined)
        at(`${p}.deskPhoneNumber`, "is required when phoneType is DESK_PHONE");
    });
  });

  const principals = new Set<string>();
  const keys = new Map<string, string>();
  (doc.iam?.principals ?? []).forEach((pr, i) => {
    const p = `iam.principals[${i}]`;
    const account = pr.account ?? doc.account ?? defaultAccount;
    const id = `${account}/${pr.name}`;
    if (principals.has(id)) at(`${p}.name`, `'${pr.name}' is declared twice in account ${account}`);
    principals.add(id);
    (pr.accessKeys ?? []).forEach((k, j) => {
      const kp = `${p}.accessKeys[${j}].accessKeyId`;
      if (reservedKeyIds.includes(k.accessKeyId)) at(kp, `${k.accessKeyId} is the bootstrap (root) credential's`);
      else if (keys.has(k.accessKeyId)) at(kp, `${k.accessKeyId} is already declared at ${keys.get(k.accessKeyId)}`);
      else keys.set(k.accessKeyId, kp);
    });
    for (const [name, document] of Object.entries(pr.policies ?? {})) {
      try {
        parsePolicy(`${pr.name}/inline/${name}`, document);
      } catch (err) {
        if (!(err instanceof PolicyError)) throw err;
        for (const reason of err.problems) at(`${p}.policies.${name}`, reason);
      }
    }
  });
  return problems;
}
