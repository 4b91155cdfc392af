// ABAC over HTTP with the real @aws-sdk/client-connect, for the resources and tag operations of
// the security-profile and tag families:
//  - aws:ResourceTag on a security profile: a principal denied DescribeSecurityProfile on a
//    profile tagged team=red is allowed on one tagged team=blue (the tags are read through the
//    tag store, as they are for ListTagsForResource);
//  - AWS's guidance for guarding tags
//    (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_tags.html): TagResource allowed only
//    with aws:RequestTag/team = blue and aws:TagKeys within [team, floor]; UntagResource only for
//    aws:TagKeys within [floor].
// The root (`test`) builds the instance and profiles on a --data directory; the server is then
// restarted on the same data with an --iam file whose policies name that instance.
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  type ConnectClient,
  CreateSecurityProfileCommand,
  DescribeSecurityProfileCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from "@aws-sdk/client-connect";
import { rejectsAws } from "../helpers/assert-aws.js";
import { createInstance, type InstanceFixture } from "../helpers/fixtures.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

const ACCOUNT = "000000000000";
const iamArn = (name: string) => `arn:aws:iam::${ACCOUNT}:user/${name}`;

interface Key {
  accessKeyId: string;
  secretAccessKey: string;
}
const KEYS = {
  reader: { accessKeyId: "AKIAREADER0000000001", secretAccessKey: "reader-secret-0123456789abcdefghijklmnop" },
  tagger: { accessKeyId: "AKIATAGGER0000000001", secretAccessKey: "tagger-secret-0123456789abcdefghijklmnop" },
} satisfies Record<string, Key>;

let dir: string;
let server: TestServer;
let root: ConnectClient;
let inst: InstanceFixture;
let red: { id: string; arn: string };
let blue: { id: string; arn: string };

const as = (name: keyof typeof KEYS): ConnectClient => server.client(KEYS[name]);

function iamFile(instance: InstanceFixture) {
  const everything = [instance.arn, `${instance.arn}/*`];
  return {
    principals: [
      {
        name: "reader",
        accessKeys: [KEYS.reader],
        policies: {
          NotRed: {
            Version: "2012-10-17",
            Statement: [
              { Effect: "Allow", Action: ["connect:DescribeSecurityProfile", "connect:ListTagsForResource"], Resource: everything },
              {
                Effect: "Deny",
                Action: ["connect:DescribeSecurityProfile", "connect:ListTagsForResource"],
                Resource: "*",
                Condition: { StringEquals: { "aws:ResourceTag/team": "red" } },
              },
            ],
          },
        },
      },
      {
        name: "tagger",
        accessKeys: [KEYS.tagger],
        policies: {
          GuardedTags: {
            Version: "2012-10-17",
            Statement: [
              {
                Sid: "TagOnlyBlueWithKnownKeys",
                Effect: "Allow",
                Action: "connect:TagResource",
                Resource: everything,
                Condition: {
                  StringEquals: { "aws:RequestTag/team": "blue" },
                  "ForAllValues:StringEquals": { "aws:TagKeys": ["team", "floor"] },
                },
              },
              {
                Sid: "UntagOnlyFloor",
                Effect: "Allow",
                Action: "connect:UntagResource",
                Resource: everything,
                Condition: { "ForAllValues:StringEquals": { "aws:TagKeys": ["floor"] } },
              },
              { Effect: "Allow", Action: "connect:ListTagsForResource", Resource: everything },
            ],
          },
        },
      },
    ],
  };
}

async function createProfile(c: ConnectClient, name: string, team: string) {
  const out = await c.send(new CreateSecurityProfileCommand({ InstanceId: inst.id, SecurityProfileName: name, Tags: { team } }));
  return { id: out.SecurityProfileId as string, arn: out.SecurityProfileArn as string };
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "sb-iam-abac-tags-"));
  const data = join(dir, "data");
  const setup = await startTestServer(["--data", data]);
  try {
    const c = setup.client();
    inst = await createInstance(c);
    red = await createProfile(c, "Red", "red");
    blue = await createProfile(c, "Blue", "blue");
  } finally {
    await setup.close();
  }
  const file = join(dir, "iam.json");
  await writeFile(file, JSON.stringify(iamFile(inst), null, 2));
  server = await startTestServer(["--data", data, "--iam", file]);
  root = server.client();
});

