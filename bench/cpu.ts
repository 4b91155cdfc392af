// Who used the CPU during a measured interval, read from /proc (Linux): the server process(es)
// under test, this bench process (the load generator: autocannon runs in it), PostgreSQL's
// processes, and the whole machine (/proc/stat) — so "everything else" is what is left over.
// All figures are clock ticks (USER_HZ, usually 100 per second) turned into microseconds.
//
// A server's CPU is utime+stime of its process, plus cutime+cstime (children it has reaped) and
// the same of every live descendant: the whole process tree, counted once. The bench's own CPU is
// only utime+stime of this process (its cutime holds the servers it already stopped).
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

/** More than this many cores taken by the load generator, or by everything else, marks a row WARNING. */
export const BUSY_CORES = 0.5;

let clkTck: number | undefined;
/** USER_HZ (getconf CLK_TCK), 100 when it cannot be read. */
export function ticksPerSecond(): number {
  if (clkTck === undefined) {
    try {
      const n = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());
      clkTck = Number.isInteger(n) && n > 0 ? n : 100;
    } catch {
      clkTck = 100;
    }
  }
  return clkTck;
}

/** true when /proc/self/stat and /proc/stat are readable (Linux) */
export function procAvailable(): boolean {
  try {
    readFileSync("/proc/self/stat", "utf8");
    readFileSync("/proc/stat", "utf8");
    return true;
  } catch {
    return false;
  }
}

interface PidStat {
  pid: number;
  comm: string;
  ppid: number;
  /** utime + stime */
  own: number;
  /** cutime + cstime (reaped children) */
  reaped: number;
}

/** /proc/PID/stat parsed; undefined when the process is gone. comm may hold spaces and parentheses. */
function readPidStat(pid: number | "self"): PidStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  const open = text.indexOf("(");
  const close = text.lastIndexOf(")");
  const comm = text.slice(open + 1, close);
  // fields after comm: state(3) ppid(4) … utime(14) stime(15) cutime(16) cstime(17)
  const f = text
    .slice(close + 2)
    .trim()
    .split(/\s+/);
  const n = (i: number) => Number(f[i - 3]);
  return { pid: pid === "self" ? process.pid : Number(pid), comm, ppid: n(4), own: n(14) + n(15), reaped: n(16) + n(17) };
}

function allPidStats(): PidStat[] {
  const out: PidStat[] = [];
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    const s = readPidStat(Number(name));
    if (s) out.push(s);
  }
  return out;
}

/** Ticks of each root's process tree (own + reaped children + live descendants). */
function treeTicks(roots: readonly number[], stats: PidStat[]): number {
  const byParent = new Map<number, PidStat[]>();
  const byPid = new Map<number, PidStat>();
  for (const s of stats) {
    byPid.set(s.pid, s);
    const list = byParent.get(s.ppid);
    if (list) list.push(s);
    else byParent.set(s.ppid, [s]);
  }
  let total = 0;
  const seen = new Set<number>();
  const stack = [...roots];
  while (stack.length > 0) {
    const pid = stack.pop() as number;
    if (seen.has(pid)) continue;
    seen.add(pid);
    const s = byPid.get(pid);
    if (!s) continue;
    total += s.own + s.reaped;
    for (const c of byParent.get(pid) ?? []) stack.push(c.pid);
  }
  return total;
}

/** The machine: busy and total ticks summed over every CPU (the first line of /proc/stat). */
function machineTicks(): { busy: number; total: number; steal: number } {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0] as string;
  const [user, nice, system, idle, iowait, irq, softirq, steal] = line
    .trim()
    .split(/\s+/)
    .slice(1)
    .map((x) => Number(x)) as number[];
  // guest time is already inside user/nice
  const busy = (user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0);
  return { busy, total: busy + (idle ?? 0) + (iowait ?? 0), steal: steal ?? 0 };
}

interface Snapshot {
  at: number;
  server: number;
  bench: number;
  postgres: number;
  machineBusy: number;
  machineTotal: number;
  steal: number;
}

function snapshot(serverPids: readonly number[], withPostgres: boolean): Snapshot {
  const stats = allPidStats();
  const m = machineTicks();
  const pgRoots = withPostgres
    ? stats.filter((s) => s.comm === "postgres" && !stats.some((p) => p.pid === s.ppid && p.comm === "postgres"))
    : [];
  return {
    at: performance.now(),
    server: treeTicks(serverPids, stats),
    bench: readPidStat("self")?.own ?? 0,
    postgres: treeTicks(
      pgRoots.map((s) => s.pid),
      stats,
    ),
    machineBusy: m.busy,
    machineTotal: m.total,
    steal: m.steal,
  };
}

export interface CpuUsage {
  /** wall-clock seconds between the two readings */
  seconds: number;
  /** CPU time of the server process tree(s), µs */
  serverUs: number;
  /** CPU time of this process (the load generator), µs */
  benchUs: number;
  /** CPU time of every PostgreSQL process on this machine, µs (0 unless asked for) */
  postgresUs: number;
  /** busy CPU time of the whole machine, µs (steal included) */
  machineUs: number;
  /** hypervisor steal within machineUs, µs */
  stealUs: number;
  /** machine minus server, bench and (when counted) PostgreSQL: everybody else, µs */
  othersUs: number;
  /** the same as average cores busy over the interval */
  serverCores: number;
  benchCores: number;
  postgresCores: number;
  othersCores: number;
  machineCores: number;
}

export interface CpuMeter {
  stop(): CpuUsage;
}

/**
 * Start measuring: reads /proc now and again at stop(). `postgres`: count PostgreSQL's processes
 * (a local server) on their own instead of among "others" — for rows where they do the work.
 */
export function startCpuMeter(serverPids: readonly number[], opts: { postgres?: boolean } = {}): CpuMeter {
  const withPg = opts.postgres === true;
  const a = snapshot(serverPids, withPg);
  return {
    stop() {
      const b = snapshot(serverPids, withPg);
      const us = 1e6 / ticksPerSecond();
      const seconds = (b.at - a.at) / 1000;
      const serverUs = Math.max(0, b.server - a.server) * us;
      const benchUs = Math.max(0, b.bench - a.bench) * us;
      const postgresUs = Math.max(0, b.postgres - a.postgres) * us;
      const machineUs = Math.max(0, b.machineBusy - a.machineBusy) * us;
      const stealUs = Math.max(0, b.steal - a.steal) * us;
      const othersUs = Math.max(0, machineUs - serverUs - benchUs - postgresUs);
      const cores = (x: number) => (seconds > 0 ? x / 1e6 / seconds : Number.NaN);
      return {
        seconds,
        serverUs,
        benchUs,
        postgresUs,
        machineUs,
        stealUs,
        othersUs,
        serverCores: cores(serverUs),
        benchCores: cores(benchUs),
        postgresCores: cores(postgresUs),
        othersCores: cores(othersUs),
        machineCores: cores(machineUs),
      };
    },
  };
}

/** Resident set size of a process tree, KiB (VmRSS of each live process, summed). */
export function rssKiB(pids: readonly number[]): number {
  const stats = allPidStats();
  const tree = new Set<number>();
  const stack = [...pids];
  while (stack.length > 0) {
    const pid = stack.pop() as number;
    if (tree.has(pid)) continue;
    tree.add(pid);
    for (const s of stats) if (s.ppid === pid) stack.push(s.pid);
  }
  let total = 0;
  for (const pid of tree) {
    try {
      const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      if (m) total += Number(m[1]);
    } catch {
      // gone
    }
  }
  return total;
}
