// Queues the old-address alert from inside UpdateUserIdentityInfo. It runs in the operation's
// transaction (ctx.store is transaction-bound), so the message and its revert token commit with
// the change and its audit event, or not at all. Delivery is someone else's job (delivery.ts).
import { randomUUID } from "node:crypto";
import type { OperationContext } from "../operations/types.js";
import type { IdentityInfo } from "../store/records.js";
import type { LockedUser } from "../store/store.js";
import { emailChangedMessage } from "./email-changed.js";
import { newRevertToken, revertUrl } from "./revert-token.js";

export const EMAIL_CHANGED_KIND = "email-changed";

/** True when the primary e-mail changed and there was an old one to tell. */
export const mustAlertOldAddress = (before: IdentityInfo, after: IdentityInfo): boolean =>
  before.email !== undefined && before.email !== "" && before.email !== after.email;

export async function queueOldAddressAlert(ctx: OperationContext, user: LockedUser, after: IdentityInfo): Promise<void> {
  const before = user.identityInfo;
  if (!mustAlertOldAddress(before, after)) return;
  const now = ctx.clock.now();
  const expiresTime = now + ctx.notifications.revertTtlMs;
  const { token, tokenHash } = newRevertToken();
  await ctx.store.outbox.putRevertToken({
    tokenHash,
    account: ctx.scope.account,
    region: ctx.scope.region,
    instanceId: user.instanceId,
    userId: user.id,
    previous: before,
    createdTime: now,
    expiresTime,
  });
  const message = emailChangedMessage({
    before,
    after,
    username: user.username,
    userId: user.id,
    instanceId: user.instanceId,
    principalArn: ctx.caller.principalArn,
    sourceIp: ctx.sourceIp,
    time: now,
    revertUrl: revertUrl(ctx.notifications.publicUrl, token),
    expiresTime,
  });
  await ctx.store.outbox.enqueue({
    id: randomUUID(),
    createdTime: now,
    account: ctx.scope.account,
    region: ctx.scope.region,
    kind: EMAIL_CHANGED_KIND,
    recipient: message.recipient,
    subject: message.subject,
    body: message.body,
    status: "pending",
    attempts: 0,
    nextAttemptTime: now,
  });
}
