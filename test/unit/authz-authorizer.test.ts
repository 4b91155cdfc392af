// The authorizer: root allowed; identity policies decide everyone else; AWS's exact
// AccessDeniedException messages; aws:ResourceTag/* from the target user, another resource's from
// the tag store by ARN, or else the instance's; aws:TagKeys from UntagResource's tagKeys;
// no existence leak (a denied call on a missing user is AccessDenied, not 404).
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { type AuthorizationRequest, accessDeniedMessage, createAuthorizer } from "../../src/authz/authorizer.js";
import { PrincipalDirectory } from "../../src/authz/principal-directory.js";
import type { Caller } from "../../src/common/caller.js";
import { ServiceError } from "../../src/common/errors.js";
import { CONNECT_OPERATIONS } from "../../src/operations/connect-service.js";
import { type ServedOperation, served } from "../../src/operations/declare.js";
import { onUser } from "../../src/operations/iam-targets.js";
import type { InstanceRecord, UserRecord } from "../../src/store/records.js";
import { SqlStore } from "../../src/store/sql/sql-store.js";
import { SqliteDriver } from "../../src/store/sqlite/sqlite-driver.js";
import type { Store } from "../../src/store/store.js";

const ACCOUNT = "000000000000";
const SCOPE = { account: ACCOUNT, region: "us-east-1" };
const INSTANCE = "11111111-2222-3333-4444-555555555555";
const ADMIN = "aaaaaaaa-0000-0000-0000-000000000001";
const AGENT = "aaaaaaaa-0000-0000-0000-000000000002";
const MISSING = "aaaaaaaa-0000-0000-0000-00000000dead";
const INSTANCE_ARN = `arn:aws:connect:us-east-1:${ACCOUNT}:instance/${INSTANCE}`;
const userArn = (id: string) => `${INSTANCE_ARN}/agent/${id}`;
const principalArn = (name: string) => `arn:aws:iam::${ACCOUNT}:user/${name}`;
const PROFILE = "bbbbbbbb-0000-0000-0000-000000000001";
const PROFILE_ARN = `${INSTANCE_ARN}/security-profile/${PROFILE}`;
const NOT_RED = {
  Version: "2012-10-17",
  Statement: [
    { Effect: "Allow", Action: "connect:*", Resource: "*" },
    { Effect: "Deny", Action: "connect:*", Resource: "*", Condition: { StringEquals: { "aws:ResourceTag/team": "red" } } },
  ],
};
const UNTAG_FLOOR_ONLY = {
  Version: "2012-10-17",
  Statement: {
    Effect: "Allow",
    Action: "connect:UntagResource",
    Resource: "*",
    Condition: { "ForAllValues:StringEquals": { "aws:TagKeys": ["floor"] } },
  },
};

const HELPDESK_POLICY = {
  Version: "2012-10-17",
  Statement: [
    { Sid: "AllowConnect", Effect: "Allow", Action: "connect:*", Resource: `${INSTANCE_ARN}*` },
    {
      Sid: "NoAdminIdentityChanges",
      Effect: "Deny",
      Action: "connect:UpdateUserIdentityInfo",
      Resource: "*",
      Condition: { StringEquals: { "aws:ResourceTag/role": "admin" } },
    },
  ],
};
const TAGGED_INSTANCE_ONLY = {
  Version: "2012-10-17",
  Statement: { Effect: "Allow", Action: "connect:*", Resource: "*", Condition: { StringEquals: { "aws:ResourceTag/env": "sandbox" } } },
};

let iamStore: Store;
let directory: PrincipalDirectory;
/** what the fake data store was asked for */
let reads: string[];

