// AWS's SigV4 test suite (aws-c-auth v4 vectors, copied under test/fixtures/sigv4-suite with
// its LICENSE/NOTICE). For every normalize=true case, header and query variants: our canonical
// request, string to sign and signature must equal the files, verifySigV4 must accept the
// request, and one changed byte (body, a signed header, the signature) must be rejected.
// The *-unnormalized cases are S3 rules (paths signed unnormalised); Connect never uses them.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import type { SigV4Input, VerifyOptions } from "../../src/protocol/sigv4/index.js";
import { parseCredential, readRequestAuth } from "../../src/protocol/sigv4/request-auth.js";
import { computeSigningMaterial, payloadHashLine, verifySigV4 } from "../../src/protocol/sigv4/verify.js";

const SUITE_DIR = fileURLToPath(new URL("../fixtures/sigv4-suite/", import.meta.url));

interface CaseContext {
  credentials: { access_key_id: string; secret_access_key: string; token?: string };
  normalize: boolean;
  region: string;
  service: string;
  timestamp: string;
  omit_session_token?: boolean;
}

/**
 * Parses a `*-signed-request.txt`: `METHOD target HTTP/1.1`, `Name:value` lines (an indented
 * line continues the previous value, kept with its line break so the canonicaliser has to
 * unfold it), a blank line, the body. rawHeaders is built the way Node builds it: names as
 * sent, values trimmed at both ends, inner whitespace kept.
 */
function parseSignedRequest(text: string): SigV4Input {
  const blank = text.indexOf("\n\n");
  const head = blank === -1 ? text : text.slice(0, blank);
  const body = blank === -1 ? "" : text.slice(blank + 2);
  const [requestLine = "", ...headerLines] = head.split("\n");
  const method = requestLine.slice(0, requestLine.indexOf(" "));
  const rawUrl = requestLine.slice(method.length + 1, requestLine.lastIndexOf(" HTTP/"));
  const rawHeaders: string[] = [];
  for (const line of headerLines) {
    if (line === "") continue;
    if (line.startsWith(" ") || line.startsWith("\t")) {
      const last = rawHeaders.length - 1;
      rawHeaders[last] = `${rawHeaders[last]}\r\n${line}`;
      continue;
    }
    const colon = line.indexOf(":");
    rawHeaders.push(line.slice(0, colon), line.slice(colon + 1));
  }
  for (let i = 1; i < rawHeaders.length; i += 2) rawHeaders[i] = (rawHeaders[i] as string).trim();
  return { method, rawUrl, rawHeaders, body: Buffer.from(body, "utf8") };
}

function readCase(name: string, file: string): string {
  return readFileSync(join(SUITE_DIR, name, file), "utf8");
}

const caseNames = readdirSync(SUITE_DIR)
  .filter((name) => statSync(join(SUITE_DIR, name)).isDirectory())
  .sort();

test("the copied suite is complete: 38 cases", () => {
  assert.equal(caseNames.length, 38);
});

const connectCases = caseNames.filter((name) => (JSON.parse(readCase(name, "context.json")) as CaseContext).normalize);

