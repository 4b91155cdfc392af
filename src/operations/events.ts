// Changes operations report, for whoever subscribes (the old-address alert, in notify/). An
// operation emits; the invoke step delivers each event to the subscribers inside the change's
// transaction. Operations never import their subscribers.
import type { IdentityInfo } from "../store/records.js";
import type { LockedUser } from "../store/store.js";
import type { OperationContext } from "./declare.js";

/** A user's identity info was replaced (UpdateUserIdentityInfo). */
export interface UserIdentityChanged {
  kind: "user-identity-changed";
  user: LockedUser;
  before: IdentityInfo;
  after: IdentityInfo;
}

export type ChangeEvent = UserIdentityChanged;

/** What a subscriber may act on, by kind of change: the members whose change it may act on. */
export interface ChangeInterest {
  "user-identity-changed"?: readonly (keyof IdentityInfo)[];
}

/** Runs in the change's transaction (ctx.store is transaction-bound); a throw undoes the change. */
export interface ChangeSubscriber {
  (event: ChangeEvent, ctx: OperationContext): Promise<void>;
  /**
   * Declares that the subscriber does nothing for a change outside these members (a kind not
   * named: nothing for any change of it). An operation may then make such a change in one store
   * call without reporting it (Declaration.handleAtOnce). Absent: it may act on any change.
   */
  readonly actsOn?: ChangeInterest;
}

/**
 * The members of a kind of change that some subscriber may act on; "any" when a subscriber
 * declared nothing (every change of that kind must then be reported).
 */
export function watchedMembers<K extends keyof ChangeInterest>(
  subscribers: readonly ChangeSubscriber[],
  kind: K,
): NonNullable<ChangeInterest[K]> | "any" {
  const members = new Set<NonNullable<ChangeInterest[K]>[number]>();
  for (const s of subscribers) {
    if (!s.actsOn) return "any";
    for (const m of s.actsOn[kind] ?? []) members.add(m);
  }
  return [...members] as NonNullable<ChangeInterest[K]>;
}
