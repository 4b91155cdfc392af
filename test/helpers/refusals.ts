// What every rule test checks about a refused call, in one place: the modeled error (code, HTTP
// status, the member its message names), that nothing changed (the caller says what "everything"
// is), and what the audit trail holds — one event for a refused change, none for a refused read.
import assert from "node:assert/strict";
import type { ServiceError } from "../../src/common/errors.js";
import type { ServedConnectOperation } from "../../src/operations/connect-service.js";
import type { AuditEventRecord } from "../../src/store/records.js";
import type { OperationHarness } from "./operation-harness.js";

export interface Expected {
  code: string;
  status: number;
  /** what the message must name (a member, a resource) */
  names?: RegExp;
}

const expecting =
  (code: string, status: number) =>
  (names?: RegExp): Expected => ({ code, status, ...(names ? { names } : {}) });

export const INVALID_PARAMETER = expecting("InvalidParameterException", 400);
export const INVALID_REQUEST = expecting("InvalidRequestException", 400);
export const NOT_FOUND = expecting("ResourceNotFoundException", 404);
export const DUPLICATE = expecting("DuplicateResourceException", 409);
export const IN_USE = expecting("ResourceInUseException", 409);
export const LIMIT_EXCEEDED = expecting("LimitExceededException", 429);

export function lastEvent(events: AuditEventRecord[]): AuditEventRecord {
  const e = events.at(-1);
  assert.ok(e, "the audit trail is not empty");
  return e;
}

function assertError(err: ServiceError, expected: Expected): void {
  assert.equal(err.code, expected.code, err.message);
  assert.equal(err.status, expected.status);
  if (expected.names) assert.match(err.message, expected.names);
}

/**
 * A refused change: the expected error, `state()` exactly as before, and exactly one new event —
 * the refusal, with its error and no response.
 */
export async function refusedChange(
  h: OperationHarness,
  state: () => Promise<unknown>,
  name: ServedConnectOperation,
  input: unknown,
  expected: Expected,
): Promise<ServiceError> {
  const before = await state();
  const eventsBefore = await h.auditEvents();
  const err = await h.failure(name, input);
  assertError(err, expected);
  assert.deepEqual(await state(), before, "a refused change changes nothing");
  const eventsAfter = await h.auditEvents();
  assert.equal(eventsAfter.length, eventsBefore.length + 1, "exactly one new event: the refusal");
  const e = lastEvent(eventsAfter);
  assert.equal(e.eventName, name);
  assert.equal(e.errorCode, expected.code);
  assert.equal(e.record.errorCode, expected.code);
  assert.equal(e.record.errorMessage, err.message);
  assert.equal(e.record.readOnly, false);
  assert.equal(e.record.responseElements, null, "a refusal has no response");
  return err;
}

/** A refused read: the expected error, and not audited. */
export async function refusedRead(
  h: OperationHarness,
  name: ServedConnectOperation,
  input: unknown,
  expected: Expected,
): Promise<ServiceError> {
  const before = (await h.auditEvents()).length;
  const err = await h.failure(name, input);
  assertError(err, expected);
  assert.equal((await h.auditEvents()).length, before, "a refused read is not audited");
  return err;
}
