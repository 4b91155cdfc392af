// SearchUsers with the real @aws-sdk/client-connect over HTTP: the SCIM / HR-sync usage (find a
// user by Username, every holder of a security profile through paginateSearchUsers), nested
// criteria with a TagFilter, hierarchy conditions, ACW in milliseconds, and the errors as the
// SDK surfaces them; and IAM: a sync principal allowed to search only by one tag
// (connect:SearchTag/dept), on a server started with --iam.
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  type ConnectClient,
  CreateUserHierarchyGroupCommand,
  DescribeUserCommand,
  paginateSearchUsers,
  SearchUsersCommand,
  type SearchUsersCommandInput,
  UpdateUserHierarchyStructureCommand,
  type UserSearchSummary,
} from "@aws-sdk/client-connect";
import { rejectsAws } from "../helpers/assert-aws.js";
import { createInstance, createUser, type InstanceFixture } from "../helpers/fixtures.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

let server: TestServer;
let c: ConnectClient;
let inst: InstanceFixture;
/** user ids by username */
const ids: Record<string, string> = {};

// Seven agents, three of them also admins; usernames as an HR system would hand them over.
const STAFF: { username: string; first: string; last: string; admin: boolean; tags?: Record<string, string> }[] = [
  { username: "jdoe", first: "Jane", last: "Doe", admin: true, tags: { dept: "support", site: "lis" } },
  { username: "asmith", first: "Alex", last: "Smith", admin: false, tags: { dept: "support" } },
  { username: "bnguyen", first: "Bao", last: "Nguyen", admin: true, tags: { dept: "sales" } },
  { username: "cgarcia", first: "Carla", last: "Garcia", admin: false, tags: { dept: "sales", site: "lis" } },
  { username: "dkim", first: "Dae", last: "Kim", admin: false },
  { username: "efischer", first: "Eva", last: "Fischer", admin: true, tags: { dept: "support" } },
  { username: "fokafor", first: "Femi", last: "Okafor", admin: false },
];

before(async () => {
  server = await startTestServer();
  c = server.client();
  inst = await createInstance(c);
  for (const s of STAFF) {
    const u = await createUser(c, inst, {
      Username: s.username,
      IdentityInfo: { FirstName: s.first, LastName: s.last },
      PhoneConfig: { PhoneType: "SOFT_PHONE", AfterContactWorkTimeLimit: 45 },
      SecurityProfileIds: s.admin ? [inst.agentProfileId, inst.adminProfileId] : [inst.agentProfileId],
      ...(s.tags ? { Tags: s.tags } : {}),
    });
    ids[s.username] = u.id;
  }
});
after(() => server.close());

const search = (input: Omit<SearchUsersCommandInput, "InstanceId">) => c.send(new SearchUsersCommand({ InstanceId: inst.id, ...input }));
const usernames = (users: UserSearchSummary[] | undefined) => (users ?? []).map((u) => u.Username);

