// Snapshots: export → import into an empty store → export gives the same bytes, on SQLite and
// PostgreSQL and from one engine to the other; IAM secrets only when asked; the audit trail with
// its chain intact; the same through GET/PUT /_switchboard/snapshot (root only) and the CLI.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { ConnectClient, UpdateUserHierarchyGroupNameCommand, UpdateUserIdentityInfoCommand } from "@aws-sdk/client-connect";
import { openStore } from "../../src/app.js";
import { verifyChain } from "../../src/audit/verify.js";
import { loadConfig } from "../../src/config.js";
import { type SeedDocument, type Switchboard, startSwitchboard } from "../../src/index.js";
import { derivedId } from "../../src/seed/apply.js";
import { dropSchema, freshSchemaName, PG_URL } from "../helpers/postgres.js";
import { runCli } from "../helpers/process.js";
import { signedFetch } from "../helpers/server.js";

const dir = mkdtempSync(join(tmpdir(), "sb-snapshot-"));
const schemas = [freshSchemaName("snap"), freshSchemaName("snap")];
const INSTANCE = "5a5a5a5a-1111-4222-8333-444444444444";
const SEED: SeedDocument = {
  instances: [
    {
      alias: "snap",
      id: INSTANCE,
      tags: { env: "test" },
      securityProfiles: [{ name: "HelpDesk", permissions: ["Users.View"] }],
      queues: [{ name: "Sales" }],
      routingProfiles: [{ name: "Sales RP", description: "d", queues: ["Sales"] }],
      hierarchy: { levels: ["Region", "Site"], groups: [{ name: "EMEA", groups: [{ name: "Paris" }] }] },
      users: [
        { username: "jdoe", firstName: "Jane", lastName: "Doe", email: "jane@example.com", hierarchyGroup: "EMEA/Paris", tags: { a: "b" } },
        { username: "admin", securityProfiles: ["Admin", "HelpDesk"], routingProfile: "Sales RP" },
      ],
    },
    { alias: "other", region: "eu-west-2" },
  ],
  iam: {
    principals: [
      {
        name: "clerk",
        tags: { team: "x" },
        accessKeys: [{ accessKeyId: "AKIASNAPCLERK0000001", secretAccessKey: "clerk-secret" }],
        policies: { All: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "connect:*", Resource: "*" }] } },
      },
    ],
  },
};

let source: Switchboard;
let exported: string;
before(async () => {
  source = await startSwitchboard({ store: { dataDir: join(dir, "source") }, seed: SEED });
  const connect = new ConnectClient({ endpoint: source.endpoint, region: source.region, credentials: source.credentials });
  // A few audited calls, so the trail has a chain to carry.
  await connect.send(
    new UpdateUserIdentityInfoCommand({
      InstanceId: INSTANCE,
      UserId: derivedId(INSTANCE, "user", "jdoe"),
      IdentityInfo: { FirstName: "Janet", LastName: "Doe", Email: "janet@example.com" },
    }),
  );
  await connect.send(
    new UpdateUserHierarchyGroupNameCommand({
      InstanceId: INSTANCE,
      HierarchyGroupId: derivedId(INSTANCE, "group", "EMEA"),
      Name: "Europe",
    }),
  );
  connect.destroy();
  exported = await source.exportSnapshot({ secrets: true, audit: true });
});
after(async () => {
  await source?.stop();
  for (const s of schemas) await dropSchema(s);
  rmSync(dir, { recursive: true, force: true });
});

async function roundTrip(store: Parameters<typeof startSwitchboard>[0], text: string): Promise<string> {
  const sb = await startSwitchboard(store);
  try {
    const summary = await sb.importSnapshot(text);
    assert.equal(summary.keysWithoutSecrets, 0);
    return await sb.exportSnapshot({ secrets: true, audit: true });
  } finally {
    await sb.stop();
  }
}

