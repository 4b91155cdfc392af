// The web console in real Chromium: sign in as root, find a user by search (SearchUsers), change the
// email (seeing the warning first), save phone config, routing profile, security profiles and
// hierarchy (each read back by DescribeUser), see the audit event with masked values and the chain
// status, read the access report, import 50 CSV rows (3 bad: 47 succeed), and — signed in as README's help-desk
// ABAC principal — get AccessDenied naming the action on an admin's email; a principal refused
// ListUserHierarchyGroups sees the user page without the sections it cannot show. Also the headers: a
// strict CSP that blocks inline script, no framing, content types and caching. A screenshot of
// each page goes to test-output/console/.
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  type ConnectClient,
  CreateRoutingProfileCommand,
  CreateUserHierarchyGroupCommand,
  DescribeUserCommand,
  ListQueuesCommand,
  ListUsersCommand,
  UpdateUserHierarchyStructureCommand,
} from "@aws-sdk/client-connect";
import type { Browser, Request as BrowserRequest, Page } from "playwright-core";
import { launchBrowser, screenshot } from "../helpers/browser.js";
import { createInstance, createUser, type InstanceFixture } from "../helpers/fixtures.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

const HELPDESK = { accessKeyId: "AKIAHELPDESK00000001", secretAccessKey: "hElPdEsKsEcReT0000000000000000000000000a" };
/** May do everything on the instance but list its hierarchy groups. */
const NO_GROUPS = { accessKeyId: "AKIANOGROUPS00000001", secretAccessKey: "nOgRoUpSsEcReT0000000000000000000000000a" };
const HEADER =
  "first name,last name,email address,password,user login,routing profile name,security_profile_name_1|security_profile_name_2,phone type (soft/desk),phone number,soft phone auto accept (yes/no),ACW timeout (seconds)";

/** README's help-desk principal ("Declaring principals: --iam FILE"). */
const IAM_FILE = {
  principals: [
    {
      name: "helpdesk",
      tags: { team: "support" },
      accessKeys: [HELPDESK],
      policies: {
        HelpDesk: {
          Version: "2012-10-17",
          Statement: [
            { Sid: "ManageUsers", Effect: "Allow", Action: "connect:*", Resource: ["arn:aws:connect:*:000000000000:instance/*"] },
            {
              Sid: "NeverAnAdminsIdentity",
              Effect: "Deny",
              Action: "connect:UpdateUserIdentityInfo",
              Resource: "*",
              Condition: { StringEquals: { "aws:ResourceTag/role": "admin" } },
            },
          ],
        },
      },
    },
    {
      name: "no-groups",
      accessKeys: [NO_GROUPS],
      policies: {
        NoGroups: {
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Action: "connect:*", Resource: ["arn:aws:connect:*:000000000000:instance/*"] },
            { Effect: "Deny", Action: "connect:ListUserHierarchyGroups", Resource: "*" },
          ],
        },
      },
    },
  ],
};

