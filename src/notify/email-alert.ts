// The old-address alert: subscribes to UpdateUserIdentityInfo's "user-identity-changed" event.
// It runs in the change's transaction (ctx.store is transaction-bound), so the message and its
// revert token commit with the change and its audit event, or not at all. Delivery is someone
// else's job (delivery.ts).
import { randomUUID } from "node:crypto";
import type { ChangeSubscriber } from "../operations/events.js";
import type { IdentityInfo } from "../store/records.js";
import { emailChangedMessage } from "./email-changed.js";
import { newRevertToken, revertUrl } from "./revert-token.js";

export const EMAIL_CHANGED_KIND = "email-changed";

/** True when the primary e-mail changed and there was an old one to tell. */
export const mustAlertOldAddress = (before: IdentityInfo, after: IdentityInfo): boolean =>
  before.email !== undefined && before.email !== "" && before.email !== after.email;

export interface NotificationSettings {
  /** how long a revert link stays valid */
  revertTtlMs: number;
  /** base URL of links in messages, e.g. http://127.0.0.1:4599 (read when a message is written) */
  publicUrl: string;
}

/**
 * The subscriber that writes the alert (and its revert token) to the outbox. It acts only when the
 * e-mail changes (mustAlertOldAddress), and says so (actsOn): an identity change that leaves the
 * e-mail as it was may then run as one statement (UpdateUserIdentityInfo's handleAtOnce).
 */
export const oldAddressAlert = (settings: NotificationSettings): ChangeSubscriber =>
  Object.assign(alertOldAddress(settings), { actsOn: { "user-identity-changed": ["email"] } } as const);

const alertOldAddress =
  (settings: NotificationSettings) =>
  async (...[event, ctx]: Parameters<ChangeSubscriber>): Promise<void> => {
    if (event.kind !== "user-identity-changed") return;
    const { user, before, after } = event;
    if (!mustAlertOldAddress(before, after)) return;
    const now = ctx.clock.now();
    const expiresTime = now + settings.revertTtlMs;
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
      revertUrl: revertUrl(settings.publicUrl, token),
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
  };
