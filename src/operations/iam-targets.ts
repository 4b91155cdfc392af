// What an operation asks IAM about: its resource, built from the request alone — before any
// existence check, so a denial never depends on whether the resource exists. Resource ARNs are
// the Service Authorization Reference's for Amazon Connect
// (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonconnect.html):
// instance/{InstanceId}, instance/{InstanceId}/agent/{UserId}, …/security-profile/{Id},
// …/routing-profile/{Id}, …/queue/{Id}, …/agent-group/{Id}.
//
// Each declaration names its target with one of the constructors below; the member names are
// checked by the compiler against the operation's generated input type.
import { instanceArn, parseConnectArn, type Scope } from "../common/arn.js";

/** A resource type of Connect's ARNs inside an instance. */
export type ChildType = "agent" | "security-profile" | "routing-profile" | "queue" | "agent-group";

/** What one request asks IAM about (the action is added by the service record). */
export interface ResolvedTarget {
  resourceArn: string;
  /** the instance named by the request, when any (connect:InstanceId) */
  instanceId?: string;
  /** the resource inside the instance, when the target is one (its tags are aws:ResourceTag/*) */
  child?: { type: ChildType; id: string };
  /** tags the request attaches (aws:RequestTag/*, aws:TagKeys) */
  requestTags?: Readonly<Record<string, string>>;
  /** tag keys the request names without values (UntagResource's tagKeys: aws:TagKeys only) */
  requestTagKeys?: readonly string[];
  /** the tags a search filters on, each key with the values named for it (connect:SearchTag/*) */
  searchTags?: Readonly<Record<string, readonly string[]>>;
}

export interface IamTarget<I> {
  /**
   * none: resource "*"; instance: the instance; child: one resource in it; children: all of a
   * type in it (…/agent/* for a create); arn: the ARN a member holds (TagResource's resourceArn)
   */
  readonly kind: "none" | "instance" | "child" | "children" | "arn";
  /** child / children: which type */
  readonly type?: ChildType;
  /** the IAM action when it is not `<service>:<OperationName>` */
  readonly action?: string;
  /**
   * The resource(s) the request names (several for a list member: each must be allowed). A
   * property, not a method, so the compiler checks the input type strictly (no bivariance).
   */
  readonly resolve: (input: I, scope: Scope) => ResolvedTarget | ResolvedTarget[];
}

/** Names of the input's string members (what a label or id member can be). */
export type StringMember<I> = { [K in keyof I]-?: NonNullable<I[K]> extends string ? K : never }[keyof I] & string;
/** Names of the input's string-list members (what a list of ids can be). */
export type StringListMember<I> = { [K in keyof I]-?: NonNullable<I[K]> extends readonly string[] ? K : never }[keyof I] & string;
/** Names of the input's string-map members (what a Tags member can be). */
export type TagsMember<I> = {
  [K in keyof I]-?: NonNullable<I[K]> extends { [key: string]: string } ? K : never;
}[keyof I] &
  string;

export interface TargetOptions<I> {
  /** the member whose map is the request's tags (aws:RequestTag/*, aws:TagKeys) */
  requestTags?: TagsMember<I>;
  /** the member whose list is the tag keys the request names (aws:TagKeys; UntagResource) */
  requestTagKeys?: StringListMember<I>;
  /** the IAM action, when not `<service>:<OperationName>` */
  action?: string;
  /** the tags a search request filters on (connect:SearchTag/*; SearchUsers' SearchFilter) */
  searchTags?: (input: I) => Readonly<Record<string, readonly string[]>>;
}

const text = (input: unknown, member: string): string | undefined => {
  const v = (input as Record<string, unknown>)[member];
  return typeof v === "string" ? v : undefined;
};

function tagsOf(input: unknown, member: string | undefined): Readonly<Record<string, string>> | undefined {
  if (member === undefined) return undefined;
  const v = (input as Record<string, unknown>)[member];
  return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, string>) : undefined;
}

/** The instance id a label names: a bare id, or the id inside an instance (or child) ARN. */
export function instanceIdFromLabel(label: string): string {
  const arn = parseConnectArn(label);
  return arn ? arn.instanceId : label;
}

/** A child's id from a bare id or an ARN of that type; any other ARN is kept whole (it names nothing here). */
export function childIdFromLabel(type: ChildType, label: string): string {
  const arn = parseConnectArn(label);
  return arn && arn.rest[0] === type && arn.rest[1] ? arn.rest[1] : label;
}

function tagKeysOf(input: unknown, member: string | undefined): readonly string[] | undefined {
  if (member === undefined) return undefined;
  const v = (input as Record<string, unknown>)[member];
  return Array.isArray(v) ? v.filter((k): k is string => typeof k === "string") : undefined;
}

