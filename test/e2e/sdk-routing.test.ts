// Round trips with the real @aws-sdk/client-connect over HTTP: routing profiles and queues —
// every operation and every error they answer, and the calls Terraform's aws_connect_routing_profile
// resource and the aws_connect_routing_profile / aws_connect_queue data sources make.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  AssociateRoutingProfileQueuesCommand,
  type Channel,
  type ConnectClient,
  CreateRoutingProfileCommand,
  type CreateRoutingProfileCommandInput,
  DeleteRoutingProfileCommand,
  DeleteUserCommand,
  DescribeQueueCommand,
  DescribeRoutingProfileCommand,
  DisassociateRoutingProfileQueuesCommand,
  paginateListQueues,
  paginateListRoutingProfileQueues,
  paginateListRoutingProfiles,
  type RoutingProfileQueueConfigSummary,
  UpdateRoutingProfileConcurrencyCommand,
  UpdateRoutingProfileDefaultOutboundQueueCommand,
  UpdateRoutingProfileNameCommand,
} from "@aws-sdk/client-connect";
import { rejectsAws } from "../helpers/assert-aws.js";
import { createInstance, createUser, type InstanceFixture, unique } from "../helpers/fixtures.js";
import { startTestServer, type TestServer } from "../helpers/server.js";
import { queueRecord } from "../store-contract/fixtures.js";

let server: TestServer;
let c: ConnectClient;

before(async () => {
  server = await startTestServer(["--max-routing-profiles-per-instance", "3"]);
  c = server.client();
});
after(() => server.close());

const NOBODY = "00000000-0000-4000-8000-000000000000";

interface Instance extends InstanceFixture {
  basicQueueId: string;
  basicQueueArn: string;
}

/** An instance, and its BasicQueue found the way Terraform's aws_connect_queue data source finds it. */
async function instance(): Promise<Instance> {
  const inst = await createInstance(c);
  const q = await findQueueByName(inst.id, "BasicQueue");
  return { ...inst, basicQueueId: q.id, basicQueueArn: q.arn };
}

/** A standard queue put straight into the server's store (Switchboard serves no CreateQueue). */
async function addQueue(inst: Instance, name: string): Promise<{ id: string; arn: string }> {
  const scope = { account: "000000000000", region: "us-east-1" };
  const q = queueRecord(scope, inst.id, name);
  await server.store.queues.create(scope, q);
  return { id: q.id, arn: q.arn };
}

async function findQueueByName(instanceId: string, name: string): Promise<{ id: string; arn: string }> {
  // queue_data_source.go: ListQueues paged with MaxResults 60, exact name match, exactly one
  const found = [];
  for await (const page of paginateListQueues({ client: c }, { InstanceId: instanceId, MaxResults: 60 })) {
    found.push(...(page.QueueSummaryList ?? []).filter((q) => q.Name === name));
  }
  assert.equal(found.length, 1, `exactly one queue named ${name}`);
  return { id: found[0]?.Id as string, arn: found[0]?.Arn as string };
}

async function allProfileQueues(instanceId: string, routingProfileId: string): Promise<RoutingProfileQueueConfigSummary[]> {
  // routing_profile.go: ListRoutingProfileQueues paged with MaxResults 60
  const out: RoutingProfileQueueConfigSummary[] = [];
  for await (const page of paginateListRoutingProfileQueues(
    { client: c },
    { InstanceId: instanceId, RoutingProfileId: routingProfileId, MaxResults: 60 },
  )) {
    out.push(...(page.RoutingProfileQueueConfigSummaryList ?? []));
  }
  return out;
}

const describeProfile = async (inst: Instance, id: string) => {
  const out = await c.send(new DescribeRoutingProfileCommand({ InstanceId: inst.id, RoutingProfileId: id }));
  assert.ok(out.RoutingProfile);
  return out.RoutingProfile;
};

const qc = (QueueId: string, Channel: Channel, Priority = 1, Delay = 0) => ({ QueueReference: { QueueId, Channel }, Priority, Delay });

function createInput(inst: Instance, over: Partial<CreateRoutingProfileCommandInput> = {}): CreateRoutingProfileCommandInput {
  return {
    InstanceId: inst.id,
    Name: unique("rp"),
    Description: "example description",
    DefaultOutboundQueueId: inst.basicQueueId,
    MediaConcurrencies: [{ Channel: "VOICE", Concurrency: 1 }],
    ...over,
  };
}

