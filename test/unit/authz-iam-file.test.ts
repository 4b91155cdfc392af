// The --iam FILE format: every problem reported at once (principal, policy, statement, reason),
// secrets never echoed, and the import replacing exactly the declared principals' keys and
// policies.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { IamFileError, importIamFile, parseIamFile, readIamFile } from "../../src/authz/iam-file.js";
import { SqlStore } from "../../src/store/sql/sql-store.js";
import { SqliteDriver } from "../../src/store/sqlite/sqlite-driver.js";
import type { Store } from "../../src/store/store.js";

const ACCOUNT = "000000000000";
const ALLOW = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "connect:*", Resource: "*" }] };

function problems(text: string, reserved: string[] = []): readonly string[] {
  try {
    parseIamFile(text, "/tmp/iam.json", ACCOUNT, reserved);
  } catch (err) {
    assert.ok(err instanceof IamFileError, String(err));
    assert.match(err.message, /^invalid IAM file \/tmp\/iam\.json \(\d+ problems?\):\n {2}- /);
    return err.problems;
  }
  assert.fail("expected an IamFileError");
}

describe("parseIamFile", () => {
  test("a valid file: defaults the account, keeps tags, keys and compiled policies", () => {
    const f = parseIamFile(
      JSON.stringify({
        principals: [
          {
            name: "helpdesk",
            tags: { team: "support" },
            accessKeys: [{ accessKeyId: "AKIAHELPDESK00000001", secretAccessKey: "s3cr3t", sessionToken: "tok" }],
            policies: { HelpDesk: ALLOW },
          },
          { name: "auditor", account: "111111111111" },
        ],
      }),
      "iam.json",
      ACCOUNT,
    );
    assert.equal(f.principals.length, 2);
    const [h, a] = f.principals;
    assert.equal(h?.arn, "arn:aws:iam::000000000000:user/helpdesk");
    assert.deepEqual(h?.tags, { team: "support" });
    assert.deepEqual(h?.accessKeys, [{ accessKeyId: "AKIAHELPDESK00000001", secretAccessKey: "s3cr3t", sessionToken: "tok" }]);
    assert.equal(h?.policies[0]?.name, "HelpDesk");
    assert.equal(h?.policies[0]?.policy.id, "helpdesk/inline/HelpDesk");
    assert.deepEqual(JSON.parse(h?.policies[0]?.document as string), ALLOW);
    assert.equal(a?.arn, "arn:aws:iam::111111111111:user/auditor");
    assert.deepEqual([a?.accessKeys, a?.policies, a?.tags], [[], [], {}]);
  });

  test("an invalid policy names the principal, the policy, the statement and the reason", () => {
    const p = problems(
      JSON.stringify({
        principals: [
          {
            name: "helpdesk",
            policies: {
              HelpDesk: {
                Version: "2012-10-17",
                Statement: [
                  { Sid: "Ok", Effect: "Allow", Action: "connect:*", Resource: "*" },
                  { Sid: "Broken", Effect: "Permit", Action: "connect:*", Resource: "*" },
                ],
              },
            },
          },
        ],
      }),
    );
    assert.equal(p.length, 1);
    assert.match(p[0] as string, /^principal "helpdesk", policy "HelpDesk": Statement\[1\] \(Sid "Broken"\): .*Effect/);
  });

  test("every problem at once; secrets and tokens are never quoted", () => {
    const p = problems(
      JSON.stringify({
        principals: [
          { name: "bad name!", accessKeys: [{ accessKeyId: "short", secretAccessKey: "" }] },
          { name: "twice", accessKeys: [{ accessKeyId: "AKIATWICE00000000001", secretAccessKey: "TOPSECRET", sessionToken: 7 }] },
          { name: "twice", account: "12", tags: { k: 1 }, colour: "red" },
          { name: "dup", accessKeys: [{ accessKeyId: "AKIATWICE00000000001", secretAccessKey: "TOPSECRET2" }], policies: [] },
          { name: "root", accessKeys: [{ accessKeyId: "testtesttesttest", secretAccessKey: "x" }] },
        ],
        extra: true,
      }),
      ["testtesttesttest"],
    );
    const text = p.join("\n");
    for (const expected of [
      /unknown top-level member "extra"/,
      /principal "bad name!": "name" must be 1-64 characters/,
      /principal "bad name!", accessKeys\[0\]: "accessKeyId" must be 16-128/,
      /principal "bad name!", accessKeys\[0\]: "secretAccessKey" must be a non-empty string/,
      /principal "twice", accessKeys\[0\]: "sessionToken" must be a non-empty string/,
      /principal "twice": "account" must be 12 digits/,
      /principal "twice": tag "k" must have a string value/,
      /principal "twice": unknown member "colour"/,
      /principal "dup", accessKeys\[0\]: access key AKIATWICE00000000001 is already declared for principal "twice"/,
      /principal "dup": "policies" must be an object/,
      /principal "root", accessKeys\[0\]: access key testtesttesttest is the bootstrap \(root\) credential's/,
    ]) {
      assert.match(text, expected);
    }
    assert.ok(!text.includes("TOPSECRET"), "no secret in the problems");
  });

  test("a JSON syntax error gives line and column, never the text around it", () => {
    const p = problems(
      '{"principals": [{"name": "a",\n "accessKeys": [{"accessKeyId": "AKIAAAAAAAAAAAAAAAAA", "secretAccessKey": "TOPSECRET" x}]}]}',
    );
    assert.equal(p.length, 1);
    assert.match(p[0] as string, /^not valid JSON/);
    assert.ok(!(p[0] as string).includes("TOPSECRET"));
    assert.deepEqual(problems("[]"), ['the file must hold a JSON object with a "principals" array']);
    assert.deepEqual(problems("{}"), ['"principals" must be an array']);
  });

  test("a missing file is an IamFileError naming the file", async () => {
    await assert.rejects(readIamFile("/nonexistent/iam.json", ACCOUNT), (err: unknown) => {
      assert.ok(err instanceof IamFileError);
      assert.match(err.message, /invalid IAM file \/nonexistent\/iam\.json \(1 problem\):\n {2}- no such file/);
      return true;
    });
  });
});

