// The revert link of the old-address alert, `/_switchboard/revert/<token>`, as a service of its
// own on the one request pipeline: its callers authenticate with the token (no SigV4: the token
// is the credential), its pages are its codec (protocol/revert-pages/).
//   ShowRevertPage (GET, HEAD) — the confirmation page; changes nothing (mail scanners follow links);
//   RevertUserIdentityInfo (POST) — restores the previous identity info, in ONE transaction with
//     consuming the token and its audit event.
// Refused uses of a real link are audited (expired, already used, user gone); unknown links are
// not (they name no one).
import { identityChanges } from "../audit/identity-changes.js";
import type { Caller } from "../common/caller.js";
import { resourceNotFound, ServiceError } from "../common/errors.js";
import { maskValue } from "../common/mask.js";
import { declarer, type ServedOperation, served } from "../operations/declare.js";
import type { RevertTokenRecord } from "../store/records.js";
import type { Store } from "../store/store.js";
import { hashRevertToken, TOKEN_FORMAT } from "./revert-token.js";

export const REVERT_EVENT_NAME = "RevertUserIdentityInfo";
export const SHOW_PAGE_OPERATION = "ShowRevertPage";

/** The revert service's errors (its pages say what each means). */
export const REVERT_ERRORS = {
  RevertLinkNotFound: 404,
  RevertLinkExpired: 410,
  RevertLinkAlreadyUsed: 410,
  MethodNotAllowed: 405,
} as const;
export type RevertErrorName = keyof typeof REVERT_ERRORS;

export const revertError = (name: RevertErrorName, message: string): ServiceError =>
  new ServiceError(name, REVERT_ERRORS[name], message, undefined, "message");

/** What the confirmation page shows: when, whose, and the old e-mail masked. */
export interface RevertPageFacts {
  username: string;
  changedTime: number;
  expiresTime: number;
  maskedEmail?: string;
}

interface RevertInput {
  token: string;
}
interface Inputs {
  ShowRevertPage: RevertInput;
  RevertUserIdentityInfo: RevertInput;
}
interface Outputs {
  ShowRevertPage: RevertPageFacts;
  RevertUserIdentityInfo: undefined;
}

const scopeOf = (t: RevertTokenRecord) => ({ account: t.account, region: t.region });

/** Refuses a token that cannot be used now (read without changing anything). */
function checkUsable(t: RevertTokenRecord | undefined, now: number): RevertTokenRecord {
  if (!t) throw revertError("RevertLinkNotFound", "The revert link is not known.");
  if (t.usedTime !== undefined) throw revertError("RevertLinkAlreadyUsed", "The revert link has already been used.");
  if (now >= t.expiresTime) throw revertError("RevertLinkExpired", "The revert link has expired.");
  return t;
}

const userGone = () => resourceNotFound("The user no longer exists.");

/**
 * Authentication by the token: its shape is checked without a database read, then its hash
 * names the link. The caller is whoever holds it, named by the hash (never the token).
 */
export function revertLinkAuthenticator(store: Store) {
  return async (token: string): Promise<{ caller: Caller; account: string; region: string }> => {
    if (!TOKEN_FORMAT.test(token)) throw revertError("RevertLinkNotFound", "The revert link is not known.");
    const tokenHash = hashRevertToken(token);
    const t = await store.outbox.getRevertToken(tokenHash);
    if (!t) throw revertError("RevertLinkNotFound", "The revert link is not known.");
    const caller: Caller = {
      kind: "revert-link",
      accessKeyId: "",
      principalArn: "",
      account: t.account,
      principalId: `revert-link/${tokenHash.slice(0, 16)}`,
    };
    return { caller, account: t.account, region: t.region };
  };
}

const revertOperation = declarer<Inputs, Outputs>();

const showRevertPage = revertOperation("ShowRevertPage", {
  iam: [], // the token is the credential
  mutates: false,
  async handle({ token }, ctx) {
    const t = checkUsable(await ctx.store.outbox.getRevertToken(hashRevertToken(token)), ctx.clock.now());
    const user = await ctx.store.users.get(scopeOf(t), t.instanceId, t.userId);
    if (!user) throw userGone();
    const email = t.previous.email;
    return {
      username: user.username,
      changedTime: t.createdTime,
      expiresTime: t.expiresTime,
      ...(email ? { maskedEmail: maskValue(email) } : {}),
    };
  },
});

const revertUserIdentityInfo = revertOperation("RevertUserIdentityInfo", {
  iam: [], // the token is the credential
  mutates: true,
  async handle({ token }, ctx) {
    const tokenHash = hashRevertToken(token);
    const now = ctx.clock.now();
    const found = await ctx.store.outbox.getRevertToken(tokenHash);
    if (found) {
      ctx.audit.requestParameters = { instanceId: found.instanceId, userId: found.userId };
      ctx.audit.targetUserId = found.userId;
    }
    const t = checkUsable(found, now);
    const scope = scopeOf(t);
    // Lock the user first, then consume the token: two concurrent POSTs queue on the row lock,
    // and the second finds the token used (useRevertToken is the race-free gate).
    const user = await ctx.store.users.lockForUpdate(scope, t.instanceId, t.userId);
    if (!user) throw userGone();
    if (!(await ctx.store.outbox.useRevertToken(tokenHash, now))) {
      throw revertError("RevertLinkAlreadyUsed", "The revert link has already been used.");
    }
    if (!(await ctx.store.users.updateIdentityInfo(scope, t.instanceId, t.userId, t.previous, now))) throw userGone();
    ctx.audit.additionalEventData = identityChanges(user.identityInfo, t.previous);
    return undefined;
  },
});

export const REVERT_OPERATIONS: Readonly<Record<string, ServedOperation>> = {
  ShowRevertPage: served(showRevertPage, "switchboard"),
  RevertUserIdentityInfo: served(revertUserIdentityInfo, "switchboard"),
};
