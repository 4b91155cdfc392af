// Round trip with the real @aws-sdk/client-connect over HTTP: instance attributes and
// CreateInstance's ClientToken, replaying Terraform's aws_connect_instance sequence (CreateInstance
// with ClientToken, DescribeInstance until ACTIVE, one UpdateInstanceAttribute per attribute,
// DescribeInstanceAttribute per attribute on Read, DeleteInstance then DescribeInstance until
// ResourceNotFoundException), and every error of the operations.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, test } from "node:test";
import {
  type ConnectClient,
  CreateInstanceCommand,
  DeleteInstanceCommand,
  DescribeInstanceAttributeCommand,
  DescribeInstanceCommand,
  type InstanceAttributeType,
  ListInstanceAttributesCommand,
  ListInstancesCommand,
  paginateListInstanceAttributes,
  UpdateInstanceAttributeCommand,
} from "@aws-sdk/client-connect";
import { rejectsAws as rejects } from "../helpers/assert-aws.js";
import { createInstance, unique } from "../helpers/fixtures.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

let server: TestServer;
let c: ConnectClient;

before(async () => {
  server = await startTestServer();
  c = server.client();
});
after(() => server.close());

// Terraform's InstanceAttributeMapping and the values its schema defaults set on Create.
const TERRAFORM_ATTRIBUTES: Record<string, boolean> = {
  AUTO_RESOLVE_BEST_VOICES: true,
  CONTACTFLOW_LOGS: false,
  CONTACT_LENS: true,
  EARLY_MEDIA: true,
  MULTI_PARTY_CONFERENCE: false,
};

test("aws_connect_instance: Create (ClientToken, wait ACTIVE, attributes), Read, Delete (wait until gone)", async () => {
  const token = `terraform-${randomUUID()}`;
  const input = {
    ClientToken: token,
    IdentityManagementType: "CONNECT_MANAGED" as const,
    InboundCallsEnabled: true,
    OutboundCallsEnabled: true,
    InstanceAlias: unique("tf"),
  };
  const created = await c.send(new CreateInstanceCommand(input));
  const id = created.Id as string;
  assert.ok(id && created.Arn);
  const status = (await c.send(new DescribeInstanceCommand({ InstanceId: id }))).Instance?.InstanceStatus;
  assert.equal(status, "ACTIVE", "ACTIVE on the first poll");

  // Create: only the attributes whose value is true are sent (d.GetOk skips false)
  for (const [type, value] of Object.entries(TERRAFORM_ATTRIBUTES)) {
    if (value) {
      const out = await c.send(
        new UpdateInstanceAttributeCommand({ InstanceId: id, AttributeType: type as InstanceAttributeType, Value: String(value) }),
      );
      assert.equal(out.$metadata.httpStatusCode, 200);
    }
  }
  // Read: DescribeInstance's members, then each attribute parsed with strconv.ParseBool
  const inst = (await c.send(new DescribeInstanceCommand({ InstanceId: created.Id }))).Instance;
  assert.equal(inst?.Arn, created.Arn);
  assert.ok(inst?.CreatedTime instanceof Date);
  assert.equal(inst?.IdentityManagementType, "CONNECT_MANAGED");
  assert.equal(inst?.InboundCallsEnabled, true);
  assert.equal(inst?.InstanceAlias, input.InstanceAlias);
  assert.equal(inst?.OutboundCallsEnabled, true);
  assert.match(inst?.ServiceRole ?? "", /^arn:aws:iam::/);
  for (const [type, value] of Object.entries(TERRAFORM_ATTRIBUTES)) {
    const a = (await c.send(new DescribeInstanceAttributeCommand({ InstanceId: id, AttributeType: type as InstanceAttributeType })))
      .Attribute;
    assert.equal(a?.AttributeType, type);
    assert.equal(a?.Value, String(value), type);
  }
  // A retried CreateInstance with the same token is the same instance
  const retried = await c.send(new CreateInstanceCommand(input));
  assert.equal(retried.Id, created.Id);
  assert.equal(retried.Arn, created.Arn);
  const listed = (await c.send(new ListInstancesCommand({}))).InstanceSummaryList ?? [];
  assert.equal(listed.filter((i) => i.InstanceAlias === input.InstanceAlias).length, 1, "one instance, not two");

  // Delete, then poll DescribeInstance until ResourceNotFoundException
  await c.send(new DeleteInstanceCommand({ InstanceId: created.Id }));
  await rejects(c.send(new DescribeInstanceCommand({ InstanceId: created.Id })), "ResourceNotFoundException", 404);
});

