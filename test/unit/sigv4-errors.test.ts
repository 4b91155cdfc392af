// verifySigV4 against requests signed by the real SDK signer (@smithy/signature-v4, what
// @aws-sdk/client-connect uses) and against each failure AWS distinguishes (https://docs.aws.amazon.com/IAM/latest/UserGuide/signature-v4-troubleshooting.html,
// §1.7): the code, the 403 status and the message text clients show.
import assert from "node:assert/strict";
import { createHash, createHmac, type Hash, type Hmac } from "node:crypto";
import { describe, test } from "node:test";
import { HttpRequest } from "@smithy/core/protocols";
import { SignatureV4 } from "@smithy/signature-v4";
import type { AwsCredentialIdentity, Checksum, HttpRequest as SignedRequest, SourceData } from "@smithy/types";
import {
  type SigningCredential,
  type SigV4Input,
  type VerifyOptions,
  type VerifyResult,
  verifySigV4,
} from "../../src/protocol/sigv4/index.js";

const SIGNED_AT = Date.UTC(2026, 0, 1, 0, 0, 0); // 20260101T000000Z
const HOST = "127.0.0.1:4599";
const KEY: SigningCredential = {
  accessKeyId: "AKIDSWITCHBOARD",
  secretAccessKey: "sw1tchb0ard/SECRET+key",
};
const TEMP_KEY: SigningCredential = {
  accessKeyId: "ASIASWITCHBOARD",
  secretAccessKey: "temporary/SECRET+key",
  sessionToken: "the-good-token/+=",
};

/** SHA-256 / HMAC-SHA256 for the Smithy signer, on node:crypto (no @aws-crypto installed). */
class NodeSha256 implements Checksum {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }
  private fresh(): Hash | Hmac {
    if (this.secret === undefined) return createHash("sha256");
    const key = this.secret instanceof ArrayBuffer ? Buffer.from(this.secret) : (this.secret as string | Uint8Array);
    return createHmac("sha256", key);
  }
  update(chunk: Uint8Array | string): void {
    this.hash.update(chunk);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.fresh();
  }
}

interface RequestSpec {
  method: string;
  path: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string;
}

function smithySigner(credentials: AwsCredentialIdentity = KEY, region = "us-east-1", service = "connect"): SignatureV4 {
  return new SignatureV4({ credentials, region, service, sha256: NodeSha256 });
}

function smithyRequest(spec: RequestSpec): HttpRequest {
  return new HttpRequest({
    method: spec.method,
    protocol: "http:",
    hostname: "127.0.0.1",
    port: 4599,
    path: spec.path,
    query: spec.query ?? {},
    headers: { host: HOST, ...spec.headers },
    body: spec.body,
  });
}

/** RFC 3986 encoding as the SDK's query builder writes it (encodeURIComponent + !'()*). */
function encodeQueryPart(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The request as it arrives at Node: req.url, rawHeaders, body bytes. */
function asWire(req: SignedRequest, body?: string): SigV4Input {
  const query = Object.entries(req.query ?? {})
    .flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((x) => `${encodeQueryPart(k)}=${encodeQueryPart(String(x ?? ""))}`))
    .join("&");
  return {
    method: req.method,
    rawUrl: query === "" ? req.path : `${req.path}?${query}`,
    rawHeaders: Object.entries(req.headers).flat(),
    body: Buffer.from(body ?? "", "utf8"),
  };
}

async function sdkSigned(spec: RequestSpec, signer = smithySigner(), signedAt = SIGNED_AT): Promise<SigV4Input> {
  const signed = await signer.sign(smithyRequest(spec), { signingDate: new Date(signedAt) });
  return asWire(signed, spec.body);
}

async function sdkPresigned(spec: RequestSpec, expiresIn: number, signer = smithySigner()) {
  const signed = await signer.presign(smithyRequest(spec), {
    signingDate: new Date(SIGNED_AT),
    expiresIn,
  });
  return asWire(signed, spec.body);
}

