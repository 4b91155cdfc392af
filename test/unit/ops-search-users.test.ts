// Rule tests for SearchUsers, run through the operation harness (model validation, then the
// invoke step, on an in-memory store): every condition kind of SearchCriteria and SearchFilter,
// nesting, paging bound to the query, ApproximateTotalCount, the summary's fields (ACW in ms),
// the refusals, and the IAM context (connect:SearchTag/*). Rules: src/operations/users/search-*.ts.
import assert from "node:assert/strict";
import { describe, type TestContext, test } from "node:test";
import { requestContext } from "../../src/authz/context.js";
import { authzTargets } from "../../src/authz/target.js";
import { evaluate, parsePolicy } from "../../src/iam/index.js";
import type { SearchUsersRequest, UserSearchCriteria, UserSearchFilter } from "../../src/model/types.gen.js";
import { CONNECT_OPERATIONS } from "../../src/operations/connect-service.js";
import { searchTagsOf } from "../../src/operations/users/search-filter.js";
import { HARNESS_ACCOUNT, type OperationHarness, operationHarness } from "../helpers/operation-harness.js";

const PASSWORD = "Corr3ct-Horse";

interface World {
  h: OperationHarness;
  instanceId: string;
  instanceArn: string;
  agent: string;
  admin: string;
  basic: string;
  /** a second routing profile */
  rp2: string;
  groups: { top: string; topArn: string; division: string; team: string; other: string };
  /** user ids by username */
  users: Record<string, string>;
}

interface Person {
  username: string;
  first: string;
  last: string;
  profiles: ("agent" | "admin")[];
  routing?: "rp2";
  tags?: Record<string, string>;
  group?: keyof World["groups"];
  acw?: number;
}

// Usernames chosen so that username order differs from creation order.
const PEOPLE: Person[] = [
  { username: "grace", first: "Grace", last: "Hopper", profiles: ["admin"], tags: { dept: "navy" } },
  { username: "ada", first: "Ada", last: "Lovelace", profiles: ["agent"], tags: { dept: "eng", site: "ldn" }, group: "team", acw: 30 },
  {
    username: "alan",
    first: "Alan",
    last: "Turing",
    profiles: ["agent", "admin"],
    routing: "rp2",
    tags: { dept: "eng" },
    group: "division",
  },
  { username: "adele", first: "Adele", last: "Goldberg", profiles: ["agent"], group: "other" },
  { username: "edsger", first: "Edsger", last: "Dijkstra", profiles: ["agent"], tags: { site: "nl" } },
];

