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

/** Runs in the change's transaction (ctx.store is transaction-bound); a throw undoes the change. */
export type ChangeSubscriber = (event: ChangeEvent, ctx: OperationContext) => Promise<void>;
