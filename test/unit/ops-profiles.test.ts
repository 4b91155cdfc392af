// Rule tests for ListSecurityProfiles and ListRoutingProfiles, run through the operation harness:
// the model's validation, then the invoke step, on an in-memory store — no HTTP. Rules:
// src/operations/profiles/list-profiles.ts, src/operations/instances/defaults.ts and the README's
// "Fidelity notes" (profile lists ordered by name; tokens bound to their listing).
import assert from "node:assert/strict";
import { describe, type TestContext, test } from "node:test";
import type { Scope } from "../../src/common/arn.js";
import type { ServiceError } from "../../src/common/errors.js";
import type { ServedConnectOperation } from "../../src/operations/connect-service.js";
import type { ProfileKind } from "../../src/store/records.js";
import { HARNESS_ACCOUNT, type HarnessOptions, type OperationHarness, operationHarness } from "../helpers/operation-harness.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const NOBODY = "00000000-0000-4000-8000-000000000000";
const WEST: Scope = { account: HARNESS_ACCOUNT, region: "eu-west-2" };
const SECURITY_NAMES = ["Admin", "Agent", "CallCenterManager", "QualityAnalyst"];

type ListOperation = "ListSecurityProfiles" | "ListRoutingProfiles";
const KINDS: readonly { op: ListOperation; kind: ProfileKind; type: string }[] = [
  { op: "ListSecurityProfiles", kind: "security", type: "security-profile" },
  { op: "ListRoutingProfiles", kind: "routing", type: "routing-profile" },
];

async function harness(t: TestContext, options: HarnessOptions = {}): Promise<OperationHarness> {
  const h = await operationHarness(options);
  t.after(() => h.close());
  return h;
}

let aliasSeq = 0;

async function createInstance(h: OperationHarness, scope?: Scope): Promise<{ id: string; arn: string }> {
  const out = await h.run(
    "CreateInstance",
    {
      IdentityManagementType: "CONNECT_MANAGED",
      InstanceAlias: `sb-prof-${++aliasSeq}`,
      InboundCallsEnabled: true,
      OutboundCallsEnabled: true,
    },
    scope ? { scope } : {},
  );
  assert.ok(out.Id && out.Arn);
  return { id: out.Id, arn: out.Arn };
}

interface Summary {
  Id?: string | undefined;
  Arn?: string | undefined;
  Name?: string | undefined;
  LastModifiedTime?: Date | undefined;
  LastModifiedRegion?: string | undefined;
}

/** One page of either listing, as { items, NextToken }. */
async function list(
  h: OperationHarness,
  op: ListOperation,
  input: { InstanceId: string; MaxResults?: number; NextToken?: string },
  scope?: Scope,
): Promise<{ items: Summary[]; NextToken: string | undefined }> {
  const opts = scope ? { scope } : {};
  if (op === "ListSecurityProfiles") {
    const out = await h.run(op, input, opts);
    return { items: out.SecurityProfileSummaryList ?? [], NextToken: out.NextToken };
  }
  const out = await h.run(op, input, opts);
  return { items: out.RoutingProfileSummaryList ?? [], NextToken: out.NextToken };
}

interface Expected {
  code: string;
  status: number;
  names?: RegExp;
}

const INVALID_PARAMETER = (names?: RegExp): Expected => ({ code: "InvalidParameterException", status: 400, ...(names ? { names } : {}) });
const NOT_FOUND = (names?: RegExp): Expected => ({ code: "ResourceNotFoundException", status: 404, ...(names ? { names } : {}) });

/** A refused read: the expected error, not audited. */
async function refusedRead(
  h: OperationHarness,
  name: ServedConnectOperation,
  input: unknown,
  expected: Expected,
  scope?: Scope,
): Promise<ServiceError> {
  const before = (await h.auditEvents()).length;
  const err = await h.failure(name, input, scope ? { scope } : {});
  assert.equal(err.code, expected.code, err.message);
  assert.equal(err.status, expected.status);
  if (expected.names) assert.match(err.message, expected.names);
  assert.equal((await h.auditEvents()).length, before, "a refused read is not audited");
  return err;
}

