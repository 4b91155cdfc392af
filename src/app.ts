// Composition root: the only place that wires the parts together.
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import type { Writable } from "node:stream";
import { adminJson, adminRoute } from "./admin.js";
import { startAuditLinker } from "./audit/linker.js";
import { modelRequestParameters } from "./audit/record.js";
import { type Authorizer, createAuthorizer } from "./authz/authorizer.js";
import { PrincipalDirectory } from "./authz/principal-directory.js";
import { SWITCHBOARD_OPERATIONS, SWITCHBOARD_SIGNING_NAME, SWITCHBOARD_TARGET_PREFIX, switchboardError } from "./authz/switchboard-api.js";
import type { CredentialRecord } from "./common/caller.js";
import { type Clock, systemClock } from "./common/clock.js";
import { StoreUnavailable } from "./common/errors.js";
import { createLogger, type Logger } from "./common/log.js";
import { RESET_PATH, REVERT_PATH, SNAPSHOT_PATH, SWITCHBOARD_API_PATH } from "./common/paths.js";
import type { Config } from "./config.js";
import { createHttpServer } from "./http/server.js";
import { FailedAuthLimiter, recordSuppressed } from "./invoke/failed-auth-limit.js";
import { createInvoker } from "./invoke/invoke.js";
import { lazyShapes } from "./model/lazy-shapes.js";
import { OPERATIONS } from "./model/operations.gen.js";
import { SERVICE } from "./model/service.gen.js";
import type { DeliveryWorker } from "./notify/delivery.js";
import { type NotificationSettings, oldAddressAlert } from "./notify/email-alert.js";
import { REVERT_EVENT_NAME, REVERT_OPERATIONS, revertError, revertLinkAuthenticator, SHOW_PAGE_OPERATION } from "./notify/revert-link.js";
import { cloudTrailError } from "./operations/cloudtrail/errors.js";
import { CLOUDTRAIL_OPERATIONS, cloudTrailRequestParameters } from "./operations/cloudtrail/service.js";
import { CONNECT_OPERATIONS } from "./operations/connect-service.js";
import type { Behaviour, Quotas, ServedOperation } from "./operations/declare.js";
import { type AuthOptions, sigv4Authenticator } from "./protocol/auth.js";
import { awsJsonCodec, claimsAwsJson } from "./protocol/awsjson/codec.js";
import { faultsEndpoint } from "./protocol/faults/endpoint.js";
import { Faults } from "./protocol/faults/faults.js";
import { loadFaultsFile } from "./protocol/faults/file.js";
import { createFront } from "./protocol/front.js";
import { restJsonCodec } from "./protocol/restjson/codec.js";
import { type RevertRoute, revertPagesCodec } from "./protocol/revert-pages/codec.js";
import type { Service } from "./protocol/service.js";
import { TokenBuckets } from "./protocol/throttle.js";
import type { Pipeline, WireRequest, WireResponse } from "./protocol/wire.js";
import type { SeedDocument, SeedSource } from "./seed/document.js";
import type { ExportOptions, ImportSummary, Snapshot } from "./snapshot/snapshot.js";
import { SqlStore } from "./store/sql/sql-store.js";
import { SqliteDriver } from "./store/sqlite/sqlite-driver.js";
import type { Store } from "./store/store.js";

const REVERT_SWEEP_MS = 10 * 60_000;

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
  /** the fault rules in force (what `/_switchboard/faults` changes): replace, add, clear, list */
  faults: Faults;
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
  /** the fault rules applied to Connect calls and managed at /_switchboard/faults (default: none, empty) */
  faults?: Faults;
  /** --consistency-lag MS (default 0: off) */
  consistencyLagMs?: number;
  /** absent: every failed authentication is recorded */
  failedAuthLimiter?: FailedAuthLimiter;
}

/** The one request pipeline with every service on the port: revert links, Switchboard's API, CloudTrail, Connect. */
export function createPipeline(deps: PipelineDeps): Pipeline {
  const faults = deps.faults ?? new Faults();
  return createFront({
    services: [
      revertService(deps.store),
      faultsEndpoint(faults, sigv4Authenticator({ ...deps.auth, service: SERVICE.signingName }), deps.logger),
      switchboardService(deps.auth),
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
      ...(deps.consistencyLagMs ? { consistencyLagMs: deps.consistencyLagMs } : {}),
      ...(deps.failedAuthLimiter ? { failedAuthLimiter: deps.failedAuthLimiter } : {}),
    }),
    faults,
    clock: deps.clock,
    logger: deps.logger,
    ...(deps.throttle ? { throttle: deps.throttle } : {}),
    ...(deps.authorize ? { authorize: deps.authorize } : {}),
  });
}

/** What every request gets while the store is not open yet: 503, retried by every SDK. */
function startingResponse(): WireResponse {
  return {
    status: 503,
    headers: {
      "Content-Type": "application/json",
      "x-amzn-RequestId": randomUUID(),
      "x-amzn-ErrorType": "ServiceUnavailableException",
      "Retry-After": "1",
    },
    body: JSON.stringify({ message: "Switchboard is starting: waiting for its database." }),
  };
}

/**
 * openStore, retried with backoff (0.2 s doubling to 5 s) while PostgreSQL cannot be reached,
 * for at most --db-wait-ms; other errors (and SQLite's) fail at once.
 */
