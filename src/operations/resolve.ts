// Path identifiers arrive as bare IDs or as full ARNs (AWS's own CloudFormation handler for
// AWS::Connect::User passes ARNs wherever the API says Id). An ARN naming another account or region never resolves.
import { inScope, parseConnectArn, type Scope } from "../common/arn.js";
import { resourceNotFound } from "../common/errors.js";
import type { InstanceRecord, UserRecord } from "../store/records.js";
import type { OperationContext } from "./declare.js";

/** Instance ID from an ID or an instance ARN; undefined when the ARN cannot name one here. */
export function instanceIdOf(scope: Scope, label: string): string | undefined {
  const arn = parseConnectArn(label);
  if (!arn) return label;
  if (!inScope(scope, arn) || arn.rest.length > 0) return undefined;
  return arn.instanceId;
}

export async function requireInstance(ctx: OperationContext, label: string): Promise<InstanceRecord> {
  const id = instanceIdOf(ctx.scope, label);
  const instance = id === undefined ? undefined : await ctx.store.instances.get(ctx.scope, id);
  if (!instance) throw resourceNotFound(`Instance not found: ${label}`);
  return instance;
}

/**
 * ID of a resource inside an instance from an ID or an ARN of the form
 * …:instance/<instanceId>/<type>/<id>; undefined when the ARN names another instance or type.
 */
export function childIdOf(scope: Scope, instanceId: string, type: string, label: string): string | undefined {
  const arn = parseConnectArn(label);
  if (!arn) return label;
  if (!inScope(scope, arn) || arn.instanceId !== instanceId) return undefined;
  if (arn.rest.length !== 2 || arn.rest[0] !== type) return undefined;
  return arn.rest[1];
}

export async function requireUser(ctx: OperationContext, instance: InstanceRecord, label: string): Promise<UserRecord> {
  const id = childIdOf(ctx.scope, instance.id, "agent", label);
  const user = id === undefined ? undefined : await ctx.store.users.get(ctx.scope, instance.id, id);
  if (!user) throw resourceNotFound(`User not found: ${label}`);
  return user;
}

export const userIdOf = (ctx: OperationContext, instance: InstanceRecord, label: string) =>
  childIdOf(ctx.scope, instance.id, "agent", label);

/** A stored time (epoch ms) as an output timestamp; the serializer writes the model's format. */
export const timestamp = (ms: number): Date => new Date(ms);
