// The request pipeline (src/protocol/front.ts, composed by createPipeline in src/app.ts) driven directly with WireRequest values: no
// HTTP server. A real SQLite store in memory, the real handlers and model, a fixed clock, auth
// off (the Credential still names the caller and region).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createPipeline, type PipelineDeps } from "../../src/app.js";
import type { Clock } from "../../src/common/clock.js";
import type { LogFields, Logger, LogLevel } from "../../src/common/log.js";
import { silentLogger } from "../../src/common/log.js";
import { CONNECT_OPERATIONS } from "../../src/operations/connect-service.js";
import type { ServedOperation } from "../../src/operations/declare.js";
import { StaticCredentials } from "../../src/protocol/auth.js";
import type { Pipeline, WireRequest, WireResponse } from "../../src/protocol/wire.js";
import { SqlStore } from "../../src/store/sql/sql-store.js";
import { SqliteDriver } from "../../src/store/sqlite/sqlite-driver.js";
import type {
  AuditRepo,
  HierarchyRepo,
  IamRepo,
  InstancesRepo,
  OutboxRepo,
  ProfilesRepo,
  QueuesRepo,
  Store,
  TagsRepo,
  UsersRepo,
} from "../../src/store/store.js";
import { StoreUnavailable } from "../../src/store/store.js";

const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const clock: Clock = { now: () => NOW };
const ACCOUNT = "000000000000";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Captured {
  level: Exclude<LogLevel, "off">;
  msg: string;
  fields: LogFields;
}

function capturingLogger(): Logger & { lines: Captured[] } {
  const lines: Captured[] = [];
  return {
    lines,
    enabled: () => true,
    log(level, msg, fields = {}) {
      lines.push({ level, msg, fields });
    },
  };
}

async function openStore(): Promise<Store> {
  return SqlStore.open(new SqliteDriver({ file: ":memory:", durability: "normal" }));
}

/** The served operations with some handlers replaced (to make them fail on purpose). */
type Handler = ServedOperation["handle"];
function withHandlers(handlers: Record<string, Handler>): Record<string, ServedOperation> {
  const out: Record<string, ServedOperation> = { ...CONNECT_OPERATIONS };
  for (const [name, handle] of Object.entries(handlers)) out[name] = { ...(CONNECT_OPERATIONS[name] as ServedOperation), handle };
  return out;
}

function deps(store: Store, over: Partial<PipelineDeps> & { handlers?: Record<string, Handler> } = {}): PipelineDeps {
  const { handlers, ...rest } = over;
  return {
    ...(handlers ? { connectOperations: withHandlers(handlers) } : {}),
    store,
    clock,
    quotas: {
      instancesPerRegion: 2,
      usersPerInstance: 500,
      securityProfilesPerInstance: 100,
      routingProfilesPerInstance: 100,
      hierarchyGroupsPerInstance: 500,
    },
    logger: silentLogger,
    notifications: { revertTtlMs: 86_400_000, publicUrl: "http://127.0.0.1:4599" },
    auth: {
      mode: "off",
      defaultAccount: ACCOUNT,
      now: () => clock.now(),
      credentials: new StaticCredentials([
        { accessKeyId: "test", secretAccessKey: "test", account: ACCOUNT, principalArn: `arn:aws:iam::${ACCOUNT}:root`, kind: "root" },
      ]),
    },
    ...rest,
  };
}

/** A request as an SDK would send it (signature not checked: auth is off). */
function wire(method: string, url: string, body?: unknown): WireRequest {
  const payload = body === undefined ? Buffer.alloc(0) : Buffer.from(typeof body === "string" ? body : JSON.stringify(body), "utf8");
  const headers: Record<string, string> = {
    host: "127.0.0.1:4599",
    "x-amz-date": "20260101T120000Z",
    authorization: `AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/connect/aws4_request, SignedHeaders=host;x-amz-date, Signature=${"0".repeat(64)}`,
  };
  if (payload.length > 0) headers["content-type"] = "application/json";
  return {
    method,
    url,
    rawHeaders: Object.entries(headers).flat(),
    headers,
    body: payload,
    sourceIp: "127.0.0.1",
  };
}

function json(res: WireResponse): Record<string, unknown> {
  assert.equal(res.headers["Content-Type"], "application/json");
  return JSON.parse(res.body) as Record<string, unknown>;
}

