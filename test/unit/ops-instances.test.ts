// Rule tests for the instance operations (CreateInstance, DescribeInstance, ListInstances,
// DeleteInstance), run through the operation harness: the model's validation, then the invoke
// step, on an in-memory store — no HTTP. Rules: src/operations/instances/*.ts and the README's
// "Fidelity notes".
import assert from "node:assert/strict";
import { describe, type TestContext, test } from "node:test";
import type { Scope } from "../../src/common/arn.js";
import type { ServiceError } from "../../src/common/errors.js";
import { HIDDEN } from "../../src/common/mask.js";
import type { CreateInstanceRequest } from "../../src/model/types.gen.js";
import type { ServedConnectOperation } from "../../src/operations/connect-service.js";
import type { AuditEventRecord, IdentityManagementType, InstanceRecord } from "../../src/store/records.js";
import { HARNESS_ACCOUNT, type HarnessOptions, type OperationHarness, operationHarness } from "../helpers/operation-harness.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DIRECTORY_ID = "d-0123456789";
const NOBODY = "00000000-0000-4000-8000-000000000000";
const WEST: Scope = { account: HARNESS_ACCOUNT, region: "eu-west-2" };

async function harness(t: TestContext, options: HarnessOptions = {}): Promise<OperationHarness> {
  const h = await operationHarness(options);
  t.after(() => h.close());
  return h;
}

let aliasSeq = 0;
const nextAlias = () => `sb-inst-${++aliasSeq}`;

/** A CreateInstance input valid for the type; `over` replaces members (undefined removes one). */
function instanceInput(type: IdentityManagementType = "CONNECT_MANAGED", over: Partial<CreateInstanceRequest> = {}): CreateInstanceRequest {
  return {
    IdentityManagementType: type,
    ...(type === "EXISTING_DIRECTORY" ? { DirectoryId: DIRECTORY_ID } : { InstanceAlias: nextAlias() }),
    InboundCallsEnabled: true,
    OutboundCallsEnabled: false,
    ...over,
  };
}

async function createInstance(
  h: OperationHarness,
  input: CreateInstanceRequest = instanceInput(),
  scope?: Scope,
): Promise<{ id: string; arn: string }> {
  const out = await h.run("CreateInstance", input, scope ? { scope } : {});
  assert.ok(out.Id && out.Arn);
  return { id: out.Id, arn: out.Arn };
}

async function instancesIn(h: OperationHarness, scope: Scope = h.scope): Promise<InstanceRecord[]> {
  return h.store.instances.list(scope, { limit: 10_000 });
}

function last(events: AuditEventRecord[]): AuditEventRecord {
  const e = events.at(-1);
  assert.ok(e, "the audit trail is not empty");
  return e;
}

interface Expected {
  code: string;
  status: number;
  names?: RegExp;
}

const INVALID_PARAMETER = (names?: RegExp): Expected => ({ code: "InvalidParameterException", status: 400, ...(names ? { names } : {}) });
const INVALID_REQUEST = (names?: RegExp): Expected => ({ code: "InvalidRequestException", status: 400, ...(names ? { names } : {}) });
const NOT_FOUND = (names?: RegExp): Expected => ({ code: "ResourceNotFoundException", status: 404, ...(names ? { names } : {}) });

/** A refused change: the expected error, no instance created or removed, one new event (the refusal). */
async function refusedChange(h: OperationHarness, name: ServedConnectOperation, input: unknown, expected: Expected): Promise<ServiceError> {
  const instancesBefore = await instancesIn(h);
  const eventsBefore = await h.auditEvents();
  const err = await h.failure(name, input);
  assert.equal(err.code, expected.code, err.message);
  assert.equal(err.status, expected.status);
  if (expected.names) assert.match(err.message, expected.names);
  assert.deepEqual(await instancesIn(h), instancesBefore, "a refused change changes nothing");
  const eventsAfter = await h.auditEvents();
  assert.equal(eventsAfter.length, eventsBefore.length + 1, "exactly one new event: the refusal");
  const e = last(eventsAfter);
  assert.equal(e.eventName, name);
  assert.equal(e.errorCode, expected.code);
  assert.equal(e.record.errorCode, expected.code);
  assert.equal(e.record.errorMessage, err.message);
  assert.equal(e.record.readOnly, false);
  assert.equal(e.record.responseElements, null);
  return err;
}

