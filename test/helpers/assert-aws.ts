import assert from "node:assert/strict";

/** Asserts the SDK call fails with the given AWS error name and HTTP status; returns the message. */
export async function rejectsAws(p: Promise<unknown>, name: string, status: number): Promise<string> {
  try {
    await p;
  } catch (err) {
    const e = err as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    assert.equal(e.name, name, `expected ${name}, got ${e.name}: ${e.message}`);
    assert.equal(e.$metadata?.httpStatusCode, status);
    return e.message;
  }
  assert.fail(`expected ${name}, but the call succeeded`);
}
