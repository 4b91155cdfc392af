// Authentication: who is calling, in which account and region. SigV4 verification itself lives
// in ./sigv4; this file binds it to the credential store and to the error shapes.
import { ServiceError } from "../common/errors.js";
import type { Caller } from "../operations/types.js";
import { type SigV4Input, verifySigV4 } from "./sigv4/index.js";

export interface CredentialRecord {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  account: string;
  principalArn: string;
  kind: "root" | "user";
  userName?: string;
}

export interface CredentialStore {
  lookup(accessKeyId: string): CredentialRecord | undefined;
  /**
   * Optional, called before every authentication with the access key id the request claims
   * (unverified; "" when none): a chance to reload a cache first. Returns a promise only when
   * it has work to do, so the common case costs nothing.
   */
  prepare?(claimedAccessKeyId: string): Promise<unknown> | undefined;
}

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

/** The codes authentication failures carry (audited as failed authentications). */
export const AUTH_FAILURE_CODES: ReadonlySet<string> = new Set([
  "MissingAuthenticationTokenException",
  "IncompleteSignatureException",
  "UnrecognizedClientException",
  "InvalidSignatureException",
  "ExpiredTokenException",
]);

export interface Authenticated {
  caller: Caller;
  account: string;
  region: string;
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
  if (!result.ok) throw new ServiceError(result.code, result.status, result.message, undefined, "message");
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