describe("ListSecurityProfiles / ListRoutingProfiles: contents", () => {
  test("a new instance lists the four default security profiles, ordered by name", async (t) => {
    const h = await harness(t);
    const instance = await createInstance(h);
    const { items, NextToken } = await list(h, "ListSecurityProfiles", { InstanceId: instance.id });
    assert.equal(NextToken, undefined);
    assert.deepEqual(
      items.map((p) => p.Name),
      SECURITY_NAMES,
    );
    assert.equal(new Set(items.map((p) => p.Id)).size, 4, "distinct ids");
  });

  test("a new instance lists one routing profile, Basic Routing Profile", async (t) => {
    const h = await harness(t);
    const instance = await createInstance(h);
    const { items, NextToken } = await list(h, "ListRoutingProfiles", { InstanceId: instance.id });
    assert.equal(NextToken, undefined);
    assert.deepEqual(
      items.map((p) => p.Name),
      ["Basic Routing Profile"],
    );
  });

  for (const { op, kind, type } of KINDS) {
    test(`${op}: ids, ARNs inside the instance, and LastModifiedTime as a Date of the instance's creation`, async (t) => {
      const h = await harness(t);
      h.clock.advance(12_345);
      const created = h.clock.now();
      const instance = await createInstance(h);
      h.clock.advance(60_000); // listing later does not change the profiles' time
      const { items } = await list(h, op, { InstanceId: instance.id });
      assert.ok(items.length > 0);
      for (const p of items) {
        assert.match(p.Id ?? "", UUID);
        assert.equal(p.Arn, `${instance.arn}/${type}/${p.Id}`);
        assert.ok(p.LastModifiedTime instanceof Date, "LastModifiedTime is a Date");
        assert.equal(p.LastModifiedTime.getTime(), created);
        assert.equal(p.LastModifiedRegion, "us-east-1");
        // what is listed is what the store holds under that kind
        const stored = await h.store.profiles.get(h.scope, instance.id, kind, p.Id as string);
        assert.equal(stored?.name, p.Name);
      }
    });
  }

  test("the listed profiles are the ones CreateUser accepts", async (t) => {
    const h = await harness(t);
    const instance = await createInstance(h);
    const security = await list(h, "ListSecurityProfiles", { InstanceId: instance.id });
    const routing = await list(h, "ListRoutingProfiles", { InstanceId: instance.id });
    const out = await h.run("CreateUser", {
      InstanceId: instance.id,
      Username: "ada",
      Password: "Corr3ct-Horse",
      IdentityInfo: { FirstName: "Ada", LastName: "Lovelace" },
      PhoneConfig: { PhoneType: "SOFT_PHONE" },
      SecurityProfileIds: security.items.map((p) => p.Arn as string),
      RoutingProfileId: routing.items[0]?.Arn as string,
    });
    const user = await h.store.users.get(h.scope, instance.id, out.UserId as string);
    assert.deepEqual(
      user?.securityProfileIds,
      security.items.map((p) => p.Id),
    );
    assert.equal(user?.routingProfileId, routing.items[0]?.Id);
  });

  test("each instance has profiles of its own", async (t) => {
    const h = await harness(t);
    const a = await createInstance(h);
    const b = await createInstance(h);
    for (const { op } of KINDS) {
      const la = await list(h, op, { InstanceId: a.id });
      const lb = await list(h, op, { InstanceId: b.id });
      assert.deepEqual(
        la.items.map((p) => p.Name),
        lb.items.map((p) => p.Name),
      );
      const shared = la.items.filter((p) => lb.items.some((q) => q.Id === p.Id));
      assert.deepEqual(shared, [], "no profile id is shared between instances");
      for (const p of lb.items) assert.ok(p.Arn?.startsWith(`${b.arn}/`));
    }
  });
});

describe("ListSecurityProfiles / ListRoutingProfiles: which instance", () => {
  for (const { op } of KINDS) {
    test(`${op}: InstanceId may be the instance's ARN`, async (t) => {
      const h = await harness(t);
      const instance = await createInstance(h);
      const byId = await list(h, op, { InstanceId: instance.id });
      const byArn = await list(h, op, { InstanceId: instance.arn });
      assert.deepEqual(byArn.items, byId.items);
    });

    test(`${op}: an unknown instance → ResourceNotFoundException naming it`, async (t) => {
      const h = await harness(t);
      await createInstance(h);
      await refusedRead(h, op, { InstanceId: NOBODY }, NOT_FOUND(new RegExp(`Instance not found: ${NOBODY}`)));
    });

    test(`${op}: an ARN of another account, region or partition, or of something inside the instance, does not resolve`, async (t) => {
      const h = await harness(t);
      const instance = await createInstance(h);
      const wrong = [
        instance.arn.replace(`:${HARNESS_ACCOUNT}:`, ":111122223333:"),
        instance.arn.replace(":us-east-1:", ":eu-west-2:"),
        instance.arn.replace("arn:aws:", "arn:aws-cn:"),
        `${instance.arn}/agent/x`, // (a whole profile ARN is longer than InstanceId's 100 characters)
      ];
      for (const InstanceId of wrong) await refusedRead(h, op, { InstanceId }, NOT_FOUND(/Instance not found/));
    });

    test(`${op}: an instance of another region is not visible`, async (t) => {
      const h = await harness(t);
      const instance = await createInstance(h);
      await refusedRead(h, op, { InstanceId: instance.id }, NOT_FOUND(), WEST);
      const west = await createInstance(h, WEST);
      const { items } = await list(h, op, { InstanceId: west.arn }, WEST);
      for (const p of items) {
        assert.ok(p.Arn?.startsWith(`arn:aws:connect:eu-west-2:${HARNESS_ACCOUNT}:instance/${west.id}/`));
        assert.equal(p.LastModifiedRegion, "eu-west-2");
      }
    });

    test(`${op}: a deleted instance's profiles are gone`, async (t) => {
      const h = await harness(t);
      const instance = await createInstance(h);
      const { items } = await list(h, op, { InstanceId: instance.id });
      await h.run("DeleteInstance", { InstanceId: instance.id });
      await refusedRead(h, op, { InstanceId: instance.id }, NOT_FOUND());
      for (const { kind } of KINDS) {
        for (const p of items) assert.equal(await h.store.profiles.get(h.scope, instance.id, kind, p.Id as string), undefined);
      }
    });
  }
});