async function openStoreWaiting(config: Config, logger: Logger): Promise<Store> {
  const waitMs = config.storage.kind === "postgres" ? config.storage.waitMs : 0;
  const deadline = Date.now() + waitMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await openStore(config, logger);
    } catch (err) {
      const left = deadline - Date.now();
      if (!(err instanceof StoreUnavailable) || left <= 0) throw err;
      const pause = Math.min(200 * 2 ** attempt, 5000, left);
      logger.log("warn", "waiting for the database", { error: err.message, retryInMs: pause, leftMs: left });
      await new Promise((r) => setTimeout(r, pause));
    }
  }
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
  // Switchboard's own endpoints (reset, snapshot), set once the store is open.
  let adminRoutes: Record<string, (req: WireRequest) => Promise<WireResponse>> | undefined;
  const lateRoute = (path: string) => (req: WireRequest) => adminRoutes?.[path]?.(req) ?? Promise.resolve(startingResponse());
  // --faults FILE too: an invalid rule stops the start.
  const faults = new Faults();
  if (config.faultsFile) {
    const rules = loadFaultsFile(faults, config.faultsFile);
    logger.log("info", "fault rules loaded", { file: config.faultsFile, rules });
  }
  // Listening comes first: while the database is not reachable yet (PostgreSQL still starting,
  // as in docker-compose or CI), health and every call answer 503, which SDKs retry.
  let ready: { pipeline: Pipeline; health: () => Promise<{ status: number; body: Record<string, unknown> }> } | undefined;
  const { server, drain } = createHttpServer({
    pipeline: (req) => (ready ? ready.pipeline(req) : Promise.resolve(startingResponse())),
    maxBodyBytes: config.maxBodyBytes,
    limits: config.http,
    routes: { [RESET_PATH]: lateRoute(RESET_PATH), [SNAPSHOT_PATH]: lateRoute(SNAPSHOT_PATH) },
    health: () => (ready ? ready.health() : Promise.resolve({ status: 503, body: { status: "starting", database: { ok: false } } })),
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const stopListening = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  let store: Store;
  try {
    store = await openStoreWaiting(config, logger);
  } catch (err) {
    await stopListening();
    logger.flush?.();
    throw err;
  }
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
    await stopListening();
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
  const failedAuthLimiter = new FailedAuthLimiter(config.failedAuthAudit, () => clock.now());
  const pipeline = createPipeline({
    failedAuthLimiter,
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
    faults,
    consistencyLagMs: config.consistencyLagMs,
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
  adminRoutes = {
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
  };
  const openedStore = store;
  ready = {
    pipeline,
    health: async () => {
      const h = await openedStore.health();
      return { status: h.ok ? 200 : 503, body: { status: h.ok ? "ok" : "degraded", database: h } };
    },
  };
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
  // Expired revert links forget the identity they would have restored: now, then every 10 minutes.
  const purgeRevertTokens = () =>
    store.outbox
      .purgeExpiredRevertTokens(clock.now())
      .catch((err: unknown) =>
        logger.log("error", "could not purge expired revert tokens", { error: err instanceof Error ? err.message : String(err) }),
      );
  await purgeRevertTokens();
  const revertSweep = setInterval(() => void purgeRevertTokens(), REVERT_SWEEP_MS);
  revertSweep.unref();
  // Summaries of dropped failed-authentication events, also when the flood has stopped.
  const writeSuppressed = (all: boolean) =>
    recordSuppressed(store, failedAuthLimiter, config.accountId, randomUUID, all).catch((err: unknown) =>
      logger.log("error", "could not record audit event", { error: err instanceof Error ? err.message : String(err) }),
    );
  const suppressedSweep = setInterval(() => void writeSuppressed(false), config.failedAuthAudit.windowMs);
  suppressedSweep.unref();
  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    store,
    reset,
    exportSnapshot: exportSnapshotText,
    importSnapshot: importSnapshotDoc,
    faults,
    close() {
      closing ??= (async () => {
        await drain();
        clearInterval(suppressedSweep);
        clearInterval(revertSweep);
        await writeSuppressed(true);
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
  const model = lazyShapes();
  return {
    logName: (operation) => operation,
    claims: () => true,
    codec: restJsonCodec(model.shapes, OPERATIONS, model.ready),
    authenticate: sigv4Authenticator({ ...auth, service: SERVICE.signingName }),
    throttled: true,
    faultable: true,
    audit: {
      eventSource: "connect.amazonaws.com",
      auditsFailedAuthentication: true,
      requestParameters: (operation, input) =>
        modelRequestParameters(model.shapes, OPERATIONS[operation]?.input, input as Record<string, unknown>),
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

/** Switchboard's own reads (access report, chain status): awsJson1.1 at /_switchboard/api, SigV4 signing name switchboard. */
function switchboardService(auth: Omit<AuthOptions, "service">): Service {
  return {
    logName: (operation) => `switchboard:${operation}`,
    claims: (_req, rawPath) => rawPath === SWITCHBOARD_API_PATH,
    codec: awsJsonCodec({
      targetPrefixes: [SWITCHBOARD_TARGET_PREFIX],
      operations: new Set(Object.keys(SWITCHBOARD_OPERATIONS)),
      unknownOperation: (operation) => switchboardError("UnknownOperationException", `Unknown operation: ${operation}.`),
      notJson: () => switchboardError("SerializationException", "The request body is not valid JSON."),
    }),
    authenticate: sigv4Authenticator({ ...auth, service: SWITCHBOARD_SIGNING_NAME }),
    throttled: false,
    audit: {
      eventSource: "switchboard.local",
      auditsFailedAuthentication: true,
      requestParameters: (_operation, input) => objectOrNull(input),
    },
    operations: SWITCHBOARD_OPERATIONS,
  };
}

const objectOrNull = (v: unknown) => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null);

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