/** A refused read: the expected error, not audited. */
async function refusedRead(h: OperationHarness, name: ServedConnectOperation, input: unknown, expected: Expected, scope?: Scope) {
  const before = (await h.auditEvents()).length;
  const err = await h.failure(name, input, scope ? { scope } : {});
  assert.equal(err.code, expected.code, err.message);
  assert.equal(err.status, expected.status);
  if (expected.names) assert.match(err.message, expected.names);
  assert.equal((await h.auditEvents()).length, before, "a refused read is not audited");
  return err;
}

async function collectIds(h: OperationHarness, maxResults: number | undefined, scope?: Scope): Promise<{ pages: number; ids: string[] }> {
  const ids: string[] = [];
  let pages = 0;
  let token: string | undefined;
  do {
    const out = await h.run(
      "ListInstances",
      { ...(maxResults === undefined ? {} : { MaxResults: maxResults }), ...(token ? { NextToken: token } : {}) },
      scope ? { scope } : {},
    );
    pages++;
    for (const s of out.InstanceSummaryList ?? []) ids.push(s.Id as string);
    token = out.NextToken;
  } while (token !== undefined && pages < 100);
  return { pages, ids };
}

// ---------------------------------------------------------------------------------------------
// CreateInstance

describe("CreateInstance: what is created", () => {
  test("an ACTIVE instance that DescribeInstance reads back; CreatedTime is a Date from the clock", async (t) => {
    const h = await harness(t);
    h.clock.advance(42_000);
    const { id, arn } = await createInstance(
      h,
      instanceInput("CONNECT_MANAGED", {
        InstanceAlias: "acme-support",
        InboundCallsEnabled: true,
        OutboundCallsEnabled: false,
        Tags: { env: "test" },
      }),
    );
    assert.match(id, UUID);
    assert.equal(arn, `arn:aws:connect:us-east-1:${HARNESS_ACCOUNT}:instance/${id}`);
    const { Instance } = await h.run("DescribeInstance", { InstanceId: id });
    assert.ok(Instance);
    assert.equal(Instance.Id, id);
    assert.equal(Instance.Arn, arn);
    assert.equal(Instance.IdentityManagementType, "CONNECT_MANAGED");
    assert.equal(Instance.InstanceAlias, "acme-support");
    assert.equal(Instance.InstanceStatus, "ACTIVE");
    assert.equal(Instance.InboundCallsEnabled, true);
    assert.equal(Instance.OutboundCallsEnabled, false);
    assert.equal(Instance.InstanceAccessUrl, "https://acme-support.my.connect.aws/");
    assert.match(
      Instance.ServiceRole ?? "",
      new RegExp(
        `^arn:aws:iam::${HARNESS_ACCOUNT}:role/aws-service-role/connect\\.amazonaws\\.com/AWSServiceRoleForAmazonConnect_[0-9A-F]{20}$`,
      ),
    );
    assert.deepEqual(Instance.Tags, { env: "test" });
    assert.ok(Instance.CreatedTime instanceof Date, "CreatedTime is a Date");
    assert.equal(Instance.CreatedTime.getTime(), h.clock.now());
  });

  test("the ARN and the instance belong to the caller's region", async (t) => {
    const h = await harness(t);
    const { id, arn } = await createInstance(h, instanceInput(), WEST);
    assert.equal(arn, `arn:aws:connect:eu-west-2:${HARNESS_ACCOUNT}:instance/${id}`);
    assert.equal((await instancesIn(h)).length, 0, "nothing in us-east-1");
    assert.equal((await instancesIn(h, WEST)).length, 1);
  });

  test("every type can be created with the members it needs", async (t) => {
    const h = await harness(t);
    for (const type of ["CONNECT_MANAGED", "SAML", "EXISTING_DIRECTORY"] as const) {
      const { id } = await createInstance(h, instanceInput(type));
      const { Instance } = await h.run("DescribeInstance", { InstanceId: id });
      assert.equal(Instance?.IdentityManagementType, type);
    }
    // EXISTING_DIRECTORY may also carry an alias
    const { id } = await createInstance(h, instanceInput("EXISTING_DIRECTORY", { InstanceAlias: "corp-directory" }));
    assert.equal((await h.store.instances.get(h.scope, id))?.alias, "corp-directory");
  });

  test("a new instance holds the default security profiles and the basic routing profile", async (t) => {
    const h = await harness(t);
    const { id } = await createInstance(h);
    const sp = await h.run("ListSecurityProfiles", { InstanceId: id });
    assert.deepEqual(
      sp.SecurityProfileSummaryList?.map((p) => p.Name),
      ["Admin", "Agent", "CallCenterManager", "QualityAnalyst"],
    );
    const rp = await h.run("ListRoutingProfiles", { InstanceId: id });
    assert.deepEqual(
      rp.RoutingProfileSummaryList?.map((p) => p.Name),
      ["Basic Routing Profile"],
    );
  });

  test("the success event: eventName, readOnly false, the alias hidden, id and ARN in responseElements", async (t) => {
    const h = await harness(t);
    h.clock.advance(7_000);
    const { id, arn } = await createInstance(
      h,
      instanceInput("CONNECT_MANAGED", { InstanceAlias: "secret-alias", Tags: { env: "test" }, ClientToken: "token-1" }),
    );
    const events = await h.auditEvents();
    assert.equal(events.length, 1);
    const e = last(events);
    assert.equal(e.eventName, "CreateInstance");
    assert.equal(e.errorCode, undefined);
    assert.equal(e.eventTime, h.clock.now());
    assert.equal(e.principalArn, `arn:aws:iam::${HARNESS_ACCOUNT}:root`);
    assert.equal(e.record.eventName, "CreateInstance");
    assert.equal(e.record.eventSource, "connect.amazonaws.com");
    assert.equal(e.record.awsRegion, "us-east-1");
    assert.equal(e.record.readOnly, false);
    assert.equal(e.record.errorCode, undefined);
    assert.deepEqual(e.record.requestParameters, {
      clientToken: "token-1",
      identityManagementType: "CONNECT_MANAGED",
      instanceAlias: HIDDEN,
      inboundCallsEnabled: true,
      outboundCallsEnabled: false,
      tags: { env: "test" },
    });
    assert.deepEqual(e.record.responseElements, { id, arn });
    assert.ok(!JSON.stringify(e.record).includes("secret-alias"), "the alias (sensitive in the model) is not in the event");
  });
});

