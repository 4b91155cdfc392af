// Round trips with the real @aws-sdk/client-connect over HTTP for the user updates:
// UpdateUserPhoneConfig, UpdateUserRoutingProfile, UpdateUserSecurityProfiles, UpdateUserHierarchy
// and CreateUser's HierarchyGroupId — each success read back through DescribeUser, every error
// they answer (InvalidParameterException, ResourceNotFoundException, ResourceInUseException on
// the deletes of what a user holds, AccessDeniedException for a resource IAM does not allow),
// ARNs in every Id position (the SDK percent-encodes them in the path).
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  type ConnectClient,
  CreateRoutingProfileCommand,
  CreateSecurityProfileCommand,
  CreateUserHierarchyGroupCommand,
  DeleteInstanceCommand,
  DeleteRoutingProfileCommand,
  DeleteSecurityProfileCommand,
  DeleteUserHierarchyGroupCommand,
  DescribeUserCommand,
  ListQueuesCommand,
  UpdateUserHierarchyCommand,
  UpdateUserHierarchyStructureCommand,
  UpdateUserPhoneConfigCommand,
  UpdateUserRoutingProfileCommand,
  UpdateUserSecurityProfilesCommand,
} from "@aws-sdk/client-connect";
import { rejectsAws } from "../helpers/assert-aws.js";
import { createInstance, createUser, type InstanceFixture } from "../helpers/fixtures.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

let server: TestServer;
let c: ConnectClient;

before(async () => {
  server = await startTestServer();
  c = server.client();
});
after(() => server.close());

const MISSING = "00000000-0000-4000-8000-000000000000";
const otherRegion = (arn: string) => arn.replace(":us-east-1:", ":eu-west-2:");
const otherAccount = (arn: string) => arn.replace(":000000000000:", ":111122223333:");

const describeUser = async (client: ConnectClient, inst: InstanceFixture, userId: string) => {
  const u = (await client.send(new DescribeUserCommand({ InstanceId: inst.id, UserId: userId }))).User;
  assert.ok(u);
  return u;
};

async function routingProfile(client: ConnectClient, inst: InstanceFixture, name: string) {
  const queues = await client.send(new ListQueuesCommand({ InstanceId: inst.id, QueueTypes: ["STANDARD"] }));
  const out = await client.send(
    new CreateRoutingProfileCommand({
      InstanceId: inst.id,
      Name: name,
      Description: name,
      DefaultOutboundQueueId: queues.QueueSummaryList?.[0]?.Id,
      MediaConcurrencies: [{ Channel: "VOICE", Concurrency: 1 }],
    }),
  );
  return { id: out.RoutingProfileId as string, arn: out.RoutingProfileArn as string };
}

async function securityProfile(client: ConnectClient, inst: InstanceFixture, name: string) {
  const out = await client.send(new CreateSecurityProfileCommand({ InstanceId: inst.id, SecurityProfileName: name }));
  return { id: out.SecurityProfileId as string, arn: out.SecurityProfileArn as string };
}

async function group(client: ConnectClient, inst: InstanceFixture, name: string, parent?: string) {
  if (parent === undefined) {
    await client.send(
      new UpdateUserHierarchyStructureCommand({
        InstanceId: inst.id,
        HierarchyStructure: { LevelOne: { Name: "Site" }, LevelTwo: { Name: "Team" } },
      }),
    );
  }
  const out = await client.send(new CreateUserHierarchyGroupCommand({ InstanceId: inst.id, Name: name, ParentGroupId: parent }));
  return { id: out.HierarchyGroupId as string, arn: out.HierarchyGroupArn as string };
}

