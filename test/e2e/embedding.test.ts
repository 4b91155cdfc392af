// The embedding API (src/index.ts, the package's main export): in-process start in well under a
// second, SDK v3 against it, and 20 start/stop cycles in one process without leaking ports,
// handles or memory. Prints its measurements (start-up ms, RSS) for README's closing note.
import assert from "node:assert/strict";
import { get } from "node:http";
import { createServer } from "node:net";
import { test } from "node:test";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { ConnectClient, CreateInstanceCommand, ListInstancesCommand } from "@aws-sdk/client-connect";
import { embeddedConfig, startSwitchboard } from "../../src/index.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const MB = 1024 * 1024;

/** Resolves when the port can be bound again (nothing still holds it). */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once("error", () => resolve(false));
    s.listen(port, "127.0.0.1", () => s.close(() => resolve(true)));
  });
}

/** GET /_switchboard/health on a connection of its own (fetch would keep a pool per origin). */
function healthStatus(endpoint: string): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    get(`${endpoint}/_switchboard/health`, { agent: false }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode));
    }).on("error", reject);
  });
}

const handles = () =>
  process
    .getActiveResourcesInfo()
    .filter((r) => r !== "Timeout" && r !== "TTYWrap")
    .sort();

test("defaults: memory store, any free port, logs off, the environment ignored", () => {
  const c = embeddedConfig({ env: {} });
  assert.deepEqual(c.storage, { kind: "memory" });
  assert.equal(c.port, 0);
  assert.equal(c.logLevel, "off");
  assert.deepEqual(embeddedConfig({ store: { dataDir: "/tmp/x" } }).storage, { kind: "sqlite", file: "/tmp/x/switchboard.db" });
  assert.equal(embeddedConfig({ store: { databaseUrl: "postgres://h/db", schema: "s" } }).storage.kind, "postgres");
  assert.throws(() => embeddedConfig({ store: "disk" as "memory" }), /store must be "memory"/);
  assert.throws(() => embeddedConfig({ throttle: "fast" }), /throttle must be off, aws or RATE:BURST/);
});

test("startSwitchboard(): an SDK v3 client against it; stop() frees the port", async () => {
  const t0 = performance.now();
  const sb = await startSwitchboard({ maxInstances: 3 });
  const startMs = performance.now() - t0;
  assert.match(sb.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.deepEqual(sb.credentials, { accessKeyId: "test", secretAccessKey: "test" });
  assert.equal(sb.accountId, "000000000000");
  const connect = new ConnectClient({ endpoint: sb.endpoint, region: sb.region, credentials: sb.credentials });
  const made = await connect.send(
    new CreateInstanceCommand({
      IdentityManagementType: "CONNECT_MANAGED",
      InstanceAlias: "embedded",
      InboundCallsEnabled: true,
      OutboundCallsEnabled: true,
    }),
  );
  const listed = await connect.send(new ListInstancesCommand({}));
  assert.deepEqual(
    listed.InstanceSummaryList?.map((i) => i.Id),
    [made.Id],
  );
  connect.destroy();
  await sb.stop();
  await sb.stop(); // idempotent
  assert.ok(await portIsFree(sb.port), "the port is free after stop()");
  console.log(`embedding: first in-process start ${startMs.toFixed(0)} ms`);
  assert.ok(startMs < 1000, `start-up took ${startMs.toFixed(0)} ms`);
});

test("20 start/stop cycles in one process: no port, handle or memory left behind", async () => {
  // One warm-up cycle loads every module once; what follows must not grow.
  await (await startSwitchboard()).stop();
  await new Promise((r) => setTimeout(r, 50)); // closed handles are released on a later turn
  gc();
  const before = { handles: handles(), rss: process.memoryUsage().rss };
  const times: number[] = [];
  const ports: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    const sb = await startSwitchboard();
    times.push(performance.now() - t0);
    assert.equal(await healthStatus(sb.endpoint), 200);
    ports.push(sb.port);
    await sb.stop();
  }
  for (const port of ports) assert.ok(await portIsFree(port), `port ${port} is free`);
  gc();
  await new Promise((r) => setTimeout(r, 50));
  gc();
  const after = { handles: handles(), rss: process.memoryUsage().rss };
  // Transient requests (an fs callback in flight when `before` was taken) may be gone by now; nothing may be added.
  const count = (list: string[]) => list.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<string, number>());
  const was = count(before.handles);
  for (const [kind, n] of count(after.handles))
    assert.ok(n <= (was.get(kind) ?? 0), `a ${kind} is left behind: ${after.handles.join(", ")}`);
  const growth = (after.rss - before.rss) / MB;
  const median = [...times].sort((a, b) => a - b)[10] as number;
  console.log(
    `embedding: 20 start/stops, median start ${median.toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms; RSS ${(before.rss / MB).toFixed(1)} MB before, ${(after.rss / MB).toFixed(1)} MB after (${growth >= 0 ? "+" : ""}${growth.toFixed(1)} MB)`,
  );
  assert.ok(median < 250, `median start ${median} ms`);
  assert.ok(growth < 20, `RSS grew by ${growth.toFixed(1)} MB over 20 cycles`);
});

test("the package's main export is the embedding API, with its types (package.json exports)", async () => {
  assert.match(import.meta.resolve("switchboard"), /\/dist\/src\/index\.js$/);
  const mod = (await import("switchboard" as string)) as Record<string, unknown>;
  assert.equal(typeof mod.startSwitchboard, "function");
  const { existsSync } = await import("node:fs");
  assert.ok(existsSync(new URL("../../dist/src/index.d.ts", import.meta.url)), "dist/src/index.d.ts is emitted");
});
