// The page frame: a skip link, the navigation, one <main> whose <h1> takes focus on each route.
import { session, signOut } from "./api.js";
import { type Child, h, put } from "./dom.js";

export const main = () => document.getElementById("main") as HTMLElement;

export function frame(): void {
  const s = session();
  const nav = document.getElementById("nav") as HTMLElement;
  put(
    nav,
    s
      ? h(
          "ul",
          {},
          h("li", {}, h("a", { href: "#/" }, "Instances")),
          h("li", {}, h("a", { href: "#/audit" }, "Audit trail")),
          h("li", {}, h("a", { href: "#/access" }, "Access report")),
          h(
            "li",
            { class: "who" },
            h("span", {}, `Signed in: ${s.accessKeyId} (${s.region})`),
            h(
              "button",
              {
                type: "button",
                onclick: () => {
                  signOut();
                  location.hash = "#/";
                  window.dispatchEvent(new HashChangeEvent("hashchange"));
                },
              },
              "Sign out",
            ),
          ),
        )
      : null,
  );
}

/** Shows a page: its title as <h1> (focused, for keyboard and screen-reader users) and content. */
export function page(title: string, ...content: Child[]): void {
  document.title = `${title} · Switchboard console`;
  const h1 = h("h1", { tabindex: "-1" }, title);
  put(main(), h1, ...content);
  h1.focus();
}

export interface Column<T> {
  title: string;
  cell(row: T): Child;
  /** sort key; absent: not sortable */
  key?(row: T): string | number;
}

/** A table whose sortable columns sort on click or Enter (buttons in the headers, aria-sort). */
export function table<T>(caption: string, columns: readonly Column<T>[], rows: readonly T[], empty = "Nothing to show."): HTMLElement {
  let sortBy = -1;
  let dir = 1;
  const body = h("tbody");
  const heads = columns.map((c, i) =>
    h(
      "th",
      { scope: "col" },
      c.key
        ? h(
            "button",
            {
              type: "button",
              class: "sort",
              onclick: () => {
                dir = sortBy === i ? -dir : 1;
                sortBy = i;
                render();
              },
            },
            c.title,
          )
        : c.title,
    ),
  );
  const render = () => {
    const sorted = [...rows];
    const key = columns[sortBy]?.key;
    if (key) sorted.sort((a, b) => (key(a) < key(b) ? -dir : key(a) > key(b) ? dir : 0));
    heads.forEach((th, i) => {
      if (columns[i]?.key) th.setAttribute("aria-sort", i === sortBy ? (dir > 0 ? "ascending" : "descending") : "none");
    });
    put(body, ...sorted.map((r) => h("tr", {}, ...columns.map((c) => h("td", {}, c.cell(r))))));
    if (rows.length === 0) put(body, h("tr", {}, h("td", { colspan: String(columns.length) }, empty)));
  };
  render();
  return h("table", {}, h("caption", {}, caption), h("thead", {}, h("tr", {}, ...heads)), body);
}

export const tagList = (tags: Record<string, string> | undefined) =>
  Object.entries(tags ?? {}).map(([k, v]) => h("span", { class: "tag" }, `${k}=${v}`));