for (const name of connectCases) {
  const context = JSON.parse(readCase(name, "context.json")) as CaseContext;
  const nowMs = Date.parse(context.timestamp);
  const options: VerifyOptions = {
    lookup: (id) =>
      id === context.credentials.access_key_id
        ? {
            accessKeyId: id,
            secretAccessKey: context.credentials.secret_access_key,
            sessionToken: context.credentials.token,
          }
        : undefined,
    service: context.service,
    nowMs,
    checkClock: false,
  };

  describe(name, () => {
    for (const variant of ["header", "query"] as const) {
      const input = parseSignedRequest(readCase(name, `${variant}-signed-request.txt`));
      // post-sts-header-after, query variant: the token was added to the URL after signing,
      // so the expected canonical query leaves it out (the verifier retries that way).
      const tokenAddedAfterSigning = variant === "query" && context.omit_session_token === true;

      test(`${variant}: canonical request, string to sign and signature match the suite`, () => {
        const auth = readRequestAuth(input);
        assert.ok(!("ok" in auth), "auth found");
        const scope = parseCredential(auth.credential);
        assert.ok(scope !== undefined);
        const payloadLine = payloadHashLine(auth, input.body);
        assert.ok(payloadLine !== undefined);
        const material = computeSigningMaterial(
          input,
          auth,
          scope,
          auth.dateValue,
          context.credentials.secret_access_key,
          payloadLine,
          tokenAddedAfterSigning,
        );
        assert.equal(material.canonicalRequest, readCase(name, `${variant}-canonical-request.txt`));
        assert.equal(material.stringToSign, readCase(name, `${variant}-string-to-sign.txt`));
        assert.equal(material.signature, readCase(name, `${variant}-signature.txt`));
        assert.equal(auth.signature, material.signature, "the request carries that signature");
      });

      test(`${variant}: accepted (clock off, and clock on at the signing time)`, () => {
        const expected = {
          ok: true,
          accessKeyId: "AKIDEXAMPLE",
          region: "us-east-1",
          presigned: variant === "query",
        };
        const result = verifySigV4(input, options);
        assert.deepEqual({ ...result, sessionToken: undefined }, { ...expected, sessionToken: undefined });
        assert.equal(result.ok && result.sessionToken, context.credentials.token === undefined ? undefined : context.credentials.token);
        assert.equal(verifySigV4(input, { ...options, checkClock: true }).ok, true);
      });

      test(`${variant}: one changed body byte is rejected`, () => {
        const body =
          input.body.length === 0
            ? Buffer.from("x")
            : Buffer.concat([Buffer.from([input.body[0] === 0x41 ? 0x42 : 0x41]), input.body.subarray(1)]);
        const result = verifySigV4({ ...input, body }, options);
        assert.equal(result.ok, false);
        assert.equal(!result.ok && result.code, "InvalidSignatureException");
        assert.equal(!result.ok && result.status, 403);
      });

      test(`${variant}: a changed signed header (Host) is rejected`, () => {
        const rawHeaders = input.rawHeaders.map((value, i) =>
          i % 2 === 1 && (input.rawHeaders[i - 1] ?? "").toLowerCase() === "host" ? `${value}x` : value,
        );
        const result = verifySigV4({ ...input, rawHeaders }, options);
        assert.equal(!result.ok && result.code, "InvalidSignatureException");
      });

      test(`${variant}: a changed signature is rejected, with AWS's explanation`, () => {
        const flip = (sig: string) => `${sig.slice(0, -1)}${sig.endsWith("0") ? "1" : "0"}`;
        const signature = readCase(name, `${variant}-signature.txt`);
        const tampered: SigV4Input =
          variant === "query"
            ? { ...input, rawUrl: input.rawUrl.replace(signature, flip(signature)) }
            : {
                ...input,
                rawHeaders: input.rawHeaders.map((v) => v.replace(`Signature=${signature}`, `Signature=${flip(signature)}`)),
              };
        const result = verifySigV4(tampered, options);
        assert.equal(result.ok, false);
        assert.ok(!result.ok);
        assert.equal(result.code, "InvalidSignatureException");
        if (!tokenAddedAfterSigning) {
          // the session token's value is masked in the echoed canonical request (issue 10, defect 4)
          const canonical = readCase(name, `${variant}-canonical-request.txt`)
            .replace(/^(x-amz-security-token:).*$/gm, "$1***")
            .replace(/((?:^|&)X-Amz-Security-Token=)[^&\n]*/gm, "$1***");
          assert.ok(
            result.message.includes(
              `The Canonical String for this request should have been\n'${canonical}'\n\n` +
                `The String-to-Sign should have been\n'${readCase(name, `${variant}-string-to-sign.txt`)}'\n`,
            ),
          );
        }
      });
    }
  });
}
