// Golden wire test: the exact bytes (request → status, headers, body) of everything the server
// answers today, pinned in test/fixtures/golden-wire.json so a refactor can prove its wire output
// is byte-identical.
//
//   node --import tsx --test test/e2e/golden-wire.test.ts                              compare
//   SWITCHBOARD_UPDATE_GOLDEN=1 node --import tsx --test test/e2e/golden-wire.test.ts  re-record
//
// Determinism:
//  - a MANUAL clock: now() returns a fixed instant that only this test moves (+1 s before every
//    request), so it does not matter how often the server reads it;
//  - every request is signed here with @smithy/signature-v4 at the clock's time, with a fixed
//    Host header (localhost:4599, not the random port) and a fixed User-Agent, and sent with
//    node:http (one connection per request);
//  - what is random on the server is replaced by placeholders, numbered in order of first
//    appearance over the whole run: UUIDs (instance, user, profile, request, event and directory
//    user ids) → <id-N>; NextToken values → <token-N>; the service role's random suffix →
//    <role-suffix-N>; revert-link tokens → <revert-token-N>; the token-hash prefix naming a
//    revert link in the audit trail → <revert-link-hash-N>. UUIDs the test makes up itself
//    (UNKNOWN_ID) stay as they are. Everything else is compared byte for byte.
//  - ListInstances orders by (random) id, so it is only recorded in regions where the order
//    cannot show: one instance, or two that differ in nothing but their ids.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { SignatureV4 } from "@smithy/signature-v4";
import { NodeSha256 } from "../../bench/node-sha256.js";
import { type RunningServer, startServer } from "../../src/app.js";
import type { Clock } from "../../src/common/clock.js";
import { loadConfig } from "../../src/config.js";

const FIXTURE = fileURLToPath(new URL("../fixtures/golden-wire.json", import.meta.url));
const UPDATE = process.env.SWITCHBOARD_UPDATE_GOLDEN === "1";

const START = Date.parse("2024-05-01T12:00:00.000Z");
const STEP_MS = 1000;
const HOST = "localhost:4599";
const USER_AGENT = "switchboard-golden-wire/1.0";
const ACCOUNT = "000000000000";

/** Ids the test makes up: kept literally (they are not random). */
const UNKNOWN_ID = "11111111-2222-4333-8444-555555555555";
const LITERAL_IDS: ReadonlySet<string> = new Set([UNKNOWN_ID]);
/** A NextToken no server issued: base64url of {"k":"forged","c":"nope"}. */
const FORGED_TOKEN = Buffer.from(JSON.stringify({ k: "forged", c: "nope" })).toString("base64url");

const REVERT_LINK = /\/_switchboard\/revert\/([A-Za-z0-9_-]{43})/;

const READER = { accessKeyId: "AKIAREADER0000000001", secretAccessKey: "reader-secret-0123456789abcdefghijklmnopq" };

// ---- the recorded form ----------------------------------------------------------------------------

interface WireCase {
  name: string;
  request: { method: string; target: string; headers: Record<string, string>; body?: string };
  response: { status: number; headers: Record<string, string>; body: string };
}

/** The case as text, so assert.equal shows a line diff of exactly what changed. */
function render(c: WireCase): string {
  const head = (h: Record<string, string>) => Object.entries(h).map(([k, v]) => `${k}: ${v}\n`);
  return [
    `${c.request.method} ${c.request.target}\n`,
    ...head(c.request.headers),
    "\n",
    c.request.body === undefined ? "" : `${c.request.body}\n`,
    "\n",
    `HTTP ${c.response.status}\n`,
    ...head(c.response.headers),
    "\n",
    c.response.body,
  ].join("");
}

// ---- normalization --------------------------------------------------------------------------------

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

class Normalizer {
  private readonly byValue = new Map<string, string>();
  private readonly counters = new Map<string, number>();

  /** The placeholder of a random value, minted on its first appearance. */
  placeholder(kind: string, value: string): string {
    let p = this.byValue.get(value);
    if (p === undefined) {
      const n = (this.counters.get(kind) ?? 0) + 1;
      this.counters.set(kind, n);
      p = `<${kind}-${n}>`;
      this.byValue.set(value, p);
    }
    return p;
  }

  /** A value known to be random, whose placeholder is minted now (e.g. a token read from the outbox). */
  learn(kind: string, value: string): void {
    this.placeholder(kind, value);
  }

  private ids(s: string): string {
    return s.replace(UUID, (v) => (LITERAL_IDS.has(v) ? v : this.placeholder("id", v)));
  }

  /** Values already seen elsewhere (tokens sent back, revert tokens in paths), longest first. */
  private known(s: string): string {
    let out = s;
    const values = [...this.byValue.keys()].filter((v) => out.includes(v)).sort((a, b) => b.length - a.length);
    for (const v of values) out = out.split(v).join(this.byValue.get(v) as string);
    return out;
  }

  request(s: string): string {
    return this.ids(this.known(s));
  }

  response(s: string): string {
    let out = s.replace(/("NextToken":")([^"]+)(")/g, (_m, a: string, v: string, b: string) => `${a}${this.placeholder("token", v)}${b}`);
    out = out.replace(
      /(AWSServiceRoleForAmazonConnect_)([0-9A-F]{20})/g,
      (_m, a: string, v: string) => `${a}${this.placeholder("role-suffix", v)}`,
    );
    out = out.replace(/(revert-link\/)([0-9a-f]{16})/g, (_m, a: string, v: string) => `${a}${this.placeholder("revert-link-hash", v)}`);
    return this.known(this.ids(out));
  }
}

// ---- driving the server ---------------------------------------------------------------------------

class ManualClock implements Clock {
  private t = START;
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

interface Signing {
  accessKeyId?: string;
  secretAccessKey?: string;
  region?: string;
  service?: string;
  /** sign at clock + skewMs */
  skewMs?: number;
}

interface Call {
  method: string;
  /** raw path, labels already percent-encoded */
  path: string;
  query?: Record<string, string>;
  body?: string;
  headers?: Record<string, string>;
  /** "none": sent unsigned (only the headers given) */
  sign?: Signing | "none";
  /** clock advance before this request (default STEP_MS) */
  tick?: number;
}

interface Reply {
  status: number;
  headers: Record<string, string>;
  body: string;
  json(): Record<string, unknown>;
}

/** Headers of the connection, not of the answer. */
const TRANSPORT_HEADERS = new Set(["date", "connection", "keep-alive", "transfer-encoding"]);

function send(port: number, method: string, target: string, headers: Record<string, string>, body: string | undefined): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, method, path: target, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", reject);
      res.on("end", () => {
        const out: Record<string, string> = {};
        for (const name of Object.keys(res.headers).sort()) {
          const v = res.headers[name];
          if (TRANSPORT_HEADERS.has(name) || v === undefined) continue;
          out[name] = Array.isArray(v) ? v.join(", ") : v;
        }
        const text = Buffer.concat(chunks).toString("utf8");
        resolve({ status: res.statusCode ?? 0, headers: out, body: text, json: () => JSON.parse(text) as Record<string, unknown> });
      });
    });
    req.on("error", reject);
    req.end(body);
  });
}

