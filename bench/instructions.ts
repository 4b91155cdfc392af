// `npm run bench -- --instructions`: what the benchmark request costs, counted instead of timed.
// Each server runs under valgrind's callgrind (its simulated CPU: instructions, conditional and
// indirect branch mispredictions, L1 and last-level cache misses), takes a warm-up of signed
// UpdateUserIdentityInfo requests (so the JIT has tiered up), then its counters are zeroed, a
// fixed number of requests are sent, and the counters are dumped (callgrind_control -z / -d).
// Counts per request do not depend on what else the machine is doing, so two builds compare on
// a busy or a slow machine as they would on a quiet one — which req/s on a shared 2-core VM does
// not (issue 11: the same build measured ×1.32 and ×1.58 against 2023da8 on two machines).
//
// Why more than instructions: on 2026-12-08 the pipeline added ~20 % instructions over the floor
// row but ~70 % more CPU time (259 against 150 µs/request); callgrind's counters put much of the
// rest in mispredicted branches (+58 %) and instruction-cache misses (+30 %): more distinct code
// run per request. The rough cycle estimate weighs those in; it is a model, not this CPU's cycles.
// Caveats: callgrind counts user space only (not the kernel's socket, WAL and log writes); and
// valgrind runs OpenSSL's AVX2 SHA-256, not the SHA extensions most CPUs have, so hashing (SigV4,
// the audit chain) weighs more here than on the CPU — the SHA-256 column says how much.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { runLoad } from "./load.js";
import { signIdentityUpdate } from "./sign.js";
import type { Target } from "./targets.js";

/** Event names of a callgrind dump → their totals. */
export type CallgrindTotals = Record<string, number>;

/** The event names a dump's cost columns stand for, from its `events:` line. */
function eventNames(text: string): string[] {
  const names = /^events:[ \t]*(.+)$/m.exec(text)?.[1]?.trim().split(/\s+/);
  if (!names) throw new Error("not a callgrind dump: no events: line");
  return names;
}

/**
 * A callgrind dump's totals: the names on its `events:` line and the counts on its `summary:`
 * line (`totals:` in older dumps). Counts left off at the end of the line are 0, as callgrind's
 * format says.
 */
export function parseCallgrindTotals(text: string): CallgrindTotals {
  const names = eventNames(text);
  const counts = (/^summary:[ \t]*(.+)$/m.exec(text) ?? /^totals:[ \t]*(.+)$/m.exec(text))?.[1]?.trim().split(/\s+/);
  if (!counts) throw new Error("not a callgrind dump: no summary: line");
  const totals: CallgrindTotals = {};
  names.forEach((name, i) => {
    const n = Number(counts[i] ?? 0);
    if (!Number.isFinite(n)) throw new Error(`callgrind dump: '${counts[i]}' is not a count`);
    totals[name] = n;
  });
  return totals;
}

/**
 * The self cost, by event, of the functions whose names match: the cost lines under their `fn=`
 * entries, leaving out the line after each `calls=` (the inclusive cost of a call made from
 * there). Names are compressed as `(id) name` the first time and `(id)` afterwards, by `fn=` and
 * `cfn=` alike.
 */
export function selfCostOf(text: string, match: RegExp): CallgrindTotals {
  const names = eventNames(text);
  const byId = new Map<string, string>();
  const name = (spec: string) => {
    const m = /^\((\d+)\)\s*(.*)$/.exec(spec.trim());
    if (!m) return spec.trim();
    const [, id = "", given = ""] = m;
    if (given !== "") byId.set(id, given);
    return byId.get(id) ?? "";
  };
  const sums = names.map(() => 0);
  let counting = false;
  let callCost = false;
  for (const line of text.split("\n")) {
    if (line.startsWith("fn=")) {
      counting = match.test(name(line.slice(3)));
      continue;
    }
    if (line.startsWith("cfn=")) {
      name(line.slice(4));
      continue;
    }
    if (line.startsWith("calls=")) {
      callCost = true;
      continue;
    }
    if (!/^[0-9+*-]/.test(line)) continue;
    if (callCost) {
      callCost = false;
      continue;
    }
    if (!counting) continue;
    const fields = line.trim().split(/\s+/).slice(1);
    fields.forEach((v, i) => {
      if (i < sums.length) sums[i] = (sums[i] as number) + Number(v);
    });
  }
  return Object.fromEntries(names.map((n, i) => [n, sums[i] as number]));
}