async function world(t: TestContext): Promise<World> {
  const h = await operationHarness();
  t.after(() => h.close());
  const inst = await h.run("CreateInstance", {
    IdentityManagementType: "CONNECT_MANAGED",
    InstanceAlias: `sb-search-${Math.random().toString(36).slice(2, 8)}`,
    InboundCallsEnabled: true,
    OutboundCallsEnabled: true,
  });
  const instanceId = inst.Id as string;
  const sp = await h.run("ListSecurityProfiles", { InstanceId: instanceId });
  const byName = Object.fromEntries((sp.SecurityProfileSummaryList ?? []).map((p) => [p.Name, p.Id as string]));
  const rp = await h.run("ListRoutingProfiles", { InstanceId: instanceId });
  const basic = rp.RoutingProfileSummaryList?.[0]?.Id as string;
  const queues = await h.run("ListQueues", { InstanceId: instanceId });
  const queue = queues.QueueSummaryList?.find((q) => q.QueueType === "STANDARD")?.Id as string;
  const rp2 = (
    await h.run("CreateRoutingProfile", {
      InstanceId: instanceId,
      Name: "Second",
      Description: "second routing profile",
      DefaultOutboundQueueId: queue,
      MediaConcurrencies: [{ Channel: "VOICE", Concurrency: 1 }],
    })
  ).RoutingProfileId as string;

  await h.run("UpdateUserHierarchyStructure", {
    InstanceId: instanceId,
    HierarchyStructure: { LevelOne: { Name: "Company" }, LevelTwo: { Name: "Division" }, LevelThree: { Name: "Team" } },
  });
  const group = async (Name: string, ParentGroupId?: string) => {
    const out = await h.run("CreateUserHierarchyGroup", { InstanceId: instanceId, Name, ...(ParentGroupId ? { ParentGroupId } : {}) });
    return { id: out.HierarchyGroupId as string, arn: out.HierarchyGroupArn as string };
  };
  const top = await group("Top");
  const division = await group("Division", top.id);
  const team = await group("Team", division.id);
  const other = await group("Other");
  const groups = { top: top.id, topArn: top.arn, division: division.id, team: team.id, other: other.id };

  const agent = byName.Agent as string;
  const admin = byName.Admin as string;
  assert.ok(agent && admin && basic && queue && rp2);
  const users: Record<string, string> = {};
  for (const p of PEOPLE) {
    const out = await h.run("CreateUser", {
      InstanceId: instanceId,
      Username: p.username,
      Password: PASSWORD,
      IdentityInfo: { FirstName: p.first, LastName: p.last },
      PhoneConfig: { PhoneType: "SOFT_PHONE", ...(p.acw === undefined ? {} : { AfterContactWorkTimeLimit: p.acw }) },
      SecurityProfileIds: p.profiles.map((x) => (x === "agent" ? agent : admin)),
      RoutingProfileId: p.routing === "rp2" ? rp2 : basic,
      ...(p.tags ? { Tags: p.tags } : {}),
    });
    const id = out.UserId as string;
    users[p.username] = id;
    // UpdateUserHierarchy is not served yet: the group is set in the store.
    if (p.group) await h.store.users.update(h.scope, instanceId, id, { hierarchyGroupId: groups[p.group] }, h.clock.now());
  }
  return { h, instanceId, instanceArn: inst.Arn as string, agent, admin, basic, rp2, groups, users };
}

async function search(w: World, over: Partial<SearchUsersRequest> = {}) {
  return w.h.run("SearchUsers", { InstanceId: w.instanceId, ...over });
}

/** Usernames a search returns, in order. */
async function names(w: World, criteria?: UserSearchCriteria, filter?: UserSearchFilter): Promise<string[]> {
  const out = await search(w, { ...(criteria ? { SearchCriteria: criteria } : {}), ...(filter ? { SearchFilter: filter } : {}) });
  assert.equal(out.ApproximateTotalCount, out.Users?.length, "one page holds every match here");
  return (out.Users ?? []).map((u) => u.Username as string);
}

const str = (FieldName: string, ComparisonType: "EXACT" | "STARTS_WITH" | "CONTAINS", Value: string): UserSearchCriteria => ({
  StringCondition: { FieldName, ComparisonType, Value },
});

async function refused(w: World, input: unknown, code: string, names?: RegExp) {
  const e = await w.h.failure("SearchUsers", { InstanceId: w.instanceId, ...(input as object) });
  assert.equal(e.code, code, e.message);
  if (names) assert.match(e.message, names);
  return e;
}

describe("SearchUsers: no criteria", () => {
  test("an empty request, or empty criteria and filter, returns every user ordered by username, with the count", async (t) => {
    const w = await world(t);
    const all = ["ada", "adele", "alan", "edsger", "grace"];
    assert.deepEqual(await names(w), all);
    assert.deepEqual(await names(w, {}, {}), all);
    assert.equal((await search(w)).ApproximateTotalCount, 5);
  });

  test("each summary carries the UserSearchSummary fields; AfterContactWorkTimeLimit in milliseconds (DescribeUser: seconds)", async (t) => {
    const w = await world(t);
    const out = await search(w, { SearchCriteria: str("Username", "EXACT", "ada") });
    const ada = out.Users?.[0];
    assert.ok(ada);
    const id = w.users.ada as string;
    assert.deepEqual(JSON.parse(JSON.stringify(ada)), {
      Arn: `${w.instanceArn}/agent/${id}`,
      HierarchyGroupId: w.groups.team,
      Id: id,
      IdentityInfo: { FirstName: "Ada", LastName: "Lovelace" },
      PhoneConfig: { PhoneType: "SOFT_PHONE", AutoAccept: false, AfterContactWorkTimeLimit: 30_000 },
      RoutingProfileId: w.basic,
      SecurityProfileIds: [w.agent],
      Tags: { dept: "eng", site: "ldn" },
      Username: "ada",
    });
    const described = await w.h.run("DescribeUser", { InstanceId: w.instanceId, UserId: id });
    assert.equal(described.User?.PhoneConfig?.AfterContactWorkTimeLimit, 30);
  });

  test("a read: nothing is audited when it succeeds; an unknown instance is ResourceNotFoundException", async (t) => {
    const w = await world(t);
    const before = (await w.h.auditEvents()).length;
    await search(w, { SearchCriteria: str("Username", "STARTS_WITH", "a") });
    assert.equal((await w.h.auditEvents()).length, before);
    const e = await w.h.failure("SearchUsers", { InstanceId: "00000000-0000-0000-0000-000000000000" });
    assert.equal(e.code, "ResourceNotFoundException");
    // the instance's ARN names it too
    assert.equal((await w.h.run("SearchUsers", { InstanceId: w.instanceArn })).ApproximateTotalCount, 5);
  });
});

