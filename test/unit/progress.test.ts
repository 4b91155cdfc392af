// The progress line (src/common/progress.ts): nothing at all when the sink is not a terminal;
// on one, redraws in place no more often than every 100 ms, always the first and last frames of a
// phase, cut to the terminal's width, erased at the end.
import assert from "node:assert/strict";
import { test } from "node:test";
import { terminalProgress } from "../../src/common/progress.js";

function sink(isTTY: boolean, columns?: number) {
  const written: string[] = [];
  return { isTTY, ...(columns === undefined ? {} : { columns }), written, write: (c: string) => written.push(c) };
}

test("not a terminal: nothing is written", () => {
  const s = sink(false);
  const p = terminalProgress("export", s);
  p.report("users read", 1, 10);
  p.report("users read", 10, 10);
  p.end();
  assert.deepEqual(s.written, []);
});

test("a terminal: first and final frames, at most one redraw per 100 ms between, erased at the end", () => {
  const s = sink(true);
  let t = 1_000;
  const p = terminalProgress("export", s, () => t);
  for (let i = 0; i <= 10; i++) {
    p.report("rows", i, 10);
    t += 30;
  }
  p.report("audit events read", 5000);
  p.end();
  assert.deepEqual(s.written, [
    "\rexport: [........................] 0/10 rows  0.0 s\x1b[K",
    "\rexport: [##########..............] 4/10 rows  0.1 s\x1b[K",
    "\rexport: [###################.....] 8/10 rows  0.2 s\x1b[K",
    "\rexport: [########################] 10/10 rows  0.3 s\x1b[K",
    "\rexport: 5,000 audit events read  0.3 s\x1b[K",
    "\r\x1b[K",
  ]);
});

test("a line longer than the terminal is cut to fit; end() without a frame writes nothing", () => {
  const s = sink(true, 20);
  const p = terminalProgress("a long label", s, () => 0);
  p.report("principals evaluated", 1, 2);
  assert.equal(s.written[0], "\ra long label: [####\x1b[K");
  const quiet = sink(true);
  terminalProgress("x", quiet).end();
  assert.deepEqual(quiet.written, []);
});
