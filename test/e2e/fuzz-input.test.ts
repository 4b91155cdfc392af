// Fuzzing the request decoding from outside (issue 10): invalid percent-encoding, invalid UTF-8
// and JSON nulls at every depth, in path labels, the query and the body, against every served
// operation. Every answer is a typed AWS error or a success — never a 5xx, never a crash.
// Bounded (a fixed number of runs) and deterministic (a fixed seed): a failure names its seed
// and shrunk case, and replays the same.
import assert from "node:assert/strict";
import { request } from "node:http";
import { after, before, test } from "node:test";
import fc from "fast-check";
import { OPERATIONS, SHAPES } from "../../src/model/index.js";
import type { OperationDef, Shape } from "../../src/model/types.js";
import { CONNECT_OPERATIONS } from "../../src/operations/connect-service.js";
import { badPercentEncoding } from "../../src/protocol/restjson/router.js";
import { createInstance, createUser, type InstanceFixture } from "../helpers/fixtures.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

const SEED = 0x5b0a_2026;
const RUNS = 120;

let server: TestServer;
let inst: InstanceFixture;
let userId: string;

before(async () => {
  // --auth off: a well-formed Credential is still required, signatures are not checked, so raw
  // bytes can be sent that no signer would write.
  server = await startTestServer(["--auth", "off"]);
  const c = server.client();
  inst = await createInstance(c);
  userId = (await createUser(c, inst)).id;
});
after(() => server.close());

interface Answer {
  status: number;
  type: string | undefined;
  body: string;
}

/** One raw HTTP/1.1 request: path and query sent byte for byte as given. */
function send(method: string, target: string, body?: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const url = new URL(server.url);
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path: target,
        headers: {
          authorization:
            "AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/connect/aws4_request, SignedHeaders=host;x-amz-date, Signature=00",
          "x-amz-date": "20260101T000000Z",
          ...(body ? { "content-type": "application/json", "content-length": String(body.length) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            type: res.headers["x-amzn-errortype"] as string | undefined,
            body: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

function typed(a: Answer, what: string): void {
  assert.ok(a.status < 500, `${what}: ${a.status} ${a.body}`);
  if (a.status >= 400) assert.ok(a.type, `${what}: an error without x-amzn-ErrorType (${a.status} ${a.body})`);
}

const served = Object.keys(CONNECT_OPERATIONS).sort();
const op = (name: string) => OPERATIONS[name] as OperationDef;
const labelsOf = (name: string) => [...(op(name).uri.split("?")[0] ?? "").matchAll(/\{([^}+]+)\+?\}/g)].map((m) => m[1] as string);
const withLabels = served.filter((n) => labelsOf(n).length > 0);

function pathOf(name: string, fuzzed?: { label: string; raw: string }): string {
  return (op(name).uri.split("?")[0] ?? "").replace(/\{([^}+]+)\+?\}/g, (_, label: string) => {
    if (fuzzed && label === fuzzed.label) return fuzzed.raw;
    return label === "InstanceId" ? inst.id : label === "UserId" ? userId : "x";
  });
}

// ---- generators ---------------------------------------------------------------------------------

const hex = fc.constantFrom(..."0123456789ABCDEFabcdefGZ%");
/** Percent-encoding pieces, valid and not: truncated escapes, non-hex, bytes that are not UTF-8. */
const piece = fc.oneof(
  fc.constantFrom("a", "Z", "0", "-", "_", ".", "~", "%20", "%2F", "%41"),
  fc.constantFrom("%", "%Z", "%ZZ", "%C3%28", "%FF", "%FE%FF", "%E0%A4", "%ED%A0%80", "%C0%AF", "%F4%90%80%80", "%00"),
  fc.tuple(hex, hex).map(([a, b]) => `%${a}${b}`),
);
const rawSegment = fc.array(piece, { minLength: 1, maxLength: 8 }).map((p) => p.join(""));

/** A JSON value shaped by a model shape, with nulls (and wrong types) at any depth. */
function shapedValue(shapeName: string, depth: number): fc.Arbitrary<unknown> {
  const shape = SHAPES[shapeName] as Shape | undefined;
  const nullish = fc.constant(null);
  if (!shape || depth > 4) return fc.oneof(nullish, fc.string({ maxLength: 4 }));
  switch (shape.t) {
    case "structure":
    case "union": {
      const members = Object.entries(shape.members);
      return fc.oneof(
        nullish,
        fc.record(Object.fromEntries(members.map(([k, m]) => [k, shapedValue(m.target, depth + 1)])), { requiredKeys: [] }),
      );
    }
    case "list":
      return fc.oneof(nullish, fc.array(fc.oneof(nullish, shapedValue(shape.member, depth + 1)), { maxLength: 3 }));
    case "map":
      return fc.oneof(
        nullish,
        fc.dictionary(fc.string({ maxLength: 3 }), fc.oneof(nullish, shapedValue(shape.value, depth + 1)), { maxKeys: 3 }),
      );
    case "string":
      return fc.oneof(nullish, shape.enum ? fc.constantFrom(...shape.enum) : fc.string({ maxLength: 8 }), fc.integer());
    case "boolean":
      return fc.oneof(nullish, fc.boolean(), fc.constant("true"));
    default:
      return fc.oneof(nullish, fc.integer(), fc.double(), fc.string({ maxLength: 3 }));
  }
}

function bodyOf(name: string): fc.Arbitrary<Record<string, unknown>> {
  const input = op(name).input ? SHAPES[op(name).input as string] : undefined;
  if (input?.t !== "structure") return fc.constant({});
  const body = Object.entries(input.members).filter(([, m]) => m.loc === undefined);
  return fc.record(Object.fromEntries(body.map(([k, m]) => [k, shapedValue(m.target, 1)])), { requiredKeys: [] });
}

/** Bytes that are not UTF-8: lone continuation bytes, overlongs, surrogates, truncated sequences. */
const badUtf8 = fc.constantFrom(
  [0x80],
  [0xc3, 0x28],
  [0xc0, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xe0, 0xa4],
  [0xff],
  [0xfe, 0xff],
);

const opts = { seed: SEED, numRuns: RUNS, endOnFailure: true } as const;

// ---- properties ---------------------------------------------------------------------------------

test("path labels: invalid percent-encoding and invalid UTF-8 → 400 SerializationException, on every method", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...withLabels),
      fc.nat(),
      rawSegment,
      fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH"),
      async (name, k, raw, method) => {
        const labels = labelsOf(name);
        const label = labels[k % labels.length] as string;
        const path = pathOf(name, { label, raw });
        const a = await send(method, path, method === "GET" || method === "DELETE" ? undefined : Buffer.from("{}"));
        typed(a, `${method} ${path}`);
        if (badPercentEncoding(path) !== undefined) {
          assert.equal(a.status, 400, `${method} ${path}: ${a.body}`);
          assert.equal(a.type, "SerializationException");
        }
      },
    ),
    opts,
  );
});