function withOptions<I>(t: Omit<IamTarget<I>, "action">, o: TargetOptions<I> | undefined): IamTarget<I> {
  const { requestTags, requestTagKeys, searchTags } = o ?? {};
  if (requestTags === undefined && requestTagKeys === undefined && searchTags === undefined && o?.action === undefined) return t;
  return {
    ...t,
    ...(o?.action === undefined ? {} : { action: o.action }),
    resolve: (input, scope) => {
      const r = t.resolve(input, scope);
      const tags = tagsOf(input, requestTags);
      const keys = tagKeysOf(input, requestTagKeys);
      const search = searchTags?.(input);
      if (!tags && !keys && !search) return r;
      const extra = {
        ...(tags ? { requestTags: tags } : {}),
        ...(keys ? { requestTagKeys: keys } : {}),
        ...(search ? { searchTags: search } : {}),
      };
      return Array.isArray(r) ? r.map((x) => ({ ...x, ...extra })) : { ...r, ...extra };
    },
  };
}

/** Resource "*": the action has no resource type (CreateInstance, ListInstances). */
export function noResource<I>(o?: TargetOptions<I>): IamTarget<I> {
  return withOptions<I>({ kind: "none", resolve: () => ({ resourceArn: "*" }) }, o);
}

/** The instance named by `member` (default InstanceId). */
export function onInstance<I>(o?: TargetOptions<I> & { member?: StringMember<I> }): IamTarget<I> {
  const member = o?.member ?? "InstanceId";
  return withOptions<I>(
    {
      kind: "instance",
      resolve(input, scope) {
        const label = text(input, member);
        if (label === undefined) return { resourceArn: "*" };
        const instanceId = instanceIdFromLabel(label);
        return { resourceArn: instanceArn(scope, instanceId), instanceId };
      },
    },
    o,
  );
}

/** One resource inside the instance: …/instance/{InstanceId}/{type}/{member}. */
export function onChild<I>(type: ChildType, member: StringMember<I>, o?: TargetOptions<I>): IamTarget<I> {
  return withOptions<I>(
    {
      kind: "child",
      type,
      resolve(input, scope) {
        const label = text(input, "InstanceId");
        const childLabel = text(input, member);
        if (label === undefined || childLabel === undefined) return { resourceArn: "*" };
        const instanceId = instanceIdFromLabel(label);
        const id = childIdFromLabel(type, childLabel);
        return { resourceArn: `${instanceArn(scope, instanceId)}/${type}/${id}`, instanceId, child: { type, id } };
      },
    },
    o,
  );
}

/** Each resource a list member names (UpdateUserSecurityProfiles' SecurityProfileIds): each must be allowed. */
export function onEachChild<I>(type: ChildType, member: StringListMember<I>, o?: TargetOptions<I>): IamTarget<I> {
  return withOptions<I>(
    {
      kind: "child",
      type,
      resolve(input, scope) {
        const label = text(input, "InstanceId");
        const ids = (input as Record<string, unknown>)[member];
        if (label === undefined || !Array.isArray(ids)) return [];
        const instanceId = instanceIdFromLabel(label);
        return ids
          .filter((x): x is string => typeof x === "string")
          .map((x) => {
            const id = childIdFromLabel(type, x);
            return { resourceArn: `${instanceArn(scope, instanceId)}/${type}/${id}`, instanceId, child: { type, id } };
          });
      },
    },
    o,
  );
}

/** The user named by UserId: …/instance/{InstanceId}/agent/{UserId}. */
export function onUser<I extends { InstanceId: string; UserId: string }>(o?: TargetOptions<I>): IamTarget<I> {
  return onChild<I>("agent", "UserId" as StringMember<I>, o);
}

/** Every resource of a type in the instance, as AWS's examples grant creates: …/{type}/*. */
export function onChildren<I>(type: ChildType, o?: TargetOptions<I>): IamTarget<I> {
  return withOptions<I>(
    {
      kind: "children",
      type,
      resolve(input, scope) {
        const label = text(input, "InstanceId");
        if (label === undefined) return { resourceArn: "*" };
        const instanceId = instanceIdFromLabel(label);
        return { resourceArn: `${instanceArn(scope, instanceId)}/${type}/*`, instanceId };
      },
    },
    o,
  );
}

/**
 * The resource whose ARN the member holds (TagResource, UntagResource, ListTagsForResource); a
 * child resource's tags are read for aws:ResourceTag/* like those of any other target.
 */
export function onArn<I>(member: StringMember<I>, o?: TargetOptions<I>): IamTarget<I> {
  return withOptions<I>(
    {
      kind: "arn",
      resolve(input) {
        const arn = text(input, member) ?? "*";
        const parsed = parseConnectArn(arn);
        if (!parsed) return { resourceArn: arn };
        // Anything below the instance is a child, even of a shape no operation here names (its
        // aws:ResourceTag/* are then its own — none — never the instance's).
        const [type, ...id] = parsed.rest;
        const child = type === undefined ? undefined : { type: type as ChildType, id: id.join("/") };
        return { resourceArn: arn, instanceId: parsed.instanceId, ...(child ? { child } : {}) };
      },
    },
    o,
  );
}