function expectError(res: WireResponse, status: number, type: string): Record<string, unknown> {
  assert.equal(res.status, status, res.body);
  assert.equal(res.headers["x-amzn-ErrorType"], type, res.body);
  assert.match(res.headers["x-amzn-RequestId"] ?? "", UUID);
  return json(res);
}

/** A store whose every repository call fails as an unreachable database does. */
function unavailableStore(real: Store): Store {
  const down = new Proxy(
    {},
    { get: () => () => Promise.reject(new StoreUnavailable("connect ECONNREFUSED 10.0.0.5:5432 password=hunter2")) },
  );
  const store: Store = {
    instances: down as InstancesRepo,
    users: down as UsersRepo,
    profiles: down as ProfilesRepo,
    queues: down as QueuesRepo,
    hierarchy: down as HierarchyRepo,
    tags: down as TagsRepo,
    audit: down as AuditRepo,
    iam: down as IamRepo,
    outbox: down as OutboxRepo,
    atomically: () => Promise.reject(new StoreUnavailable("connect ECONNREFUSED 10.0.0.5:5432 password=hunter2")),
    clear: () => Promise.reject(new StoreUnavailable("connect ECONNREFUSED 10.0.0.5:5432 password=hunter2")),
    health: () => real.health(),
    close: () => real.close(),
  };
  return store;
}

/** CreateInstance → default profiles → CreateUser, through the pipeline. */
async function seedUser(run: Pipeline): Promise<{ instanceId: string; userId: string }> {
  const inst = await run(
    wire("PUT", "/instance", {
      IdentityManagementType: "CONNECT_MANAGED",
      InstanceAlias: "pipeline-test",
      InboundCallsEnabled: true,
      OutboundCallsEnabled: true,
    }),
  );
  assert.equal(inst.status, 200, inst.body);
  const instanceId = json(inst).Id as string;
  const sp = json(await run(wire("GET", `/security-profiles-summary/${instanceId}`))).SecurityProfileSummaryList as { Id: string }[];
  const rp = json(await run(wire("GET", `/routing-profiles-summary/${instanceId}`))).RoutingProfileSummaryList as { Id: string }[];
  assert.ok(sp[0] && rp[0], "default profiles exist");
  const user = await run(
    wire("PUT", `/users/${instanceId}`, {
      Username: "ada",
      Password: "Passw0rd!",
      IdentityInfo: { FirstName: "Ada", LastName: "Lovelace" },
      PhoneConfig: { PhoneType: "SOFT_PHONE" },
      SecurityProfileIds: [sp[0].Id],
      RoutingProfileId: rp[0].Id,
    }),
  );
  assert.equal(user.status, 200, user.body);
  return { instanceId, userId: json(user).UserId as string };
}

describe("pipeline: routing failures", () => {
  test("an unknown route → 404 UnknownOperationException (lower-case message key)", async () => {
    const store = await openStore();
    try {
      const run = createPipeline(deps(store));
      const body = expectError(await run(wire("GET", "/no-such-thing/x")), 404, "UnknownOperationException");
      assert.deepEqual(Object.keys(body), ["message"]);
      assert.match(body.message as string, /GET \/no-such-thing\/x/);
    } finally {
      await store.close();
    }
  });

  test("a known path with the wrong method → 404 UnknownOperationException saying so", async () => {
    const store = await openStore();
    try {
      const run = createPipeline(deps(store));
      const body = expectError(await run(wire("PATCH", "/instance")), 404, "UnknownOperationException");
      assert.match(body.message as string, /PATCH is not supported on \/instance/);
    } finally {
      await store.close();
    }
  });

  test("a label with bad percent-encoding → 400 SerializationException", async () => {
    const store = await openStore();
    try {
      const run = createPipeline(deps(store));
      expectError(await run(wire("GET", "/instance/%E0%A4%A")), 400, "SerializationException");
    } finally {
      await store.close();
    }
  });

  test("a modeled operation without a handler → 501 NotImplementedException naming it", async () => {
    const store = await openStore();
    try {
      const run = createPipeline(deps(store));
      const body = expectError(await run(wire("GET", "/hours-of-operations-summary/i-1")), 501, "NotImplementedException");
      assert.match(body.message as string, /ListHoursOfOperations/);
    } finally {
      await store.close();
    }
  });
});