describe("CreateInstance: members by identity management type", () => {
  test("CONNECT_MANAGED and SAML: InstanceAlias is required (InvalidRequestException naming instanceAlias)", async (t) => {
    const h = await harness(t);
    for (const type of ["CONNECT_MANAGED", "SAML"] as const) {
      await refusedChange(
        h,
        "CreateInstance",
        instanceInput(type, { InstanceAlias: undefined }),
        INVALID_REQUEST(new RegExp(`'instanceAlias'.*${type}`)),
      );
    }
  });

  test("CONNECT_MANAGED and SAML: DirectoryId is refused", async (t) => {
    const h = await harness(t);
    for (const type of ["CONNECT_MANAGED", "SAML"] as const) {
      await refusedChange(
        h,
        "CreateInstance",
        instanceInput(type, { DirectoryId: DIRECTORY_ID }),
        INVALID_REQUEST(/'directoryId'.*only for EXISTING_DIRECTORY/),
      );
    }
  });

  test("both problems are reported together", async (t) => {
    const h = await harness(t);
    const err = await refusedChange(
      h,
      "CreateInstance",
      instanceInput("SAML", { InstanceAlias: undefined, DirectoryId: DIRECTORY_ID }),
      INVALID_REQUEST(/^2 validation errors detected/),
    );
    assert.match(err.message, /'instanceAlias'/);
    assert.match(err.message, /'directoryId'/);
  });

  test("EXISTING_DIRECTORY: DirectoryId is required", async (t) => {
    const h = await harness(t);
    await refusedChange(
      h,
      "CreateInstance",
      instanceInput("EXISTING_DIRECTORY", { DirectoryId: undefined, InstanceAlias: "corp" }),
      INVALID_REQUEST(/'directoryId'/),
    );
  });
});