describe("SearchUsers: StringCondition on every documented field", () => {
  test("Username: EXACT, STARTS_WITH, CONTAINS — names compare case-insensitively", async (t) => {
    const w = await world(t);
    assert.deepEqual(await names(w, str("Username", "EXACT", "ADA")), ["ada"]);
    assert.deepEqual(await names(w, str("Username", "STARTS_WITH", "Ad")), ["ada", "adele"]);
    assert.deepEqual(await names(w, str("Username", "CONTAINS", "ra")), ["grace"]);
    assert.deepEqual(await names(w, str("Username", "EXACT", "ad")), []);
  });

  test("FirstName and LastName", async (t) => {
    const w = await world(t);
    assert.deepEqual(await names(w, str("FirstName", "CONTAINS", "la")), ["alan"]);
    assert.deepEqual(await names(w, str("FirstName", "EXACT", "grace")), ["grace"]);
    assert.deepEqual(await names(w, str("LastName", "STARTS_WITH", "ho")), ["grace"]);
    assert.deepEqual(await names(w, str("LastName", "CONTAINS", "berg")), ["adele"]);
  });

  test("RoutingProfileId, SecurityProfileId (any of the user's profiles), ResourceId (also spelt resourceId): ids compare exactly", async (t) => {
    const w = await world(t);
    assert.deepEqual(await names(w, str("RoutingProfileId", "EXACT", w.rp2)), ["alan"]);
    assert.deepEqual(await names(w, str("RoutingProfileId", "EXACT", w.rp2.toUpperCase())), []);
    assert.deepEqual(await names(w, str("SecurityProfileId", "EXACT", w.admin)), ["alan", "grace"]);
    assert.deepEqual(await names(w, str("SecurityProfileId", "EXACT", w.agent)), ["ada", "adele", "alan", "edsger"]);
    assert.deepEqual(await names(w, str("ResourceId", "EXACT", w.users.edsger as string)), ["edsger"]);
    assert.deepEqual(await names(w, str("resourceId", "EXACT", w.users.edsger as string)), ["edsger"]);
    assert.deepEqual(await names(w, str("ResourceId", "STARTS_WITH", (w.users.edsger as string).slice(0, 8))), ["edsger"]);
    // CONTAINS's 2..25 range is for names only: one character of an id is a valid query
    const oneChar = await names(w, str("SecurityProfileId", "CONTAINS", w.admin.charAt(0)));
    assert.ok(oneChar.includes("grace"));
  });
});

describe("SearchUsers: nesting", () => {
  test("OrConditions of AndConditions, several levels deep", async (t) => {
    const w = await world(t);
    const criteria: UserSearchCriteria = {
      OrConditions: [
        { AndConditions: [str("Username", "STARTS_WITH", "a"), str("SecurityProfileId", "EXACT", w.admin)] },
        str("LastName", "EXACT", "Hopper"),
        { AndConditions: [{ OrConditions: [str("FirstName", "EXACT", "Edsger"), str("FirstName", "EXACT", "Nobody")] }] },
      ],
    };
    assert.deepEqual(await names(w, criteria), ["alan", "edsger", "grace"]);
    assert.deepEqual(await names(w, { AndConditions: [str("Username", "STARTS_WITH", "a"), str("FirstName", "CONTAINS", "de")] }), [
      "adele",
    ]);
  });
});

