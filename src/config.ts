// Typed configuration from command-line flags, then SWITCHBOARD_* environment variables, then
// defaults. Pure: no side effects, so tests can build configs freely.
//
// SERVE_FLAGS below is the one definition of serve's settings: `switchboard serve`'s parser
// (commander), the environment variables, README's configuration table (test/unit/config-table.test.ts
// fails when they disagree) and the embedding API's options (ServeFlagOptions, camelCased names)
// all derive from it. Adding a setting = one row in SERVE_FLAGS + reading it with get() in configFrom.

import { createRequire } from "node:module";
import { resolve } from "node:path";
import type { Command } from "commander";
import { ConfigError } from "./common/errors.js";
import type { LogLevel } from "./common/log.js";
import type { Quotas } from "./operations/declare.js";
import { AWS_DEFAULT_THROTTLE } from "./protocol/throttle.js";

export interface Config {
  host: string;
  port: number;
  storage:
    | { kind: "sqlite"; file: string }
    | { kind: "memory" }
    | { kind: "postgres"; url: string; schema?: string; poolSize: number; connectTimeoutMs: number; waitMs: number };
  durability: "normal" | "full";
  auth: "sigv4" | "off";
  accessKeyId: string;
  secretAccessKey: string;
  accountId: string;
  logLevel: LogLevel;
  maxBodyBytes: number;
  /** slow and idle clients (README, "Limits and timeouts") */
  http: { headerTimeoutMs: number; bodyTimeoutMs: number; idleTimeoutMs: number; maxConnections: number };
  quotas: Quotas;
  /** UpdateUserIdentityInfo's reading of omitted members: replace (clear them, the default) or merge (keep them) */
  identityInfoUpdate: "replace" | "merge";
  /** undefined: no rate limiting (the default) */
  throttle?: { rate: number; burst: number };
  /** --ready-file PATH: the endpoint is written there once requests are accepted (removed at stop) */
  readyFile?: string;
  /** --print-endpoint: the endpoint alone on stdout's first line once requests are accepted */
  printEndpoint: boolean;
  /** --seed FILE: instances, profiles, users, principals … applied at start-up (seed/apply.ts) */
  seedFile?: string;
  /** failed-authentication events per source IP and per access key and window (the rest summed up) */
  failedAuthAudit: { count: number; windowMs: number };
  /** --iam FILE: principals, keys and policies declared in a JSON file, loaded at start-up */
  iamFile?: string;
  /** --faults FILE: fault rules ({"rules": [...]}) in force from start-up */
  faultsFile?: string;
  /** --consistency-lag MS: Describe, List and Search calls miss a resource created or changed this recently (0: off) */
  consistencyLagMs: number;
  notifications: {
    /** --smtp-url: deliver the outbox over SMTP (absent: messages wait in the outbox) */
    smtpUrl?: string;
    /** sender address of notification mails */
    from: string;
    /** how long a revert link stays valid */
    revertTtlMs: number;
    /** base URL in links (default: the server's own URL) */
    publicUrl?: string;
  };
}

export { ConfigError };

/** One row of SERVE_FLAGS. */
export interface FlagDef {
  /** its environment variable */
  env: string;
  /** string: any text; number: a whole number (range checked in configFrom); boolean: a switch (env: 1 or true) */
  type: "string" | "number" | "boolean";
  /** the default value; absent: none (or `shownDefault` says what happens) */
  default?: string;
  /** README's default cell when there is no plain default value */
  shownDefault?: string;
  /** the value's placeholder in usage and README (--data DIR) */
  arg?: string;
  /** what it does: README's "meaning" cell and --help's text (markdown backticks allowed) */
  doc: string;
  /** false: an environment variable only, no flag (secrets stay off command lines) */
  flag?: false;
  /** also listed in the tool commands' help (iam, audit …), which select the server's store with it */
  storage?: true;
}

/**
 * serve's settings, in README's order. Flag `--name`, embedding option `name` camelCased
 * (`db-pool-size` → `dbPoolSize`). Rows only: the rules that combine them live in configFrom.
 */