describe("ListSecurityProfiles / ListRoutingProfiles: pagination", () => {
  test("MaxResults pages through every security profile once, in name order", async (t) => {
    const h = await harness(t);
    const instance = await createInstance(h);
    const pages: string[][] = [];
    let token: string | undefined;
    do {
      const page = await list(h, "ListSecurityProfiles", {
        InstanceId: instance.id,
        MaxResults: 3,
        ...(token ? { NextToken: token } : {}),
      });
      pages.push(page.items.map((p) => p.Name as string));
      token = page.NextToken;
    } while (token !== undefined && pages.length < 10);
    assert.deepEqual(pages, [SECURITY_NAMES.slice(0, 3), SECURITY_NAMES.slice(3)]);
  });

  test("a page that ends at the last profile has no NextToken", async (t) => {
    const h = await harness(t);
    const instance = await createInstance(h);
    const security = await list(h, "ListSecurityProfiles", { InstanceId: instance.id, MaxResults: 4 });
    assert.equal(security.items.length, 4);
    assert.equal(security.NextToken, undefined);
    const routing = await list(h, "ListRoutingProfiles", { InstanceId: instance.id, MaxResults: 1 });
    assert.equal(routing.items.length, 1);
    assert.equal(routing.NextToken, undefined);
  });

  for (const { op } of KINDS) {
    test(`${op}: MaxResults outside 1..1000 → InvalidParameterException naming maxResults`, async (t) => {
      const h = await harness(t);
      const instance = await createInstance(h);
      for (const MaxResults of [0, 1001])
        await refusedRead(h, op, { InstanceId: instance.id, MaxResults }, INVALID_PARAMETER(/maxResults/));
      await refusedRead(h, op, { InstanceId: instance.id, MaxResults: 2.5 }, { code: "SerializationException", status: 400 });
    });

    test(`${op}: a forged token → InvalidParameterException naming nextToken`, async (t) => {
      const h = await harness(t);
      const instance = await createInstance(h);
      const forged = [
        "AAAA",
        Buffer.from(JSON.stringify({ k: "Admin", c: "AAAAAAAAAAAAAAAA" })).toString("base64url"),
        Buffer.from(JSON.stringify({ k: "Admin" })).toString("base64url"),
      ];
      for (const NextToken of forged) await refusedRead(h, op, { InstanceId: instance.id, NextToken }, INVALID_PARAMETER(/nextToken/));
    });
  }

  test("a token is bound to its listing: its operation and its instance", async (t) => {
    const h = await harness(t);
    const a = await createInstance(h);
    const b = await createInstance(h);
    const { NextToken } = await list(h, "ListSecurityProfiles", { InstanceId: a.id, MaxResults: 1 });
    assert.ok(NextToken);
    await refusedRead(h, "ListRoutingProfiles", { InstanceId: a.id, NextToken }, INVALID_PARAMETER(/nextToken/));
    await refusedRead(h, "ListSecurityProfiles", { InstanceId: b.id, NextToken }, INVALID_PARAMETER(/nextToken/));
    await refusedRead(h, "ListUsers", { InstanceId: a.id, NextToken }, INVALID_PARAMETER(/nextToken/));
    // and valid where it came from, also when the instance is named by its ARN
    const next = await list(h, "ListSecurityProfiles", { InstanceId: a.arn, MaxResults: 1, NextToken });
    assert.deepEqual(
      next.items.map((p) => p.Name),
      ["Agent"],
    );
  });
});

describe("ListSecurityProfiles / ListRoutingProfiles: audit", () => {
  test("reads are not audited, whether they succeed or fail", async (t) => {
    const h = await harness(t);
    const instance = await createInstance(h);
    const before = (await h.auditEvents()).length;
    for (const { op } of KINDS) {
      await list(h, op, { InstanceId: instance.id });
      await list(h, op, { InstanceId: instance.id, MaxResults: 1 });
      await h.failure(op, { InstanceId: NOBODY });
    }
    assert.equal((await h.auditEvents()).length, before);
  });
});