describe("CreateInstance: model constraints → InvalidParameterException", () => {
  test("InstanceAlias: 1..45 letters, digits and inner hyphens, not starting with d-; never echoed", async (t) => {
    const h = await harness(t);
    await createInstance(h, instanceInput("CONNECT_MANAGED", { InstanceAlias: `a${"b".repeat(44)}` }));
    await createInstance(h, instanceInput("CONNECT_MANAGED", { InstanceAlias: "x" }));
    await createInstance(h, instanceInput("CONNECT_MANAGED", { InstanceAlias: "a--b" }));
    for (const bad of ["d-corp", "-corp", "corp-", "corp alias", "corp_alias", "c".repeat(46), ""]) {
      const err = await refusedChange(
        h,
        "CreateInstance",
        instanceInput("CONNECT_MANAGED", { InstanceAlias: bad }),
        INVALID_PARAMETER(/'instanceAlias'/),
      );
      if (bad.length > 1) assert.ok(!err.message.includes(bad), `the alias ${bad} is not echoed`);
    }
  });

  test("DirectoryId must be d- and 10 hex digits", async (t) => {
    const h = await harness(t);
    for (const bad of ["d-123", "d-012345678g", "x-0123456789"]) {
      await refusedChange(h, "CreateInstance", instanceInput("EXISTING_DIRECTORY", { DirectoryId: bad }), INVALID_PARAMETER(/directoryId/));
    }
  });

  test("IdentityManagementType must be one of the enum; the booleans are required", async (t) => {
    const h = await harness(t);
    await refusedChange(
      h,
      "CreateInstance",
      { ...instanceInput(), IdentityManagementType: "LDAP" },
      INVALID_PARAMETER(/identityManagementType.*enum/),
    );
    const { InboundCallsEnabled: _in, ...withoutInbound } = instanceInput();
    await refusedChange(h, "CreateInstance", withoutInbound, INVALID_PARAMETER(/'inboundCallsEnabled'.*must not be null/));
    await refusedChange(
      h,
      "CreateInstance",
      { ...instanceInput(), OutboundCallsEnabled: "yes" },
      {
        code: "SerializationException",
        status: 400,
        names: /outboundCallsEnabled/,
      },
    );
  });

  test("Tags: at least one, keys not starting with aws:", async (t) => {
    const h = await harness(t);
    await refusedChange(h, "CreateInstance", instanceInput("CONNECT_MANAGED", { Tags: {} }), INVALID_PARAMETER(/tags/));
    await refusedChange(h, "CreateInstance", instanceInput("CONNECT_MANAGED", { Tags: { "aws:owner": "x" } }), INVALID_PARAMETER(/tags/));
  });
});

