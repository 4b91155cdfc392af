// Typed configuration from command-line flags, then SWITCHBOARD_* environment variables, then
// defaults. Pure: no side effects, so tests can build configs freely.

import { resolve } from "node:path";
import { parseArgs } from "node:util";
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

const OPTIONS = {
  host: { type: "string" },
  port: { type: "string" },
  data: { type: "string" },
  memory: { type: "boolean" },
  database: { type: "string" },
  "database-schema": { type: "string" },
  "db-pool-size": { type: "string" },
  "db-connect-timeout-ms": { type: "string" },
  "db-wait-ms": { type: "string" },
  auth: { type: "string" },
  durability: { type: "string" },
  "log-level": { type: "string" },
  "max-body-bytes": { type: "string" },
  "header-timeout-ms": { type: "string" },
  "body-timeout-ms": { type: "string" },
  "idle-timeout-ms": { type: "string" },
  "max-connections": { type: "string" },
  "max-instances": { type: "string" },
  "max-users-per-instance": { type: "string" },
  "max-security-profiles-per-instance": { type: "string" },
  "max-routing-profiles-per-instance": { type: "string" },
  "max-hierarchy-groups-per-instance": { type: "string" },
  "identity-info-update": { type: "string" },
  throttle: { type: "string" },
  "failed-auth-audit-rate": { type: "string" },
  iam: { type: "string" },
  faults: { type: "string" },
  "consistency-lag": { type: "string" },
  "smtp-url": { type: "string" },
  "smtp-from": { type: "string" },
  "revert-ttl-hours": { type: "string" },
  "public-url": { type: "string" },
} as const;

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

type ParseArgsOptions = NonNullable<Parameters<typeof parseArgs>[0]>["options"];
type ServeValues = { [K in keyof typeof OPTIONS]?: (typeof OPTIONS)[K]["type"] extends "boolean" ? boolean : string };

export interface CommandLine {
  config: Config;
  /** values of the command's own options (beside the shared serve/storage ones) */
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

/**
 * For tool commands (`switchboard iam …`, `audit …`): the serve flags (so --data, --database …
 * select the same store the server uses) plus the command's own options and positionals.
 */
export function parseCommandLine(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  own: ParseArgsOptions = {},
): CommandLine {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options: { ...OPTIONS, ...own }, strict: true, allowPositionals: true });
  } catch (err) {
    throw new ConfigError(err instanceof Error ? err.message : String(err));
  }
  const serveValues: Record<string, unknown> = {};
  const values: CommandLine["values"] = {};
  for (const [k, v] of Object.entries(parsed.values)) {
    if (k in OPTIONS) serveValues[k] = v;
    else values[k] = v;
  }
  return { config: configFrom(serveValues as ServeValues, env), values, positionals: parsed.positionals };
}

export function loadConfig(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): Config {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; args: string[]; strict: true; allowPositionals: false }>>;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false });
  } catch (err) {
    throw new ConfigError(err instanceof Error ? err.message : String(err));
  }
  return configFrom(parsed.values, env);
}

