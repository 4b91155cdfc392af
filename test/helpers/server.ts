// Starts a real Switchboard HTTP server in-process (port 0) for a test, and real SDK clients.
import { ConnectClient } from "@aws-sdk/client-connect";
import { SignatureV4 } from "@smithy/signature-v4";
import { NodeSha256 } from "../../bench/node-sha256.js";
import { type RunningServer, startServer } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { dropSchema, freshSchemaName, HTTP_SUITE_ON_POSTGRES, PG_URL } from "./postgres.js";

export interface TestServer extends RunningServer {
  client(opts?: { region?: string; accessKeyId?: string; secretAccessKey?: string }): ConnectClient;
}

/**
 * Starts a server on a private store: in-memory SQLite, or — when the suite runs on PostgreSQL
 * (SWITCHBOARD_TEST_STORE=postgres) — a fresh schema of the test database, dropped on close.
 */
export async function startTestServer(args: string[] = [], env: Record<string, string> = {}): Promise<TestServer> {
  const hasStorage = args.includes("--data") || args.includes("--memory") || args.includes("--database");
  const schema = !hasStorage && HTTP_SUITE_ON_POSTGRES ? freshSchemaName("http") : undefined;
  const storage = hasStorage ? [] : schema ? ["--database", PG_URL, "--database-schema", schema] : ["--memory"];
  const config = loadConfig([...storage, "--port", "0", "--log-level", "off", "--max-instances", "1000", ...args], env);
  const server = await startServer(config);
  return {
    ...server,
    close: async () => {
      await server.close();
      if (schema) await dropSchema(schema);
    },
    client: (opts = {}) =>
      new ConnectClient({
        endpoint: server.url,
        region: opts.region ?? "us-east-1",
        credentials: { accessKeyId: opts.accessKeyId ?? "test", secretAccessKey: opts.secretAccessKey ?? "test" },
        // the tests assert on single attempts
        maxAttempts: 1,
      }),
  };
}

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  json: () => Record<string, unknown>;
}

/**
 * Sends an arbitrary request signed by AWS's own signer (@smithy/signature-v4), so tests can send
 * what no SDK would (malformed JSON, wrong types, unknown routes) and still pass authentication.
 */
export async function signedFetch(
  baseUrl: string,
  method: string,
  path: string,
  body?: string | Buffer,
  opts: {
    query?: Record<string, string>;
    headers?: Record<string, string>;
    region?: string;
    secret?: string;
    /** default: the root's key, test */
    accessKeyId?: string;
  } = {},
): Promise<RawResponse> {
  const url = new URL(baseUrl);
  const signer = new SignatureV4({
    service: "connect",
    region: opts.region ?? "us-east-1",
    credentials: { accessKeyId: opts.accessKeyId ?? "test", secretAccessKey: opts.secret ?? "test" },
    sha256: NodeSha256,
  });
  const headers: Record<string, string> = { host: url.host, ...opts.headers };
  if (body !== undefined && !headers["content-type"]) headers["content-type"] = "application/json";
  const signed = await signer.sign({
    method,
    protocol: "http:",
    hostname: url.hostname,
    port: Number(url.port),
    path,
    query: opts.query ?? {},
    headers,
    body,
  });
  const qs = new URLSearchParams(opts.query ?? {}).toString();
  const res = await fetch(`${baseUrl}${path}${qs ? `?${qs}` : ""}`, {
    method,
    headers: signed.headers,
    body: body === undefined ? undefined : typeof body === "string" ? body : new Uint8Array(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) as Record<string, unknown> };
}