describe("CreateInstance: aliases are unique per account and region", () => {
  test("a taken alias → InvalidRequestException; the first instance is untouched", async (t) => {
    const h = await harness(t);
    const first = await createInstance(h, instanceInput("CONNECT_MANAGED", { InstanceAlias: "acme" }));
    for (const type of ["CONNECT_MANAGED", "SAML", "EXISTING_DIRECTORY"] as const) {
      const err = await refusedChange(
        h,
        "CreateInstance",
        instanceInput(type, { InstanceAlias: "acme" }),
        INVALID_REQUEST(/already in use/),
      );
      assert.equal(err.message, "The instance alias acme is already in use.");
    }
    const all = await instancesIn(h);
    assert.deepEqual(
      all.map((i) => [i.id, i.alias]),
      [[first.id, "acme"]],
    );
    // the refused attempts left no default profiles behind either
    const profiles = await h.store.profiles.list(h.scope, first.id, "security", { limit: 100 });
    assert.equal(profiles.length, 4);
  });

  test("the same alias in another region is another instance", async (t) => {
    const h = await harness(t);
    await createInstance(h, instanceInput("CONNECT_MANAGED", { InstanceAlias: "acme" }));
    await createInstance(h, instanceInput("CONNECT_MANAGED", { InstanceAlias: "acme" }), WEST);
    assert.equal((await instancesIn(h, WEST)).length, 1);
  });

  test("several EXISTING_DIRECTORY instances without an alias may coexist", async (t) => {
    const h = await harness(t);
    await createInstance(h, instanceInput("EXISTING_DIRECTORY"));
    await createInstance(h, instanceInput("EXISTING_DIRECTORY", { DirectoryId: "d-abcdef0123" }));
    assert.equal((await instancesIn(h)).length, 2);
  });

  test("aliases differing only in case name the same access URL, so they collide", async (t) => {
    const h = await harness(t);
    await createInstance(h, instanceInput("CONNECT_MANAGED", { InstanceAlias: "Acme" }));
    await refusedChange(
      h,
      "CreateInstance",
      instanceInput("CONNECT_MANAGED", { InstanceAlias: "acme" }),
      INVALID_REQUEST(/already in use/),
    );
  });
});

describe("CreateInstance: the instances quota", () => {
  test("beyond instancesPerRegion → ServiceQuotaExceededException (402); other regions are not affected", async (t) => {
    const h = await harness(t, { quotas: { instancesPerRegion: 2 } });
    const first = await createInstance(h);
    await createInstance(h);
    const err = await refusedChange(h, "CreateInstance", instanceInput(), { code: "ServiceQuotaExceededException", status: 402 });
    assert.match(err.message, new RegExp(`${HARNESS_ACCOUNT}.*maximum of 2 .*us-east-1`));
    assert.equal(await h.store.instances.count(h.scope), 2);
    await createInstance(h, instanceInput(), WEST);
    // deleting one makes room again
    await h.run("DeleteInstance", { InstanceId: first.id });
    await createInstance(h);
    assert.equal(await h.store.instances.count(h.scope), 2);
  });

  test("the type rules are checked before the quota", async (t) => {
    const h = await harness(t, { quotas: { instancesPerRegion: 0 } });
    await refusedChange(h, "CreateInstance", instanceInput("SAML", { InstanceAlias: undefined }), INVALID_REQUEST(/instanceAlias/));
    await refusedChange(h, "CreateInstance", instanceInput(), { code: "ServiceQuotaExceededException", status: 402 });
  });
});

// ---------------------------------------------------------------------------------------------
// DescribeInstance

