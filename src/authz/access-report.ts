// The access report: for each principal, which users it may act on with one action (by default
// connect:UpdateUserIdentityInfo, "who can change whose email?"), and which of those hold the
// instance's Admin security profile (a takeover path: change the email, reset the password).
//
// Same decisions as live requests: principals and their compiled policies come from the
// PrincipalDirectory the server loads, every decision is the operation's declared IAM target +
// requestContext() + evaluate() — no second implementation. The only difference is what a report cannot know:
// request-only keys (aws:SourceIp, aws:CurrentTime, aws:EpochTime) are left out of the context,
// so conditions on them are evaluated as if absent.
//
// Fast at scale by grouping. What the policies can see of a target user is
// - the instance (connect:InstanceId and the resource ARN up to …/agent/),
// - the user's tags, through aws:ResourceTag/<key> — only the keys some policy mentions matter,
// - the user id, through the resource ARN's last segment.
// Users are grouped by (scope, instance, mentioned tags) and each principal is evaluated once per
// group, on a member's ARN. That is exact when the principal's Resource/NotResource patterns
// cannot tell the group's users apart; this is checked, per principal and instance (per group
// when a pattern has policy variables), by running the pattern's resource part over the
// instance's fixed ARN prefix "instance/<id>/agent/" and looking at what is left to match the
// user id: only `*`s (matches every user), nothing a user id can match (matches none), or
// something else (e.g. …/agent/<id>, …/agent/a*) — then that principal is evaluated user by user
// in that instance. Correctness first: the fallback is exact by construction.
import { type Scope, userArn } from "../common/arn.js";
import type { ProgressReporter } from "../common/progress.js";
import { actionMatches, compiled } from "../iam/compile.js";
import { evaluate, type Policy, type RequestContext } from "../iam/index.js";
import { resolveVar, splitArnTokens, type Tok, tokenize } from "../iam/pattern.js";
import { CONNECT_OPERATIONS } from "../operations/connect-service.js";
import type { ServedOperation } from "../operations/declare.js";
import type { Tags } from "../store/records.js";
import type { Store } from "../store/store.js";
import { type PrincipalFacts, requestContext } from "./context.js";
import { type DirectoryPrincipal, PrincipalDirectory } from "./principal-directory.js";
import { type AuthzTarget, authzTargets } from "./target.js";

export const DEFAULT_REPORT_ACTION = "connect:UpdateUserIdentityInfo";
/** The security profile whose holders are flagged targets. */
export const ADMIN_PROFILE = "Admin";
/** Keys only a live request has; a report evaluates conditions on them as if they were absent. */
export const REQUEST_ONLY_KEYS: readonly string[] = Object.freeze(["aws:SourceIp", "aws:CurrentTime", "aws:EpochTime"]);
const REQUEST_ONLY_LOWER = new Set(REQUEST_ONLY_KEYS.map((k) => k.toLowerCase()));

export const REQUEST_ONLY_NOTE = `conditions on ${REQUEST_ONLY_KEYS.join(", ")} are evaluated as if absent (a report has no request): positive operators on them do not match; negated operators and …IfExists do`;

export interface AccessReportOptions {
  account: string;
  /** default: every region of the account that holds instances */
  region?: string;
  /** only this instance (in whichever of the regions holds it) */
  instanceId?: string;
  /** default connect:UpdateUserIdentityInfo; must act on a user (…/agent/{id}) */
  action?: string;
  /** epoch ms: the report's time (aws:CurrentTime itself is left out, see REQUEST_ONLY_KEYS) */
  now: number;
  /** at most this many users listed in each canChange / adminTargets (the counts are exact); default all */
  listLimit?: number;
  /** rows per page when reading users (default 10 000) */
  pageSize?: number;
  /** told as users are read and principals evaluated (the CLI draws it on a terminal) */
  onProgress?: ProgressReporter;
}

export interface UserRef {
  region: string;
  instanceId: string;
  userId: string;
  username: string;
}

