// Issue 10, defect 6: slow and idle clients. Headers and the whole request have deadlines
// (408 RequestTimeoutException), idle keep-alive connections are closed, connections are capped.
import assert from "node:assert/strict";
import { connect, type Socket } from "node:net";
import { after, before, test } from "node:test";
import { startTestServer, type TestServer } from "../helpers/server.js";

let server: TestServer;
before(async () => {
  server = await startTestServer([
    "--header-timeout-ms",
    "500",
    "--body-timeout-ms",
    "1000",
    "--idle-timeout-ms",
    "400",
    "--max-connections",
    "3",
  ]);
});
after(() => server.close());

/** A raw connection: what it receives, and when it is closed. */
function open(): Promise<{ socket: Socket; received: () => string; closed: Promise<number> }> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(server.port, "127.0.0.1");
    let data = "";
    socket.on("data", (d) => {
      data += d.toString("latin1");
    });
    const closed = new Promise<number>((r) => socket.on("close", () => r(Date.now() - started)));
    socket.on("error", () => {});
    socket.once("connect", () => resolve({ socket, received: () => data, closed }));
    socket.once("error", reject);
  });
}

test("headers sent too slowly (slowloris) → 408 RequestTimeoutException, connection closed", async () => {
  const c = await open();
  c.socket.write("GET /users/x HTTP/1.1\r\nHost: x\r\nX-Slow: 1\r\n");
  const ms = await c.closed;
  assert.match(c.received(), /^HTTP\/1\.1 408/);
  assert.match(c.received(), /RequestTimeoutException/);
  assert.ok(ms < 3000, `closed after ${ms} ms`);
});

test("a body that never ends → 408 once the request deadline passes", async () => {
  const c = await open();
  c.socket.write(
    'POST /users/x/y/identity-info HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"Ide',
  );
  const ms = await c.closed;
  assert.match(c.received(), /^HTTP\/1\.1 408/);
  assert.ok(ms < 4000, `closed after ${ms} ms`);
});

test("an idle keep-alive connection is closed after --idle-timeout-ms", async () => {
  const c = await open();
  c.socket.write(`GET /_switchboard/health HTTP/1.1\r\nHost: x\r\n\r\n`);
  const ms = await c.closed;
  assert.match(c.received(), /^HTTP\/1\.1 200/);
  assert.ok(ms < 2500, `closed after ${ms} ms`);
});

test("beyond --max-connections new connections are refused; the server keeps serving", async () => {
  const held = await Promise.all([open(), open(), open()]);
  for (const h of held) h.socket.write("GET /_switchboard/health HTTP/1.1\r\nHost: x\r\n"); // keep them busy
  await new Promise((r) => setTimeout(r, 100));
  const extra = await open();
  const ms = await extra.closed;
  assert.ok(ms < 1000, `the extra connection closed at once (${ms} ms)`);
  for (const h of held) h.socket.destroy();
  await new Promise((r) => setTimeout(r, 100));
  const r = await fetch(`${server.url}/_switchboard/health`);
  assert.equal(r.status, 200);
});

test("a connection that never sends a byte is closed once the header deadline passes", async () => {
  const c = await open();
  const ms = await c.closed;
  assert.ok(ms < 3000, `closed after ${ms} ms`);
  if (c.received() !== "") assert.match(c.received(), /^HTTP\/1\.1 408/);
});
