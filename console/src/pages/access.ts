// The access report (Switchboard.GetAccessReport): who may change whose identity info, flagging
// principals that may do so to holders of the Admin security profile.
import { describe, switchboard } from "../api.js";
import { field, h, outcome } from "../dom.js";
import { page, table } from "../layout.js";

interface PrincipalAccess {
  arn: string;
  name: string;
  root: boolean;
  canChangeCount: number;
  canChange: { username: string }[];
  adminTargetCount: number;
  flagged: boolean;
  viaTagsCount?: number;
  flaggedViaTags?: boolean;
  grantsAdmin?: boolean;
  canGrantAdminCount?: number;
}
interface Report {
  generatedAt: string;
  action: string;
  users: number;
  adminHolders: number;
  instances: number;
  principals: PrincipalAccess[];
  notes: string[];
}

export async function accessPage(query: URLSearchParams): Promise<void> {
  const instance = h("input", { name: "instanceId", value: query.get("instance") ?? "", spellcheck: "false" });
  const action = h("input", { name: "action", value: query.get("action") ?? "connect:UpdateUserIdentityInfo", spellcheck: "false" });
  const result = outcome();
  const view = h("div");
  const form = h(
    "form",
    {
      class: "filters",
      onsubmit: (ev: Event) => {
        ev.preventDefault();
        location.hash = `#/access?${new URLSearchParams({ instance: instance.value.trim(), action: action.value.trim() })}`;
      },
    },
    field("Instance ID (empty: every instance in the region)", instance),
    field("Action on users", action),
    h("button", { type: "submit" }, "Run report"),
  );
  page("Access report", h("p", {}, "Who may change whose email — and who could take over an Admin."), form, result.el, view);
  try {
    const r = await switchboard<Report>("GetAccessReport", {
      ...(instance.value.trim() ? { InstanceId: instance.value.trim() } : {}),
      Action: action.value.trim(),
    });
    view.replaceChildren(
      h(
        "p",
        {},
        `${r.action} over ${r.users} users in ${r.instances} instances (${r.adminHolders} hold Admin); generated ${r.generatedAt}.`,
      ),
      table(
        "Principals",
        [
          {
            title: "Principal",
            cell: (p: PrincipalAccess) => h("span", {}, h("strong", {}, p.name), h("br"), h("code", {}, p.arn)),
            key: (p) => p.name,
          },
          { title: "May act on", cell: (p) => `${p.canChangeCount} of ${r.users} users`, key: (p) => p.canChangeCount },
          {
            title: "Admin holders",
            cell: (p) => (p.flagged ? h("span", { class: "flag" }, `FLAG: ${p.adminTargetCount}`) : "0"),
            key: (p) => p.adminTargetCount,
          },
          {
            title: "After one tag edit",
            cell: (p) =>
              p.flaggedViaTags ? h("span", { class: "flag" }, `FLAG: ${p.viaTagsCount ?? 0} more`) : String(p.viaTagsCount ?? 0),
          },
          {
            title: "May grant Admin",
            cell: (p) => (p.grantsAdmin ? h("span", { class: "flag" }, `FLAG: ${p.canGrantAdminCount ?? 0} users`) : "no"),
          },
          { title: "Users (first 100)", cell: (p) => p.canChange.map((u) => u.username).join(", ") },
        ],
        r.principals,
      ),
      h("ul", { class: "notes" }, ...r.notes.map((n) => h("li", {}, n))),
    );
  } catch (err) {
    result.fail(describe(err, "switchboard:GetAccessReport"));
  }
}
