// SearchUsers through the real Python clients: one boto3 flow (test/e2e/python/boto3_search_users.py
// records every answer, this checks them) and one AWS CLI v2 flow (`aws connect search-users`
// with JSON and shorthand criteria, the CLI's own pagination and --max-items/--starting-token,
// its error exit).
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { isolatedAwsEnv } from "../helpers/aws-env.js";
import {
  type Attempt,
  assertClientsInstalled,
  awsConnect,
  CLI_SERVICE_ERROR,
  clientError,
  ok,
  PYTHON,
  parseJson,
  run,
} from "../helpers/python-clients.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

const BOTO3_SCRIPT = fileURLToPath(new URL("./python/boto3_search_users.py", import.meta.url));

let server: TestServer;
let env: NodeJS.ProcessEnv;

before(async () => {
  assertClientsInstalled();
  server = await startTestServer();
  env = isolatedAwsEnv();
});
after(async () => {
  await server?.close();
});

interface Summary {
  Id: string;
  Arn: string;
  Username: string;
  IdentityInfo: { FirstName?: string; LastName?: string };
  PhoneConfig: { PhoneType: string; AutoAccept: boolean; AfterContactWorkTimeLimit: number };
  SecurityProfileIds: string[];
  RoutingProfileId: string;
  Tags: Record<string, string>;
}
interface SearchOut {
  Users: Summary[];
  NextToken?: string;
  ApproximateTotalCount: number;
}
interface Boto3Report {
  profiles: { agent: string; admin: string; routing: string };
  ids: Record<string, string>;
  byUsername: Attempt<SearchOut>;
  unknownUsername: Attempt<SearchOut>;
  pages: { users: string[]; count: number; token: boolean }[];
  full: { users: string[]; count: number };
  nested: Attempt<SearchOut>;
  badField: Attempt<unknown>;
  twoMembers: Attempt<unknown>;
}

describe("boto3 1.26 (Debian python3-boto3): SearchUsers in an HR-sync flow", () => {
  let r: Boto3Report;

  before(async () => {
    const res = await run(
      PYTHON,
      [BOTO3_SCRIPT, server.url, `pys-${randomUUID().slice(0, 8)}`],
      { ...env, PYTHONDONTWRITEBYTECODE: "1" },
      60_000,
    );
    assert.equal(res.code, 0, `boto3 script failed (exit ${res.code}):\n${res.stderr}`);
    r = parseJson(res.stdout, "boto3 script") as Boto3Report;
  });

  test("search_users by Username (EXACT, any case) returns the summary, ACW in milliseconds; an unknown one nothing", () => {
    const found = ok(r.byUsername, "search by username").body;
    assert.equal(found.ApproximateTotalCount, 1);
    assert.equal(found.Users.length, 1);
    const u = found.Users[0] as Summary;
    assert.equal(u.Id, r.ids.lchen);
    assert.equal(u.Username, "lchen");
    assert.deepEqual(u.IdentityInfo, { FirstName: "Li", LastName: "Chen" });
    assert.deepEqual(u.PhoneConfig, { PhoneType: "SOFT_PHONE", AutoAccept: false, AfterContactWorkTimeLimit: 20_000 });
    assert.deepEqual(u.SecurityProfileIds, [r.profiles.agent]);
    assert.equal(u.RoutingProfileId, r.profiles.routing);
    assert.deepEqual(u.Tags, { dept: "support", site: "opo" });
    const none = ok(r.unknownUsername, "unknown username").body;
    assert.deepEqual(none.Users, []);
    assert.equal(none.ApproximateTotalCount, 0);
  });

  test("the paginator walks every holder of a profile, two per page; build_full_result keeps ApproximateTotalCount", () => {
    assert.deepEqual(r.pages, [
      { users: ["kwalsh", "lchen"], count: 5, token: true },
      { users: ["mrossi", "ppatel"], count: 5, token: true },
      { users: ["tbauer"], count: 5, token: false },
    ]);
    assert.deepEqual(r.full, { users: ["kwalsh", "lchen", "mrossi", "ppatel", "tbauer"], count: 5 });
  });

  test("nested criteria AND a TagFilter", () => {
    // Admins (mrossi, ppatel) or Li C[he]n; then dept=support or site=opo: all three pass.
    const body = ok(r.nested, "nested").body;
    assert.deepEqual(
      body.Users.map((u) => u.Username),
      ["lchen", "mrossi", "ppatel"],
    );
  });

  test("refusals: an undocumented FieldName (InvalidParameterException), two members in one criterion (InvalidRequestException)", () => {
    const bad = clientError(r.badField, "bad field");
    assert.equal(bad.code, "InvalidParameterException");
    assert.equal(bad.status, 400);
    assert.match(bad.message, /'searchCriteria\.stringCondition\.fieldName'/);
    const two = clientError(r.twoMembers, "two members");
    assert.equal(two.code, "InvalidRequestException");
    assert.equal(two.status, 400);
  });
});