function verify(input: SigV4Input, overrides: Partial<VerifyOptions> = {}): VerifyResult {
  return verifySigV4(input, {
    lookup: (id) => [KEY, TEMP_KEY].find((k) => k.accessKeyId === id),
    service: "connect",
    nowMs: SIGNED_AT,
    ...overrides,
  });
}

function assertFailure(result: VerifyResult, code: string, message?: string | RegExp): void {
  assert.equal(result.ok, false, `expected ${code}`);
  assert.ok(!result.ok);
  assert.equal(result.code, code);
  assert.equal(result.status, 403);
  if (typeof message === "string") assert.equal(result.message, message);
  else if (message !== undefined) assert.match(result.message, message);
}

function withHeader(input: SigV4Input, name: string, value: string | undefined): SigV4Input {
  const rawHeaders: string[] = [];
  for (let i = 0; i + 1 < input.rawHeaders.length; i += 2) {
    const n = input.rawHeaders[i] as string;
    if (n.toLowerCase() === name.toLowerCase()) {
      if (value !== undefined) rawHeaders.push(n, value);
    } else {
      rawHeaders.push(n, input.rawHeaders[i + 1] as string);
    }
  }
  return { ...input, rawHeaders };
}

function header(input: SigV4Input, name: string): string {
  for (let i = 0; i + 1 < input.rawHeaders.length; i += 2) {
    if ((input.rawHeaders[i] as string).toLowerCase() === name) return input.rawHeaders[i + 1] as string;
  }
  throw new Error(`no ${name} header`);
}

const IDENTITY_INFO = {
  method: "POST",
  path: "/users/inst-1/user%201%2F%C3%A9%3Ax/identity-info",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ IdentityInfo: { FirstName: "Zoë", LastName: "O'Brien" } }),
};

describe("requests signed by @smithy/signature-v4", () => {
  test("POST with an encoded label and a JSON body verifies (double-encoded path)", async () => {
    const input = await sdkSigned(IDENTITY_INFO);
    assert.match(header(input, "x-amz-content-sha256"), /^[0-9a-f]{64}$/);
    assert.deepEqual(verify(input), {
      ok: true,
      accessKeyId: KEY.accessKeyId,
      region: "us-east-1",
      presigned: false,
    });
  });

  test("the same request with the path decoded once is rejected: the raw path is what counts", async () => {
    const input = await sdkSigned(IDENTITY_INFO);
    const decoded = { ...input, rawUrl: "/users/inst-1/user%201%2Fé%3Ax/identity-info" };
    assertFailure(verify(decoded), "InvalidSignatureException", /user%25201%252F%C3%A9%253Ax/);
  });

  test("GET with a sorted, fully encoded query verifies", async () => {
    const input = await sdkSigned({
      method: "GET",
      path: "/users-summary/inst-1",
      query: { nextToken: "abc+/=~*", maxResults: "10" },
    });
    assert.match(input.rawUrl, /nextToken=abc%2B%2F%3D~%2A/);
    assert.equal(verify(input).ok, true);
  });

  test("presigned GET verifies, and says so", async () => {
    const input = await sdkPresigned({ method: "GET", path: "/users/inst-1/u%201" }, 3600);
    assert.match(input.rawUrl, /X-Amz-Algorithm=AWS4-HMAC-SHA256/);
    assert.deepEqual(verify(input), {
      ok: true,
      accessKeyId: KEY.accessKeyId,
      region: "us-east-1",
      presigned: true,
    });
  });

  test("temporary credentials: the signed session token must match", async () => {
    const good = await sdkSigned({ method: "GET", path: "/users/inst-1/u-1" }, smithySigner(TEMP_KEY));
    assert.deepEqual(verify(good), {
      ok: true,
      accessKeyId: TEMP_KEY.accessKeyId,
      region: "us-east-1",
      sessionToken: TEMP_KEY.sessionToken,
      presigned: false,
    });
    const presigned = await sdkPresigned({ method: "GET", path: "/users/inst-1/u-1" }, 60, smithySigner(TEMP_KEY));
    assert.equal(verify(presigned).ok, true);
  });

  test("a mismatch message shows both canonical strings and never the secret", async () => {
    const input = await sdkSigned(IDENTITY_INFO);
    const result = verify({ ...input, method: "PUT" });
    assertFailure(
      result,
      "InvalidSignatureException",
      /^The request signature we calculated does not match the signature you provided\. Check your AWS Secret Access Key and signing method\. Consult the service documentation for details\.\n\nThe Canonical String for this request should have been\n'PUT\n\/users\/inst-1\/user%25201%252F%25C3%25A9%253Ax\/identity-info\n\n[\s\S]*'\n\nThe String-to-Sign should have been\n'AWS4-HMAC-SHA256\n20260101T000000Z\n20260101\/us-east-1\/connect\/aws4_request\n[0-9a-f]{64}'\n$/,
    );
    assert.ok(!result.ok && !result.message.includes(KEY.secretAccessKey));
  });
});

