// The counted bench (bench/instructions.ts, `npm run bench -- --instructions`): a callgrind
// dump's totals are read by event name, and the per-request figures follow from them.
import assert from "node:assert/strict";
import { test } from "node:test";
import { costsPerRequest, instructionTable, parseCallgrindTotals, SHA256_BLOCKS, selfCostOf } from "../../bench/instructions.js";

const DUMP = `# callgrind format
version: 1
creator: callgrind-3.19.0
pid: 4242
cmd:  /usr/bin/node server.js
part: 1

desc: I1 cache: 32768 B, 64 B, 8-way associative
positions: line
events: Ir Dr Dw I1mr D1mr D1mw ILmr DLmr DLmw Bc Bcm Bi Bim
summary: 1000000 300000 100000 4000 2000 1000 10 20 30 150000 9000 6000 1000

fn=(1) main
0 1000000 300000 100000 4000 2000 1000 10 20 30 150000 9000 6000 1000

totals: 1 2 3
`;

test("a dump's totals come from its events: and summary: lines, by name", () => {
  const t = parseCallgrindTotals(DUMP);
  assert.equal(t.Ir, 1_000_000);
  assert.equal(t.Bcm, 9000);
  assert.equal(t.Bim, 1000);
  assert.equal(t.DLmw, 30);
  assert.equal(Object.keys(t).length, 13);
});

test("counts left off the end of the summary are 0; a dump with only totals: is read too", () => {
  const t = parseCallgrindTotals("events: Ir Bcm Bim\ntotals: 500 7\n");
  assert.deepEqual(t, { Ir: 500, Bcm: 7, Bim: 0 });
});

test("text that is not a dump, or a count that is not a number, is refused", () => {
  assert.throws(() => parseCallgrindTotals("hello\n"), /not a callgrind dump/);
  assert.throws(() => parseCallgrindTotals("events: Ir\nsummary: many\n"), /not a count/);
});

test("per request: instructions, mispredicts, cache misses and the cycle estimate", () => {
  const c = costsPerRequest(parseCallgrindTotals(DUMP), 100);
  assert.equal(c.instructions, 10_000);
  assert.equal(c.mispredicts, 100); // (9000 + 1000) / 100
  assert.equal(c.i1Misses, 40);
  assert.equal(c.d1Misses, 30); // (2000 + 1000) / 100
  assert.equal(c.llMisses, 0.6); // (10 + 20 + 30) / 100
  // 1e6 + 10 × (7000 L1 misses + 10000 mispredicts) + 100 × 60 LL misses, per request
  assert.equal(c.estCycles, (1_000_000 + 10 * 17_000 + 100 * 60) / 100);
  assert.throws(() => costsPerRequest(parseCallgrindTotals(DUMP), 0), /no requests/);
  assert.throws(() => costsPerRequest({ Ir: 0 }, 10), /no instructions/);
});

const CALLS = `events: Ir Bcm
summary: 1300 13

fn=(1) main
3 100 1
cfn=(2) sha256_block_data_order_avx2
calls=2 0
4 500 5
+1 50 0

fn=(2)
0 500 5
cfn=(3) SHA256_Final
calls=1 0
0 700 7

fn=(3)
0 400 2
fn=(4) sha256_block_data_order_shaext
* 250 3
`;

test("a function's self cost: its own cost lines, by name or by compressed id, never what its calls cost", () => {
  // main: 100 + 50 (the 500 after calls= is the call's inclusive cost)
  assert.deepEqual(selfCostOf(CALLS, /^main$/), { Ir: 150, Bcm: 1 });
  // the AVX2 block, named by cfn= and then referred to as fn=(2), plus the SHA-extensions one
  assert.deepEqual(selfCostOf(CALLS, SHA256_BLOCKS), { Ir: 750, Bcm: 8 });
  assert.deepEqual(selfCostOf(CALLS, /^SHA256_Final$/), { Ir: 400, Bcm: 2 });
  assert.deepEqual(selfCostOf(CALLS, /nothing/), { Ir: 0, Bcm: 0 });
});

test("the table compares the rows it is asked to, and skips a pair with a missing row", () => {
  const a = { name: "switchboard", requests: 100, sha256Instructions: 2000, ...costsPerRequest(parseCallgrindTotals(DUMP), 100) };
  const b = { ...a, name: "baseline", instructions: a.instructions * 2, sha256Instructions: 4000, estCycles: a.estCycles * 4 };
  const lines = instructionTable(
    [a, b],
    [
      ["switchboard", "baseline"],
      ["switchboard", "floor"],
    ],
  );
  assert.equal(lines.length, 4);
  assert.match(lines[1] as string, /^switchboard\s+10\.0k\s+2\.0k/);
  // 8,000 of 10,000 against 16,000 of 20,000 without SHA-256
  assert.match(lines[3] as string, /switchboard \/ baseline: instructions ×0\.50 \(without SHA-256 ×0\.50\), .*est\. cycles ×0\.25/);
});
