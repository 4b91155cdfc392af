// The access report's two-step finding is real: a help-desk principal whose ABAC Deny keeps it off
// the email of users tagged role=admin may remove that tag itself (connect:UntagResource), and then
// change the email. The report (the CLI over the server's data directory) names the admin holder
// and the tag operation; the same two calls through the SDK succeed. A principal whose tag
// operations are guarded with aws:TagKeys (AWS's guidance,
// https://docs.aws.amazon.com/IAM/latest/UserGuide/access_tags.html#access_tags_control-tag-keys)
// gets no such finding, and its UntagResource is denied.
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { CreateUserCommand, DescribeUserCommand, UntagResourceCommand, UpdateUserIdentityInfoCommand } from "@aws-sdk/client-connect";
import { rejectsAws } from "../helpers/assert-aws.js";
import { createInstance, type InstanceFixture } from "../helpers/fixtures.js";
import { runCli } from "../helpers/process.js";
import { startTestServer } from "../helpers/server.js";

const KEYS = {
  helpdesk: { accessKeyId: "AKIAHELPDESK00000001", secretAccessKey: "helpdesk-secret-0123456789abcdefghijklmn" },
  guarded: { accessKeyId: "AKIAGUARDED000000001", secretAccessKey: "guarded-secret-0123456789abcdefghijklmno" },
};

const NO_ADMIN_EMAILS = {
  Sid: "NoAdminEmails",
  Effect: "Deny",
  Action: "connect:UpdateUserIdentityInfo",
  Resource: "*",
  Condition: { StringEquals: { "aws:ResourceTag/role": "admin" } },
};
const ALL_CONNECT = { Sid: "AllConnect", Effect: "Allow", Action: "connect:*", Resource: "*" };
/** The guard README's Security section shows: nobody but an administrator edits the `role` tag. */
const GUARD_ROLE_TAG = {
  Sid: "GuardRoleTag",
  Effect: "Deny",
  Action: ["connect:TagResource", "connect:UntagResource"],
  Resource: "*",
  Condition: { "ForAnyValue:StringEquals": { "aws:TagKeys": ["role"] } },
};

let dir: string;
let data: string;
let inst: InstanceFixture;
let boss: { id: string; arn: string };

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "sb-report-two-steps-"));
  data = join(dir, "data");
  const setup = await startTestServer(["--data", data]);
  try {
    const c = setup.client();
    inst = await createInstance(c);
    const user = async (username: string, profile: string, tags: Record<string, string>) => {
      const out = await c.send(
        new CreateUserCommand({
          InstanceId: inst.id,
          Username: username,
          Password: "Passw0rd!Passw0rd",
          IdentityInfo: { FirstName: username, LastName: "Example", Email: `${username}@example.com` },
          PhoneConfig: { PhoneType: "SOFT_PHONE" },
          SecurityProfileIds: [profile],
          RoutingProfileId: inst.routingProfileId,
          Tags: tags,
        }),
      );
      return { id: out.UserId as string, arn: out.UserArn as string };
    };
    boss = await user("boss", inst.adminProfileId, { role: "admin" });
    await user("agent", inst.agentProfileId, { role: "agent" });
  } finally {
    await setup.close();
  }
  const iam = {
    principals: [
      {
        name: "helpdesk",
        accessKeys: [KEYS.helpdesk],
        policies: { HelpDesk: { Version: "2012-10-17", Statement: [ALL_CONNECT, NO_ADMIN_EMAILS] } },
      },
      {
        name: "guarded",
        accessKeys: [KEYS.guarded],
        policies: { HelpDesk: { Version: "2012-10-17", Statement: [ALL_CONNECT, NO_ADMIN_EMAILS, GUARD_ROLE_TAG] } },
      },
    ],
  };
  const file = join(dir, "iam.json");
  await writeFile(file, JSON.stringify(iam));
  // Loads the principals into the data directory the report reads.
  const loaded = await startTestServer(["--data", data, "--iam", file]);
  await loaded.close();
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Entry {
  name: string;
  canChangeCount: number;
  flagged: boolean;
  viaTagsCount?: number;
  viaTags?: { user: { username: string }; operation: string; key: string; value?: string }[];
  adminViaTagsCount?: number;
  flaggedViaTags?: boolean;
}

test("the report finds the two-step path through UntagResource, and only where tags are unguarded", async () => {
  const r = await runCli(["access-report", "--data", data, "--json"], { SWITCHBOARD_ACCOUNT_ID: "" });
  assert.equal(r.code, 0, r.output);
  const report = JSON.parse(r.output) as { principals: Entry[]; notes: string[]; escalationEvaluations: number };
  const helpdesk = report.principals.find((p) => p.name === "helpdesk") as Entry;
  const guarded = report.principals.find((p) => p.name === "guarded") as Entry;
  assert.equal(helpdesk.canChangeCount, 1, "directly: only the agent");
  assert.equal(helpdesk.flagged, false);
  assert.equal(helpdesk.viaTagsCount, 1);
  assert.deepEqual(
    helpdesk.viaTags?.map((t) => [t.user.username, t.operation, t.key]),
    [["boss", "connect:UntagResource", "role"]],
  );
  assert.equal(helpdesk.adminViaTagsCount, 1);
  assert.equal(helpdesk.flaggedViaTags, true);
  assert.equal(guarded.canChangeCount, 1);
  assert.equal(guarded.viaTagsCount, 0, "aws:TagKeys guard closes the path");
  assert.equal(guarded.flaggedViaTags, false);
  assert.ok(report.escalationEvaluations > 0);
  assert.ok(report.notes.some((n) => n.startsWith("two steps:")));

  const human = await runCli(["access-report", "--data", data], { SWITCHBOARD_ACCOUNT_ID: "" });
  assert.equal(human.code, 0, human.output);
  assert.match(human.output, /boss {2}\(instance [^)]+\) {2}after connect:UntagResource of 'role'/);
  assert.match(human.output, /!!! FLAG \(two steps\): helpdesk can change the email \(identity info\) of 1 user holding Admin/);
  assert.match(human.output, /^FLAGGED IN TWO STEPS \(1\): helpdesk$/m);
  assert.doesNotMatch(human.output, /FLAG \(two steps\): guarded/);
});

test("what the report says holds on the wire: guarded is refused the tag edit; helpdesk removes the tag, then changes the email", async () => {
  const server = await startTestServer(["--data", data]);
  try {
    const helpdesk = server.client(KEYS.helpdesk);
    const guarded = server.client(KEYS.guarded);
    const change = (c: typeof helpdesk, email: string) =>
      c.send(
        new UpdateUserIdentityInfoCommand({
          InstanceId: inst.id,
          UserId: boss.id,
          IdentityInfo: { FirstName: "boss", LastName: "Example", Email: email },
        }),
      );
    await rejectsAws(change(helpdesk, "taken@example.com"), "AccessDeniedException", 403);
    await rejectsAws(guarded.send(new UntagResourceCommand({ resourceArn: boss.arn, tagKeys: ["role"] })), "AccessDeniedException", 403);
    await helpdesk.send(new UntagResourceCommand({ resourceArn: boss.arn, tagKeys: ["role"] }));
    await change(helpdesk, "taken@example.com");
    const after = await server.client().send(new DescribeUserCommand({ InstanceId: inst.id, UserId: boss.id }));
    assert.equal(after.User?.IdentityInfo?.Email, "taken@example.com");
  } finally {
    await server.close();
  }
});