describe("missing or incomplete authentication", () => {
  const base = { method: "GET", rawUrl: "/users/inst-1/u-1", body: Buffer.alloc(0) };
  const dated = ["Host", HOST, "X-Amz-Date", "20260101T000000Z"];
  const credential = "Credential=AKIDSWITCHBOARD/20260101/us-east-1/connect/aws4_request";
  const signature = `Signature=${"0".repeat(64)}`;

  test("no Authorization header and no query auth → MissingAuthenticationToken", () => {
    assertFailure(verify({ ...base, rawHeaders: dated }), "MissingAuthenticationTokenException", "Missing Authentication Token");
    // Other X-Amz-* query parameters are not authentication.
    assertFailure(verify({ ...base, rawUrl: "/x?X-Amz-Foo=1", rawHeaders: dated }), "MissingAuthenticationTokenException");
    // Auth off still needs a caller to name.
    assertFailure(verify({ ...base, rawHeaders: dated }, { verifySignature: false }), "MissingAuthenticationTokenException");
  });

  const parts = {
    Credential: credential,
    SignedHeaders: "SignedHeaders=host;x-amz-date",
    Signature: signature,
  };
  for (const missing of ["Credential", "Signature", "SignedHeaders"] as const) {
    test(`Authorization without ${missing} → IncompleteSignature naming it`, () => {
      const authorization = `AWS4-HMAC-SHA256 ${Object.entries(parts)
        .filter(([k]) => k !== missing)
        .map(([, v]) => v)
        .join(", ")}`;
      assertFailure(
        verify({ ...base, rawHeaders: [...dated, "Authorization", authorization] }),
        "IncompleteSignatureException",
        `Authorization header requires '${missing}' parameter. Authorization=${authorization}`,
      );
    });
  }

  test("no X-Amz-Date and no Date → IncompleteSignature", () => {
    const authorization = `AWS4-HMAC-SHA256 ${Object.values(parts).join(", ")}`;
    assertFailure(
      verify({ ...base, rawHeaders: ["Host", HOST, "Authorization", authorization] }),
      "IncompleteSignatureException",
      `Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=${authorization}`,
    );
  });

  test("an Authorization that is not SigV4 lists every missing part", () => {
    assertFailure(
      verify({ ...base, rawHeaders: ["Host", HOST, "Authorization", "Bearer abc"] }),
      "IncompleteSignatureException",
      "Authorization header requires 'Credential' parameter. " +
        "Authorization header requires 'Signature' parameter. " +
        "Authorization header requires 'SignedHeaders' parameter. " +
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. " +
        "Authorization=Bearer abc",
    );
  });

  test("parts without a space after the commas still parse", async () => {
    const input = await sdkSigned({ method: "GET", path: "/users/inst-1/u-1" });
    const squeezed = header(input, "authorization").replace(/, /g, ",");
    assert.equal(verify(withHeader(input, "authorization", squeezed)).ok, true);
  });

  test("an unsupported algorithm → IncompleteSignature", () => {
    const authorization = `AWS4-HMAC-SHA512 ${Object.values(parts).join(", ")}`;
    assertFailure(
      verify({ ...base, rawHeaders: [...dated, "Authorization", authorization] }),
      "IncompleteSignatureException",
      "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512' (only AWS4-HMAC-SHA256 for now). ",
    );
  });

  test("a Credential without five parts → IncompleteSignature", () => {
    const authorization = `AWS4-HMAC-SHA256 Credential=AKIDSWITCHBOARD/20260101/us-east-1, SignedHeaders=host;x-amz-date, ${signature}`;
    assertFailure(
      verify({ ...base, rawHeaders: [...dated, "Authorization", authorization] }),
      "IncompleteSignatureException",
      "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'AKIDSWITCHBOARD/20260101/us-east-1'",
    );
  });

  test("a malformed X-Amz-Date → IncompleteSignature", async () => {
    const input = await sdkSigned({ method: "GET", path: "/users/inst-1/u-1" });
    assertFailure(
      verify(withHeader(input, "x-amz-date", "2026-01-01T00:00:00Z")),
      "IncompleteSignatureException",
      "Date must be in ISO-8601 'basic format'. Got '2026-01-01T00:00:00Z'. See http://en.wikipedia.org/wiki/ISO_8601",
    );
  });

  test("Host must be signed", () => {
    const authorization = `AWS4-HMAC-SHA256 ${credential}, SignedHeaders=x-amz-date, ${signature}`;
    assertFailure(
      verify({ ...base, rawHeaders: [...dated, "Authorization", authorization] }),
      "InvalidSignatureException",
      "'Host' must be a 'SignedHeader' in the AWS Authorization.",
    );
  });

  test("presigned URL missing parameters → IncompleteSignature listing them", () => {
    assertFailure(
      verify({ ...base, rawUrl: "/x?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=ab", rawHeaders: ["Host", HOST] }),
      "IncompleteSignatureException",
      "AWS query-string parameters must include 'X-Amz-Credential'. " +
        "AWS query-string parameters must include 'X-Amz-SignedHeaders'. " +
        "AWS query-string parameters must include 'X-Amz-Date'. " +
        "Re-examine the query-string parameters.",
    );
  });

  test("header and query auth together → IncompleteSignature", async () => {
    const input = await sdkSigned({ method: "GET", path: "/users/inst-1/u-1" });
    assertFailure(
      verify({ ...input, rawUrl: `${input.rawUrl}?X-Amz-Algorithm=AWS4-HMAC-SHA256` }),
      "IncompleteSignatureException",
      "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.",
    );
  });
});

