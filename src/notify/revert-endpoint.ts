// The revert link of the old-address alert: `/_switchboard/revert/<token>`, answered before the
// Connect pipeline (no SigV4: the token is the credential).
//   GET  shows a confirmation page and changes nothing (mail scanners follow links);
//   POST restores the previous identity info, in ONE transaction with consuming the token and
//        the audit event "RevertUserIdentityInfo".
// Answers: 200 restored · 404 unknown token · 410 expired or already used · 409 user gone.
import { randomUUID } from "node:crypto";
import type { Clock } from "../common/clock.js";
import type { Logger } from "../common/log.js";
import { maskValue } from "../common/mask.js";
import { identityChanges } from "../operations/users/identity-changes.js";
import { buildAuditEvent } from "../protocol/audit-record.js";
import type { WireRequest } from "../protocol/pipeline.js";
import type { WireResponse } from "../protocol/restjson/serialize.js";
import type { RevertTokenRecord } from "../store/records.js";
import type { Store } from "../store/store.js";
import { hashRevertToken, REVERT_PATH, TOKEN_FORMAT } from "./revert-token.js";

export const REVERT_EVENT_NAME = "RevertUserIdentityInfo";

export interface RevertEndpointDeps {
  store: Store;
  clock: Clock;
  logger: Logger;
}

type Outcome = "restored" | "unknown" | "expired" | "used" | "user-gone";

const STATUS: Record<Outcome, number> = { restored: 200, unknown: 404, expired: 410, used: 410, "user-gone": 409 };

/** Error codes of refused reverts in the audit trail. */
const ERROR_CODE: Partial<Record<Outcome, string>> = {
  expired: "RevertLinkExpired",
  used: "RevertLinkAlreadyUsed",
  "user-gone": "ResourceNotFoundException",
};

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string);

function page(status: number, title: string, paragraphs: string[], form = false): WireResponse {
  const body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:36em;margin:3em auto;padding:0 1em;line-height:1.5}button{font-size:1em;padding:.5em 1em}</style>
