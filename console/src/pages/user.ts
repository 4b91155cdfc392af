// One user: identity info (with a warning before an e-mail change), phone config, routing profile,
// security profiles, hierarchy, tags; delete. Each section saves with its own Connect operation
// and shows its own outcome, so one refused or unserved operation leaves the others usable.
import {
  DeleteUserCommand,
  DescribeUserCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateUserHierarchyCommand,
  UpdateUserIdentityInfoCommand,
  UpdateUserPhoneConfigCommand,
  UpdateUserRoutingProfileCommand,
  UpdateUserSecurityProfilesCommand,
  type User,
} from "@aws-sdk/client-connect";
import { connect, describe } from "../api.js";
import { field, h, outcome, put } from "../dom.js";
import { page } from "../layout.js";
import { readNames } from "./names.js";

/** Shown before an e-mail change is saved (Switchboard's old-address alert, README "Old-address alerts"). */
export const EMAIL_WARNING =
  "Changing the email address changes where this user's password resets and notifications go — it is how an account is taken over. " +
  "The old address will be sent an alert with a one-time link to undo the change, and the change is recorded in the audit trail.";

type Save = (result: ReturnType<typeof outcome>) => Promise<string>;

/** A section: a form that runs `save` and reports the outcome. */
function section(title: string, fields: HTMLElement[], operation: string, save: Save, button = "Save"): HTMLElement {
  const result = outcome();
  const submit = h("button", { type: "submit" }, button);
  const form = h(
    "form",
    {
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        submit.disabled = true;
        result.ok("Saving…");
        try {
          result.ok(await save(result));
        } catch (err) {
          result.fail(describe(err, operation));
        } finally {
          submit.disabled = false;
        }
      },
    },
    ...fields,
    submit,
    result.el,
  );
  return h("section", { class: "card", "aria-label": title }, h("h2", {}, title), form);
}