const summaryKey = (s: RoutingProfileQueueConfigSummary) => `${s.QueueName}/${s.Channel}/${s.Priority}/${s.Delay}`;

describe("BasicQueue and the default routing profile over HTTP", () => {
  test("DescribeQueue BasicQueue: every member aws_connect_queue reads", async () => {
    const inst = await instance();
    const { Queue } = await c.send(new DescribeQueueCommand({ InstanceId: inst.id, QueueId: inst.basicQueueId }));
    assert.equal(Queue?.Name, "BasicQueue");
    assert.equal(Queue?.QueueId, inst.basicQueueId);
    assert.equal(Queue?.QueueArn, `${inst.arn}/queue/${inst.basicQueueId}`);
    assert.equal(Queue?.Status, "ENABLED");
    assert.deepEqual(Queue?.Tags, {});
    assert.equal(Queue?.Description, undefined);
    assert.equal(Queue?.HoursOfOperationId, undefined);
    assert.equal(Queue?.MaxContacts, undefined);
    assert.equal(Queue?.OutboundCallerConfig, undefined);
    assert.ok(Queue?.LastModifiedTime instanceof Date);
    assert.equal(Queue?.LastModifiedRegion, "us-east-1");
    const byArn = await c.send(new DescribeQueueCommand({ InstanceId: inst.arn, QueueId: inst.basicQueueArn }));
    assert.deepEqual(byArn.Queue, Queue);
  });

  test("ListQueues with QueueTypes", async () => {
    const inst = await instance();
    const standard = [];
    for await (const page of paginateListQueues({ client: c }, { InstanceId: inst.id, QueueTypes: ["STANDARD"] }))
      standard.push(...(page.QueueSummaryList ?? []));
    assert.deepEqual(
      standard.map((q) => [q.Name, q.QueueType]),
      [["BasicQueue", "STANDARD"]],
    );
    const agent = [];
    for await (const page of paginateListQueues({ client: c }, { InstanceId: inst.id, QueueTypes: ["AGENT"] }))
      agent.push(...(page.QueueSummaryList ?? []));
    assert.deepEqual(agent, []);
  });

  test("the default profile through the data source's calls: ListRoutingProfiles (60), Describe, ListRoutingProfileQueues", async () => {
    const inst = await instance();
    const found = [];
    for await (const page of paginateListRoutingProfiles({ client: c }, { InstanceId: inst.id, MaxResults: 60 })) {
      found.push(...(page.RoutingProfileSummaryList ?? []).filter((p) => p.Name === "Basic Routing Profile"));
    }
    assert.equal(found.length, 1);
    const p = await describeProfile(inst, found[0]?.Id as string);
    assert.equal(p.RoutingProfileArn, found[0]?.Arn);
    assert.equal(p.RoutingProfileId, inst.routingProfileId);
    assert.equal(p.DefaultOutboundQueueId, inst.basicQueueId);
    assert.equal(p.IsDefault, true);
    assert.deepEqual(p.MediaConcurrencies, [
      { Channel: "VOICE", Concurrency: 1 },
      { Channel: "CHAT", Concurrency: 2 },
      { Channel: "TASK", Concurrency: 1 },
    ]);
    assert.equal(p.NumberOfAssociatedQueues, 1);
    assert.deepEqual(p.Tags, {});
    const queues = await allProfileQueues(inst.id, inst.routingProfileId);
    assert.deepEqual(
      queues.map((s) => [s.QueueId, s.QueueArn, summaryKey(s)]),
      ["CHAT", "TASK", "VOICE"].map((ch) => [inst.basicQueueId, inst.basicQueueArn, `BasicQueue/${ch}/1/0`]),
    );
  });
});