describe("DescribeInstance", () => {
  test("by id or by ARN", async (t) => {
    const h = await harness(t);
    const { id, arn } = await createInstance(h);
    for (const InstanceId of [id, arn]) {
      const { Instance } = await h.run("DescribeInstance", { InstanceId });
      assert.equal(Instance?.Id, id);
    }
  });

  test("an unknown id → ResourceNotFoundException naming it", async (t) => {
    const h = await harness(t);
    await createInstance(h);
    await refusedRead(h, "DescribeInstance", { InstanceId: NOBODY }, NOT_FOUND(new RegExp(`Instance not found: ${NOBODY}`)));
  });

  test("an ARN of another account, region or partition, or of something inside the instance, does not resolve", async (t) => {
    const h = await harness(t);
    const { arn } = await createInstance(h);
    const wrong = [
      arn.replace(`:${HARNESS_ACCOUNT}:`, ":111122223333:"),
      arn.replace(":us-east-1:", ":eu-west-2:"),
      arn.replace("arn:aws:", "arn:aws-cn:"),
      `${arn}/agent/x`,
      arn.replace(":connect:", ":chime:"),
    ];
    for (const InstanceId of wrong) await refusedRead(h, "DescribeInstance", { InstanceId }, NOT_FOUND(/Instance not found/));
  });

  test("an instance is visible only in its own region, also by its own ARN", async (t) => {
    const h = await harness(t);
    const { id, arn } = await createInstance(h);
    await refusedRead(h, "DescribeInstance", { InstanceId: id }, NOT_FOUND(), WEST);
    await refusedRead(h, "DescribeInstance", { InstanceId: arn }, NOT_FOUND(), WEST);
  });

  test("InstanceId outside 1..100 characters → InvalidParameterException", async (t) => {
    const h = await harness(t);
    await refusedRead(h, "DescribeInstance", { InstanceId: "" }, INVALID_PARAMETER(/instanceId/));
    await refusedRead(h, "DescribeInstance", { InstanceId: "i".repeat(101) }, INVALID_PARAMETER(/instanceId/));
  });

  test("reads are not audited", async (t) => {
    const h = await harness(t);
    const { id } = await createInstance(h);
    const before = (await h.auditEvents()).length;
    await h.run("DescribeInstance", { InstanceId: id });
    assert.equal((await h.auditEvents()).length, before);
  });
});

// ---------------------------------------------------------------------------------------------
// ListInstances