export async function userPage(instanceId: string, userId: string): Promise<void> {
  const c = connect();
  const load = outcome();
  page("User", load.el);
  let user: User;
  try {
    user = (await c.send(new DescribeUserCommand({ InstanceId: instanceId, UserId: userId }))).User ?? {};
  } catch (err) {
    return load.fail(describe(err, "connect:DescribeUser"));
  }
  const names = await readNames(instanceId).catch(() => ({ security: [], routing: [], hierarchy: [], name: (id?: string) => id ?? "" }));
  const info = user.IdentityInfo ?? {};
  const phone = user.PhoneConfig ?? {};
  const ids = { InstanceId: instanceId, UserId: userId };

  // Identity info
  const first = h("input", { name: "firstName", value: info.FirstName ?? "" });
  const last = h("input", { name: "lastName", value: info.LastName ?? "" });
  const email = h("input", { name: "email", type: "email", value: info.Email ?? "" });
  const secondary = h("input", { name: "secondaryEmail", type: "email", value: info.SecondaryEmail ?? "" });
  const mobile = h("input", { name: "mobile", type: "tel", value: info.Mobile ?? "" });
  const warning = h("div", { class: "warning", role: "alert", hidden: true }, h("strong", {}, "Warning: "), EMAIL_WARNING);
  let savedEmail = info.Email ?? "";
  email.addEventListener("input", () => {
    warning.hidden = email.value.trim() === savedEmail;
  });
  const identity = section(
    "Identity info",
    [
      field("First name", first),
      field("Last name", last),
      field("Email", email),
      warning,
      field("Secondary email", secondary),
      field("Mobile", mobile),
    ],
    "connect:UpdateUserIdentityInfo",
    async () => {
      const IdentityInfo = Object.fromEntries(
        Object.entries({
          FirstName: first.value,
          LastName: last.value,
          Email: email.value,
          SecondaryEmail: secondary.value,
          Mobile: mobile.value,
        })
          .map(([k, v]) => [k, v.trim()])
          .filter(([, v]) => v !== ""),
      );
      await c.send(new UpdateUserIdentityInfoCommand({ ...ids, IdentityInfo }));
      const changed = email.value.trim() !== savedEmail;
      savedEmail = email.value.trim();
      warning.hidden = true;
      return changed ? "Identity info saved; the old address is alerted." : "Identity info saved.";
    },
  );

  // Phone config
  const type = h(
    "select",
    { name: "phoneType" },
    h("option", { value: "SOFT_PHONE" }, "Soft phone"),
    h("option", { value: "DESK_PHONE" }, "Desk phone"),
  );
  type.value = phone.PhoneType ?? "SOFT_PHONE";
  const auto = h("input", { type: "checkbox", name: "autoAccept", checked: Boolean(phone.AutoAccept), id: "autoAccept" });
  const acw = h("input", { type: "number", name: "acw", min: "0", value: String(phone.AfterContactWorkTimeLimit ?? 0) });
  const desk = h("input", { type: "tel", name: "deskPhone", value: phone.DeskPhoneNumber ?? "" });
  const phoneSection = section(
    "Phone config",
    [
      field("Phone type", type),
      h("div", { class: "field check" }, auto, h("label", { for: "autoAccept" }, "Auto-accept calls")),
      field("After contact work timeout (seconds)", acw),
      field("Desk phone number", desk),
    ],
    "connect:UpdateUserPhoneConfig",
    async () => {
      const PhoneConfig = {
        PhoneType: type.value as "SOFT_PHONE" | "DESK_PHONE",
        AutoAccept: auto.checked,
        AfterContactWorkTimeLimit: Number(acw.value || 0),
        ...(desk.value.trim() ? { DeskPhoneNumber: desk.value.trim() } : {}),
      };
      await c.send(new UpdateUserPhoneConfigCommand({ ...ids, PhoneConfig }));
      return "Phone config saved.";
    },
  );

  // Routing profile
  const routing = h("select", { name: "routingProfile" }, ...names.routing.map((p) => h("option", { value: p.Id }, p.Name ?? "")));
  routing.value = user.RoutingProfileId ?? "";
  const routingSection = section("Routing profile", [field("Routing profile", routing)], "connect:UpdateUserRoutingProfile", async () => {
    await c.send(new UpdateUserRoutingProfileCommand({ ...ids, RoutingProfileId: routing.value }));
    return "Routing profile saved.";
  });

  // Security profiles
  const boxes = names.security.map((p) => {
    const box = h("input", {
      type: "checkbox",
      name: "securityProfile",
      value: p.Id,
      id: `sp-${p.Id}`,
      checked: (user.SecurityProfileIds ?? []).includes(p.Id ?? ""),
    });
    return { box, el: h("div", { class: "field check" }, box, h("label", { for: `sp-${p.Id}` }, p.Name ?? "")) };
  });
  const securitySection = section(
    "Security profiles",
    [h("fieldset", {}, h("legend", {}, "Security profiles"), ...boxes.map((b) => b.el))],
    "connect:UpdateUserSecurityProfiles",
    async () => {
      const SecurityProfileIds = boxes.filter((b) => b.box.checked).map((b) => b.box.value);
      await c.send(new UpdateUserSecurityProfilesCommand({ ...ids, SecurityProfileIds }));
      return "Security profiles saved.";
    },
  );

  // Hierarchy
  const group = h(
    "select",
    { name: "hierarchyGroup" },
    h("option", { value: "" }, "(none)"),
    ...names.hierarchy.map((g) => h("option", { value: g.Id }, g.Name ?? "")),
  );
  group.value = user.HierarchyGroupId ?? "";
  const hierarchySection = section("Hierarchy", [field("Hierarchy group", group)], "connect:UpdateUserHierarchy", async () => {
    await c.send(new UpdateUserHierarchyCommand({ ...ids, ...(group.value ? { HierarchyGroupId: group.value } : {}) }));
    return "Hierarchy saved.";
  });

  // Tags
  const tags: Record<string, string> = { ...(user.Tags ?? {}) };
  const tagView = h("ul", { class: "tags" });
  const tagResult = outcome();
  const drawTags = () =>
    put(
      tagView,
      ...Object.entries(tags).map(([k, v]) =>
        h(
          "li",
          {},
          h("span", { class: "tag" }, `${k}=${v}`),
          h(
            "button",
            {
              type: "button",
              "aria-label": `Remove tag ${k}`,
              onclick: async () => {
                try {
                  await c.send(new UntagResourceCommand({ resourceArn: user.Arn, tagKeys: [k] }));
                  delete tags[k];
                  drawTags();
                  tagResult.ok(`Tag ${k} removed.`);
                } catch (err) {
                  tagResult.fail(describe(err, "connect:UntagResource"));
                }
              },
            },
            "Remove",
          ),
        ),
      ),
    );
  drawTags();
  const tagKey = h("input", { name: "tagKey" });
  const tagValue = h("input", { name: "tagValue" });
  const tagSection = section(
    "Tags",
    [tagView, tagResult.el, field("Tag key", tagKey), field("Tag value", tagValue)],
    "connect:TagResource",
    async () => {
      const k = tagKey.value.trim();
      await c.send(new TagResourceCommand({ resourceArn: user.Arn, tags: { [k]: tagValue.value } }));
      tags[k] = tagValue.value;
      drawTags();
      tagKey.value = "";
      tagValue.value = "";
      return `Tag ${k} set.`;
    },
    "Add tag",
  );

  const del = section(
    "Delete user",
    [h("p", {}, "Deleting a user cannot be undone.")],
    "connect:DeleteUser",
    async () => {
      if (!window.confirm(`Delete user ${user.Username}?`)) return "Not deleted.";
      await c.send(new DeleteUserCommand(ids));
      location.hash = `#/i/${instanceId}/users`;
      return "Deleted.";
    },
    "Delete user",
  );

  page(
    `User ${user.Username ?? userId}`,
    h(
      "p",
      {},
      h("a", { href: `#/i/${instanceId}/users` }, "← Users"),
      " · ID ",
      h("code", {}, userId),
      " · ",
      h("a", { href: `#/audit?user=${userId}` }, "Audit trail of this user"),
    ),
    identity,
    phoneSection,
    routingSection,
    securitySection,
    hierarchySection,
    tagSection,
    del,
  );
}
