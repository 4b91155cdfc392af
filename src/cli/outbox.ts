// `switchboard outbox list`: the notification messages of the store the server uses (--data,
// --database … as for `serve`) and how their delivery went. Recipients are masked unless
// --show-recipients; bodies are never printed (they carry the one-time revert link).
import { existsSync } from "node:fs";
import { openStore } from "../app.js";
import { maskValue } from "../common/mask.js";
import { type CommandLine, type Config, ConfigError } from "../config.js";
import type { OutboxMessageRecord } from "../store/records.js";

const STATUSES = ["pending", "sent", "failed"] as const;

const iso = (ms: number) => new Date(ms).toISOString();

/** What the listing shows of a message: everything but the body. */
export function listedMessage(m: OutboxMessageRecord, showRecipients: boolean): Record<string, unknown> {
  return {
    id: m.id,
    createdTime: iso(m.createdTime),
    account: m.account,
    region: m.region,
    kind: m.kind,
    recipient: showRecipients ? m.recipient : maskValue(m.recipient),
    subject: m.subject,
    status: m.status,
    attempts: m.attempts,
    ...(m.status === "pending" ? { nextAttemptTime: iso(m.nextAttemptTime) } : {}),
    ...(m.sentTime !== undefined ? { sentTime: iso(m.sentTime) } : {}),
    ...(m.lastError !== undefined ? { lastError: m.lastError } : {}),
  };
}

function table(rows: Record<string, unknown>[]): string {
  const columns = ["createdTime", "status", "attempts", "kind", "recipient", "id", "detail"] as const;
  const cells = rows.map((r) => {
    const detail =
      r.status === "sent"
        ? `sent ${String(r.sentTime)}`
        : r.status === "pending"
          ? `next attempt ${String(r.nextAttemptTime)}${r.lastError ? `; last error: ${String(r.lastError)}` : ""}`
          : `gave up; last error: ${String(r.lastError ?? "-")}`;
    return columns.map((c) => (c === "detail" ? detail : String(r[c] ?? "")));
  });
  const header = columns.map((c) => c.toUpperCase());
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((row) => (row[i] ?? "").length)));
  const line = (row: readonly string[]) =>
    row
      .map((v, i) => (i === row.length - 1 ? v : v.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(header), ...cells.map(line)].join("\n");
}

export async function outboxList({ config, values }: CommandLine): Promise<void> {
  const status = values.status;
  if (status !== undefined && !(STATUSES as readonly unknown[]).includes(status)) {
    throw new ConfigError(`--status must be one of ${STATUSES.join(", ")}, got '${String(status)}'`);
  }
  const messages = await withStore(config, (store) => store.outbox.list(status as OutboxMessageRecord["status"] | undefined));
  const rows = messages.map((m) => listedMessage(m, values["show-recipients"] === true));
  if (values.json === true) process.stdout.write(`${JSON.stringify(rows)}\n`);
  else if (rows.length === 0) process.stdout.write("no messages\n");
  else process.stdout.write(`${table(rows)}\n`);
}

async function withStore<T>(config: Config, fn: (store: Awaited<ReturnType<typeof openStore>>) => Promise<T>): Promise<T> {
  if (config.storage.kind === "memory") throw new ConfigError("--memory keeps no outbox to read; use --data or --database");
  if (config.storage.kind === "sqlite" && !existsSync(config.storage.file)) {
    throw new Error(`no database at ${config.storage.file} (use --data DIR to point at the server's data directory)`);
  }
  const store = await openStore(config);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}