const users: Record<string, Partial<UserRecord>> = {
  [ADMIN]: { id: ADMIN, tags: { role: "admin" } },
  [AGENT]: { id: AGENT, tags: { role: "agent", env: "prod" } },
};
const dataStore = {
  users: {
    get: async (_s: unknown, instanceId: string, userId: string) => {
      reads.push(`user ${userId}`);
      return instanceId === INSTANCE ? (users[userId] as UserRecord | undefined) : undefined;
    },
  },
  tags: {
    get: async (_s: unknown, arn: string) => {
      reads.push(`tags ${arn}`);
      return arn === PROFILE_ARN ? { team: "red" } : undefined;
    },
  },
  instances: {
    get: async (_s: unknown, instanceId: string) => {
      reads.push(`instance ${instanceId}`);
      return instanceId === INSTANCE
        ? ({ id: INSTANCE, tags: { env: "sandbox" } } as Partial<InstanceRecord> as InstanceRecord)
        : undefined;
    },
  },
} as unknown as Store;

async function principal(name: string, policies: Record<string, unknown>) {
  await iamStore.iam.putPrincipal({ account: ACCOUNT, name, arn: principalArn(name), tags: {}, createdTime: 1 });
  for (const [policyName, doc] of Object.entries(policies)) {
    await iamStore.iam.putPolicy({ account: ACCOUNT, principalName: name, policyName, document: JSON.stringify(doc) });
  }
}

const caller = (name: string): Caller => ({
  accessKeyId: `AKIA${name.toUpperCase()}`,
  principalArn: principalArn(name),
  account: ACCOUNT,
  kind: "user",
  userName: name,
});
const ROOT: Caller = { accessKeyId: "test", principalArn: `arn:aws:iam::${ACCOUNT}:root`, account: ACCOUNT, kind: "root" };

/** A served operation's declaration; an operation not served yet is declared here as one on a user. */
function declarationOf(operation: string): ServedOperation {
  return (
    CONNECT_OPERATIONS[operation] ?? served({ name: operation, iam: onUser(), mutates: true, handle: async () => undefined }, "connect")
  );
}

function request(who: Caller, operation: string, input: Record<string, unknown>, sourceIp = "127.0.0.1"): AuthorizationRequest {
  return { declaration: declarationOf(operation), input, caller: who, scope: SCOPE, sourceIp, now: Date.UTC(2024, 0, 1) };
}

async function denied(p: Promise<void>): Promise<string> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof ServiceError, String(err));
    assert.equal(err.code, "AccessDeniedException");
    assert.equal(err.status, 403);
    assert.equal(err.messageKey, "Message");
    return err.message;
  }
  assert.fail("expected AccessDeniedException, but the call was allowed");
}

before(async () => {
  iamStore = await SqlStore.open(new SqliteDriver({ file: ":memory:", durability: "normal" }));
  await principal("helpdesk", { HelpDesk: HELPDESK_POLICY });
  await principal("nopolicy", {});
  await principal("sandboxer", { Sandbox: TAGGED_INSTANCE_ONLY });
  await principal("notred", { NotRed: NOT_RED });
  await principal("untagger", { FloorOnly: UNTAG_FLOOR_ONLY });
  await principal("plain", { All: { Version: "2012-10-17", Statement: { Effect: "Allow", Action: "connect:Describe*", Resource: "*" } } });
  directory = await PrincipalDirectory.load(iamStore.iam);
});
after(() => iamStore.close());
beforeEach(() => {
  reads = [];
});