describe("ListInstances", () => {
  test("summaries of the region's instances, ordered by id, with CreatedTime as a Date from the clock", async (t) => {
    const h = await harness(t);
    const created = new Map<string, number>();
    for (let i = 0; i < 4; i++) {
      h.clock.advance(1_000);
      created.set((await createInstance(h)).id, h.clock.now());
    }
    await createInstance(h, instanceInput(), WEST);
    const out = await h.run("ListInstances", {});
    assert.equal(out.NextToken, undefined);
    const list = out.InstanceSummaryList ?? [];
    assert.deepEqual(
      list.map((s) => s.Id),
      [...created.keys()].sort(),
    );
    for (const s of list) {
      assert.ok(s.CreatedTime instanceof Date);
      assert.equal(s.CreatedTime.getTime(), created.get(s.Id as string));
      assert.equal(s.InstanceStatus, "ACTIVE");
      assert.equal(s.IdentityManagementType, "CONNECT_MANAGED");
      assert.match(s.InstanceAlias ?? "", /^sb-inst-\d+$/);
      assert.equal(s.Arn, `arn:aws:connect:us-east-1:${HARNESS_ACCOUNT}:instance/${s.Id}`);
      assert.equal("Tags" in s, false, "a summary has no tags");
    }
  });

  test("MaxResults pages through every instance once", async (t) => {
    const h = await harness(t);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await createInstance(h)).id);
    const { pages, ids: listed } = await collectIds(h, 2);
    assert.equal(pages, 3);
    assert.deepEqual(listed, ids.sort());
  });

  test("the default page is 10 instances", async (t) => {
    const h = await harness(t);
    for (let i = 0; i < 11; i++) await createInstance(h);
    const first = await h.run("ListInstances", {});
    assert.equal(first.InstanceSummaryList?.length, 10);
    assert.ok(first.NextToken);
    const { pages, ids } = await collectIds(h, undefined);
    assert.equal(pages, 2);
    assert.equal(new Set(ids).size, 11);
  });

  test("MaxResults outside 1..10 → InvalidParameterException naming maxResults", async (t) => {
    const h = await harness(t);
    for (const MaxResults of [0, 11]) await refusedRead(h, "ListInstances", { MaxResults }, INVALID_PARAMETER(/maxResults/));
  });

  test("a forged token, or one from another operation, → InvalidParameterException naming nextToken", async (t) => {
    const h = await harness(t);
    const a = await createInstance(h);
    await createInstance(h);
    const { NextToken } = await h.run("ListInstances", { MaxResults: 1 });
    assert.ok(NextToken);
    const decoded = JSON.parse(Buffer.from(NextToken, "base64url").toString("utf8")) as { k: string; c: string };
    const forged = [
      "garbage",
      Buffer.from(JSON.stringify({ k: decoded.k, c: "AAAAAAAAAAAAAAAA" })).toString("base64url"),
      Buffer.from(JSON.stringify({ k: "", c: decoded.c })).toString("base64url"),
      Buffer.from("[1,2]").toString("base64url"),
    ];
    for (const token of forged) await refusedRead(h, "ListInstances", { NextToken: token }, INVALID_PARAMETER(/nextToken/));
    // a token of another listing
    await refusedRead(h, "ListUsers", { InstanceId: a.id, NextToken }, INVALID_PARAMETER(/nextToken/));
    // the genuine one works
    const next = await h.run("ListInstances", { MaxResults: 1, NextToken });
    assert.equal(next.InstanceSummaryList?.length, 1);
    assert.equal(next.NextToken, undefined);
  });

  test("a token is bound to the region it was issued in", async (t) => {
    const h = await harness(t);
    await createInstance(h);
    await createInstance(h);
    const { NextToken } = await h.run("ListInstances", { MaxResults: 1 });
    assert.ok(NextToken);
    await createInstance(h, instanceInput(), WEST);
    await refusedRead(h, "ListInstances", { NextToken }, INVALID_PARAMETER(/nextToken/), WEST);
  });

  test("reads are not audited", async (t) => {
    const h = await harness(t);
    await createInstance(h);
    const before = (await h.auditEvents()).length;
    await h.run("ListInstances", {});
    await h.run("ListInstances", { MaxResults: 1 });
    assert.equal((await h.auditEvents()).length, before);
  });
});

// ---------------------------------------------------------------------------------------------
// DeleteInstance

/** An instance with two users in it. */
async function populated(h: OperationHarness): Promise<{ id: string; arn: string; userIds: string[]; profileIds: string[] }> {
  const instance = await createInstance(h);
  const sp = await h.run("ListSecurityProfiles", { InstanceId: instance.id });
  const rp = await h.run("ListRoutingProfiles", { InstanceId: instance.id });
  const securityProfileId = sp.SecurityProfileSummaryList?.[0]?.Id as string;
  const routingProfileId = rp.RoutingProfileSummaryList?.[0]?.Id as string;
  const userIds: string[] = [];
  for (const Username of ["ada", "grace"]) {
    const out = await h.run("CreateUser", {
      InstanceId: instance.id,
      Username,
      Password: "Corr3ct-Horse",
      IdentityInfo: { FirstName: "A", LastName: "B" },
      PhoneConfig: { PhoneType: "SOFT_PHONE" },
      SecurityProfileIds: [securityProfileId],
      RoutingProfileId: routingProfileId,
    });
    userIds.push(out.UserId as string);
  }
  return { ...instance, userIds, profileIds: [securityProfileId, routingProfileId] };
}

