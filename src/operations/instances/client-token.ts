// CreateInstance's ClientToken: an idempotency token (smithy.api#idempotencyToken in the model;
// the SDKs fill in a UUID when the caller gives none), so a retried call returns the instance the
// first call created instead of creating a second one
// (https://docs.aws.amazon.com/connect/latest/APIReference/API_CreateInstance.html,
// https://aws.amazon.com/builders-library/making-retries-safe-with-idempotent-APIs/).
//
// The same token with other parameters is refused. The model lists no IdempotencyException for
// CreateInstance, so the refusal is an InvalidRequestException naming clientToken. The instance
// is compared as it is now: a retry after its tags were changed is refused too (the conservative
// reading — Switchboard never answers a call AWS might refuse).
import { invalidRequest } from "../../common/errors.js";
import type { CreateInstanceRequest, CreateInstanceResponse } from "../../model/types.gen.js";
import type { InstanceRecord } from "../../store/records.js";
import type { OperationContext } from "../declare.js";

/** The token a call carries; an empty one (the model allows length 0) identifies nothing. */
export const clientTokenOf = (input: CreateInstanceRequest): string | undefined =>
  input.ClientToken === undefined || input.ClientToken === "" ? undefined : input.ClientToken;

function sameTags(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => b[k] === a[k]);
}

/** Whether the call asks for exactly the instance the token's first call created. */
function sameRequest(input: CreateInstanceRequest, instance: InstanceRecord): boolean {
  return (
    input.IdentityManagementType === instance.identityManagementType &&
    input.InstanceAlias === instance.alias &&
    input.DirectoryId === instance.directoryId &&
    // the values CreateInstance was given (UpdateInstanceAttribute changes what is reported, not these)
    input.InboundCallsEnabled === instance.inboundCallsEnabled &&
    input.OutboundCallsEnabled === instance.outboundCallsEnabled &&
    sameTags(input.Tags ?? {}, instance.tags)
  );
}

/**
 * The answer of an earlier call with this call's token (same account and region), if there was
 * one; throws when the token was used for another request.
 */
export async function replayedCreate(ctx: OperationContext, input: CreateInstanceRequest): Promise<CreateInstanceResponse | undefined> {
  const token = clientTokenOf(input);
  if (token === undefined) return undefined;
  const earlier = await ctx.store.instances.getByClientToken(ctx.scope, token);
  if (earlier === undefined) return undefined;
  if (!sameRequest(input, earlier)) {
    throw invalidRequest(
      `Value at 'clientToken' failed to satisfy constraint: The client token was already used by a CreateInstance call with different parameters (instance ${earlier.id}).`,
    );
  }
  ctx.audit.responseElements = { id: earlier.id, arn: earlier.arn };
  return { Id: earlier.id, Arn: earlier.arn };
}