describe("SearchUsers: HierarchyGroupCondition", () => {
  test("EXACT: users in that group only; WITH_CHILD_GROUPS: and in every group below; by id or ARN; an unknown group matches nobody", async (t) => {
    const w = await world(t);
    const hg = (Value: string, HierarchyGroupMatchType: "EXACT" | "WITH_CHILD_GROUPS"): UserSearchCriteria => ({
      HierarchyGroupCondition: { Value, HierarchyGroupMatchType },
    });
    assert.deepEqual(await names(w, hg(w.groups.division, "EXACT")), ["alan"]);
    assert.deepEqual(await names(w, hg(w.groups.top, "EXACT")), []);
    assert.deepEqual(await names(w, hg(w.groups.top, "WITH_CHILD_GROUPS")), ["ada", "alan"]);
    assert.deepEqual(await names(w, hg(w.groups.topArn, "WITH_CHILD_GROUPS")), ["ada", "alan"]);
    assert.deepEqual(await names(w, hg(w.groups.team, "WITH_CHILD_GROUPS")), ["ada"]);
    assert.deepEqual(await names(w, hg("00000000-0000-0000-0000-000000000000", "WITH_CHILD_GROUPS")), []);
    assert.deepEqual(await names(w, { OrConditions: [hg(w.groups.other, "EXACT"), hg(w.groups.team, "EXACT")] }), ["ada", "adele"]);
  });
});

describe("SearchUsers: ListCondition", () => {
  test("a well-formed PROFICIENCIES condition matches nobody (Switchboard keeps no proficiencies); malformed ones are refused", async (t) => {
    const w = await world(t);
    const list: UserSearchCriteria = {
      ListCondition: {
        TargetListType: "PROFICIENCIES",
        Conditions: [
          { StringCondition: { FieldName: "name", ComparisonType: "EXACT", Value: "Language" } },
          { NumberCondition: { FieldName: "limit", ComparisonType: "RANGE", MinValue: 1, MaxValue: 5 } },
        ],
      },
    };
    assert.deepEqual(await names(w, list), []);
    assert.deepEqual(await names(w, { OrConditions: [list, str("Username", "EXACT", "ada")] }), ["ada"]);
    await refused(
      w,
      { SearchCriteria: { ListCondition: { Conditions: [] } } },
      "InvalidParameterException",
      /listCondition\.targetListType/,
    );
    await refused(
      w,
      { SearchCriteria: { ListCondition: { TargetListType: "PROFICIENCIES", Conditions: [] } } },
      "InvalidParameterException",
      /listCondition\.conditions/,
    );
    await refused(
      w,
      {
        SearchCriteria: {
          ListCondition: {
            TargetListType: "PROFICIENCIES",
            Conditions: [{ StringCondition: { FieldName: "level", ComparisonType: "EXACT", Value: "x" } }],
          },
        },
      },
      "InvalidParameterException",
      /listCondition\.conditions\.1\.stringCondition\.fieldName/,
    );
    await refused(
      w,
      {
        SearchCriteria: {
          ListCondition: {
            TargetListType: "PROFICIENCIES",
            Conditions: [{ NumberCondition: { FieldName: "limit", ComparisonType: "RANGE", MinValue: 1 } }],
          },
        },
      },
      "InvalidParameterException",
      /numberCondition\.maxValue/,
    );
    await refused(
      w,
      { SearchCriteria: { ListCondition: { TargetListType: "PROFICIENCIES", Conditions: [{}] } } },
      "InvalidRequestException",
      /listCondition\.conditions\.1/,
    );
  });
});