describe("UpdateUserPhoneConfig through the SDK", () => {
  test("replaces the config whole; by ARN too", async () => {
    const inst = await createInstance(c);
    const u = await createUser(c, inst, { PhoneConfig: { PhoneType: "SOFT_PHONE", AutoAccept: true, AfterContactWorkTimeLimit: 30 } });
    const desk = {
      PhoneType: "DESK_PHONE",
      DeskPhoneNumber: "+442071838750",
      AutoAccept: false,
      AfterContactWorkTimeLimit: 2_000_000,
    } as const;
    await c.send(new UpdateUserPhoneConfigCommand({ InstanceId: inst.arn, UserId: u.arn, PhoneConfig: desk }));
    assert.deepEqual((await describeUser(c, inst, u.id)).PhoneConfig, desk);
    await c.send(new UpdateUserPhoneConfigCommand({ InstanceId: inst.id, UserId: u.id, PhoneConfig: { PhoneType: "SOFT_PHONE" } }));
    assert.deepEqual((await describeUser(c, inst, u.id)).PhoneConfig, {
      PhoneType: "SOFT_PHONE",
      AutoAccept: false,
      AfterContactWorkTimeLimit: 0,
    });
  });

  test("InvalidParameterException: DESK_PHONE without number, not E.164, ACW over 2,000,000; nothing changes", async () => {
    const inst = await createInstance(c);
    const u = await createUser(c, inst);
    const before = (await describeUser(c, inst, u.id)).PhoneConfig;
    const bad = [
      { PhoneType: "DESK_PHONE" as const },
      { PhoneType: "DESK_PHONE" as const, DeskPhoneNumber: "020 7183 8750" },
      { PhoneType: "SOFT_PHONE" as const, AfterContactWorkTimeLimit: 2_000_001 },
    ];
    for (const PhoneConfig of bad) {
      await rejectsAws(
        c.send(new UpdateUserPhoneConfigCommand({ InstanceId: inst.id, UserId: u.id, PhoneConfig })),
        "InvalidParameterException",
        400,
      );
    }
    assert.deepEqual((await describeUser(c, inst, u.id)).PhoneConfig, before);
  });

  test("ResourceNotFoundException: unknown user, a user ARN of another region or account, unknown instance", async () => {
    const inst = await createInstance(c);
    const u = await createUser(c, inst);
    const PhoneConfig = { PhoneType: "SOFT_PHONE" as const };
    for (const [InstanceId, UserId] of [
      [inst.id, MISSING],
      [inst.id, otherRegion(u.arn)],
      [inst.id, otherAccount(u.arn)],
      [MISSING, u.id],
    ] as const) {
      await rejectsAws(c.send(new UpdateUserPhoneConfigCommand({ InstanceId, UserId, PhoneConfig })), "ResourceNotFoundException", 404);
    }
  });
});

describe("UpdateUserRoutingProfile through the SDK", () => {
  test("assigns by id or ARN; the held profile cannot be deleted (ResourceInUseException) until the user moves", async () => {
    const inst = await createInstance(c);
    const u = await createUser(c, inst);
    const sales = await routingProfile(c, inst, "Sales");
    await c.send(new UpdateUserRoutingProfileCommand({ InstanceId: inst.arn, UserId: u.arn, RoutingProfileId: sales.arn }));
    assert.equal((await describeUser(c, inst, u.id)).RoutingProfileId, sales.id);
    await rejectsAws(
      c.send(new DeleteRoutingProfileCommand({ InstanceId: inst.id, RoutingProfileId: sales.id })),
      "ResourceInUseException",
      409,
    );
    await c.send(new UpdateUserRoutingProfileCommand({ InstanceId: inst.id, UserId: u.id, RoutingProfileId: inst.routingProfileId }));
    await c.send(new DeleteRoutingProfileCommand({ InstanceId: inst.id, RoutingProfileId: sales.id }));
  });

  test("ResourceNotFoundException: unknown profile, one of another instance, region or account, unknown user", async () => {
    const inst = await createInstance(c);
    const other = await createInstance(c);
    const u = await createUser(c, inst);
    const foreign = await routingProfile(c, other, "Elsewhere");
    for (const RoutingProfileId of [MISSING, foreign.id, foreign.arn, otherRegion(foreign.arn), otherAccount(foreign.arn)]) {
      const msg = await rejectsAws(
        c.send(new UpdateUserRoutingProfileCommand({ InstanceId: inst.id, UserId: u.id, RoutingProfileId })),
        "ResourceNotFoundException",
        404,
      );
      assert.match(msg, /Routing profile not found/);
    }
    await rejectsAws(
      c.send(new UpdateUserRoutingProfileCommand({ InstanceId: inst.id, UserId: MISSING, RoutingProfileId: inst.routingProfileId })),
      "ResourceNotFoundException",
      404,
    );
    assert.equal((await describeUser(c, inst, u.id)).RoutingProfileId, inst.routingProfileId);
  });
});

