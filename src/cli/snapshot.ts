// `switchboard snapshot export|import`: the store the server uses (--data, --database … as for
// `serve`) as one stable JSON document (snapshot/snapshot.ts), to stdout; and back, replacing
// the store's content. A running server sees imported IAM principals within a second.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { openStore } from "../app.js";
import { terminalProgress } from "../common/progress.js";
import { type CommandLine, type Config, ConfigError } from "../config.js";
import { exportSnapshot, importSnapshot, parseSnapshot, snapshotText } from "../snapshot/snapshot.js";
import type { Store } from "../store/store.js";

async function withStore<T>(config: Config, mustExist: boolean, fn: (store: Store) => Promise<T>): Promise<T> {
  if (config.storage.kind === "memory") throw new ConfigError("--memory keeps nothing to snapshot; use --data or --database");
  if (mustExist && config.storage.kind === "sqlite" && !existsSync(config.storage.file)) {
    throw new Error(`no database at ${config.storage.file} (use --data DIR to point at the server's data directory)`);
  }
  const store = await openStore(config);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

export async function snapshotExport({ config, values }: CommandLine): Promise<void> {
  const progress = terminalProgress("snapshot export");
  const text = await withStore(config, true, async (store) => {
    try {
      const opts = { secrets: values.secrets === true, audit: values.audit === true, onProgress: progress.report };
      return snapshotText(await exportSnapshot(store, opts));
    } finally {
      progress.end();
    }
  });
  await new Promise<void>((resolve, reject) => process.stdout.write(text, (err) => (err ? reject(err) : resolve())));
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function snapshotImport({ config, positionals }: CommandLine): Promise<void> {
  const [file] = positionals;
  const text = file === undefined || file === "-" ? await readStdin() : await readFile(file, "utf8");
  const snapshot = parseSnapshot(text);
  const progress = terminalProgress("snapshot import");
  const summary = await withStore(config, false, async (store) => {
    try {
      return await importSnapshot(store, snapshot, { onProgress: progress.report });
    } finally {
      progress.end();
    }
  });
  process.stderr.write(
    `imported ${summary.instances} instances, ${summary.users} users, ${summary.principals} IAM principals, ${summary.auditEvents} audit events` +
      `${summary.keysWithoutSecrets > 0 ? `; ${summary.keysWithoutSecrets} access keys left out (exported without --secrets)` : ""}\n`,
  );
}
