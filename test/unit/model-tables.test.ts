// Spot checks of the generated protocol tables against facts read from the model and AWS's documentation.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ERRORS, type Member, OPERATIONS, SERVICE, SHAPES, type Shape } from "../../src/model/index.js";

function shape(name: string): Shape {
  const s = SHAPES[name];
  assert.ok(s, `shape ${name} missing`);
  return s;
}

function struct(name: string): Readonly<Record<string, Member>> {
  const s = shape(name);
  assert.ok(s.t === "structure" || s.t === "union", `${name} is not a structure`);
  return s.members;
}

function pattern(name: string): RegExp {
  const s = shape(name);
  assert.ok(s.t === "string" && s.pattern !== undefined, `${name} has no pattern`);
  return new RegExp(s.pattern, "u");
}

test("all 282 operations are present", () => {
  assert.equal(Object.keys(OPERATIONS).length, 282);
});

test("UpdateUserIdentityInfo binding", () => {
  assert.deepEqual(OPERATIONS.UpdateUserIdentityInfo, {
    method: "POST",
    uri: "/users/{InstanceId}/{UserId}/identity-info",
    input: "UpdateUserIdentityInfoRequest",
    errors: [
      "InternalServiceException",
      "InvalidParameterException",
      "InvalidRequestException",
      "ResourceNotFoundException",
      "ThrottlingException",
    ],
  });
  const m = struct("UpdateUserIdentityInfoRequest");
  assert.equal(m.InstanceId?.loc, "label");
  assert.equal(m.InstanceId?.required, true);
  assert.equal(m.UserId?.loc, "label");
  assert.equal(m.IdentityInfo?.required, true);
  assert.equal(m.IdentityInfo?.loc, undefined);
  assert.equal(m.IdentityInfo?.target, "UserIdentityInfo");
});

test("ListUsers query members and MaxResult1000 range", () => {
  assert.equal(OPERATIONS.ListUsers?.method, "GET");
  assert.equal(OPERATIONS.ListUsers?.input, "ListUsersRequest");
  const m = struct("ListUsersRequest");
  assert.deepEqual(m.NextToken, { target: "NextToken", loc: "query", name: "nextToken" });
  assert.deepEqual(m.MaxResults, { target: "MaxResult1000", loc: "query", name: "maxResults" });
  assert.deepEqual(shape("MaxResult1000"), { t: "integer", min: 1, max: 1000 });
});

test("AgentFirstName is a sensitive string of length 0..255", () => {
  assert.deepEqual(shape("AgentFirstName"), { t: "string", min: 0, max: 255, sensitive: true });
});

test("PhoneNumber pattern is corrected to E.164", () => {
  const re = pattern("PhoneNumber");
  assert.equal(re.source, String.raw`^\+[1-9]\d{1,14}$`);
  assert.ok(re.test("+14155550123"));
  assert.ok(!re.test("+0123"));
  assert.ok(!re.test("14155550123"));
  assert.ok(!re.test(String.raw`\+14155550123`));
});

test("Password pattern is corrected (no stray slashes) and stays sensitive", () => {
  const re = pattern("Password");
  assert.equal(re.source, String.raw`^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)[a-zA-Z\d\S]{8,64}$`);
  assert.ok(re.test("Passw0rd"));
  assert.ok(!re.test("password1"));
  assert.ok(!re.test("Pass w0rd"));
  assert.ok(!re.test("Pw0rd"));
  assert.equal((shape("Password") as { sensitive?: true }).sensitive, true);
});

test("error statuses and faults", () => {
  assert.deepEqual(ERRORS.ResourceNotFoundException, { status: 404, fault: "client" });
  assert.deepEqual(ERRORS.LimitExceededException, { status: 429, fault: "client" });
  assert.deepEqual(ERRORS.ServiceQuotaExceededException, { status: 402, fault: "client" });
  assert.deepEqual(ERRORS.InternalServiceException, { status: 500, fault: "server" });
  for (const [name, op] of Object.entries(OPERATIONS)) {
    for (const e of op.errors) assert.ok(ERRORS[e], `${name} lists unknown error ${e}`);
  }
  for (const name of Object.keys(ERRORS)) assert.ok(SHAPES[name], `error structure ${name} missing from SHAPES`);
});

test("DirectoryType enum", () => {
  assert.deepEqual(shape("DirectoryType"), { t: "string", enum: ["SAML", "CONNECT_MANAGED", "EXISTING_DIRECTORY"] });
});

test("service facts", () => {
  assert.equal(SERVICE.signingName, "connect");
  assert.equal(SERVICE.sdkId, "Connect");
  assert.equal(SERVICE.version, "2017-08-08");
  assert.equal(SERVICE.arnNamespace, "connect");
});