describe("SearchUsers: SearchFilter", () => {
  test("TagFilter: one TagCondition, AndConditions, OrConditions of AND-lists; values compare exactly", async (t) => {
    const w = await world(t);
    assert.deepEqual(await names(w, undefined, { TagFilter: { TagCondition: { TagKey: "dept", TagValue: "eng" } } }), ["ada", "alan"]);
    assert.deepEqual(await names(w, undefined, { TagFilter: { TagCondition: { TagKey: "dept", TagValue: "ENG" } } }), []);
    assert.deepEqual(
      await names(w, undefined, {
        TagFilter: {
          AndConditions: [
            { TagKey: "dept", TagValue: "eng" },
            { TagKey: "site", TagValue: "ldn" },
          ],
        },
      }),
      ["ada"],
    );
    assert.deepEqual(
      await names(w, undefined, {
        TagFilter: { OrConditions: [[{ TagKey: "dept", TagValue: "navy" }], [{ TagKey: "site", TagValue: "nl" }]] },
      }),
      ["edsger", "grace"],
    );
  });

  test("UserAttributeFilter: TagCondition, HierarchyGroupCondition, AndCondition, OrConditions", async (t) => {
    const w = await world(t);
    const top = { Value: w.groups.top, HierarchyGroupMatchType: "WITH_CHILD_GROUPS" as const };
    assert.deepEqual(await names(w, undefined, { UserAttributeFilter: { TagCondition: { TagKey: "site", TagValue: "nl" } } }), ["edsger"]);
    assert.deepEqual(await names(w, undefined, { UserAttributeFilter: { HierarchyGroupCondition: top } }), ["ada", "alan"]);
    assert.deepEqual(
      await names(w, undefined, {
        UserAttributeFilter: { AndCondition: { TagConditions: [{ TagKey: "site", TagValue: "ldn" }], HierarchyGroupCondition: top } },
      }),
      ["ada"],
    );
    assert.deepEqual(
      await names(w, undefined, {
        UserAttributeFilter: {
          OrConditions: [
            { HierarchyGroupCondition: { Value: w.groups.other, HierarchyGroupMatchType: "EXACT" } },
            { TagConditions: [{ TagKey: "dept", TagValue: "navy" }] },
          ],
        },
      }),
      ["adele", "grace"],
    );
  });

  test("criteria and filter apply together (AND)", async (t) => {
    const w = await world(t);
    assert.deepEqual(
      await names(w, str("SecurityProfileId", "EXACT", w.agent), { TagFilter: { TagCondition: { TagKey: "dept", TagValue: "eng" } } }),
      ["ada", "alan"],
    );
    assert.deepEqual(
      await names(w, str("SecurityProfileId", "EXACT", w.admin), { TagFilter: { TagCondition: { TagKey: "site", TagValue: "nl" } } }),
      [],
    );
  });

  test("refusals: both filters (AccessDeniedException, as documented), several fields, empty lists, missing members, over the limits", async (t) => {
    const w = await world(t);
    const tag = { TagKey: "dept", TagValue: "eng" };
    await refused(
      w,
      { SearchFilter: { TagFilter: { TagCondition: tag }, UserAttributeFilter: { TagCondition: tag } } },
      "AccessDeniedException",
    );
    await refused(
      w,
      {
        SearchFilter: {
          UserAttributeFilter: { TagCondition: tag, HierarchyGroupCondition: { Value: w.groups.top, HierarchyGroupMatchType: "EXACT" } },
        },
      },
      "InvalidRequestException",
      /searchFilter\.userAttributeFilter.*tagCondition, hierarchyGroupCondition are set together/,
    );
    await refused(w, { SearchFilter: { TagFilter: { TagCondition: tag, AndConditions: [tag] } } }, "InvalidRequestException", /tagFilter/);
    await refused(w, { SearchFilter: { TagFilter: { AndConditions: [] } } }, "InvalidRequestException", /tagFilter\.andConditions/);
    await refused(
      w,
      { SearchFilter: { TagFilter: { OrConditions: [[tag], []] } } },
      "InvalidRequestException",
      /tagFilter\.orConditions\.2/,
    );
    await refused(
      w,
      { SearchFilter: { TagFilter: { TagCondition: { TagKey: "dept" } } } },
      "InvalidParameterException",
      /tagFilter\.tagCondition\.tagValue/,
    );
    await refused(
      w,
      { SearchFilter: { UserAttributeFilter: { AndCondition: {} } } },
      "InvalidRequestException",
      /userAttributeFilter\.andCondition/,
    );
    const tags = Array.from({ length: 26 }, (_, i) => ({ TagKey: `k${i}`, TagValue: "v" }));
    await refused(
      w,
      { SearchFilter: { UserAttributeFilter: { AndCondition: { TagConditions: tags } } } },
      "InvalidRequestException",
      /at most 25 tag/,
    );
    const hgs = Array.from({ length: 21 }, () => ({ HierarchyGroupCondition: { Value: w.groups.top, HierarchyGroupMatchType: "EXACT" } }));
    await refused(w, { SearchFilter: { UserAttributeFilter: { OrConditions: hgs } } }, "InvalidRequestException", /at most 20 hierarchy/);
    // 25 is allowed
    assert.deepEqual(await names(w, undefined, { UserAttributeFilter: { AndCondition: { TagConditions: tags.slice(0, 25) } } }), []);
  });
});

