// An instance's users: SearchUsers (Username CONTAINS the search text), 25 a page.
// https://docs.aws.amazon.com/connect/latest/APIReference/API_SearchUsers.html
import { SearchUsersCommand, type SearchUsersCommandInput } from "@aws-sdk/client-connect";
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

async function searchPage(instanceId: string, text: string, token: string | undefined): Promise<{ rows: Row[]; next?: string }> {
  const input: SearchUsersCommandInput = { InstanceId: instanceId, MaxResults: PAGE, ...(token ? { NextToken: token } : {}) };
  if (text) input.SearchCriteria = { StringCondition: { FieldName: "Username", Value: text, ComparisonType: "CONTAINS" } };
  const r = await connect().send(new SearchUsersCommand(input));
  const rows = (r.Users ?? []).map((u) => ({
    id: u.Id ?? "",
    login: u.Username ?? "",
    firstName: u.IdentityInfo?.FirstName ?? "",
    lastName: u.IdentityInfo?.LastName ?? "",
    routingProfileId: u.RoutingProfileId,
    securityProfileIds: u.SecurityProfileIds ?? [],
    tags: u.Tags ?? {},
  }));
  return { rows, ...(r.NextToken ? { next: r.NextToken } : {}) };
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
