// `switchboard access-report` as a real process (dist/bundle/main.js) over a data directory
// populated through the store API: JSON and human output, exit codes.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { instanceArn, type Scope, userArn } from "../../src/common/arn.js";
import { defaultProfiles } from "../../src/operations/instances/defaults.js";
import type { ProfileRecord, Tags } from "../../src/store/records.js";
import { SqlStore } from "../../src/store/sql/sql-store.js";
import { SqliteDriver } from "../../src/store/sqlite/sqlite-driver.js";
import type { Store } from "../../src/store/store.js";
import { CLI } from "../helpers/process.js";

const ACCOUNT = "000000000000";
const SCOPE: Scope = { account: ACCOUNT, region: "us-east-1" };
const INSTANCE = "5f0c1b7e-0000-4000-8000-000000000001";
const NOW = Date.UTC(2025, 0, 15);

let dir = "";

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      env: { ...process.env, SWITCHBOARD_ACCOUNT_ID: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d) => {
      stderr += d.toString();
    });
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "switchboard-access-report-"));
  const store = await SqlStore.open(new SqliteDriver({ file: join(dir, "switchboard.db"), durability: "normal" }));
  try {
    const profiles: ProfileRecord[] = defaultProfiles(SCOPE, INSTANCE, NOW);
    const profile = (n: string) => (profiles.find((p) => p.name === n) as ProfileRecord).id;
    await store.instances.create(
      SCOPE,
      {
        id: INSTANCE,
        arn: instanceArn(SCOPE, INSTANCE),
        identityManagementType: "CONNECT_MANAGED",
        createdTime: NOW,
        serviceRole: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect_x`,
        status: "ACTIVE",
        inboundCallsEnabled: true,
        outboundCallsEnabled: true,
        accessUrl: "https://e2e.my.connect.aws",
        tags: {},
      },
      profiles,
    );
    const user = async (username: string, tags: Tags, admin: boolean, db: Store = store) => {
      const id = `00000000-0000-4000-8000-${String(username.length).padStart(4, "0")}${username
        .padEnd(8, "0")
        .slice(0, 8)
        .replace(/[^0-9a-f]/g, "a")}`;
      await db.users.create(SCOPE, {
        id,
        arn: userArn(SCOPE, INSTANCE, id),
        instanceId: INSTANCE,
        username,
        identityInfo: { email: `${username}@example.com` },
        phoneConfig: { phoneType: "SOFT_PHONE", autoAccept: false, afterContactWorkTimeLimit: 0 },
        securityProfileIds: [profile(admin ? "Admin" : "Agent")],
        routingProfileId: profile("Basic Routing Profile"),
        tags,
        lastModifiedTime: NOW,
        lastModifiedRegion: SCOPE.region,
      });
    };
    await store.atomically(async (tx) => {
      for (let i = 0; i < 25; i++) await user(`agent${String(i).padStart(2, "0")}`, { role: "agent" }, false, tx);
    });
    await user("boss", { role: "admin" }, true);
    await user("untagged-admin", {}, true);
    const put = async (name: string, doc: unknown) => {
      await store.iam.putPrincipal({ account: ACCOUNT, name, arn: `arn:aws:iam::${ACCOUNT}:user/${name}`, tags: {}, createdTime: NOW });
      await store.iam.putPolicy({ account: ACCOUNT, principalName: name, policyName: "P", document: JSON.stringify(doc) });
    };
    await put("helpdesk", {
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Action: "connect:*", Resource: "*" },
        {
          Effect: "Deny",
          Action: "connect:UpdateUserIdentityInfo",
          Resource: "*",
          Condition: { StringEquals: { "aws:ResourceTag/role": "admin" } },
        },
      ],
    });
    await put("reader", { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "connect:Describe*", Resource: "*" }] });
  } finally {
    await store.close();
  }
});

after(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test("access-report --json: the whole report, exit 0", async () => {
  const r = await run(["access-report", "--data", dir, "--json"]);
  assert.equal(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout) as {
    action: string;
    users: number;
    evaluations: number;
    groups: number;
    notes: string[];
    principals: {
      name: string;
      root: boolean;
      canChangeCount: number;
      canChange: { username: string }[];
      adminTargets: { username: string }[];
      flagged: boolean;
    }[];
  };
  assert.equal(report.action, "connect:UpdateUserIdentityInfo");
  assert.equal(report.users, 27);
  assert.deepEqual(
    report.principals.map((p) => [p.name, p.canChangeCount, p.flagged]),
    [
      ["root", 27, true],
      ["helpdesk", 26, true],
      ["reader", 0, false],
    ],
  );
  const helpdesk = report.principals[1];
  assert.equal(helpdesk?.canChange.length, 26, "--json lists every user");
  assert.deepEqual(
    helpdesk?.adminTargets.map((u) => u.username),
    ["untagged-admin"],
  );
  assert.ok(report.notes.some((n) => /aws:SourceIp.*evaluated as if absent/.test(n)));
  assert.ok(report.evaluations <= 2 * report.groups);
});

test("access-report (human): counts, list capped at 20, a FLAG line per flagged principal", async () => {
  const r = await run(["access-report", "--data", dir, "--instance", INSTANCE, "--region", "us-east-1"]);
  assert.equal(r.code, 0, r.stderr);
  const out = r.stdout;
  assert.match(out, /^helpdesk {2}arn:aws:iam::000000000000:user\/helpdesk$/m);
  assert.match(out, /may connect:UpdateUserIdentityInfo on 26 of 27 users/);
  assert.match(out, /… and 6 more/);
  assert.match(
    out,
    /!!! FLAG: helpdesk can change the email \(identity info\) of 1 user holding the Admin security profile: untagged-admin/,
  );
  assert.match(out, /!!! FLAG: root can change/);
  assert.doesNotMatch(out, /FLAG: reader/);
  assert.match(out, /^FLAGGED \(2\): root, helpdesk$/m);
  assert.match(out, /evaluated as if absent/);
});

test("access-report: a bad --action is a usage error (2); a missing data directory fails (1)", async () => {
  const bad = await run(["access-report", "--data", dir, "--action", "connect:ListUsers"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--action must be a Connect action on a user/);
  const missing = await run(["access-report", "--data", join(dir, "nothing-here")]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /no database at/);
  const help = await run(["access-report", "--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Usage: switchboard access-report/);
});