test("ListInstanceAttributes: every type of the model with its default, paged by 7; the paginator reads them all", async () => {
  const inst = await createInstance(c, "CONNECT_MANAGED", { InboundCallsEnabled: false, OutboundCallsEnabled: true });
  const first = await c.send(new ListInstanceAttributesCommand({ InstanceId: inst.id }));
  assert.equal(first.Attributes?.length, 7);
  assert.ok(first.NextToken);
  const all: Record<string, string> = {};
  for await (const p of paginateListInstanceAttributes({ client: c, pageSize: 5 }, { InstanceId: inst.id })) {
    for (const a of p.Attributes ?? []) all[a.AttributeType as string] = a.Value as string;
  }
  assert.deepEqual(all, {
    INBOUND_CALLS: "false",
    OUTBOUND_CALLS: "true",
    CONTACTFLOW_LOGS: "false",
    CONTACT_LENS: "false",
    AUTO_RESOLVE_BEST_VOICES: "false",
    USE_CUSTOM_TTS_VOICES: "false",
    EARLY_MEDIA: "false",
    MULTI_PARTY_CONFERENCE: "false",
    HIGH_VOLUME_OUTBOUND: "false",
    ENHANCED_CONTACT_MONITORING: "false",
    ENHANCED_CHAT_MONITORING: "false",
    MULTI_PARTY_CHAT_CONFERENCE: "false",
  });
  await rejects(c.send(new ListInstanceAttributesCommand({ InstanceId: inst.id, MaxResults: 8 })), "InvalidParameterException", 400);
});

test("UpdateInstanceAttribute INBOUND_CALLS / OUTBOUND_CALLS changes what DescribeInstance reports", async () => {
  const inst = await createInstance(c);
  await c.send(new UpdateInstanceAttributeCommand({ InstanceId: inst.arn, AttributeType: "OUTBOUND_CALLS", Value: "false" }));
  const d = (await c.send(new DescribeInstanceCommand({ InstanceId: inst.id }))).Instance;
  assert.equal(d?.InboundCallsEnabled, true);
  assert.equal(d?.OutboundCallsEnabled, false);
  const a = await c.send(new DescribeInstanceAttributeCommand({ InstanceId: inst.arn, AttributeType: "OUTBOUND_CALLS" }));
  assert.deepEqual(a.Attribute, { AttributeType: "OUTBOUND_CALLS", Value: "false" });
});

test("errors: a non-boolean value, an unknown type, an unknown instance; a token reused with other parameters", async () => {
  const inst = await createInstance(c);
  const msg = await rejects(
    c.send(new UpdateInstanceAttributeCommand({ InstanceId: inst.id, AttributeType: "CONTACT_LENS", Value: "yes" })),
    "InvalidParameterException",
    400,
  );
  assert.match(msg, /'value'/);
  await rejects(
    c.send(
      new UpdateInstanceAttributeCommand({ InstanceId: inst.id, AttributeType: "NOT_A_TYPE" as InstanceAttributeType, Value: "true" }),
    ),
    "InvalidParameterException",
    400,
  );
  for (const send of [
    () => c.send(new UpdateInstanceAttributeCommand({ InstanceId: randomUUID(), AttributeType: "CONTACT_LENS", Value: "true" })),
    () => c.send(new DescribeInstanceAttributeCommand({ InstanceId: randomUUID(), AttributeType: "CONTACT_LENS" })),
    () => c.send(new ListInstanceAttributesCommand({ InstanceId: randomUUID() })),
  ]) {
    await rejects(send(), "ResourceNotFoundException", 404);
  }
  const token = randomUUID();
  const alias = unique("tok");
  await c.send(
    new CreateInstanceCommand({
      ClientToken: token,
      IdentityManagementType: "SAML",
      InstanceAlias: alias,
      InboundCallsEnabled: true,
      OutboundCallsEnabled: true,
    }),
  );
  const reused = await rejects(
    c.send(
      new CreateInstanceCommand({
        ClientToken: token,
        IdentityManagementType: "SAML",
        InstanceAlias: alias,
        InboundCallsEnabled: false,
        OutboundCallsEnabled: true,
      }),
    ),
    "InvalidRequestException",
    400,
  );
  assert.match(reused, /clientToken/);
});
