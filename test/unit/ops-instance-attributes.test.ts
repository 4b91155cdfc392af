// Rule tests for instance attributes (DescribeInstanceAttribute, UpdateInstanceAttribute,
// ListInstanceAttributes) and CreateInstance's ClientToken idempotency, run through the operation
// harness: the model's validation, then the invoke step, on an in-memory store — no HTTP. Rules:
// src/operations/instances/attributes.ts and client-token.ts.
import assert from "node:assert/strict";
import { describe, type TestContext, test } from "node:test";
import type { Scope } from "../../src/common/arn.js";
import { SHAPES } from "../../src/model/index.js";
import type { CreateInstanceRequest, InstanceAttributeType } from "../../src/model/types.gen.js";
import { CONNECT_OPERATIONS, type ServedConnectOperation } from "../../src/operations/connect-service.js";
import type { InstanceRecord } from "../../src/store/records.js";
import {
  HARNESS_ACCOUNT,
  HARNESS_SCOPE,
  type HarnessOptions,
  type OperationHarness,
  operationHarness,
} from "../helpers/operation-harness.js";
import {
  type Expected,
  INVALID_PARAMETER,
  INVALID_REQUEST,
  lastEvent as last,
  NOT_FOUND,
  refusedChange as refuse,
  refusedRead,
} from "../helpers/refusals.js";

const NOBODY = "00000000-0000-4000-8000-000000000000";
const WEST: Scope = { account: HARNESS_ACCOUNT, region: "eu-west-2" };

/** Every attribute type, in the model's order. */
const MODEL_TYPES = (() => {
  const shape = SHAPES.InstanceAttributeType;
  assert.ok(shape && "enum" in shape && shape.enum);
  return shape.enum as InstanceAttributeType[];
})();

async function harness(t: TestContext, options: HarnessOptions = {}): Promise<OperationHarness> {
  const h = await operationHarness(options);
  t.after(() => h.close());
  return h;
}

let aliasSeq = 0;
const instanceInput = (over: Partial<CreateInstanceRequest> = {}): CreateInstanceRequest => ({
  IdentityManagementType: "CONNECT_MANAGED",
  InstanceAlias: `sb-attr-${++aliasSeq}`,
  InboundCallsEnabled: true,
  OutboundCallsEnabled: false,
  ...over,
});

async function createInstance(h: OperationHarness, input: CreateInstanceRequest = instanceInput(), scope?: Scope) {
  const out = await h.run("CreateInstance", input, scope ? { scope } : {});
  assert.ok(out.Id && out.Arn);
  return { id: out.Id, arn: out.Arn };
}

async function listAll(h: OperationHarness, instanceId: string, maxResults?: number) {
  const values: [string, string][] = [];
  const sizes: number[] = [];
  let token: string | undefined;
  do {
    const out = await h.run("ListInstanceAttributes", {
      InstanceId: instanceId,
      ...(maxResults === undefined ? {} : { MaxResults: maxResults }),
      ...(token ? { NextToken: token } : {}),
    });
    sizes.push(out.Attributes?.length ?? 0);
    for (const a of out.Attributes ?? []) values.push([a.AttributeType as string, a.Value as string]);
    token = out.NextToken;
  } while (token !== undefined && sizes.length < 20);
  return { values, sizes };
}

const describeValue = async (h: OperationHarness, instanceId: string, type: InstanceAttributeType) =>
  (await h.run("DescribeInstanceAttribute", { InstanceId: instanceId, AttributeType: type })).Attribute;

const instancesIn = (h: OperationHarness, scope: Scope = h.scope): Promise<InstanceRecord[]> =>
  h.store.instances.list(scope, { limit: 10_000 });

/** A refused change: no instance created, changed or removed, one event (helpers/refusals.ts). */
const refusedChange = (h: OperationHarness, name: ServedConnectOperation, input: unknown, expected: Expected) =>
  refuse(h, () => instancesIn(h), name, input, expected);

