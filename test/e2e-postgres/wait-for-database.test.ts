// Issue 10, defect 9: with PostgreSQL not up yet (the usual race in docker-compose or CI) the
// server exited. Now it listens at once, answers health 503 while it waits for the database with
// backoff up to --db-wait-ms, then serves; past the limit it gives up with an error.
import assert from "node:assert/strict";
import { createServer, type Server, connect as tcpConnect } from "node:net";
import { test } from "node:test";
import { ConnectClient } from "@aws-sdk/client-connect";
import { freePort } from "../../bench/procs.js";
import { startServer } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { createInstance } from "../helpers/fixtures.js";
import { dropSchema, freshSchemaName } from "../helpers/postgres.js";

/** A TCP forwarder to the test database, opened late: before, the port refuses connections. */
function forwarder(port: number): Promise<Server> {
  const server = createServer((client) => {
    const upstream = tcpConnect(5432, "127.0.0.1");
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("error", end);
    upstream.on("error", end);
    client.on("close", end);
    upstream.on("close", end);
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}

const health = async (port: number) => (await fetch(`http://127.0.0.1:${port}/_switchboard/health`)).status;

test("PostgreSQL not up yet: health 503 while waiting, then the server serves", async () => {
  const [dbPort, port] = [await freePort(), await freePort()];
  const schema = freshSchemaName("wait");
  const url = `postgres://postgres@127.0.0.1:${dbPort}/test`;
  const config = loadConfig(
    ["--database", url, "--database-schema", schema, "--port", String(port), "--log-level", "off", "--db-wait-ms", "30000"],
    {},
  );
  const starting = startServer(config);
  let forward: Server | undefined;
  try {
    let seen = 0;
    for (let i = 0; i < 100 && seen === 0; i++) {
      seen = await health(port).catch(() => 0);
      if (seen === 0) await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(seen, 503, "health answers 503 while the database is not reachable");
    const early = await fetch(`http://127.0.0.1:${port}/instance`, { method: "PUT", body: "{}" });
    assert.equal(early.status, 503, "API calls too: a status every SDK retries");
    forward = await forwarder(dbPort);
    const server = await starting;
    try {
      assert.equal(await health(port), 200);
      const c = new ConnectClient({
        endpoint: server.url,
        region: "us-east-1",
        credentials: { accessKeyId: "test", secretAccessKey: "test" },
      });
      assert.ok((await createInstance(c)).id);
    } finally {
      await server.close();
    }
  } finally {
    await starting.catch(() => undefined);
    forward?.close();
    await dropSchema(schema);
  }
});

test("past --db-wait-ms the start fails with an error naming the database, and frees the port", async () => {
  const [dbPort, port] = [await freePort(), await freePort()];
  const config = loadConfig(
    ["--database", `postgres://postgres@127.0.0.1:${dbPort}/test`, "--port", String(port), "--log-level", "off", "--db-wait-ms", "1500"],
    {},
  );
  const started = Date.now();
  await assert.rejects(startServer(config), /PostgreSQL|database/i);
  const took = Date.now() - started;
  assert.ok(took >= 1000 && took < 10_000, `gave up after ${took} ms`);
  await assert.rejects(fetch(`http://127.0.0.1:${port}/_switchboard/health`), "nothing listens any more");
});
