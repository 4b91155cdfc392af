import { randomBytes } from "node:crypto";
// Builds instances and users through the public API (real SDK), the way a user would.
import {
  type ConnectClient,
  CreateInstanceCommand,
  type CreateInstanceCommandInput,
  CreateUserCommand,
  type CreateUserCommandInput,
  ListRoutingProfilesCommand,
  ListSecurityProfilesCommand,
} from "@aws-sdk/client-connect";

let seq = 0;
export const unique = (prefix: string) => `${prefix}${process.pid}x${Date.now().toString(36)}x${seq++}`;

export interface InstanceFixture {
  id: string;
  arn: string;
  agentProfileId: string;
  adminProfileId: string;
  routingProfileId: string;
}

export async function createInstance(
  c: ConnectClient,
  type: "CONNECT_MANAGED" | "SAML" | "EXISTING_DIRECTORY" = "CONNECT_MANAGED",
  extra: Partial<CreateInstanceCommandInput> = {},
): Promise<InstanceFixture> {
  const out = await c.send(
    new CreateInstanceCommand({
      IdentityManagementType: type,
      ...(type === "EXISTING_DIRECTORY" ? { DirectoryId: "d-0123456789" } : { InstanceAlias: unique("inst") }),
      InboundCallsEnabled: true,
      OutboundCallsEnabled: true,
      ...extra,
    }),
  );
  const id = out.Id as string;
  const sp = await c.send(new ListSecurityProfilesCommand({ InstanceId: id }));
  const rp = await c.send(new ListRoutingProfilesCommand({ InstanceId: id }));
  const byName = (n: string) => sp.SecurityProfileSummaryList?.find((p) => p.Name === n)?.Id as string;
  return {
    id,
    arn: out.Arn as string,
    agentProfileId: byName("Agent"),
    adminProfileId: byName("Admin"),
    routingProfileId: rp.RoutingProfileSummaryList?.[0]?.Id as string,
  };
}

export async function createUser(
  c: ConnectClient,
  inst: InstanceFixture,
  extra: Partial<CreateUserCommandInput> = {},
): Promise<{ id: string; arn: string; username: string }> {
  const username = extra.Username ?? `u${randomBytes(5).toString("hex")}${seq++}`;
  const out = await c.send(
    new CreateUserCommand({
      InstanceId: inst.id,
      Username: username,
      Password: "Passw0rd1",
      IdentityInfo: { FirstName: "Jane", LastName: "Doe" },
      PhoneConfig: { PhoneType: "SOFT_PHONE" },
      SecurityProfileIds: [inst.agentProfileId],
      RoutingProfileId: inst.routingProfileId,
      ...extra,
    }),
  );
  return { id: out.UserId as string, arn: out.UserArn as string, username };
}
