// Connect's "create and update users in bulk" as a client of the public Connect API (any
// endpoint: Switchboard or a real Connect instance): a row whose `user login` exists updates that
// user, otherwise it is created. Names are resolved to ids through the list operations; each row
// reports created / updated / unchanged / failed with the AWS error, and one failed row never
// stops the others. A re-run of the same file changes nothing (every row "unchanged").
// An operation the endpoint does not serve (NotImplementedException, 501) fails only the rows
// that need it, with a message saying so.
import {
  type ConnectClient,
  CreateUserCommand,
  DescribeUserCommand,
  DescribeUserHierarchyGroupCommand,
  ListRoutingProfilesCommand,
  ListSecurityProfilesCommand,
  ListUserHierarchyGroupsCommand,
  ListUsersCommand,
  TagResourceCommand,
  UpdateUserHierarchyCommand,
  UpdateUserIdentityInfoCommand,
  UpdateUserPhoneConfigCommand,
  UpdateUserRoutingProfileCommand,
  UpdateUserSecurityProfilesCommand,
  type User,
} from "@aws-sdk/client-connect";
import type { ParsedRow, UserSpec } from "./template.js";

export type RowStatus = "created" | "updated" | "unchanged" | "failed";

export interface RowResult {
  line: number;
  login: string;
  status: RowStatus;
  /** what changed (or, in a dry run, would change), e.g. ["phone config", "tags"] */
  changes: string[];
  /** failed: the AWS error code and message, or what is wrong with the row */
  error?: string;
  userId?: string;
}

export interface ImportOptions {
  client: ConnectClient;
  instanceId: string;
  /** validate every row and resolve every name, change nothing */
  dryRun?: boolean;
  /** rows in flight at once (default 4); the SDK's adaptive retry paces them under throttling */
  concurrency?: number;
  /** after each row */
  onRow?(result: RowResult, done: number, total: number): void;
}

/** An AWS error as one line: `Code: message`; a 501 says the endpoint does not serve the operation yet. */
export function describeError(err: unknown, operation?: string): string {
  const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const name = e?.name ?? "Error";
  if (name === "NotImplementedException" || e?.$metadata?.httpStatusCode === 501) {
    return `NotImplementedException: this endpoint does not serve ${operation ?? "the operation"} yet`;
  }
  return `${name}: ${e?.message ?? String(err)}`;
}

/** A failed API call, named by its operation. */
class CallFailed extends Error {
  constructor(
    readonly operation: string,
    override readonly cause: unknown,
  ) {
    super(`${operation}: ${describeError(cause, operation)}`);
  }
}

async function call<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw new CallFailed(operation, err);
  }
}

/** Every page of a list operation. */
async function listAll<T>(operation: string, page: (token?: string) => Promise<{ items?: T[]; next?: string }>): Promise<T[]> {
  const out: T[] = [];
  let token: string | undefined;
  do {
    const r = await call(operation, () => page(token));
    out.push(...(r.items ?? []));
    token = r.next;
  } while (token);
  return out;
}

/** Names → ids of one instance, read through the list operations. */
export interface Directory {
  routingProfiles: Map<string, string>;
  securityProfiles: Map<string, string>;
  /** "Level1/Level2/…" (lower case) → group id; read only when a row names a hierarchy */
  hierarchy?: Map<string, string>;
  /** user login (lower case) → user id */
  users: Map<string, string>;
  /** id → name as the instance spells it (profiles, hierarchy paths) */
  names: Map<string, string>;
}

const key = (s: string) => s.toLowerCase();

