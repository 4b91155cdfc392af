// The canonicalisation rules of SigV4 (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html), one function at a time.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  canonicalHeaders,
  canonicalQuery,
  canonicalUri,
  normalizeHeaderValue,
  normalizePath,
  payloadHash,
} from "../../src/protocol/sigv4/canonical.js";
import { clearSigningKeyCache, signingKey, signingKeyCacheSize } from "../../src/protocol/sigv4/signing-key.js";

describe("canonical URI", () => {
  test("normalises dot segments and empty segments the non-S3 way", () => {
    assert.equal(normalizePath("//example//"), "/example/");
    assert.equal(normalizePath("/example/.."), "/");
    assert.equal(normalizePath("/./example"), "/example");
    assert.equal(normalizePath("/a/b/../c/./d/"), "/a/c/d/");
    assert.equal(normalizePath(""), "/");
    assert.equal(normalizePath("/"), "/");
    assert.equal(normalizePath("/.hidden/x"), "/.hidden/x");
  });

  test("double-encodes an SDK path that arrives already percent-encoded", () => {
    assert.equal(
      canonicalUri("/users/inst-1/user%201%2F%C3%A9%3Ax/identity-info"),
      "/users/inst-1/user%25201%252F%25C3%25A9%253Ax/identity-info",
    );
    assert.equal(
      canonicalUri("/users/arn%3Aaws%3Aconnect%3Aus-east-1%3A1%3Ainstance%2Finst-1"),
      "/users/arn%253Aaws%253Aconnect%253Aus-east-1%253A1%253Ainstance%252Finst-1",
    );
  });

  test("encodes raw text once: every byte but A-Za-z0-9-_.~ and /", () => {
    assert.equal(canonicalUri("/example space/"), "/example%20space/");
    assert.equal(canonicalUri("/ሴ"), "/%E1%88%B4");
    assert.equal(canonicalUri("/-._~0aZ/!'()*+"), "/-._~0aZ/%21%27%28%29%2A%2B");
    assert.equal(canonicalUri("/😀"), "/%F0%9F%98%80");
  });

  test("returns SDK-normal paths unchanged", () => {
    const path = "/users/inst-1/u-1";
    assert.equal(canonicalUri(path), path);
  });
});

describe("canonical query", () => {
  test("sorts by key then value and keeps repeated keys", () => {
    assert.equal(canonicalQuery("tagKeys=b%20c&tagKeys=a&tagKeys=x%2Fy"), "tagKeys=a&tagKeys=b%20c&tagKeys=x%2Fy");
    assert.equal(canonicalQuery("Param-3=Value3&Param=Value2&%E1%88%B4=Value1"), "%E1%88%B4=Value1&Param=Value2&Param-3=Value3");
  });

  test("decodes with + literal and re-encodes with upper-case hex", () => {
    assert.equal(canonicalQuery("nextToken=abc%2B%2F%3D~%2A"), "nextToken=abc%2B%2F%3D~%2A");
    assert.equal(canonicalQuery("a=x+y"), "a=x%2By");
    assert.equal(canonicalQuery("a=%7e%2f%41"), "a=~%2FA");
    assert.equal(canonicalQuery("a=b/c"), "a=b%2Fc");
  });

  test("gives a key without = an empty value and skips empty pairs", () => {
    assert.equal(canonicalQuery("b&a=1&&"), "a=1&b=");
  });

  test("drops X-Amz-Signature, and X-Amz-Security-Token only when asked", () => {
    const q = "X-Amz-Signature=abc&X-Amz-Security-Token=t%2F1&a=1";
    assert.equal(canonicalQuery(q), "X-Amz-Security-Token=t%2F1&a=1");
    assert.equal(canonicalQuery(q, true), "a=1");
  });

  test("keeps a malformed escape as a literal percent sign", () => {
    assert.equal(canonicalQuery("a=%zz&b=%4"), "a=%25zz&b=%254");
  });
});

describe("canonical headers", () => {
  test("trims and collapses whitespace runs, even inside quotes", () => {
    assert.equal(normalizeHeaderValue('  "a   b   c"  '), '"a b c"');
    assert.equal(normalizeHeaderValue("a\t\tb"), "a b");
    assert.equal(normalizeHeaderValue("plain value"), "plain value");
  });

  test("unfolds obsolete line folding (get-header-value-multiline, which Node's parser refuses)", () => {
    const raw = ["Host", "example.amazonaws.com", "My-Header1", "value1\r\n  value2\r\n     value3"];
    assert.equal(canonicalHeaders(raw, ["host", "my-header1"]), "host:example.amazonaws.com\nmy-header1:value1 value2 value3\n");
  });

  test("joins repeated fields with a bare comma in arrival order, names case-insensitively", () => {
    const raw = ["My-Header1", "value2", "my-header1", "value2", "MY-HEADER1", "value1"];
    assert.equal(canonicalHeaders(raw, ["my-header1"]), "my-header1:value2,value2,value1\n");
  });

  test("keeps the Host port and value case", () => {
    const raw = ["host", "127.0.0.1:4599", "X-Thing", "MiXeD"];
    assert.equal(canonicalHeaders(raw, ["host", "x-thing"]), "host:127.0.0.1:4599\nx-thing:MiXeD\n");
  });
});

test("payload hash of the raw bytes; empty body has the well-known hash", () => {
  assert.equal(payloadHash(Buffer.alloc(0)), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  assert.equal(payloadHash(Buffer.from("Param1=value1")), "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e");
});

test("signing keys are cached per (secret, date, region, service) and the cache is bounded", () => {
  clearSigningKeyCache();
  const a = signingKey("secret", "20150830", "us-east-1", "connect");
  assert.equal(signingKey("secret", "20150830", "us-east-1", "connect"), a, "same Buffer reused");
  assert.notDeepEqual(signingKey("secret", "20150830", "us-west-2", "connect"), a);
  assert.notDeepEqual(signingKey("other", "20150830", "us-east-1", "connect"), a);
  for (let i = 0; i < 1000; i++) signingKey(`s${i}`, "20150830", "us-east-1", "connect");
  assert.ok(signingKeyCacheSize() <= 256);
  // AWS's documented example key (IAM user guide, "Deriving the signing key").
  const key = signingKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830", "us-east-1", "iam");
  assert.equal(key.toString("hex"), "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9");
});