export interface PrincipalAccess {
  arn: string;
  name: string;
  /** the account root (the bootstrap credential): allowed everything, no policy is evaluated */
  root: boolean;
  canChangeCount: number;
  /** in (region, instance, username) order; capped at listLimit */
  canChange: UserRef[];
  adminTargetCount: number;
  /** the users among canChange holding their instance's Admin security profile; capped at listLimit */
  adminTargets: UserRef[];
  /** may act on at least one Admin holder */
  flagged: boolean;
  /** users this principal was evaluated on one by one (a Resource pattern tells users apart) */
  evaluatedPerUser: number;
  /** request-only keys its relevant statements test (evaluated as if absent) */
  requestOnlyKeys: string[];
  /** set when a stored policy does not parse: the server then denies the principal everything, and so does the report */
  invalidPolicy?: boolean;
  /**
   * Users it may not act on directly but can after ONE tag edit it may make itself (UntagResource
   * or TagResource on the user): the ABAC condition that stopped it no longer matches.
   */
  viaTagsCount?: number;
  viaTags?: TagPath[];
  /** how many of those hold the Admin security profile */
  adminViaTagsCount?: number;
  /** may act on an Admin holder in two steps (a tag edit, then the action) */
  flaggedViaTags?: boolean;
  /** users it may give the instance's Admin security profile (UpdateUserSecurityProfiles on the user and on Admin) */
  canGrantAdminCount?: number;
  canGrantAdmin?: UserRef[];
  /** may give someone Admin: another account-takeover path */
  grantsAdmin?: boolean;
}

/** One user reachable after one tag edit, and the edit. */
export interface TagPath {
  user: UserRef;
  /** connect:UntagResource (remove `key`) or connect:TagResource (set `key` to `value`) */
  operation: string;
  key: string;
  value?: string;
}

export interface AccessReport {
  generatedAt: string;
  account: string;
  action: string;
  scopes: Scope[];
  instances: number;
  users: number;
  adminHolders: number;
  principals: PrincipalAccess[];
  /** evaluate() calls made for the action itself */
  evaluations: number;
  /** evaluate() calls made for the two-step (tag edit) and Admin-grant paths */
  escalationEvaluations: number;
  /** user groups (scope, instance, tags the policies mention) */
  groups: number;
  notes: string[];
}

/** The served operations that ask IAM for this action on a user (…/agent/{UserId}), from their declarations. */
function userActionOperations(action: string): ServedOperation[] {
  return Object.values(CONNECT_OPERATIONS).filter((d) =>
    d.iam.some((i) => i.action === action && i.target.kind === "child" && i.target.type === "agent"),
  );
}

/** True when the action's resource is a user (…/agent/{UserId}), as the report needs. */
export function isUserAction(action: string): boolean {
  return userActionOperations(action).length > 0;
}

/**
 * The request context of a report decision: the live one (authzTarget + requestContext) without
 * the request-only keys.
 */
export function reportContext(
  operation: string,
  scope: Scope,
  instanceId: string,
  userId: string,
  principal: PrincipalFacts,
  resourceTags: Readonly<Tags>,
  now: number,
): RequestContext {
  const declaration = CONNECT_OPERATIONS[operation];
  const target = declaration
    ? authzTargets(declaration, { InstanceId: instanceId, UserId: userId }, scope).find((t) => t.userId !== undefined)
    : undefined;
  if (!target) throw new Error(`${operation} is not a served operation on a user resource (…/agent/{UserId})`);
  const ctx = requestContext(target, principal, resourceTags, { region: scope.region, now });
  const keys = { ...ctx.keys };
  for (const k of REQUEST_ONLY_LOWER) delete keys[k];
  return { ...ctx, keys };
}

// ---------------------------------------------------------------------------------------------
// What policies mention

/** Lower-cased condition keys and policy-variable keys a statement mentions. */
function mentionedKeys(st: Policy["statements"][number], variables: boolean, out: Set<string>): void {
  const vars = (s: string, wild: boolean) => {
    if (!variables) return;
    for (const t of tokenize(s, true, wild)) if (t.k === "var") out.add(t.key);
  };
  for (const c of st.condition ?? []) {
    out.add(c.key.toLowerCase());
    for (const v of c.values) if (typeof v === "string") vars(v, true);
  }
  for (const r of st.resource ?? st.notResource ?? []) vars(r, true);
}

interface ResourcePattern {
  /** cache key: variables flag + the pattern text */
  id: string;
  /** "*": every resource */
  any: boolean;
  /** the six ARN parts; undefined when fewer (the pattern matches nothing) */
  parts: Tok[][] | undefined;
  hasVars: boolean;
}

const patternCache = new Map<string, ResourcePattern>();

function resourcePattern(text: string, variables: boolean): ResourcePattern {
  const id = `${variables ? "v" : "l"}\u0000${text}`;
  let p = patternCache.get(id);
  if (p === undefined) {
    if (text === "*") p = { id, any: true, parts: undefined, hasVars: false };
    else {
      const toks = tokenize(text, variables, true);
      const parts = splitArnTokens(toks);
      p = { id, any: false, parts: parts.length < 6 ? undefined : parts, hasVars: toks.some((t) => t.k === "var") };
    }
    patternCache.set(id, p);
  }
  return p;
}

