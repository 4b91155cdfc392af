// The failed-authentication audit limit: per source IP and per claimed access key, dropped
// events counted into one summary per window.
import assert from "node:assert/strict";
import { test } from "node:test";
import { FailedAuthLimiter } from "../../src/invoke/failed-auth-limit.js";

test("per source IP: the first COUNT a window are admitted, the rest summed up when the window ends", () => {
  let now = 0;
  const l = new FailedAuthLimiter({ count: 2, windowMs: 1000 }, () => now);
  assert.deepEqual(
    [1, 2, 3, 4, 5].map(() => l.admit("10.0.0.1", undefined)),
    [true, true, false, false, false],
  );
  assert.equal(l.admit("10.0.0.2", undefined), true, "another source is not limited by the first");
  assert.deepEqual(l.due(), [], "nothing due while the window lasts");
  now = 1000;
  assert.deepEqual(l.due(), [{ bucket: "sourceIPAddress", value: "10.0.0.1", count: 3, from: 0, to: 1000 }]);
  assert.equal(l.admit("10.0.0.1", undefined), true, "a new window");
});

test("per access key: a key claimed from many addresses is limited too", () => {
  let now = 0;
  const l = new FailedAuthLimiter({ count: 2, windowMs: 1000 }, () => now);
  const admitted = [1, 2, 3, 4].map((i) => l.admit(`10.0.0.${i}`, "AKIDVICTIM"));
  assert.deepEqual(admitted, [true, true, false, false]);
  now = 5000;
  assert.deepEqual(l.due(), [{ bucket: "accessKeyId", value: "AKIDVICTIM", count: 2, from: 0, to: 1000 }]);
});

test("at shutdown every window with drops is summed up", () => {
  const l = new FailedAuthLimiter({ count: 1, windowMs: 60_000 }, () => 10);
  l.admit("a", undefined);
  l.admit("a", undefined);
  assert.equal(l.due(true)[0]?.count, 1);
  assert.deepEqual(l.due(true), []);
});