const foreignArns = (arn: string) => [
  arn.replace(`:${HARNESS_ACCOUNT}:`, ":111122223333:"),
  arn.replace(":us-east-1:", ":eu-west-2:"),
  arn.replace("arn:aws:", "arn:aws-cn:"),
];

// ---------------------------------------------------------------------------------------------
// Attributes

describe("instance attributes: defaults", () => {
  test('every type of the model, in the model\'s order: the call flags from CreateInstance, the rest "false"', async (t) => {
    const h = await harness(t);
    const { id } = await createInstance(h, instanceInput({ InboundCallsEnabled: true, OutboundCallsEnabled: false }));
    const { values } = await listAll(h, id);
    assert.deepEqual(
      values.map(([type]) => type),
      MODEL_TYPES,
    );
    assert.equal(MODEL_TYPES.length, 12);
    for (const [type, value] of values) {
      assert.equal(value, type === "INBOUND_CALLS" ? "true" : "false", type);
      assert.deepEqual(await describeValue(h, id, type as InstanceAttributeType), { AttributeType: type, Value: value });
    }
    const other = await createInstance(h, instanceInput({ InboundCallsEnabled: false, OutboundCallsEnabled: true }));
    assert.equal((await describeValue(h, other.id, "INBOUND_CALLS"))?.Value, "false");
    assert.equal((await describeValue(h, other.id, "OUTBOUND_CALLS"))?.Value, "true");
  });

  test("ListInstanceAttributes pages: 7 by default, MaxResults 1..7, tokens bound to the instance", async (t) => {
    const h = await harness(t);
    const { id } = await createInstance(h);
    const other = await createInstance(h);
    assert.deepEqual((await listAll(h, id)).sizes, [7, 5]);
    const byThree = await listAll(h, id, 3);
    assert.deepEqual(byThree.sizes, [3, 3, 3, 3]);
    assert.deepEqual(
      byThree.values.map(([type]) => type),
      MODEL_TYPES,
    );
    assert.deepEqual((await listAll(h, id, 1)).sizes.length, 12);
    for (const MaxResults of [0, 8]) {
      await refusedRead(h, "ListInstanceAttributes", { InstanceId: id, MaxResults }, INVALID_PARAMETER(/maxResults/));
    }
    const first = await h.run("ListInstanceAttributes", { InstanceId: id });
    assert.ok(first.NextToken);
    await refusedRead(h, "ListInstanceAttributes", { InstanceId: other.id, NextToken: first.NextToken }, INVALID_PARAMETER(/nextToken/));
  });
});