export async function readDirectory(client: ConnectClient, instanceId: string, withHierarchy: boolean): Promise<Directory> {
  const routing = await listAll("ListRoutingProfiles", async (NextToken) => {
    const r = await client.send(new ListRoutingProfilesCommand({ InstanceId: instanceId, NextToken, MaxResults: 1000 }));
    return { items: r.RoutingProfileSummaryList, next: r.NextToken };
  });
  const security = await listAll("ListSecurityProfiles", async (NextToken) => {
    const r = await client.send(new ListSecurityProfilesCommand({ InstanceId: instanceId, NextToken, MaxResults: 1000 }));
    return { items: r.SecurityProfileSummaryList, next: r.NextToken };
  });
  const users = await listAll("ListUsers", async (NextToken) => {
    const r = await client.send(new ListUsersCommand({ InstanceId: instanceId, NextToken, MaxResults: 1000 }));
    return { items: r.UserSummaryList, next: r.NextToken };
  });
  const dir: Directory = {
    routingProfiles: new Map(routing.map((p) => [key(p.Name ?? ""), p.Id ?? ""])),
    securityProfiles: new Map(security.map((p) => [key(p.Name ?? ""), p.Id ?? ""])),
    users: new Map(users.map((u) => [key(u.Username ?? ""), u.Id ?? ""])),
    names: new Map([...routing, ...security].map((p) => [p.Id ?? "", p.Name ?? ""])),
  };
  if (withHierarchy) dir.hierarchy = await readHierarchy(client, instanceId, dir.names);
  return dir;
}

/** Every group's path of names, from DescribeUserHierarchyGroup's HierarchyPath. */
async function readHierarchy(client: ConnectClient, instanceId: string, names: Map<string, string>): Promise<Map<string, string>> {
  const groups = await listAll("ListUserHierarchyGroups", async (NextToken) => {
    const r = await client.send(new ListUserHierarchyGroupsCommand({ InstanceId: instanceId, NextToken, MaxResults: 1000 }));
    return { items: r.UserHierarchyGroupSummaryList, next: r.NextToken };
  });
  const paths = new Map<string, string>();
  for (const g of groups) {
    const d = await call("DescribeUserHierarchyGroup", () =>
      client.send(new DescribeUserHierarchyGroupCommand({ InstanceId: instanceId, HierarchyGroupId: g.Id })),
    );
    const p = d.HierarchyGroup?.HierarchyPath;
    const levels = [p?.LevelOne, p?.LevelTwo, p?.LevelThree, p?.LevelFour, p?.LevelFive].map((l) => l?.Name).filter((n) => n !== undefined);
    paths.set(key(levels.join("/")), g.Id ?? "");
    names.set(g.Id ?? "", levels.join("/"));
  }
  return paths;
}