describe("credential checks", () => {
  test("unknown access key → UnrecognizedClient", async () => {
    const input = await sdkSigned(
      { method: "GET", path: "/users/inst-1/u-1" },
      smithySigner({ accessKeyId: "AKIDNOBODY", secretAccessKey: "x" }),
    );
    assertFailure(verify(input), "UnrecognizedClientException", "The security token included in the request is invalid.");
  });

  test("wrong service in the scope → InvalidSignature", async () => {
    const input = await sdkSigned({ method: "GET", path: "/users/inst-1/u-1" }, smithySigner(KEY, "us-east-1", "lambda"));
    assertFailure(verify(input), "InvalidSignatureException", "Credential should be scoped to correct service: 'connect'. ");
  });

  test("a region the server does not accept → InvalidSignature", async () => {
    const input = await sdkSigned({ method: "GET", path: "/users/inst-1/u-1" });
    assertFailure(
      verify(input, { acceptRegion: (r) => r === "eu-west-2" }),
      "InvalidSignatureException",
      "Credential should be scoped to a valid region, not 'us-east-1'. ",
    );
    assert.equal(verify(input, { acceptRegion: (r) => r === "us-east-1" }).ok, true);
  });

  test("scope date different from X-Amz-Date → InvalidSignature", async () => {
    const input = await sdkSigned({ method: "GET", path: "/users/inst-1/u-1" });
    const nextDay = withHeader(input, "x-amz-date", "20260102T000000Z");
    assertFailure(
      verify(nextDay, { checkClock: false }),
      "InvalidSignatureException",
      "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20260101' != '20260102', from '20260102T000000Z'. ",
    );
  });

  test("several scope problems are reported together, in AWS's order", async () => {
    const input = await sdkSigned({ method: "GET", path: "/x" }, smithySigner(KEY, "mars-1", "lambda"));
    assertFailure(
      verify(input, { acceptRegion: () => false }),
      "InvalidSignatureException",
      "Credential should be scoped to a valid region, not 'mars-1'. Credential should be scoped to correct service: 'connect'. ",
    );
  });

  test("session token that is not the credential's → UnrecognizedClient", async () => {
    const wrongToken = await sdkSigned(
      { method: "GET", path: "/users/inst-1/u-1" },
      smithySigner({ ...TEMP_KEY, sessionToken: "some-other-token" }),
    );
    assertFailure(verify(wrongToken), "UnrecognizedClientException", "The security token included in the request is invalid.");
    const noToken = await sdkSigned(
      { method: "GET", path: "/users/inst-1/u-1" },
      smithySigner({ accessKeyId: TEMP_KEY.accessKeyId, secretAccessKey: TEMP_KEY.secretAccessKey }),
    );
    assertFailure(verify(noToken), "UnrecognizedClientException");
  });
});