describe("UpdateInstanceAttribute", () => {
  test('each type takes "true" and "false"; Describe and List read the value back', async (t) => {
    const h = await harness(t);
    const { id } = await createInstance(h);
    for (const type of MODEL_TYPES) {
      await h.run("UpdateInstanceAttribute", { InstanceId: id, AttributeType: type, Value: "true" });
      assert.equal((await describeValue(h, id, type))?.Value, "true", type);
    }
    assert.ok((await listAll(h, id)).values.every(([, v]) => v === "true"));
    await h.run("UpdateInstanceAttribute", { InstanceId: id, AttributeType: "CONTACT_LENS", Value: "false" });
    assert.equal((await describeValue(h, id, "CONTACT_LENS"))?.Value, "false");
    assert.equal((await describeValue(h, id, "EARLY_MEDIA"))?.Value, "true", "other attributes keep their values");
  });

  test("INBOUND_CALLS / OUTBOUND_CALLS change what DescribeInstance and ListInstances report", async (t) => {
    const h = await harness(t);
    const { id, arn } = await createInstance(h, instanceInput({ InboundCallsEnabled: true, OutboundCallsEnabled: false }));
    await h.run("UpdateInstanceAttribute", { InstanceId: arn, AttributeType: "INBOUND_CALLS", Value: "false" });
    await h.run("UpdateInstanceAttribute", { InstanceId: id, AttributeType: "OUTBOUND_CALLS", Value: "true" });
    const { Instance } = await h.run("DescribeInstance", { InstanceId: id });
    assert.equal(Instance?.InboundCallsEnabled, false);
    assert.equal(Instance?.OutboundCallsEnabled, true);
    const summary = (await h.run("ListInstances", {})).InstanceSummaryList?.find((s) => s.Id === id);
    assert.equal(summary?.InboundCallsEnabled, false);
    assert.equal(summary?.OutboundCallsEnabled, true);
  });

  test('booleans are only "true" or "false": anything else is InvalidParameterException naming value, nothing changed', async (t) => {
    const h = await harness(t);
    const { id } = await createInstance(h);
    for (const Value of ["TRUE", "True", "1", "yes", " true", "false "]) {
      await refusedChange(
        h,
        "UpdateInstanceAttribute",
        { InstanceId: id, AttributeType: "CONTACT_LENS", Value },
        INVALID_PARAMETER(/'value'.*'true' or 'false'.*CONTACT_LENS/),
      );
    }
    // the model's own limits: 1..100 characters
    for (const Value of ["", "t".repeat(101)]) {
      await refusedChange(
        h,
        "UpdateInstanceAttribute",
        { InstanceId: id, AttributeType: "EARLY_MEDIA", Value },
        INVALID_PARAMETER(/value/),
      );
    }
    assert.equal((await describeValue(h, id, "CONTACT_LENS"))?.Value, "false");
  });

  test("an attribute type outside the model is refused by the model (InvalidParameterException)", async (t) => {
    const h = await harness(t);
    const { id } = await createInstance(h);
    await refusedChange(
      h,
      "UpdateInstanceAttribute",
      { InstanceId: id, AttributeType: "VOICE_ID", Value: "true" },
      INVALID_PARAMETER(/attributeType/),
    );
    await refusedRead(
      h,
      "DescribeInstanceAttribute",
      { InstanceId: id, AttributeType: "contact_lens" },
      INVALID_PARAMETER(/attributeType/),
    );
  });

  test("unknown and foreign instances → ResourceNotFoundException for all three operations", async (t) => {
    const h = await harness(t);
    const { arn } = await createInstance(h);
    for (const label of [NOBODY, ...foreignArns(arn)]) {
      await refusedChange(h, "UpdateInstanceAttribute", { InstanceId: label, AttributeType: "CONTACT_LENS", Value: "true" }, NOT_FOUND());
      await refusedRead(h, "DescribeInstanceAttribute", { InstanceId: label, AttributeType: "CONTACT_LENS" }, NOT_FOUND());
      await refusedRead(h, "ListInstanceAttributes", { InstanceId: label }, NOT_FOUND());
    }
  });

  test("the change event: eventName, readOnly false, the request's members; reads are not audited", async (t) => {
    const h = await harness(t);
    const { id } = await createInstance(h);
    await h.run("UpdateInstanceAttribute", { InstanceId: id, AttributeType: "CONTACTFLOW_LOGS", Value: "true", ClientToken: "tok-9" });
    const e = last(await h.auditEvents());
    assert.equal(e.eventName, "UpdateInstanceAttribute");
    assert.equal(e.errorCode, undefined);
    assert.equal(e.record.readOnly, false);
    assert.deepEqual(e.record.requestParameters, {
      instanceId: id,
      attributeType: "CONTACTFLOW_LOGS",
      value: "true",
      clientToken: "tok-9",
    });
    const before = (await h.auditEvents()).length;
    await describeValue(h, id, "CONTACTFLOW_LOGS");
    await listAll(h, id);
    assert.equal((await h.auditEvents()).length, before);
  });

  test("IAM: all three act on the instance", () => {
    const instance = `arn:aws:connect:us-east-1:${HARNESS_ACCOUNT}:instance/${NOBODY}`;
    for (const name of ["DescribeInstanceAttribute", "UpdateInstanceAttribute", "ListInstanceAttributes"] as const) {
      const op = CONNECT_OPERATIONS[name];
      assert.ok(op);
      assert.equal(op.iam.length, 1);
      assert.equal(op.iam[0]?.action, `connect:${name}`);
      const r = op.iam[0]?.target.resolve({ InstanceId: instance, AttributeType: "CONTACT_LENS", Value: "true" }, HARNESS_SCOPE);
      assert.equal(Array.isArray(r) ? undefined : r?.resourceArn, instance);
      assert.equal(op.mutates, name === "UpdateInstanceAttribute");
    }
  });
});

