// The server's shape table (src/model/lazy-shapes.ts): the served operations' shapes at start, the rest on the first
// request naming an operation that needs them, after which it equals the whole table.
import assert from "node:assert/strict";
import { test } from "node:test";
import { OPERATIONS, SHAPES } from "../../src/model/index.js";
import { lazyShapes } from "../../src/model/lazy-shapes.js";
import { CONNECT_OPERATIONS } from "../../src/operations/connect-service.js";
import { NOT_SERVED } from "../../src/operations/not-served.js";

test("served operations need nothing loaded; an unserved one loads the rest once", async () => {
  const model = lazyShapes();
  for (const name of Object.keys(CONNECT_OPERATIONS)) {
    assert.equal(model.ready(name), undefined, name);
    const input = OPERATIONS[name]?.input;
    if (input) assert.ok(model.shapes[input], `${name}: ${input} missing at start`);
  }
  const unserved = NOT_SERVED[0];
  const input = OPERATIONS[unserved]?.input as string;
  assert.equal(model.shapes[input], undefined, "an unserved operation's input is parsed at start");
  const first = model.ready(unserved);
  assert.ok(first instanceof Promise);
  assert.equal(model.ready(NOT_SERVED[1]), first, "a second request while loading waits for the same load");
  await first;
  assert.equal(model.ready(unserved), undefined);
  assert.deepEqual({ ...model.shapes }, { ...SHAPES });
});
