// The importer's one-line errors: the AWS code and message as sent; a NotImplementedException also
// says in words that the endpoint does not serve the operation, keeping the endpoint's message.
import assert from "node:assert/strict";
import { test } from "node:test";
import { describeError } from "../../src/bulk/importer.js";

const awsError = (name: string, message: string, status: number) =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });

test("an AWS error is `Code: message`", () => {
  assert.equal(
    describeError(awsError("InvalidParameterException", "1 validation error detected", 400), "CreateUser"),
    "InvalidParameterException: 1 validation error detected",
  );
});

test("a NotImplementedException names the operation and keeps the endpoint's message", () => {
  assert.equal(
    describeError(awsError("NotImplementedException", "UpdateUserProficiencies is not implemented", 501), "UpdateUserProficiencies"),
    "NotImplementedException: this endpoint does not serve UpdateUserProficiencies (UpdateUserProficiencies is not implemented)",
  );
});

test("another error with status 501 is reported as it came, not as an unserved operation", () => {
  assert.equal(describeError(awsError("UnknownError", "Bad gateway config", 501)), "UnknownError: Bad gateway config");
});
