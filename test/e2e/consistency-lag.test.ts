// --consistency-lag MS with the real SDK v3: right after CreateUser, DescribeUser answers
// ResourceNotFoundException and ListUsers leaves the user out (Connect's documented eventual
// consistency: https://docs.aws.amazon.com/connect/latest/APIReference/eventual-consistency.html);
// after the lag both see it; a change hides it again; writes are never refused; off by default.
// The server's clock is moved on instead of sleeping, so the test does not depend on its speed.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  ConnectClient,
  CreateInstanceCommand,
  DescribeInstanceCommand,
  DescribeUserCommand,
  ListInstancesCommand,
  ListRoutingProfilesCommand,
  ListSecurityProfilesCommand,
  ListUsersCommand,
  UpdateUserIdentityInfoCommand,
} from "@aws-sdk/client-connect";
import { type RunningServer, startServer } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { rejectsAws } from "../helpers/assert-aws.js";
import { createInstance, createUser, type InstanceFixture, unique } from "../helpers/fixtures.js";
import { startTestServer } from "../helpers/server.js";

const LAG = 30_000;
/** The server's clock runs ahead by `skew` ms: waiting out the lag is `skew += LAG + 1` (SigV4 allows 5 minutes). */
let skew = 0;
const waitOutLag = () => {
  skew += LAG + 1;
};
let server: RunningServer & { client(): ConnectClient };

before(async () => {
  const config = loadConfig(["--memory", "--port", "0", "--log-level", "off", "--consistency-lag", String(LAG)], {});
  const running = await startServer(config, { clock: { now: () => Date.now() + skew } });
  server = {
    ...running,
    client: () =>
      new ConnectClient({
        endpoint: running.url,
        region: "us-east-1",
        credentials: { accessKeyId: "test", secretAccessKey: "test" },
        maxAttempts: 1,
        // The client signs with the server's (skewed) time.
        systemClockOffset: skew,
      }),
  };
});
after(() => server?.close());

const listed = async (inst: InstanceFixture, userId: string) =>
  ((await server.client().send(new ListUsersCommand({ InstanceId: inst.id }))).UserSummaryList ?? []).some((u) => u.Id === userId);

test("a new instance, then a new user: missing for the lag, visible after it", async () => {
  const made = await server.client().send(
    new CreateInstanceCommand({
      IdentityManagementType: "CONNECT_MANAGED",
      InstanceAlias: unique("lag"),
      InboundCallsEnabled: true,
      OutboundCallsEnabled: true,
    }),
  );
  const instanceId = made.Id as string;
  await rejectsAws(server.client().send(new DescribeInstanceCommand({ InstanceId: instanceId })), "ResourceNotFoundException", 404);
  // A List* made on the instance misses it too; ListInstances leaves it out.
  await rejectsAws(server.client().send(new ListSecurityProfilesCommand({ InstanceId: instanceId })), "ResourceNotFoundException", 404);
  const instances = (await server.client().send(new ListInstancesCommand({}))).InstanceSummaryList ?? [];
  assert.ok(!instances.some((i) => i.Id === instanceId));
  waitOutLag();
  assert.equal((await server.client().send(new DescribeInstanceCommand({ InstanceId: instanceId }))).Instance?.Id, instanceId);
  const profiles =
    (await server.client().send(new ListSecurityProfilesCommand({ InstanceId: instanceId }))).SecurityProfileSummaryList ?? [];
  const routing = (await server.client().send(new ListRoutingProfilesCommand({ InstanceId: instanceId }))).RoutingProfileSummaryList ?? [];
  const ready: InstanceFixture = {
    id: instanceId,
    arn: made.Arn as string,
    agentProfileId: profiles.find((p) => p.Name === "Agent")?.Id as string,
    adminProfileId: profiles.find((p) => p.Name === "Admin")?.Id as string,
    routingProfileId: routing[0]?.Id as string,
  };

  const user = await createUser(server.client(), ready);
  const message = await rejectsAws(
    server.client().send(new DescribeUserCommand({ InstanceId: ready.id, UserId: user.id })),
    "ResourceNotFoundException",
    404,
  );
  assert.match(message, /--consistency-lag/);
  assert.equal(await listed(ready, user.id), false, "absent from ListUsers within the lag");
  // Writes are never refused: the update succeeds at once.
  await server
    .client()
    .send(
      new UpdateUserIdentityInfoCommand({ InstanceId: ready.id, UserId: user.id, IdentityInfo: { FirstName: "Lagged", LastName: "Doe" } }),
    );
  waitOutLag();
  const described = await server.client().send(new DescribeUserCommand({ InstanceId: ready.id, UserId: user.id }));
  assert.equal(described.User?.IdentityInfo?.FirstName, "Lagged");
  assert.equal(await listed(ready, user.id), true);

  // A change hides it again for the lag (Switchboard keeps no old version to show).
  await server
    .client()
    .send(
      new UpdateUserIdentityInfoCommand({ InstanceId: ready.id, UserId: user.id, IdentityInfo: { FirstName: "Again", LastName: "Doe" } }),
    );
  await rejectsAws(
    server.client().send(new DescribeUserCommand({ InstanceId: ready.id, UserId: user.id })),
    "ResourceNotFoundException",
    404,
  );
  assert.equal(await listed(ready, user.id), false);
  waitOutLag();
  assert.equal(
    (await server.client().send(new DescribeUserCommand({ InstanceId: ready.id, UserId: user.id }))).User?.IdentityInfo?.FirstName,
    "Again",
  );
});

test("without --consistency-lag a Describe right after Create sees the resource", async () => {
  const s = await startTestServer();
  try {
    const inst = await createInstance(s.client());
    const user = await createUser(s.client(), inst);
    assert.equal((await s.client().send(new DescribeUserCommand({ InstanceId: inst.id, UserId: user.id }))).User?.Id, user.id);
  } finally {
    await s.close();
  }
});
