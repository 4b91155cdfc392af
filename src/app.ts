// Composition root: the only place that wires the parts together.
import type { AddressInfo } from "node:net";
import type { Writable } from "node:stream";
import { adminJson, adminRoute } from "./admin.js";
import { startAuditLinker } from "./audit/linker.js";
import { modelRequestParameters } from "./audit/record.js";
import { type Authorizer, createAuthorizer } from "./authz/authorizer.js";
import { PrincipalDirectory } from "./authz/principal-directory.js";
import type { CredentialRecord } from "./common/caller.js";
import { type Clock, systemClock } from "./common/clock.js";
import { createLogger, type Logger } from "./common/log.js";
import { RESET_PATH, REVERT_PATH, SNAPSHOT_PATH } from "./common/paths.js";
import type { Config } from "./config.js";
import { createHttpServer } from "./http/server.js";
import { createInvoker } from "./invoke/invoke.js";
import { OPERATIONS, SERVICE, SHAPES } from "./model/index.js";
import type { DeliveryWorker } from "./notify/delivery.js";
import { type NotificationSettings, oldAddressAlert } from "./notify/email-alert.js";
import { REVERT_EVENT_NAME, REVERT_OPERATIONS, revertError, revertLinkAuthenticator, SHOW_PAGE_OPERATION } from "./notify/revert-link.js";
import { cloudTrailError } from "./operations/cloudtrail/errors.js";
import { CLOUDTRAIL_OPERATIONS, cloudTrailRequestParameters } from "./operations/cloudtrail/service.js";
import { CONNECT_OPERATIONS } from "./operations/connect-service.js";
import type { Behaviour, Quotas, ServedOperation } from "./operations/declare.js";
import { type AuthOptions, sigv4Authenticator } from "./protocol/auth.js";
import { awsJsonCodec, claimsAwsJson } from "./protocol/awsjson/codec.js";
import { createFront } from "./protocol/front.js";
import { restJsonCodec } from "./protocol/restjson/codec.js";
import { type RevertRoute, revertPagesCodec } from "./protocol/revert-pages/codec.js";
import type { Service } from "./protocol/service.js";
import { TokenBuckets } from "./protocol/throttle.js";
import type { Pipeline } from "./protocol/wire.js";
import type { SeedDocument, SeedSource } from "./seed/document.js";
import type { ExportOptions, ImportSummary, Snapshot } from "./snapshot/snapshot.js";
import { SqlStore } from "./store/sql/sql-store.js";
import { SqliteDriver } from "./store/sqlite/sqlite-driver.js";
import type { Store } from "./store/store.js";