function configFrom(v: ServeValues, env: Readonly<Record<string, string | undefined>>): Config {
  // An empty variable counts as unset (SWITCHBOARD_HOST="" must not mean "every interface").
  const fromEnv = (name: string): string | undefined => (env[name] === "" ? undefined : env[name]);
  const pick = (flag: string | undefined, envName: string, fallback: string) => flag ?? fromEnv(envName) ?? fallback;

  if (v.memory === true && v.data !== undefined) throw new ConfigError("--data and --memory exclude each other");
  // Flags beat variables: --data wins over SWITCHBOARD_MEMORY.
  const memory = v.memory === true || (v.data === undefined && (env.SWITCHBOARD_MEMORY === "1" || env.SWITCHBOARD_MEMORY === "true"));
  // --data/--memory mean SQLite; --database (or SWITCHBOARD_DATABASE_URL) means PostgreSQL.
  const databaseUrl = v.database ?? (v.data === undefined && v.memory !== true ? fromEnv("SWITCHBOARD_DATABASE_URL") : undefined);
  if (v.database !== undefined && (v.data !== undefined || v.memory === true)) {
    throw new ConfigError("--database (PostgreSQL) excludes --data and --memory (SQLite)");
  }
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError(`database must be a postgres:// URL, got '${databaseUrl.replace(/\/\/[^@/]*@/, "//***@")}'`);
  }
  const dataDir = resolve(pick(v.data, "SWITCHBOARD_DATA", "./data"));
  const schema = v["database-schema"] ?? fromEnv("SWITCHBOARD_DATABASE_SCHEMA");
  const accountId = fromEnv("SWITCHBOARD_ACCOUNT_ID") ?? "000000000000";
  if (!/^\d{12}$/.test(accountId)) throw new ConfigError(`SWITCHBOARD_ACCOUNT_ID must be 12 digits, got '${accountId}'`);
  const storage: Config["storage"] =
    databaseUrl !== undefined
      ? {
          kind: "postgres",
          url: databaseUrl,
          ...(schema ? { schema } : {}),
          poolSize: int("db-pool-size", pick(v["db-pool-size"], "SWITCHBOARD_DB_POOL_SIZE", "16"), 1, 1000),
          connectTimeoutMs: int(
            "db-connect-timeout-ms",
            pick(v["db-connect-timeout-ms"], "SWITCHBOARD_DB_CONNECT_TIMEOUT_MS", "2000"),
            100,
            600_000,
          ),
          // at start-up, how long to wait for PostgreSQL to come up (0: not at all)
          waitMs: int("db-wait-ms", pick(v["db-wait-ms"], "SWITCHBOARD_DB_WAIT_MS", "30000"), 0, 3_600_000),
        }
      : memory
        ? { kind: "memory" }
        : { kind: "sqlite", file: resolve(dataDir, "switchboard.db") };

  // Headers within 20 s, the whole request (body included) within 60 s, keep-alive idle 5 s.
  const headerTimeoutMs = int("header-timeout-ms", pick(v["header-timeout-ms"], "SWITCHBOARD_HEADER_TIMEOUT_MS", "20000"), 100, 600_000);
  const bodyTimeoutMs = int("body-timeout-ms", pick(v["body-timeout-ms"], "SWITCHBOARD_BODY_TIMEOUT_MS", "60000"), 100, 3_600_000);
  if (bodyTimeoutMs < headerTimeoutMs) throw new ConfigError("body-timeout-ms (the whole request) must be at least header-timeout-ms");
  const http: Config["http"] = {
    headerTimeoutMs,
    bodyTimeoutMs,
    idleTimeoutMs: int("idle-timeout-ms", pick(v["idle-timeout-ms"], "SWITCHBOARD_IDLE_TIMEOUT_MS", "5000"), 100, 600_000),
    maxConnections: int("max-connections", pick(v["max-connections"], "SWITCHBOARD_MAX_CONNECTIONS", "1000"), 1, 1_000_000),
  };

  return {
    host: pick(v.host, "SWITCHBOARD_HOST", "127.0.0.1"),
    http,
    port: int("port", pick(v.port, "SWITCHBOARD_PORT", "4599"), 0, 65535),
    storage,
    durability: oneOf("durability", pick(v.durability, "SWITCHBOARD_DURABILITY", "normal"), ["normal", "full"] as const),
    auth: oneOf("auth", pick(v.auth, "SWITCHBOARD_AUTH", "sigv4"), ["sigv4", "off"] as const),
    accessKeyId: fromEnv("SWITCHBOARD_ACCESS_KEY_ID") ?? "test",
    secretAccessKey: fromEnv("SWITCHBOARD_SECRET_ACCESS_KEY") ?? "test",
    accountId,
    logLevel: oneOf("log-level", pick(v["log-level"], "SWITCHBOARD_LOG_LEVEL", "info"), ["debug", "info", "warn", "error", "off"] as const),
    maxBodyBytes: int(
      "max-body-bytes",
      pick(v["max-body-bytes"], "SWITCHBOARD_MAX_BODY_BYTES", String(1024 * 1024)),
      1024,
      64 * 1024 * 1024,
    ),
    throttle: throttle(pick(v.throttle, "SWITCHBOARD_THROTTLE", "off")),
    failedAuthAudit: perWindow("failed-auth-audit-rate", pick(v["failed-auth-audit-rate"], "SWITCHBOARD_FAILED_AUTH_AUDIT_RATE", "20/60")),
    ...((v.iam ?? fromEnv("SWITCHBOARD_IAM_FILE")) ? { iamFile: resolve((v.iam ?? fromEnv("SWITCHBOARD_IAM_FILE")) as string) } : {}),
    ...((v.faults ?? fromEnv("SWITCHBOARD_FAULTS")) ? { faultsFile: resolve((v.faults ?? fromEnv("SWITCHBOARD_FAULTS")) as string) } : {}),
    consistencyLagMs: int("consistency-lag", pick(v["consistency-lag"], "SWITCHBOARD_CONSISTENCY_LAG_MS", "0"), 0, 600_000),
    notifications: {
      ...((v["smtp-url"] ?? fromEnv("SWITCHBOARD_SMTP_URL"))
        ? { smtpUrl: (v["smtp-url"] ?? fromEnv("SWITCHBOARD_SMTP_URL")) as string }
        : {}),
      from: pick(v["smtp-from"], "SWITCHBOARD_SMTP_FROM", "switchboard@localhost"),
      revertTtlMs: int("revert-ttl-hours", pick(v["revert-ttl-hours"], "SWITCHBOARD_REVERT_TTL_HOURS", "24"), 1, 24 * 365) * 3_600_000,
      ...((v["public-url"] ?? fromEnv("SWITCHBOARD_PUBLIC_URL"))
        ? { publicUrl: (v["public-url"] ?? fromEnv("SWITCHBOARD_PUBLIC_URL")) as string }
        : {}),
    },
    quotas: {
      instancesPerRegion: int("max-instances", pick(v["max-instances"], "SWITCHBOARD_MAX_INSTANCES", "2"), 1, 1_000_000),
      usersPerInstance: int(
        "max-users-per-instance",
        pick(v["max-users-per-instance"], "SWITCHBOARD_MAX_USERS_PER_INSTANCE", "500"),
        1,
        10_000_000,
      ),
      // AWS's defaults (https://docs.aws.amazon.com/connect/latest/adminguide/amazon-connect-service-limits.html).
      securityProfilesPerInstance: int(
        "max-security-profiles-per-instance",
        pick(v["max-security-profiles-per-instance"], "SWITCHBOARD_MAX_SECURITY_PROFILES_PER_INSTANCE", "100"),
        1,
        1_000_000,
      ),
      routingProfilesPerInstance: int(
        "max-routing-profiles-per-instance",
        pick(v["max-routing-profiles-per-instance"], "SWITCHBOARD_MAX_ROUTING_PROFILES_PER_INSTANCE", "100"),
        1,
        1_000_000,
      ),
      hierarchyGroupsPerInstance: int(
        "max-hierarchy-groups-per-instance",
        pick(v["max-hierarchy-groups-per-instance"], "SWITCHBOARD_MAX_HIERARCHY_GROUPS_PER_INSTANCE", "500"),
        1,
        1_000_000,
      ),
    },
    identityInfoUpdate: oneOf("identity-info-update", pick(v["identity-info-update"], "SWITCHBOARD_IDENTITY_INFO_UPDATE", "replace"), [
      "replace",
      "merge",
    ] as const),
  };
}
