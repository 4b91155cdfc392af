// The SigV4 signing key and the final HMAC (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html#derive-signing-key).
//
//   kDate = HMAC("AWS4" + secret, yyyymmdd); kRegion = HMAC(kDate, region);
//   kService = HMAC(kRegion, service);       kSigning = HMAC(kService, "aws4_request")
//
// The key only changes with (secret, day, region, service), so it is cached: four HMACs per
// request would be most of the verification cost at thousands of requests per second.

import { createHmac } from "node:crypto";

/** Enough for every key × region a test or small deployment uses in one day, and yesterday's. */
const MAX_CACHED_KEYS = 256;

const cache = new Map<string, Buffer>();

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac("sha256", key).update(data, "utf8").digest();
}

export function signingKey(secretAccessKey: string, scopeDate: string, region: string, service: string): Buffer {
  // Length-prefixed so that no two (date, region, service) tuples share a key even when a
  // client puts odd characters in its Credential. The secret goes last and never leaves here.
  const cacheKey = `${scopeDate.length}:${scopeDate}${region.length}:${region}${service.length}:${service}${secretAccessKey}`;
  const cached = cache.get(cacheKey);
  if (cached !== undefined) return cached;
  const kDate = hmac(`AWS4${secretAccessKey}`, scopeDate);
  const key = hmac(hmac(hmac(kDate, region), service), "aws4_request");
  if (cache.size >= MAX_CACHED_KEYS) {
    // Maps iterate in insertion order: drop the oldest entry.
    const oldest = cache.keys().next();
    if (oldest.done !== true) cache.delete(oldest.value);
  }
  cache.set(cacheKey, key);
  return key;
}

/** Lower-case hex HMAC-SHA256 of the string to sign: the signature clients send. */
export function signatureHex(key: Buffer, stringToSign: string): string {
  return createHmac("sha256", key).update(stringToSign, "utf8").digest("hex");
}

/** For tests: start from an empty cache. */
export function clearSigningKeyCache(): void {
  cache.clear();
}

export function signingKeyCacheSize(): number {
  return cache.size;
}
