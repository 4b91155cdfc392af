// Declarative seeds (src/seed): the schema and the self-check report every problem as
// `FILE: path.to.member: reason` before anything is written; applying twice changes nothing;
// ids not given are the same on every run.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { openStore } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { applySeed, derivedId } from "../../src/seed/apply.js";
import { type SeedDocument, SeedError } from "../../src/seed/document.js";
import type { Store } from "../../src/store/store.js";

const dir = mkdtempSync(join(tmpdir(), "sb-seed-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const OPTS = { account: "000000000000", now: 1_700_000_000_000, reservedKeyIds: ["test"] };
const scope = { account: "000000000000", region: "us-east-1" };

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

async function problems(path: string): Promise<string[]> {
  const store = await openStore(loadConfig(["--memory"], {}));
  try {
    await applySeed(store, path, OPTS);
  } catch (err) {
    assert.ok(err instanceof SeedError, String(err));
    assert.equal((await store.instances.list(scope, { limit: 10 })).length, 0, "nothing is written");
    return [...err.problems];
  } finally {
    await store.close();
  }
  assert.fail(`${path}: expected a SeedError`);
}

const GOOD_YAML = `# yaml-language-server: $schema=../schema/seed.schema.json
instances:
  - alias: sandbox
    id: 11111111-2222-4333-8444-555555555555
    tags: { env: test }
    securityProfiles:
      - { name: HelpDesk, permissions: [Users.View, Users.Edit], tags: { team: support } }
    queues:
      - { name: Sales, description: Sales calls }
    routingProfiles:
      - name: Sales RP
        description: Sales agents
        defaultOutboundQueue: Sales
        queues: [Sales, BasicQueue]
        mediaConcurrencies: [{ channel: VOICE, concurrency: 1 }, { channel: CHAT, concurrency: 2 }]
    hierarchy:
      levels: [Region, Site]
      groups:
        - name: EMEA
          groups: [{ name: Paris }]
    users:
      - username: jdoe
        firstName: Jane
        lastName: Doe
        email: jane@example.com
        securityProfiles: [Agent, HelpDesk]
        routingProfile: Sales RP
        hierarchyGroup: EMEA/Paris
        tags: { dept: sales }
      - { username: admin, securityProfiles: [Admin] }
iam:
  principals:
    - name: helpdesk
      tags: { team: support }
      accessKeys: [{ accessKeyId: AKIAHELPDESK00000001, secretAccessKey: s3cret }]
      policies:
        HelpDesk:
          Version: "2012-10-17"
          Statement: [{ Effect: Allow, Action: "connect:*", Resource: "*" }]
`;

describe("seed: a valid file", () => {
  let store: Store;
  after(async () => store?.close());

  test("YAML: everything created in one go; fixed and derived ids; references by name", async () => {
    store = await openStore(loadConfig(["--memory"], {}));
    const path = file("good.yaml", GOOD_YAML);
    const first = await applySeed(store, path, OPTS);
    assert.deepEqual(first.created, {
      instances: 1,
      securityProfiles: 1,
      queues: 1,
      routingProfiles: 1,
      hierarchyGroups: 2,
      users: 2,
      principals: 1,
    });
    const id = "11111111-2222-4333-8444-555555555555";
    const users = await store.users.list(scope, id, { limit: 10 });
    assert.deepEqual(
      users.map((u) => u.username),
      ["admin", "jdoe"],
    );
    const jdoe = users[1];
    assert.equal(jdoe?.id, derivedId(id, "user", "jdoe"), "a derived id: the same on every run");
    assert.deepEqual(jdoe?.identityInfo, { firstName: "Jane", lastName: "Doe", email: "jane@example.com" });
    assert.equal(jdoe?.routingProfileId, derivedId(id, "routing", "Sales RP"));
    assert.deepEqual(jdoe?.securityProfileIds, [derivedId(id, "security", "Agent"), derivedId(id, "security", "HelpDesk")]);
    assert.equal(jdoe?.hierarchyGroupId, derivedId(id, "group", "EMEA/Paris"));
    const rp = await store.profiles.get(scope, id, "routing", derivedId(id, "routing", "Sales RP"));
    assert.ok(rp, "the routing profile exists");
    assert.equal((rp.attributes.defaultOutboundQueue as { id: string }).id, derivedId(id, "queue", "Sales"));
    assert.equal((rp.attributes.queueConfigs as unknown[]).length, 4, "2 queues × 2 channels");
    assert.deepEqual(
      (await store.iam.listAccessKeys("000000000000", "helpdesk")).map((k) => k.accessKeyId),
      ["AKIAHELPDESK00000001"],
    );
  });

  test("applying it again changes nothing", async () => {
    const before = await store.audit.head();
    const again = await applySeed(store, join(dir, "good.yaml"), OPTS);
    assert.deepEqual(again.created, {
      instances: 0,
      securityProfiles: 0,
      queues: 0,
      routingProfiles: 0,
      hierarchyGroups: 0,
      users: 0,
      principals: 0,
    });
    assert.deepEqual(await store.audit.head(), before);
    assert.equal((await store.users.list(scope, "11111111-2222-4333-8444-555555555555", { limit: 10 })).length, 2);
  });

  test("JSON and the document form are the same seed", async () => {
    const doc: SeedDocument = { instances: [{ alias: "other", users: [{ username: "u1" }] }] };
    const a = await openStore(loadConfig(["--memory"], {}));
    const b = await openStore(loadConfig(["--memory"], {}));
    try {
      await applySeed(a, doc, OPTS);
      await applySeed(b, file("doc.json", JSON.stringify(doc)), OPTS);
      const [ia] = await a.instances.list(scope, { limit: 5 });
      const [ib] = await b.instances.list(scope, { limit: 5 });
      assert.equal(ia?.id, ib?.id, "derived from account, region and alias");
      assert.equal(ia?.id, derivedId("000000000000", "us-east-1", "instance", "other"));
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe("seed: bad files → every problem, exactly", () => {
  const cases: [string, string, string, string[]][] = [
    ["syntax.json", "JSON syntax", '{"instances": [', ["syntax.json: line 1, column 16: not valid JSON"]],
    [
      "syntax.yaml",
      "YAML syntax",
      "instances:\n  - alias: a\n   users: [",
      ["syntax.yaml: line 3, column 1: not valid YAML (MISSING_CHAR)", "syntax.yaml: line 3, column 12: not valid YAML (BAD_INDENT)"],
    ],
    [
      "schema.yaml",
      "schema: required, unknown member, enum, type, pattern",
      `instances:
  - alias: ok
    users:
      - firstName: NoUsername
      - username: x
        phoneType: WALKIE_TALKIE
        autoAccept: "yes"
  - alias: "-bad"
    colour: blue
`,
      [
        "schema.yaml: instances[0].users[0].username: is required",
        "schema.yaml: instances[0].users[1].phoneType: must be one of SOFT_PHONE, DESK_PHONE",
        "schema.yaml: instances[0].users[1].autoAccept: must be boolean",
        "schema.yaml: instances[1].colour: is not a known member (known: alias, id, region, identityManagementType, inboundCallsEnabled, outboundCallsEnabled, tags, securityProfiles, queues, routingProfiles, hierarchy, users)",
        'schema.yaml: instances[1].alias: must match pattern "^(?!d-)([\\da-zA-Z]+)([-]*[\\da-zA-Z])*$"',
      ],
    ],
    [
      "refs.yaml",
      "references and duplicates",
      `instances:
  - alias: a
    securityProfiles: [{ name: Admin }, { name: X }, { name: X }]
    routingProfiles: [{ name: R, queues: [Nowhere] }]
    hierarchy: { groups: [{ name: G }] }
    users:
      - { username: jdoe, securityProfiles: [Ghost], routingProfile: Missing, hierarchyGroup: G/H }
      - { username: JDoe, phoneType: DESK_PHONE }
  - alias: A
iam:
  principals:
    - { name: p, accessKeys: [{ accessKeyId: AKIADUPLICATE0000001, secretAccessKey: x }] }
    - name: p
      accessKeys: [{ accessKeyId: AKIADUPLICATE0000001, secretAccessKey: y }]
      policies: { Bad: { Version: "2012-10-17", Statement: { Effect: Allow } } }
`,
      [
        "refs.yaml: instances[0].securityProfiles[0].name: 'Admin' is a default security profile of every instance: it exists already",
        "refs.yaml: instances[0].securityProfiles[2].name: 'X' is declared twice in the instance",
        "refs.yaml: instances[0].routingProfiles[0].queues[0]: no queue 'Nowhere' in the instance",
        "refs.yaml: instances[0].hierarchy.groups[0]: groups need hierarchy.levels",
        "refs.yaml: instances[0].users[0].securityProfiles[0]: no security profile 'Ghost' in the instance",
        "refs.yaml: instances[0].users[0].routingProfile: no routing profile 'Missing' in the instance",
        "refs.yaml: instances[0].users[0].hierarchyGroup: no hierarchy group 'G/H' in the instance (a path of names from level one: A/B)",
        "refs.yaml: instances[0].users[1].username: 'JDoe' is declared twice in the instance (usernames are unique case-insensitively)",
        "refs.yaml: instances[0].users[1].deskPhoneNumber: is required when phoneType is DESK_PHONE",
        "refs.yaml: instances[1].alias: 'A' is already the alias of instances[0] (aliases are unique per region, case-insensitively)",
        "refs.yaml: iam.principals[1].name: 'p' is declared twice in account 000000000000",
        "refs.yaml: iam.principals[1].accessKeys[0].accessKeyId: AKIADUPLICATE0000001 is already declared at iam.principals[0].accessKeys[0].accessKeyId",
        "refs.yaml: iam.principals[1].policies.Bad: Statement[0]: one of Action or NotAction is required",
        "refs.yaml: iam.principals[1].policies.Bad: Statement[0]: one of Resource or NotResource is required",
      ],
    ],
  ];
  for (const [name, what, text, expected] of cases) {
    test(what, async () => {
      assert.deepEqual(
        await problems(file(name, text)),
        expected.map((e) => join(dir, e)),
      );
    });
  }

  test("a missing file", async () => {
    assert.deepEqual(await problems(join(dir, "nope.yaml")), [`${join(dir, "nope.yaml")}: (file): no such file`]);
  });
});