describe("aws_connect_routing_profile's sequences", () => {
  test("create (with queue configs and tags) → read → update each part → read → delete → gone", async () => {
    const inst = await instance();
    const sales = await addQueue(inst, "Sales");
    const name = unique("tf");
    // Create
    const created = await c.send(
      new CreateRoutingProfileCommand(
        createInput(inst, {
          Name: name,
          MediaConcurrencies: [
            { Channel: "VOICE", Concurrency: 1 },
            { Channel: "CHAT", Concurrency: 2 },
          ],
          QueueConfigs: [qc(inst.basicQueueId, "VOICE", 1, 2), qc(sales.id, "CHAT", 3, 4)],
          Tags: { Name: "Example Routing Profile" },
        }),
      ),
    );
    const id = created.RoutingProfileId as string;
    assert.equal(created.RoutingProfileArn, `${inst.arn}/routing-profile/${id}`);
    // Read: every member the resource sets
    let p = await describeProfile(inst, id);
    assert.equal(p.RoutingProfileArn, created.RoutingProfileArn);
    assert.equal(p.DefaultOutboundQueueId, inst.basicQueueId);
    assert.equal(p.Description, "example description");
    assert.equal(p.Name, name);
    assert.equal(p.RoutingProfileId, id);
    assert.deepEqual(p.Tags, { Name: "Example Routing Profile" });
    assert.deepEqual(p.MediaConcurrencies, [
      { Channel: "VOICE", Concurrency: 1 },
      { Channel: "CHAT", Concurrency: 2 },
    ]);
    let queues = await allProfileQueues(inst.id, id);
    assert.deepEqual(queues.map(summaryKey), ["BasicQueue/VOICE/1/2", "Sales/CHAT/3/4"]);
    for (const s of queues) assert.equal(s.QueueArn, `${inst.arn}/queue/${s.QueueId}`);

    // Update, in the resource's order: concurrency, default outbound queue, name+description, queues
    await c.send(
      new UpdateRoutingProfileConcurrencyCommand({
        InstanceId: inst.id,
        RoutingProfileId: id,
        MediaConcurrencies: [
          { Channel: "VOICE", Concurrency: 1 },
          { Channel: "CHAT", Concurrency: 5 },
          { Channel: "TASK", Concurrency: 3 },
        ],
      }),
    );
    await c.send(
      new UpdateRoutingProfileDefaultOutboundQueueCommand({ InstanceId: inst.id, RoutingProfileId: id, DefaultOutboundQueueId: sales.id }),
    );
    await c.send(
      new UpdateRoutingProfileNameCommand({ InstanceId: inst.id, RoutingProfileId: id, Name: `${name}-2`, Description: "changed" }),
    );
    await c.send(
      new DisassociateRoutingProfileQueuesCommand({
        InstanceId: inst.id,
        RoutingProfileId: id,
        QueueReferences: [{ QueueId: sales.id, Channel: "CHAT" }],
      }),
    );
    await c.send(
      new AssociateRoutingProfileQueuesCommand({
        InstanceId: inst.id,
        RoutingProfileId: id,
        QueueConfigs: [qc(sales.id, "CHAT", 9, 9), qc(sales.id, "TASK")],
      }),
    );
    p = await describeProfile(inst, id);
    assert.equal(p.Name, `${name}-2`);
    assert.equal(p.Description, "changed");
    assert.equal(p.DefaultOutboundQueueId, sales.id);
    assert.deepEqual(
      p.MediaConcurrencies?.map((m) => `${m.Channel}=${m.Concurrency}`),
      ["VOICE=1", "CHAT=5", "TASK=3"],
    );
    assert.equal(p.NumberOfAssociatedQueues, 2);
    queues = await allProfileQueues(inst.id, id);
    assert.deepEqual(queues.map(summaryKey), ["BasicQueue/VOICE/1/2", "Sales/CHAT/9/9", "Sales/TASK/1/0"]);

    // Delete, then the "disappears" check: Describe gives ResourceNotFoundException
    await c.send(new DeleteRoutingProfileCommand({ InstanceId: inst.id, RoutingProfileId: id }));
    await rejectsAws(describeProfile(inst, id), "ResourceNotFoundException", 404);
    await rejectsAws(
      c.send(new DeleteRoutingProfileCommand({ InstanceId: inst.id, RoutingProfileId: id })),
      "ResourceNotFoundException",
      404,
    );
  });

  test("more than 10 queue configs: Create without them, then AssociateRoutingProfileQueues in chunks of 10", async () => {
    const inst = await instance();
    const queues = [];
    for (let i = 0; i < 12; i++) queues.push(await addQueue(inst, `Q${String(i).padStart(2, "0")}`));
    const configs = queues.map((q) => qc(q.id, "VOICE"));
    const { RoutingProfileId } = await c.send(new CreateRoutingProfileCommand(createInput(inst)));
    for (let i = 0; i < configs.length; i += 10) {
      await c.send(
        new AssociateRoutingProfileQueuesCommand({ InstanceId: inst.id, RoutingProfileId, QueueConfigs: configs.slice(i, i + 10) }),
      );
    }
    const listed = await allProfileQueues(inst.id, RoutingProfileId as string);
    assert.equal(listed.length, 12);
    // and a page smaller than the whole: the paginator follows NextToken
    const pages = [];
    for await (const page of paginateListRoutingProfileQueues({ client: c }, { InstanceId: inst.id, RoutingProfileId, MaxResults: 5 }))
      pages.push(page);
    assert.equal(pages.length, 3);
    await rejectsAws(
      c.send(
        new AssociateRoutingProfileQueuesCommand({
          InstanceId: inst.id,
          RoutingProfileId,
          QueueConfigs: [...configs.slice(0, 10), qc(inst.basicQueueId, "VOICE")],
        }),
      ),
      "InvalidParameterException",
      400,
    );
  });

  test("ARNs in every Id position (URL-encoded labels)", async () => {
    const inst = await instance();
    const { RoutingProfileArn } = await c.send(
      new CreateRoutingProfileCommand(
        createInput(inst, {
          InstanceId: inst.arn,
          DefaultOutboundQueueId: inst.basicQueueArn,
          QueueConfigs: [qc(inst.basicQueueArn, "VOICE")],
        }),
      ),
    );
    const arn = RoutingProfileArn as string;
    await c.send(new UpdateRoutingProfileNameCommand({ InstanceId: inst.arn, RoutingProfileId: arn, Description: "by ARN" }));
    await c.send(
      new UpdateRoutingProfileConcurrencyCommand({
        InstanceId: inst.arn,
        RoutingProfileId: arn,
        MediaConcurrencies: [{ Channel: "CHAT", Concurrency: 4 }],
      }),
    );
    await c.send(
      new UpdateRoutingProfileDefaultOutboundQueueCommand({
        InstanceId: inst.arn,
        RoutingProfileId: arn,
        DefaultOutboundQueueId: inst.basicQueueArn,
      }),
    );
    await c.send(
      new DisassociateRoutingProfileQueuesCommand({
        InstanceId: inst.arn,
        RoutingProfileId: arn,
        QueueReferences: [{ QueueId: inst.basicQueueArn, Channel: "VOICE" }],
      }),
    );
    await c.send(
      new AssociateRoutingProfileQueuesCommand({
        InstanceId: inst.arn,
        RoutingProfileId: arn,
        QueueConfigs: [qc(inst.basicQueueArn, "CHAT")],
      }),
    );
    const { RoutingProfile } = await c.send(new DescribeRoutingProfileCommand({ InstanceId: inst.arn, RoutingProfileId: arn }));
    assert.equal(RoutingProfile?.Description, "by ARN");
    assert.equal(RoutingProfile?.DefaultOutboundQueueId, inst.basicQueueId);
    assert.deepEqual((await allProfileQueues(inst.arn, arn)).map(summaryKey), ["BasicQueue/CHAT/1/0"]);
    await c.send(new DeleteRoutingProfileCommand({ InstanceId: inst.arn, RoutingProfileId: arn }));
  });
});