describe("UpdateUserSecurityProfiles through the SDK", () => {
  test("replaces the whole set (ids and ARNs); a held profile cannot be deleted until it leaves the set", async () => {
    const inst = await createInstance(c);
    const u = await createUser(c, inst);
    const leads = await securityProfile(c, inst, "Leads");
    await c.send(
      new UpdateUserSecurityProfilesCommand({ InstanceId: inst.arn, UserId: u.arn, SecurityProfileIds: [leads.arn, inst.adminProfileId] }),
    );
    assert.deepEqual((await describeUser(c, inst, u.id)).SecurityProfileIds, [leads.id, inst.adminProfileId]);
    const msg = await rejectsAws(
      c.send(new DeleteSecurityProfileCommand({ InstanceId: inst.id, SecurityProfileId: leads.id })),
      "ResourceInUseException",
      409,
    );
    assert.match(msg, /assigned to 1 user/);
    await c.send(new UpdateUserSecurityProfilesCommand({ InstanceId: inst.id, UserId: u.id, SecurityProfileIds: [inst.agentProfileId] }));
    assert.deepEqual((await describeUser(c, inst, u.id)).SecurityProfileIds, [inst.agentProfileId]);
    await c.send(new DeleteSecurityProfileCommand({ InstanceId: inst.id, SecurityProfileId: leads.id }));
  });

  test("InvalidParameterException for none or eleven; ResourceNotFoundException when one is unknown or foreign", async () => {
    const inst = await createInstance(c);
    const other = await createInstance(c);
    const u = await createUser(c, inst);
    const send = (SecurityProfileIds: string[]) =>
      c.send(new UpdateUserSecurityProfilesCommand({ InstanceId: inst.id, UserId: u.id, SecurityProfileIds }));
    await rejectsAws(send([]), "InvalidParameterException", 400);
    await rejectsAws(send(Array.from({ length: 11 }, () => inst.agentProfileId)), "InvalidParameterException", 400);
    for (const bad of [MISSING, other.adminProfileId, otherRegion(`${inst.arn}/security-profile/${inst.adminProfileId}`)]) {
      const msg = await rejectsAws(send([inst.agentProfileId, bad]), "ResourceNotFoundException", 404);
      assert.match(msg, /Security profile not found/);
    }
    await rejectsAws(
      c.send(new UpdateUserSecurityProfilesCommand({ InstanceId: inst.id, UserId: MISSING, SecurityProfileIds: [inst.agentProfileId] })),
      "ResourceNotFoundException",
      404,
    );
    assert.deepEqual((await describeUser(c, inst, u.id)).SecurityProfileIds, [inst.agentProfileId]);
  });
});

describe("concurrent assignment and delete", () => {
  test("UpdateUserSecurityProfiles racing DeleteSecurityProfile: either the user holds it and the delete is refused, or it is gone and the update refused", async () => {
    const inst = await createInstance(c);
    const pairs = await Promise.all(
      Array.from({ length: 8 }, async (_, i) => ({
        user: await createUser(c, inst),
        profile: await securityProfile(c, inst, `Race ${i}`),
      })),
    );
    const outcome = (p: Promise<unknown>) =>
      p.then(
        () => "ok",
        (e: { name: string }) => e.name,
      );
    const results = await Promise.all(
      pairs.map(({ user, profile }) =>
        Promise.all([
          outcome(
            c.send(new UpdateUserSecurityProfilesCommand({ InstanceId: inst.id, UserId: user.id, SecurityProfileIds: [profile.id] })),
          ),
          outcome(c.send(new DeleteSecurityProfileCommand({ InstanceId: inst.id, SecurityProfileId: profile.id }))),
        ]),
      ),
    );
    for (const [i, [update, remove]] of results.entries()) {
      const pair = pairs[i];
      assert.ok(pair);
      const held = (await describeUser(c, inst, pair.user.id)).SecurityProfileIds ?? [];
      if (update === "ok") {
        assert.equal(remove, "ResourceInUseException", `pair ${i}: the delete must see the assignment`);
        assert.deepEqual(held, [pair.profile.id]);
      } else {
        assert.deepEqual([update, remove], ["ResourceNotFoundException", "ok"], `pair ${i}`);
        assert.deepEqual(held, [inst.agentProfileId]);
      }
    }
  });
});