describe("SearchUsers: the HR-sync usage", () => {
  test("find one user by Username (EXACT, case-insensitive): an existing one returns its summary, a new one nothing", async () => {
    const found = await search({ SearchCriteria: { StringCondition: { FieldName: "Username", Value: "JDoe", ComparisonType: "EXACT" } } });
    assert.equal(found.ApproximateTotalCount, 1);
    const jane = found.Users?.[0];
    assert.equal(jane?.Id, ids.jdoe);
    assert.equal(jane?.Arn, `${inst.arn}/agent/${ids.jdoe}`);
    assert.deepEqual(jane?.IdentityInfo, { FirstName: "Jane", LastName: "Doe" });
    assert.deepEqual(new Set(jane?.SecurityProfileIds), new Set([inst.agentProfileId, inst.adminProfileId]));
    assert.equal(jane?.RoutingProfileId, inst.routingProfileId);
    assert.deepEqual(jane?.Tags, { dept: "support", site: "lis" });
    // "AfterContactWorkTimeLimit is returned in milliseconds" (API_SearchUsers.html); DescribeUser: seconds.
    assert.deepEqual(jane?.PhoneConfig, { PhoneType: "SOFT_PHONE", AutoAccept: false, AfterContactWorkTimeLimit: 45_000 });
    const described = await c.send(new DescribeUserCommand({ InstanceId: inst.id, UserId: ids.jdoe }));
    assert.equal(described.User?.PhoneConfig?.AfterContactWorkTimeLimit, 45);

    const missing = await search({
      SearchCriteria: { StringCondition: { FieldName: "Username", Value: "newhire", ComparisonType: "EXACT" } },
    });
    assert.deepEqual(missing.Users, []);
    assert.equal(missing.ApproximateTotalCount, 0);
    assert.equal(missing.NextToken, undefined);
  });

  test("paginateSearchUsers: every holder of a security profile, two per page, in username order, the count on every page", async () => {
    const pages: { users: (string | undefined)[]; count: number | undefined }[] = [];
    for await (const page of paginateSearchUsers(
      { client: c, pageSize: 2 },
      {
        InstanceId: inst.id,
        SearchCriteria: { StringCondition: { FieldName: "SecurityProfileId", Value: inst.adminProfileId, ComparisonType: "EXACT" } },
      },
    )) {
      pages.push({ users: usernames(page.Users), count: page.ApproximateTotalCount });
    }
    assert.deepEqual(pages, [
      { users: ["bnguyen", "efischer"], count: 3 },
      { users: ["jdoe"], count: 3 },
    ]);

    const agents: string[] = [];
    for await (const page of paginateSearchUsers(
      { client: c, pageSize: 3 },
      {
        InstanceId: inst.id,
        SearchCriteria: { StringCondition: { FieldName: "SecurityProfileId", Value: inst.agentProfileId, ComparisonType: "EXACT" } },
      },
    )) {
      agents.push(...(usernames(page.Users) as string[]));
    }
    assert.deepEqual(agents, [...STAFF.map((s) => s.username)].sort());
  });

  test("a token belongs to its query: reused with other criteria it is InvalidParameterException", async () => {
    const first = await search({ MaxResults: 1 });
    assert.ok(first.NextToken);
    assert.equal(first.ApproximateTotalCount, STAFF.length);
    const msg = await rejectsAws(
      search({
        MaxResults: 1,
        NextToken: first.NextToken,
        SearchCriteria: { StringCondition: { FieldName: "FirstName", Value: "Ja", ComparisonType: "STARTS_WITH" } },
      }),
      "InvalidParameterException",
      400,
    );
    assert.match(msg, /nextToken/);
    const next = await search({ MaxResults: 1, NextToken: first.NextToken });
    assert.deepEqual(usernames(next.Users), ["bnguyen"]);
  });
});

describe("SearchUsers: criteria and filters through the SDK's serializer", () => {
  test("nested OrConditions / AndConditions with a TagFilter of OR-ed AND-lists", async () => {
    const out = await search({
      SearchCriteria: {
        OrConditions: [
          {
            AndConditions: [
              { StringCondition: { FieldName: "LastName", Value: "ar", ComparisonType: "CONTAINS" } },
              { StringCondition: { FieldName: "SecurityProfileId", Value: inst.agentProfileId, ComparisonType: "EXACT" } },
            ],
          },
          { StringCondition: { FieldName: "ResourceId", Value: ids.jdoe, ComparisonType: "EXACT" } },
          { StringCondition: { FieldName: "RoutingProfileId", Value: "not-this-one", ComparisonType: "EXACT" } },
        ],
      },
      SearchFilter: { TagFilter: { OrConditions: [[{ TagKey: "site", TagValue: "lis" }], [{ TagKey: "dept", TagValue: "sales" }]] } },
    });
    // LastName contains "ar": Garcia; ResourceId: jdoe; then both must be at "lis" or in sales.
    assert.deepEqual(usernames(out.Users), ["cgarcia", "jdoe"]);
    assert.equal(out.ApproximateTotalCount, 2);
  });

  test("hierarchy groups: WITH_CHILD_GROUPS on a group with no users below it, and on an unknown group, match nobody", async () => {
    await c.send(new UpdateUserHierarchyStructureCommand({ InstanceId: inst.id, HierarchyStructure: { LevelOne: { Name: "Region" } } }));
    const g = await c.send(new CreateUserHierarchyGroupCommand({ InstanceId: inst.id, Name: "EMEA" }));
    for (const Value of [g.HierarchyGroupId as string, "00000000-0000-0000-0000-000000000000"]) {
      const out = await search({ SearchCriteria: { HierarchyGroupCondition: { Value, HierarchyGroupMatchType: "WITH_CHILD_GROUPS" } } });
      assert.deepEqual(out.Users, []);
      assert.equal(out.ApproximateTotalCount, 0);
    }
    const attr = await search({
      SearchFilter: {
        UserAttributeFilter: {
          OrConditions: [
            {
              TagConditions: [
                { TagKey: "dept", TagValue: "support" },
                { TagKey: "site", TagValue: "lis" },
              ],
            },
          ],
        },
      },
    });
    assert.deepEqual(usernames(attr.Users), ["jdoe"]);
  });

  test("errors: a bad FieldName names the member (400), CONTAINS of one letter on a name (400), both filters (403)", async () => {
    const bad = await rejectsAws(
      search({
        SearchCriteria: { AndConditions: [{ StringCondition: { FieldName: "Email", Value: "x@example.com", ComparisonType: "EXACT" } }] },
      }),
      "InvalidParameterException",
      400,
    );
    assert.match(bad, /'searchCriteria\.andConditions\.1\.stringCondition\.fieldName'/);
    await rejectsAws(
      search({ SearchCriteria: { StringCondition: { FieldName: "Username", Value: "j", ComparisonType: "CONTAINS" } } }),
      "InvalidParameterException",
      400,
    );
    await rejectsAws(
      search({
        SearchFilter: {
          TagFilter: { TagCondition: { TagKey: "dept", TagValue: "sales" } },
          UserAttributeFilter: { TagCondition: { TagKey: "dept", TagValue: "sales" } },
        },
      }),
      "AccessDeniedException",
      403,
    );
    await rejectsAws(
      c.send(new SearchUsersCommand({ InstanceId: "00000000-0000-0000-0000-000000000000" })),
      "ResourceNotFoundException",
      404,
    );
  });
});

