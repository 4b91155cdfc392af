// `switchboard import-users FILE` and `switchboard export-users`: Connect's bulk-user CSV template
// through the public Connect API (src/bulk/), against Switchboard or a real Connect instance.
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { connectClient } from "../bulk/client.js";
import { formatCsv } from "../bulk/csv.js";
import { exportUsers } from "../bulk/exporter.js";
import { importUsers, RESULT_HEADER, type RowResult, type RowStatus, resultRow } from "../bulk/importer.js";
import { parseTemplate } from "../bulk/template.js";
import { ConfigError } from "../config.js";

export const IMPORT_USAGE = `Usage: switchboard import-users FILE --instance ID [--endpoint-url URL] [--region R] [--dry-run]
                                [--result FILE] [--concurrency N]
  Creates or updates (by user login) the users of Connect's bulk-user CSV template, through the
  Connect API; credentials from the AWS SDK's default chain (e.g. AWS_ACCESS_KEY_ID).
  --dry-run   validate every row and resolve every name; change nothing
  --result    the per-row result CSV (default FILE.result.csv)
  exit 0 when no row failed, 1 otherwise
       switchboard export-users --instance ID [--endpoint-url URL] [--region R] > users.csv`;

const OPTIONS = {
  instance: { type: "string" },
  "endpoint-url": { type: "string" },
  region: { type: "string" },
  "dry-run": { type: "boolean" },
  result: { type: "string" },
  concurrency: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

function parse(argv: string[]) {
  try {
    return parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: true });
  } catch (err) {
    throw new ConfigError(err instanceof Error ? err.message : String(err));
  }
}

function clientOf(values: ReturnType<typeof parse>["values"]) {
  if (!values.instance) throw new ConfigError("--instance ID is required");
  return connectClient({
    ...(values["endpoint-url"] ? { endpoint: values["endpoint-url"] } : {}),
    ...(values.region ? { region: values.region } : {}),
  });
}

/** Progress on a terminal: one redrawn bar; otherwise one plain line per row. */
function progress(tty: boolean, dryRun: boolean) {
  const counts: Record<RowStatus, number> = { created: 0, updated: 0, unchanged: 0, failed: 0 };
  const started = Date.now();
  const verb = (s: RowStatus) => (dryRun && s !== "failed" && s !== "unchanged" ? `would be ${s}` : s);
  return {
    counts,
    onRow(r: RowResult, done: number, total: number) {
      counts[r.status]++;
      if (!tty) {
        process.stderr.write(
          `line ${r.line} ${r.login}: ${verb(r.status)}${r.changes.length ? ` (${r.changes.join(", ")})` : ""}${r.error ? `: ${r.error}` : ""}\n`,
        );
        return;
      }
      const width = 30;
      const filled = Math.round((done / total) * width);
      const rate = done / Math.max(0.001, (Date.now() - started) / 1000);
      process.stderr.write(
        `\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${done}/${total}  ${counts.created} created, ${counts.updated} updated, ${counts.unchanged} unchanged, ${counts.failed} failed  ${rate.toFixed(1)} rows/s `,
      );
      if (done === total) process.stderr.write("\n");
    },
  };
}

export async function importUsersCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parse(argv);
  if (values.help) return void process.stdout.write(`${IMPORT_USAGE}\n`);
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new ConfigError("import-users takes one FILE");
  const client = clientOf(values);
  const concurrency = values.concurrency === undefined ? 4 : Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new ConfigError("--concurrency must be a whole number >= 1");
  const parsed = parseTemplate(readFileSync(file, "utf8"));
  const dryRun = values["dry-run"] === true;
  const bar = progress(Boolean(process.stderr.isTTY), dryRun);
  const started = Date.now();
  const results = await importUsers(parsed.rows, { client, instanceId: values.instance as string, dryRun, concurrency, onRow: bar.onRow });
  const seconds = (Date.now() - started) / 1000;
  const resultFile = values.result ?? `${file}.result.csv`;
  writeFileSync(resultFile, formatCsv([RESULT_HEADER, ...results.map(resultRow)]));
  const c = bar.counts;
  process.stdout.write(
    `${dryRun ? "dry run: " : ""}${results.length} rows in ${seconds.toFixed(1)} s (${(results.length / Math.max(seconds, 0.001)).toFixed(1)} rows/s): ` +
      `${c.created} ${dryRun ? "to create" : "created"}, ${c.updated} ${dryRun ? "to update" : "updated"}, ${c.unchanged} unchanged, ${c.failed} failed; results in ${resultFile}\n`,
  );
  client.destroy();
  if (c.failed > 0) process.exitCode = 1;
}

export async function exportUsersCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parse(argv);
  if (values.help) return void process.stdout.write(`${IMPORT_USAGE}\n`);
  if (positionals.length > 0) throw new ConfigError("export-users takes no FILE: it writes to standard output");
  const client = clientOf(values);
  process.stdout.write(await exportUsers(client, values.instance as string));
  client.destroy();
}
