// The request path reads Authorization, User-Agent and Content-Length from rawHeaders instead of
// req.headers (which Node builds on first access, a measurable cost per request). For these
// names Node keeps the first field and discards repeats: firstRawHeader must give exactly what
// req.headers gives, whatever the case of the name and however often it is repeated.
import assert from "node:assert/strict";
import { createServer, type IncomingMessage } from "node:http";
import { connect } from "node:net";
import { describe, test } from "node:test";
import { firstRawHeader } from "../../src/protocol/headers.js";

/** Sends one raw HTTP request to a real node:http server and hands back the IncomingMessage. */
async function received(rawRequest: string): Promise<IncomingMessage> {
  let got: IncomingMessage | undefined;
  const server = createServer((req, res) => {
    got = req;
    req.resume();
    req.on("end", () => res.end("ok"));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.end(rawRequest));
    socket.on("data", () => socket.destroy());
    socket.on("close", () => resolve());
    socket.on("error", reject);
  });
  await new Promise<void>((r) => server.close(() => r()));
  assert.ok(got, "the server saw the request");
  return got;
}

describe("firstRawHeader", () => {
  test("equals req.headers for names whose repeats Node discards", async () => {
    const req = await received(
      [
        "POST /users/i/u/identity-info HTTP/1.1",
        "Host: 127.0.0.1",
        "authorization: AWS4-HMAC-SHA256 Credential=first/20260101/us-east-1/connect/aws4_request, SignedHeaders=host, Signature=aa",
        "User-Agent: first-agent/1.0",
        "AUTHORIZATION: AWS4-HMAC-SHA256 Credential=second/20260101/us-east-1/connect/aws4_request, SignedHeaders=host, Signature=bb",
        "user-agent: second-agent/2.0",
        "Content-Length: 2",
        "Connection: close",
        "",
        "{}",
      ].join("\r\n"),
    );
    for (const name of ["authorization", "user-agent", "content-length", "host"]) {
      assert.equal(firstRawHeader(req.rawHeaders, name), req.headers[name], name);
    }
    assert.equal(firstRawHeader(req.rawHeaders, "x-absent"), req.headers["x-absent"]);
  });

  test("absent and empty fields", async () => {
    const req = await received(["GET / HTTP/1.1", "Host: h", "User-Agent:", "Connection: close", "", ""].join("\r\n"));
    assert.equal(firstRawHeader(req.rawHeaders, "user-agent"), req.headers["user-agent"]);
    assert.equal(firstRawHeader(req.rawHeaders, "authorization"), undefined);
    assert.equal(req.headers.authorization, undefined);
  });
});