describe("assignments racing DeleteInstance", () => {
  test("creates and updates that assign references, while the instance is deleted: each succeeds or finds nothing — never a 5xx", async () => {
    for (let round = 0; round < 3; round++) {
      const inst = await createInstance(c);
      const users = await Promise.all(Array.from({ length: 4 }, () => createUser(c, inst)));
      const leads = await securityProfile(c, inst, "Leads");
      const outcome = (p: Promise<unknown>) =>
        p.then(
          () => "ok",
          (e: { name: string; $metadata?: { httpStatusCode?: number } }) => `${e.name} ${e.$metadata?.httpStatusCode}`,
        );
      const results = await Promise.all([
        ...users.map((u) =>
          outcome(
            c.send(
              new UpdateUserSecurityProfilesCommand({
                InstanceId: inst.id,
                UserId: u.id,
                SecurityProfileIds: [leads.id, inst.adminProfileId],
              }),
            ),
          ),
        ),
        ...users.map((u) =>
          outcome(
            c.send(new UpdateUserRoutingProfileCommand({ InstanceId: inst.id, UserId: u.id, RoutingProfileId: inst.routingProfileId })),
          ),
        ),
        outcome(createUser(c, inst, { SecurityProfileIds: [leads.id] })),
        outcome(c.send(new DeleteInstanceCommand({ InstanceId: inst.id }))),
        outcome(createUser(c, inst, { SecurityProfileIds: [leads.id, inst.agentProfileId] })),
      ]);
      for (const r of results) assert.ok(r === "ok" || r === "ResourceNotFoundException 404", r);
      assert.equal(results.at(-2), "ok", "the delete itself succeeds");
    }
  });
});

describe("UpdateUserHierarchy and CreateUser's HierarchyGroupId through the SDK", () => {
  test("assign by ARN, omit to detach; the group with a user cannot be deleted until it leaves", async () => {
    const inst = await createInstance(c);
    const site = await group(c, inst, "London");
    const team = await group(c, inst, "Nights", site.id);
    const u = await createUser(c, inst, { HierarchyGroupId: site.arn });
    assert.equal((await describeUser(c, inst, u.id)).HierarchyGroupId, site.id);
    await c.send(new UpdateUserHierarchyCommand({ InstanceId: inst.arn, UserId: u.arn, HierarchyGroupId: team.arn }));
    assert.equal((await describeUser(c, inst, u.id)).HierarchyGroupId, team.id);
    await rejectsAws(
      c.send(new DeleteUserHierarchyGroupCommand({ InstanceId: inst.id, HierarchyGroupId: team.id })),
      "ResourceInUseException",
      409,
    );
    await c.send(new UpdateUserHierarchyCommand({ InstanceId: inst.id, UserId: u.id }));
    assert.equal((await describeUser(c, inst, u.id)).HierarchyGroupId, undefined);
    await c.send(new DeleteUserHierarchyGroupCommand({ InstanceId: inst.id, HierarchyGroupId: team.id }));
  });

  test("ResourceNotFoundException: unknown or foreign group (update and create), unknown user", async () => {
    const inst = await createInstance(c);
    const other = await createInstance(c);
    const foreign = await group(c, other, "Elsewhere");
    const u = await createUser(c, inst);
    for (const HierarchyGroupId of [MISSING, foreign.id, foreign.arn, otherAccount(foreign.arn)]) {
      await rejectsAws(
        c.send(new UpdateUserHierarchyCommand({ InstanceId: inst.id, UserId: u.id, HierarchyGroupId })),
        "ResourceNotFoundException",
        404,
      );
      await rejectsAws(createUser(c, inst, { HierarchyGroupId }), "ResourceNotFoundException", 404);
    }
    await rejectsAws(c.send(new UpdateUserHierarchyCommand({ InstanceId: inst.id, UserId: MISSING })), "ResourceNotFoundException", 404);
  });
});