describe("importIamFile", () => {
  let store: Store;
  before(async () => {
    store = await SqlStore.open(new SqliteDriver({ file: ":memory:", durability: "normal" }));
  });
  after(() => store.close());

  test("upserts the declared principals, replaces their keys and policies, leaves the others alone", async () => {
    // Already in the store: helpdesk with an old key and an old policy; "other", not in the file.
    await store.iam.putPrincipal({
      account: ACCOUNT,
      name: "helpdesk",
      arn: "arn:aws:iam::000000000000:user/helpdesk",
      tags: { old: "1" },
      createdTime: 5,
    });
    await store.iam.putAccessKey({
      accessKeyId: "AKIAOLDKEY0000000001",
      secretAccessKey: "o",
      account: ACCOUNT,
      principalName: "helpdesk",
      status: "Active",
      createdTime: 5,
    });
    await store.iam.putPolicy({ account: ACCOUNT, principalName: "helpdesk", policyName: "Old", document: JSON.stringify(ALLOW) });
    await store.iam.putPrincipal({
      account: ACCOUNT,
      name: "other",
      arn: "arn:aws:iam::000000000000:user/other",
      tags: {},
      createdTime: 5,
    });
    await store.iam.putAccessKey({
      accessKeyId: "AKIAOTHER00000000001",
      secretAccessKey: "o",
      account: ACCOUNT,
      principalName: "other",
      status: "Active",
      createdTime: 5,
    });
    const before = await store.iam.revision();

    const decl = parseIamFile(
      JSON.stringify({
        principals: [
          {
            name: "helpdesk",
            tags: { team: "support" },
            accessKeys: [{ accessKeyId: "AKIANEWKEY0000000001", secretAccessKey: "n" }],
            policies: { HelpDesk: ALLOW },
          },
        ],
      }),
      "iam.json",
      ACCOUNT,
    );
    await importIamFile(store, decl, 1000);
    await importIamFile(store, decl, 2000); // idempotent

    const h = await store.iam.getPrincipal(ACCOUNT, "helpdesk");
    assert.deepEqual(h, {
      account: ACCOUNT,
      name: "helpdesk",
      arn: "arn:aws:iam::000000000000:user/helpdesk",
      tags: { team: "support" },
      createdTime: 5,
    });
    const keys = await store.iam.listAccessKeys(ACCOUNT, "helpdesk");
    assert.deepEqual(
      keys.map((k) => [k.accessKeyId, k.status, k.createdTime]),
      [["AKIANEWKEY0000000001", "Active", 1000]],
      "old key gone; a re-import keeps the key's creation time",
    );
    assert.deepEqual(
      (await store.iam.listPolicies(ACCOUNT, "helpdesk")).map((p) => p.policyName),
      ["HelpDesk"],
    );
    assert.equal((await store.iam.getAccessKey("AKIAOTHER00000000001"))?.principalName, "other", "untouched");
    assert.ok((await store.iam.revision()) > before, "running servers notice");
  });
});