describe("createAuthorizer", () => {
  const authorize = () => createAuthorizer(directory, dataStore);

  test("the account root is allowed everything, without reading anything", async () => {
    await authorize()(request(ROOT, "DeleteUser", { InstanceId: INSTANCE, UserId: ADMIN }));
    await authorize()(request(ROOT, "CreateInstance", {}));
    assert.deepEqual(reads, []);
  });

  test("implicit deny: AWS's message naming principal, action and resource", async () => {
    const msg = await denied(authorize()(request(caller("nopolicy"), "UpdateUserIdentityInfo", { InstanceId: INSTANCE, UserId: AGENT })));
    assert.equal(
      msg,
      `User: ${principalArn("nopolicy")} is not authorized to perform: connect:UpdateUserIdentityInfo on resource: ${userArn(AGENT)} because no identity-based policy allows the connect:UpdateUserIdentityInfo action`,
    );
    assert.deepEqual(reads, [], "no policies: nothing to read");
  });

  test("explicit deny: AWS's message; the Deny matches the admin's tag (read from the user)", async () => {
    const msg = await denied(authorize()(request(caller("helpdesk"), "UpdateUserIdentityInfo", { InstanceId: INSTANCE, UserId: ADMIN })));
    assert.equal(
      msg,
      `User: ${principalArn("helpdesk")} is not authorized to perform: connect:UpdateUserIdentityInfo on resource: ${userArn(ADMIN)} with an explicit deny in an identity-based policy`,
    );
    assert.deepEqual(reads, [`user ${ADMIN}`]);
    assert.equal(msg, accessDeniedMessage(principalArn("helpdesk"), "connect:UpdateUserIdentityInfo", userArn(ADMIN), true));
  });

  test("the same principal may change a non-admin, and may do anything else to the admin", async () => {
    await authorize()(request(caller("helpdesk"), "UpdateUserIdentityInfo", { InstanceId: INSTANCE, UserId: AGENT }));
    await authorize()(request(caller("helpdesk"), "DescribeUser", { InstanceId: INSTANCE, UserId: ADMIN }));
    await authorize()(request(caller("helpdesk"), "UpdateUserPhoneConfig", { InstanceId: INSTANCE, UserId: ADMIN }));
  });

  test("user ARNs as labels name the same resource", async () => {
    const msg = await denied(
      authorize()(request(caller("helpdesk"), "UpdateUserIdentityInfo", { InstanceId: INSTANCE_ARN, UserId: userArn(ADMIN) })),
    );
    assert.match(msg, new RegExp(`on resource: ${userArn(ADMIN)} with an explicit deny`));
  });

  test("resource tags: the user's for user operations (not the instance's), the instance's otherwise", async () => {
    // The instance is tagged env=sandbox; the agent user env=prod; the admin has no env tag.
    await authorize()(request(caller("sandboxer"), "DescribeInstance", { InstanceId: INSTANCE }));
    assert.deepEqual(reads, [`instance ${INSTANCE}`]);
    await authorize()(request(caller("sandboxer"), "ListUsers", { InstanceId: INSTANCE }));
    reads = [];
    const msg = await denied(authorize()(request(caller("sandboxer"), "DescribeUser", { InstanceId: INSTANCE, UserId: AGENT })));
    assert.match(msg, /because no identity-based policy allows the connect:DescribeUser action$/);
    assert.deepEqual(reads, [`user ${AGENT}`], "the user's tags, never the instance's");
  });

  test("resource tags of any other resource in the instance: read by ARN from the tag store, never the instance's", async () => {
    const msg = await denied(
      authorize()(request(caller("notred"), "DescribeSecurityProfile", { InstanceId: INSTANCE, SecurityProfileId: PROFILE })),
    );
    assert.match(msg, new RegExp(`on resource: ${PROFILE_ARN} with an explicit deny`));
    assert.deepEqual(reads, [`tags ${PROFILE_ARN}`]);
    reads = [];
    await denied(authorize()(request(caller("notred"), "TagResource", { resourceArn: PROFILE_ARN, tags: { a: "b" } })));
    assert.deepEqual(reads, [`tags ${PROFILE_ARN}`], "a tag operation's ARN is read the same way");
    reads = [];
    // A resource with no tags (or none at all) matches no aws:ResourceTag condition.
    const other = `${INSTANCE_ARN}/routing-profile/${PROFILE}`;
    await authorize()(request(caller("notred"), "ListTagsForResource", { resourceArn: other }));
    await authorize()(request(caller("notred"), "ListTagsForResource", { resourceArn: `${INSTANCE_ARN}/queue/agent/${AGENT}` }));
    assert.deepEqual(reads, [`tags ${other}`, `tags ${INSTANCE_ARN}/queue/agent/${AGENT}`], "never the instance's tags");
  });

  test("aws:TagKeys: UntagResource's tagKeys (no aws:RequestTag), checked with ForAllValues", async () => {
    await authorize()(request(caller("untagger"), "UntagResource", { resourceArn: PROFILE_ARN, tagKeys: ["floor"] }));
    const msg = await denied(
      authorize()(request(caller("untagger"), "UntagResource", { resourceArn: PROFILE_ARN, tagKeys: ["floor", "team"] })),
    );
    assert.match(msg, /connect:UntagResource on resource: .*because no identity-based policy allows/);
  });

  test("a denied call on a non-existent user is AccessDenied, not ResourceNotFound (no existence leak)", async () => {
    // A permitted caller passes authorization for a missing user (the handler then answers 404) …
    await authorize()(request(caller("helpdesk"), "UpdateUserIdentityInfo", { InstanceId: INSTANCE, UserId: MISSING }));
    // … one without permission gets the same AccessDenied as for an existing user.
    const forMissing = await denied(
      authorize()(request(caller("nopolicy"), "UpdateUserIdentityInfo", { InstanceId: INSTANCE, UserId: MISSING })),
    );
    const forExisting = await denied(
      authorize()(request(caller("nopolicy"), "UpdateUserIdentityInfo", { InstanceId: INSTANCE, UserId: AGENT })),
    );
    assert.equal(forMissing.replace(MISSING, "X"), forExisting.replace(AGENT, "X"));
    const tagged = await denied(authorize()(request(caller("sandboxer"), "DescribeUser", { InstanceId: INSTANCE, UserId: MISSING })));
    assert.match(tagged, /because no identity-based policy allows/);
    const other = await denied(
      authorize()(request(caller("plain"), "DeleteUser", { InstanceId: "99999999-0000-0000-0000-000000000000", UserId: MISSING })),
    );
    assert.match(
      other,
      /connect:DeleteUser on resource: arn:aws:connect:us-east-1:000000000000:instance\/99999999-0000-0000-0000-000000000000\/agent\//,
    );
  });

  test("policies without aws:ResourceTag never read the target", async () => {
    await authorize()(request(caller("plain"), "DescribeUser", { InstanceId: INSTANCE, UserId: ADMIN }));
    assert.deepEqual(reads, []);
  });

  test("callers the directory does not know: denied by default, allowed with allowUnknownCallers (--auth off)", async () => {
    const stranger = caller("stranger");
    const msg = await denied(authorize()(request(stranger, "ListInstances", {})));
    assert.equal(
      msg,
      `User: ${principalArn("stranger")} is not authorized to perform: connect:ListInstances on resource: * because no identity-based policy allows the connect:ListInstances action`,
    );
    await createAuthorizer(directory, dataStore, undefined, { allowUnknownCallers: true })(request(stranger, "ListInstances", {}));
    // … but a known principal is still held to its policies.
    await denied(
      createAuthorizer(directory, dataStore, undefined, { allowUnknownCallers: true })(request(caller("nopolicy"), "ListInstances", {})),
    );
  });

  test("denials are logged at debug level with the deciding statement, not the request", async () => {
    const logged: Record<string, unknown>[] = [];
    const a = createAuthorizer(directory, dataStore, { enabled: () => true, log: (_l, msg, f) => logged.push({ msg, ...f }) });
    await denied(
      a(
        request(caller("helpdesk"), "UpdateUserIdentityInfo", {
          InstanceId: INSTANCE,
          UserId: ADMIN,
          IdentityInfo: { Email: "x@example.com" },
        }),
      ),
    );
    assert.deepEqual(logged, [
      {
        msg: "access denied",
        principal: principalArn("helpdesk"),
        action: "connect:UpdateUserIdentityInfo",
        decision: "ExplicitDeny",
        policy: "helpdesk/inline/HelpDesk",
        statement: 1,
        sid: "NoAdminIdentityChanges",
      },
    ]);
  });
});