export interface RunningServer {
  url: string;
  port: number;
  store: Store;
  /** Back to the start state: the store cleared, then the --iam file and the seed applied again. */
  reset(): Promise<{ ms: number }>;
  /** The store as a snapshot document (snapshot/snapshot.ts). */
  exportSnapshot(opts?: ExportOptions): Promise<string>;
  /** Replaces the store's content with a snapshot's (text or parsed). */
  importSnapshot(snapshot: string | Snapshot): Promise<ImportSummary>;
  /** stop accepting, finish in-flight requests, close the database */
  close(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  logOut?: Writable;
  /** a seed document (the embedding API's `seed:` object); config.seedFile is the file form */
  seed?: SeedDocument;
}

export interface PipelineDeps {
  store: Store;
  clock: Clock;
  quotas: Quotas;
  /** default: replace */
  behaviour?: Behaviour;
  logger: Logger;
  notifications: NotificationSettings;
  /** SigV4 settings shared by the AWS APIs (each service adds its signing name) */
  auth: Omit<AuthOptions, "service">;
  /** absent: no rate limiting */
  throttle?: TokenBuckets;
  /** absent: every authenticated caller may do everything */
  authorize?: Authorizer;
  /** the Connect operations served (default: the service record) */
  connectOperations?: Readonly<Record<string, ServedOperation>>;
}

/** The one request pipeline with every service on the port: revert links, CloudTrail, Connect. */
export function createPipeline(deps: PipelineDeps): Pipeline {
  return createFront({
    services: [
      revertService(deps.store),
      cloudTrailService(deps.auth),
      connectService(deps.auth, deps.connectOperations ?? CONNECT_OPERATIONS),
    ],
    invoker: createInvoker({
      store: deps.store,
      clock: deps.clock,
      quotas: deps.quotas,
      ...(deps.behaviour ? { behaviour: deps.behaviour } : {}),
      logger: deps.logger,
      defaultAccount: deps.auth.defaultAccount,
      subscribers: [oldAddressAlert(deps.notifications)],
    }),
    clock: deps.clock,
    logger: deps.logger,
    ...(deps.throttle ? { throttle: deps.throttle } : {}),
    ...(deps.authorize ? { authorize: deps.authorize } : {}),
  });
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
  const seed: SeedSource | undefined = opts.seed ?? config.seedFile;
  const seedOptions = () => ({ account: config.accountId, now: clock.now(), reservedKeyIds: [config.accessKeyId] });
  let applySeedAgain: ((tx: Store) => Promise<void>) | undefined;
  const store = await openStore(config, logger);
  let directory: PrincipalDirectory;
  try {
    if (iamFile && iamFileModule) {
      await iamFileModule.importIamFile(store, iamFile, clock.now());
      logger.log("info", "IAM file loaded", { file: iamFile.file, principals: iamFile.principals.length });
    }
    if (seed !== undefined) {
      // Loaded only with a seed: the schema validator and the YAML parser stay out of a plain start.
      const seedModule = await import("./seed/apply.js");
      const loaded = await (await import("./seed/document.js")).loadSeed(seed);
      const summary = await seedModule.applyLoadedSeed(store, loaded, seedOptions());
      applySeedAgain = (tx) => seedModule.applyLoadedSeed(tx, loaded, seedOptions()).then(() => undefined);
      logger.log("info", "seed applied", { file: summary.file, ...summary.created });
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
    store,
    clock,
    quotas: config.quotas,
    behaviour: { identityInfoUpdate: config.identityInfoUpdate },
    logger,
    notifications,
    auth: {
      mode: config.auth,
      defaultAccount: config.accountId,
      now: () => clock.now(),
      // IAM principals from the store, the root credential in front.
      credentials: directory,
    },
    throttle: config.throttle && new TokenBuckets(config.throttle, () => clock.now()),
    // Identity policies decide every call; with --auth off, keys no principal owns may do anything.
    authorize: createAuthorizer(directory, store, logger, { allowUnknownCallers: config.auth === "off" }),
  });
  const reset = async (): Promise<{ ms: number }> => {
    const t0 = performance.now();
    await store.atomically(async (tx) => {
      await tx.clear();
      if (iamFile && iamFileModule) await iamFileModule.importIamFile(tx, iamFile, clock.now());
      await applySeedAgain?.(tx);
    });
    await directory.refresh();
    const ms = Math.round((performance.now() - t0) * 10) / 10;
    logger.log("info", "reset", { ms });
    return { ms };
  };
  const snapshots = () => import("./snapshot/snapshot.js");
  const exportSnapshotText = async (o: ExportOptions = {}) => {
    const m = await snapshots();
    return m.snapshotText(await m.exportSnapshot(store, o));
  };
  const importSnapshotDoc = async (s: string | Snapshot) => {
    const m = await snapshots();
    const summary = await m.importSnapshot(store, typeof s === "string" ? m.parseSnapshot(s) : s);
    await directory.refresh();
    return summary;
  };
  const admin = { mode: config.auth, credentials: directory, defaultAccount: config.accountId, now: () => clock.now() };
  const { server, drain } = createHttpServer({
    pipeline,
    maxBodyBytes: config.maxBodyBytes,
    routes: {
      [RESET_PATH]: adminRoute(admin, { POST: async () => adminJson(200, { status: "reset", ...(await reset()) }) }),
      [SNAPSHOT_PATH]: adminRoute(admin, {
        GET: async (req) => {
          const q = new URLSearchParams(req.url.slice(req.url.indexOf("?") + 1 || req.url.length));
          const yes = (k: string) => q.get(k) === "1" || q.get(k) === "true";
          const text = await exportSnapshotText({ secrets: yes("secrets"), audit: yes("audit") });
          return { status: 200, headers: { "Content-Type": "application/json" }, body: text };
        },
        PUT: async (req) => {
          try {
            return adminJson(200, { status: "imported", ...(await importSnapshotDoc(req.body.toString("utf8"))) });
          } catch (err) {
            if (err instanceof Error && err.name === "SnapshotError") {
              return adminJson(400, { message: err.message }, { "x-amzn-ErrorType": "InvalidRequestException" });
            }
            throw err;
          }
        },
      }),
    },
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
    reset,
    exportSnapshot: exportSnapshotText,
    importSnapshot: importSnapshotDoc,
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

/** Amazon Connect: restJson1 over the model's tables, SigV4, the declared operations. */
function connectService(auth: Omit<AuthOptions, "service">, operations: Readonly<Record<string, ServedOperation>>): Service {
  return {
    logName: (operation) => operation,
    claims: () => true,
    codec: restJsonCodec(SHAPES, OPERATIONS),
    authenticate: sigv4Authenticator({ ...auth, service: SERVICE.signingName }),
    throttled: true,
    audit: {
      eventSource: "connect.amazonaws.com",
      auditsFailedAuthentication: true,
      requestParameters: (operation, input) =>
        modelRequestParameters(SHAPES, OPERATIONS[operation]?.input, input as Record<string, unknown>),
    },
    operations,
  };
}

/** CloudTrail's LookupEvents over the audit trail: awsJson1.1, SigV4 signing name cloudtrail. */
function cloudTrailService(auth: Omit<AuthOptions, "service">): Service {
  const claimed = ["com.amazonaws.cloudtrail.", "cloudtrail_"];
  return {
    logName: (operation) => `cloudtrail:${operation}`,
    claims: (req, rawPath) => claimsAwsJson(req, rawPath, claimed),
    codec: awsJsonCodec({
      targetPrefixes: ["com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.", "CloudTrail_20131101."],
      operations: new Set(Object.keys(CLOUDTRAIL_OPERATIONS)),
      unknownOperation: (operation) =>
        cloudTrailError("UnknownOperationException", `Unknown operation: ${operation} is not served by Switchboard's CloudTrail API.`),
      notJson: () => cloudTrailError("SerializationException", "The request body is not valid JSON."),
    }),
    authenticate: sigv4Authenticator({ ...auth, service: "cloudtrail" }),
    throttled: false,
    audit: { eventSource: "cloudtrail.amazonaws.com", auditsFailedAuthentication: true, requestParameters: cloudTrailRequestParameters },
    operations: CLOUDTRAIL_OPERATIONS,
  };
}

/** The old-address alert's revert link: HTML pages, the token as the credential. */
function revertService(store: Store): Service<RevertRoute> {
  const authenticate = revertLinkAuthenticator(store);
  return {
    logName: (operation) => operation,
    claims: (_req, rawPath) => rawPath.startsWith(REVERT_PATH),
    codec: revertPagesCodec({
      showOperation: SHOW_PAGE_OPERATION,
      revertOperation: REVERT_EVENT_NAME,
      methodNotAllowed: (method) => revertError("MethodNotAllowed", `${method} is not allowed on a revert link.`),
    }),
    authenticate: (_req, route) => authenticate(route.token),
    throttled: false,
    audit: { eventSource: "connect.amazonaws.com", auditsFailedAuthentication: false, requestParameters: () => null },
    operations: REVERT_OPERATIONS,
  };
}