</head><body><h1>${escapeHtml(title)}</h1>
${paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join("\n")}
${form ? '<form method="post"><button type="submit">Restore the previous identity information</button></form>\n' : ""}</body></html>
`;
  return {
    status,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      // The token is in the URL: never cached, never sent on as a Referer, never framed.
      "Cache-Control": "no-store",
      "Referrer-Policy": "no-referrer",
      "X-Content-Type-Options": "nosniff",
      "X-Frame-Options": "DENY",
      "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
    },
    body,
  };
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

function refusal(outcome: Exclude<Outcome, "restored">): WireResponse {
  switch (outcome) {
    case "unknown":
      return page(404, "Link not found", ["This revert link is not known. Check that you copied the whole link."]);
    case "expired":
      return page(410, "Link expired", ["This revert link has expired. Ask your Amazon Connect administrator to restore your details."]);
    case "used":
      return page(410, "Link already used", ["This revert link has already been used; it works only once."]);
    case "user-gone":
      return page(409, "User no longer exists", ["The user this link was for no longer exists, so there is nothing to restore."]);
  }
}

/** What a token allows now, read without changing anything. */
function state(t: RevertTokenRecord | undefined, now: number): Exclude<Outcome, "restored"> | "valid" {
  if (!t) return "unknown";
  if (t.usedTime !== undefined) return "used";
  if (now >= t.expiresTime) return "expired";
  return "valid";
}

const header = (h: WireRequest["headers"], name: string): string | undefined => {
  const v = h[name];
  return Array.isArray(v) ? v.join(", ") : v;
};

function unavailable(logger: Logger, err: unknown): WireResponse {
  logger.log("error", "revert link: store error", { error: err instanceof Error ? err.message : String(err) });
  return page(503, "Try again later", ["The service cannot reach its database right now. The link still works; please try again later."]);
}

export function createRevertEndpoint(deps: RevertEndpointDeps): (req: WireRequest) => Promise<WireResponse | undefined> {
  const { store, clock, logger } = deps;

  async function confirmPage(token: string): Promise<WireResponse> {
    const t = await store.outbox.getRevertToken(hashRevertToken(token));
    const s = state(t, clock.now());
    if (s !== "valid") return refusal(s);
    const rt = t as RevertTokenRecord;
    const user = await store.users.get({ account: rt.account, region: rt.region }, rt.instanceId, rt.userId);
    if (!user) return refusal("user-gone");
    const email = rt.previous.email;
    return page(
      200,
      "Restore your previous details?",
      [
        `On ${iso(rt.createdTime)} the identity information of the Amazon Connect user "${user.username}" was changed.`,
        `Restoring puts back the name, e-mail${email ? ` (${maskValue(email)})` : ""}, secondary e-mail and mobile the user had before that change.`,
        `This link works once, until ${iso(rt.expiresTime)}.`,
      ],
      true,
    );
  }

  async function revert(token: string, req: WireRequest): Promise<WireResponse> {
    const tokenHash = hashRevertToken(token);
    const requestId = randomUUID();
    const outcome = await store.atomically(async (tx): Promise<Outcome> => {
      const now = clock.now();
      const t = await tx.outbox.getRevertToken(tokenHash);
      const s = state(t, now);
      if (s === "unknown") return s; // not attributable to anything: not audited
      const rt = t as RevertTokenRecord;
      const scope = { account: rt.account, region: rt.region };
      let result: Outcome = s === "valid" ? "restored" : s;
      let changes: Record<string, unknown> | undefined;
      if (result === "restored") {
        // Lock the user first, then consume the token: two concurrent POSTs queue on the row
        // lock, and the second finds the token used (useRevertToken is the race-free gate).
        const user = await tx.users.lockForUpdate(scope, rt.instanceId, rt.userId);
        if (!user) result = "user-gone";
        else if (!(await tx.outbox.useRevertToken(tokenHash, now))) result = "used";
        else if (!(await tx.users.updateIdentityInfo(scope, rt.instanceId, rt.userId, rt.previous, now))) result = "user-gone";
        else changes = identityChanges(user.identityInfo, rt.previous);
      }
      const code = ERROR_CODE[result];
      const event = buildAuditEvent({
        operation: REVERT_EVENT_NAME,
        eventTime: now,
        requestId,
        account: rt.account,
        region: rt.region,
        sourceIp: req.sourceIp,
        userAgent: header(req.headers, "user-agent"),
        requestParameters: { instanceId: rt.instanceId, userId: rt.userId },
        notes: { targetUserId: rt.userId, ...(changes ? { additionalEventData: changes } : {}) },
        ...(code ? { errorCode: code, errorMessage: refusalMessage(result) } : {}),
      });
      // The caller is whoever holds the link: named by the token's hash (not the token).
      event.record.userIdentity = {
        type: "SwitchboardRevertLink",
        principalId: `revert-link/${tokenHash.slice(0, 16)}`,
        accountId: rt.account,
      };
      await tx.audit.record(event);
      return result;
    });
    logger.log("info", "revert link", { requestId, outcome, status: STATUS[outcome], sourceIp: req.sourceIp });
    if (outcome !== "restored") return refusal(outcome);
    return page(200, "Restored", [
      "The previous identity information has been restored.",
      "Tell your Amazon Connect administrator about the change you did not expect: whoever made it may still be able to make it again.",
    ]);
  }

  return async (req) => {
    const q = req.url.indexOf("?");
    const path = q < 0 ? req.url : req.url.slice(0, q);
    if (!path.startsWith(REVERT_PATH)) return undefined;
    const token = path.slice(REVERT_PATH.length);
    if (!TOKEN_FORMAT.test(token)) return refusal("unknown");
    try {
      if (req.method === "GET" || req.method === "HEAD") return await confirmPage(token);
      if (req.method === "POST") return await revert(token, req);
    } catch (err) {
      return unavailable(logger, err);
    }
    const r = page(405, "Method not allowed", ["Open the link in a browser."]);
    r.headers.Allow = "GET, HEAD, POST";
    return r;
  };
}

function refusalMessage(outcome: Outcome): string {
  if (outcome === "expired") return "The revert link has expired.";
  if (outcome === "used") return "The revert link has already been used.";
  return "The user no longer exists.";
}