test("query strings: invalid percent-encoding and invalid UTF-8 in names and values are typed errors", async () => {
  const listOps = served.filter((n) => op(n).method === "GET");
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...listOps),
      fc.array(fc.tuple(fc.oneof(fc.constantFrom("maxResults", "nextToken", "MaxResults"), rawSegment), rawSegment), {
        minLength: 1,
        maxLength: 4,
      }),
      async (name, pairs) => {
        const query = pairs.map(([k, v]) => `${k}=${v}`).join("&");
        const path = `${pathOf(name)}?${query}`;
        typed(await send("GET", path), `GET ${path}`);
      },
    ),
    opts,
  );
});

test("bodies: nulls and wrong types at every depth, for every served operation, are typed errors", async () => {
  const withBody = served.filter((n) => op(n).method !== "GET" && op(n).method !== "DELETE");
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...withBody).chain((name) => fc.tuple(fc.constant(name), bodyOf(name))),
      async ([name, body]) => {
        const a = await send(op(name).method, pathOf(name), Buffer.from(JSON.stringify(body)));
        typed(a, `${name} ${JSON.stringify(body)}`);
      },
    ),
    opts,
  );
});

test("bodies: invalid UTF-8 inside JSON strings and between tokens → 400 SerializationException", async () => {
  await fc.assert(
    fc.asyncProperty(badUtf8, fc.nat({ max: 3 }), async (bytes, where) => {
      const parts = ['{"IdentityInfo": {"FirstName": "A', '", "LastName": "B', '", "Email": "a@example.com"', "}}"];
      const at = where % parts.length;
      const buf = Buffer.concat(parts.flatMap((p, i) => (i === at ? [Buffer.from(p), Buffer.from(bytes)] : [Buffer.from(p)])));
      const a = await send("POST", `/users/${inst.id}/${userId}/identity-info`, buf);
      typed(a, `invalid UTF-8 at ${at}: ${buf.toString("hex")}`);
      assert.equal(a.type, "SerializationException", a.body);
    }),
    { ...opts, numRuns: 40 },
  );
});
