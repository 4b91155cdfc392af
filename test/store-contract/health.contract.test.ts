// The Store's health check, on every engine.
import assert from "node:assert/strict";
import { test } from "node:test";
import { contract } from "./engines.js";

contract("health", (ctx) => {
  test("health reports ok", async () => {
    const { store } = ctx;
    const health = await store.health();
    assert.equal(health.ok, true);
  });
});