describe("the web console in Chromium", () => {
  let server: TestServer;
  let c: ConnectClient;
  let inst: InstanceFixture;
  let browser: Browser;
  let page: Page;
  let alice: { id: string };
  let admin: { id: string };
  let nightShift: string;
  let support: string;
  const dir = mkdtempSync(join(tmpdir(), "sb-console-"));
  const consoleUrl = () => `${server.url}/_switchboard/console/`;

  before(async () => {
    const iam = join(dir, "iam.json");
    writeFileSync(iam, JSON.stringify(IAM_FILE));
    server = await startTestServer(["--iam", iam]);
    c = server.client();
    inst = await createInstance(c);
    alice = await createUser(c, inst, {
      Username: "alice",
      IdentityInfo: { FirstName: "Alice", LastName: "Agent", Email: "alice@example.com" },
      Tags: { team: "blue" },
    });
    await createUser(c, inst, { Username: "bob", IdentityInfo: { FirstName: "Bob", LastName: "Agent", Email: "bob@example.com" } });
    admin = await createUser(c, inst, {
      Username: "root-admin",
      IdentityInfo: { FirstName: "Ada", LastName: "Admin", Email: "admin@example.com" },
      SecurityProfileIds: [inst.adminProfileId],
      Tags: { role: "admin" },
    });
    const queues = await c.send(new ListQueuesCommand({ InstanceId: inst.id, QueueTypes: ["STANDARD"] }));
    const basicQueue = queues.QueueSummaryList?.find((q) => q.Name === "BasicQueue")?.Id;
    const rp = await c.send(
      new CreateRoutingProfileCommand({
        InstanceId: inst.id,
        Name: "Night Shift",
        Description: "after hours",
        DefaultOutboundQueueId: basicQueue,
        MediaConcurrencies: [{ Channel: "VOICE", Concurrency: 1 }],
      }),
    );
    nightShift = rp.RoutingProfileId ?? "";
    await c.send(new UpdateUserHierarchyStructureCommand({ InstanceId: inst.id, HierarchyStructure: { LevelOne: { Name: "Team" } } }));
    support = (await c.send(new CreateUserHierarchyGroupCommand({ InstanceId: inst.id, Name: "Support" }))).HierarchyGroupId ?? "";
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function signIn(accessKeyId: string, secretAccessKey: string) {
    await page.goto(consoleUrl());
    await page.getByLabel("Access key ID").fill(accessKeyId);
    await page.getByLabel("Secret access key").fill(secretAccessKey);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { level: 1, name: "Instances" }).waitFor();
  }

  test("headers: strict CSP, no framing, content types and caching", async () => {
    const res = await fetch(consoleUrl());
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "text/html; charset=utf-8");
    assert.equal(res.headers.get("cache-control"), "no-cache");
    const csp = res.headers.get("content-security-policy") ?? "";
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.equal(res.headers.get("x-frame-options"), "DENY");
    assert.equal(res.headers.get("x-content-type-options"), "nosniff");
    const html = await res.text();
    assert.doesNotMatch(html, /<script>|<script [^>]*>[^<]/, "no inline script in the page");
    const js = /src="\.\/(app-[A-Z0-9]+\.js)"/.exec(html)?.[1];
    assert.ok(js, html);
    const asset = await fetch(`${consoleUrl()}${js}`);
    assert.equal(asset.headers.get("content-type"), "text/javascript; charset=utf-8");
    assert.equal(asset.headers.get("cache-control"), "public, max-age=31536000, immutable");
    const again = await fetch(`${consoleUrl()}${js}`, { headers: { "If-None-Match": asset.headers.get("etag") ?? "" } });
    assert.equal(again.status, 304);
    assert.equal((await fetch(`${consoleUrl()}..%2f..%2fpackage.json`)).status, 404);
    assert.equal((await fetch(`${consoleUrl()}index.html`, { method: "POST" })).status, 405);
  });

  test("the browser refuses inline script under the console's CSP", async () => {
    await page.goto(consoleUrl());
    const violations: string[] = [];
    page.on("console", (m) => violations.push(m.text()));
    await page.evaluate(() => {
      const s = document.createElement("script");
      s.textContent = "window.__inlineRan = true";
      document.head.appendChild(s);
    });
    assert.equal(await page.evaluate(() => (window as unknown as { __inlineRan?: boolean }).__inlineRan), undefined);
    await screenshot(page, "01-sign-in");
  });

  test("sign in as root: the instances page", async () => {
    await signIn("test", "test");
    await page.getByRole("link", { name: /^inst/ }).first().waitFor();
    assert.equal(await page.evaluate(() => document.cookie), "");
    assert.equal(await page.evaluate(() => localStorage.length), 0);
    await screenshot(page, "02-instances");
  });

  test("find a user by search: SearchUsers with Username CONTAINS, no ListUsers + DescribeUser", async () => {
    const calls: { method: string; path: string; body: string }[] = [];
    const record = (r: BrowserRequest) => {
      const url = new URL(r.url());
      if (url.origin === new URL(server.url).origin) calls.push({ method: r.method(), path: url.pathname, body: r.postData() ?? "" });
    };
    page.on("request", record);
    await page.goto(`${consoleUrl()}#/i/${inst.id}/users`);
    await page.getByLabel("Search users by login").fill("ali");
    await page.getByRole("button", { name: "Search" }).click();
    // The search's own table (its caption names the text): until the hash change re-renders the
    // page, the unfiltered first page (alice among the others) is still the one shown.
    await page.getByText("Users whose login contains “ali”, page 1").waitFor();
    await page.getByRole("link", { name: "alice" }).waitFor();
    page.off("request", record);
    const rows = await page.locator("tbody tr").count();
    assert.equal(rows, 1);
    assert.match((await page.locator("tbody tr").textContent()) ?? "", /Agent.*team=blue/);
    assert.equal(await page.getByText(/does not serve SearchUsers|ListUsers and DescribeUser/).count(), 0);
    assert.equal(await page.locator("p.note").count(), 0);
    const searches = calls.filter((x) => x.method === "POST" && x.path === "/search-users").map((x) => JSON.parse(x.body));
    assert.ok(
      searches.some(
        (b) =>
          b.SearchCriteria?.StringCondition?.FieldName === "Username" &&
          b.SearchCriteria.StringCondition.ComparisonType === "CONTAINS" &&
          b.SearchCriteria.StringCondition.Value === "ali",
      ),
      JSON.stringify(calls),
    );
    assert.deepEqual(
      calls.filter((x) => x.path.startsWith("/users-summary/") || x.path.startsWith("/users/")),
      [],
      "neither ListUsers nor DescribeUser",
    );
    await screenshot(page, "03-users-search");
    await page.getByRole("link", { name: "alice" }).click();
    await page.getByRole("heading", { level: 1, name: "User alice" }).waitFor();
  });

  test("change the email: the warning shows before saving", async () => {
    const section = page.getByRole("region", { name: "Identity info" });
    const warning = section.getByRole("alert").filter({ hasText: "Warning" });
    assert.equal(await warning.isVisible(), false);
    await section.getByLabel("Email", { exact: true }).fill("alice.new@example.org");
    await warning.waitFor({ state: "visible" });
    assert.match((await warning.textContent()) ?? "", /old address will be sent an alert/);
    await screenshot(page, "04-user-email-warning");
    await section.getByRole("button", { name: "Save" }).click();
    await section.getByText("Identity info saved; the old address is alerted.").waitFor();
    const u = await c.send(new DescribeUserCommand({ InstanceId: inst.id, UserId: alice.id }));
    assert.equal(u.User?.IdentityInfo?.Email, "alice.new@example.org");
    await screenshot(page, "05-user");
  });

  test("save phone config, routing profile, security profiles and hierarchy; DescribeUser reads each back", async () => {
    const describeAlice = async () => (await c.send(new DescribeUserCommand({ InstanceId: inst.id, UserId: alice.id }))).User;

    const phone = page.getByRole("region", { name: "Phone config" });
    await phone.getByLabel("Phone type").selectOption("DESK_PHONE");
    await phone.getByLabel("Auto-accept calls").check();
    await phone.getByLabel("After contact work timeout (seconds)").fill("45");
    await phone.getByLabel("Desk phone number").fill("+12065550123");
    await phone.getByRole("button", { name: "Save" }).click();
    await phone.getByText("Phone config saved.").waitFor();
    assert.deepEqual((await describeAlice())?.PhoneConfig, {
      PhoneType: "DESK_PHONE",
      AutoAccept: true,
      AfterContactWorkTimeLimit: 45,
      DeskPhoneNumber: "+12065550123",
    });

    const routing = page.getByRole("region", { name: "Routing profile" });
    await routing.getByLabel("Routing profile").selectOption({ label: "Night Shift" });
    await routing.getByRole("button", { name: "Save" }).click();
    await routing.getByText("Routing profile saved.").waitFor();
    assert.equal((await describeAlice())?.RoutingProfileId, nightShift);

    const security = page.getByRole("region", { name: "Security profiles" });
    await security.getByLabel("Admin", { exact: true }).check();
    await security.getByLabel("Agent", { exact: true }).uncheck();
    await security.getByRole("button", { name: "Save" }).click();
    await security.getByText("Security profiles saved.").waitFor();
    assert.deepEqual((await describeAlice())?.SecurityProfileIds, [inst.adminProfileId]);

    const hierarchy = page.getByRole("region", { name: "Hierarchy" });
    await hierarchy.getByLabel("Hierarchy group").selectOption({ label: "Support" });
    await hierarchy.getByRole("button", { name: "Save" }).click();
    await hierarchy.getByText("Hierarchy saved.").waitFor();
    assert.equal((await describeAlice())?.HierarchyGroupId, support);
    await screenshot(page, "05-user-assignments");

    // (none) takes the user out of the hierarchy; back to Agent so the access report below counts alice
    await hierarchy.getByLabel("Hierarchy group").selectOption({ label: "(none)" });
    await hierarchy.getByRole("button", { name: "Save" }).click();
    await hierarchy.getByText("Hierarchy saved.").waitFor();
    assert.equal((await describeAlice())?.HierarchyGroupId, undefined);
    await security.getByLabel("Agent", { exact: true }).check();
    await security.getByLabel("Admin", { exact: true }).uncheck();
    await security.getByRole("button", { name: "Save" }).click();
    await security.getByText("Security profiles saved.").waitFor();
    assert.deepEqual((await describeAlice())?.SecurityProfileIds, [inst.agentProfileId]);
  });

  test("the audit trail shows the change with masked values and the chain status", async () => {
    await page.goto(`${consoleUrl()}#/audit?event=UpdateUserIdentityInfo`);
    await page.getByText("a***@example.com → a***@example.org").waitFor();
    await page.getByText(/Chain intact: \d+ events; head hash/).waitFor();
    const row = page.locator("tbody tr").filter({ hasText: "a***@example.com" });
    assert.match((await row.textContent()) ?? "", /UpdateUserIdentityInfo.*arn:aws:iam::000000000000:root/);
    await screenshot(page, "06-audit");
  });

  test("the access report lists the help desk, which may not change the admin's email", async () => {
    await page.goto(`${consoleUrl()}#/access?instance=${inst.id}`);
    const row = page.locator("tbody tr").filter({ hasText: "helpdesk" });
    await row.waitFor();
    // alice, bob; never the admin (the Deny on role=admin)
    assert.match((await row.textContent()) ?? "", /2 of 3 users/);
    await screenshot(page, "07-access-report");
  });

  test("import a CSV of 50 rows with 3 bad rows: 47 succeed", async () => {
    const rows = Array.from({ length: 50 }, (_, i) => {
      if (i === 10) return `Bad,Profile,b10@example.com,Passw0rd1,csv10,Basic Routing Profile,NoSuchProfile,soft,,no,0`;
      if (i === 20) return `Bad,Email,not-an-email,Passw0rd1,csv20,Basic Routing Profile,Agent,soft,,no,0`;
      if (i === 30) return `,NoFirstName,b30@example.com,Passw0rd1,csv30,Basic Routing Profile,Agent,soft,,no,0`;
      return `First${i},Last${i},csv${i}@example.com,Passw0rd1,csv${i},Basic Routing Profile,Agent,soft,,yes,${i}`;
    });
    const file = join(dir, "fifty.csv");
    writeFileSync(file, `${HEADER}\n${rows.join("\n")}\n`);
    await page.goto(`${consoleUrl()}#/i/${inst.id}/import`);
    await page.getByLabel("CSV file").setInputFiles(file);
    // The dry run knows two bad rows without calling CreateUser; the bad email only the server can tell.
    await page.getByText(/^Preview: /).waitFor();
    assert.match(
      (await page.getByRole("status").filter({ hasText: "Preview" }).textContent()) ?? "",
      /Preview: 48 to create, 0 to update, 0 unchanged, 2 failing\./,
    );
    await screenshot(page, "08-import-preview");
    await page.getByRole("button", { name: "Import 50 rows" }).click();
    await page.getByText("Done: 47 created, 0 updated, 0 unchanged, 3 failed.").waitFor({ timeout: 60_000 });
    assert.equal(await page.locator("progress").evaluate((p) => (p as HTMLProgressElement).value), 50);
    const link = page.getByRole("link", { name: "Download the result (CSV)" });
    assert.equal(await link.getAttribute("download"), "import-result.csv");
    const listed = await c.send(new ListUsersCommand({ InstanceId: inst.id, MaxResults: 1000 }));
    assert.equal(listed.UserSummaryList?.filter((u) => u.Username?.startsWith("csv")).length, 47);
    await screenshot(page, "09-import-result");
  });

  test("signed in as the help desk: AccessDenied naming the action on an admin's email", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("heading", { level: 1, name: "Sign in" }).waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.length), 0);
    await signIn(HELPDESK.accessKeyId, HELPDESK.secretAccessKey);
    // ListInstances acts on "*", outside the help desk's instance/* grant: a clear message, not a blank page.
    await page.getByText("Access denied: you are not allowed to perform connect:ListInstances").waitFor();
    await screenshot(page, "10-helpdesk-instances-denied");
    await page.goto(`${consoleUrl()}#/i/${inst.id}/users/${admin.id}`);
    const section = page.getByRole("region", { name: "Identity info" });
    await section.getByLabel("Email", { exact: true }).fill("attacker@example.net");
    await section.getByRole("button", { name: "Save" }).click();
    const denied = section.getByRole("alert").filter({ hasText: "Access denied" });
    await denied.waitFor();
    assert.match(
      (await denied.textContent()) ?? "",
      /^Access denied: you are not allowed to perform connect:UpdateUserIdentityInfo\. User: arn:aws:iam::000000000000:user\/helpdesk is not authorized .* with an explicit deny/,
    );
    await screenshot(page, "11-helpdesk-denied");
    const u = await c.send(new DescribeUserCommand({ InstanceId: inst.id, UserId: admin.id }));
    assert.equal(u.User?.IdentityInfo?.Email, "admin@example.com");
  });

  test("names that cannot be read: the user page leaves profiles and hierarchy out with the error, never shows them unset", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await signIn(NO_GROUPS.accessKeyId, NO_GROUPS.secretAccessKey);
    await page.goto(`${consoleUrl()}#/i/${inst.id}/users/${alice.id}`);
    await page.getByRole("heading", { level: 1, name: "User alice" }).waitFor();
    const missing = page.getByRole("region", { name: "Profiles and hierarchy" }).getByRole("alert");
    assert.match(
      (await missing.textContent()) ?? "",
      /^Not shown: Access denied: you are not allowed to perform connect:ListUserHierarchyGroups\./,
    );
    for (const name of ["Routing profile", "Security profiles", "Hierarchy"]) {
      assert.equal(await page.getByRole("region", { name, exact: true }).count(), 0, name);
    }
    assert.equal(await page.getByRole("region", { name: "Phone config" }).isVisible(), true);
    await screenshot(page, "12-names-denied");
  });
});
