// Fixtures for the access-report tests: an in-memory SQLite store, instances with their default
// profiles, users and IAM principals written straight into the store, and the help-desk ABAC policy.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import type { PrincipalAccess } from "../../src/authz/access-report.js";
import { instanceArn, type Scope, userArn } from "../../src/common/arn.js";
import { defaultProfiles } from "../../src/operations/instances/defaults.js";
import type { InstanceRecord, ProfileRecord, Tags, UserRecord } from "../../src/store/records.js";
import { SqlStore } from "../../src/store/sql/sql-store.js";
import { SqliteDriver } from "../../src/store/sqlite/sqlite-driver.js";
import type { Store } from "../../src/store/store.js";

export const ACCOUNT = "111122223333";
export const EAST: Scope = { account: ACCOUNT, region: "us-east-1" };
export const WEST: Scope = { account: ACCOUNT, region: "us-west-2" };
export const NOW = Date.UTC(2025, 0, 15, 12);

export const openMemory = () => SqlStore.open(new SqliteDriver({ file: ":memory:", durability: "normal" }));

export interface Inst {
  scope: Scope;
  id: string;
  adminProfile: string;
  agentProfile: string;
  routing: string;
}

export async function createInstance(store: Store, scope: Scope, id: string = randomUUID()): Promise<Inst> {
  const profiles: ProfileRecord[] = defaultProfiles(scope, id, NOW);
  const rec: InstanceRecord = {
    id,
    arn: instanceArn(scope, id),
    identityManagementType: "CONNECT_MANAGED",
    createdTime: NOW,
    serviceRole: `arn:aws:iam::${scope.account}:role/aws-service-role/connect.amazonaws.com/AWSServiceRoleForAmazonConnect_x`,
    status: "ACTIVE",
    inboundCallsEnabled: true,
    outboundCallsEnabled: true,
    accessUrl: `https://${id}.my.connect.aws`,
    tags: {},
  };
  await store.instances.create(scope, rec, profiles);
  const byName = (n: string) => (profiles.find((p) => p.name === n) as ProfileRecord).id;
  return { scope, id, adminProfile: byName("Admin"), agentProfile: byName("Agent"), routing: byName("Basic Routing Profile") };
}

export async function createUser(
  store: Store,
  inst: Inst,
  username: string,
  opts: { tags?: Tags; admin?: boolean; id?: string } = {},
): Promise<UserRecord> {
  const id = opts.id ?? randomUUID();
  const u: UserRecord = {
    id,
    arn: userArn(inst.scope, inst.id, id),
    instanceId: inst.id,
    username,
    identityInfo: { email: `${username}@example.com` },
    phoneConfig: { phoneType: "SOFT_PHONE", autoAccept: false, afterContactWorkTimeLimit: 0 },
    securityProfileIds: opts.admin ? [inst.adminProfile] : [inst.agentProfile],
    routingProfileId: inst.routing,
    tags: opts.tags ?? {},
    lastModifiedTime: NOW,
    lastModifiedRegion: inst.scope.region,
  };
  await store.users.create(inst.scope, u);
  return u;
}

export async function putPrincipal(store: Store, name: string, policies: Record<string, unknown>, tags: Tags = {}, account = ACCOUNT) {
  await store.iam.putPrincipal({ account, name, arn: `arn:aws:iam::${account}:user/${name}`, tags, createdTime: NOW });
  for (const [policyName, doc] of Object.entries(policies)) {
    await store.iam.putPolicy({
      account,
      principalName: name,
      policyName,
      document: typeof doc === "string" ? doc : JSON.stringify(doc),
    });
  }
}

export const ALLOW_ALL = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "connect:*", Resource: "*" }] };
export const HELPDESK = {
  Version: "2012-10-17",
  Statement: [
    { Sid: "AllConnect", Effect: "Allow", Action: "connect:*", Resource: "*" },
    {
      Sid: "NoAdminEmails",
      Effect: "Deny",
      Action: "connect:UpdateUserIdentityInfo",
      Resource: "*",
      Condition: { StringEquals: { "aws:ResourceTag/role": "admin" } },
    },
  ],
};

export const names = (refs: readonly { username: string }[]) => refs.map((r) => r.username).sort();
export const entry = (r: { principals: PrincipalAccess[] }, name: string) => {
  const p = r.principals.find((x) => x.name === name);
  assert.ok(p, `principal ${name} in the report`);
  return p;
};