class Recorder {
  readonly clock = new ManualClock();
  readonly cases: WireCase[] = [];
  private readonly norm = new Normalizer();

  learn(kind: string, value: string): void {
    this.norm.learn(kind, value);
  }

  /** Sends one request; records it under `name` (null: setup, not recorded). */
  async call(server: RunningServer, name: string | null, c: Call): Promise<Reply> {
    this.clock.advance(c.tick ?? STEP_MS);
    const qs = new URLSearchParams(c.query ?? {}).toString();
    const target = `${c.path}${qs ? `?${qs}` : ""}`;
    let headers: Record<string, string> = { host: HOST, "user-agent": USER_AGENT, ...c.headers };
    if (c.body !== undefined && headers["content-type"] === undefined) headers["content-type"] = "application/json";
    if (c.sign !== "none") {
      const s = c.sign ?? {};
      const signer = new SignatureV4({
        service: s.service ?? "connect",
        region: s.region ?? "us-east-1",
        credentials: { accessKeyId: s.accessKeyId ?? "test", secretAccessKey: s.secretAccessKey ?? "test" },
        sha256: NodeSha256,
      });
      const signed = await signer.sign(
        {
          method: c.method,
          protocol: "http:",
          hostname: "localhost",
          port: 4599,
          path: c.path,
          query: c.query ?? {},
          headers,
          body: c.body,
        },
        { signingDate: new Date(this.clock.now() + (s.skewMs ?? 0)) },
      );
      headers = signed.headers;
    }
    if (c.body !== undefined || c.method === "POST" || c.method === "PUT")
      headers["content-length"] = String(Buffer.byteLength(c.body ?? ""));
    const reply = await send(server.port, c.method, target, headers, c.body);
    if (name !== null) this.record(name, c, target, headers, reply);
    return reply;
  }

  /** Writes bytes that are not HTTP to a fresh connection and records the raw answer. */
  async raw(server: RunningServer, name: string, bytes: string): Promise<void> {
    this.clock.advance(STEP_MS);
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(server.port, "127.0.0.1");
      const chunks: Buffer[] = [];
      socket.on("data", (d: Buffer) => chunks.push(d));
      socket.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
      socket.on("error", reject);
      socket.write(bytes);
    });
    const split = reply.indexOf("\r\n\r\n");
    const [statusLine = "", ...lines] = reply.slice(0, split).split("\r\n");
    const headers: Record<string, string> = {};
    for (const line of lines.sort((x, y) => (x.toLowerCase() < y.toLowerCase() ? -1 : 1))) {
      const colon = line.indexOf(":");
      const k = line.slice(0, colon).toLowerCase();
      if (!TRANSPORT_HEADERS.has(k)) headers[k] = this.norm.response(line.slice(colon + 1).trim());
    }
    const status = Number(/^HTTP\/1\.1 (\d{3}) /.exec(statusLine)?.[1] ?? 0);
    assert.ok(!this.cases.some((x) => x.name === name), `case name used twice: ${name}`);
    this.cases.push({
      name,
      request: { method: "(raw bytes)", target: JSON.stringify(bytes), headers: {} },
      response: { status, headers, body: this.norm.response(reply.slice(split + 4)) },
    });
  }

  private record(name: string, c: Call, target: string, sent: Record<string, string>, reply: Reply): void {
    assert.ok(!this.cases.some((x) => x.name === name), `case name used twice: ${name}`);
    const request: WireCase["request"] = { method: c.method, target: this.norm.request(target), headers: {} };
    for (const k of Object.keys(sent).sort()) {
      let v = sent[k] as string;
      // The signature and the payload hash cover random ids; the rest of the header is pinned.
      if (k === "authorization") v = v.replace(/Signature=[0-9a-f]{64}/, "Signature=<signature>");
      if (k === "x-amz-content-sha256") v = "<payload-sha256>";
      request.headers[k] = this.norm.request(v);
    }
    if (c.body !== undefined) request.body = this.norm.request(c.body);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(reply.headers)) headers[k] = this.norm.response(v);
    this.cases.push({ name, request, response: { status: reply.status, headers, body: this.norm.response(reply.body) } });
  }
}

async function start(recorder: Recorder, args: string[]): Promise<RunningServer> {
  const config = loadConfig(["--memory", "--port", "0", "--log-level", "off", ...args], {});
  return startServer(config, { clock: recorder.clock });
}

const json = (v: unknown) => JSON.stringify(v);
const enc = encodeURIComponent;
const str = (v: unknown): string => {
  assert.equal(typeof v, "string");
  return v as string;
};

interface Instance {
  id: string;
  arn: string;
}
interface Profiles {
  agent: string;
  admin: string;
  adminArn: string;
  routing: string;
}
interface User {
  id: string;
  arn: string;
}

// ---- the scenario -----------------------------------------------------------------------------------

