// The committed src/model/*.gen.ts must be exactly what scripts/gen-model.ts produces from the model, which is
// vendored in the repository (model/connect-2017-08-08.json): these tests never skip; without the model they fail.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { generate, MODEL_CORRECTIONS, modelPath, REPO_ROOT, TYPE_HELPERS } from "../../scripts/gen-model.js";

const path = modelPath();

interface AstMember {
  target: string;
  traits?: Record<string, unknown>;
}
interface AstShape {
  type: string;
  traits?: Record<string, unknown>;
  members?: Record<string, AstMember>;
  input?: { target: string };
  output?: { target: string };
}

function loadModel(): { shapes: Record<string, AstShape> } {
  return JSON.parse(readFileSync(path, "utf8"));
}

function shapeOf(model: { shapes: Record<string, AstShape> }, name: string): AstShape {
  const shape = model.shapes[`com.amazonaws.connect#${name}`];
  assert.ok(shape, `${name} not in model`);
  return shape;
}

function tableEntry(files: Record<string, string>, table: string, name: string): unknown {
  const text = files[`src/model/${table}.gen.ts`];
  assert.ok(text);
  const line = text.split("\n").find((l) => l.startsWith(`${JSON.stringify(name)}:`));
  assert.ok(line, `${name} not in ${table}.gen.ts`);
  return JSON.parse(`{${line.replace(/,$/, "")}}`)[name];
}

test("the model is vendored in the repository, with its NOTICE and LICENSE", () => {
  const vendored = join(REPO_ROOT, "model", "connect-2017-08-08.json");
  assert.ok(existsSync(vendored), `${vendored} is missing`);
  if (process.env.SWITCHBOARD_MODEL === undefined) assert.equal(path, vendored);
  assert.ok(loadModel().shapes["com.amazonaws.connect#AmazonConnectService"]);
  assert.match(readFileSync(join(REPO_ROOT, "model", "NOTICE"), "utf8"), /Apache License, Version 2\.0/);
  assert.match(readFileSync(join(REPO_ROOT, "model", "LICENSE"), "utf8"), /Apache License\s+Version 2\.0, January 2004/);
});

