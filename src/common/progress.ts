// Progress of a long-running command (access report, snapshot export/import) on a terminal: one
// line on stderr, redrawn in place, erased when the work ends, so what stays on the screen is the
// command's own output. When stderr is not a terminal (piped, a CI log, a test) nothing is
// written: the tools people know (npm, git, curl) behave the same way.

/** What the work reports: a phase ("users read", "principals evaluated") and how far it is. */
export type ProgressReporter = (phase: string, done: number, total?: number) => void;

export interface ProgressSink {
  readonly isTTY?: boolean;
  /** terminal width; absent when unknown */
  readonly columns?: number;
  write(chunk: string): unknown;
}

export interface Progress {
  readonly report: ProgressReporter;
  /** erases the line (when one was drawn) */
  end(): void;
}

/** Redraws at most this often: a tight loop reporting every step must not spend its time drawing. */
const REDRAW_MS = 100;

const NOTHING: Progress = { report: () => {}, end: () => {} };

function line(label: string, phase: string, done: number, total: number | undefined, elapsedMs: number): string {
  const seconds = (elapsedMs / 1000).toFixed(1);
  if (total === undefined || total <= 0) return `${label}: ${done.toLocaleString("en-US")} ${phase}  ${seconds} s`;
  const width = 24;
  const filled = Math.min(width, Math.round((done / total) * width));
  return `${label}: [${"#".repeat(filled)}${".".repeat(width - filled)}] ${done.toLocaleString("en-US")}/${total.toLocaleString("en-US")} ${phase}  ${seconds} s`;
}

/**
 * A progress line for `label` on `sink` (default process.stderr) — or, when the sink is not a
 * terminal, a reporter that does nothing. The first report of each phase and the last step of a
 * phase (done === total) are always drawn; others at most every REDRAW_MS.
 */
export function terminalProgress(label: string, sink: ProgressSink = process.stderr, now: () => number = Date.now): Progress {
  if (!sink.isTTY) return NOTHING;
  const started = now();
  let lastDraw = Number.NEGATIVE_INFINITY;
  let lastPhase: string | undefined;
  let drawn = false;
  return {
    report(phase, done, total) {
      const t = now();
      const final = total !== undefined && done >= total;
      if (phase === lastPhase && !final && t - lastDraw < REDRAW_MS) return;
      lastPhase = phase;
      lastDraw = t;
      let text = line(label, phase, done, total, t - started);
      const columns = sink.columns ?? 0;
      if (columns > 1 && text.length >= columns) text = text.slice(0, columns - 1);
      // \r back to the line's start, the text, then ESC[K erases what a longer line left behind.
      sink.write(`\r${text}\x1b[K`);
      drawn = true;
    },
    end() {
      if (drawn) sink.write("\r\x1b[K");
      drawn = false;
    },
  };
}