/** OpenSSL's SHA-256 block functions (SigV4, the audit chain): valgrind runs their AVX2 code, not SHA extensions. */
export const SHA256_BLOCKS = /^sha256_block_data_order/;

/** Per request, from a dump of `requests` requests (callgrind with --cache-sim and --branch-sim). */
export interface InstructionCosts {
  instructions: number;
  /** conditional + indirect branches mispredicted */
  mispredicts: number;
  /** first-level instruction-cache misses */
  i1Misses: number;
  /** first-level data-cache misses, reads and writes */
  d1Misses: number;
  /** last-level cache misses, instructions and data */
  llMisses: number;
  /** instructions + 10 per L1 miss or mispredict + 100 per last-level miss: a rough model */
  estCycles: number;
}

export function costsPerRequest(t: CallgrindTotals, requests: number): InstructionCosts {
  const n = (k: string) => t[k] ?? 0;
  if (!(requests > 0)) throw new Error("no requests were measured");
  if (n("Ir") === 0) throw new Error("the dump counted no instructions");
  const per = (x: number) => x / requests;
  const mispredicts = n("Bcm") + n("Bim");
  const l1 = n("I1mr") + n("D1mr") + n("D1mw");
  const ll = n("ILmr") + n("DLmr") + n("DLmw");
  return {
    instructions: per(n("Ir")),
    mispredicts: per(mispredicts),
    i1Misses: per(n("I1mr")),
    d1Misses: per(n("D1mr") + n("D1mw")),
    llMisses: per(ll),
    estCycles: per(n("Ir") + 10 * (l1 + mispredicts) + 100 * ll),
  };
}

export interface InstructionSettings {
  /** requests before the counters are zeroed (default 6000: shorter warm-ups vary by ±5 % with tier-up) */
  warmup: number;
  /** requests counted */
  requests: number;
  connections: number;
  /** where callgrind writes its dumps */
  outDir: string;
}

/** The launcher TargetContext takes: callgrind with the cache and branch simulators, dumps to outDir. */
export function callgrindLauncher(outDir: string): string[] {
  return [
    "valgrind",
    "--tool=callgrind",
    "--cache-sim=yes",
    "--branch-sim=yes",
    "--dump-instr=no",
    `--callgrind-out-file=${join(outDir, "callgrind.%p")}`,
  ];
}