describe("SearchUsers: refused criteria name the member", () => {
  test("StringCondition: unknown FieldName, missing members, empty value, CONTAINS outside 2..25 characters on a name", async (t) => {
    const w = await world(t);
    await refused(
      w,
      { SearchCriteria: str("Email", "EXACT", "a@example.com") },
      "InvalidParameterException",
      /'searchCriteria\.stringCondition\.fieldName'/,
    );
    await refused(w, { SearchCriteria: str("username", "EXACT", "ada") }, "InvalidParameterException", /fieldName/);
    await refused(
      w,
      { SearchCriteria: { StringCondition: { FieldName: "Username", ComparisonType: "EXACT" } } },
      "InvalidParameterException",
      /stringCondition\.value/,
    );
    await refused(
      w,
      { SearchCriteria: { StringCondition: { FieldName: "Username", Value: "ada" } } },
      "InvalidParameterException",
      /stringCondition\.comparisonType/,
    );
    await refused(
      w,
      { SearchCriteria: { StringCondition: { Value: "ada", ComparisonType: "EXACT" } } },
      "InvalidParameterException",
      /stringCondition\.fieldName/,
    );
    await refused(w, { SearchCriteria: str("Username", "EXACT", "") }, "InvalidParameterException", /stringCondition\.value/);
    await refused(w, { SearchCriteria: str("FirstName", "CONTAINS", "a") }, "InvalidParameterException", /between 2 and 25/);
    await refused(w, { SearchCriteria: str("LastName", "CONTAINS", "x".repeat(26)) }, "InvalidParameterException", /between 2 and 25/);
    assert.deepEqual(await names(w, str("LastName", "CONTAINS", "x".repeat(25))), []);
    await refused(
      w,
      { SearchCriteria: { StringCondition: { FieldName: "Username", Value: "a", ComparisonType: "SOUNDS_LIKE" } } },
      "InvalidParameterException",
      /comparisonType/,
    );
  });

  test("a node sets exactly one member; lists are not empty; depth and size are bounded; the path names the nested member", async (t) => {
    const w = await world(t);
    await refused(
      w,
      {
        SearchCriteria: {
          StringCondition: { FieldName: "Username", Value: "ada", ComparisonType: "EXACT" },
          AndConditions: [str("Username", "EXACT", "x")],
        },
      },
      "InvalidRequestException",
      /'searchCriteria'.*andConditions, stringCondition are set together/,
    );
    await refused(w, { SearchCriteria: { AndConditions: [] } }, "InvalidRequestException", /searchCriteria\.andConditions/);
    await refused(
      w,
      { SearchCriteria: { OrConditions: [str("Username", "EXACT", "ada"), {}] } },
      "InvalidRequestException",
      /'searchCriteria\.orConditions\.2'/,
    );
    await refused(
      w,
      { SearchCriteria: { OrConditions: [str("Username", "EXACT", "ada"), { AndConditions: [str("Bogus", "EXACT", "x")] }] } },
      "InvalidParameterException",
      /'searchCriteria\.orConditions\.2\.andConditions\.1\.stringCondition\.fieldName'/,
    );
    await refused(
      w,
      { SearchCriteria: { HierarchyGroupCondition: { Value: w.groups.top } } },
      "InvalidParameterException",
      /hierarchyGroupMatchType/,
    );
    let deep: UserSearchCriteria = str("Username", "EXACT", "ada");
    for (let i = 0; i < 9; i++) deep = { AndConditions: [deep] };
    assert.deepEqual(await names(w, deep), ["ada"], "ten levels are allowed");
    await refused(w, { SearchCriteria: { AndConditions: [deep] } }, "InvalidRequestException", /deeper than 10/);
    const wide = { OrConditions: Array.from({ length: 200 }, () => str("Username", "EXACT", "ada")) };
    await refused(w, { SearchCriteria: wide }, "InvalidRequestException", /at most 200/);
  });
});

