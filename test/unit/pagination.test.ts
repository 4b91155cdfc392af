// Keyset pagination tokens (src/common/pagination.ts).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ServiceError } from "../../src/common/errors.js";
import { decodePageToken, encodePageToken, toPage } from "../../src/common/pagination.js";

function refused(fn: () => unknown): void {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof ServiceError, `expected InvalidParameterException, got ${String(caught)}`);
  assert.equal(caught.code, "InvalidParameterException");
  assert.equal(caught.status, 400);
  assert.match(caught.message, /'nextToken'/);
}

const CTX = "users:000000000000:us-east-1:instance-1";

describe("page tokens", () => {
  test("round trip returns the last key", () => {
    for (const key of ["alice", "", "ünïcødé 😹", "a/b:c\0d", "x".repeat(500)]) {
      const token = encodePageToken(CTX, key);
      assert.equal(decodePageToken(CTX, token), key);
    }
  });

  test("tokens are URL-safe and deterministic", () => {
    const t = encodePageToken(CTX, "alice");
    assert.match(t, /^[A-Za-z0-9_-]+$/);
    assert.equal(encodePageToken(CTX, "alice"), t);
    assert.notEqual(encodePageToken(CTX, "bob"), t);
  });

  test("a token from another listing context is refused", () => {
    const t = encodePageToken(CTX, "alice");
    refused(() => decodePageToken("users:000000000000:us-east-1:instance-2", t));
    refused(() => decodePageToken("instances:000000000000:us-east-1", t));
  });

  test("garbage is refused", () => {
    for (const junk of [
      "",
      "!!!",
      "not-a-token",
      "bnVsbA",
      Buffer.from("[]").toString("base64url"),
      Buffer.from('{"k":1,"c":"x"}').toString("base64url"),
    ]) {
      refused(() => decodePageToken(CTX, junk));
    }
  });

  test("a token with a tampered key is refused", () => {
    const t = encodePageToken(CTX, "alice");
    const parsed = JSON.parse(Buffer.from(t, "base64url").toString("utf8")) as { k: string; c: string };
    const forged = Buffer.from(JSON.stringify({ k: "mallory", c: parsed.c })).toString("base64url");
    refused(() => decodePageToken(CTX, forged));
  });
});

describe("toPage", () => {
  const rows = ["a", "b", "c", "d", "e"];
  const keyOf = (r: string) => `key-${r}`;

  test("fewer rows than the limit: all items, no token", () => {
    const page = toPage(rows.slice(0, 2), 3, CTX, keyOf);
    assert.deepEqual(page.items, ["a", "b"]);
    assert.equal(page.nextToken, undefined);
    assert.equal("nextToken" in page, false);
  });

  test("exactly limit rows: no token (no more rows exist)", () => {
    const page = toPage(rows.slice(0, 3), 3, CTX, keyOf);
    assert.deepEqual(page.items, ["a", "b", "c"]);
    assert.equal(page.nextToken, undefined);
  });

  test("limit+1 rows: cut at the limit, token names the last item returned", () => {
    const page = toPage(rows.slice(0, 4), 3, CTX, keyOf);
    assert.deepEqual(page.items, ["a", "b", "c"]);
    assert.ok(page.nextToken);
    assert.equal(decodePageToken(CTX, page.nextToken), "key-c");
  });

  test("no rows: empty page, no token", () => {
    assert.deepEqual(toPage([], 10, CTX, keyOf), { items: [] });
  });

  test("walking a listing page by page visits every row once", () => {
    const all = Array.from({ length: 23 }, (_, i) => `row-${String(i).padStart(2, "0")}`);
    const fetchAfter = (after: string | undefined, limit: number) =>
      all.filter((r) => after === undefined || r > after).slice(0, limit + 1);
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const after = token === undefined ? undefined : decodePageToken(CTX, token);
      const page = toPage(fetchAfter(after, 5), 5, CTX, (r) => r);
      seen.push(...page.items);
      token = page.nextToken;
      pages++;
    } while (token !== undefined && pages < 100);
    assert.deepEqual(seen, all);
    assert.equal(pages, 5);
  });
});
