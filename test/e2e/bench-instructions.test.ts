// `npm run bench -- --instructions` for real: a server started under valgrind's callgrind
// through the bench's own target answers the signed requests, and the counters zeroed before and
// dumped after the counted requests give a plausible cost per request — more when each request
// does more work.
import assert from "node:assert/strict";
import { after, test } from "node:test";
// The built bench (as `npm run bench` runs it): a target finds its server script beside its own module.
import { callgrindAvailable, callgrindLauncher, measureInstructions } from "../../dist/bench/instructions.js";
import { cleanupSync, makeTempDir } from "../../dist/bench/procs.js";
import { bareTarget } from "../../dist/bench/targets.js";

after(() => cleanupSync());

test("the bare server under callgrind: its counters cover the counted requests", {
  skip: !callgrindAvailable() && "no valgrind here",
}, async () => {
  const outDir = makeTempDir("switchboard-test-callgrind-");
  const ctx = { workDir: makeTempDir("switchboard-test-instr-"), launcher: callgrindLauncher(outDir), startTimeoutMs: 120_000 };
  const s = { warmup: 100, connections: 4, outDir };
  const few = await measureInstructions(bareTarget(ctx), { ...s, requests: 100 });
  assert.equal(few.requests, 100);
  // node:http reading a body and answering: tens of thousands of instructions, not a handful and not billions
  assert.ok(few.instructions > 10_000 && few.instructions < 20_000_000, `instructions/request ${few.instructions}`);
  assert.ok(few.estCycles > few.instructions, "the cycle estimate adds the misses to the instructions");
  assert.ok(few.mispredicts > 0 && few.i1Misses > 0 && few.d1Misses > 0);
});