describe("SearchUsers: paging", () => {
  test("MaxResults pages in username order; every page reports the whole count; the last page has no token", async (t) => {
    const w = await world(t);
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const out = await search(w, { MaxResults: 2, ...(token ? { NextToken: token } : {}) });
      assert.equal(out.ApproximateTotalCount, 5);
      assert.ok((out.Users?.length ?? 0) <= 2);
      seen.push(...(out.Users ?? []).map((u) => u.Username as string));
      token = out.NextToken;
      pages++;
    } while (token);
    assert.equal(pages, 3);
    assert.deepEqual(seen, ["ada", "adele", "alan", "edsger", "grace"]);
  });

  test("the order is the stores' username order (code points: upper case first), the same as ListUsers", async (t) => {
    const w = await world(t);
    await w.h.run("CreateUser", {
      InstanceId: w.instanceId,
      Username: "Zed",
      Password: PASSWORD,
      IdentityInfo: { FirstName: "Zed", LastName: "Shaw" },
      PhoneConfig: { PhoneType: "SOFT_PHONE" },
      SecurityProfileIds: [w.agent],
      RoutingProfileId: w.basic,
    });
    const searched = await names(w);
    const listed = (await w.h.run("ListUsers", { InstanceId: w.instanceId })).UserSummaryList?.map((u) => u.Username);
    assert.deepEqual(searched, ["Zed", "ada", "adele", "alan", "edsger", "grace"]);
    assert.deepEqual(listed, searched);
  });

  test("a token is bound to its criteria and filter (member order aside) and to the instance", async (t) => {
    const w = await world(t);
    const criteria: UserSearchCriteria = { OrConditions: [str("Username", "STARTS_WITH", "a"), str("Username", "EXACT", "grace")] };
    const first = await search(w, { SearchCriteria: criteria, MaxResults: 2 });
    assert.deepEqual(
      first.Users?.map((u) => u.Username),
      ["ada", "adele"],
    );
    assert.equal(first.ApproximateTotalCount, 4);
    const token = first.NextToken;
    assert.ok(token);
    // the same criteria with members in another order continue the listing
    const reordered = JSON.parse(
      JSON.stringify(criteria, (_k, v) =>
        v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v,
      ),
    );
    const second = await search(w, { SearchCriteria: reordered, MaxResults: 2, NextToken: token });
    assert.deepEqual(
      second.Users?.map((u) => u.Username),
      ["alan", "grace"],
    );
    assert.equal(second.NextToken, undefined);
    // other criteria, no criteria, a filter, or another operation's token: refused
    const bad = /nextToken/;
    await refused(w, { SearchCriteria: str("Username", "STARTS_WITH", "a"), NextToken: token }, "InvalidParameterException", bad);
    await refused(w, { NextToken: token }, "InvalidParameterException", bad);
    await refused(
      w,
      { SearchCriteria: criteria, SearchFilter: { TagFilter: { TagCondition: { TagKey: "a", TagValue: "b" } } }, NextToken: token },
      "InvalidParameterException",
      bad,
    );
    const listToken = (await w.h.run("ListUsers", { InstanceId: w.instanceId, MaxResults: 1 })).NextToken;
    assert.ok(listToken);
    await refused(w, { NextToken: listToken }, "InvalidParameterException", bad);
    await refused(w, { NextToken: "not-a-token" }, "InvalidParameterException", bad);
  });

  test("MaxResults outside 1..500 is refused by the model's range", async (t) => {
    const w = await world(t);
    await refused(w, { MaxResults: 0 }, "InvalidParameterException", /maxResults/i);
    await refused(w, { MaxResults: 501 }, "InvalidParameterException", /maxResults/i);
    assert.equal((await search(w, { MaxResults: 500 })).Users?.length, 5);
  });
});