test("no documentation anywhere in the tables", () => {
  const hasDoc = (v: unknown): boolean =>
    typeof v === "object" && v !== null && Object.entries(v).some(([k, x]) => k === "documentation" || hasDoc(x));
  assert.ok(!hasDoc(SHAPES));
  assert.ok(!hasDoc(OPERATIONS));
  assert.ok(!hasDoc(ERRORS));
});

test("every pattern compiles with the u flag", () => {
  for (const [name, s] of Object.entries(SHAPES)) {
    if (s.t === "string" && s.pattern !== undefined) {
      assert.doesNotThrow(() => new RegExp(s.pattern as string, "u"), `${name}: ${s.pattern}`);
    }
  }
});

test("the shape table is closed: every referenced shape is defined", () => {
  const refs = (s: Shape): string[] => {
    switch (s.t) {
      case "structure":
      case "union":
        return Object.values(s.members).map((m) => m.target);
      case "list":
        return [s.member];
      case "map":
        return [s.key, s.value];
      default:
        return [];
    }
  };
  for (const [name, s] of Object.entries(SHAPES)) {
    for (const r of refs(s)) assert.ok(SHAPES[r], `${name} references missing ${r}`);
  }
  for (const [name, op] of Object.entries(OPERATIONS)) {
    if (op.input !== undefined) assert.ok(SHAPES[op.input], `${name} input ${op.input} missing`);
  }
});

test("HTTP bindings only on top-level members: input bindings on inputs, output bindings on outputs and errors", () => {
  const inputs = new Set(Object.values(OPERATIONS).map((o) => o.input));
  const outputs = new Set(Object.values(OPERATIONS).map((o) => o.output));
  for (const [name, s] of Object.entries(SHAPES)) {
    if (s.t !== "structure" && s.t !== "union") continue;
    for (const [m, def] of Object.entries(s.members)) {
      if (def.loc === undefined) continue;
      const allowed = inputs.has(name)
        ? ["label", "query", "header"]
        : outputs.has(name)
          ? ["header", "payload", "responseCode"]
          : ERRORS[name]
            ? ["header", "payload"]
            : [];
      assert.ok(allowed.includes(def.loc), `${name}.${m}: ${def.loc}`);
    }
  }
});

test("output shapes are in the table: DescribeUserResponse → User, with a timestamp LastModifiedTime", () => {
  assert.equal(OPERATIONS.DescribeUser?.output, "DescribeUserResponse");
  assert.deepEqual(struct("DescribeUserResponse"), { User: { target: "User" } });
  const user = struct("User");
  assert.deepEqual(Object.keys(user), [
    "Id",
    "Arn",
    "Username",
    "IdentityInfo",
    "PhoneConfig",
    "DirectoryUserId",
    "SecurityProfileIds",
    "RoutingProfileId",
    "HierarchyGroupId",
    "Tags",
    "LastModifiedTime",
    "LastModifiedRegion",
  ]);
  assert.deepEqual(user.LastModifiedTime, { target: "Timestamp" });
  assert.deepEqual(shape("Timestamp"), { t: "timestamp" });
  assert.deepEqual(shape("SecurityProfileIds"), { t: "list", member: "SecurityProfileId", min: 1, max: 10 });
  assert.deepEqual(shape("TagMap"), { t: "map", key: "TagKey", value: "TagValue", min: 1, max: 50 });
  // Shared by CreateUser's input (nested) and DescribeUser's output (nested): one entry, no bindings.
  assert.deepEqual(Object.keys(struct("UserIdentityInfo")), ["FirstName", "LastName", "Email", "SecondaryEmail", "Mobile"]);
  for (const m of Object.values(struct("UserIdentityInfo"))) assert.equal(m.loc, undefined);
  for (const [name, op] of Object.entries(OPERATIONS)) {
    if (op.output !== undefined) assert.ok(SHAPES[op.output], `${name} output ${op.output} missing`);
  }
});

test("smithy.api#paginated: ListUsers, and only operations carrying the trait", () => {
  assert.deepEqual(OPERATIONS.ListUsers?.paginated, {
    inputToken: "NextToken",
    outputToken: "NextToken",
    pageSize: "MaxResults",
    items: "UserSummaryList",
  });
  assert.equal(OPERATIONS.DescribeUser?.paginated, undefined);
  assert.equal(OPERATIONS.CreateUser?.paginated, undefined);
  const paginated = Object.entries(OPERATIONS).filter(([, op]) => op.paginated !== undefined);
  assert.equal(paginated.length, 66);
  for (const [name, op] of paginated) {
    const p = op.paginated;
    assert.ok(p?.inputToken !== undefined && p.outputToken !== undefined, name);
    assert.ok(op.input && struct(op.input)[p.inputToken], `${name}: inputToken ${p.inputToken}`);
    if (p.pageSize !== undefined) assert.ok(op.input && struct(op.input)[p.pageSize], `${name}: pageSize ${p.pageSize}`);
  }
});
