// An instance's users: SearchUsers (login contains the search text), 25 a page; where the server
// does not serve SearchUsers (501), ListUsers + DescribeUser give the same table.
import {
  DescribeUserCommand,
  ListUsersCommand,
  SearchUsersCommand,
  type SearchUsersCommandInput,
  type UserSummary,
} from "@aws-sdk/client-connect";
import { connect, describe } from "../api.js";
import { field, h, outcome, put } from "../dom.js";
import { page, table, tagList } from "../layout.js";
import { type Names, readNames } from "./names.js";

const PAGE = 25;

interface Row {
  id: string;
  login: string;
  firstName: string;
  lastName: string;
  routingProfileId?: string;
  securityProfileIds: string[];
  tags: Record<string, string>;
}

const notServed = (err: unknown) =>
  (err as { name?: string })?.name === "NotImplementedException" ||
  (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode === 501;

/** Fallback paging over ListUsers: every login once, filtered here, described a page at a time. */
let listed: { instanceId: string; users: UserSummary[] } | undefined;

async function searchPage(
  instanceId: string,
  text: string,
  token: string | undefined,
): Promise<{ rows: Row[]; next?: string; fallback: boolean }> {
  const c = connect();
  try {
    const input: SearchUsersCommandInput = { InstanceId: instanceId, MaxResults: PAGE, ...(token ? { NextToken: token } : {}) };
    if (text) input.SearchCriteria = { StringCondition: { FieldName: "Username", Value: text, ComparisonType: "CONTAINS" } };
    const r = await c.send(new SearchUsersCommand(input));
    const rows = (r.Users ?? []).map((u) => ({
      id: u.Id ?? "",
      login: u.Username ?? "",
      firstName: u.IdentityInfo?.FirstName ?? "",
      lastName: u.IdentityInfo?.LastName ?? "",
      routingProfileId: u.RoutingProfileId,
      securityProfileIds: u.SecurityProfileIds ?? [],
      tags: u.Tags ?? {},
    }));
    return { rows, ...(r.NextToken ? { next: r.NextToken } : {}), fallback: false };
  } catch (err) {
    if (!notServed(err)) throw err;
  }
  if (listed?.instanceId !== instanceId || !token) {
    const users: UserSummary[] = [];
    let NextToken: string | undefined;
    do {
      const r = await c.send(new ListUsersCommand({ InstanceId: instanceId, NextToken, MaxResults: 1000 }));
      users.push(...(r.UserSummaryList ?? []));
      NextToken = r.NextToken;
    } while (NextToken);
    listed = { instanceId, users };
  }
  const matching = listed.users.filter((u) => (u.Username ?? "").toLowerCase().includes(text.toLowerCase()));
  matching.sort((a, b) => (a.Username ?? "").localeCompare(b.Username ?? ""));
  const start = Number(token ?? 0);
  const slice = matching.slice(start, start + PAGE);
  const rows = await Promise.all(
    slice.map(async (s) => {
      const u = (await c.send(new DescribeUserCommand({ InstanceId: instanceId, UserId: s.Id }))).User ?? {};
      return {
        id: u.Id ?? "",
        login: u.Username ?? "",
        firstName: u.IdentityInfo?.FirstName ?? "",
        lastName: u.IdentityInfo?.LastName ?? "",
        routingProfileId: u.RoutingProfileId,
        securityProfileIds: u.SecurityProfileIds ?? [],
        tags: u.Tags ?? {},
      };
    }),
  );
  return { rows, ...(start + PAGE < matching.length ? { next: String(start + PAGE) } : {}), fallback: true };
}

export async function usersPage(instanceId: string, query: URLSearchParams): Promise<void> {
  const text = query.get("q") ?? "";
  const result = outcome();
  const search = h("input", { type: "search", name: "q", value: text, spellcheck: "false" });
  const form = h(
    "form",
    {
      class: "inline",
      role: "search",
      onsubmit: (ev: Event) => {
        ev.preventDefault();
        location.hash = `#/i/${instanceId}/users?q=${encodeURIComponent(search.value.trim())}`;
      },
    },
    field("Search users by login", search),
    h("button", { type: "submit" }, "Search"),
  );
  const list = h("div", {}, h("p", {}, "Loading…"));
  const note = h("p", { class: "note" });
  page(
    "Users",
    h(
      "p",
      {},
      "Instance ",
      h("code", {}, instanceId),
      " · ",
      h("a", { href: `#/i/${instanceId}/users/new` }, "Add user"),
      " · ",
      h("a", { href: `#/i/${instanceId}/import` }, "Import users (CSV)"),
    ),
    form,
    note,
    list,
    result.el,
  );
  let names: Names;
  try {
    names = await readNames(instanceId);
  } catch (err) {
    list.replaceChildren();
    return result.fail(describe(err));
  }
  const tokens: (string | undefined)[] = [undefined];
  const show = async (index: number) => {
    put(list, h("p", {}, "Loading…"));
    try {
      const r = await searchPage(instanceId, text, tokens[index]);
      if (r.next) tokens[index + 1] = r.next;
      put(note, r.fallback ? "This server does not serve SearchUsers yet: the table is read with ListUsers and DescribeUser." : "");
      const prev = h("button", { type: "button", disabled: index === 0, onclick: () => show(index - 1) }, "Previous page");
      const next = h("button", { type: "button", disabled: !r.next, onclick: () => show(index + 1) }, "Next page");
      put(
        list,
        table(
          `Users${text ? ` whose login contains “${text}”` : ""}, page ${index + 1}`,
          [
            {
              title: "Login",
              cell: (u: Row) => h("a", { href: `#/i/${instanceId}/users/${u.id}` }, u.login),
              key: (u) => u.login.toLowerCase(),
            },
            { title: "First name", cell: (u) => u.firstName, key: (u) => u.firstName.toLowerCase() },
            { title: "Last name", cell: (u) => u.lastName, key: (u) => u.lastName.toLowerCase() },
            { title: "Routing profile", cell: (u) => names.name(u.routingProfileId), key: (u) => names.name(u.routingProfileId) },
            { title: "Security profiles", cell: (u) => u.securityProfileIds.map((id) => names.name(id)).join(", ") },
            { title: "Tags", cell: (u) => tagList(u.tags) },
          ],
          r.rows,
          "No users match.",
        ),
        h("nav", { class: "pager", "aria-label": "Pages" }, prev, next),
      );
    } catch (err) {
      put(list);
      result.fail(describe(err, "connect:SearchUsers"));
    }
  };
  await show(0);
}
