// The committed src/model/*.gen.ts must be exactly what scripts/gen-model.ts produces from the model.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { generate, MODEL_CORRECTIONS, modelPath, REPO_ROOT } from "../../scripts/gen-model.js";

const path = modelPath();
const skip = existsSync(path) ? false : `Smithy model not found at ${path} (set SWITCHBOARD_MODEL to check src/model/*.gen.ts freshness)`;

function loadModel(): {
  shapes: Record<
    string,
    { type: string; traits?: Record<string, unknown>; members?: Record<string, { traits?: Record<string, unknown> }> }
  >;
} {
  return JSON.parse(readFileSync(path, "utf8"));
}

test("committed src/model/*.gen.ts are byte-identical to the generator output (else run `npm run gen`)", { skip }, () => {
  const files = generate(loadModel());
  for (const [rel, text] of Object.entries(files)) {
    const committed = readFileSync(join(REPO_ROOT, rel), "utf8");
    assert.ok(committed === text, `${rel} is stale: run \`npm run gen\``);
  }
  const onDisk = readdirSync(join(REPO_ROOT, "src/model"))
    .filter((f) => f.endsWith(".gen.ts"))
    .map((f) => `src/model/${f}`)
    .sort();
  assert.deepEqual(onDisk, Object.keys(files).sort(), "a .gen.ts file in src/model is not produced by the generator");
});

test("generation is deterministic", { skip }, () => {
  assert.deepEqual(generate(loadModel()), generate(loadModel()));
});

test("a model correction fails loudly when the model no longer holds the known-broken value", { skip }, () => {
  for (const c of MODEL_CORRECTIONS) {
    const model = loadModel();
    const shape = model.shapes[`com.amazonaws.connect#${c.shape}`];
    assert.ok(shape?.traits, `${c.shape} not in model`);
    shape.traits[c.trait] = c.value; // as if upstream had fixed it
    assert.throws(() => generate(model), new RegExp(`MODEL_CORRECTIONS: .*${c.shape}`));
  }
});

test("a trait the tables cannot express fails the generator instead of being dropped", { skip }, () => {
  const model = loadModel();
  const member = model.shapes["com.amazonaws.connect#UpdateUserIdentityInfoRequest"]?.members?.IdentityInfo;
  assert.ok(member);
  member.traits = { ...member.traits, "smithy.api#httpPayload": {} };
  assert.throws(() => generate(model), /httpPayload/);

  const model2 = loadModel();
  const shape = model2.shapes["com.amazonaws.connect#AgentFirstName"];
  assert.ok(shape);
  shape.traits = { ...shape.traits, "smithy.api#uniqueItems": {} };
  assert.throws(() => generate(model2), /uniqueItems/);
});

test("a pattern that does not compile with the u flag fails the generator", { skip }, () => {
  const model = loadModel();
  const shape = model.shapes["com.amazonaws.connect#AgentFirstName"];
  assert.ok(shape);
  shape.traits = { ...shape.traits, "smithy.api#pattern": String.raw`^\_$` };
  assert.throws(() => generate(model), /AgentFirstName.*u flag|u flag[\s\S]*AgentFirstName/);
});