describe("AWS CLI v2 2.9 (Debian awscli): search-users", () => {
  const { aws, awsOk } = awsConnect(
    () => server.url,
    () => env,
  );
  let instanceId = "";
  let agent = "";

  before(async () => {
    const inst = (await awsOk([
      "create-instance",
      "--identity-management-type",
      "CONNECT_MANAGED",
      "--instance-alias",
      `clis-${randomUUID().slice(0, 8)}`,
      "--inbound-calls-enabled",
      "--outbound-calls-enabled",
    ])) as { Id: string };
    instanceId = inst.Id;
    const sp = (await awsOk(["list-security-profiles", "--instance-id", instanceId])) as {
      SecurityProfileSummaryList: { Id: string; Name: string }[];
    };
    agent = sp.SecurityProfileSummaryList.find((p) => p.Name === "Agent")?.Id as string;
    const rp = (await awsOk(["list-routing-profiles", "--instance-id", instanceId])) as { RoutingProfileSummaryList: { Id: string }[] };
    const routing = rp.RoutingProfileSummaryList[0]?.Id as string;
    for (const [username, team] of [
      ["ops.one", "blue"],
      ["ops.two", "red"],
      ["ops.three", "blue"],
      ["dev.one", "blue"],
    ] as const) {
      await awsOk([
        "create-user",
        "--instance-id",
        instanceId,
        "--username",
        username,
        "--password",
        "Passw0rd1",
        "--identity-info",
        "FirstName=Op,LastName=Erator",
        "--phone-config",
        "PhoneType=SOFT_PHONE,AfterContactWorkTimeLimit=10",
        "--security-profile-ids",
        agent,
        "--routing-profile-id",
        routing,
        "--tags",
        `team=${team}`,
      ]);
    }
  });

  test("JSON criteria, the CLI's own paging (--page-size): every match merged, with ApproximateTotalCount", async () => {
    const out = (await awsOk([
      "search-users",
      "--instance-id",
      instanceId,
      "--search-criteria",
      JSON.stringify({ StringCondition: { FieldName: "Username", Value: "ops.", ComparisonType: "STARTS_WITH" } }),
      "--page-size",
      "1",
    ])) as SearchOut;
    assert.deepEqual(
      out.Users.map((u) => u.Username),
      ["ops.one", "ops.three", "ops.two"],
    );
    assert.equal(out.ApproximateTotalCount, 3);
    assert.equal(out.Users[0]?.PhoneConfig.AfterContactWorkTimeLimit, 10_000);
  });

  test("shorthand criteria and a TagFilter; --max-items then --starting-token resume the listing", async () => {
    const filter = JSON.stringify({ TagFilter: { TagCondition: { TagKey: "team", TagValue: "blue" } } });
    const base = [
      "search-users",
      "--instance-id",
      instanceId,
      "--search-criteria",
      `StringCondition={FieldName=SecurityProfileId,Value=${agent},ComparisonType=EXACT}`,
      "--search-filter",
      filter,
    ];
    const first = (await awsOk([...base, "--max-items", "2"])) as SearchOut;
    assert.deepEqual(
      first.Users.map((u) => u.Username),
      ["dev.one", "ops.one"],
    );
    assert.ok(first.NextToken, "the CLI hands back a token to resume from");
    const rest = (await awsOk([...base, "--starting-token", first.NextToken])) as SearchOut;
    assert.deepEqual(
      rest.Users.map((u) => u.Username),
      ["ops.three"],
    );
  });

  test("an undocumented FieldName: exit 254 with InvalidParameterException naming the member", async () => {
    const res = await aws([
      "search-users",
      "--instance-id",
      instanceId,
      "--search-criteria",
      "StringCondition={FieldName=Email,Value=x@example.com,ComparisonType=EXACT}",
    ]);
    assert.equal(res.code, CLI_SERVICE_ERROR, res.stderr);
    assert.match(res.stderr, /InvalidParameterException/);
    assert.match(res.stderr, /searchCriteria\.stringCondition\.fieldName/);
  });
});