test("committed src/model/*.gen.ts are byte-identical to the generator output (else run `npm run gen`)", () => {
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

test("generation is deterministic", () => {
  assert.deepEqual(generate(loadModel()), generate(loadModel()));
});

test("a model correction fails loudly when the model no longer holds the known-broken value", () => {
  for (const c of MODEL_CORRECTIONS) {
    const model = loadModel();
    const shape = shapeOf(model, c.shape);
    assert.ok(shape.traits, `${c.shape} has no traits`);
    shape.traits[c.trait] = c.value; // as if upstream had fixed it
    assert.throws(() => generate(model), new RegExp(`MODEL_CORRECTIONS: .*${c.shape}`));
  }
});

test("a trait the tables cannot express fails the generator instead of being dropped", () => {
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

test("a pattern that does not compile with the u flag fails the generator", () => {
  const model = loadModel();
  const shape = model.shapes["com.amazonaws.connect#AgentFirstName"];
  assert.ok(shape);
  shape.traits = { ...shape.traits, "smithy.api#pattern": String.raw`^\_$` };
  assert.throws(() => generate(model), /AgentFirstName.*u flag|u flag[\s\S]*AgentFirstName/);
});

test("output and error structures: header, payload and response-code bindings are kept, input-only ones ignored", () => {
  const model = loadModel();
  const list = shapeOf(model, "ListUsersResponse").members;
  assert.ok(list?.NextToken && list.UserSummaryList);
  list.NextToken.traits = { ...list.NextToken.traits, "smithy.api#httpHeader": "x-next-token" };
  list.UserSummaryList.traits = { ...list.UserSummaryList.traits, "smithy.api#httpQuery": "users" }; // ignored on output
  list.Status = { target: "smithy.api#Integer", traits: { "smithy.api#httpResponseCode": {} } };
  const describe = shapeOf(model, "DescribeUserResponse").members;
  assert.ok(describe?.User);
  describe.User.traits = { ...describe.User.traits, "smithy.api#httpPayload": {} };
  const error = shapeOf(model, "ThrottlingException").members;
  assert.ok(error?.Message);
  error.Message.traits = { ...error.Message.traits, "smithy.api#httpHeader": "x-reason" };
  const nested = shapeOf(model, "UserIdentityInfo").members;
  assert.ok(nested?.Email);
  nested.Email.traits = { ...nested.Email.traits, "smithy.api#httpHeader": "x-email" }; // not top-level: ignored

  const files = generate(model);
  assert.deepEqual(tableEntry(files, "shapes", "ListUsersResponse"), {
    t: "structure",
    members: {
      NextToken: { target: "NextToken", loc: "header", name: "x-next-token" },
      UserSummaryList: { target: "UserSummaryList" },
      Status: { target: "Integer", loc: "responseCode" },
    },
  });
  assert.deepEqual(tableEntry(files, "shapes", "DescribeUserResponse"), {
    t: "structure",
    members: { User: { target: "User", loc: "payload" } },
  });
  assert.deepEqual(tableEntry(files, "shapes", "ThrottlingException"), {
    t: "structure",
    members: { Message: { target: "Message", loc: "header", name: "x-reason" } },
  });
  const identity = tableEntry(files, "shapes", "UserIdentityInfo") as { members: Record<string, unknown> };
  assert.deepEqual(identity.members.Email, { target: "Email" });
});

test("output bindings the tables cannot express fail the generator", () => {
  const model = loadModel();
  const members = shapeOf(model, "ListUsersResponse").members;
  assert.ok(members);
  members.Extra = { target: "com.amazonaws.connect#UserTagMap", traits: { "smithy.api#httpPrefixHeaders": "x-tag-" } };
  assert.throws(() => generate(model), /ListUsersResponse\$Extra: smithy\.api#httpPrefixHeaders on an operation output/);

  const model2 = loadModel();
  const error = shapeOf(model2, "ThrottlingException").members;
  assert.ok(error);
  error.Code = { target: "smithy.api#Integer", traits: { "smithy.api#httpResponseCode": {} } };
  const generated = generate(model2); // ignored on errors (Smithy: only an operation output's is used)
  assert.deepEqual((tableEntry(generated, "shapes", "ThrottlingException") as { members: unknown }).members, {
    Message: { target: "Message" },
    Code: { target: "Integer" },
  });
});

test("a structure whose HTTP bindings differ between its uses fails the generator", () => {
  const model = loadModel();
  // UpdateUserIdentityInfoRequest's labels bind on input but are ignored on output: one table entry cannot hold both.
  shapeOf(model, "DescribeUser").output = { target: "com.amazonaws.connect#UpdateUserIdentityInfoRequest" };
  assert.throws(() => generate(model), /UpdateUserIdentityInfoRequest is used as input and output/);

  // Used as output and as a member elsewhere, without bindings: one identical entry, no failure.
  const model2 = loadModel();
  const members = shapeOf(model2, "UserIdentityInfo").members;
  assert.ok(members);
  members.Described = { target: "com.amazonaws.connect#DescribeUserResponse" };
  assert.doesNotThrow(() => generate(model2));
});

test("smithy.api#paginated: the service's trait gives defaults, the operation's overrides member by member", () => {
  const model = loadModel();
  const service = shapeOf(model, "AmazonConnectService");
  // Every paginated operation sets outputToken itself, so "Bogus" must never win.
  service.traits = { ...service.traits, "smithy.api#paginated": { inputToken: "NextToken", outputToken: "Bogus" } };
  const listUsers = shapeOf(model, "ListUsers");
  listUsers.traits = {
    ...listUsers.traits,
    "smithy.api#paginated": { outputToken: "NextToken", pageSize: "MaxResults", items: "UserSummaryList" },
  };
  const files = generate(model);
  assert.deepEqual((tableEntry(files, "operations", "ListUsers") as { paginated?: unknown }).paginated, {
    inputToken: "NextToken", // inherited
    outputToken: "NextToken",
    pageSize: "MaxResults",
    items: "UserSummaryList",
  });
  // Not paginated: no trait of its own, whatever the service says.
  assert.equal((tableEntry(files, "operations", "DescribeUser") as { paginated?: unknown }).paginated, undefined);

  // An inherited default must name a member of each operation that takes it (ListContactEvaluations sets no pageSize).
  const model2 = loadModel();
  const service2 = shapeOf(model2, "AmazonConnectService");
  service2.traits = { ...service2.traits, "smithy.api#paginated": { pageSize: "NoSuchMember" } };
  assert.throws(() => generate(model2), /ListContactEvaluations: paginated pageSize "NoSuchMember" names no input member/);
});

test("smithy.api#paginated: an output path that names no member fails the generator", () => {
  const model = loadModel();
  const trait = shapeOf(model, "ListUsers").traits?.["smithy.api#paginated"] as Record<string, string>;
  trait.items = "UserSummaryList.Nope";
  assert.throws(() => generate(model), /ListUsers: paginated items "UserSummaryList\.Nope" names no output member/);
});

test("a model shape named like a helper type or a TypeScript keyword fails the generator", () => {
  for (const name of [...TYPE_HELPERS, "string", "globalThis"]) {
    const model = loadModel();
    model.shapes[`com.amazonaws.connect#${name}`] = { type: "string" };
    const members = shapeOf(model, "UserIdentityInfo").members;
    assert.ok(members);
    members.Extra = { target: `com.amazonaws.connect#${name}` };
    assert.throws(() => generate(model), new RegExp(`shape name ${name} (collides|is a TypeScript keyword)`), name);
  }
});