/** Whether valgrind and callgrind_control can be run here. */
export function callgrindAvailable(): boolean {
  try {
    execFileSync("valgrind", ["--version"], { stdio: "ignore" });
    execFileSync("callgrind_control", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** The newest numbered dump of pid (callgrind.PID.N), once it is complete: its text. */
async function dumpOf(outDir: string, pid: number, timeoutMs = 60_000): Promise<string> {
  const started = Date.now();
  const part = new RegExp(`^callgrind\\.${pid}\\.(\\d+)$`);
  for (;;) {
    const parts = readdirSync(outDir)
      .map((f) => part.exec(f))
      .filter((m): m is RegExpExecArray => m !== null)
      .sort((a, b) => Number(b[1]) - Number(a[1]));
    if (parts[0]) {
      const text = readFileSync(join(outDir, parts[0][0]), "utf8");
      // The summary is written last: until it is there, the dump is still being written.
      if (/^(summary|totals):/m.test(text)) return text;
    }
    if (Date.now() - started > timeoutMs) throw new Error(`callgrind wrote no dump for process ${pid} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export interface InstructionRow extends InstructionCosts {
  name: string;
  requests: number;
  /** of the instructions, OpenSSL's SHA-256 blocks' own (AVX2 code under valgrind; far fewer cycles on a CPU with SHA extensions) */
  sha256Instructions: number;
}

/** One target under callgrind (its context's launcher must be callgrindLauncher(s.outDir)). */
export async function measureInstructions(target: Target, s: InstructionSettings): Promise<InstructionRow> {
  const running = await target.start();
  try {
    const user = await target.prepare(running);
    const load = { connections: s.connections, pipelining: 1, durationSec: 0, timeoutSec: 120 };
    // Signed right before each run (a signature is valid 5 minutes; a warm-up under valgrind takes minutes).
    const sign = () => signIdentityUpdate(running.url, user.instanceId, user.userId);
    const warm = await runLoad(await sign(), { ...load, amount: s.warmup });
    if (warm.non2xx > 0 || warm.errors > 0)
      throw new Error(`${target.name}: warm-up got ${JSON.stringify(warm.statusCodes)}, ${warm.errors} errors`);
    const pid = running.pids[0] as number;
    const measured = await sign();
    execFileSync("callgrind_control", ["--zero", String(pid)], { stdio: "ignore" });
    const r = await runLoad(measured, { ...load, amount: s.requests });
    execFileSync("callgrind_control", ["--dump", String(pid)], { stdio: "ignore" });
    if (r.non2xx > 0 || r.errors > 0)
      throw new Error(`${target.name}: measured run got ${JSON.stringify(r.statusCodes)}, ${r.errors} errors`);
    const dump = await dumpOf(s.outDir, pid);
    return {
      name: target.name,
      requests: r.requests,
      ...costsPerRequest(parseCallgrindTotals(dump), r.requests),
      sha256Instructions: (selfCostOf(dump, SHA256_BLOCKS).Ir ?? 0) / r.requests,
    };
  } finally {
    await running.stop();
  }
}

/** Every target, `parallel` at a time (counts do not depend on contention); rows in the targets' order. */
export async function measureAll(targets: Target[], s: InstructionSettings, parallel: number): Promise<InstructionRow[]> {
  const rows: InstructionRow[] = new Array(targets.length);
  let next = 0;
  const worker = async () => {
    while (next < targets.length) {
      const i = next++;
      const t = targets[i] as Target;
      process.stderr.write(`bench: instructions: ${t.name}: ${s.warmup} warm-up + ${s.requests} counted requests under callgrind\n`);
      rows[i] = await measureInstructions(t, s);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(parallel, targets.length)) }, worker));
  return rows;
}

const k = (x: number) => `${(x / 1000).toFixed(1)}k`;

/** The section's table; each pair [a, b] adds a line comparing row a with row b. */
export function instructionTable(rows: InstructionRow[], pairs: readonly (readonly [string, string])[]): string[] {
  const w = Math.max(6, ...rows.map((r) => r.name.length));
  const lines = [
    `${"target".padEnd(w)}  ${"instr/req".padStart(10)}  ${"SHA-256".padStart(8)}  ${"mispredicts".padStart(11)}  ${"I1 misses".padStart(9)}  ${"D1 misses".padStart(9)}  ${"LL misses".padStart(9)}  ${"est. cycles".padStart(11)}`,
  ];
  for (const r of rows) {
    lines.push(
      `${r.name.padEnd(w)}  ${k(r.instructions).padStart(10)}  ${k(r.sha256Instructions).padStart(8)}  ${k(r.mispredicts).padStart(11)}  ${k(r.i1Misses).padStart(9)}  ${k(r.d1Misses).padStart(9)}  ${r.llMisses.toFixed(0).padStart(9)}  ${k(r.estCycles).padStart(11)}`,
    );
  }
  for (const [cur, base] of pairs) {
    const a = rows.find((r) => r.name === cur);
    const b = rows.find((r) => r.name === base);
    if (!a || !b) continue;
    lines.push(
      `${cur} / ${base}: instructions ×${(a.instructions / b.instructions).toFixed(2)} (without SHA-256 ×${((a.instructions - a.sha256Instructions) / (b.instructions - b.sha256Instructions)).toFixed(2)}), mispredicts ×${(a.mispredicts / b.mispredicts).toFixed(2)}, I1 misses ×${(a.i1Misses / b.i1Misses).toFixed(2)}, est. cycles ×${(a.estCycles / b.estCycles).toFixed(2)}`,
    );
  }
  return lines;
}