test("the export holds every resource, sorted, and the audit trail", () => {
  const s = JSON.parse(exported);
  assert.equal(s.format, "switchboard-snapshot");
  assert.deepEqual(
    s.instances.map((i: { region: string; instance: { alias: string } }) => `${i.region}/${i.instance.alias}`),
    ["eu-west-2/other", "us-east-1/snap"].sort((a, b) => (a < b ? -1 : 1)),
  );
  const snap = s.instances.find((i: { instance: { id: string } }) => i.instance.id === INSTANCE);
  assert.equal(snap.users.length, 2);
  assert.equal(snap.hierarchyGroups.length, 2);
  assert.equal(snap.queues.length, 2, "BasicQueue and Sales");
  assert.equal(s.iam[0].accessKeys[0].secretAccessKey, "clerk-secret");
  assert.deepEqual(
    s.audit.map((e: { eventName: string }) => e.eventName),
    ["UpdateUserIdentityInfo", "UpdateUserHierarchyGroupName"],
  );
});

test("SQLite → empty SQLite → export: the same bytes", async () => {
  assert.equal(await roundTrip({ store: "memory" }, exported), exported);
});

test("SQLite → PostgreSQL → SQLite: the same bytes on each engine", async () => {
  const onPg = await roundTrip({ store: { databaseUrl: PG_URL, schema: schemas[0] as string } }, exported);
  assert.equal(onPg, exported);
  const back = await roundTrip({ store: { dataDir: join(dir, "back") } }, onPg);
  assert.equal(back, exported);
  const pgAgain = await roundTrip({ store: { databaseUrl: PG_URL, schema: schemas[1] as string } }, back);
  assert.equal(pgAgain, exported);
});

test("the imported audit trail verifies; a tampered one is refused and nothing imported", async () => {
  const store = await openStore(loadConfig(["--data", join(dir, "back")], {}));
  try {
    const v = await verifyChain(store);
    assert.equal(v.ok, true);
  } finally {
    await store.close();
  }
  const s = JSON.parse(exported);
  s.audit[0].record.eventName = "Forged";
  const sb = await startSwitchboard();
  try {
    await assert.rejects(sb.importSnapshot(JSON.stringify(s)), /audit chain is not intact at event 1/);
    assert.equal(JSON.parse(await sb.exportSnapshot()).instances.length, 0, "nothing imported");
  } finally {
    await sb.stop();
  }
});

test("without secrets: no secret in the export, and an import restores no keys (said)", async () => {
  const text = await source.exportSnapshot();
  assert.ok(!text.includes("clerk-secret"));
  assert.equal(JSON.parse(text).audit, undefined);
  const sb = await startSwitchboard();
  try {
    const summary = await sb.importSnapshot(text);
    assert.equal(summary.keysWithoutSecrets, 1);
  } finally {
    await sb.stop();
  }
});

test("GET/PUT /_switchboard/snapshot: root only, the same document", async () => {
  const got = await signedFetch(source.endpoint, "GET", "/_switchboard/snapshot", undefined, { query: { secrets: "1", audit: "1" } });
  assert.equal(got.status, 200);
  assert.equal(got.text, exported);
  const clerk = await signedFetch(source.endpoint, "GET", "/_switchboard/snapshot", undefined, {
    accessKeyId: "AKIASNAPCLERK0000001",
    secret: "clerk-secret",
  });
  assert.equal(clerk.status, 403);
  const target = await startSwitchboard();
  try {
    const put = await signedFetch(target.endpoint, "PUT", "/_switchboard/snapshot", exported);
    assert.equal(put.status, 200, put.text);
    assert.equal(put.json().users, 2);
    assert.equal(await target.exportSnapshot({ secrets: true, audit: true }), exported);
    const bad = await signedFetch(target.endpoint, "PUT", "/_switchboard/snapshot", '{"format":"nope"}');
    assert.equal(bad.status, 400);
    assert.match(bad.text, /not a Switchboard snapshot/);
  } finally {
    await target.stop();
  }
});

test("switchboard snapshot export | import with --data: the same bytes", async () => {
  const file = join(dir, "state.json");
  writeFileSync(file, exported);
  const imported = await runCli(["snapshot", "import", file, "--data", join(dir, "cli")]);
  assert.equal(imported.code, 0, imported.output);
  assert.match(imported.output, /imported 2 instances, 3 users|imported 2 instances, 2 users/);
  const out = await runCli(["snapshot", "export", "--secrets", "--audit", "--data", join(dir, "cli")]);
  assert.equal(out.code, 0);
  assert.equal(out.output, exported);
});
