// `export-users`: every user of an instance as Connect's template (the SAML variant on a SAML
// instance), with the optional columns, so the file imports back unchanged. Passwords are never
// readable through the API: the password column is empty.
import { type ConnectClient, DescribeInstanceCommand, DescribeUserCommand } from "@aws-sdk/client-connect";
import { readDirectory } from "./importer.js";
import { formatTemplate, type UserSpec, type Variant } from "./template.js";

export async function exportUsers(client: ConnectClient, instanceId: string): Promise<string> {
  const instance = await client.send(new DescribeInstanceCommand({ InstanceId: instanceId }));
  const variant: Variant = instance.Instance?.IdentityManagementType === "SAML" ? "saml" : "standard";
  const dir = await readDirectory(client, instanceId, true);
  const specs: UserSpec[] = [];
  const name = (id: string | undefined) => (id ? (dir.names.get(id) ?? id) : "");
  for (const userId of dir.users.values()) {
    const r = await client.send(new DescribeUserCommand({ InstanceId: instanceId, UserId: userId }));
    const u = r.User;
    if (!u) continue;
    const info = u.IdentityInfo ?? {};
    const phone = u.PhoneConfig ?? {};
    specs.push({
      login: u.Username ?? "",
      firstName: info.FirstName ?? "",
      lastName: info.LastName ?? "",
      email: info.Email ?? "",
      password: "",
      routingProfileName: name(u.RoutingProfileId),
      securityProfileNames: (u.SecurityProfileIds ?? []).map((id) => name(id)),
      phoneType: phone.PhoneType === "DESK_PHONE" ? "DESK_PHONE" : "SOFT_PHONE",
      phoneNumber: phone.DeskPhoneNumber ?? "",
      autoAccept: Boolean(phone.AutoAccept),
      acwTimeout: phone.AfterContactWorkTimeLimit ?? 0,
      hierarchyPath: u.HierarchyGroupId ? name(u.HierarchyGroupId).split("/").filter(Boolean) : [],
      secondaryEmail: info.SecondaryEmail ?? "",
      mobile: info.Mobile ?? "",
      tags: { ...(u.Tags ?? {}) },
    });
  }
  specs.sort((a, b) => a.login.localeCompare(b.login));
  return formatTemplate(specs, variant);
}