after(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

const describeAs = (c: ConnectClient, id: string) =>
  c.send(new DescribeSecurityProfileCommand({ InstanceId: inst.id, SecurityProfileId: id }));
const tagsOf = async (arn: string) => (await root.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags;

describe("aws:ResourceTag on security profiles", () => {
  test("denied DescribeSecurityProfile on the team=red profile, with AWS's explicit-deny message", async () => {
    const msg = await rejectsAws(describeAs(as("reader"), red.id), "AccessDeniedException", 403);
    assert.equal(
      msg,
      `User: ${iamArn("reader")} is not authorized to perform: connect:DescribeSecurityProfile on resource: ${red.arn} with an explicit deny in an identity-based policy`,
    );
  });

  test("allowed on the team=blue profile", async () => {
    const out = await describeAs(as("reader"), blue.id);
    assert.equal(out.SecurityProfile?.SecurityProfileName, "Blue");
    assert.deepEqual(out.SecurityProfile?.Tags, { team: "blue" });
  });

  test("the same Deny holds for ListTagsForResource by ARN (its tags come from the same store)", async () => {
    await rejectsAws(as("reader").send(new ListTagsForResourceCommand({ resourceArn: red.arn })), "AccessDeniedException", 403);
    const out = await as("reader").send(new ListTagsForResourceCommand({ resourceArn: blue.arn }));
    assert.deepEqual(out.tags, { team: "blue" });
  });

  test("retagging moves the decision: red → blue is allowed, blue → red is denied", async () => {
    const p = await createProfile(root, "Moving", "red");
    await rejectsAws(describeAs(as("reader"), p.id), "AccessDeniedException", 403);
    await root.send(new TagResourceCommand({ resourceArn: p.arn, tags: { team: "blue" } }));
    assert.equal((await describeAs(as("reader"), p.id)).SecurityProfile?.Id, p.id);
    await root.send(new TagResourceCommand({ resourceArn: p.arn, tags: { team: "red" } }));
    await rejectsAws(describeAs(as("reader"), p.id), "AccessDeniedException", 403);
  });
});

describe("aws:RequestTag and aws:TagKeys on TagResource / UntagResource", () => {
  test("TagResource with team=blue and known keys is allowed", async () => {
    await as("tagger").send(new TagResourceCommand({ resourceArn: red.arn, tags: { team: "blue", floor: "2" } }));
    assert.deepEqual(await tagsOf(red.arn), { team: "blue", floor: "2" });
    await root.send(new TagResourceCommand({ resourceArn: red.arn, tags: { team: "red" } }));
  });

  test("TagResource with team=red (aws:RequestTag) is denied, and nothing changes", async () => {
    const before = await tagsOf(blue.arn);
    const msg = await rejectsAws(
      as("tagger").send(new TagResourceCommand({ resourceArn: blue.arn, tags: { team: "red" } })),
      "AccessDeniedException",
      403,
    );
    assert.equal(
      msg,
      `User: ${iamArn("tagger")} is not authorized to perform: connect:TagResource on resource: ${blue.arn} because no identity-based policy allows the connect:TagResource action`,
    );
    assert.deepEqual(await tagsOf(blue.arn), before);
  });

  test("TagResource with a key outside [team, floor] (aws:TagKeys) is denied", async () => {
    await rejectsAws(
      as("tagger").send(new TagResourceCommand({ resourceArn: blue.arn, tags: { team: "blue", owner: "mallory" } })),
      "AccessDeniedException",
      403,
    );
    assert.equal((await tagsOf(blue.arn))?.owner, undefined);
  });

  test("UntagResource of floor is allowed; of team (aws:TagKeys from the tagKeys query) is denied", async () => {
    await root.send(new TagResourceCommand({ resourceArn: blue.arn, tags: { floor: "3" } }));
    await as("tagger").send(new UntagResourceCommand({ resourceArn: blue.arn, tagKeys: ["floor"] }));
    assert.deepEqual(await tagsOf(blue.arn), { team: "blue" });
    await rejectsAws(
      as("tagger").send(new UntagResourceCommand({ resourceArn: blue.arn, tagKeys: ["team"] })),
      "AccessDeniedException",
      403,
    );
    await rejectsAws(
      as("tagger").send(new UntagResourceCommand({ resourceArn: blue.arn, tagKeys: ["floor", "team"] })),
      "AccessDeniedException",
      403,
    );
    assert.deepEqual(await tagsOf(blue.arn), { team: "blue" });
  });
});