export const SERVE_FLAGS = {
  host: { env: "SWITCHBOARD_HOST", type: "string", default: "127.0.0.1", arg: "ADDR", doc: "address to listen on" },
  port: { env: "SWITCHBOARD_PORT", type: "number", default: "4599", arg: "N", doc: "port (0 = any free port)" },
  "ready-file": {
    env: "SWITCHBOARD_READY_FILE",
    type: "string",
    arg: "PATH",
    doc: "once requests are accepted, write the endpoint URL to PATH (atomically; removed at stop) — for tests in any language",
  },
  "print-endpoint": {
    env: "SWITCHBOARD_PRINT_ENDPOINT",
    type: "boolean",
    doc: "once requests are accepted, print the endpoint URL on a line of its own to stdout (the first line with `--log-level off`)",
  },
  data: {
    env: "SWITCHBOARD_DATA",
    type: "string",
    default: "./data",
    arg: "DIR",
    doc: "SQLite database at `DIR/switchboard.db`",
    storage: true,
  },
  memory: { env: "SWITCHBOARD_MEMORY", type: "boolean", doc: "keep everything in memory, nothing on disk", storage: true },
  database: {
    env: "SWITCHBOARD_DATABASE_URL",
    type: "string",
    arg: "URL",
    doc: 'use PostgreSQL (`postgres://user@host:5432/db`) instead of SQLite; see "Storage modes"',
    storage: true,
  },
  "database-schema": {
    env: "SWITCHBOARD_DATABASE_SCHEMA",
    type: "string",
    arg: "NAME",
    shownDefault: "server's `search_path`",
    doc: "PostgreSQL schema holding the tables (created when missing)",
    storage: true,
  },
  "db-pool-size": {
    env: "SWITCHBOARD_DB_POOL_SIZE",
    type: "number",
    default: "16",
    arg: "N",
    doc: "PostgreSQL connections per node (keep nodes × N under `max_connections`)",
    storage: true,
  },
  "db-connect-timeout-ms": {
    env: "SWITCHBOARD_DB_CONNECT_TIMEOUT_MS",
    type: "number",
    default: "2000",
    arg: "N",
    doc: "how long a request waits for a database connection before answering 500",
    storage: true,
  },
  "db-wait-ms": {
    env: "SWITCHBOARD_DB_WAIT_MS",
    type: "number",
    default: "30000",
    arg: "N",
    doc: "at start-up, how long to wait for PostgreSQL to answer (health and calls answer 503 meanwhile; 0: not at all)",
    storage: true,
  },
  durability: { env: "SWITCHBOARD_DURABILITY", type: "string", default: "normal", arg: "normal|full", doc: 'see "Durability"' },
  auth: {
    env: "SWITCHBOARD_AUTH",
    type: "string",
    default: "sigv4",
    arg: "sigv4|off",
    doc: "`off` accepts any signature (the access key still names the caller); said at start-up",
  },
  "access-key-id": {
    env: "SWITCHBOARD_ACCESS_KEY_ID",
    type: "string",
    default: "test",
    flag: false,
    doc: "the bootstrap credential's access key (the account root)",
  },
  "secret-access-key": { env: "SWITCHBOARD_SECRET_ACCESS_KEY", type: "string", default: "test", flag: false, doc: "its secret" },
  "account-id": { env: "SWITCHBOARD_ACCOUNT_ID", type: "string", default: "000000000000", flag: false, doc: "its account" },
  throttle: {
    env: "SWITCHBOARD_THROTTLE",
    type: "string",
    default: "off",
    arg: "off|aws|RATE:BURST",
    doc: "request-rate limit per account and region; `aws` = Connect's default 2 requests/s, burst 5",
  },
  "max-instances": {
    env: "SWITCHBOARD_MAX_INSTANCES",
    type: "number",
    default: "2",
    arg: "N",
    doc: "instances per account and region (AWS's default quota)",
  },
  "max-users-per-instance": {
    env: "SWITCHBOARD_MAX_USERS_PER_INSTANCE",
    type: "number",
    default: "500",
    arg: "N",
    doc: "users per instance (AWS's default quota)",
  },
  // AWS's defaults (https://docs.aws.amazon.com/connect/latest/adminguide/amazon-connect-service-limits.html).
  "max-security-profiles-per-instance": {
    env: "SWITCHBOARD_MAX_SECURITY_PROFILES_PER_INSTANCE",
    type: "number",
    default: "100",
    arg: "N",
    doc: "security profiles per instance (AWS's default quota)",
  },
  "max-routing-profiles-per-instance": {
    env: "SWITCHBOARD_MAX_ROUTING_PROFILES_PER_INSTANCE",
    type: "number",
    default: "100",
    arg: "N",
    doc: "routing profiles per instance (AWS's default quota)",
  },
  "max-hierarchy-groups-per-instance": {
    env: "SWITCHBOARD_MAX_HIERARCHY_GROUPS_PER_INSTANCE",
    type: "number",
    default: "500",
    arg: "N",
    doc: "user hierarchy groups per instance (AWS's default quota)",
  },
  "max-body-bytes": {
    env: "SWITCHBOARD_MAX_BODY_BYTES",
    type: "number",
    default: "1048576",
    arg: "N",
    doc: "larger request bodies get 413 `RequestEntityTooLargeException`",
  },
  "header-timeout-ms": {
    env: "SWITCHBOARD_HEADER_TIMEOUT_MS",
    type: "number",
    default: "20000",
    arg: "N",
    doc: 'a request\'s headers must arrive within this, else 408 `RequestTimeoutException`; see "Limits and timeouts"',
  },
  "body-timeout-ms": {
    env: "SWITCHBOARD_BODY_TIMEOUT_MS",
    type: "number",
    default: "60000",
    arg: "N",
    doc: "the whole request (body included) must arrive within this, else 408",
  },
  "idle-timeout-ms": {
    env: "SWITCHBOARD_IDLE_TIMEOUT_MS",
    type: "number",
    default: "5000",
    arg: "N",
    doc: "a keep-alive connection idle this long is closed",
  },
  "max-connections": {
    env: "SWITCHBOARD_MAX_CONNECTIONS",
    type: "number",
    default: "1000",
    arg: "N",
    doc: "open connections at most; more are closed at once",
  },
  "failed-auth-audit-rate": {
    env: "SWITCHBOARD_FAILED_AUTH_AUDIT_RATE",
    type: "string",
    default: "20/60",
    arg: "COUNT/SECONDS",
    doc: "failed authentications audited per source IP and per access key and window; the rest are counted in one summary event",
  },
  "identity-info-update": {
    env: "SWITCHBOARD_IDENTITY_INFO_UPDATE",
    type: "string",
    default: "replace",
    arg: "replace|merge",
    doc: "UpdateUserIdentityInfo's omitted members: `replace` clears them, `merge` keeps them",
  },
  "log-level": {
    env: "SWITCHBOARD_LOG_LEVEL",
    type: "string",
    default: "info",
    arg: "LEVEL",
    doc: "`debug`, `info`, `warn`, `error`, `off`",
  },
  seed: {
    env: "SWITCHBOARD_SEED",
    type: "string",
    arg: "FILE",
    doc: 'instances, profiles, queues, hierarchy, users, IAM principals to create at start-up (JSON or YAML, `schema/seed.schema.json`); see "In your tests"',
  },
  iam: {
    env: "SWITCHBOARD_IAM_FILE",
    type: "string",
    arg: "FILE",
    doc: 'IAM principals, access keys and policies to load at start-up; see "Security"',
  },
  faults: {
    env: "SWITCHBOARD_FAULTS",
    type: "string",
    arg: "FILE",
    doc: 'fault rules (`{"rules": [...]}`) in force from start-up; see "Fault injection"',
  },
  "consistency-lag": {
    env: "SWITCHBOARD_CONSISTENCY_LAG_MS",
    type: "number",
    default: "0",
    arg: "MS",
    doc: 'Describe, List and Search miss a resource created or changed this recently (0: off); see "Fault injection"',
  },
  "smtp-url": {
    env: "SWITCHBOARD_SMTP_URL",
    type: "string",
    arg: "URL",
    doc: "deliver notification mails over SMTP (`smtp://user:pass@host:587`, `smtps://…`); without it they wait in the outbox",
  },
  "smtp-from": {
    env: "SWITCHBOARD_SMTP_FROM",
    type: "string",
    default: "switchboard@localhost",
    arg: "ADDR",
    doc: "sender of notification mails",
  },
  "revert-ttl-hours": {
    env: "SWITCHBOARD_REVERT_TTL_HOURS",
    type: "number",
    default: "24",
    arg: "N",
    doc: "how long the revert link in an old-address alert works",
  },
  "public-url": {
    env: "SWITCHBOARD_PUBLIC_URL",
    type: "string",
    arg: "URL",
    shownDefault: "the server's own URL",
    doc: "base of links in mails (set it behind a proxy or when the listen address is not reachable)",
  },
} as const satisfies Record<string, FlagDef>;