describe("DeleteInstance", () => {
  test("removes the instance with its users and profiles; other instances keep theirs", async (t) => {
    const h = await harness(t);
    const doomed = await populated(h);
    const kept = await populated(h);
    const out = await h.run("DeleteInstance", { InstanceId: doomed.id });
    assert.equal(out, undefined);
    assert.equal(await h.store.instances.get(h.scope, doomed.id), undefined);
    assert.equal(await h.store.users.count(h.scope, doomed.id), 0);
    for (const userId of doomed.userIds) assert.equal(await h.store.users.get(h.scope, doomed.id, userId), undefined);
    assert.deepEqual(await h.store.profiles.list(h.scope, doomed.id, "security", { limit: 100 }), []);
    assert.deepEqual(await h.store.profiles.list(h.scope, doomed.id, "routing", { limit: 100 }), []);
    await refusedRead(h, "DescribeInstance", { InstanceId: doomed.id }, NOT_FOUND());
    await refusedRead(h, "ListUsers", { InstanceId: doomed.id }, NOT_FOUND());
    await refusedRead(h, "DescribeUser", { InstanceId: doomed.id, UserId: doomed.userIds[0] }, NOT_FOUND());
    // the other instance is whole
    assert.equal(await h.store.users.count(h.scope, kept.id), 2);
    assert.equal((await h.store.profiles.list(h.scope, kept.id, "security", { limit: 100 })).length, 4);
  });

  test("by ARN; the alias is free again afterwards", async (t) => {
    const h = await harness(t);
    const { id, arn } = await createInstance(h, instanceInput("CONNECT_MANAGED", { InstanceAlias: "reused" }));
    await h.run("DeleteInstance", { InstanceId: arn });
    assert.equal(await h.store.instances.get(h.scope, id), undefined);
    const again = await createInstance(h, instanceInput("CONNECT_MANAGED", { InstanceAlias: "reused" }));
    assert.notEqual(again.id, id);
  });

  test("the success event: eventName, readOnly false, the request's members", async (t) => {
    const h = await harness(t);
    const { id } = await createInstance(h);
    h.clock.advance(3_000);
    await h.run("DeleteInstance", { InstanceId: id });
    const events = await h.auditEvents();
    assert.equal(events.length, 2);
    const e = last(events);
    assert.equal(e.eventName, "DeleteInstance");
    assert.equal(e.errorCode, undefined);
    assert.equal(e.eventTime, h.clock.now());
    assert.equal(e.record.readOnly, false);
    assert.deepEqual(e.record.requestParameters, { instanceId: id });
  });

  test("an unknown instance → ResourceNotFoundException, audited; deleting twice likewise", async (t) => {
    const h = await harness(t);
    const { id } = await createInstance(h);
    await refusedChange(h, "DeleteInstance", { InstanceId: NOBODY }, NOT_FOUND(new RegExp(`Instance not found: ${NOBODY}`)));
    await h.run("DeleteInstance", { InstanceId: id });
    await refusedChange(h, "DeleteInstance", { InstanceId: id }, NOT_FOUND(/Instance not found/));
  });

  test("an ARN of another account, region or partition does not resolve: nothing is deleted", async (t) => {
    const h = await harness(t);
    const { id, arn } = await populated(h);
    for (const wrong of [
      arn.replace(`:${HARNESS_ACCOUNT}:`, ":111122223333:"),
      arn.replace(":us-east-1:", ":eu-west-2:"),
      arn.replace("arn:aws:", "arn:aws-cn:"),
      `${arn}/agent/x`,
    ]) {
      await refusedChange(h, "DeleteInstance", { InstanceId: wrong }, NOT_FOUND(/Instance not found/));
    }
    assert.ok(await h.store.instances.get(h.scope, id));
    assert.equal(await h.store.users.count(h.scope, id), 2);
  });

  test("an instance of another region is not deleted from this one", async (t) => {
    const h = await harness(t);
    const { id } = await createInstance(h);
    const err = await h.failure("DeleteInstance", { InstanceId: id }, { scope: WEST });
    assert.equal(err.code, "ResourceNotFoundException");
    assert.equal(err.status, 404);
    assert.ok(await h.store.instances.get(h.scope, id));
    const e = last(await h.auditEvents());
    assert.equal(e.eventName, "DeleteInstance");
    assert.equal(e.errorCode, "ResourceNotFoundException");
    assert.equal(e.region, "eu-west-2");
  });
});