// ---------------------------------------------------------------------------------------------
// CreateInstance's ClientToken

describe("CreateInstance: ClientToken idempotency", () => {
  test("the same token returns the first call's instance instead of creating a second one", async (t) => {
    const h = await harness(t);
    const input = instanceInput({ ClientToken: "retry-me", Tags: { env: "test" } });
    const first = await createInstance(h, input);
    const again = await createInstance(h, { ...input });
    assert.deepEqual(again, first);
    assert.equal((await instancesIn(h)).length, 1);
    const events = (await h.auditEvents()).filter((e) => e.eventName === "CreateInstance");
    assert.equal(events.length, 2, "each call is recorded");
    assert.deepEqual(last(events).record.responseElements, { id: first.id, arn: first.arn });
  });

  test("a replay is answered even when the instances quota is now full", async (t) => {
    const h = await harness(t, { quotas: { instancesPerRegion: 1 } });
    const input = instanceInput({ ClientToken: "full" });
    const first = await createInstance(h, input);
    assert.deepEqual(await createInstance(h, input), first);
    await refusedChange(h, "CreateInstance", instanceInput({ ClientToken: "other" }), {
      code: "ServiceQuotaExceededException",
      status: 402,
    });
  });

  test("the same token with other parameters → InvalidRequestException naming clientToken, nothing created", async (t) => {
    const h = await harness(t);
    const input = instanceInput({ ClientToken: "tok", Tags: { env: "test" } });
    await createInstance(h, input);
    for (const over of [
      { InstanceAlias: "another-alias" },
      { InboundCallsEnabled: false },
      { OutboundCallsEnabled: true },
      { Tags: { env: "prod" } },
      { Tags: undefined },
      { IdentityManagementType: "SAML" as const },
    ]) {
      await refusedChange(h, "CreateInstance", { ...input, ...over }, INVALID_REQUEST(/'clientToken'/));
    }
  });

  test("the instance is compared as it is now: after its tags changed, a replay is refused", async (t) => {
    const h = await harness(t);
    const input = instanceInput({ ClientToken: "tagged", Tags: { env: "test" } });
    const { id } = await createInstance(h, input);
    assert.ok(await h.store.instances.update(h.scope, id, { tags: { env: "changed" } }));
    await refusedChange(h, "CreateInstance", input, INVALID_REQUEST(/'clientToken'/));
  });

  test("UpdateInstanceAttribute does not change what a replay is compared with", async (t) => {
    const h = await harness(t);
    const input = instanceInput({ ClientToken: "attrs", InboundCallsEnabled: true });
    const first = await createInstance(h, input);
    await h.run("UpdateInstanceAttribute", { InstanceId: first.id, AttributeType: "INBOUND_CALLS", Value: "false" });
    assert.deepEqual(await createInstance(h, input), first);
  });

  test("tokens are per account and region; other tokens, no token or an empty token create new instances", async (t) => {
    const h = await harness(t);
    const input = instanceInput({ ClientToken: "shared" });
    const first = await createInstance(h, input);
    const west = await createInstance(h, input, WEST);
    assert.notEqual(west.id, first.id);
    await createInstance(h, instanceInput({ ClientToken: "different" }));
    await createInstance(h, instanceInput());
    await createInstance(h, instanceInput({ ClientToken: "" }));
    await createInstance(h, instanceInput({ ClientToken: "" }));
    assert.equal((await instancesIn(h)).length, 5);
    assert.equal((await h.store.instances.getByClientToken(h.scope, "shared"))?.id, first.id);
  });

  test("once the instance is deleted, its token creates a new one", async (t) => {
    const h = await harness(t);
    const input = instanceInput({ ClientToken: "gone" });
    const first = await createInstance(h, input);
    await h.run("DeleteInstance", { InstanceId: first.id });
    const second = await createInstance(h, input);
    assert.notEqual(second.id, first.id);
  });
});
