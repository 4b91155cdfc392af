// The embedding API, the package's main export: Switchboard started in-process from a test suite
// (node:test, Jest, Vitest …), as moto's mock_aws or mongodb-memory-server are.
//
//   const sb = await startSwitchboard();            // memory store, any free port
//   const connect = new ConnectClient({ endpoint: sb.endpoint, region: sb.region, credentials: sb.credentials });
//   …
//   await sb.stop();                                // port and database freed
//
// Options are serve's settings (SERVE_FLAGS in config.ts, camelCased: `maxInstances`, `throttle`,
// `iam` …) plus `store`, which stands for --data / --memory / --database.
import { type RunningServer, startServer } from "./app.js";
import { type Config, ConfigError, configFrom, type ServeFlagOptions } from "./config.js";
import type { SeedDocument } from "./seed/document.js";
import type { ExportOptions, ImportSummary, Snapshot } from "./snapshot/snapshot.js";

export type { SeedDocument } from "./seed/document.js";
export type { ExportOptions, ImportSummary, Snapshot } from "./snapshot/snapshot.js";

export { ConfigError };

/** Where the data live: in memory (the default), a SQLite data directory, or PostgreSQL. */
export type StoreOption = "memory" | { dataDir: string } | { databaseUrl: string; schema?: string };

/** serve's settings that only make sense for a process, or that `store` stands for. */
type ProcessOnly = "data" | "memory" | "database" | "databaseSchema" | "readyFile" | "printEndpoint" | "seed";

export interface SwitchboardOptions extends Omit<ServeFlagOptions, ProcessOnly> {
  /** default "memory" */
  store?: StoreOption;
  /** a seed file (JSON or YAML) or the document itself, applied at start (and by reset()) */
  seed?: string | SeedDocument;
  /**
   * Environment variables to read settings from (SWITCHBOARD_*), as `serve` does. Default: none —
   * an embedded server is configured by its options only, whatever the test process's environment.
   */
  env?: Readonly<Record<string, string | undefined>>;
}

export interface Switchboard {
  /** http://127.0.0.1:PORT — every service (Connect, CloudTrail) on one port */
  endpoint: string;
  port: number;
  /** any region works; this is the one to pass to a client that needs one */
  region: string;
  /** the account root's access key (options accessKeyId / secretAccessKey, default test/test) */
  credentials: { accessKeyId: string; secretAccessKey: string };
  accountId: string;
  /** Back to the start state in milliseconds: the store cleared, the seed (and --iam file) applied again. */
  reset(): Promise<void>;
  /** Every resource (and IAM principals; secrets and the audit trail when asked) as stable JSON text. */
  exportSnapshot(opts?: ExportOptions): Promise<string>;
  /** Replaces the store's content with an exported snapshot. */
  importSnapshot(snapshot: string | Snapshot): Promise<ImportSummary>;
  /** Stops accepting, finishes in-flight requests, frees the port and closes the database. Idempotent. */
  stop(): Promise<void>;
}

/** The configuration an embedded server runs with (defaults differ from serve's: memory, port 0, logs off). */
export function embeddedConfig(options: SwitchboardOptions = {}): Config {
  const { store = "memory", env = {}, seed, ...settings } = options;
  if (store !== "memory" && (typeof store !== "object" || store === null)) {
    throw new ConfigError(`store must be "memory", { dataDir } or { databaseUrl }, got ${JSON.stringify(store)}`);
  }
  const storage =
    store === "memory"
      ? { memory: true }
      : "dataDir" in store
        ? { data: store.dataDir }
        : { database: store.databaseUrl, ...(store.schema ? { databaseSchema: store.schema } : {}) };
  return configFrom({ port: 0, logLevel: "off", ...settings, ...storage, ...(typeof seed === "string" ? { seed } : {}) }, env);
}

export async function startSwitchboard(options: SwitchboardOptions = {}): Promise<Switchboard> {
  const config = embeddedConfig(options);
  const server: RunningServer = await startServer(config, typeof options.seed === "object" ? { seed: options.seed } : {});
  return {
    endpoint: server.url,
    port: server.port,
    region: "us-east-1",
    credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
    accountId: config.accountId,
    reset: async () => {
      await server.reset();
    },
    exportSnapshot: (o) => server.exportSnapshot(o),
    importSnapshot: (s) => server.importSnapshot(s),
    stop: () => server.close(),
  };
}
