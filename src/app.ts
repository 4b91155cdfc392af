// Composition root: the only place that wires the parts together.
import type { AddressInfo } from "node:net";
import type { Writable } from "node:stream";
import { startAuditLinker } from "./audit/linker.js";
import { createAuthorizer } from "./authz/authorizer.js";
import { PrincipalDirectory } from "./authz/principal-directory.js";
import { type Clock, systemClock } from "./common/clock.js";
import { createLogger, type Logger } from "./common/log.js";
import type { Config } from "./config.js";
import { createHttpServer } from "./http/server.js";
import { OPERATIONS, SERVICE, SHAPES } from "./model/index.js";
import type { DeliveryWorker } from "./notify/delivery.js";
import { HANDLERS } from "./operations/index.js";
import type { CredentialRecord } from "./protocol/auth.js";
import { createPipeline, type WireRequest } from "./protocol/pipeline.js";
import type { WireResponse } from "./protocol/restjson/serialize.js";
import { TokenBuckets } from "./protocol/throttle.js";
import { SqlStore } from "./store/sql/sql-store.js";
import { SqliteDriver } from "./store/sqlite/sqlite-driver.js";
import type { Store } from "./store/store.js";

type Interceptor = (req: WireRequest) => Promise<WireResponse | undefined>;

/** An interceptor whose module is loaded the first time a request it answers arrives. */
function lazyInterceptor(matches: (req: WireRequest) => boolean, load: () => Promise<Interceptor>): Interceptor {
  let loaded: Promise<Interceptor> | undefined;
  return async (req) => {
    if (!matches(req)) return undefined;
    loaded ??= load();
    return (await loaded)(req);
  };
}

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
    // Loaded only when asked for: a SQLite server starts without loading the PostgreSQL client.
    const { PostgresDriver } = await import("./store/postgres/pg-driver.js");
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
  // The bootstrap credential is the account root, as in AWS.
  const root: CredentialRecord = {
    accessKeyId: config.accessKeyId,
    secretAccessKey: config.secretAccessKey,
    account: config.accountId,
    principalArn: `arn:aws:iam::${config.accountId}:root`,
    kind: "root",
  };
  // --iam FILE is checked completely before anything is opened: an invalid file stops the start.
  const iamFileModule = config.iamFile ? await import("./authz/iam-file.js") : undefined;
  const iamFile = config.iamFile ? await iamFileModule?.readIamFile(config.iamFile, config.accountId, [config.accessKeyId]) : undefined;
  const store = await openStore(config, logger);
  let directory: PrincipalDirectory;
  try {
    if (iamFile && iamFileModule) {
      await iamFileModule.importIamFile(store, iamFile, clock.now());
      logger.log("info", "IAM file loaded", { file: iamFile.file, principals: iamFile.principals.length });
    }
    directory = await PrincipalDirectory.load(store.iam, { bootstrap: [root], logger });
  } catch (err) {
    await store.close();
    logger.flush?.();
    throw err;
  }
  // Links in notification mails point at --public-url, else at this server (known once listening).
  const notifications = { revertTtlMs: config.notifications.revertTtlMs, publicUrl: config.notifications.publicUrl ?? "" };
  // Without --smtp-url, messages wait in the outbox (`switchboard outbox list`).
  // The SMTP client is loaded only with --smtp-url (cold start matters without it).
  const deliveryModule = config.notifications.smtpUrl ? await import("./notify/delivery.js") : undefined;
  const mailer = config.notifications.smtpUrl ? deliveryModule?.smtpMailer(config.notifications.smtpUrl) : undefined;
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
      // IAM principals from the store, the root credential in front.
      credentials: directory,
    },
    // Identity policies decide every call; with --auth off, keys no principal owns may do anything.
    authorize: createAuthorizer(directory, logger, { allowUnknownCallers: config.auth === "off" }),
  });
  const { server, drain } = createHttpServer({
    pipeline,
    maxBodyBytes: config.maxBodyBytes,
    // Both are loaded on their first request, so a server starts without them.
    interceptors: [
      lazyInterceptor(
        (req) => req.url.startsWith("/_switchboard/revert/"),
        async () => (await import("./notify/revert-endpoint.js")).createRevertEndpoint({ store, clock, logger }),
      ),
      // CloudTrail's LookupEvents (awsJson1.1, signing name cloudtrail) over the audit trail.
      lazyInterceptor(
        (req) => /^(com\.amazonaws\.cloudtrail\.|cloudtrail_)/i.test(String(req.headers["x-amz-target"] ?? "")),
        async () => {
          const [{ createCloudTrailInterceptor }, { createActionAuthorizer }] = await Promise.all([
            import("./cloudtrail/interceptor.js"),
            import("./cloudtrail/authorize.js"),
          ]);
          return createCloudTrailInterceptor({
            store,
            clock,
            logger,
            auth: {
              mode: config.auth,
              service: "cloudtrail",
              defaultAccount: config.accountId,
              now: () => clock.now(),
              credentials: directory,
            },
            authorize: createActionAuthorizer(directory, { allowUnknownCallers: config.auth === "off" }),
          });
        },
      ),
    ],
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
  // PostgreSQL records audit events in the writer's transaction and links them afterwards.
  const linker = config.storage.kind === "postgres" ? startAuditLinker(store, logger) : undefined;
  const delivery: DeliveryWorker | undefined =
    mailer && deliveryModule ? deliveryModule.startDelivery({ store, mailer, from: config.notifications.from, clock, logger }) : undefined;
  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    store,
    close() {
      closing ??= (async () => {
        await drain();
        await delivery?.stop();
        await linker?.stop().catch(() => {});
        await store.close();
        logger.flush?.();
      })();
      return closing;
    },
  };
}