export type FlagName = keyof typeof SERVE_FLAGS;

type Camel<S extends string> = S extends `${infer H}-${infer T}` ? `${H}${Capitalize<Camel<T>>}` : S;
type ValueOf<D extends FlagDef> = D["type"] extends "boolean" ? boolean : D["type"] extends "number" ? number : string;

/** serve's settings as an object (the embedding API's options): `dbPoolSize: 4`, `auth: "off"` … */
export type ServeFlagOptions = { -readonly [K in FlagName as Camel<K>]?: ValueOf<(typeof SERVE_FLAGS)[K]> };

/** `db-pool-size` → `dbPoolSize` (commander's attribute names, the embedding API's keys). */
export const camel = (name: string): string => name.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());

/** Values as given (flags or options, camelCased); anything absent falls back to its variable, then its default. */
export type FlagValues = Readonly<Record<string, string | number | boolean | undefined>>;

/** The usage line's placeholder of a row. */
const placeholder = (d: FlagDef) => d.arg ?? (d.type === "number" ? "N" : "VALUE");

/** A commander Option for each row with a flag; `only: "storage"` hides the others from help (tool commands). */
export function addServeFlags(cmd: Command, only?: "storage"): Command {
  for (const [name, def] of Object.entries(SERVE_FLAGS) as [string, FlagDef][]) {
    if (def.flag === false) continue;
    const text = def.doc.replace(/`/g, "");
    const dflt =
      def.default !== undefined ? `; default ${def.default}` : def.shownDefault ? `; default ${def.shownDefault.replace(/`/g, "")}` : "";
    const opt = cmd.createOption(`--${name}${def.type === "boolean" ? "" : ` <${placeholder(def)}>`}`, `${text} (env ${def.env}${dflt})`);
    if (only === "storage" && def.storage !== true) opt.hideHelp();
    cmd.addOption(opt);
  }
  return cmd;
}

/** README's configuration table, generated from SERVE_FLAGS (config-table.test.ts keeps README equal to it). */
export function configurationTable(): string {
  const esc = (s: string) => s.replace(/\|/g, "\\|");
  const rows = ["| flag | environment | default | meaning |", "|---|---|---|---|"];
  for (const [name, def] of Object.entries(SERVE_FLAGS) as [string, FlagDef][]) {
    const flag = def.flag === false ? "—" : `\`--${name}${def.type === "boolean" ? "" : ` ${esc(placeholder(def))}`}\``;
    const env = `\`${def.env}${def.type === "boolean" ? "=1" : ""}\``;
    const dflt = def.default !== undefined ? `\`${def.default}\`` : def.type === "boolean" ? "off" : (def.shownDefault ?? "—");
    rows.push(`| ${flag} | ${env} | ${dflt} | ${esc(def.doc)} |`);
  }
  return rows.join("\n");
}

/** off | aws (2 requests/s, burst 5) | RATE:BURST */
function throttle(text: string): Config["throttle"] {
  if (text === "off") return undefined;
  if (text === "aws") return AWS_DEFAULT_THROTTLE;
  const m = /^(\d+(?:\.\d+)?):(\d+)$/.exec(text);
  if (!m) throw new ConfigError(`throttle must be off, aws or RATE:BURST (e.g. 10:20), got '${text}'`);
  const rate = Number(m[1]);
  const burst = Number(m[2]);
  if (rate <= 0 || burst < 1) throw new ConfigError(`throttle needs a rate > 0 and a burst >= 1, got '${text}'`);
  return { rate, burst };
}

/** COUNT/SECONDS, e.g. 20/60 */
function perWindow(name: string, text: string): { count: number; windowMs: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  if (!m) throw new ConfigError(`${name} must be COUNT/SECONDS (e.g. 20/60), got '${text}'`);
  return { count: int(name, m[1] as string, 1, 1_000_000), windowMs: int(name, m[2] as string, 1, 86_400) * 1000 };
}

function int(name: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text)) throw new ConfigError(`${name} must be a whole number, got '${text}'`);
  const n = Number(text);
  if (n < min || n > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${n}`);
  return n;
}

function oneOf<T extends string>(name: string, text: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(text)) throw new ConfigError(`${name} must be one of ${allowed.join(", ")}, got '${text}'`);
  return text as T;
}

/** Own options of a tool command, in node:util parseArgs' shape (converted to commander options by src/cli). */
export type OwnOptions = Readonly<
  Record<string, { type: "string" | "boolean"; multiple?: boolean; short?: string; arg?: string; doc?: string }>
>;

export interface CommandLine {
  config: Config;
  /** values of the command's own options (beside the shared serve/storage ones) */
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

/** A commander error (any copy of commander: its codes are `commander.…`). */
export function isCommanderError(err: unknown): err is Error & { exitCode: number; code: string } {
  const code: unknown = err instanceof Error ? (err as { code?: unknown }).code : undefined;
  return typeof code === "string" && code.startsWith("commander.");
}

/** Commander's message without its "error: " prefix, as a ConfigError (exit 2). */
function usageError(err: unknown): never {
  if (isCommanderError(err)) throw new ConfigError(err.message.replace(/^error: /, ""));
  throw err;
}

/**
 * commander, loaded on first use: `switchboard serve` reads its flags without it (cli/serve-args.ts)
 * and the embedding API takes options, so neither pays for loading it (cold start, issue 11).
 */
const commander = (): typeof import("commander") => createRequire(import.meta.url)("commander");

/** A quiet serve parser: errors become ConfigErrors instead of output and exits. */
function quietServeCommand(): Command {
  const cmd = addServeFlags(new (commander().Command)("serve"));
  cmd.exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  return cmd;
}

export function loadConfig(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): Config {
  const cmd = quietServeCommand();
  try {
    cmd.parse([...argv], { from: "user" });
  } catch (err) {
    usageError(err);
  }
  return configFrom(cmd.opts(), env);
}

/** The serve settings among a command's parsed options (commander's camelCased attribute names). */
export function serveValues(opts: Readonly<Record<string, unknown>>): FlagValues {
  const out: Record<string, string | number | boolean | undefined> = {};
  for (const name of Object.keys(SERVE_FLAGS)) {
    const v = opts[camel(name)];
    if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") out[camel(name)] = v;
  }
  return out;
}

/**
 * The configuration from values keyed by camelCased flag name (commander's opts(), or the
 * embedding API's options), then the environment, then SERVE_FLAGS' defaults.
 */
export function configFrom(values: FlagValues, env: Readonly<Record<string, string | undefined>>): Config {
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined) continue;
    const name = k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`) as FlagName;
    const def: FlagDef | undefined = SERVE_FLAGS[name];
    if (!def) throw new ConfigError(`unknown setting '${k}'`);
    const ok =
      def.type === "boolean"
        ? typeof v === "boolean"
        : def.type === "number"
          ? typeof v === "number" || typeof v === "string"
          : typeof v === "string";
    if (!ok) throw new ConfigError(`${name} must be a ${def.type}, got ${JSON.stringify(v)}`);
  }
  // An empty variable counts as unset (SWITCHBOARD_HOST="" must not mean "every interface").
  const fromEnv = (name: string): string | undefined => (env[name] === "" ? undefined : env[name]);
  const given = (name: FlagName): string | boolean | undefined => {
    const v = values[camel(name)];
    return typeof v === "number" ? String(v) : v;
  };
  /** flag, else variable, else default */
  const get = (name: FlagName): string | undefined => {
    const v = given(name);
    if (typeof v === "string") return v;
    const def: FlagDef = SERVE_FLAGS[name];
    return fromEnv(def.env) ?? def.default;
  };
  const need = (name: FlagName): string => get(name) as string;
  const flagged = (name: FlagName) => given(name) !== undefined;

  const memoryFlag = given("memory") === true;
  if (memoryFlag && flagged("data")) throw new ConfigError("--data and --memory exclude each other");
  // Flags beat variables: --data wins over SWITCHBOARD_MEMORY.
  const memoryEnv = fromEnv(SERVE_FLAGS.memory.env);
  const memory = memoryFlag || (!flagged("data") && (memoryEnv === "1" || memoryEnv === "true"));
  // --data/--memory mean SQLite; --database (or SWITCHBOARD_DATABASE_URL) means PostgreSQL.
  const databaseUrl = flagged("database") ? need("database") : !flagged("data") && !memoryFlag ? get("database") : undefined;
  if (flagged("database") && (flagged("data") || memoryFlag)) {
    throw new ConfigError("--database (PostgreSQL) excludes --data and --memory (SQLite)");
  }
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError(`database must be a postgres:// URL, got '${databaseUrl.replace(/\/\/[^@/]*@/, "//***@")}'`);
  }
  const dataDir = resolve(need("data"));
  const schema = get("database-schema");
  const accountId = need("account-id");
  if (!/^\d{12}$/.test(accountId)) throw new ConfigError(`SWITCHBOARD_ACCOUNT_ID must be 12 digits, got '${accountId}'`);
  const storage: Config["storage"] =
    databaseUrl !== undefined
      ? {
          kind: "postgres",
          url: databaseUrl,
          ...(schema ? { schema } : {}),
          poolSize: int("db-pool-size", need("db-pool-size"), 1, 1000),
          connectTimeoutMs: int("db-connect-timeout-ms", need("db-connect-timeout-ms"), 100, 600_000),
          // at start-up, how long to wait for PostgreSQL to come up (0: not at all)
          waitMs: int("db-wait-ms", need("db-wait-ms"), 0, 3_600_000),
        }
      : memory
        ? { kind: "memory" }
        : { kind: "sqlite", file: resolve(dataDir, "switchboard.db") };
  const iamFile = get("iam");
  const readyFile = get("ready-file");
  const seedFile = get("seed");
  const faultsFile = get("faults");
  const printEnv = fromEnv(SERVE_FLAGS["print-endpoint"].env);
  const smtpUrl = get("smtp-url");
  const publicUrl = get("public-url");

  // Headers within 20 s, the whole request (body included) within 60 s, keep-alive idle 5 s.
  const headerTimeoutMs = int("header-timeout-ms", need("header-timeout-ms"), 100, 600_000);
  const bodyTimeoutMs = int("body-timeout-ms", need("body-timeout-ms"), 100, 3_600_000);
  if (bodyTimeoutMs < headerTimeoutMs) throw new ConfigError("body-timeout-ms (the whole request) must be at least header-timeout-ms");
  const http: Config["http"] = {
    headerTimeoutMs,
    bodyTimeoutMs,
    idleTimeoutMs: int("idle-timeout-ms", need("idle-timeout-ms"), 100, 600_000),
    maxConnections: int("max-connections", need("max-connections"), 1, 1_000_000),
  };

  return {
    host: need("host"),
    port: int("port", need("port"), 0, 65535),
    ...(readyFile ? { readyFile: resolve(readyFile) } : {}),
    printEndpoint: given("print-endpoint") === true || printEnv === "1" || printEnv === "true",
    http,
    storage,
    durability: oneOf("durability", need("durability"), ["normal", "full"] as const),
    auth: oneOf("auth", need("auth"), ["sigv4", "off"] as const),
    accessKeyId: need("access-key-id"),
    secretAccessKey: need("secret-access-key"),
    accountId,
    logLevel: oneOf("log-level", need("log-level"), ["debug", "info", "warn", "error", "off"] as const),
    maxBodyBytes: int("max-body-bytes", need("max-body-bytes"), 1024, 64 * 1024 * 1024),
    throttle: throttle(need("throttle")),
    ...(iamFile ? { iamFile: resolve(iamFile) } : {}),
    ...(seedFile ? { seedFile: resolve(seedFile) } : {}),
    failedAuthAudit: perWindow("failed-auth-audit-rate", need("failed-auth-audit-rate")),
    ...(faultsFile ? { faultsFile: resolve(faultsFile) } : {}),
    consistencyLagMs: int("consistency-lag", need("consistency-lag"), 0, 600_000),
    notifications: {
      ...(smtpUrl ? { smtpUrl } : {}),
      from: need("smtp-from"),
      revertTtlMs: int("revert-ttl-hours", need("revert-ttl-hours"), 1, 24 * 365) * 3_600_000,
      ...(publicUrl ? { publicUrl } : {}),
    },
    quotas: {
      instancesPerRegion: int("max-instances", need("max-instances"), 1, 1_000_000),
      usersPerInstance: int("max-users-per-instance", need("max-users-per-instance"), 1, 10_000_000),
      securityProfilesPerInstance: int("max-security-profiles-per-instance", need("max-security-profiles-per-instance"), 1, 1_000_000),
      routingProfilesPerInstance: int("max-routing-profiles-per-instance", need("max-routing-profiles-per-instance"), 1, 1_000_000),
      hierarchyGroupsPerInstance: int("max-hierarchy-groups-per-instance", need("max-hierarchy-groups-per-instance"), 1, 1_000_000),
    },
    identityInfoUpdate: oneOf("identity-info-update", need("identity-info-update"), ["replace", "merge"] as const),
  };
}
