// `switchboard import-users FILE` and `switchboard export-users`: Connect's bulk-user CSV template
// through the public Connect API (src/bulk/), against Switchboard or a real Connect instance.
import { readFileSync, writeFileSync } from "node:fs";
import { connectClient } from "../bulk/client.js";
import { formatCsv } from "../bulk/csv.js";
import { exportUsers } from "../bulk/exporter.js";
import { importUsers, RESULT_HEADER, type RowResult, type RowStatus, resultRow } from "../bulk/importer.js";
import { parseTemplate } from "../bulk/template.js";
import { terminalProgress } from "../common/progress.js";
import { ConfigError } from "../config.js";

type Values = Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;
const text = (v: Values[string]): string | undefined => (typeof v === "string" ? v : undefined);

function clientOf(values: Values) {
  if (!text(values.instance)) throw new ConfigError("--instance ID is required");
  const endpoint = text(values["endpoint-url"]);
  const region = text(values.region);
  return connectClient({ ...(endpoint ? { endpoint } : {}), ...(region ? { region } : {}) });
}

/**
 * Progress on a terminal: the shared redrawn line (common/progress.ts) with the counts so far.
 * Piped, no progress: only a failed row is told on stderr (an error, with its line and the AWS
 * error); every row's outcome is in the result file either way.
 */
function progress(dryRun: boolean) {
  const counts: Record<RowStatus, number> = { created: 0, updated: 0, unchanged: 0, failed: 0 };
  const bar = terminalProgress(dryRun ? "import-users (dry run)" : "import-users");
  const tty = Boolean(process.stderr.isTTY);
  return {
    counts,
    end: bar.end,
    onRow(r: RowResult, done: number, total: number) {
      counts[r.status]++;
      if (r.status === "failed" && !tty) process.stderr.write(`line ${r.line} ${r.login}: failed: ${r.error ?? "unknown error"}\n`);
      bar.report(
        `rows (${counts.created} created, ${counts.updated} updated, ${counts.unchanged} unchanged, ${counts.failed} failed)`,
        done,
        total,
      );
    },
  };
}

export async function importUsersCommand(values: Values, positionals: string[]): Promise<void> {
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new ConfigError("import-users takes one FILE");
  const client = clientOf(values);
  const concurrency = text(values.concurrency) === undefined ? 4 : Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new ConfigError("--concurrency must be a whole number >= 1");
  const parsed = parseTemplate(readFileSync(file, "utf8"));
  const dryRun = values["dry-run"] === true;
  const bar = progress(dryRun);
  const started = Date.now();
  const results = await importUsers(parsed.rows, {
    client,
    instanceId: values.instance as string,
    dryRun,
    concurrency,
    onRow: bar.onRow,
  }).finally(bar.end);
  const seconds = (Date.now() - started) / 1000;
  const resultFile = text(values.result) ?? `${file}.result.csv`;
  writeFileSync(resultFile, formatCsv([RESULT_HEADER, ...results.map(resultRow)]));
  const c = bar.counts;
  process.stdout.write(
    `${dryRun ? "dry run: " : ""}${results.length} rows in ${seconds.toFixed(1)} s (${(results.length / Math.max(seconds, 0.001)).toFixed(1)} rows/s): ` +
      `${c.created} ${dryRun ? "to create" : "created"}, ${c.updated} ${dryRun ? "to update" : "updated"}, ${c.unchanged} unchanged, ${c.failed} failed; results in ${resultFile}\n`,
  );
  client.destroy();
  if (c.failed > 0) process.exitCode = 1;
}

export async function exportUsersCommand(values: Values, positionals: string[]): Promise<void> {
  if (positionals.length > 0) throw new ConfigError("export-users takes no FILE: it writes to standard output");
  const client = clientOf(values);
  process.stdout.write(await exportUsers(client, values.instance as string));
  client.destroy();
}
