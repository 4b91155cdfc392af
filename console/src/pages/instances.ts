// Instances: ListInstances, and opening one by id (for principals that may not list them).
import { type InstanceSummary, ListInstancesCommand } from "@aws-sdk/client-connect";
import { connect, describe } from "../api.js";
import { field, h, outcome } from "../dom.js";
import { page, table } from "../layout.js";

export async function instancesPage(): Promise<void> {
  const result = outcome();
  const id = h("input", { name: "instanceId", required: true, spellcheck: "false" });
  const open = h(
    "form",
    {
      class: "inline",
      onsubmit: (ev: Event) => {
        ev.preventDefault();
        location.hash = `#/i/${encodeURIComponent(id.value.trim())}/users`;
      },
    },
    field("Instance ID", id),
    h("button", { type: "submit" }, "Open"),
  );
  const list = h("div", {}, h("p", {}, "Loading…"));
  page("Instances", list, result.el, h("h2", {}, "Open an instance by ID"), open);
  try {
    const all: InstanceSummary[] = [];
    let NextToken: string | undefined;
    do {
      const r = await connect().send(new ListInstancesCommand({ NextToken, MaxResults: 10 }));
      all.push(...(r.InstanceSummaryList ?? []));
      NextToken = r.NextToken;
    } while (NextToken);
    list.replaceChildren(
      table(
        "Amazon Connect instances",
        [
          {
            title: "Alias",
            cell: (i) => h("a", { href: `#/i/${i.Id}/users` }, i.InstanceAlias ?? i.Id ?? ""),
            key: (i) => i.InstanceAlias ?? "",
          },
          { title: "Instance ID", cell: (i) => h("code", {}, i.Id ?? ""), key: (i) => i.Id ?? "" },
          { title: "Identity management", cell: (i) => i.IdentityManagementType ?? "", key: (i) => i.IdentityManagementType ?? "" },
          { title: "Status", cell: (i) => i.InstanceStatus ?? "" },
          {
            title: "Created",
            cell: (i) => i.CreatedTime?.toISOString().slice(0, 19).replace("T", " ") ?? "",
            key: (i) => i.CreatedTime?.getTime() ?? 0,
          },
        ],
        all,
        "No instances yet.",
      ),
    );
  } catch (err) {
    list.replaceChildren();
    result.fail(describe(err, "connect:ListInstances"));
  }
}