/** A row's names as ids; throws a message naming the first unknown one. */
function resolve(
  spec: UserSpec,
  dir: Directory,
): { routingProfileId: string; securityProfileIds: string[]; hierarchyGroupId?: string | null } {
  const routingProfileId = dir.routingProfiles.get(key(spec.routingProfileName));
  if (!routingProfileId) throw new Error(`routing profile '${spec.routingProfileName}' does not exist in the instance`);
  const securityProfileIds = spec.securityProfileNames.map((n) => {
    const id = dir.securityProfiles.get(key(n));
    if (!id) throw new Error(`security profile '${n}' does not exist in the instance`);
    return id;
  });
  if (spec.hierarchyPath === undefined) return { routingProfileId, securityProfileIds };
  if (spec.hierarchyPath.length === 0) return { routingProfileId, securityProfileIds, hierarchyGroupId: null };
  const path = spec.hierarchyPath.join("/");
  const hierarchyGroupId = dir.hierarchy?.get(key(path));
  if (!hierarchyGroupId) throw new Error(`user hierarchy group '${path}' does not exist in the instance`);
  return { routingProfileId, securityProfileIds, hierarchyGroupId };
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

/** One planned update call: what it changes and how to make it. */
interface Step {
  what: string;
  operation: string;
  run(): Promise<unknown>;
}

function updateSteps(client: ConnectClient, instanceId: string, user: User, spec: UserSpec, ids: ReturnType<typeof resolve>): Step[] {
  const steps: Step[] = [];
  const UserId = user.Id as string;
  const info = user.IdentityInfo ?? {};
  const identity = {
    FirstName: spec.firstName,
    LastName: spec.lastName,
    // An empty email cell keeps the address (the SAML template has none).
    Email: spec.email !== "" ? spec.email : info.Email,
    SecondaryEmail: spec.secondaryEmail ?? info.SecondaryEmail,
    Mobile: spec.mobile ?? info.Mobile,
  };
  const blank = (v: string | undefined) => (v === "" ? undefined : v);
  if (
    identity.FirstName !== (info.FirstName ?? "") ||
    identity.LastName !== (info.LastName ?? "") ||
    blank(identity.Email) !== blank(info.Email) ||
    blank(identity.SecondaryEmail) !== blank(info.SecondaryEmail) ||
    blank(identity.Mobile) !== blank(info.Mobile)
  ) {
    const IdentityInfo = Object.fromEntries(Object.entries(identity).filter(([, v]) => v !== undefined && v !== ""));
    steps.push({
      what: "identity info",
      operation: "UpdateUserIdentityInfo",
      run: () => client.send(new UpdateUserIdentityInfoCommand({ InstanceId: instanceId, UserId, IdentityInfo })),
    });
  }
  const phone = user.PhoneConfig ?? {};
  if (
    phone.PhoneType !== spec.phoneType ||
    Boolean(phone.AutoAccept) !== spec.autoAccept ||
    (phone.AfterContactWorkTimeLimit ?? 0) !== spec.acwTimeout ||
    (phone.DeskPhoneNumber ?? "") !== spec.phoneNumber
  ) {
    const PhoneConfig = {
      PhoneType: spec.phoneType,
      AutoAccept: spec.autoAccept,
      AfterContactWorkTimeLimit: spec.acwTimeout,
      ...(spec.phoneNumber ? { DeskPhoneNumber: spec.phoneNumber } : {}),
    };
    steps.push({
      what: "phone config",
      operation: "UpdateUserPhoneConfig",
      run: () => client.send(new UpdateUserPhoneConfigCommand({ InstanceId: instanceId, UserId, PhoneConfig })),
    });
  }
  if (user.RoutingProfileId !== ids.routingProfileId) {
    steps.push({
      what: "routing profile",
      operation: "UpdateUserRoutingProfile",
      run: () =>
        client.send(new UpdateUserRoutingProfileCommand({ InstanceId: instanceId, UserId, RoutingProfileId: ids.routingProfileId })),
    });
  }
  if (!sameSet(user.SecurityProfileIds ?? [], ids.securityProfileIds)) {
    steps.push({
      what: "security profiles",
      operation: "UpdateUserSecurityProfiles",
      run: () =>
        client.send(new UpdateUserSecurityProfilesCommand({ InstanceId: instanceId, UserId, SecurityProfileIds: ids.securityProfileIds })),
    });
  }
  if (ids.hierarchyGroupId !== undefined && (user.HierarchyGroupId ?? null) !== ids.hierarchyGroupId) {
    const group = ids.hierarchyGroupId;
    steps.push({
      what: "hierarchy",
      operation: "UpdateUserHierarchy",
      run: () =>
        client.send(new UpdateUserHierarchyCommand({ InstanceId: instanceId, UserId, ...(group ? { HierarchyGroupId: group } : {}) })),
    });
  }
  const tags = spec.tags ?? {};
  if (Object.entries(tags).some(([k, v]) => user.Tags?.[k] !== v)) {
    steps.push({
      what: "tags",
      operation: "TagResource",
      run: () => client.send(new TagResourceCommand({ resourceArn: user.Arn, tags })),
    });
  }
  return steps;
}

async function importRow(row: ParsedRow, dir: Directory, opts: ImportOptions): Promise<RowResult> {
  const base = { line: row.line, login: row.login };
  if (row.errors) return { ...base, status: "failed", changes: [], error: `InvalidRow: ${row.errors.join("; ")}` };
  const spec = row.spec;
  const { client, instanceId } = opts;
  let ids: ReturnType<typeof resolve>;
  try {
    ids = resolve(spec, dir);
  } catch (err) {
    return { ...base, status: "failed", changes: [], error: `ResourceNotFound: ${(err as Error).message}` };
  }
  const existing = dir.users.get(key(spec.login));
  const done: string[] = [];
  try {
    if (existing === undefined) {
      if (opts.dryRun) return { ...base, status: "created", changes: ["new user"] };
      const r = await call("CreateUser", () =>
        client.send(
          new CreateUserCommand({
            InstanceId: instanceId,
            Username: spec.login,
            ...(spec.password ? { Password: spec.password } : {}),
            IdentityInfo: {
              FirstName: spec.firstName,
              LastName: spec.lastName,
              ...(spec.email ? { Email: spec.email } : {}),
              ...(spec.secondaryEmail ? { SecondaryEmail: spec.secondaryEmail } : {}),
              ...(spec.mobile ? { Mobile: spec.mobile } : {}),
            },
            PhoneConfig: {
              PhoneType: spec.phoneType,
              AutoAccept: spec.autoAccept,
              AfterContactWorkTimeLimit: spec.acwTimeout,
              ...(spec.phoneNumber ? { DeskPhoneNumber: spec.phoneNumber } : {}),
            },
            RoutingProfileId: ids.routingProfileId,
            SecurityProfileIds: ids.securityProfileIds,
            ...(ids.hierarchyGroupId ? { HierarchyGroupId: ids.hierarchyGroupId } : {}),
            ...(spec.tags && Object.keys(spec.tags).length > 0 ? { Tags: spec.tags } : {}),
          }),
        ),
      );
      if (r.UserId) dir.users.set(key(spec.login), r.UserId);
      return { ...base, status: "created", changes: ["new user"], ...(r.UserId ? { userId: r.UserId } : {}) };
    }
    const described = await call("DescribeUser", () => client.send(new DescribeUserCommand({ InstanceId: instanceId, UserId: existing })));
    const user = described.User ?? { Id: existing };
    const steps = updateSteps(client, instanceId, user, spec, ids);
    if (steps.length === 0) return { ...base, status: "unchanged", changes: [], userId: existing };
    if (opts.dryRun) return { ...base, status: "updated", changes: steps.map((s) => s.what), userId: existing };
    for (const step of steps) {
      await call(step.operation, step.run);
      done.push(step.what);
    }
    return { ...base, status: "updated", changes: done, userId: existing };
  } catch (err) {
    const message = err instanceof CallFailed ? err.message : describeError(err);
    const partly = done.length > 0 ? ` (already applied: ${done.join(", ")})` : "";
    return { ...base, status: "failed", changes: done, error: `${message}${partly}`, ...(existing ? { userId: existing } : {}) };
  }
}

/** Imports every row (in file order of results); reads the instance's names and users first. */
export async function importUsers(rows: readonly ParsedRow[], opts: ImportOptions): Promise<RowResult[]> {
  const withHierarchy = rows.some((r) => (r.spec?.hierarchyPath?.length ?? 0) > 0);
  const dir = await readDirectory(opts.client, opts.instanceId, withHierarchy);
  const results: RowResult[] = new Array(rows.length);
  let next = 0;
  let finished = 0;
  const worker = async () => {
    while (next < rows.length) {
      const i = next++;
      const result = await importRow(rows[i] as ParsedRow, dir, opts);
      results[i] = result;
      finished++;
      opts.onRow?.(result, finished, rows.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency ?? 4, rows.length)) }, worker));
  return results;
}

export const RESULT_HEADER = ["line", "user login", "status", "changes", "user id", "error"];

/** A result as a row of the result CSV. */
export const resultRow = (r: RowResult) => [String(r.line), r.login, r.status, r.changes.join("|"), r.userId ?? "", r.error ?? ""];