async function recordAll(): Promise<WireCase[]> {
  const r = new Recorder();
  const dir = mkdtempSync(join(tmpdir(), "sb-golden-"));
  const servers: RunningServer[] = [];
  try {
    const a = await start(r, ["--max-instances", "3", "--max-users-per-instance", "2", "--max-body-bytes", "1024"]);
    servers.push(a);
    await connectScenario(r, a);
    await cloudTrailScenario(r, a);

    const iamFile = join(dir, "iam.json");
    writeFileSync(
      iamFile,
      json({
        principals: [
          {
            name: "reader",
            account: ACCOUNT,
            accessKeys: [READER],
            policies: {
              DescribeOnly: { Version: "2012-10-17", Statement: { Effect: "Allow", Action: "connect:DescribeUser", Resource: "*" } },
            },
          },
        ],
      }),
    );
    const b = await start(r, ["--iam", iamFile]);
    servers.push(b);
    await iamScenario(r, b);
  } finally {
    for (const s of servers) await s.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return r.cases;
}

const createInstanceBody = (type: string, extra: Record<string, unknown> = {}) =>
  json({ IdentityManagementType: type, InboundCallsEnabled: true, OutboundCallsEnabled: true, ...extra });

async function createInstance(r: Recorder, s: RunningServer, name: string | null, body: string, region?: string, tick?: number) {
  const reply = await r.call(s, name, {
    method: "PUT",
    path: "/instance",
    body,
    sign: region ? { region } : {},
    ...(tick === undefined ? {} : { tick }),
  });
  assert.equal(reply.status, 200, reply.body);
  return { id: str(reply.json().Id), arn: str(reply.json().Arn) };
}

async function listProfiles(r: Recorder, s: RunningServer, name: (operation: string) => string, inst: Instance): Promise<Profiles> {
  const sp = await r.call(s, name("ListSecurityProfiles"), { method: "GET", path: `/security-profiles-summary/${inst.id}` });
  const rp = await r.call(s, name("ListRoutingProfiles"), { method: "GET", path: `/routing-profiles-summary/${inst.id}` });
  const list = sp.json().SecurityProfileSummaryList as Array<{ Id: string; Arn: string; Name: string }>;
  const byName = (n: string) => {
    const p = list.find((x) => x.Name === n);
    assert.ok(p, `no ${n} profile`);
    return p;
  };
  const routing = (rp.json().RoutingProfileSummaryList as Array<{ Id: string }>)[0];
  assert.ok(routing);
  return { agent: byName("Agent").Id, admin: byName("Admin").Id, adminArn: byName("Admin").Arn, routing: routing.Id };
}

async function connectScenario(r: Recorder, s: RunningServer): Promise<void> {
  const call = (name: string, c: Call) => r.call(s, name, c);

  // ---- the service itself -------------------------------------------------------------------------
  await call("Health", { method: "GET", path: "/_switchboard/health", sign: "none" });
  await call("UnknownOperationException unknown route", { method: "GET", path: "/no/such/route" });
  await call("UnknownOperationException unsupported method on a known path", { method: "PATCH", path: "/instance", body: "{}" });
  await call("RequestEntityTooLargeException body over --max-body-bytes", {
    method: "PUT",
    path: "/instance",
    body: createInstanceBody("CONNECT_MANAGED", { InstanceAlias: "golden-big", Tags: { padding: "p".repeat(1000) } }),
  });
  await r.raw(s, "SerializationException malformed HTTP request (not HTTP on the socket)", "THIS IS NOT HTTP\r\n\r\n");

  // ---- authentication -------------------------------------------------------------------------------
  await call("MissingAuthenticationTokenException no Authorization header", { method: "GET", path: "/instance", sign: "none" });
  await call("UnrecognizedClientException unknown access key", {
    method: "GET",
    path: "/instance",
    sign: { accessKeyId: "AKIAUNKNOWN000000001", secretAccessKey: "whatever" },
  });
  await call("InvalidSignatureException wrong secret", { method: "GET", path: "/instance", sign: { secretAccessKey: "not-the-secret" } });
  await call("InvalidSignatureException clock skew (signed 6 minutes ago)", {
    method: "GET",
    path: "/instance",
    sign: { skewMs: -360_000 },
  });
  await call("InvalidSignatureException clock skew (signed 6 minutes ahead)", {
    method: "GET",
    path: "/instance",
    sign: { skewMs: 360_000 },
  });
  await call("InvalidSignatureException credential scoped to another service", {
    method: "GET",
    path: "/instance",
    sign: { service: "s3" },
  });
  await call("IncompleteSignatureException Authorization without Signature", {
    method: "GET",
    path: "/instance",
    sign: "none",
    headers: {
      authorization: "AWS4-HMAC-SHA256 Credential=test/20240501/us-east-1/connect/aws4_request, SignedHeaders=host;x-amz-date",
      "x-amz-date": "20240501T120010Z",
    },
  });

  // ---- instances (us-east-1: at most 3) -------------------------------------------------------------
  const m = await createInstance(
    r,
    s,
    "CreateInstance CONNECT_MANAGED ok",
    createInstanceBody("CONNECT_MANAGED", { InstanceAlias: "golden-main", Tags: { team: "golden" } }),
  );
  const saml = await createInstance(r, s, "CreateInstance SAML ok", createInstanceBody("SAML", { InstanceAlias: "golden-saml" }));
  await call("CreateInstance duplicate alias", {
    method: "PUT",
    path: "/instance",
    body: createInstanceBody("CONNECT_MANAGED", { InstanceAlias: "golden-main" }),
  });
  const dir = await createInstance(
    r,
    s,
    "CreateInstance EXISTING_DIRECTORY ok",
    createInstanceBody("EXISTING_DIRECTORY", { DirectoryId: "d-0123456789" }),
  );
  await call("CreateInstance instances quota → ServiceQuotaExceededException", {
    method: "PUT",
    path: "/instance",
    body: createInstanceBody("CONNECT_MANAGED", { InstanceAlias: "golden-extra" }),
  });
  await call("CreateInstance InstanceAlias missing → InvalidRequestException", {
    method: "PUT",
    path: "/instance",
    body: createInstanceBody("CONNECT_MANAGED"),
  });
  await call("CreateInstance DirectoryId on SAML → InvalidRequestException", {
    method: "PUT",
    path: "/instance",
    body: createInstanceBody("SAML", { InstanceAlias: "golden-saml-2", DirectoryId: "d-0123456789" }),
  });
  await call("CreateInstance EXISTING_DIRECTORY without DirectoryId → InvalidRequestException", {
    method: "PUT",
    path: "/instance",
    body: createInstanceBody("EXISTING_DIRECTORY"),
  });
  await call("CreateInstance alias too long → InvalidParameterException", {
    method: "PUT",
    path: "/instance",
    body: createInstanceBody("CONNECT_MANAGED", { InstanceAlias: "a".repeat(46) }),
  });
  await call("CreateInstance unknown IdentityManagementType → InvalidParameterException", {
    method: "PUT",
    path: "/instance",
    body: createInstanceBody("LDAP", { InstanceAlias: "golden-ldap" }),
  });
  await call("CreateInstance required member missing → InvalidParameterException", {
    method: "PUT",
    path: "/instance",
    body: json({ IdentityManagementType: "CONNECT_MANAGED", InstanceAlias: "golden-x", InboundCallsEnabled: true }),
  });
  await call("CreateInstance wrong JSON type → SerializationException", {
    method: "PUT",
    path: "/instance",
    body: json({
      IdentityManagementType: "CONNECT_MANAGED",
      InstanceAlias: "golden-x",
      InboundCallsEnabled: "yes",
      OutboundCallsEnabled: true,
    }),
  });
  await call("CreateInstance bad JSON → SerializationException", { method: "PUT", path: "/instance", body: '{"IdentityManagementType":' });
  await call("CreateInstance body not an object → SerializationException", { method: "PUT", path: "/instance", body: "[]" });

  await call("DescribeInstance ok", { method: "GET", path: `/instance/${m.id}` });
  await call("DescribeInstance EXISTING_DIRECTORY ok", { method: "GET", path: `/instance/${dir.id}` });
  await call("DescribeInstance ARN label (URL-encoded)", { method: "GET", path: `/instance/${enc(m.arn)}` });
  await call("DescribeInstance unknown instance → ResourceNotFoundException", { method: "GET", path: `/instance/${UNKNOWN_ID}` });
  await call("DescribeInstance ARN of another region → ResourceNotFoundException", {
    method: "GET",
    path: `/instance/${enc(m.arn.replace(":us-east-1:", ":eu-west-1:"))}`,
  });
  await call("DescribeInstance InstanceId too long → InvalidParameterException", { method: "GET", path: `/instance/${"x".repeat(101)}` });

  // ---- instances in eu-west-2: list (one instance), delete ------------------------------------------
  const eu = { region: "eu-west-2" };
  await call("ListInstances ok (empty region)", { method: "GET", path: "/instance", sign: eu });
  const e1 = await createInstance(
    r,
    s,
    "CreateInstance ok (eu-west-2)",
    createInstanceBody("CONNECT_MANAGED", { InstanceAlias: "golden-eu" }),
    "eu-west-2",
  );
  await call("ListInstances ok (one instance)", { method: "GET", path: "/instance", sign: eu });
  await call("ListInstances MaxResults=1 (one instance: no NextToken)", {
    method: "GET",
    path: "/instance",
    query: { maxResults: "1" },
    sign: eu,
  });
  await call("DeleteInstance ok", { method: "DELETE", path: `/instance/${e1.id}`, sign: eu });
  await call("DeleteInstance already deleted → ResourceNotFoundException", { method: "DELETE", path: `/instance/${e1.id}`, sign: eu });
  await call("DescribeInstance after DeleteInstance → ResourceNotFoundException", { method: "GET", path: `/instance/${e1.id}`, sign: eu });
  const e2 = await createInstance(
    r,
    s,
    "CreateInstance ok (eu-west-2, deleted by ARN)",
    createInstanceBody("SAML", { InstanceAlias: "golden-eu-2" }),
    "eu-west-2",
  );
  await call("DeleteInstance ARN label (URL-encoded)", { method: "DELETE", path: `/instance/${enc(e2.arn)}`, sign: eu });
  await call("ListInstances ok after DeleteInstance", { method: "GET", path: "/instance", sign: eu });
  await call("ListInstances MaxResults=11 → InvalidParameterException", {
    method: "GET",
    path: "/instance",
    query: { maxResults: "11" },
    sign: eu,
  });
  await call("ListInstances MaxResults not a number → SerializationException", {
    method: "GET",
    path: "/instance",
    query: { maxResults: "ten" },
    sign: eu,
  });
  await call("ListInstances forged NextToken → InvalidParameterException", {
    method: "GET",
    path: "/instance",
    query: { nextToken: FORGED_TOKEN },
    sign: eu,
  });

  // ---- ListInstances pagination in ap-southeast-2: two instances identical but for their ids --------
  // Created as setup (not recorded) and in the same millisecond: whichever id sorts first, the
  // pages read the same once normalized, because the ids are first seen on the pages.
  const ap = { region: "ap-southeast-2" };
  const same = createInstanceBody("EXISTING_DIRECTORY", { DirectoryId: "d-0123456789" });
  await createInstance(r, s, null, same, "ap-southeast-2");
  await createInstance(r, s, null, same, "ap-southeast-2", 0);
  const page1 = await call("ListInstances MaxResults=1 first page (NextToken)", {
    method: "GET",
    path: "/instance",
    query: { maxResults: "1" },
    sign: ap,
  });
  await call("ListInstances MaxResults=1 second page", {
    method: "GET",
    path: "/instance",
    query: { maxResults: "1", nextToken: str(page1.json().NextToken) },
    sign: ap,
  });
  await call("ListInstances NextToken of another region (accepted: the token names no region)", {
    method: "GET",
    path: "/instance",
    query: { maxResults: "1", nextToken: str(page1.json().NextToken) },
    sign: eu,
  });

  // ---- profiles ---------------------------------------------------------------------------------------
  const mp = await listProfiles(r, s, (op) => `${op} ok`, m);
  const sp1 = await call("ListSecurityProfiles MaxResults=2 first page (NextToken)", {
    method: "GET",
    path: `/security-profiles-summary/${m.id}`,
    query: { maxResults: "2" },
  });
  const spToken = str(sp1.json().NextToken);
  await call("ListSecurityProfiles MaxResults=2 second page", {
    method: "GET",
    path: `/security-profiles-summary/${m.id}`,
    query: { maxResults: "2", nextToken: spToken },
  });
  await call("ListSecurityProfiles forged NextToken → InvalidParameterException", {
    method: "GET",
    path: `/security-profiles-summary/${m.id}`,
    query: { nextToken: FORGED_TOKEN },
  });
  await call("ListSecurityProfiles ARN label (URL-encoded)", { method: "GET", path: `/security-profiles-summary/${enc(m.arn)}` });
  await call("ListSecurityProfiles unknown instance → ResourceNotFoundException", {
    method: "GET",
    path: `/security-profiles-summary/${UNKNOWN_ID}`,
  });
  await call("ListSecurityProfiles MaxResults=0 → InvalidParameterException", {
    method: "GET",
    path: `/security-profiles-summary/${m.id}`,
    query: { maxResults: "0" },
  });
  await call("ListRoutingProfiles ARN label (URL-encoded)", { method: "GET", path: `/routing-profiles-summary/${enc(m.arn)}` });
  await call("ListRoutingProfiles MaxResults=1 (one profile: no NextToken)", {
    method: "GET",
    path: `/routing-profiles-summary/${m.id}`,
    query: { maxResults: "1" },
  });
  await call("ListRoutingProfiles unknown instance → ResourceNotFoundException", {
    method: "GET",
    path: `/routing-profiles-summary/${UNKNOWN_ID}`,
  });
  await call("ListRoutingProfiles NextToken of ListSecurityProfiles → InvalidParameterException", {
    method: "GET",
    path: `/routing-profiles-summary/${m.id}`,
    query: { nextToken: spToken },
  });
  const sp = await listProfiles(r, s, (op) => `${op} SAML instance ok`, saml);
  const dp = await listProfiles(r, s, (op) => `${op} EXISTING_DIRECTORY instance ok`, dir);

  // ---- users on the CONNECT_MANAGED instance (at most 2) ------------------------------------------------
  const usersOf = (i: Instance) => `/users/${i.id}`;
  const newUser = (p: Profiles, extra: Record<string, unknown> = {}) => ({
    Username: "jane.doe",
    Password: "Passw0rd1",
    IdentityInfo: { FirstName: "Jane", LastName: "Doe", Email: "jane@example.com" },
    PhoneConfig: { PhoneType: "SOFT_PHONE" },
    SecurityProfileIds: [p.agent],
    RoutingProfileId: p.routing,
    ...extra,
  });
  const createUser = async (name: string, i: Instance, body: Record<string, unknown>): Promise<User> => {
    const reply = await call(name, { method: "PUT", path: usersOf(i), body: json(body) });
    assert.equal(reply.status, 200, reply.body);
    return { id: str(reply.json().UserId), arn: str(reply.json().UserArn) };
  };
  const jane = await createUser("CreateUser ok", m, newUser(mp, { Tags: { dept: "support" } }));
  const createUserFails = (name: string, i: Instance, body: Record<string, unknown> | string) =>
    call(name, { method: "PUT", path: usersOf(i), body: typeof body === "string" ? body : json(body) });
  await createUserFails(
    "CreateUser bad e-mail → InvalidParameterException",
    m,
    newUser(mp, { Username: "bad.mail", IdentityInfo: { FirstName: "Bad", LastName: "Mail", Email: "not-an-address" } }),
  );
  await createUserFails(
    "CreateUser Username too long for CONNECT_MANAGED → InvalidRequestException",
    m,
    newUser(mp, { Username: "u".repeat(21) }),
  );
  await createUserFails(
    "CreateUser Username over the model limit → InvalidParameterException",
    m,
    newUser(mp, { Username: "u".repeat(101) }),
  );
  await createUserFails(
    "CreateUser Username with '@' not in e-mail form → InvalidRequestException",
    m,
    newUser(mp, { Username: "jane@doe" }),
  );
  await createUserFails(
    "CreateUser Password missing → InvalidRequestException",
    m,
    newUser(mp, { Username: "no.password", Password: undefined }),
  );
  await createUserFails(
    "CreateUser Password too weak → InvalidParameterException",
    m,
    newUser(mp, { Username: "weak.password", Password: "password" }),
  );
  await createUserFails(
    "CreateUser FirstName over the model limit (255) → InvalidParameterException",
    m,
    newUser(mp, { Username: "long.name", IdentityInfo: { FirstName: "f".repeat(256), LastName: "Doe" } }),
  );
  await createUserFails(
    "CreateUser LastName too long for CONNECT_MANAGED → InvalidRequestException",
    m,
    newUser(mp, { Username: "long.name", IdentityInfo: { FirstName: "Jane", LastName: "l".repeat(257) } }),
  );
  await createUserFails(
    "CreateUser DESK_PHONE without DeskPhoneNumber → InvalidParameterException",
    m,
    newUser(mp, { Username: "desk", PhoneConfig: { PhoneType: "DESK_PHONE" } }),
  );
  await createUserFails(
    "CreateUser unknown security profile → ResourceNotFoundException",
    m,
    newUser(mp, { Username: "no.profile", SecurityProfileIds: [UNKNOWN_ID] }),
  );
  await createUserFails(
    "CreateUser unknown routing profile → ResourceNotFoundException",
    m,
    newUser(mp, { Username: "no.routing", RoutingProfileId: UNKNOWN_ID }),
  );
  await createUserFails(
    "CreateUser unknown instance → ResourceNotFoundException",
    { id: UNKNOWN_ID, arn: "" },
    newUser(mp, { Username: "nowhere" }),
  );
  await createUserFails("CreateUser required members missing → InvalidParameterException", m, { Username: "lonely" });
  await createUserFails(
    "CreateUser wrong JSON type → SerializationException",
    m,
    newUser(mp, { Username: "typed", SecurityProfileIds: mp.agent }),
  );
  await createUserFails("CreateUser bad JSON → SerializationException", m, '{"Username": "jane.doe",');
  await createUserFails(
    "CreateUser duplicate username (case-insensitive) → DuplicateResourceException",
    m,
    newUser(mp, { Username: "JANE.DOE", IdentityInfo: { FirstName: "Jane", LastName: "Again" } }),
  );
  const adam = await createUser(
    "CreateUser DESK_PHONE ok, security profiles as id and ARN",
    m,
    newUser(mp, {
      Username: "adam",
      IdentityInfo: { FirstName: "Adam", LastName: "Smith" },
      PhoneConfig: { PhoneType: "DESK_PHONE", DeskPhoneNumber: "+15555550100", AutoAccept: true, AfterContactWorkTimeLimit: 30 },
      SecurityProfileIds: [mp.agent, mp.adminArn],
    }),
  );
  await createUserFails("CreateUser users quota → LimitExceededException", m, newUser(mp, { Username: "third" }));

  const userPath = (i: Instance, u: User | string) => `/users/${i.id}/${typeof u === "string" ? u : u.id}`;
  await call("DescribeUser ok", { method: "GET", path: userPath(m, jane) });
  await call("DescribeUser DESK_PHONE user ok", { method: "GET", path: userPath(m, adam) });
  await call("DescribeUser ARN labels (URL-encoded)", { method: "GET", path: `/users/${enc(m.arn)}/${enc(jane.arn)}` });
  await call("DescribeUser unknown user → ResourceNotFoundException", { method: "GET", path: userPath(m, UNKNOWN_ID) });
  await call("DescribeUser unknown instance → ResourceNotFoundException", { method: "GET", path: `/users/${UNKNOWN_ID}/${jane.id}` });
  await call("DescribeUser user ARN of another instance → ResourceNotFoundException", {
    method: "GET",
    path: `/users/${m.id}/${enc(jane.arn.replace(m.id, saml.id))}`,
  });

  await call("ListUsers ok", { method: "GET", path: `/users-summary/${m.id}` });
  const lu1 = await call("ListUsers MaxResults=1 first page (NextToken)", {
    method: "GET",
    path: `/users-summary/${m.id}`,
    query: { maxResults: "1" },
  });
  const usersToken = str(lu1.json().NextToken);
  await call("ListUsers MaxResults=1 second page", {
    method: "GET",
    path: `/users-summary/${m.id}`,
    query: { maxResults: "1", nextToken: usersToken },
  });
  await call("ListUsers forged NextToken → InvalidParameterException", {
    method: "GET",
    path: `/users-summary/${m.id}`,
    query: { nextToken: FORGED_TOKEN },
  });
  await call("ListUsers NextToken of another instance → InvalidParameterException", {
    method: "GET",
    path: `/users-summary/${saml.id}`,
    query: { nextToken: usersToken },
  });
  await call("ListUsers MaxResults=1001 → InvalidParameterException", {
    method: "GET",
    path: `/users-summary/${m.id}`,
    query: { maxResults: "1001" },
  });
  await call("ListUsers ARN label (URL-encoded)", { method: "GET", path: `/users-summary/${enc(m.arn)}` });
  await call("ListUsers unknown instance → ResourceNotFoundException", { method: "GET", path: `/users-summary/${UNKNOWN_ID}` });

  // ---- UpdateUserIdentityInfo, and the old address's revert link ---------------------------------------
  const identity = (i: Instance, u: User | string) => `${userPath(i, u)}/identity-info`;
  const update = (name: string, path: string, body: Record<string, unknown> | string) =>
    call(name, { method: "POST", path, body: typeof body === "string" ? body : json(body) });
  await update("UpdateUserIdentityInfo ok (Email changed: the old address is alerted)", identity(m, jane), {
    IdentityInfo: {
      FirstName: "Jane",
      LastName: "Doe-Smith",
      Email: "jane.smith@example.org",
      SecondaryEmail: "jane@home.example",
      Mobile: "+15555550123",
    },
  });
  await call("DescribeUser after UpdateUserIdentityInfo", { method: "GET", path: userPath(m, jane) });

  const outbox = await s.store.outbox.list();
  assert.equal(outbox.length, 1, "one old-address alert");
  const link = REVERT_LINK.exec(outbox[0]?.body ?? "");
  assert.ok(link?.[1], "the alert carries a revert link");
  const token = link[1];
  r.learn("revert-token", token);
  const revertPath = link[0];
  await call("Revert link GET (confirmation page)", { method: "GET", path: revertPath, sign: "none" });
  await call("Revert link POST (restored)", { method: "POST", path: revertPath, sign: "none" });
  await call("DescribeUser after the revert", { method: "GET", path: userPath(m, jane) });
  await call("Revert link POST again (already used)", { method: "POST", path: revertPath, sign: "none" });
  await call("Revert link GET after use (already used)", { method: "GET", path: revertPath, sign: "none" });
  await call("Revert link unknown token (404)", { method: "GET", path: `/_switchboard/revert/${"A".repeat(43)}`, sign: "none" });
  await call("Revert link malformed token (404)", { method: "POST", path: "/_switchboard/revert/not-a-token", sign: "none" });
  await call("Revert link PUT (405)", { method: "PUT", path: revertPath, sign: "none" });

  await update("UpdateUserIdentityInfo ok, ARN labels (URL-encoded)", `/users/${enc(m.arn)}/${enc(adam.arn)}/identity-info`, {
    IdentityInfo: { FirstName: "Adam", LastName: "Smythe" },
  });
  const names = { FirstName: "Jane", LastName: "Doe" };
  await update("UpdateUserIdentityInfo bad e-mail → InvalidParameterException", identity(m, jane), {
    IdentityInfo: { ...names, Email: "jane@" },
  });
  await update("UpdateUserIdentityInfo SecondaryEmail too long → InvalidParameterException", identity(m, jane), {
    IdentityInfo: { ...names, SecondaryEmail: `${"j".repeat(255)}@example.com` },
  });
  await update("UpdateUserIdentityInfo FirstName not NFC → InvalidParameterException", identity(m, jane), {
    IdentityInfo: { FirstName: "Jose\u0301", LastName: "Doe" },
  });
  await update("UpdateUserIdentityInfo LastName over the model limit → InvalidParameterException", identity(m, jane), {
    IdentityInfo: { FirstName: "Jane", LastName: "l".repeat(301) },
  });
  await update("UpdateUserIdentityInfo LastName too long for CONNECT_MANAGED → InvalidRequestException", identity(m, jane), {
    IdentityInfo: { FirstName: "Jane", LastName: "l".repeat(257) },
  });
  await update("UpdateUserIdentityInfo names missing on CONNECT_MANAGED → InvalidRequestException", identity(m, jane), {
    IdentityInfo: { Email: "jane@example.com" },
  });
  await update("UpdateUserIdentityInfo Mobile not E.164 → InvalidParameterException", identity(m, jane), {
    IdentityInfo: { ...names, Mobile: "555-0100" },
  });
  await update("UpdateUserIdentityInfo unknown user → ResourceNotFoundException", identity(m, UNKNOWN_ID), { IdentityInfo: names });
  await update("UpdateUserIdentityInfo unknown instance → ResourceNotFoundException", `/users/${UNKNOWN_ID}/${jane.id}/identity-info`, {
    IdentityInfo: names,
  });
  await update("UpdateUserIdentityInfo IdentityInfo missing → InvalidParameterException", identity(m, jane), {});
  await update("UpdateUserIdentityInfo empty body → InvalidParameterException", identity(m, jane), "");
  await update("UpdateUserIdentityInfo bad JSON → SerializationException", identity(m, jane), '{"IdentityInfo": {');
  await update("UpdateUserIdentityInfo wrong JSON type → SerializationException", identity(m, jane), {
    IdentityInfo: { FirstName: 42, LastName: "Doe" },
  });
  await update("UpdateUserIdentityInfo IdentityInfo not an object → SerializationException", identity(m, jane), { IdentityInfo: "Jane" });

  // ---- SAML ----------------------------------------------------------------------------------------------
  const samlUser = await createUser("CreateUser SAML ok", saml, {
    ...newUser(sp, { Username: "saml.user@example.com", Password: undefined }),
    IdentityInfo: { FirstName: "Sam", LastName: "Ell", SecondaryEmail: "sam@example.net" },
  });
  await createUserFails(
    "CreateUser SAML Password refused → InvalidRequestException",
    saml,
    newUser(sp, { Username: "saml.pw", IdentityInfo: names }),
  );
  await createUserFails(
    "CreateUser SAML Email refused → InvalidRequestException",
    saml,
    newUser(sp, { Username: "saml.mail", Password: undefined, IdentityInfo: { ...names, Email: "jane@example.com" } }),
  );
  await createUserFails(
    "CreateUser SAML Username outside [a-zA-Z0-9_-.@] → InvalidRequestException",
    saml,
    newUser(sp, { Username: "sam ell", Password: undefined, IdentityInfo: names }),
  );
  await update("UpdateUserIdentityInfo SAML ok", identity(saml, samlUser), {
    IdentityInfo: { FirstName: "Samuel", LastName: "Ell", Mobile: "+447700900123" },
  });
  await update("UpdateUserIdentityInfo SAML email refused → InvalidRequestException", identity(saml, samlUser), {
    IdentityInfo: { FirstName: "Samuel", LastName: "Ell", Email: "sam@example.com" },
  });
  await update("UpdateUserIdentityInfo SAML empty FirstName → InvalidRequestException", identity(saml, samlUser), {
    IdentityInfo: { FirstName: "", LastName: "Ell" },
  });

  // ---- EXISTING_DIRECTORY ---------------------------------------------------------------------------------
  const dirUser = await createUser("CreateUser EXISTING_DIRECTORY ok (DirectoryUserId computed)", dir, {
    ...newUser(dp, { Username: "dir.user", Password: undefined }),
    IdentityInfo: undefined,
  });
  await createUserFails(
    "CreateUser EXISTING_DIRECTORY names refused → InvalidRequestException",
    dir,
    newUser(dp, { Username: "dir.named", Password: undefined, IdentityInfo: names }),
  );
  await update("UpdateUserIdentityInfo EXISTING_DIRECTORY ok (SecondaryEmail, Mobile)", identity(dir, dirUser), {
    IdentityInfo: { SecondaryEmail: "dir.user@example.net", Mobile: "+15555550199" },
  });
  await update("UpdateUserIdentityInfo EXISTING_DIRECTORY names refused → InvalidRequestException", identity(dir, dirUser), {
    IdentityInfo: { ...names, Email: "dir@example.com" },
  });
  await call("DescribeUser EXISTING_DIRECTORY user", { method: "GET", path: userPath(dir, dirUser) });
  await call("DescribeUser SAML user", { method: "GET", path: userPath(saml, samlUser) });

  // ---- DeleteUser --------------------------------------------------------------------------------------------
  await call("DeleteUser ok", { method: "DELETE", path: userPath(m, adam) });
  await call("DeleteUser already deleted → ResourceNotFoundException", { method: "DELETE", path: userPath(m, adam) });
  await call("DeleteUser unknown instance → ResourceNotFoundException", { method: "DELETE", path: `/users/${UNKNOWN_ID}/${jane.id}` });
  await call("DeleteUser ARN labels (URL-encoded)", { method: "DELETE", path: `/users/${enc(saml.arn)}/${enc(samlUser.arn)}` });
  await call("ListUsers after DeleteUser", { method: "GET", path: `/users-summary/${m.id}` });

  // ---- a revert link whose user is gone ----------------------------------------------------------------------
  await update("UpdateUserIdentityInfo ok (Email changed again)", identity(m, jane), {
    IdentityInfo: { FirstName: "Jane", LastName: "Doe", Email: "jane.third@example.org" },
  });
  const second = (await s.store.outbox.list()).map((x) => REVERT_LINK.exec(x.body)).find((x) => x?.[1] !== undefined && x[1] !== token);
  assert.ok(second?.[1], "a second alert with another link");
  r.learn("revert-token", second[1]);
  await call("DeleteUser ok (the user of a revert link)", { method: "DELETE", path: userPath(m, jane) });
  await call("Revert link GET, user deleted (409)", { method: "GET", path: second[0], sign: "none" });
  await call("Revert link POST, user deleted (409)", { method: "POST", path: second[0], sign: "none" });

  // ---- a modeled operation outside user management ----------------------------------------------------------
  await call("NotImplementedException ListBots", { method: "GET", path: `/instance/${m.id}/bots`, query: { lexVersion: "V2" } });
  await call("ListBots lexVersion missing → InvalidParameterException (validated although not implemented)", {
    method: "GET",
    path: `/instance/${m.id}/bots`,
  });
}

async function cloudTrailScenario(r: Recorder, s: RunningServer): Promise<void> {
  const lookup = (name: string, body: Record<string, unknown> | string, opts: { sign?: Signing; target?: string } = {}) =>
    r.call(s, name, {
      method: "POST",
      path: "/",
      body: typeof body === "string" ? body : json(body),
      headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": opts.target ?? "CloudTrail_20131101.LookupEvents" },
      sign: { service: "cloudtrail", ...opts.sign },
    });
  const byName = (name: string, extra: Record<string, unknown> = {}) => ({
    LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: name }],
    ...extra,
  });

  await lookup("LookupEvents EventName=RevertUserIdentityInfo", byName("RevertUserIdentityInfo"));
  const first = await lookup(
    "LookupEvents EventName=UpdateUserIdentityInfo MaxResults=2 first page (NextToken)",
    byName("UpdateUserIdentityInfo", { MaxResults: 2 }),
  );
  const token = str(first.json().NextToken);
  await lookup(
    "LookupEvents EventName=UpdateUserIdentityInfo MaxResults=2 second page",
    byName("UpdateUserIdentityInfo", { MaxResults: 2, NextToken: token }),
  );
  await lookup("LookupEvents regional: EventName=DeleteInstance in eu-west-2", byName("DeleteInstance"), { sign: { region: "eu-west-2" } });
  await lookup("LookupEvents two lookup attributes → InvalidLookupAttributesException", {
    LookupAttributes: [
      { AttributeKey: "EventName", AttributeValue: "CreateUser" },
      { AttributeKey: "Username", AttributeValue: "root" },
    ],
  });
  await lookup("LookupEvents NextToken of other parameters → InvalidNextTokenException", byName("CreateUser", { NextToken: token }));
  await lookup("LookupEvents forged NextToken → InvalidNextTokenException", byName("CreateUser", { NextToken: FORGED_TOKEN }));
  await lookup("LookupEvents MaxResults=51 → InvalidMaxResultsException", { MaxResults: 51 });
  await lookup("LookupEvents bad JSON → SerializationException", '{"LookupAttributes": [');
  await lookup("LookupEvents signed for connect → InvalidSignatureException", byName("CreateUser"), { sign: { service: "connect" } });
  await lookup("LookupEvents wrong secret → InvalidSignatureException", byName("CreateUser"), {
    sign: { secretAccessKey: "not-the-secret" },
  });
  await lookup("CloudTrail other operation → UnknownOperationException", {}, { target: "CloudTrail_20131101.DescribeTrails" });
}

