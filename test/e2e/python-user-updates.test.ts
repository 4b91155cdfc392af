// The user updates through the real Python clients: one boto3 flow
// (test/e2e/python/boto3_user_updates.py records every answer, this checks them) and one AWS CLI
// v2 flow (update-user-phone-config in shorthand, update-user-security-profiles with several ids,
// update-user-hierarchy without a group, and the CLI's error exit).
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { isolatedAwsEnv } from "../helpers/aws-env.js";
import {
  type Attempt,
  assertClientsInstalled,
  awsConnect,
  CLI_SERVICE_ERROR,
  clientError,
  ok,
  PYTHON,
  parseJson,
  run,
} from "../helpers/python-clients.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

const BOTO3_SCRIPT = fileURLToPath(new URL("./python/boto3_user_updates.py", import.meta.url));

let server: TestServer;
let env: NodeJS.ProcessEnv;

before(async () => {
  assertClientsInstalled();
  server = await startTestServer();
  env = isolatedAwsEnv();
});
after(async () => {
  await server?.close();
});

interface Ref {
  Id: string;
  Arn: string;
}
interface User {
  Id: string;
  PhoneConfig: { PhoneType: string; AutoAccept: boolean; AfterContactWorkTimeLimit: number; DeskPhoneNumber?: string };
  SecurityProfileIds: string[];
  RoutingProfileId: string;
  HierarchyGroupId?: string;
}
type Empty = Record<string, never>;
interface Boto3Report {
  instance: Ref;
  profiles: Record<string, string>;
  group: Ref;
  sales: Ref;
  leads: Ref;
  user: Ref;
  created: User;
  phone: Attempt<Empty>;
  afterPhone: User;
  routing: Attempt<Empty>;
  security: Attempt<Empty>;
  afterRoutingAndSecurity: User;
  detach: Attempt<Empty>;
  afterDetach: User;
  attach: Attempt<Empty>;
  afterAttach: User;
  deskWithoutNumber: Attempt<unknown>;
  unknownRouting: Attempt<unknown>;
  foreignSecurity: Attempt<unknown>;
  unknownGroup: Attempt<unknown>;
  unknownUser: Attempt<unknown>;
  deleteHeldProfile: Attempt<unknown>;
  deleteHeldGroup: Attempt<unknown>;
  afterErrors: User;
}

describe("boto3 1.26: a user's phone, routing profile, security profiles and hierarchy group", () => {
  let r: Boto3Report;

  before(async () => {
    const alias = `py-uu-${randomUUID().slice(0, 8)}`;
    const res = await run(PYTHON, [BOTO3_SCRIPT, server.url, alias], { ...env, PYTHONDONTWRITEBYTECODE: "1" }, 60_000);
    assert.equal(res.code, 0, `boto3 script failed (exit ${res.code}):\n${res.stderr}`);
    r = parseJson(res.stdout, "boto3 script") as Boto3Report;
  });

  test("create_user with HierarchyGroupId stores the group", () => {
    assert.equal(r.created.HierarchyGroupId, r.group.Id);
    assert.deepEqual(r.created.SecurityProfileIds, [r.profiles.Agent]);
  });

  test("each update answers 200 with an empty body and describe_user shows it", () => {
    for (const k of ["phone", "routing", "security", "detach", "attach"] as const) {
      const a = ok(r[k], k);
      assert.equal(a.status, 200, k);
      assert.deepEqual(a.body, {}, k);
    }
    assert.deepEqual(r.afterPhone.PhoneConfig, {
      PhoneType: "DESK_PHONE",
      DeskPhoneNumber: "+14155550123",
      AutoAccept: true,
      AfterContactWorkTimeLimit: 60,
    });
    assert.equal(r.afterRoutingAndSecurity.RoutingProfileId, r.sales.Id);
    assert.deepEqual(r.afterRoutingAndSecurity.SecurityProfileIds, [r.leads.Id, r.profiles.Agent]);
    assert.equal(r.afterDetach.HierarchyGroupId, undefined, "update_user_hierarchy without a group detaches");
    assert.equal(r.afterAttach.HierarchyGroupId, r.group.Id, "a group ARN is stored as its id");
  });

  test("errors as botocore reports them; none changed the user", () => {
    const expect: [keyof Boto3Report, string, number][] = [
      ["deskWithoutNumber", "InvalidParameterException", 400],
      ["unknownRouting", "ResourceNotFoundException", 404],
      ["foreignSecurity", "ResourceNotFoundException", 404],
      ["unknownGroup", "ResourceNotFoundException", 404],
      ["unknownUser", "ResourceNotFoundException", 404],
      ["deleteHeldProfile", "ResourceInUseException", 409],
      ["deleteHeldGroup", "ResourceInUseException", 409],
    ];
    for (const [k, code, status] of expect) {
      const e = clientError(r[k] as Attempt<unknown>, k);
      assert.deepEqual([e.code, e.status], [code, status], `${k}: ${e.message}`);
    }
    assert.deepEqual(r.afterErrors, r.afterAttach);
  });
});

