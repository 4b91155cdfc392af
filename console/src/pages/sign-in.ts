// Sign-in with an access key: checked by one signed call (a refusal by IAM still proves the key).
import { ConnectClient, ListInstancesCommand } from "@aws-sdk/client-connect";
import { authenticatedFailure, describe, signIn } from "../api.js";
import { field, h, outcome } from "../dom.js";
import { page } from "../layout.js";

export function signInPage(done: () => void): void {
  const key = h("input", { name: "accessKeyId", autocomplete: "username", required: true, spellcheck: "false" });
  const secret = h("input", { name: "secretAccessKey", type: "password", autocomplete: "current-password", required: true });
  const token = h("input", { name: "sessionToken", type: "password", autocomplete: "off" });
  const region = h("input", { name: "region", value: "us-east-1", required: true, spellcheck: "false" });
  const keep = h("input", { type: "checkbox", name: "keep", id: "keep", checked: true });
  const result = outcome();
  const submit = h("button", { type: "submit" }, "Sign in");
  const form = h(
    "form",
    {
      class: "card",
      onsubmit: async (ev: Event) => {
        ev.preventDefault();
        submit.disabled = true;
        result.ok("Checking the access key…");
        const s = {
          accessKeyId: key.value.trim(),
          secretAccessKey: secret.value,
          region: region.value.trim(),
          ...(token.value ? { sessionToken: token.value } : {}),
        };
        const probe = new ConnectClient({ endpoint: location.origin, region: s.region, credentials: s, maxAttempts: 2 });
        try {
          await probe.send(new ListInstancesCommand({ MaxResults: 1 }));
        } catch (err) {
          if (!authenticatedFailure(err)) {
            result.fail(`Sign-in failed. ${describe(err)}`);
            submit.disabled = false;
            return;
          }
        } finally {
          probe.destroy();
        }
        signIn(s, keep.checked);
        secret.value = "";
        done();
      },
    },
    field("Access key ID", key),
    field("Secret access key", secret, "Kept in this tab only; forgotten on sign-out."),
    field("Session token (optional)", token),
    field("Region", region),
    h("div", { class: "field check" }, keep, h("label", { for: "keep" }, "Stay signed in in this tab (sessionStorage)")),
    submit,
    result.el,
  );
  page(
    "Sign in",
    h(
      "p",
      {},
      "Sign in with the account root's access key or an IAM principal's. Every call is signed in this browser and authorized by IAM.",
    ),
    form,
  );
}