describe("errors over HTTP", () => {
  test("CreateRoutingProfile: duplicate name, quota, unknown queues, channel rules, model limits", async () => {
    const inst = await instance();
    const name = unique("dup");
    await c.send(new CreateRoutingProfileCommand(createInput(inst, { Name: name })));
    await rejectsAws(c.send(new CreateRoutingProfileCommand(createInput(inst, { Name: name }))), "DuplicateResourceException", 409);
    assert.match(
      await rejectsAws(
        c.send(new CreateRoutingProfileCommand(createInput(inst, { DefaultOutboundQueueId: NOBODY }))),
        "ResourceNotFoundException",
        404,
      ),
      /Queue not found/,
    );
    await rejectsAws(
      c.send(new CreateRoutingProfileCommand(createInput(inst, { QueueConfigs: [qc(NOBODY, "VOICE")] }))),
      "ResourceNotFoundException",
      404,
    );
    assert.match(
      await rejectsAws(
        c.send(new CreateRoutingProfileCommand(createInput(inst, { MediaConcurrencies: [{ Channel: "VOICE", Concurrency: 2 }] }))),
        "InvalidParameterException",
        400,
      ),
      /mediaConcurrencies\.1\.member\.concurrency/,
    );
    await rejectsAws(
      c.send(new CreateRoutingProfileCommand(createInput(inst, { MediaConcurrencies: [{ Channel: "CHAT", Concurrency: 11 }] }))),
      "InvalidParameterException",
      400,
    );
    await rejectsAws(
      c.send(new CreateRoutingProfileCommand(createInput(inst, { MediaConcurrencies: [] }))),
      "InvalidParameterException",
      400,
    );
    await rejectsAws(
      c.send(new CreateRoutingProfileCommand(createInput(inst, { QueueConfigs: [qc(inst.basicQueueId, "CHAT")] }))),
      "InvalidRequestException",
      400,
    );
    await rejectsAws(
      c.send(new CreateRoutingProfileCommand(createInput(inst, { Name: "x".repeat(128) }))),
      "InvalidParameterException",
      400,
    );
    await rejectsAws(c.send(new CreateRoutingProfileCommand(createInput(inst, { InstanceId: NOBODY }))), "ResourceNotFoundException", 404);
    // the quota is 3 on this server: the default profile, the one above, one more
    await c.send(new CreateRoutingProfileCommand(createInput(inst)));
    assert.match(
      await rejectsAws(c.send(new CreateRoutingProfileCommand(createInput(inst))), "LimitExceededException", 429),
      /maximum of 3/,
    );
  });

  test("DeleteRoutingProfile: in use, the default profile, unknown", async () => {
    const inst = await instance();
    const { RoutingProfileId } = await c.send(new CreateRoutingProfileCommand(createInput(inst)));
    const user = await createUser(c, inst, { RoutingProfileId });
    assert.equal((await describeProfile(inst, RoutingProfileId as string)).NumberOfAssociatedUsers, 1);
    await rejectsAws(c.send(new DeleteRoutingProfileCommand({ InstanceId: inst.id, RoutingProfileId })), "ResourceInUseException", 409);
    await c.send(new DeleteUserCommand({ InstanceId: inst.id, UserId: user.id }));
    await c.send(new DeleteRoutingProfileCommand({ InstanceId: inst.id, RoutingProfileId }));
    await rejectsAws(
      c.send(new DeleteRoutingProfileCommand({ InstanceId: inst.id, RoutingProfileId: inst.routingProfileId })),
      "InvalidRequestException",
      400,
    );
    await rejectsAws(
      c.send(new DeleteRoutingProfileCommand({ InstanceId: inst.id, RoutingProfileId: NOBODY })),
      "ResourceNotFoundException",
      404,
    );
  });

  test("updates: missing members, taken names, unknown profiles and queues", async () => {
    const inst = await instance();
    const { RoutingProfileId } = await c.send(new CreateRoutingProfileCommand(createInput(inst)));
    await rejectsAws(
      c.send(new UpdateRoutingProfileNameCommand({ InstanceId: inst.id, RoutingProfileId })),
      "InvalidParameterException",
      400,
    );
    await rejectsAws(
      c.send(new UpdateRoutingProfileNameCommand({ InstanceId: inst.id, RoutingProfileId, Name: "Basic Routing Profile" })),
      "DuplicateResourceException",
      409,
    );
    await rejectsAws(
      c.send(new UpdateRoutingProfileNameCommand({ InstanceId: inst.id, RoutingProfileId: NOBODY, Name: "x" })),
      "ResourceNotFoundException",
      404,
    );
    await rejectsAws(
      c.send(
        new UpdateRoutingProfileConcurrencyCommand({
          InstanceId: inst.id,
          RoutingProfileId,
          MediaConcurrencies: [{ Channel: "VOICE", Concurrency: 2 }],
        }),
      ),
      "InvalidParameterException",
      400,
    );
    await rejectsAws(
      c.send(
        new UpdateRoutingProfileConcurrencyCommand({
          InstanceId: inst.id,
          RoutingProfileId: NOBODY,
          MediaConcurrencies: [{ Channel: "VOICE", Concurrency: 1 }],
        }),
      ),
      "ResourceNotFoundException",
      404,
    );
    await rejectsAws(
      c.send(
        new UpdateRoutingProfileDefaultOutboundQueueCommand({ InstanceId: inst.id, RoutingProfileId, DefaultOutboundQueueId: NOBODY }),
      ),
      "ResourceNotFoundException",
      404,
    );
    await rejectsAws(
      c.send(
        new UpdateRoutingProfileDefaultOutboundQueueCommand({
          InstanceId: inst.id,
          RoutingProfileId: NOBODY,
          DefaultOutboundQueueId: inst.basicQueueId,
        }),
      ),
      "ResourceNotFoundException",
      404,
    );
  });

  test("associate / disassociate: pairs already there or not there, duplicates, channels, sizes, unknown queues", async () => {
    const inst = await instance();
    const { RoutingProfileId } = await c.send(
      new CreateRoutingProfileCommand(createInput(inst, { QueueConfigs: [qc(inst.basicQueueId, "VOICE")] })),
    );
    const associate = (QueueConfigs: ReturnType<typeof qc>[]) =>
      c.send(new AssociateRoutingProfileQueuesCommand({ InstanceId: inst.id, RoutingProfileId, QueueConfigs }));
    const disassociate = (QueueReferences: { QueueId: string; Channel: Channel }[]) =>
      c.send(new DisassociateRoutingProfileQueuesCommand({ InstanceId: inst.id, RoutingProfileId, QueueReferences }));
    assert.match(await rejectsAws(associate([qc(inst.basicQueueId, "VOICE")]), "InvalidRequestException", 400), /already associated/);
    await rejectsAws(associate([qc(inst.basicQueueId, "CHAT")]), "InvalidRequestException", 400);
    await rejectsAws(associate([qc(NOBODY, "VOICE")]), "ResourceNotFoundException", 404);
    await rejectsAws(associate([]), "InvalidParameterException", 400);
    await rejectsAws(associate([qc(inst.basicQueueId, "VOICE", 100)]), "InvalidParameterException", 400);
    assert.match(
      await rejectsAws(disassociate([{ QueueId: inst.basicQueueId, Channel: "CHAT" }]), "InvalidRequestException", 400),
      /not associated/,
    );
    await rejectsAws(
      disassociate([
        { QueueId: inst.basicQueueId, Channel: "VOICE" },
        { QueueId: inst.basicQueueArn, Channel: "VOICE" },
      ]),
      "InvalidParameterException",
      400,
    );
    await rejectsAws(
      disassociate(Array.from({ length: 11 }, () => ({ QueueId: inst.basicQueueId, Channel: "VOICE" as const }))),
      "InvalidParameterException",
      400,
    );
    await rejectsAws(
      c.send(
        new AssociateRoutingProfileQueuesCommand({
          InstanceId: inst.id,
          RoutingProfileId: NOBODY,
          QueueConfigs: [qc(inst.basicQueueId, "VOICE")],
        }),
      ),
      "ResourceNotFoundException",
      404,
    );
    // nothing changed
    assert.deepEqual((await allProfileQueues(inst.id, RoutingProfileId as string)).map(summaryKey), ["BasicQueue/VOICE/1/0"]);
  });

  test("reads: unknown and foreign labels, forged tokens, MaxResults", async () => {
    const inst = await instance();
    const other = await instance();
    await rejectsAws(
      c.send(new DescribeRoutingProfileCommand({ InstanceId: inst.id, RoutingProfileId: NOBODY })),
      "ResourceNotFoundException",
      404,
    );
    await rejectsAws(
      c.send(new DescribeRoutingProfileCommand({ InstanceId: inst.id, RoutingProfileId: other.routingProfileId })),
      "ResourceNotFoundException",
      404,
    );
    await rejectsAws(
      c.send(new DescribeQueueCommand({ InstanceId: inst.id, QueueId: other.basicQueueArn })),
      "ResourceNotFoundException",
      404,
    );
    await rejectsAws(
      c.send(new DescribeQueueCommand({ InstanceId: inst.id, QueueId: inst.basicQueueArn.replace(":us-east-1:", ":eu-west-2:") })),
      "ResourceNotFoundException",
      404,
    );
    const pages = paginateListRoutingProfileQueues(
      { client: c },
      { InstanceId: inst.id, RoutingProfileId: inst.routingProfileId, MaxResults: 101 },
    );
    await rejectsAws(pages.next(), "InvalidParameterException", 400);
    const forged = paginateListQueues({ client: c, startingToken: "AAAA" }, { InstanceId: inst.id });
    await rejectsAws(forged.next(), "InvalidParameterException", 400);
    await rejectsAws(paginateListQueues({ client: c }, { InstanceId: NOBODY }).next(), "ResourceNotFoundException", 404);
  });
});