interface ReportPrincipal {
  directory: DirectoryPrincipal;
  /** Resource/NotResource patterns of the statements whose Action/NotAction covers the action */
  patterns: ResourcePattern[];
  /** true when some pattern has policy variables (then the check runs per group, not per instance) */
  varPatterns: boolean;
  /** lower-cased condition and policy-variable keys of those statements */
  mentionedKeys: Set<string>;
  requestOnlyKeys: string[];
  invalidPolicy: boolean;
}

// ---------------------------------------------------------------------------------------------
// Can a pattern tell the users of one instance apart?

type Unit = { k: "c"; c: string } | { k: "star" } | { k: "quest" };

interface InstanceInfo {
  scope: Scope;
  id: string;
  /** the resource part of its user ARNs before the user id */
  prefix: string;
  /** characters occurring in its users' ids */
  alphabet: Set<string>;
  minIdLength: number;
  /** index in the report's instance list (cache keys) */
  index: number;
  /** the instance's Admin security profile (the first, by name) and its tags */
  adminProfileId?: string;
  adminProfileTags?: Tags;
}

/**
 * Runs the resource-part units over the instance's prefix (a glob NFA), then classifies what
 * remains for the user id. True when the outcome may differ between users of the instance.
 */
function unitsSeeUser(units: readonly Unit[], inst: InstanceInfo): boolean {
  const n = units.length;
  const close = (set: Set<number>) => {
    for (const pos of set) if (units[pos]?.k === "star") set.add(pos + 1); // Set iteration visits added items
    return set;
  };
  let active = close(new Set([0]));
  for (const ch of inst.prefix) {
    const next = new Set<number>();
    for (const pos of active) {
      const u = units[pos];
      if (u === undefined) continue;
      if (u.k === "star") next.add(pos);
      else if (u.k === "quest" || u.c === ch) next.add(pos + 1);
    }
    active = close(next);
    if (active.size === 0) return false; // matches no user of this instance
  }
  let allNone = true;
  for (const pos of active) {
    let onlyStars = pos < n;
    let impossible = pos === n && inst.minIdLength > 0; // nothing left, but every id has characters
    for (let i = pos; i < n; i++) {
      const u = units[i] as Unit;
      if (u.k !== "star") onlyStars = false;
      if (u.k === "c" && !inst.alphabet.has(u.c)) impossible = true;
    }
    if (onlyStars) return false; // matches every user of this instance
    if (!impossible) allNone = false;
  }
  return !allNone;
}

const unitsOf = (toks: readonly Tok[], ctx: RequestContext): Unit[] => {
  const units: Unit[] = [];
  for (const t of toks) {
    if (t.k === "star") units.push({ k: "star" });
    else if (t.k === "quest") units.push({ k: "quest" });
    else {
      const s = t.k === "lit" ? t.s : (resolveVar(t, ctx) as string); // resolvable: checked by the caller
      for (const c of s) units.push({ k: "c", c });
    }
  }
  return units;
};

/**
 * True when the pattern's match may differ between users of the instance (under ctx's
 * variables). `cache` belongs to one report (instance indexes are per report).
 */
function patternSeesUser(p: ResourcePattern, inst: InstanceInfo, ctx: RequestContext, cache: Map<string, boolean>): boolean {
  if (p.any || p.parts === undefined) return false;
  const parts = p.parts;
  let key = `${p.id}\u0000${inst.index}`;
  if (p.hasVars) {
    // As arnTemplate: an unresolvable variable, or ':' from one in parts 1-5, matches nothing.
    for (let i = 0; i < 6; i++) {
      for (const t of parts[i] as Tok[]) {
        if (t.k !== "var") continue;
        const r = resolveVar(t, ctx);
        if (r === undefined || (i < 5 && r.includes(":"))) return false;
        if (i === 5) key += `\u0000${r}`;
      }
    }
  }
  let v = cache.get(key);
  if (v === undefined) {
    v = unitsSeeUser(unitsOf(parts[5] as Tok[], ctx), inst);
    cache.set(key, v);
  }
  return v;
}

// ---------------------------------------------------------------------------------------------
// Reading the population

interface Population {
  scopes: Scope[];
  instances: InstanceInfo[];
  users: UserRef[];
  tags: Tags[];
  /** 1 when the user holds its instance's Admin security profile */
  admin: Uint8Array;
  groups: Group[];
}

interface Group {
  inst: InstanceInfo;
  /** user indexes, ascending */
  members: number[];
}

