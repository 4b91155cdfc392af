// Operation output / errors → restJson1 responses (src/protocol/restjson/serialize.ts).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  duplicateResource,
  internalService,
  invalidParameter,
  invalidRequest,
  limitExceeded,
  notImplemented,
  resourceNotFound,
  ServiceError,
  serialization,
  serviceQuotaExceeded,
  throttling,
} from "../../src/common/errors.js";
import { serializeError, serializeOutput } from "../../src/protocol/restjson/serialize.js";

const RID = "6f1c1d0e-0000-4000-8000-000000000001";

describe("serializeOutput", () => {
  test("Unit output → 200, empty body, request id, no content-type", () => {
    const res = serializeOutput(undefined, RID);
    assert.equal(res.status, 200);
    assert.equal(res.body, "");
    assert.deepEqual(res.headers, { "x-amzn-RequestId": RID });
  });

  test("an object → 200 JSON with content-type and request id", () => {
    const res = serializeOutput({ UserId: "u-1", UserArn: "arn:x", Nested: { A: [1, 2] } }, RID);
    assert.equal(res.status, 200);
    assert.equal(res.headers["Content-Type"], "application/json");
    assert.equal(res.headers["x-amzn-RequestId"], RID);
    assert.deepEqual(JSON.parse(res.body), { UserId: "u-1", UserArn: "arn:x", Nested: { A: [1, 2] } });
  });

  test("undefined members vanish; an empty object is '{}'", () => {
    assert.equal(serializeOutput({ A: undefined, B: 1 }, RID).body, '{"B":1}');
    assert.equal(serializeOutput({}, RID).body, "{}");
  });

  test("epoch-second timestamps stay numbers", () => {
    const res = serializeOutput({ LastModifiedTime: 1767225600.123 }, RID);
    assert.equal(JSON.parse(res.body).LastModifiedTime, 1767225600.123);
  });
});

describe("serializeError", () => {
  test("a modeled Connect error: bare name header, status, `Message` key", () => {
    const res = serializeError(invalidParameter("bad thing"), RID);
    assert.equal(res.status, 400);
    assert.equal(res.headers["x-amzn-ErrorType"], "InvalidParameterException");
    assert.equal(res.headers["x-amzn-RequestId"], RID);
    assert.equal(res.headers["Content-Type"], "application/json");
    assert.deepEqual(JSON.parse(res.body), { Message: "bad thing" });
  });

  test("a front-door error uses the lower-case `message` key", () => {
    const res = serializeError(serialization("not json"), RID);
    assert.equal(res.status, 400);
    assert.equal(res.headers["x-amzn-ErrorType"], "SerializationException");
    assert.deepEqual(JSON.parse(res.body), { message: "not json" });
  });

  test("NotImplementedException names the operation, lower-case key, 501", () => {
    const res = serializeError(notImplemented("CreateQueue"), RID);
    assert.equal(res.status, 501);
    assert.deepEqual(JSON.parse(res.body), { message: "The operation CreateQueue is not implemented in Switchboard." });
  });

  test("extra modeled members are merged into the body", () => {
    const err = new ServiceError("ResourceConflictException", 409, "conflict", { Reason: { Code: "X" }, ResourceId: "r-1" });
    const res = serializeError(err, RID);
    assert.deepEqual(JSON.parse(res.body), { Message: "conflict", Reason: { Code: "X" }, ResourceId: "r-1" });
  });

  test("every error helper: status, bare name, one message key, no code/Code key, no `#`", () => {
    const cases: [ServiceError, string, number, "Message" | "message"][] = [
      [invalidParameter("m"), "InvalidParameterException", 400, "Message"],
      [invalidRequest("m"), "InvalidRequestException", 400, "Message"],
      [resourceNotFound("m"), "ResourceNotFoundException", 404, "Message"],
      [duplicateResource("m"), "DuplicateResourceException", 409, "Message"],
      [limitExceeded("m"), "LimitExceededException", 429, "Message"],
      [serviceQuotaExceeded("m"), "ServiceQuotaExceededException", 402, "Message"],
      [throttling("m"), "ThrottlingException", 429, "Message"],
      [internalService("m"), "InternalServiceException", 500, "Message"],
      [serialization("m"), "SerializationException", 400, "message"],
      [notImplemented("X"), "NotImplementedException", 501, "message"],
    ];
    for (const [err, name, status, key] of cases) {
      const res = serializeError(err, RID);
      const body = JSON.parse(res.body) as Record<string, unknown>;
      assert.equal(res.status, status, name);
      assert.equal(res.headers["x-amzn-ErrorType"], name);
      assert.ok(!res.headers["x-amzn-ErrorType"]?.includes("#"), name);
      assert.ok(!res.headers["x-amzn-ErrorType"]?.includes(":"), name);
      assert.deepEqual(Object.keys(body), [key], name);
      assert.equal("code" in body || "Code" in body || "__type" in body, false, name);
    }
  });

  test("the message is sent verbatim, JSON-escaped", () => {
    const msg = `quote " backslash \\ newline \n emoji 😹`;
    const res = serializeError(invalidRequest(msg), RID);
    assert.equal((JSON.parse(res.body) as { Message: string }).Message, msg);
  });
});