describe("clock", () => {
  const FIVE_MIN = 5 * 60 * 1000;

  test("signed more than 5 minutes ago → Signature expired", async () => {
    const input = await sdkSigned({ method: "GET", path: "/users/inst-1/u-1" });
    assertFailure(
      verify(input, { nowMs: SIGNED_AT + FIVE_MIN + 60_000 }),
      "InvalidSignatureException",
      "Signature expired: 20260101T000000Z is now earlier than 20260101T000100Z (20260101T000600Z - 5 min.)",
    );
    assert.equal(verify(input, { nowMs: SIGNED_AT + FIVE_MIN }).ok, true);
    assert.equal(verify(input, { nowMs: SIGNED_AT + FIVE_MIN + 60_000, checkClock: false }).ok, true);
  });

  test("signed more than 5 minutes ahead → Signature not yet current", async () => {
    const input = await sdkSigned({ method: "GET", path: "/users/inst-1/u-1" });
    assertFailure(
      verify(input, { nowMs: SIGNED_AT - FIVE_MIN - 60_000 }),
      "InvalidSignatureException",
      "Signature not yet current: 20260101T000000Z is still later than 20251231T235900Z (20251231T235400Z + 5 min.)",
    );
    assert.equal(verify(input, { nowMs: SIGNED_AT - FIVE_MIN }).ok, true);
  });

  test("presigned URL past X-Amz-Expires → rejected; within it → accepted", async () => {
    const input = await sdkPresigned({ method: "GET", path: "/users/inst-1/u-1" }, 900);
    assert.equal(verify(input, { nowMs: SIGNED_AT + 900_000 }).ok, true);
    assertFailure(
      verify(input, { nowMs: SIGNED_AT + 901_000 }),
      "InvalidSignatureException",
      "Signature expired: 20260101T000000Z is now earlier than 20260101T000001Z (20260101T001501Z - 900 sec.)",
    );
  });

  test("X-Amz-Expires above 7 days → rejected", async () => {
    const input = await sdkPresigned({ method: "GET", path: "/users/inst-1/u-1" }, 3600);
    const tooLong = { ...input, rawUrl: input.rawUrl.replace("X-Amz-Expires=3600", "X-Amz-Expires=604801") };
    assertFailure(verify(tooLong), "IncompleteSignatureException", /604800/);
  });

  test("the Date header stands in for X-Amz-Date", () => {
    // Signed by hand: SignedHeaders=date;host, the timestamp taken from the HTTP-date.
    const httpDate = "Thu, 01 Jan 2026 00:00:00 GMT";
    const canonicalRequest = `GET\n/users/inst-1/u-1\n\ndate:${httpDate}\nhost:${HOST}\n\ndate;host\n${createHash("sha256").update("").digest("hex")}`;
    const scope = "20260101/us-east-1/connect/aws4_request";
    const stringToSign = `AWS4-HMAC-SHA256\n20260101T000000Z\n${scope}\n${createHash("sha256").update(canonicalRequest).digest("hex")}`;
    const hmac = (key: string | Buffer, data: string) => createHmac("sha256", key).update(data).digest();
    const key = hmac(hmac(hmac(hmac(`AWS4${KEY.secretAccessKey}`, "20260101"), "us-east-1"), "connect"), "aws4_request");
    const sig = createHmac("sha256", key).update(stringToSign).digest("hex");
    const input: SigV4Input = {
      method: "GET",
      rawUrl: "/users/inst-1/u-1",
      rawHeaders: [
        "Host",
        HOST,
        "Date",
        httpDate,
        "Authorization",
        `AWS4-HMAC-SHA256 Credential=${KEY.accessKeyId}/${scope}, SignedHeaders=date;host, Signature=${sig}`,
      ],
      body: Buffer.alloc(0),
    };
    assert.equal(verify(input).ok, true);
    assertFailure(verify(input, { nowMs: SIGNED_AT + 10 * 60_000 }), "InvalidSignatureException", /^Signature expired/);
  });
});