describe("pipeline: validation", () => {
  test("a wrong JSON type → 400 SerializationException", async () => {
    const store = await openStore();
    try {
      const run = createPipeline(deps(store));
      const body = expectError(
        await run(wire("POST", "/users/i-1/u-1/identity-info", { IdentityInfo: "Ada" })),
        400,
        "SerializationException",
      );
      assert.match(body.message as string, /^1 validation error detected: .*'identityInfo'/);
    } finally {
      await store.close();
    }
  });

  test("a constraint violation → 400 InvalidParameterException with the summary", async () => {
    const store = await openStore();
    try {
      const run = createPipeline(deps(store));
      const body = expectError(await run(wire("POST", "/users/i-1/u-1/identity-info", {})), 400, "InvalidParameterException");
      assert.equal(
        body.Message,
        "1 validation error detected: Value null at 'identityInfo' failed to satisfy constraint: Member must not be null",
      );
    } finally {
      await store.close();
    }
  });

  test("malformed JSON → 400 SerializationException", async () => {
    const store = await openStore();
    try {
      const run = createPipeline(deps(store));
      expectError(await run(wire("POST", "/users/i-1/u-1/identity-info", "{oops")), 400, "SerializationException");
    } finally {
      await store.close();
    }
  });
});

describe("pipeline: unexpected failures → 500 InternalServiceException", () => {
  test("a handler throwing a plain Error: request id in the body, no error text, no stack", async () => {
    const store = await openStore();
    const logger = capturingLogger();
    const secret = "kaboom: SELECT * FROM users WHERE password='hunter2'";
    const handlers: Record<string, Handler> = {
      DescribeInstance: async () => {
        throw new Error(secret);
      },
    };
    try {
      const run = createPipeline(deps(store, { handlers, logger }));
      const res = await run(wire("GET", "/instance/i-1"));
      const body = expectError(res, 500, "InternalServiceException");
      const requestId = res.headers["x-amzn-RequestId"] as string;
      assert.deepEqual(Object.keys(body), ["Message"]);
      assert.ok((body.Message as string).includes(requestId), res.body);
      assert.ok(!res.body.includes("kaboom"), res.body);
      assert.ok(!res.body.includes("hunter2"), res.body);
      assert.ok(!/\bat .*\.(ts|js):\d+/.test(res.body), `stack in body: ${res.body}`);
      assert.ok(!res.body.includes("pipeline.test"), res.body);
      // The operator gets the detail in the log, tied to the same request id.
      const internal = logger.lines.find((l) => l.msg === "internal error");
      assert.ok(internal, JSON.stringify(logger.lines));
      assert.equal(internal.level, "error");
      assert.equal(internal.fields.requestId, requestId);
      assert.equal(internal.fields.operation, "DescribeInstance");
    } finally {
      await store.close();
    }
  });

  test("a handler throwing a non-Error value is handled the same way", async () => {
    const store = await openStore();
    const handlers: Record<string, Handler> = {
      ListInstances: async () => {
        throw "string thrown";
      },
    };
    try {
      const run = createPipeline(deps(store, { handlers }));
      const res = await run(wire("GET", "/instance"));
      expectError(res, 500, "InternalServiceException");
      assert.ok(!res.body.includes("string thrown"), res.body);
    } finally {
      await store.close();
    }
  });

  test("StoreUnavailable from the store → 500 InternalServiceException, no database detail", async () => {
    const real = await openStore();
    const logger = capturingLogger();
    try {
      const run = createPipeline(deps(unavailableStore(real), { logger }));
      const res = await run(wire("GET", "/instance/i-1"));
      const body = expectError(res, 500, "InternalServiceException");
      const requestId = res.headers["x-amzn-RequestId"] as string;
      assert.ok((body.Message as string).includes(requestId), res.body);
      assert.ok(!res.body.includes("ECONNREFUSED"), res.body);
      assert.ok(!res.body.includes("hunter2"), res.body);
      const logged = logger.lines.find((l) => l.msg === "store unavailable");
      assert.ok(logged, JSON.stringify(logger.lines));
      assert.equal(logged.fields.requestId, requestId);
      assert.ok(!logger.lines.some((l) => l.msg === "internal error"), "StoreUnavailable is not an unknown internal error");
    } finally {
      await real.close();
    }
  });

  test("every request gets a fresh request id", async () => {
    const store = await openStore();
    try {
      const run = createPipeline(deps(store));
      const a = await run(wire("GET", "/instance"));
      const b = await run(wire("GET", "/instance"));
      assert.equal(a.status, 200, a.body);
      assert.match(a.headers["x-amzn-RequestId"] ?? "", UUID);
      assert.notEqual(a.headers["x-amzn-RequestId"], b.headers["x-amzn-RequestId"]);
    } finally {
      await store.close();
    }
  });
});