describe("SearchUsers: IAM", () => {
  const INSTANCE = "11111111-2222-3333-4444-555555555555";
  const scope = { account: HARNESS_ACCOUNT, region: "us-east-1" };
  const instanceArn = `arn:aws:connect:us-east-1:${HARNESS_ACCOUNT}:instance/${INSTANCE}`;
  const declaration = CONNECT_OPERATIONS.SearchUsers;
  assert.ok(declaration);

  function decide(input: SearchUsersRequest, policy: unknown) {
    const [target, ...more] = authzTargets(declaration as NonNullable<typeof declaration>, input, scope);
    assert.ok(target);
    assert.equal(more.length, 0);
    const principal = { arn: `arn:aws:iam::${HARNESS_ACCOUNT}:user/hr-sync`, account: HARNESS_ACCOUNT, userName: "hr-sync", tags: {} };
    const ctx = requestContext(target, principal, {}, { region: "us-east-1", now: Date.UTC(2024, 0, 1) });
    return { target, ctx, decision: evaluate([parsePolicy("p", policy)], ctx).decision };
  }

  test("connect:SearchUsers on the instance ARN, with connect:InstanceId; not a mutation", () => {
    assert.equal(declaration?.mutates, false);
    const { target, ctx, decision } = decide(
      { InstanceId: INSTANCE },
      { Version: "2012-10-17", Statement: { Effect: "Allow", Action: "connect:SearchUsers", Resource: instanceArn } },
    );
    assert.equal(target.action, "connect:SearchUsers");
    assert.equal(target.resourceArn, instanceArn);
    assert.equal(ctx.keys["connect:instanceid"], INSTANCE);
    assert.equal(decision, "Allow");
  });

  test("connect:SearchTag/<TagKey> holds the values the filter names for the key (TagFilter and UserAttributeFilter)", () => {
    const onlyDeptEng = {
      Version: "2012-10-17",
      Statement: {
        Effect: "Allow",
        Action: "connect:SearchUsers",
        Resource: "*",
        Condition: { "ForAllValues:StringEquals": { "connect:SearchTag/dept": ["eng"] }, Null: { "connect:SearchTag/dept": "false" } },
      },
    };
    const eng = { TagFilter: { TagCondition: { TagKey: "dept", TagValue: "eng" } } };
    assert.equal(decide({ InstanceId: INSTANCE, SearchFilter: eng }, onlyDeptEng).decision, "Allow");
    assert.equal(decide({ InstanceId: INSTANCE }, onlyDeptEng).decision, "ImplicitDeny", "no filter: the key is absent");
    const both = { TagFilter: { OrConditions: [[{ TagKey: "dept", TagValue: "eng" }], [{ TagKey: "dept", TagValue: "navy" }]] } };
    const r = decide({ InstanceId: INSTANCE, SearchFilter: both }, onlyDeptEng);
    assert.deepEqual(r.ctx.keys["connect:searchtag/dept"], ["eng", "navy"]);
    assert.equal(r.decision, "ImplicitDeny");
    const attr = { UserAttributeFilter: { AndCondition: { TagConditions: [{ TagKey: "Dept", TagValue: "eng" }] } } };
    assert.equal(
      decide({ InstanceId: INSTANCE, SearchFilter: attr }, onlyDeptEng).decision,
      "Allow",
      "condition key names are case-insensitive",
    );
  });

  test("searchTagsOf reads every tag condition and never throws on odd input", () => {
    assert.deepEqual(
      searchTagsOf({
        SearchFilter: {
          UserAttributeFilter: {
            OrConditions: [
              { TagConditions: [{ TagKey: "a", TagValue: "1" }] },
              {
                TagConditions: [
                  { TagKey: "a", TagValue: "2" },
                  { TagKey: "__proto__", TagValue: "x" },
                ],
              },
            ],
          },
        },
      }),
      Object.fromEntries([
        ["a", ["1", "2"]],
        ["__proto__", ["x"]],
      ]),
    );
    assert.deepEqual(searchTagsOf({ SearchFilter: { TagFilter: { TagCondition: { TagKey: "k" } } } }), {});
    assert.deepEqual(searchTagsOf({}), {});
  });
});
