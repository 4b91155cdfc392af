// Assertions every rule test makes about a refused call, over the operation harness: the
// expected modeled error (code, status, the member its message names), nothing changed — read
// back through a snapshot the test chooses — and the audit trail: a refused change adds exactly
// one event (the refusal, no response), a refused read adds none.
import assert from "node:assert/strict";
import type { ServiceError } from "../../src/common/errors.js";
import type { ServedConnectOperation } from "../../src/operations/connect-service.js";
import type { AuditEventRecord } from "../../src/store/records.js";
import type { OperationHarness } from "./operation-harness.js";

export interface Expected {
  code: string;
  status: number;
  /** what the message must match (typically the member it names) */
  names?: RegExp;
}

const expected =
  (code: string, status: number) =>
  (names?: RegExp): Expected => ({ code, status, ...(names ? { names } : {}) });
export const INVALID_PARAMETER = expected("InvalidParameterException", 400);
export const INVALID_REQUEST = expected("InvalidRequestException", 400);
export const NOT_FOUND = expected("ResourceNotFoundException", 404);

export function lastEvent(events: AuditEventRecord[]): AuditEventRecord {
  const e = events.at(-1);
  assert.ok(e, "the audit trail is not empty");
  return e;
}

function check(err: ServiceError, want: Expected): void {
  assert.equal(err.code, want.code, err.message);
  assert.equal(err.status, want.status);
  if (want.names) assert.match(err.message, want.names);
}

/** A refused change: the error, `snapshot()` unchanged, exactly one new event — the refusal. */
export async function refusedChange(
  h: OperationHarness,
  snapshot: () => Promise<unknown>,
  name: ServedConnectOperation,
  input: unknown,
  want: Expected,
): Promise<ServiceError> {
  const before = await snapshot();
  const eventsBefore = (await h.auditEvents()).length;
  const err = await h.failure(name, input);
  check(err, want);
  assert.deepEqual(await snapshot(), before, "a refused change changes nothing");
  const events = await h.auditEvents();
  assert.equal(events.length, eventsBefore + 1, "exactly one new event: the refusal");
  const e = lastEvent(events);
  assert.equal(e.eventName, name);
  assert.equal(e.errorCode, want.code);
  assert.equal(e.record.readOnly, false);
  assert.equal(e.record.responseElements, null, "a refusal has no response");
  return err;
}

/** A refused read: the error, and nothing audited. */
export async function refusedRead(
  h: OperationHarness,
  name: ServedConnectOperation,
  input: unknown,
  want: Expected,
): Promise<ServiceError> {
  const before = (await h.auditEvents()).length;
  const err = await h.failure(name, input);
  check(err, want);
  assert.equal((await h.auditEvents()).length, before, "a refused read is not audited");
  return err;
}
