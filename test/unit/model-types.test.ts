// src/model/types.gen.ts: the TypeScript types generated from the model. Most checks here are compile-time ones —
// `npx tsc -p tsconfig.test.json` (part of `npm test`) fails on a wrong type, and on an unused @ts-expect-error;
// the tests at run time check that the module is declarations only and that its names match the tables.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import ts from "typescript";
import { REPO_ROOT, TYPE_HELPERS } from "../../scripts/gen-model.js";
import { ERRORS, OPERATIONS, SHAPES } from "../../src/model/index.js";
import type {
  DirectoryType,
  ErrorName,
  EvaluationAnswerData,
  ListUsersRequest,
  OperationInputs,
  OperationName,
  OperationOutputs,
  PaginatedOperation,
  SmithyUnit,
  TagMap,
  Unit,
  User,
  UserIdentityInfo,
} from "../../src/model/types.gen.js";

/** true only when A and B are the same type */
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

function compileTimeChecks(): unknown[] {
  const identity: OperationInputs["UpdateUserIdentityInfo"] = { InstanceId: "i", UserId: "u", IdentityInfo: {} };
  // @ts-expect-error IdentityInfo is a required member
  const missingRequired: OperationInputs["UpdateUserIdentityInfo"] = { InstanceId: "i", UserId: "u" };
  // @ts-expect-error UserIdentityInfo has no member Nickname
  const unknownMember: UserIdentityInfo = { Nickname: "x" };
  const optionalUndefined: UserIdentityInfo = { FirstName: undefined, Mobile: "+14155550123" };

  const user: User = { Id: "u", LastModifiedTime: new Date(0), Tags: { team: "a" }, SecurityProfileIds: ["p"] };
  // @ts-expect-error a timestamp is a Date
  const numericTime: User = { LastModifiedTime: 0 };
  // @ts-expect-error a list is an array
  const notAList: User = { SecurityProfileIds: "p" };
  const tags: TagMap = { a: "1", b: "2" };
  // @ts-expect-error map values are the value shape's type
  const badTags: TagMap = { a: 1 };

  const described: OperationOutputs["DescribeUser"] = { User: user };
  const noOutput: Equals<OperationOutputs["UpdateUserIdentityInfo"], void> = true;
  const listInput: Equals<OperationInputs["ListUsers"], ListUsersRequest> = true;
  const listPage: OperationInputs["ListUsers"] = { InstanceId: "i", NextToken: "t", MaxResults: 10 };

  const directory: DirectoryType = "SAML";
  // @ts-expect-error not a value of the DirectoryType enum
  const badDirectory: DirectoryType = "LDAP";
  const answer: EvaluationAnswerData = { NumericValue: 3 };

  // The model's own Unit (an enum) is not smithy.api#Unit, which is SmithyUnit.
  const unit: Unit = "SECONDS";
  const empty: SmithyUnit = {};
  // @ts-expect-error SmithyUnit has no members
  const notEmpty: SmithyUnit = { a: 1 };

  const everyOperation: Equals<keyof OperationInputs, OperationName> = true;
  const everyOutput: Equals<keyof OperationOutputs, OperationName> = true;
  const paginatedAreOperations: PaginatedOperation extends OperationName ? true : false = true;
  const paginated: PaginatedOperation = "ListUsers";
  // @ts-expect-error DescribeUser is not paginated
  const notPaginated: PaginatedOperation = "DescribeUser";
  const error: ErrorName = "ResourceNotFoundException";
  // @ts-expect-error not an error shape
  const notAnError: ErrorName = "User";

  return [
    identity,
    missingRequired,
    unknownMember,
    optionalUndefined,
    numericTime,
    notAList,
    tags,
    badTags,
    described,
    noOutput,
    listInput,
    listPage,
    directory,
    badDirectory,
    answer,
    unit,
    empty,
    notEmpty,
    everyOperation,
    everyOutput,
    paginatedAreOperations,
    paginated,
    notPaginated,
    error,
    notAnError,
  ];
}

const source = readFileSync(join(REPO_ROOT, "src/model/types.gen.ts"), "utf8");

test("the compile-time checks above are type-checked by tsc (and run without effect)", () => {
  assert.equal(compileTimeChecks().length, 25);
});

test("types.gen.ts is declarations only: it compiles to no JavaScript", () => {
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
  assert.equal(js.outputText.replace(/\/\/.*$/gm, "").trim(), "export {};");
});

function literalUnion(name: string): string[] {
  const m = new RegExp(`export type ${name} =((?:\\n  \\| "[^"]+")+);`).exec(source);
  assert.ok(m?.[1], `${name} not found`);
  return [...m[1].matchAll(/"([^"]+)"/g)].map((x) => x[1] as string);
}

test("OperationName, ErrorName and PaginatedOperation name what the tables hold", () => {
  assert.deepEqual(literalUnion("OperationName"), Object.keys(OPERATIONS));
  assert.deepEqual(literalUnion("ErrorName"), Object.keys(ERRORS));
  assert.deepEqual(
    literalUnion("PaginatedOperation"),
    Object.entries(OPERATIONS)
      .filter(([, op]) => op.paginated !== undefined)
      .map(([name]) => name),
  );
});

test("one declared type per table shape (prelude shapes excepted), plus the helpers", () => {
  const declared = new Set([...source.matchAll(/^export (?:type|interface) (\w+)/gm)].map((m) => m[1] as string));
  const helpers: readonly string[] = TYPE_HELPERS;
  for (const name of helpers) assert.ok(declared.has(name), `${name} not declared`);
  for (const name of declared) assert.ok(name in SHAPES || helpers.includes(name), `${name} is not a shape of the tables`);
  // Prelude shapes (smithy.api#…) become TypeScript types directly and are declared only when the model has its own.
  const prelude = new Set(["String", "Blob", "Boolean", "Byte", "Short", "Integer", "Long", "Float", "Double", "Timestamp", "Document"]);
  for (const name of Object.keys(SHAPES)) assert.ok(declared.has(name) || prelude.has(name), `${name} has no type`);
});