async function pages<T>(fetch: (after: string | undefined, limit: number) => Promise<T[]>, keyOf: (t: T) => string, limit: number) {
  const all: T[] = [];
  let after: string | undefined;
  for (;;) {
    const rows = await fetch(after, limit);
    const page = rows.length > limit ? rows.slice(0, limit) : rows;
    for (const r of page) all.push(r);
    if (rows.length <= limit || page.length === 0) return all;
    after = keyOf(page[page.length - 1] as T);
  }
}

/** The tags that policies can see: only mentioned keys, lower-cased, last one wins (as requestContext). */
function tagKey(tags: Tags, mentioned: ReadonlySet<string>): string {
  if (mentioned.size === 0) return "";
  const seen = new Map<string, string>();
  for (const [k, v] of Object.entries(tags)) {
    const lk = k.toLowerCase();
    if (mentioned.has(lk)) seen.set(lk, v);
  }
  if (seen.size === 0) return "";
  return JSON.stringify([...seen].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
}

async function readPopulation(store: Store, opts: AccessReportOptions, mentionedTags: ReadonlySet<string>): Promise<Population> {
  const pageSize = opts.pageSize ?? 10_000;
  const scopes =
    opts.region !== undefined ? [{ account: opts.account, region: opts.region }] : await store.instances.listScopes(opts.account);
  const pop: Population = { scopes: [], instances: [], users: [], tags: [], admin: new Uint8Array(0), groups: [] };
  const admin: number[] = [];
  for (const scope of scopes) {
    let instances = await pages(
      (after, limit) => store.instances.list(scope, { ...(after === undefined ? {} : { after }), limit }),
      (i) => i.id,
      1000,
    );
    if (opts.instanceId !== undefined) instances = instances.filter((i) => i.id === opts.instanceId);
    if (instances.length === 0) continue;
    pop.scopes.push(scope);
    for (const instance of instances) {
      const profiles = await pages(
        (after, limit) => store.profiles.list(scope, instance.id, "security", { ...(after === undefined ? {} : { after }), limit }),
        (p) => p.name,
        1000,
      );
      const adminProfiles = profiles.filter((p) => p.name === ADMIN_PROFILE);
      const adminIds = new Set(adminProfiles.map((p) => p.id));
      const inst: InstanceInfo = {
        scope,
        id: instance.id,
        prefix: `instance/${instance.id}/agent/`,
        alphabet: new Set(),
        minIdLength: Number.POSITIVE_INFINITY,
        index: pop.instances.length,
        ...(adminProfiles[0] ? { adminProfileId: adminProfiles[0].id, adminProfileTags: adminProfiles[0].tags ?? {} } : {}),
      };
      pop.instances.push(inst);
      const byTags = new Map<string, Group>();
      let after: string | undefined;
      for (;;) {
        const rows = await store.users.list(scope, instance.id, { ...(after === undefined ? {} : { after }), limit: pageSize });
        const n = Math.min(rows.length, pageSize);
        for (let i = 0; i < n; i++) {
          const u = rows[i] as (typeof rows)[number];
          const index = pop.users.length;
          pop.users.push({ region: scope.region, instanceId: instance.id, userId: u.id, username: u.username });
          pop.tags.push(u.tags);
          let isAdmin = 0;
          for (const sp of u.securityProfileIds) if (adminIds.has(sp)) isAdmin = 1;
          admin.push(isAdmin);
          for (const c of u.id) inst.alphabet.add(c);
          if (u.id.length < inst.minIdLength) inst.minIdLength = u.id.length;
          const key = tagKey(u.tags, mentionedTags);
          let g = byTags.get(key);
          if (g === undefined) {
            g = { inst, members: [] };
            byTags.set(key, g);
            pop.groups.push(g);
          }
          g.members.push(index);
        }
        opts.onProgress?.("users read", pop.users.length);
        if (rows.length <= pageSize || n === 0) break;
        after = (rows[n - 1] as (typeof rows)[number]).username;
      }
    }
  }
  if (opts.instanceId !== undefined && pop.instances.length === 0) {
    throw new Error(`instance ${opts.instanceId} not found in account ${opts.account}${opts.region ? ` region ${opts.region}` : ""}`);
  }
  pop.admin = Uint8Array.from(admin);
  return pop;
}

// ---------------------------------------------------------------------------------------------

async function loadPrincipals(store: Store, account: string, action: string): Promise<ReportPrincipal[]> {
  const directory = await PrincipalDirectory.load(store.iam);
  const actionCtx: RequestContext = { action, resource: "*", principalArn: "", keys: {} };
  const out: ReportPrincipal[] = [];
  for (const d of directory.principals()) {
    if (d.account !== account) continue;
    const patterns = new Map<string, ResourcePattern>();
    const keys = new Set<string>();
    for (const policy of d.policies) {
      const variables = policy.version === "2012-10-17";
      const cs = compiled(policy).statements;
      policy.statements.forEach((st, i) => {
        const c = cs[i];
        if (c === undefined || actionMatches(c.actions, actionCtx) === c.notAction) return; // never applies to this action
        mentionedKeys(st, variables, keys);
        for (const r of st.resource ?? st.notResource ?? []) {
          const p = resourcePattern(r, variables);
          patterns.set(p.id, p);
        }
      });
    }
    // The directory fails closed on an invalid stored policy (no policies at all): say so.
    let invalidPolicy = false;
    if (d.policies.length === 0) invalidPolicy = (await store.iam.listPolicies(d.account, d.name)).length > 0;
    const list = [...patterns.values()];
    out.push({
      directory: d,
      patterns: list,
      varPatterns: list.some((p) => p.hasVars),
      mentionedKeys: keys,
      requestOnlyKeys: REQUEST_ONLY_KEYS.filter((k) => keys.has(k.toLowerCase())),
      invalidPolicy,
    });
  }
  out.sort((a, b) => (a.directory.name < b.directory.name ? -1 : a.directory.name > b.directory.name ? 1 : 0));
  return out;
}

/** Resource-tag keys (lower-cased, without the prefix) the principals' relevant statements mention. */
function mentionedResourceTags(principals: readonly ReportPrincipal[]): Set<string> {
  const out = new Set<string>();
  for (const p of principals)
    for (const k of p.mentionedKeys) if (k.startsWith("aws:resourcetag/")) out.add(k.slice("aws:resourcetag/".length));
  return out;
}

function collect(pop: Population, allowed: Uint8Array, limit: number) {
  const canChange: UserRef[] = [];
  const adminTargets: UserRef[] = [];
  let canChangeCount = 0;
  let adminTargetCount = 0;
  for (let i = 0; i < allowed.length; i++) {
    if (allowed[i] === 0) continue;
    canChangeCount++;
    if (canChange.length < limit) canChange.push(pop.users[i] as UserRef);
    if (pop.admin[i] === 1) {
      adminTargetCount++;
      if (adminTargets.length < limit) adminTargets.push(pop.users[i] as UserRef);
    }
  }
  return { canChangeCount, canChange, adminTargetCount, adminTargets, flagged: adminTargetCount > 0 };
}

// ---------------------------------------------------------------------------------------------
// Two steps (a tag edit, then the action) and Admin grants

export const VIA_TAGS_NOTE =
  "two steps: a user the principal may not act on directly counts when ONE tag edit it may make itself — UntagResource of a key its policies test, or TagResource setting that key to a value they name or to any other — makes the action allowed; guard tags with aws:RequestTag / aws:TagKeys (README, Security)";
export const GRANT_NOTE = `grants Admin: may UpdateUserSecurityProfiles on a user and on the instance's ${ADMIN_PROFILE} security profile — giving someone ${ADMIN_PROFILE} is an account-takeover path too`;

const TAG_OPERATIONS = ["UntagResource", "TagResource"] as const;
const GRANT_OPERATION = "UpdateUserSecurityProfiles";
/** A tag value no policy names, standing for "any other value". */
const OTHER_VALUE = "switchboard-report-other-value";

interface EscalationPrincipals {
  /** the tag operations served (none: no two-step reasoning) */
  tagOperations: string[];
  grantOperation?: string;
  /** the principal's view of the tag actions (their statements' patterns, merged) */
  tagPrincipal(name: string): ReportPrincipal | undefined;
  grantPrincipal(name: string): ReportPrincipal | undefined;
  /** every principal loaded for these paths (the tag keys they mention shape the groups) */
  extra: ReportPrincipal[];
}

async function escalationPrincipals(store: Store, account: string, main: readonly ReportPrincipal[]): Promise<EscalationPrincipals> {
  const tagOperations = TAG_OPERATIONS.filter((o) => CONNECT_OPERATIONS[o] !== undefined);
  const grantOperation = CONNECT_OPERATIONS[GRANT_OPERATION] ? GRANT_OPERATION : undefined;
  if (main.length === 0)
    return {
      tagOperations,
      ...(grantOperation ? { grantOperation } : {}),
      tagPrincipal: () => undefined,
      grantPrincipal: () => undefined,
      extra: [],
    };
  const tagSets = await Promise.all(tagOperations.map((o) => loadPrincipals(store, account, `connect:${o}`)));
  const grant = grantOperation ? await loadPrincipals(store, account, `connect:${grantOperation}`) : [];
  const grantByName = new Map(grant.map((p) => [p.directory.name, p]));
  const tagByName = new Map<string, ReportPrincipal>();
  for (const set of tagSets) {
    for (const p of set) {
      const seen = tagByName.get(p.directory.name);
      if (!seen) tagByName.set(p.directory.name, p);
      else {
        tagByName.set(p.directory.name, {
          ...seen,
          patterns: [...seen.patterns, ...p.patterns],
          varPatterns: seen.varPatterns || p.varPatterns,
          mentionedKeys: new Set([...seen.mentionedKeys, ...p.mentionedKeys]),
        });
      }
    }
  }
  return {
    tagOperations,
    ...(grantOperation ? { grantOperation } : {}),
    tagPrincipal: (name) => (tagOperations.length > 0 ? tagByName.get(name) : undefined),
    grantPrincipal: (name) => grantByName.get(name),
    extra: [...tagSets.flat(), ...grant],
  };
}

const withoutRequestOnly = (ctx: RequestContext): RequestContext => {
  const keys = { ...ctx.keys };
  for (const k of REQUEST_ONLY_LOWER) delete keys[k];
  return { ...ctx, keys };
};

/** Whether every IAM target of the operation allows the call, for an input the report makes up. */
function allowedOn(
  p: ReportPrincipal,
  operation: string,
  input: Record<string, unknown>,
  scope: Scope,
  resourceTags: Readonly<Tags>,
  now: number,
  only?: (t: AuthzTarget) => boolean,
): boolean {
  const declaration = CONNECT_OPERATIONS[operation];
  if (!declaration) return false;
  const targets = authzTargets(declaration, input, scope).filter((t) => only?.(t) ?? true);
  return targets.every(
    (t) =>
      evaluate(p.directory.policies, withoutRequestOnly(requestContext(t, p.directory.facts, resourceTags, { region: scope.region, now })))
        .decision === "Allow",
  );
}

/** Values the principal's policies compare aws:ResourceTag/<key> with (lower-cased key → values). */
function conditionValues(p: ReportPrincipal, keys: readonly string[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>(keys.map((k) => [k, new Set<string>()]));
  for (const policy of p.directory.policies) {
    for (const st of policy.statements) {
      for (const c of st.condition ?? []) {
        const key = c.key.toLowerCase();
        if (!key.startsWith("aws:resourcetag/")) continue;
        const set = out.get(key.slice("aws:resourcetag/".length));
        if (set) for (const v of c.values) if (typeof v === "string") set.add(v);
      }
    }
  }
  return out;
}

function editedTags(tags: Readonly<Tags>, key: string, value: string | undefined): { tags: Tags; keyCase: string } {
  const out: Tags = {};
  let keyCase = key;
  for (const [k, v] of Object.entries(tags)) {
    if (k.toLowerCase() === key) keyCase = k;
    else out[k] = v;
  }
  if (value !== undefined) out[keyCase] = value;
  return { tags: out, keyCase };
}

/**
 * The users the principal may not act on directly but can after one tag edit it may make itself.
 * Exact for one edit of one key its policies test (more edits in a row are not explored).
 */
function viaTags(
  p: ReportPrincipal,
  tagP: ReportPrincipal,
  pop: Population,
  operation: string,
  direct: Uint8Array,
  now: number,
  verdicts: Map<string, boolean>,
): { paths: Map<number, TagPath>; evaluations: number } {
  const paths = new Map<number, TagPath>();
  const keys = [...p.mentionedKeys].filter((k) => k.startsWith("aws:resourcetag/")).map((k) => k.slice("aws:resourcetag/".length));
  if (keys.length === 0) return { paths, evaluations: 0 };
  const values = conditionValues(p, keys);
  let evaluations = 0;
  const canUntag = CONNECT_OPERATIONS.UntagResource !== undefined;
  const canTag = CONNECT_OPERATIONS.TagResource !== undefined;

  const attempt = (i: number): TagPath | undefined => {
    const u = pop.users[i] as UserRef;
    const tags = pop.tags[i] as Tags;
    const scope = { account: p.directory.account, region: u.region };
    const resourceArn = userArn(scope, u.instanceId, u.userId);
    const actionAllowed = (t: Tags) => {
      evaluations++;
      return (
        evaluate(p.directory.policies, reportContext(operation, scope, u.instanceId, u.userId, p.directory.facts, t, now)).decision ===
        "Allow"
      );
    };
    for (const key of keys) {
      const has = Object.keys(tags).some((k) => k.toLowerCase() === key);
      if (has && canUntag) {
        const edit = editedTags(tags, key, undefined);
        evaluations++;
        if (allowedOn(tagP, "UntagResource", { resourceArn, tagKeys: [edit.keyCase] }, scope, tags, now) && actionAllowed(edit.tags)) {
          return { user: u, operation: "connect:UntagResource", key: edit.keyCase };
        }
      }
      if (!canTag) continue;
      for (const value of [...(values.get(key) ?? []), OTHER_VALUE]) {
        const edit = editedTags(tags, key, value);
        evaluations++;
        if (
          allowedOn(tagP, "TagResource", { resourceArn, tags: { [edit.keyCase]: value } }, scope, tags, now) &&
          actionAllowed(edit.tags)
        ) {
          return { user: u, operation: "connect:TagResource", key: edit.keyCase, value };
        }
      }
    }
    return undefined;
  };

  for (const g of pop.groups) {
    const denied = g.members.filter((m) => direct[m] === 0);
    const first = denied[0];
    if (first === undefined) continue;
    const rep = pop.users[first] as UserRef;
    const ctx = reportContext(operation, g.inst.scope, g.inst.id, rep.userId, p.directory.facts, pop.tags[first] as Tags, now);
    const seesUser = [...p.patterns, ...tagP.patterns].some((pat) => patternSeesUser(pat, g.inst, ctx, verdicts));
    if (!seesUser) {
      const found = attempt(first);
      if (found) for (const m of denied) paths.set(m, { ...found, user: pop.users[m] as UserRef });
      continue;
    }
    for (const m of denied) {
      const found = attempt(m);
      if (found) paths.set(m, found);
    }
  }
  return { paths, evaluations };
}

function collectViaTags(pop: Population, paths: Map<number, TagPath>, limit: number): Partial<PrincipalAccess> {
  const list: TagPath[] = [];
  let adminViaTagsCount = 0;
  for (const i of [...paths.keys()].sort((a, b) => a - b)) {
    if (list.length < limit) list.push(paths.get(i) as TagPath);
    if (pop.admin[i] === 1) adminViaTagsCount++;
  }
  return { viaTagsCount: paths.size, viaTags: list, adminViaTagsCount, flaggedViaTags: adminViaTagsCount > 0 };
}

/** Whether the principal may name the instance's Admin profile in UpdateUserSecurityProfiles. */
function adminProfileAllowed(p: ReportPrincipal, inst: InstanceInfo, operation: string, now: number): boolean {
  if (inst.adminProfileId === undefined) return false;
  const input = { InstanceId: inst.id, UserId: "-", SecurityProfileIds: [inst.adminProfileId] };
  return allowedOn(p, operation, input, inst.scope, inst.adminProfileTags ?? {}, now, (t) => t.child?.type === "security-profile");
}

function collectGrants(pop: Population, users: Uint8Array, profileAllowed: readonly boolean[], limit: number): Partial<PrincipalAccess> {
  const instanceIndex = new Map(pop.instances.map((inst) => [`${inst.scope.region}/${inst.id}`, inst.index]));
  const canGrantAdmin: UserRef[] = [];
  let canGrantAdminCount = 0;
  for (let i = 0; i < users.length; i++) {
    if (users[i] === 0) continue;
    const u = pop.users[i] as UserRef;
    if (!profileAllowed[instanceIndex.get(`${u.region}/${u.instanceId}`) ?? -1]) continue;
    canGrantAdminCount++;
    if (canGrantAdmin.length < limit) canGrantAdmin.push(u);
  }
  return { canGrantAdminCount, canGrantAdmin, grantsAdmin: canGrantAdminCount > 0 };
}

/** Which users the principal may perform `operation` on (1 = allowed), group by group (see the file comment). */
function evaluateUsers(
  p: ReportPrincipal,
  pop: Population,
  operation: string,
  now: number,
  verdicts: Map<string, boolean>,
): { allowed: Uint8Array; perUser: number; evaluations: number } {
  const d = p.directory;
  const allowed = new Uint8Array(pop.users.length);
  let perUser = 0;
  let evaluations = 0;
  // per instance: does some pattern tell its users apart? (variable-free patterns only)
  const instanceVerdict = new Map<InstanceInfo, boolean>();
  for (const g of pop.groups) {
    const first = g.members[0] as number;
    const rep = pop.users[first] as UserRef;
    const ctx = reportContext(operation, g.inst.scope, g.inst.id, rep.userId, d.facts, pop.tags[first] as Tags, now);
    let seesUser: boolean | undefined = p.varPatterns ? undefined : instanceVerdict.get(g.inst);
    if (seesUser === undefined) {
      seesUser = p.patterns.some((pat) => patternSeesUser(pat, g.inst, ctx, verdicts));
      if (!p.varPatterns) instanceVerdict.set(g.inst, seesUser);
    }
    if (!seesUser) {
      evaluations++;
      if (evaluate(d.policies, ctx).decision === "Allow") for (const m of g.members) allowed[m] = 1;
      continue;
    }
    for (const m of g.members) {
      const u = pop.users[m] as UserRef;
      const uctx = m === first ? ctx : reportContext(operation, g.inst.scope, u.instanceId, u.userId, d.facts, pop.tags[m] as Tags, now);
      evaluations++;
      perUser++;
      if (evaluate(d.policies, uctx).decision === "Allow") allowed[m] = 1;
    }
  }
  return { allowed, perUser, evaluations };
}

/** Who may perform `action` on which users (see the file comment for how it stays exact and fast). */
export async function accessReport(store: Store, opts: AccessReportOptions): Promise<AccessReport> {
  const action = opts.action ?? DEFAULT_REPORT_ACTION;
  const declared = userActionOperations(action)[0];
  if (!declared) {
    throw new Error(`${action} is not an action on a user resource (…/agent/{UserId}), e.g. ${DEFAULT_REPORT_ACTION}`);
  }
  const operation = declared.name;
  const limit = opts.listLimit ?? Number.POSITIVE_INFINITY;
  const principals = await loadPrincipals(store, opts.account, action);
  const paths = await escalationPrincipals(store, opts.account, principals);
  const pop = await readPopulation(store, opts, mentionedResourceTags([...principals, ...paths.extra]));
  let evaluations = 0;
  let escalationEvaluations = 0;
  const verdicts = new Map<string, boolean>();

  const results: PrincipalAccess[] = [];
  const all = new Uint8Array(pop.users.length).fill(1);
  const rootGrants = paths.grantOperation
    ? collectGrants(
        pop,
        all,
        pop.instances.map((i) => i.adminProfileId !== undefined),
        limit,
      )
    : undefined;
  results.push({
    arn: `arn:aws:iam::${opts.account}:root`,
    name: "root",
    root: true,
    ...collect(pop, all, limit),
    evaluatedPerUser: 0,
    requestOnlyKeys: [],
    ...(rootGrants ?? {}),
  });

  for (const [i, p] of principals.entries()) {
    opts.onProgress?.("principals evaluated", i, principals.length);
    const d = p.directory;
    const main = evaluateUsers(p, pop, operation, opts.now, verdicts);
    evaluations += main.evaluations;
    const extra: Partial<PrincipalAccess> = {};
    const tagPaths = paths.tagPrincipal(d.name);
    if (tagPaths) {
      const found = viaTags(p, tagPaths, pop, operation, main.allowed, opts.now, verdicts);
      escalationEvaluations += found.evaluations;
      Object.assign(extra, collectViaTags(pop, found.paths, limit));
    }
    const grantP = paths.grantPrincipal(d.name);
    if (grantP && paths.grantOperation) {
      const users = evaluateUsers(grantP, pop, paths.grantOperation, opts.now, verdicts);
      const profiles = pop.instances.map((inst) => adminProfileAllowed(grantP, inst, paths.grantOperation as string, opts.now));
      escalationEvaluations += users.evaluations + pop.instances.length;
      Object.assign(extra, collectGrants(pop, users.allowed, profiles, limit));
    }
    results.push({
      arn: d.arn,
      name: d.name,
      root: false,
      ...collect(pop, main.allowed, limit),
      evaluatedPerUser: main.perUser,
      requestOnlyKeys: p.requestOnlyKeys,
      ...(p.invalidPolicy ? { invalidPolicy: true } : {}),
      ...extra,
    });
  }

  opts.onProgress?.("principals evaluated", principals.length, principals.length);
  let adminHolders = 0;
  for (const a of pop.admin) adminHolders += a;
  const notes = [
    REQUEST_ONLY_NOTE,
    "root (the bootstrap credential) is the account root: allowed everything, as in AWS",
    `flagged: may ${action} on a user holding the instance's ${ADMIN_PROFILE} security profile`,
  ];
  if (paths.tagOperations.length > 0) notes.push(VIA_TAGS_NOTE);
  if (paths.grantOperation) notes.push(GRANT_NOTE);
  return {
    generatedAt: new Date(opts.now).toISOString(),
    account: opts.account,
    action,
    scopes: pop.scopes,
    instances: pop.instances.length,
    users: pop.users.length,
    adminHolders,
    principals: results,
    evaluations,
    escalationEvaluations,
    groups: pop.groups.length,
    notes,
  };
}
