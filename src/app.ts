// Composition root: the only place that wires the parts together.
import type { AddressInfo } from "node:net";
import type { Writable } from "node:stream";
import { type Clock, systemClock } from "./common/clock.js";
import { createLogger, type Logger } from "./common/log.js";
import type { Config } from "./config.js";
import { createHttpServer } from "./http/server.js";
import { OPERATIONS, SERVICE, SHAPES } from "./model/index.js";
import { HANDLERS } from "./operations/index.js";
import { StaticCredentials } from "./protocol/auth.js";
import { createPipeline } from "./protocol/pipeline.js";
import { TokenBuckets } from "./protocol/throttle.js";
import { PostgresDriver } from "./store/postgres/pg-driver.js";
import { SqlStore } from "./store/sql/sql-store.js";
import { SqliteDriver } from "./store/sqlite/sqlite-driver.js";
import type { Store } from "./store/store.js";

export interface RunningServer {
  url: string;
  port: number;
  store: Store;
  /** stop accepting, finish in-flight requests, close the database */
  close(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  logOut?: Writable;
}

export async function openStore(config: Config, logger?: Logger): Promise<Store> {
  const s = config.storage;
  if (s.kind === "postgres") {
    const driver = new PostgresDriver({ url: s.url, schema: s.schema, poolSize: s.poolSize, connectTimeoutMs: s.connectTimeoutMs, logger });
    try {
      return await SqlStore.open(driver);
    } catch (err) {
      await driver.close();
      throw err;
    }
  }
  const file = s.kind === "memory" ? ":memory:" : s.file;
  return SqlStore.open(new SqliteDriver({ file, durability: config.durability }));
}

/** Where the data live, for the start-up line; never prints a password. */
export function describeStorage(config: Config): string {
  const s = config.storage;
  if (s.kind === "memory") return "memory (nothing kept on disk)";
  if (s.kind === "sqlite") return s.file;
  return `${s.url.replace(/\/\/[^@/]*@/, "//***@")}${s.schema ? ` (schema ${s.schema})` : ""}`;
}

export async function startServer(config: Config, opts: StartOptions = {}): Promise<RunningServer> {
  const clock = opts.clock ?? systemClock;
  const logger = createLogger(config.logLevel, opts.logOut);
  const store = await openStore(config, logger);
  // Links in notification mails point at --public-url, else at this server (known once listening).
  const notifications = { revertTtlMs: config.notifications.revertTtlMs, publicUrl: config.notifications.publicUrl ?? "" };
  const pipeline = createPipeline({
    notifications,
    shapes: SHAPES,
    operations: OPERATIONS,
    handlers: HANDLERS,
    store,
    clock,
    quotas: config.quotas,
    logger,
    throttle: config.throttle && new TokenBuckets(config.throttle, () => clock.now()),
    auth: {
      mode: config.auth,
      service: SERVICE.signingName,
      defaultAccount: config.accountId,
      now: () => clock.now(),
      credentials: new StaticCredentials([
        {
          accessKeyId: config.accessKeyId,
          secretAccessKey: config.secretAccessKey,
          account: config.accountId,
          // The bootstrap credential is the account root, as in AWS.
          principalArn: `arn:aws:iam::${config.accountId}:root`,
          kind: "root",
        },
      ]),
    },
  });
  const { server, drain } = createHttpServer({
    pipeline,
    maxBodyBytes: config.maxBodyBytes,
    interceptors: [],
    health: async () => {
      const h = await store.health();
      return { status: h.ok ? 200 : 503, body: { status: h.ok ? "ok" : "degraded", database: h } };
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = config.host.includes(":") ? `[${config.host}]` : config.host;
  if (config.auth === "off") {
    logger.log("warn", "authentication is OFF: any signature is accepted; the access key only names the caller");
  }
  const url = `http://${host}:${port}`;
  if (!notifications.publicUrl) notifications.publicUrl = url;
  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    store,
    close() {
      closing ??= (async () => {
        await drain();
        await store.close();
      })();
      return closing;
    },
  };
}
