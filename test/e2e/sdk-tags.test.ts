// Round trips with the real @aws-sdk/client-connect over HTTP: TagResource (POST /tags/{arn},
// body `tags`), UntagResource (DELETE, repeated `tagKeys` query) and ListTagsForResource on the
// instance, a user, a security profile and the default routing profile — the ARN percent-encoded
// in the path by the SDK — with every error they answer, and the tags each Describe* returns.
// (Queues and hierarchy groups are covered through the store in test/unit/ops-tags.test.ts.)
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  type ConnectClient,
  CreateSecurityProfileCommand,
  DescribeInstanceCommand,
  DescribeSecurityProfileCommand,
  DescribeUserCommand,
  ListRoutingProfilesCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from "@aws-sdk/client-connect";
import { rejectsAws } from "../helpers/assert-aws.js";
import { createInstance, createUser } from "../helpers/fixtures.js";
import { startTestServer, type TestServer } from "../helpers/server.js";

let server: TestServer;
let c: ConnectClient;

before(async () => {
  server = await startTestServer();
  c = server.client();
});
after(() => server.close());

const tagsOf = async (arn: string) => (await c.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags;
const tag = (arn: string, tags: Record<string, string>) => c.send(new TagResourceCommand({ resourceArn: arn, tags }));
const untag = (arn: string, tagKeys: string[]) => c.send(new UntagResourceCommand({ resourceArn: arn, tagKeys }));

describe("tags through the SDK", () => {
  test("instance, user, security profile and routing profile: tag, list, untag; Describe* agrees", async () => {
    const inst = await createInstance(c, "CONNECT_MANAGED", { Tags: { env: "test" } });
    const user = await createUser(c, inst, { Tags: { role: "agent" } });
    const sp = await c.send(
      new CreateSecurityProfileCommand({ InstanceId: inst.id, SecurityProfileName: "Tagged", Tags: { team: "red" } }),
    );
    const rp = (await c.send(new ListRoutingProfilesCommand({ InstanceId: inst.id }))).RoutingProfileSummaryList?.[0];
    const described = {
      instance: async () => (await c.send(new DescribeInstanceCommand({ InstanceId: inst.id }))).Instance?.Tags,
      user: async () => (await c.send(new DescribeUserCommand({ InstanceId: inst.id, UserId: user.id }))).User?.Tags,
      profile: async () =>
        (await c.send(new DescribeSecurityProfileCommand({ InstanceId: inst.id, SecurityProfileId: sp.SecurityProfileId as string })))
          .SecurityProfile?.Tags,
    };
    const cases = [
      { arn: inst.arn, initial: { env: "test" }, describe: described.instance },
      { arn: user.arn, initial: { role: "agent" }, describe: described.user },
      { arn: sp.SecurityProfileArn as string, initial: { team: "red" }, describe: described.profile },
      { arn: rp?.Arn as string, initial: {}, describe: undefined },
    ];
    for (const k of cases) {
      assert.deepEqual(await tagsOf(k.arn), k.initial, k.arn);
      await tag(k.arn, { "cost center": "42", "a/b=c+d-e.f_g:h@i": "ü" });
      const merged = { ...k.initial, "cost center": "42", "a/b=c+d-e.f_g:h@i": "ü" };
      assert.deepEqual(await tagsOf(k.arn), merged);
      if (k.describe) assert.deepEqual(await k.describe(), merged);
      await untag(k.arn, ["cost center", "a/b=c+d-e.f_g:h@i", "absent"]);
      assert.deepEqual(await tagsOf(k.arn), k.initial);
      if (k.describe) assert.deepEqual(await k.describe(), k.initial);
    }
  });

  test("an existing key takes the new value; 50 tags in total at most (InvalidParameterException)", async () => {
    const inst = await createInstance(c);
    const user = await createUser(c, inst);
    await tag(user.arn, { team: "red" });
    await tag(user.arn, { team: "blue" });
    assert.deepEqual(await tagsOf(user.arn), { team: "blue" });
    const many = Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`k${i}`, "v"]));
    await tag(user.arn, many);
    assert.match(await rejectsAws(tag(user.arn, { one: "more" }), "InvalidParameterException", 400), /at most 50 tags/);
    assert.equal(Object.keys((await tagsOf(user.arn)) ?? {}).length, 50);
  });

  test("refusals: aws: keys, empty maps, unknown or foreign ARNs, non-ARNs", async () => {
    const inst = await createInstance(c);
    const user = await createUser(c, inst);
    await rejectsAws(tag(user.arn, { "aws:owner": "x" }), "InvalidParameterException", 400);
    await rejectsAws(tag(user.arn, { "AWS:owner": "x" }), "InvalidParameterException", 400);
    await rejectsAws(untag(user.arn, ["aws:owner"]), "InvalidParameterException", 400);
    await rejectsAws(tag(user.arn, {}), "InvalidParameterException", 400);
    const missing = `${inst.arn}/agent/00000000-0000-4000-8000-000000000000`;
    await rejectsAws(tag(missing, { a: "b" }), "ResourceNotFoundException", 404);
    await rejectsAws(untag(missing, ["a"]), "ResourceNotFoundException", 404);
    await rejectsAws(c.send(new ListTagsForResourceCommand({ resourceArn: missing })), "ResourceNotFoundException", 404);
    await rejectsAws(tag(user.arn.replace(":000000000000:", ":111122223333:"), { a: "b" }), "ResourceNotFoundException", 404);
    await rejectsAws(tag(user.arn.replace(":us-east-1:", ":eu-west-2:"), { a: "b" }), "ResourceNotFoundException", 404);
    await rejectsAws(tag("not-an-arn", { a: "b" }), "InvalidParameterException", 400);
    // Another region's client does not see this region's resources.
    const eu = server.client({ region: "eu-west-2" });
    await rejectsAws(eu.send(new ListTagsForResourceCommand({ resourceArn: user.arn })), "ResourceNotFoundException", 404);
    assert.deepEqual(await tagsOf(user.arn), {}, "nothing was tagged by a refused call");
  });
});
