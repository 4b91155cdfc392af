// Switchboard's own endpoints for test suites, beside the AWS APIs on the same port:
//   POST /_switchboard/reset     back to the seed state (store cleared, --iam file and seed re-applied)
//   GET  /_switchboard/snapshot  the store exported (snapshot/); PUT imports one
// Only the account root may call them, SigV4-signed (signing name `connect`, any region), as
// with the AWS APIs: with --auth off any signature passes but the key must still be the root's.
import type { Caller, CredentialStore } from "./common/caller.js";
import { frameworkError, ServiceError } from "./common/errors.js";
import { authenticate } from "./protocol/auth.js";
import type { WireRequest, WireResponse } from "./protocol/wire.js";

export interface AdminOptions {
  mode: "sigv4" | "off";
  credentials: CredentialStore;
  defaultAccount: string;
  now(): number;
}

const json = (status: number, body: unknown, extra: Record<string, string> = {}): WireResponse => ({
  status,
  headers: { "Content-Type": "application/json", ...extra },
  body: JSON.stringify(body),
});

function errorResponse(err: unknown): WireResponse {
  if (err instanceof ServiceError) return json(err.status, { message: err.message }, { "x-amzn-ErrorType": err.code });
  return json(500, { message: "An internal error occurred." }, { "x-amzn-ErrorType": "InternalServiceException" });
}

/** The root caller of a signed request; a ServiceError (401/403) otherwise. */
async function rootCaller(req: WireRequest, opts: AdminOptions): Promise<Caller> {
  const claimed = /Credential=(\w+)\//.exec(String(req.headers.authorization ?? ""))?.[1] ?? "";
  await opts.credentials.prepare?.(claimed);
  const { caller } = authenticate(
    { method: req.method, rawUrl: req.url, rawHeaders: req.rawHeaders, body: req.body },
    { mode: opts.mode, credentials: opts.credentials, defaultAccount: opts.defaultAccount, service: "connect", now: opts.now },
  );
  if (caller.kind !== "root") {
    throw new ServiceError(
      "AccessDeniedException",
      403,
      `${caller.principalArn} is not authorized: only the account root may call Switchboard's own endpoints.`,
    );
  }
  return caller;
}

export type AdminHandler = (req: WireRequest, caller: Caller) => Promise<WireResponse>;

/** One endpoint: its methods, each a handler run after the root check. */
export function adminRoute(
  opts: AdminOptions,
  methods: Readonly<Record<string, AdminHandler>>,
): (req: WireRequest) => Promise<WireResponse> {
  return async (req) => {
    try {
      const handler = methods[req.method];
      if (!handler) {
        return json(
          405,
          { message: `${req.method} is not allowed here.` },
          { Allow: Object.keys(methods).join(", "), "x-amzn-ErrorType": "MethodNotAllowed" },
        );
      }
      return await handler(req, await rootCaller(req, opts));
    } catch (err) {
      return errorResponse(err);
    }
  };
}

export { frameworkError, json as adminJson };