describe("payload", () => {
  test("x-amz-content-sha256 that is not the body's hash → InvalidSignature", async () => {
    const input = await sdkSigned(IDENTITY_INFO);
    const otherBody = Buffer.from(IDENTITY_INFO.body.replace("Zoë", "Zoe"), "utf8");
    assertFailure(
      verify({ ...input, body: otherBody }),
      "InvalidSignatureException",
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
    );
  });

  test("UNSIGNED-PAYLOAD is refused (Connect's SDKs always sign the body; issue 10, defect 7)", async () => {
    const input = await sdkSigned({
      ...IDENTITY_INFO,
      headers: { ...IDENTITY_INFO.headers, "x-amz-content-sha256": "UNSIGNED-PAYLOAD" },
    });
    assertFailure(
      verify({ ...input, body: Buffer.from("anything") }),
      "InvalidSignatureException",
      "x-amz-content-sha256: UNSIGNED-PAYLOAD is not accepted by this service; sign the request body.",
    );
  });
});

describe("auth off (verifySignature: false)", () => {
  test("accepts a bad signature and an unknown key, still returning the caller", async () => {
    const input = await sdkSigned(
      { method: "GET", path: "/users/inst-1/u-1" },
      smithySigner({ accessKeyId: "AKIDANYONE", secretAccessKey: "whatever" }, "eu-west-2"),
    );
    const forged = withHeader(input, "authorization", header(input, "authorization").replace(/Signature=[0-9a-f]+/, "Signature=forged"));
    assert.deepEqual(verify(forged, { verifySignature: false, nowMs: 0 }), {
      ok: true,
      accessKeyId: "AKIDANYONE",
      region: "eu-west-2",
      presigned: false,
    });
  });

  test("still needs a well-formed Credential", () => {
    const input: SigV4Input = {
      method: "GET",
      rawUrl: "/",
      rawHeaders: ["Host", HOST, "Authorization", "AWS4-HMAC-SHA256 Signature=ab"],
      body: Buffer.alloc(0),
    };
    assertFailure(verify(input, { verifySignature: false }), "IncompleteSignatureException", /'Credential'/);
  });
});
