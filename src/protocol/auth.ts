// Authentication: who is calling, in which account and region. SigV4 verification itself lives
// in ./sigv4; this file binds it to the credential store and to the error shapes.
import type { Caller, CredentialRecord, CredentialStore } from "../common/caller.js";
import { frameworkError } from "../common/errors.js";
import { firstRawHeader } from "./headers.js";
import type { Authenticate, Authenticated } from "./service.js";
import { type SigV4Input, verifySigV4 } from "./sigv4/index.js";

export { AUTH_FAILURE_CODES } from "../common/errors.js";
export type { Authenticated, CredentialRecord, CredentialStore };

/**
 * The access key id a request claims — from `Authorization: … Credential=KEY/…` or a presigned
 * URL's `X-Amz-Credential=KEY%2F…` — without verifying anything; "" when none. No regex, no
 * decoding: access key ids are word characters.
 */
export function claimedAccessKeyId(authorization: string | undefined, rawQuery: string): string {
  if (authorization !== undefined) {
    const i = authorization.indexOf("Credential=");
    if (i >= 0) {
      const start = i + 11;
      const end = authorization.indexOf("/", start);
      return end > start ? authorization.slice(start, end) : "";
    }
  }
  const q = rawQuery.indexOf("X-Amz-Credential=");
  if (q < 0) return "";
  const start = q + 17;
  let end = start;
  while (end < rawQuery.length) {
    const c = rawQuery.charCodeAt(end);
    if (c === 0x2f /* / */ || c === 0x25 /* % */ || c === 0x26 /* & */) break;
    end++;
  }
  return rawQuery.slice(start, end);
}

export class StaticCredentials implements CredentialStore {
  private readonly byKey = new Map<string, CredentialRecord>();
  constructor(records: readonly CredentialRecord[]) {
    for (const r of records) this.byKey.set(r.accessKeyId, r);
  }
  lookup(accessKeyId: string): CredentialRecord | undefined {
    return this.byKey.get(accessKeyId);
  }
}

export interface AuthOptions {
  mode: "sigv4" | "off";
  credentials: CredentialStore;
  /** account used for unknown access keys when mode is "off" */
  defaultAccount: string;
  service: string;
  now(): number;
}

// Region names as the model's RegionName pattern allows (e.g. us-east-1, us-gov-west-1).
const REGION = /^[a-z]{2}(-[a-z]+){1,2}(-[0-9])?$/;
const acceptRegion = (r: string) => REGION.test(r);

export function authenticate(input: SigV4Input, opts: AuthOptions): Authenticated {
  const result = verifySigV4(input, {
    service: opts.service,
    nowMs: opts.now(),
    acceptRegion,
    verifySignature: opts.mode === "sigv4",
    checkClock: opts.mode === "sigv4",
    lookup: (key) => {
      const found = opts.credentials.lookup(key);
      if (found || opts.mode === "sigv4") return found;
      // --auth off: any key is accepted and names the caller in the default account.
      return { accessKeyId: key, secretAccessKey: "" };
    },
  });
  if (!result.ok) throw frameworkError(result.code, result.message);
  const record = opts.credentials.lookup(result.accessKeyId);
  const account = record?.account ?? opts.defaultAccount;
  // --auth off with an unknown key: the key names an IAM user of the default account.
  const caller: Caller = record
    ? { accessKeyId: result.accessKeyId, principalArn: record.principalArn, account, kind: record.kind, userName: record.userName }
    : {
        accessKeyId: result.accessKeyId,
        principalArn: `arn:aws:iam::${account}:user/${result.accessKeyId}`,
        account,
        kind: "user",
        userName: result.accessKeyId,
      };
  return { caller, account, region: result.region };
}

/**
 * SigV4 authentication for one signing name (connect, cloudtrail): lets the credential cache
 * reload first when the claimed key is new to it (a key created by `switchboard iam`
 * meanwhile), then verifies. Synchronous unless a reload is due.
 */
export function sigv4Authenticator(opts: AuthOptions): Authenticate {
  return (req, _route, rawQuery) => {
    const input = { method: req.method, rawUrl: req.url, rawHeaders: req.rawHeaders, body: req.body };
    const preparing = opts.credentials.prepare?.(claimedAccessKeyId(firstRawHeader(req.rawHeaders, "authorization"), rawQuery));
    if (preparing) return preparing.then(() => authenticate(input, opts));
    return authenticate(input, opts);
  };
}