describe("AWS CLI v2 2.9: update-user-* against a user", () => {
  const { aws, awsOk } = awsConnect(
    () => server.url,
    () => env,
  );

  test("phone config (shorthand), security profiles (several), routing profile, hierarchy (detach); an error exits 254", async () => {
    const inst = (await awsOk([
      "create-instance",
      "--identity-management-type",
      "CONNECT_MANAGED",
      "--instance-alias",
      `cli-uu-${randomUUID().slice(0, 8)}`,
      "--inbound-calls-enabled",
      "--outbound-calls-enabled",
    ])) as { Id: string; Arn: string };
    const sp = (await awsOk(["list-security-profiles", "--instance-id", inst.Id])) as {
      SecurityProfileSummaryList: { Id: string; Name: string }[];
    };
    const id = (n: string) => sp.SecurityProfileSummaryList.find((p) => p.Name === n)?.Id ?? "";
    const rp = (await awsOk(["list-routing-profiles", "--instance-id", inst.Id])) as {
      RoutingProfileSummaryList: { Id: string; Arn: string }[];
    };
    const routing = rp.RoutingProfileSummaryList[0];
    assert.ok(routing);
    const user = (await awsOk([
      "create-user",
      "--instance-id",
      inst.Id,
      "--username",
      "cli.agent",
      "--password",
      "Corr3ct-Horse",
      "--identity-info",
      "FirstName=Alan,LastName=Turing",
      "--phone-config",
      "PhoneType=SOFT_PHONE",
      "--security-profile-ids",
      id("Agent"),
      "--routing-profile-id",
      routing.Id,
    ])) as { UserId: string; UserArn: string };

    const noOutput = [
      ["update-user-phone-config", "--phone-config", "PhoneType=DESK_PHONE,DeskPhoneNumber=+442071838750,AfterContactWorkTimeLimit=15"],
      ["update-user-security-profiles", "--security-profile-ids", id("Agent"), id("CallCenterManager")],
      ["update-user-routing-profile", "--routing-profile-id", routing.Arn],
      ["update-user-hierarchy"],
    ];
    for (const [op, ...args] of noOutput) {
      assert.equal(await awsOk([op as string, "--instance-id", inst.Arn, "--user-id", user.UserArn, ...args]), undefined, op);
    }
    const d = (await awsOk(["describe-user", "--instance-id", inst.Id, "--user-id", user.UserId])) as { User: User };
    assert.deepEqual(d.User.PhoneConfig, {
      PhoneType: "DESK_PHONE",
      DeskPhoneNumber: "+442071838750",
      AutoAccept: false,
      AfterContactWorkTimeLimit: 15,
    });
    assert.deepEqual(d.User.SecurityProfileIds, [id("Agent"), id("CallCenterManager")]);
    assert.equal(d.User.RoutingProfileId, routing.Id);
    assert.equal(d.User.HierarchyGroupId, undefined);

    const res = await aws([
      "update-user-routing-profile",
      "--instance-id",
      inst.Id,
      "--user-id",
      user.UserId,
      "--routing-profile-id",
      "00000000-0000-4000-8000-000000000000",
    ]);
    assert.equal(res.code, CLI_SERVICE_ERROR, res.stderr);
    assert.match(res.stderr, /\(ResourceNotFoundException\) when calling the UpdateUserRoutingProfile operation/);
  });
});
