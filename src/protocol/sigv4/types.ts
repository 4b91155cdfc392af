// Public shapes of the SigV4 verifier. Kept apart from the code so the parsing and the
// verification modules can share them without importing each other.

/** What the verifier needs from an HTTP request, taken straight off the wire. */
export interface SigV4Input {
  method: string;
  /** Node's `req.url`: the raw request target, path still percent-encoded, query included. */
  rawUrl: string;
  /**
   * Node's `req.rawHeaders` ([name, value, name, value, …]). Not `req.headers`: that one joins
   * repeats with ", " and drops duplicate Host fields, which changes what was signed.
   */
  rawHeaders: readonly string[];
  /** The body exactly as received, before any parsing. */
  body: Buffer;
}

export interface SigningCredential {
  accessKeyId: string;
  secretAccessKey: string;
  /** When set, requests must carry this exact token (X-Amz-Security-Token header or query). */
  sessionToken?: string;
}

export type CredentialLookup = (accessKeyId: string) => SigningCredential | undefined;

export interface VerifyOptions {
  lookup: CredentialLookup;
  /** The signing name the credential scope must name, e.g. "connect". */
  service: string;
  /** Server time in epoch milliseconds (injected so tests control the clock). */
  nowMs: number;
  /** Default true: enforce the ±5 min window and presigned-URL expiry. */
  checkClock?: boolean;
  /** Which scope regions this server answers for. Default: any non-empty region. */
  acceptRegion?: (region: string) => boolean;
  /**
   * Default true. false = "auth off": the Credential is still parsed (the access key id and
   * region scope the caller's data), but any signature, date, scope and key are accepted.
   */
  verifySignature?: boolean;
}

export type SigV4ErrorCode =
  | "MissingAuthenticationTokenException"
  | "IncompleteSignatureException"
  | "UnrecognizedClientException"
  | "InvalidSignatureException"
  | "ExpiredTokenException";

export interface VerifyFailure {
  ok: false;
  code: SigV4ErrorCode;
  status: number;
  message: string;
}

export interface VerifySuccess {
  ok: true;
  accessKeyId: string;
  region: string;
  sessionToken?: string;
  presigned: boolean;
}

export type VerifyResult = VerifySuccess | VerifyFailure;
