// The one request the bench replays: UpdateUserIdentityInfo, signed once with AWS's own signer.
// SigV4 has no nonce, so the same bytes stay valid for 5 minutes (the allowed clock skew).
import { SignatureV4 } from "@smithy/signature-v4";
import { NodeSha256 } from "./node-sha256.js";

export const REGION = "us-east-1";
export const CREDENTIALS = { accessKeyId: "test", secretAccessKey: "test" };

export const IDENTITY_BODY = JSON.stringify({ IdentityInfo: { FirstName: "Bench", LastName: "User", Email: "bench@example.com" } });

export interface SignedRequest {
  method: "POST";
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

/** Send it once with fetch (which sets the same Host itself) and return the status and body. */
export async function sendOnce(req: SignedRequest): Promise<{ status: number; text: string }> {
  const { host: _host, ...headers } = req.headers;
  const res = await fetch(req.url, { method: req.method, headers, body: req.body });
  return { status: res.status, text: await res.text() };
}
