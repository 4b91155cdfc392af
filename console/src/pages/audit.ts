// The audit trail through CloudTrail's LookupEvents (one lookup attribute per request, as on AWS;
// the other filters apply to the page read), the masked old → new values of identity changes, and
// the hash chain's status (Switchboard.VerifyAuditChain).
import { type LookupAttributeKey, LookupEventsCommand, type Event as TrailEvent } from "@aws-sdk/client-cloudtrail";
import { cloudTrail, describe, switchboard } from "../api.js";
import { field, h, outcome, put } from "../dom.js";
import { page, table } from "../layout.js";

interface Record_ {
  event: TrailEvent;
  principal: string;
  user: string;
  error: string;
  changes: [string, { old: string | null; new: string | null }][];
}

function parse(e: TrailEvent): Record_ {
  let r: Record<string, unknown> = {};
  try {
    r = JSON.parse(e.CloudTrailEvent ?? "{}") as Record<string, unknown>;
  } catch {}
  const identity = (r.userIdentity ?? {}) as Record<string, unknown>;
  const extra = (r.additionalEventData ?? {}) as { changes?: Record<string, { old: string | null; new: string | null }> };
  const user = (e.Resources ?? []).find((x) => x.ResourceType === "AWS::Connect::User")?.ResourceName ?? "";
  return {
    event: e,
    principal: String(identity.arn ?? e.Username ?? ""),
    user,
    error: r.errorCode ? String(r.errorCode) : "",
    changes: Object.entries(extra.changes ?? {}),
  };
}

const iso = (d: Date | undefined) => d?.toISOString().replace(".000Z", "Z") ?? "";

export async function auditPage(query: URLSearchParams): Promise<void> {
  const eventName = h("input", { name: "eventName", value: query.get("event") ?? "", list: "event-names", spellcheck: "false" });
  const principal = h("input", { name: "principal", value: query.get("principal") ?? "", spellcheck: "false" });
  const user = h("input", { name: "user", value: query.get("user") ?? "", spellcheck: "false" });
  const since = h("input", { name: "since", type: "datetime-local", value: query.get("since") ?? "" });
  const until = h("input", { name: "until", type: "datetime-local", value: query.get("until") ?? "" });
  const names = h(
    "datalist",
    { id: "event-names" },
    ...["UpdateUserIdentityInfo", "CreateUser", "DeleteUser", "UpdateUserSecurityProfiles", "TagResource", "RevertUserIdentityInfo"].map(
      (n) => h("option", { value: n }),
    ),
  );
  const chain = h("div", { class: "card", "aria-live": "polite" }, h("p", {}, "Verifying the hash chain…"));
  const result = outcome();
  const list = h("div");
  const form = h(
    "form",
    {
      class: "filters",
      onsubmit: (ev: Event) => {
        ev.preventDefault();
        const q = new URLSearchParams();
        for (const [k, el] of [
          ["event", eventName],
          ["principal", principal],
          ["user", user],
          ["since", since],
          ["until", until],
        ] as const) {
          if (el.value.trim()) q.set(k, el.value.trim());
        }
        location.hash = `#/audit?${q}`;
      },
    },
    field("Event name", eventName),
    field("Principal (IAM user name or root)", principal),
    field("User ID", user),
    field("From (UTC)", since),
    field("Until (UTC)", until),
    names,
    h("button", { type: "submit" }, "Filter"),
  );
  page("Audit trail", chain, form, result.el, list);

  switchboard<{ ok: boolean; events?: number; headHash?: string; brokenAt?: number; reason?: string }>("VerifyAuditChain").then(
    (r) =>
      put(
        chain,
        r.ok
          ? h(
              "p",
              { class: "ok" },
              h("strong", {}, "Chain intact: "),
              `${r.events} events; head hash `,
              h("code", { class: "hash" }, r.headHash ?? ""),
            )
          : h("p", { class: "error", role: "alert" }, h("strong", {}, `Chain BROKEN at event ${r.brokenAt}: `), r.reason ?? ""),
      ),
    (err) => put(chain, h("p", { class: "error", role: "alert" }, describe(err, "switchboard:VerifyAuditChain"))),
  );

  // One attribute goes to LookupEvents; the rest filter what it returns.
  const attrs: [LookupAttributeKey, string][] = [];
  if (eventName.value.trim()) attrs.push(["EventName", eventName.value.trim()]);
  if (user.value.trim()) attrs.push(["ResourceName", user.value.trim()]);
  if (principal.value.trim()) attrs.push(["Username", principal.value.trim()]);
  const [first] = attrs;
  const utc = (v: string) => (v ? new Date(`${v}Z`) : undefined);
  try {
    const events: TrailEvent[] = [];
    let NextToken: string | undefined;
    do {
      const r = await cloudTrail().send(
        new LookupEventsCommand({
          ...(first ? { LookupAttributes: [{ AttributeKey: first[0], AttributeValue: first[1] }] } : {}),
          ...(since.value ? { StartTime: utc(since.value) } : {}),
          ...(until.value ? { EndTime: utc(until.value) } : {}),
          MaxResults: 50,
          NextToken,
        }),
      );
      events.push(...(r.Events ?? []));
      NextToken = events.length < 200 ? r.NextToken : undefined;
    } while (NextToken);
    const rows = events
      .map(parse)
      .filter((r) =>
        attrs
          .slice(1)
          .every(([k, v]) => (k === "ResourceName" ? r.user === v : k === "Username" ? r.event.Username === v : r.event.EventName === v)),
      );
    list.replaceChildren(
      table(
        "Events, newest first",
        [
          { title: "Time (UTC)", cell: (r: Record_) => iso(r.event.EventTime), key: (r) => r.event.EventTime?.getTime() ?? 0 },
          { title: "Event", cell: (r) => r.event.EventName ?? "", key: (r) => r.event.EventName ?? "" },
          { title: "Principal", cell: (r) => r.principal, key: (r) => r.principal },
          { title: "User", cell: (r) => h("code", {}, r.user), key: (r) => r.user },
          { title: "Error", cell: (r) => r.error, key: (r) => r.error },
          {
            title: "Changes (masked)",
            cell: (r) =>
              h("ul", { class: "changes" }, ...r.changes.map(([m, v]) => h("li", {}, `${m}: ${v.old ?? "(none)"} → ${v.new ?? "(none)"}`))),
          },
        ],
        rows,
        "No events match.",
      ),
    );
  } catch (err) {
    result.fail(describe(err, "cloudtrail:LookupEvents"));
  }
}