describe("SearchUsers and IAM: connect:SearchTag/<TagKey> over HTTP", () => {
  const KEY = { accessKeyId: "AKIAHRSYNC0000000001", secretAccessKey: "hrsync-secret-0123456789abcdefghijklmnopq" };
  let dir: string;
  let iamServer: TestServer;
  let instance: InstanceFixture;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "sb-search-iam-"));
    const file = join(dir, "iam.json");
    const policy = {
      Version: "2012-10-17",
      Statement: {
        Sid: "SearchSupportOnly",
        Effect: "Allow",
        Action: "connect:SearchUsers",
        Resource: "arn:aws:connect:*:000000000000:instance/*",
        Condition: { "ForAllValues:StringEquals": { "connect:SearchTag/dept": ["support"] }, Null: { "connect:SearchTag/dept": "false" } },
      },
    };
    await writeFile(file, JSON.stringify({ principals: [{ name: "hrsync", accessKeys: [KEY], policies: { SupportOnly: policy } }] }));
    iamServer = await startTestServer(["--iam", file]);
    const root = iamServer.client();
    instance = await createInstance(root);
    await createUser(root, instance, { Username: "sup1", Tags: { dept: "support" } });
    await createUser(root, instance, { Username: "sal1", Tags: { dept: "sales" } });
  });
  after(async () => {
    await iamServer?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test("allowed with a TagFilter on dept=support; denied without one, or on another value, before anything is read", async () => {
    const hr = iamServer.client(KEY);
    const tagged = (TagValue: string) =>
      hr.send(
        new SearchUsersCommand({ InstanceId: instance.id, SearchFilter: { TagFilter: { TagCondition: { TagKey: "dept", TagValue } } } }),
      );
    assert.deepEqual(usernames((await tagged("support")).Users), ["sup1"]);
    const msg = await rejectsAws(hr.send(new SearchUsersCommand({ InstanceId: instance.id })), "AccessDeniedException", 403);
    assert.equal(
      msg,
      `User: arn:aws:iam::000000000000:user/hrsync is not authorized to perform: connect:SearchUsers on resource: ${instance.arn} because no identity-based policy allows the connect:SearchUsers action`,
    );
    await rejectsAws(tagged("sales"), "AccessDeniedException", 403);
    // denied on an instance that does not exist, too: no existence leak
    await rejectsAws(hr.send(new SearchUsersCommand({ InstanceId: "00000000-0000-0000-0000-000000000000" })), "AccessDeniedException", 403);
  });
});
