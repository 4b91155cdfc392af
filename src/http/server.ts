// node:http adapter: request → WireRequest (raw body bytes, raw headers), WireResponse → socket.
// No framework: the model-driven router is the framework, and the per-request budget is small.

import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { frameworkError, internalService } from "../common/errors.js";
import { CONSOLE_PATH, HEALTH_PATH } from "../common/paths.js";
import { firstRawHeader } from "../protocol/headers.js";
import type { Pipeline, WireRequest, WireResponse } from "../protocol/wire.js";

export interface HttpOptions {
  pipeline: Pipeline;
  /** largest accepted request body in bytes; larger ones get 413 */
  maxBodyBytes: number;
  /** answers GET /_switchboard/health */
  health(): Promise<{ status: number; body: Record<string, unknown> }>;
  /** Switchboard's own endpoints by path (reset, snapshot): they authenticate the request themselves */
  routes?: Readonly<Record<string, (req: WireRequest) => Promise<WireResponse>>>;
  /** default: Node's (no connection cap, 60 s headers, 300 s request, 5 s keep-alive) */
  limits?: HttpLimits;
}

export interface HttpLimits {
  /** the request line and headers must arrive within (else 408) */
  headerTimeoutMs: number;
  /** the whole request, body included, must arrive within (else 408) */
  bodyTimeoutMs: number;
  /** a keep-alive connection idle this long is closed */
  idleTimeoutMs: number;
  /** connections beyond are closed at once */
  maxConnections: number;
}

function send(res: ServerResponse, r: WireResponse): void {
  // An injected dropped connection: reset the socket, no status line (clients see ECONNRESET).
  if (r.drop) {
    res.socket?.resetAndDestroy();
    return;
  }
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

function timeoutResponse(): string {
  const body = JSON.stringify({ message: "The request was not received in time." });
  return (
    `HTTP/1.1 408 Request Timeout\r\nContent-Type: application/json\r\nx-amzn-ErrorType: RequestTimeoutException\r\n` +
    `x-amzn-RequestId: ${randomUUID()}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
  );
}

export function createHttpServer(opts: HttpOptions): SwitchboardHttpServer {
  let draining = false;
  const limits = opts.limits;
  const serverOptions = limits
    ? {
        headersTimeout: limits.headerTimeoutMs,
        requestTimeout: limits.bodyTimeoutMs,
        keepAliveTimeout: limits.idleTimeoutMs,
        // how often deadlines are checked (Node's default, 30 s, lets a slow client live 30 s longer)
        connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(limits.headerTimeoutMs / 4))),
      }
    : {};
  const server = createServer(serverOptions, (req: IncomingMessage, res: ServerResponse) => {
    if (draining) {
      res.shouldKeepAlive = false;
      res.once("finish", () => server.closeIdleConnections());
    }
    const declared = Number(firstRawHeader(req.rawHeaders, "content-length") ?? 0);
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
      if (
        url.startsWith(CONSOLE_PATH.slice(0, -1)) &&
        (url.length === CONSOLE_PATH.length - 1 || "/?".includes(url.charAt(CONSOLE_PATH.length - 1)))
      ) {
        // The console's files: loaded on first use, never on the API's path.
        const path = url.split("?")[0] as string;
        import("./console-files.js").then(
          ({ serveConsole }) => {
            const r = serveConsole(req.method ?? "GET", path, req.headers["if-none-match"]);
            res.writeHead(r.status, { ...r.headers, "Content-Length": r.status === 304 ? 0 : r.body.length });
            res.end(r.body);
          },
          () => send(res, { status: 500, headers: { "Content-Type": "text/plain" }, body: "console unavailable" }),
        );
        return;
      }
      const wire: WireRequest = {
        method: req.method ?? "GET",
        url,
        rawHeaders: req.rawHeaders,
        // Node builds req.headers on first access: only for the requests that read it.
        get headers() {
          return req.headers;
        },
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
  if (limits) server.maxConnections = limits.maxConnections;
  // A malformed request line or header: answer a JSON error instead of Node's bare 400.
  server.on("clientError", (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    if (err.code === "ERR_HTTP_REQUEST_TIMEOUT") {
      // Headers or body not received in time (--header-timeout-ms, --body-timeout-ms): 408, as
      // AWS's front end answers (RequestTimeoutException); an answer already begun is cut off.
      const started = (socket as { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
      if (started) return socket.destroy();
      socket.end(timeoutResponse());
      return;
    }
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
