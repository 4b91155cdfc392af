// The one request the bench replays: UpdateUserIdentityInfo, signed once with AWS's own signer.
// SigV4 has no nonce, so the same bytes stay valid for 5 minutes (the allowed clock skew).
import { SignatureV4 } from "@smithy/signature-v4";
import { NodeSha256 } from "./node-sha256.js";

export const REGION = "us-east-1";
export const CREDENTIALS = { accessKeyId: "test", secretAccessKey: "test" };

export const IDENTITY_BODY = JSON.stringify({ IdentityInfo: { FirstName: "Bench", LastName: "User", Email: "bench@example.com" } });

export interface SignedRequest {
  method: "POST" | "GET" | "PUT";
  /** absolute URL, e.g. http://127.0.0.1:4599/users/…/identity-info */
  url: string;
  /** exactly what goes on the wire (lower-case names), host included; Content-Length is added by the client */
  headers: Record<string, string>;
  body: string;
}

/** Sign POST /users/{InstanceId}/{UserId}/identity-info for the server at baseUrl (http://127.0.0.1:PORT). */
export async function signIdentityUpdate(baseUrl: string, instanceId: string, userId: string): Promise<SignedRequest> {
  const url = new URL(baseUrl);
  const path = `/users/${encodeURIComponent(instanceId)}/${encodeURIComponent(userId)}/identity-info`;
  const signer = new SignatureV4({ service: "connect", region: REGION, credentials: CREDENTIALS, sha256: NodeSha256 });
  const signed = await signer.sign({
    method: "POST",
    protocol: "http:",
    hostname: url.hostname,
    port: Number(url.port),
    path,
    query: {},
    headers: { host: url.host, "content-type": "application/json" },
    body: IDENTITY_BODY,
  });
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(signed.headers)) headers[k.toLowerCase()] = String(v);
  return { method: "POST", url: `${url.origin}${path}`, headers, body: IDENTITY_BODY };
}

/**
 * Any Connect REST request, signed the same way: `path` already percent-encoded, `query` sent as
 * given (encoded with encodeURIComponent, as SigV4's canonical query string is).
 */
export async function signRequest(
  baseUrl: string,
  method: SignedRequest["method"],
  path: string,
  opts: { query?: Record<string, string>; body?: string } = {},
): Promise<SignedRequest> {
  const url = new URL(baseUrl);
  const signer = new SignatureV4({ service: "connect", region: REGION, credentials: CREDENTIALS, sha256: NodeSha256 });
  const headers: Record<string, string> = { host: url.host };
  if (opts.body !== undefined) headers["content-type"] = "application/json";
  const signed = await signer.sign({
    method,
    protocol: "http:",
    hostname: url.hostname,
    port: Number(url.port),
    path,
    query: opts.query ?? {},
    headers,
    ...(opts.body !== undefined ? { body: opts.body } : {}),
  });
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(signed.headers)) out[k.toLowerCase()] = String(v);
  const qs = Object.entries(opts.query ?? {})
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join("&");
  return { method, url: `${url.origin}${path}${qs ? `?${qs}` : ""}`, headers: out, body: opts.body ?? "" };
}

/** Send it once with fetch (which sets the same Host itself) and return the status and body. */
export async function sendOnce(req: SignedRequest): Promise<{ status: number; text: string }> {
  const { host: _host, ...headers } = req.headers;
  const res = await fetch(req.url, { method: req.method, headers, ...(req.method === "GET" ? {} : { body: req.body }) });
  return { status: res.status, text: await res.text() };
}
