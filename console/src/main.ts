// The console's entry: a hash router over the pages; the sign-in page until a key is given.
import { session } from "./api.js";
import { frame, page } from "./layout.js";
import { accessPage } from "./pages/access.js";
import { auditPage } from "./pages/audit.js";
import { createUserPage } from "./pages/create-user.js";
import { importPage } from "./pages/import.js";
import { instancesPage } from "./pages/instances.js";
import { signInPage } from "./pages/sign-in.js";
import { userPage } from "./pages/user.js";
import { usersPage } from "./pages/users.js";

async function route(): Promise<void> {
  frame();
  if (!session()) return signInPage(() => void route());
  const [path = "/", q = ""] = location.hash.replace(/^#/, "").split("?");
  const query = new URLSearchParams(q);
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return instancesPage();
  if (parts[0] === "audit") return auditPage(query);
  if (parts[0] === "access") return accessPage(query);
  if (parts[0] === "i" && parts[1]) {
    const instanceId = parts[1];
    if (parts[2] === "users" && parts[3] === "new") return createUserPage(instanceId);
    if (parts[2] === "users" && parts[3]) return userPage(instanceId, parts[3]);
    if (parts[2] === "users") return usersPage(instanceId, query);
    if (parts[2] === "import") return importPage(instanceId);
  }
  page("Not found", "No such page. ");
}

window.addEventListener("hashchange", () => void route());
void route();
