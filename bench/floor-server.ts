// The bench's "floor" row (--floor): the essential work of the benchmark request with
// Switchboard's own pieces, and none of its pipeline. It answers only the one request the bench
// replays (a signed UpdateUserIdentityInfo of one user) on a database Switchboard created:
//   node:http → the body → SigV4 verified (verifySigV4) → JSON.parse → in one group transaction
//   per turn of the event loop: the instance's row, the user's row, the UPDATE, the audit event
//   (buildAuditEvent, chained with chainHashAt, one INSERT), the chain's head once per batch →
//   COMMIT → 200, one request log line (the real logger).
// Left out: routing, the model-driven decode and validation, throttling, IAM, the operation's
// rules and change report, the store's interfaces (promises, the redo log), the codec. What the
// Switchboard row costs beyond this row is what those cost; it says how far a leaner pipeline
// could go on this machine (issue 11), not what a server may skip — nothing else is served here.
// Usage: node dist/bench/floor-server.js --port P --db FILE
import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import Database from "better-sqlite3";
import { buildAuditEvent } from "../src/audit/record.js";
import { createLogger } from "../src/common/log.js";
import { verifySigV4 } from "../src/protocol/sigv4/verify.js";
import { chainHashAt } from "../src/store/audit-chain.js";
import { eventValues, GET_HEAD, INSERT_EVENT, SET_HEAD } from "../src/store/sql/audit-repo.js";
import { BY_ID } from "../src/store/sql/instances-repo.js";
import { LOCKED_USER, UPDATE_IDENTITY } from "../src/store/sql/users-repo.js";
import { CREDENTIALS } from "./sign.js";

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  const v = i >= 0 ? process.argv[i + 1] : undefined;
  if (v === undefined) throw new Error(`usage: floor-server --port P --db FILE (missing ${name})`);
  return v;
};
const port = Number(arg("--port"));
const db = new Database(arg("--db"), { fileMustExist: true });
// As the SQLite driver opens it (src/store/sqlite/sqlite-driver.ts); the statements are the repositories' own.
db.pragma("synchronous = NORMAL");
db.pragma("journal_mode = WAL");
db.pragma("foreign_keys = ON");
db.pragma("busy_timeout = 5000");
db.pragma("wal_autocheckpoint = 10000");

const selectInstance = db.prepare(BY_ID);
const selectUser = db.prepare(LOCKED_USER);
const updateUser = db.prepare(UPDATE_IDENTITY);
const insertEvent = db.prepare(INSERT_EVENT);
const moveHead = db.prepare(SET_HEAD);
const begin = db.prepare("BEGIN IMMEDIATE");
const commit = db.prepare("COMMIT");
const readHead = () => db.prepare(GET_HEAD).get() as { seq: number; hash: string };
let head = readHead();

const ACCOUNT = "000000000000";
const logger = createLogger("info");
const HIDDEN = "HIDDEN_DUE_TO_SECURITY_REASONS";

interface Pending {
  write(): void;
  answer(status: number): void;
}
let batch: Pending[] = [];

function commitBatch(): void {
  const members = batch;
  batch = [];
  let status = 200;
  try {
    begin.run();
    for (const m of members) m.write();
    moveHead.run(head.seq, head.hash);
    commit.run();
  } catch (err) {
    if (db.inTransaction) db.prepare("ROLLBACK").run();
    head = readHead();
    process.stderr.write(`floor: ${err instanceof Error ? err.message : String(err)}\n`);
    status = 500;
  }
  for (const m of members) m.answer(status);
}

createServer((req, res) => {
  if (req.url === "/_switchboard/health") {
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end('{"status":"ok"}');
    return;
  }
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const started = performance.now();
    const requestId = randomUUID();
    const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
    const url = req.url ?? "/";
    const auth = verifySigV4(
      { method: req.method ?? "GET", rawUrl: url, rawHeaders: req.rawHeaders, body },
      { lookup: (key) => (key === CREDENTIALS.accessKeyId ? CREDENTIALS : undefined), service: "connect", nowMs: Date.now() },
    );
    const [, , instanceId = "", userId = ""] = url.split("/");
    if (!auth.ok) {
      res.writeHead(auth.status, { "x-amzn-ErrorType": auth.code });
      res.end();
      return;
    }
    let info: Record<string, string | undefined>;
    try {
      info = (JSON.parse(body.toString("utf8")) as { IdentityInfo: Record<string, string | undefined> }).IdentityInfo;
      if (typeof info !== "object" || info === null) throw new Error("no IdentityInfo");
    } catch {
      // Anything but the benchmark request: this server serves nothing else.
      res.writeHead(400, { "x-amzn-ErrorType": "SerializationException" });
      res.end();
      return;
    }
    const region = auth.region;
    if (batch.length === 0) setImmediate(commitBatch);
    batch.push({
      write() {
        const instance = selectInstance.get(ACCOUNT, region, instanceId) as { doc: string } | undefined;
        if (!instance || !selectUser.get(ACCOUNT, region, instanceId, userId)) throw new Error("the bench user is not there");
        JSON.parse(instance.doc);
        const now = Date.now();
        updateUser.run(
          info.FirstName ?? null,
          info.LastName ?? null,
          info.Email ?? null,
          info.SecondaryEmail ?? null,
          info.Mobile ?? null,
          now,
          now,
          region,
          ACCOUNT,
          region,
          instanceId,
          userId,
        );
        const event = buildAuditEvent({
          operation: "UpdateUserIdentityInfo",
          eventSource: "connect.amazonaws.com",
          readOnly: false,
          eventTime: now,
          requestId,
          account: ACCOUNT,
          region,
          sourceIp: req.socket.remoteAddress ?? "",
          caller: { kind: "root", account: ACCOUNT, principalArn: `arn:aws:iam::${ACCOUNT}:root`, accessKeyId: auth.accessKeyId },
          requestParameters: { identityInfo: { firstName: HIDDEN, lastName: HIDDEN, email: HIDDEN }, userId, instanceId },
          notes: { targetUserId: userId, additionalEventData: { changedMembers: [], changes: {} } },
        });
        const seq = head.seq + 1;
        const recordText = JSON.stringify(event.record);
        const hash = chainHashAt(head.hash, event, seq, recordText);
        insertEvent.run(...eventValues(event, seq, recordText, head.hash, hash));
        head = { seq, hash };
      },
      answer(status) {
        res.writeHead(status, { "Content-Type": "application/json", "x-amzn-RequestId": requestId, "Content-Length": 2 });
        res.end("{}");
        const latencyMs = Math.round((performance.now() - started) * 1000) / 1000;
        logger.log("info", "request", {
          requestId,
          operation: "UpdateUserIdentityInfo",
          status,
          latencyMs,
          sourceIp: req.socket.remoteAddress,
        });
      },
    });
  });
}).listen(port, "127.0.0.1");

process.on("SIGTERM", () => {
  logger.flush?.();
  db.close();
  process.exit(0);
});
