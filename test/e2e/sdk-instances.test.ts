// Round trip with the real @aws-sdk/client-connect over HTTP: instances, profiles, auth errors.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  type ConnectClient,
  CreateInstanceCommand,
  DeleteInstanceCommand,
  DescribeInstanceCommand,
  DescribeUserCommand,
  ListInstancesCommand,
  ListRoutingProfilesCommand,
  ListSecurityProfilesCommand,
} from "@aws-sdk/client-connect";
import { rejectsAws as rejects } from "../helpers/assert-aws.js";
import { createInstance, createUser, unique } from "../helpers/fixtures.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

let server: TestServer;
let c: ConnectClient;

before(async () => {
  server = await startTestServer();
  c = server.client();
});
after(() => server.close());

test("CreateInstance → DescribeInstance returns the instance, ACTIVE, with its tags", async () => {
  const alias = unique("desc");
  const out = await c.send(
    new CreateInstanceCommand({
      IdentityManagementType: "CONNECT_MANAGED",
      InstanceAlias: alias,
      InboundCallsEnabled: true,
      OutboundCallsEnabled: false,
      Tags: { env: "test" },
    }),
  );
  assert.match(out.Arn ?? "", new RegExp(`^arn:aws:connect:us-east-1:000000000000:instance/${out.Id}$`));
  for (const id of [out.Id, out.Arn]) {
    const inst = (await c.send(new DescribeInstanceCommand({ InstanceId: id }))).Instance;
    assert.equal(inst?.Id, out.Id);
    assert.equal(inst?.InstanceAlias, alias);
    assert.equal(inst?.IdentityManagementType, "CONNECT_MANAGED");
    assert.equal(inst?.InstanceStatus, "ACTIVE");
    assert.equal(inst?.InboundCallsEnabled, true);
    assert.equal(inst?.OutboundCallsEnabled, false);
    assert.deepEqual(inst?.Tags, { env: "test" });
    assert.ok(inst?.CreatedTime instanceof Date && Math.abs(inst.CreatedTime.getTime() - Date.now()) < 60_000);
    assert.match(inst?.ServiceRole ?? "", /^arn:aws:iam::000000000000:role\//);
  }
});

test("a new instance holds the default security and routing profiles", async () => {
  const inst = await createInstance(c);
  const sp = await c.send(new ListSecurityProfilesCommand({ InstanceId: inst.id }));
  assert.deepEqual(
    sp.SecurityProfileSummaryList?.map((p) => p.Name),
    ["Admin", "Agent", "CallCenterManager", "QualityAnalyst"],
  );
  for (const p of sp.SecurityProfileSummaryList ?? []) {
    assert.ok(p.Arn?.endsWith(`:instance/${inst.id}/security-profile/${p.Id}`), `${JSON.stringify(p)} ${inst.id}`);
  }
  const page1 = await c.send(new ListSecurityProfilesCommand({ InstanceId: inst.id, MaxResults: 3 }));
  assert.equal(page1.SecurityProfileSummaryList?.length, 3);
  const page2 = await c.send(new ListSecurityProfilesCommand({ InstanceId: inst.id, MaxResults: 3, NextToken: page1.NextToken }));
  assert.deepEqual(
    page2.SecurityProfileSummaryList?.map((p) => p.Name),
    ["QualityAnalyst"],
  );
  assert.equal(page2.NextToken, undefined);
  const rp = await c.send(new ListRoutingProfilesCommand({ InstanceId: inst.id }));
  assert.deepEqual(
    rp.RoutingProfileSummaryList?.map((p) => p.Name),
    ["Basic Routing Profile"],
  );
});

test("ListInstances pages through the region's instances", async () => {
  const region = "ap-southeast-2";
  const rc = server.client({ region });
  const made = new Set<string>();
  for (let i = 0; i < 3; i++) made.add((await createInstance(rc)).id);
  const seen = new Set<string>();
  let token: string | undefined;
  do {
    const page = await rc.send(new ListInstancesCommand({ MaxResults: 2, NextToken: token }));
    for (const s of page.InstanceSummaryList ?? []) {
      seen.add(s.Id as string);
      assert.match(s.Arn ?? "", /^arn:aws:connect:ap-southeast-2:000000000000:instance\//);
      assert.equal(s.InstanceStatus, "ACTIVE");
    }
    token = page.NextToken;
  } while (token);
  assert.deepEqual(seen, made);
  await rejects(rc.send(new ListInstancesCommand({ MaxResults: 11 })), "InvalidParameterException", 400);
});

test("CreateInstance rules", async () => {
  const msg = await rejects(
    c.send(new CreateInstanceCommand({ IdentityManagementType: "CONNECT_MANAGED", InboundCallsEnabled: true, OutboundCallsEnabled: true })),
    "InvalidRequestException",
    400,
  );
  assert.match(msg, /instanceAlias/);
  await rejects(
    c.send(
      new CreateInstanceCommand({ IdentityManagementType: "EXISTING_DIRECTORY", InboundCallsEnabled: true, OutboundCallsEnabled: true }),
    ),
    "InvalidRequestException",
    400,
  );
  await rejects(
    c.send(
      new CreateInstanceCommand({
        IdentityManagementType: "OKTA" as "SAML",
        InstanceAlias: unique("x"),
        InboundCallsEnabled: true,
        OutboundCallsEnabled: true,
      }),
    ),
    "InvalidParameterException",
    400,
  );
  await rejects(
    c.send(
      new CreateInstanceCommand({
        IdentityManagementType: "SAML",
        InstanceAlias: "d-bad",
        InboundCallsEnabled: true,
        OutboundCallsEnabled: true,
      }),
    ),
    "InvalidParameterException",
    400,
  );
  const alias = unique("dup");
  await createInstance(c, "CONNECT_MANAGED", { InstanceAlias: alias });
  await rejects(createInstance(c, "CONNECT_MANAGED", { InstanceAlias: alias }), "InvalidRequestException", 400);
});

test("instances per region quota → ServiceQuotaExceededException (402)", async () => {
  const small = await startTestServer(["--max-instances", "2"]);
  try {
    const sc = small.client();
    await createInstance(sc);
    await createInstance(sc);
    await rejects(createInstance(sc), "ServiceQuotaExceededException", 402);
    // The quota is per region.
    await createInstance(small.client({ region: "eu-central-1" }));
  } finally {
    await small.close();
  }
});

test("DeleteInstance removes the instance and everything in it", async () => {
  const inst = await createInstance(c);
  const u = await createUser(c, inst);
  await c.send(new DeleteInstanceCommand({ InstanceId: inst.arn }));
  await rejects(c.send(new DescribeInstanceCommand({ InstanceId: inst.id })), "ResourceNotFoundException", 404);
  await rejects(c.send(new DescribeUserCommand({ InstanceId: inst.id, UserId: u.id })), "ResourceNotFoundException", 404);
  await rejects(c.send(new ListSecurityProfilesCommand({ InstanceId: inst.id })), "ResourceNotFoundException", 404);
  await rejects(c.send(new DeleteInstanceCommand({ InstanceId: inst.id })), "ResourceNotFoundException", 404);
});

test("an instance ARN from another region or account never resolves", async () => {
  const inst = await createInstance(c);
  await rejects(
    c.send(new DescribeInstanceCommand({ InstanceId: inst.arn.replace("us-east-1", "us-west-2") })),
    "ResourceNotFoundException",
    404,
  );
  await rejects(
    c.send(new DescribeInstanceCommand({ InstanceId: inst.arn.replace("000000000000", "111111111111") })),
    "ResourceNotFoundException",
    404,
  );
});

test("authentication errors as the SDK reports them", async () => {
  const inst = await createInstance(c);
  const wrongSecret = server.client({ secretAccessKey: "not-the-secret" });
  const msg = await rejects(wrongSecret.send(new DescribeInstanceCommand({ InstanceId: inst.id })), "InvalidSignatureException", 403);
  assert.match(msg, /^The request signature we calculated does not match the signature you provided/);
  assert.ok(!msg.includes("not-the-secret"));
  const unknownKey = server.client({ accessKeyId: "AKIAUNKNOWN" });
  await rejects(unknownKey.send(new DescribeInstanceCommand({ InstanceId: inst.id })), "UnrecognizedClientException", 403);
});

test("--auth off accepts any signature; the access key still names the caller", async () => {
  const open = await startTestServer(["--auth", "off"]);
  try {
    const anyone = open.client({ accessKeyId: "AKIAANYONE", secretAccessKey: "whatever" });
    const inst = await createInstance(anyone);
    const described = await anyone.send(new DescribeInstanceCommand({ InstanceId: inst.id }));
    assert.equal(described.Instance?.Id, inst.id);
  } finally {
    await open.close();
  }
});

test("--throttle RATE:BURST answers ThrottlingException (429) past the burst, per account and region", async () => {
  const limited = await startTestServer(["--throttle", "1:3"]);
  try {
    const lc = limited.client();
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => lc.send(new ListInstancesCommand({}))));
    assert.equal(results.filter((r) => r.status === "fulfilled").length, 3);
    for (const r of results.filter((r) => r.status === "rejected")) {
      const e = (r as PromiseRejectedResult).reason as { name: string; $metadata: { httpStatusCode: number } };
      assert.deepEqual([e.name, e.$metadata.httpStatusCode], ["ThrottlingException", 429]);
    }
    // Another region has its own bucket.
    await limited.client({ region: "eu-west-1" }).send(new ListInstancesCommand({}));
    // The bucket refills at the configured rate.
    await new Promise((r) => setTimeout(r, 1100));
    await lc.send(new ListInstancesCommand({}));
  } finally {
    await limited.close();
  }
});
