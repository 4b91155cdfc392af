// node:http adapter: request → WireRequest (raw body bytes, raw headers), WireResponse → socket.
// No framework: the model-driven router is the framework, and the per-request budget is small.

import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { frameworkError, internalService } from "../common/errors.js";
import { HEALTH_PATH } from "../common/paths.js";
import type { Pipeline, WireRequest, WireResponse } from "../protocol/wire.js";

export interface HttpOptions {
  pipeline: Pipeline;
  /** largest accepted request body in bytes; larger ones get 413 */
  maxBodyBytes: number;
  /** answers GET /_switchboard/health */
  health(): Promise<{ status: number; body: Record<string, unknown> }>;
  /** Switchboard's own endpoints by path (reset, snapshot): they authenticate the request themselves */
  routes?: Readonly<Record<string, (req: WireRequest) => Promise<WireResponse>>>;
}

function send(res: ServerResponse, r: WireResponse): void {
  res.writeHead(r.status, { ...r.headers, "Content-Length": Buffer.byteLength(r.body) });
  res.end(r.body);
}

export interface SwitchboardHttpServer {
  server: Server;
  /**
   * Stops accepting, lets in-flight requests finish, then resolves. Keep-alive connections are
   * closed as soon as they are idle; responses sent meanwhile say `Connection: close`.
   */
  drain(): Promise<void>;
}

function tooLarge(max: number): WireResponse {
  const requestId = randomUUID();
  const error = frameworkError("RequestEntityTooLargeException", `Request body exceeds the limit of ${max} bytes.`);
  return {
    status: error.status,
    headers: { "Content-Type": "application/json", "x-amzn-RequestId": requestId, "x-amzn-ErrorType": error.code },
    body: JSON.stringify({ message: error.message }),
  };
}

export function createHttpServer(opts: HttpOptions): SwitchboardHttpServer {
  let draining = false;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (draining) {
      res.shouldKeepAlive = false;
      res.once("finish", () => server.closeIdleConnections());
    }
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > opts.maxBodyBytes) {
      // Answer without reading the body, then close: the client may still be sending it.
      res.setHeader("Connection", "close");
      send(res, tooLarge(opts.maxBodyBytes));
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let aborted = false;
    req.on("data", (chunk: Buffer) => {
      if (aborted) return;
      size += chunk.length;
      if (size > opts.maxBodyBytes) {
        aborted = true;
        res.setHeader("Connection", "close");
        send(res, tooLarge(opts.maxBodyBytes));
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (aborted) return;
      const url = req.url ?? "/";
      if (req.method === "GET" && (url === HEALTH_PATH || url.startsWith(`${HEALTH_PATH}?`))) {
        opts.health().then(
          (h) => send(res, { status: h.status, headers: { "Content-Type": "application/json" }, body: JSON.stringify(h.body) }),
          () => send(res, { status: 503, headers: { "Content-Type": "application/json" }, body: '{"status":"error"}' }),
        );
        return;
      }
      const wire: WireRequest = {
        method: req.method ?? "GET",
        url,
        rawHeaders: req.rawHeaders,
        headers: req.headers,
        body: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size),
        sourceIp: req.socket.remoteAddress ?? "",
      };
      const q = url.indexOf("?");
      const own = opts.routes?.[q < 0 ? url : url.slice(0, q)];
      (own ?? opts.pipeline)(wire).then(
        (r) => send(res, r),
        () => {
          const error = internalService("An internal error occurred.");
          send(res, { status: error.status, headers: { "x-amzn-ErrorType": error.code }, body: "{}" });
        },
      );
    });
    req.on("error", () => {
      /* client went away; nothing to answer */
    });
  });
  // A malformed request line or header: answer a JSON error instead of Node's bare 400.
  server.on("clientError", (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    const body = JSON.stringify({ message: `Malformed HTTP request: ${err.code ?? "parse error"}` });
    socket.end(
      `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nx-amzn-ErrorType: SerializationException\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
  return {
    server,
    drain: () =>
      new Promise<void>((resolve) => {
        draining = true;
        server.close(() => resolve());
        server.closeIdleConnections();
        // Requests already being handled still answer; their sockets close when idle.
        const sweep = setInterval(() => server.closeIdleConnections(), 50);
        server.once("close", () => clearInterval(sweep));
      }),
  };
}
