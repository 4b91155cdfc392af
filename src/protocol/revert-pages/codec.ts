// The revert link's protocol: plain HTML pages for a browser, `/_switchboard/revert/<token>`.
//   GET, HEAD → ShowRevertPage (the confirmation page, with a form that POSTs back)
//   POST      → RevertUserIdentityInfo (the result page)
// Answers: 200 · 404 unknown link · 410 expired or already used · 409 user gone · 405 other
// methods · 503 when the database cannot be reached (the link still works later).
import type { ServiceError } from "../../common/errors.js";
import { REVERT_PATH } from "../../common/paths.js";
import type { Codec, Route } from "../service.js";
import type { WireResponse } from "../wire.js";

export interface RevertRoute extends Route {
  /** the path's last segment, unchecked (authentication checks it) */
  token: string;
}

/** What ShowRevertPage returns for the confirmation page. */
interface PageFacts {
  username: string;
  changedTime: number;
  expiresTime: number;
  maskedEmail?: string;
}

export interface RevertPagesOptions {
  showOperation: string;
  revertOperation: string;
  /** the service's error for a method other than GET, HEAD and POST */
  methodNotAllowed(method: string): ServiceError;
}

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

function errorPage(error: ServiceError): WireResponse {
  switch (error.code) {
    case "RevertLinkNotFound":
      return page(404, "Link not found", ["This revert link is not known. Check that you copied the whole link."]);
    case "RevertLinkExpired":
      return page(410, "Link expired", ["This revert link has expired. Ask your Amazon Connect administrator to restore your details."]);
    case "RevertLinkAlreadyUsed":
      return page(410, "Link already used", ["This revert link has already been used; it works only once."]);
    case "ResourceNotFoundException":
      return page(409, "User no longer exists", ["The user this link was for no longer exists, so there is nothing to restore."]);
    case "MethodNotAllowed": {
      const r = page(405, "Method not allowed", ["Open the link in a browser."]);
      r.headers.Allow = "GET, HEAD, POST";
      return r;
    }
    default:
      return page(503, "Try again later", [
        "The service cannot reach its database right now. The link still works; please try again later.",
      ]);
  }
}

export function revertPagesCodec(options: RevertPagesOptions): Codec<RevertRoute> {
  return {
    route(req, rawPath) {
      const token = rawPath.slice(REVERT_PATH.length);
      if (req.method === "GET" || req.method === "HEAD") return { operation: options.showOperation, token };
      if (req.method === "POST") return { operation: options.revertOperation, token };
      return { operation: options.revertOperation, token, error: options.methodNotAllowed(req.method) };
    },
    decode: (route) => ({ token: route.token }),
    validate: (_operation, input) => input,
    encodeOutput(operation, output) {
      if (operation === options.showOperation) {
        const f = output as PageFacts;
        return page(
          200,
          "Restore your previous details?",
          [
            `On ${iso(f.changedTime)} the identity information of the Amazon Connect user "${f.username}" was changed.`,
            `Restoring puts back the name, e-mail${f.maskedEmail ? ` (${f.maskedEmail})` : ""}, secondary e-mail and mobile the user had before that change.`,
            `This link works once, until ${iso(f.expiresTime)}.`,
          ],
          true,
        );
      }
      return page(200, "Restored", [
        "The previous identity information has been restored.",
        "Tell your Amazon Connect administrator about the change you did not expect: whoever made it may still be able to make it again.",
      ]);
    },
    encodeError: errorPage,
  };
}
