// The console is a Connect API client like any other: every call is signed with SigV4 in the
// browser by the AWS SDK for JavaScript v3 and sent to this origin, so IAM policies, throttling and
// the audit trail apply exactly as for any SDK. The secret lives in memory, and in sessionStorage
// (this tab only) when the user asks to stay signed in — never in a cookie, localStorage or a URL.
import { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { ConnectClient } from "@aws-sdk/client-connect";
import { Sha256 } from "@smithy/core/checksum";
import { SignatureV4 } from "@smithy/signature-v4";

export interface Session {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  region: string;
}

const KEY = "switchboard.console.session";
let current: Session | undefined;
let connectClient: ConnectClient | undefined;
let cloudTrailClient: CloudTrailClient | undefined;

export function session(): Session | undefined {
  if (current) return current;
  const kept = sessionStorage.getItem(KEY);
  if (kept) current = JSON.parse(kept) as Session;
  return current;
}

export function signIn(s: Session, keep: boolean): void {
  signOut();
  current = s;
  if (keep) sessionStorage.setItem(KEY, JSON.stringify(s));
}

export function signOut(): void {
  current = undefined;
  connectClient?.destroy();
  cloudTrailClient?.destroy();
  connectClient = undefined;
  cloudTrailClient = undefined;
  sessionStorage.removeItem(KEY);
}

function credentials(s: Session) {
  return { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey, ...(s.sessionToken ? { sessionToken: s.sessionToken } : {}) };
}

function need(): Session {
  const s = session();
  if (!s) throw new Error("Not signed in");
  return s;
}

export function connect(): ConnectClient {
  const s = need();
  connectClient ??= new ConnectClient({
    endpoint: location.origin,
    region: s.region,
    credentials: credentials(s),
    retryMode: "adaptive",
    maxAttempts: 6,
  });
  return connectClient;
}

export function cloudTrail(): CloudTrailClient {
  const s = need();
  cloudTrailClient ??= new CloudTrailClient({ endpoint: location.origin, region: s.region, credentials: credentials(s), maxAttempts: 3 });
  return cloudTrailClient;
}

/** An error as AWS SDKs raise them. */
export class ApiError extends Error {
  constructor(
    override readonly name: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** Switchboard's own API (access report, chain status): awsJson1.1 at /_switchboard/api, signing name `switchboard`. */
export async function switchboard<T>(operation: string, body: Record<string, unknown> = {}): Promise<T> {
  const s = need();
  const signer = new SignatureV4({ service: "switchboard", region: s.region, credentials: credentials(s), sha256: Sha256 });
  const text = JSON.stringify(body);
  const signed = await signer.sign({
    method: "POST",
    protocol: location.protocol,
    hostname: location.hostname,
    ...(location.port ? { port: Number(location.port) } : {}),
    path: "/_switchboard/api",
    query: {},
    headers: { host: location.host, "content-type": "application/x-amz-json-1.1", "x-amz-target": `Switchboard.${operation}` },
    body: text,
  });
  const { host: _host, ...headers } = signed.headers;
  const res = await fetch("/_switchboard/api", { method: "POST", headers, body: text });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new ApiError(String(json.__type ?? "Error"), String(json.message ?? res.statusText), res.status);
  return json as T;
}

/**
 * An error as one clear sentence: an AccessDenied names the action refused, a 501 says the server
 * does not implement the operation yet.
 */
export function describe(err: unknown, operation?: string): string {
  const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
  const name = e?.name ?? "Error";
  const message = e?.message ?? String(err);
  if (name === "AccessDeniedException" || name === "AccessDenied") {
    const action = /perform: (\S+)/.exec(message)?.[1];
    return `Access denied: you are not allowed to perform ${action ?? operation ?? "this action"}. ${message}`;
  }
  if (name === "NotImplementedException" || e?.$metadata?.httpStatusCode === 501) {
    return `Not available: this server does not implement ${operation ?? "this operation"} yet (NotImplementedException).`;
  }
  if (name === "ThrottlingException") return `Throttled: the request rate is exceeded; try again in a moment. (${message})`;
  return `${name}: ${message}`;
}

/** True when a failure still proves the credentials are valid (the signature was accepted). */
export function authenticatedFailure(err: unknown): boolean {
  const name = (err as { name?: string })?.name;
  return name === "AccessDeniedException" || name === "NotImplementedException";
}
