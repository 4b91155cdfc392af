// `switchboard audit list|verify`: reads the audit trail of the store the server uses (--data,
// --database … as for `serve`).
import { existsSync } from "node:fs";
import { openStore } from "../app.js";
import { formatJsonLines, formatTable, listEvents, listFilter } from "../audit/list.js";
import { verifyChain } from "../audit/verify.js";
import type { CommandLine, Config } from "../config.js";
import { ConfigError } from "../config.js";
import type { Store } from "../store/store.js";

/** Opens the server's store; refuses to create an empty one where none exists. */
async function openExisting(config: Config): Promise<Store> {
  if (config.storage.kind === "memory") throw new ConfigError("--memory keeps no audit trail to read; use --data or --database");
  if (config.storage.kind === "sqlite" && !existsSync(config.storage.file)) {
    throw new Error(`no database at ${config.storage.file} (use --data DIR to point at the server's data directory)`);
  }
  return openStore(config);
}

async function withStore<T>(config: Config, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openExisting(config);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

const opt = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);

export async function auditList({ config, values }: CommandLine): Promise<void> {
  const options = {
    since: opt(values.since),
    until: opt(values.until),
    eventName: opt(values["event-name"]),
    principal: opt(values.principal),
    userId: opt(values["user-id"]),
    limit: opt(values.limit),
  };
  // Check the filters before touching the database.
  listFilter(options);
  const listing = await withStore(config, (store) => listEvents(store, options));
  if (values.json === true) {
    if (listing.events.length > 0) process.stdout.write(`${formatJsonLines(listing.events)}\n`);
  } else if (listing.events.length === 0) {
    process.stdout.write("no audit events match\n");
  } else {
    process.stdout.write(`${formatTable(listing.events)}\n`);
  }
  if (listing.more) {
    process.stderr.write(`(newest ${listing.events.length} shown; more events match: raise --limit or narrow the filters)\n`);
  }
}

export async function auditVerify({ config }: CommandLine): Promise<void> {
  const result = await withStore(config, (store) => verifyChain(store));
  if (result.ok) {
    process.stdout.write(`audit trail intact: ${result.events} events; head hash ${result.headHash}\n`);
    return;
  }
  process.stdout.write(`audit trail BROKEN at event ${result.seq}: ${result.reason}\n`);
  process.exitCode = 1;
}
