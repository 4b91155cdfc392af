// Create a user (CreateUser): login, password, names, e-mail, phone type, routing and security profiles.
import { CreateUserCommand } from "@aws-sdk/client-connect";
import { connect, describe } from "../api.js";
import { field, h, outcome } from "../dom.js";
import { page } from "../layout.js";
import { readNames } from "./names.js";

export async function createUserPage(instanceId: string): Promise<void> {
  const result = outcome();
  page("Add user", h("p", {}, "Loading…"));
  const names = await readNames(instanceId).catch((err: unknown) => {
    result.fail(describe(err));
    return undefined;
  });
  const login = h("input", { name: "username", required: true, autocomplete: "off", spellcheck: "false" });
  const password = h("input", { name: "password", type: "password", autocomplete: "new-password" });
  const first = h("input", { name: "firstName" });
  const last = h("input", { name: "lastName" });
  const email = h("input", { name: "email", type: "email" });
  const phone = h(
    "select",
    { name: "phoneType" },
    h("option", { value: "SOFT_PHONE" }, "Soft phone"),
    h("option", { value: "DESK_PHONE" }, "Desk phone"),
  );
  const routing = h("select", { name: "routingProfile" }, ...(names?.routing ?? []).map((p) => h("option", { value: p.Id }, p.Name ?? "")));
  const boxes = (names?.security ?? []).map((p) => {
    const box = h("input", { type: "checkbox", value: p.Id, id: `new-sp-${p.Id}`, checked: p.Name === "Agent" });
    return { box, el: h("div", { class: "field check" }, box, h("label", { for: `new-sp-${p.Id}` }, p.Name ?? "")) };
  });
  const form = h(
    "form",
    {
      class: "card",
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        try {
          const r = await connect().send(
            new CreateUserCommand({
              InstanceId: instanceId,
              Username: login.value.trim(),
              ...(password.value ? { Password: password.value } : {}),
              IdentityInfo: {
                FirstName: first.value.trim(),
                LastName: last.value.trim(),
                ...(email.value.trim() ? { Email: email.value.trim() } : {}),
              },
              PhoneConfig: { PhoneType: phone.value as "SOFT_PHONE" | "DESK_PHONE" },
              RoutingProfileId: routing.value,
              SecurityProfileIds: boxes.filter((b) => b.box.checked).map((b) => b.box.value),
            }),
          );
          location.hash = `#/i/${instanceId}/users/${r.UserId}`;
        } catch (err) {
          result.fail(describe(err, "connect:CreateUser"));
        }
      },
    },
    field("User login", login),
    field("Password", password, "Required on instances whose identities Connect manages."),
    field("First name", first),
    field("Last name", last),
    field("Email", email),
    field("Phone type", phone),
    field("Routing profile", routing),
    h("fieldset", {}, h("legend", {}, "Security profiles"), ...boxes.map((b) => b.el)),
    h("button", { type: "submit" }, "Create user"),
    result.el,
  );
  page("Add user", h("p", {}, h("a", { href: `#/i/${instanceId}/users` }, "← Users")), form);
}
