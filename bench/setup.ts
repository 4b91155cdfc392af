// What the benchmark request needs on a Switchboard server, created the way a user would: with
// the AWS SDK. Works against any Switchboard target (SQLite today, PostgreSQL later).
import {
  ConnectClient,
  CreateInstanceCommand,
  CreateUserCommand,
  DescribeUserCommand,
  ListRoutingProfilesCommand,
  ListSecurityProfilesCommand,
} from "@aws-sdk/client-connect";
import { CREDENTIALS, REGION } from "./sign.js";

export interface BenchUser {
  instanceId: string;
  userId: string;
}

export function connectClient(url: string): ConnectClient {
  return new ConnectClient({ endpoint: url, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 });
}

/** One instance with `count` users (bench0, bench1, …): a load spread over distinct rows. */
export async function createBenchUsers(url: string, count: number): Promise<BenchUser[]> {
  const first = await createBenchUser(url);
  const client = connectClient(url);
  try {
    const security = await client.send(new ListSecurityProfilesCommand({ InstanceId: first.instanceId }));
    const agent = security.SecurityProfileSummaryList?.find((p) => p.Name === "Agent")?.Id as string;
    const routing = await client.send(new ListRoutingProfilesCommand({ InstanceId: first.instanceId }));
    const routingProfileId = routing.RoutingProfileSummaryList?.[0]?.Id as string;
    const users: BenchUser[] = [first];
    for (let i = 1; i < count; i++) {
      const user = await client.send(
        new CreateUserCommand({
          InstanceId: first.instanceId,
          Username: `bench${i}`,
          Password: "Passw0rd1",
          IdentityInfo: { FirstName: "Setup", LastName: "Only" },
          PhoneConfig: { PhoneType: "SOFT_PHONE" },
          SecurityProfileIds: [agent],
          RoutingProfileId: routingProfileId,
        }),
      );
      users.push({ instanceId: first.instanceId, userId: user.UserId as string });
    }
    return users;
  } finally {
    client.destroy();
  }
}

export async function createBenchUser(url: string): Promise<BenchUser> {
  const client = connectClient(url);
  try {
    const instance = await client.send(
      new CreateInstanceCommand({
        IdentityManagementType: "CONNECT_MANAGED",
        InstanceAlias: "bench",
        InboundCallsEnabled: true,
        OutboundCallsEnabled: true,
      }),
    );
    const instanceId = instance.Id;
    if (!instanceId) throw new Error("CreateInstance returned no Id");

    const security = await client.send(new ListSecurityProfilesCommand({ InstanceId: instanceId }));
    const agent = security.SecurityProfileSummaryList?.find((p) => p.Name === "Agent");
    if (!agent?.Id) throw new Error("no 'Agent' security profile in the new instance");

    const routing = await client.send(new ListRoutingProfilesCommand({ InstanceId: instanceId }));
    const routingProfileId = routing.RoutingProfileSummaryList?.[0]?.Id;
    if (!routingProfileId) throw new Error("no routing profile in the new instance");

    const user = await client.send(
      new CreateUserCommand({
        InstanceId: instanceId,
        Username: "bench",
        Password: "Passw0rd1",
        IdentityInfo: { FirstName: "Setup", LastName: "Only" },
        PhoneConfig: { PhoneType: "SOFT_PHONE" },
        SecurityProfileIds: [agent.Id],
        RoutingProfileId: routingProfileId,
      }),
    );
    if (!user.UserId) throw new Error("CreateUser returned no UserId");
    return { instanceId, userId: user.UserId };
  } finally {
    client.destroy();
  }
}

/** The user's identity info as the server now reports it (to check the replayed update landed). */
export async function describeIdentity(url: string, u: BenchUser): Promise<Record<string, unknown>> {
  const client = connectClient(url);
  try {
    const out = await client.send(new DescribeUserCommand({ InstanceId: u.instanceId, UserId: u.userId }));
    return { ...(out.User?.IdentityInfo ?? {}) };
  } finally {
    client.destroy();
  }
}