async function iamScenario(r: Recorder, s: RunningServer): Promise<void> {
  const inst = await createInstance(
    r,
    s,
    "IAM server: CreateInstance as root ok",
    createInstanceBody("CONNECT_MANAGED", { InstanceAlias: "golden-iam" }),
  );
  const p = await listProfiles(r, s, (op) => `IAM server: ${op} as root ok`, inst);
  const created = await r.call(s, "IAM server: CreateUser as root ok", {
    method: "PUT",
    path: `/users/${inst.id}`,
    body: json({
      Username: "agent.smith",
      Password: "Passw0rd1",
      IdentityInfo: { FirstName: "Agent", LastName: "Smith", Email: "smith@example.com" },
      PhoneConfig: { PhoneType: "SOFT_PHONE" },
      SecurityProfileIds: [p.agent],
      RoutingProfileId: p.routing,
    }),
  });
  const userId = str(created.json().UserId);
  const reader = { accessKeyId: READER.accessKeyId, secretAccessKey: READER.secretAccessKey };
  await r.call(s, "IAM principal allowed connect:DescribeUser: DescribeUser ok", {
    method: "GET",
    path: `/users/${inst.id}/${userId}`,
    sign: reader,
  });
  await r.call(s, "IAM principal allowed connect:DescribeUser: DescribeUser unknown user → ResourceNotFoundException", {
    method: "GET",
    path: `/users/${inst.id}/${UNKNOWN_ID}`,
    sign: reader,
  });
  await r.call(s, "AccessDeniedException IAM principal: DescribeInstance", { method: "GET", path: `/instance/${inst.id}`, sign: reader });
  await r.call(s, "AccessDeniedException IAM principal: ListInstances", { method: "GET", path: "/instance", sign: reader });
  await r.call(s, "AccessDeniedException IAM principal: UpdateUserIdentityInfo", {
    method: "POST",
    path: `/users/${inst.id}/${userId}/identity-info`,
    body: json({ IdentityInfo: { FirstName: "Agent", LastName: "Smith", Email: "taken-over@example.com" } }),
    sign: reader,
  });
  const cloudTrail = { "content-type": "application/x-amz-json-1.1", "x-amz-target": "CloudTrail_20131101.LookupEvents" };
  await r.call(s, "AccessDeniedException IAM principal: LookupEvents", {
    method: "POST",
    path: "/",
    body: "{}",
    headers: cloudTrail,
    sign: { ...reader, service: "cloudtrail" },
  });
  await r.call(s, "LookupEvents Username=reader (the denied calls)", {
    method: "POST",
    path: "/",
    body: json({ LookupAttributes: [{ AttributeKey: "Username", AttributeValue: "reader" }] }),
    headers: cloudTrail,
    sign: { service: "cloudtrail" },
  });
}

// ---- the test ---------------------------------------------------------------------------------------------

test("golden wire: every answer is byte-identical to test/fixtures/golden-wire.json", async (t) => {
  const actual = await recordAll();
  if (UPDATE) {
    writeFileSync(FIXTURE, `${JSON.stringify(actual, null, 2)}\n`);
    t.diagnostic(`recorded ${actual.length} cases in ${FIXTURE}`);
    return;
  }
  const expected = JSON.parse(readFileSync(FIXTURE, "utf8")) as WireCase[];
  const byName = new Map(expected.map((c) => [c.name, c]));
  for (const c of actual) {
    await t.test(c.name, () => {
      const e = byName.get(c.name);
      assert.ok(e, `case "${c.name}" is not in the fixture; record it with SWITCHBOARD_UPDATE_GOLDEN=1`);
      assert.equal(render(c), render(e), `wire bytes of "${c.name}" changed`);
    });
  }
  await t.test("the same cases, in the same order", () => {
    assert.deepEqual(
      actual.map((c) => c.name),
      expected.map((c) => c.name),
    );
  });
});