describe("pipeline: the request log", () => {
  test("one 'request' line per request with operation, status and request id, and no member values", async () => {
    const store = await openStore();
    const logger = capturingLogger();
    try {
      const run = createPipeline(deps(store, { logger }));
      const { instanceId, userId } = await seedUser(run);
      logger.lines.length = 0;

      const distinctive = "Zbigniew-Quetzalcoatl-7731";
      const mobile = "+14155550199";
      const secondary = "zq.hidden@example.org";
      const res = await run(
        wire("POST", `/users/${instanceId}/${userId}/identity-info`, {
          IdentityInfo: { FirstName: distinctive, LastName: "Lovelace", SecondaryEmail: secondary, Mobile: mobile },
        }),
      );
      assert.equal(res.status, 200, res.body);
      assert.equal(res.body, "");

      const requestLines = logger.lines.filter((l) => l.msg === "request");
      assert.equal(requestLines.length, 1, JSON.stringify(logger.lines));
      const line = requestLines[0] as Captured;
      assert.equal(line.level, "info");
      assert.equal(line.fields.operation, "UpdateUserIdentityInfo");
      assert.equal(line.fields.status, 200);
      assert.equal(line.fields.requestId, res.headers["x-amzn-RequestId"]);
      assert.equal(line.fields.errorCode, undefined);
      const everything = JSON.stringify(logger.lines);
      for (const value of [distinctive, mobile, secondary, "Lovelace"])
        assert.ok(!everything.includes(value), `logged a member value: ${everything}`);

      // The update did happen (the line above was for a real success).
      const described = json(await run(wire("GET", `/users/${instanceId}/${userId}`)));
      assert.equal((described.User as { IdentityInfo: { FirstName: string } }).IdentityInfo.FirstName, distinctive);
    } finally {
      await store.close();
    }
  });

  test("a refused request logs its error code, still without member values", async () => {
    const store = await openStore();
    const logger = capturingLogger();
    try {
      const run = createPipeline(deps(store, { logger }));
      const { instanceId, userId } = await seedUser(run);
      logger.lines.length = 0;

      const distinctive = `Quixotic-${"Q".repeat(300)}`;
      const res = await run(
        wire("POST", `/users/${instanceId}/${userId}/identity-info`, { IdentityInfo: { FirstName: distinctive, LastName: "L" } }),
      );
      expectError(res, 400, "InvalidParameterException");
      assert.ok(!res.body.includes("Quixotic"), res.body);

      const requestLines = logger.lines.filter((l) => l.msg === "request");
      assert.equal(requestLines.length, 1);
      const line = requestLines[0] as Captured;
      assert.equal(line.fields.operation, "UpdateUserIdentityInfo");
      assert.equal(line.fields.status, 400);
      assert.equal(line.fields.errorCode, "InvalidParameterException");
      assert.equal(line.fields.requestId, res.headers["x-amzn-RequestId"]);
      assert.ok(!JSON.stringify(logger.lines).includes("Quixotic"));
    } finally {
      await store.close();
    }
  });

  test("an unrouted request is logged with operation '-'", async () => {
    const store = await openStore();
    const logger = capturingLogger();
    try {
      const run = createPipeline(deps(store, { logger }));
      const res = await run(wire("GET", "/nowhere"));
      const lines = logger.lines.filter((l) => l.msg === "request");
      assert.equal(lines.length, 1);
      assert.equal(lines[0]?.fields.operation, "-");
      assert.equal(lines[0]?.fields.status, 404);
      assert.equal(lines[0]?.fields.requestId, res.headers["x-amzn-RequestId"]);
    } finally {
      await store.close();
    }
  });

  test("N requests → N request lines", async () => {
    const store = await openStore();
    const logger = capturingLogger();
    try {
      const run = createPipeline(deps(store, { logger }));
      const ids = new Set<string>();
      for (let i = 0; i < 5; i++) ids.add((await run(wire("GET", "/instance"))).headers["x-amzn-RequestId"] as string);
      const lines = logger.lines.filter((l) => l.msg === "request");
      assert.equal(lines.length, 5);
      assert.deepEqual(new Set(lines.map((l) => l.fields.requestId)), ids);
      assert.ok(lines.every((l) => l.fields.operation === "ListInstances" && l.fields.status === 200));
    } finally {
      await store.close();
    }
  });
});