// IAM: each resource a user update assigns must be allowed, besides the user. The root builds the
// instance on a --data directory; the server restarts with an --iam file naming it.
describe("IAM: the user and each profile or group assigned", () => {
  const KEY = { accessKeyId: "AKIAHELPDESK00000001", secretAccessKey: "helpdesk-secret-0123456789abcdefghijklmn" };
  let dir: string;
  let iamServer: TestServer;
  let inst: InstanceFixture;
  let userId: string;
  let sales: { id: string; arn: string };
  let site: { id: string; arn: string };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "sb-user-updates-iam-"));
    const data = join(dir, "data");
    const setup = await startTestServer(["--data", data]);
    try {
      const root = setup.client();
      inst = await createInstance(root);
      userId = (await createUser(root, inst)).id;
      sales = await routingProfile(root, inst, "Sales");
      site = await group(root, inst, "London");
    } finally {
      await setup.close();
    }
    const everythingBut = (blocked: string[]) => ({ Effect: "Deny", Action: "connect:*", Resource: blocked });
    const file = join(dir, "iam.json");
    const policy = {
      Version: "2012-10-17",
      Statement: [
        { Effect: "Allow", Action: "connect:*", Resource: [inst.arn, `${inst.arn}/*`] },
        // Helpdesk may not hand out Admin, the Sales routing profile or the London group.
        everythingBut([`${inst.arn}/security-profile/${inst.adminProfileId}`, sales.arn, site.arn]),
      ],
    };
    await writeFile(file, JSON.stringify({ principals: [{ name: "helpdesk", accessKeys: [KEY], policies: { Helpdesk: policy } }] }));
    iamServer = await startTestServer(["--data", data, "--iam", file]);
  });
  after(async () => {
    await iamServer?.close();
    await rm(dir, { recursive: true, force: true });
  });

  test("denied on Admin, allowed on Agent; denied on the routing profile and group it may not assign", async () => {
    const h = iamServer.client(KEY);
    const msg = await rejectsAws(
      h.send(
        new UpdateUserSecurityProfilesCommand({
          InstanceId: inst.id,
          UserId: userId,
          SecurityProfileIds: [inst.agentProfileId, inst.adminProfileId],
        }),
      ),
      "AccessDeniedException",
      403,
    );
    assert.match(msg, new RegExp(`connect:UpdateUserSecurityProfiles on resource: ${inst.arn}/security-profile/${inst.adminProfileId}`));
    await h.send(new UpdateUserSecurityProfilesCommand({ InstanceId: inst.id, UserId: userId, SecurityProfileIds: [inst.agentProfileId] }));
    await rejectsAws(
      h.send(new UpdateUserRoutingProfileCommand({ InstanceId: inst.id, UserId: userId, RoutingProfileId: sales.id })),
      "AccessDeniedException",
      403,
    );
    await rejectsAws(
      h.send(new UpdateUserHierarchyCommand({ InstanceId: inst.id, UserId: userId, HierarchyGroupId: site.arn })),
      "AccessDeniedException",
      403,
    );
    // Detaching names no group: only the user is asked about.
    await h.send(new UpdateUserHierarchyCommand({ InstanceId: inst.id, UserId: userId }));
    const u = await describeUser(iamServer.client(), inst, userId);
    assert.deepEqual(u.SecurityProfileIds, [inst.agentProfileId]);
    assert.equal(u.RoutingProfileId, inst.routingProfileId);
  });
});
