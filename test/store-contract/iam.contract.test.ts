// The IAM repository: principals, access keys, policies, and the revision that tells running servers to reload.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { IamAccessKeyRecord, IamPrincipalRecord } from "../../src/store/records.js";
import { contract, withRemote } from "./engines.js";
import { accessKey, byteOrder, iamPrincipal, newId, newScope, range } from "./fixtures.js";

contract("iam", (ctx) => {
  test("iam principals, access keys and policies: put/get/list/delete; deleting a principal cascades", async () => {
    const { store } = ctx;
    const account = newScope().account;
    let rev = await store.iam.revision();
    assert.equal(typeof rev, "number");
    /** every write bumps the revision; reads do not */
    const wrote = async () => {
      const next = await store.iam.revision();
      assert.ok(next > rev, `revision ${next} > ${rev} after a write`);
      rev = next;
    };
    const unchanged = async () => assert.equal(await store.iam.revision(), rev, "a read does not bump the revision");

    const bob = iamPrincipal(account, "bob", { team: "a" });
    const alice = iamPrincipal(account, "Alice");
    const carol = iamPrincipal(account, "carol");
    for (const p of [bob, alice, carol]) {
      await store.iam.putPrincipal(p);
      await wrote();
    }
    assert.deepEqual(await store.iam.getPrincipal(account, "bob"), bob);
    assert.equal(await store.iam.getPrincipal(account, "BOB"), undefined);
    assert.equal(await store.iam.getPrincipal(newScope().account, "bob"), undefined);
    assert.deepEqual(await store.iam.listPrincipals(account), [alice, bob, carol], "ordered by name, byte order");
    assert.deepEqual(await store.iam.listPrincipals(newScope().account), []);
    const everyone = await store.iam.listPrincipals();
    assert.deepEqual(
      everyone.filter((p) => p.account === account),
      [alice, bob, carol],
    );
    for (let i = 1; i < everyone.length; i++) {
      const [a, b] = [everyone[i - 1], everyone[i]] as [IamPrincipalRecord, IamPrincipalRecord];
      assert.ok((byteOrder(a.account, b.account) || byteOrder(a.name, b.name)) < 0, "ordered by account, name");
    }
    await unchanged();

    // put overwrites
    const bob2 = { ...bob, arn: `arn:aws:iam::${account}:user/eng/bob`, tags: { team: "b", on: "call" } };
    await store.iam.putPrincipal(bob2);
    await wrote();
    const gotBob = await store.iam.getPrincipal(account, "bob");
    assert.equal(gotBob?.arn, bob2.arn);
    assert.deepEqual(gotBob?.tags, bob2.tags);
    assert.equal((await store.iam.listPrincipals(account)).length, 3);

    // access keys
    const k1 = accessKey(bob, "session-token-1");
    const k2 = accessKey(bob);
    const kc = accessKey(carol);
    for (const k of [k1, k2, kc]) {
      await store.iam.putAccessKey(k);
      await wrote();
    }
    assert.deepEqual(await store.iam.getAccessKey(k1.accessKeyId), k1);
    assert.deepEqual(await store.iam.getAccessKey(k2.accessKeyId), k2, "no sessionToken key when there is none");
    assert.equal(await store.iam.getAccessKey(`AKIA${newId()}`), undefined);
    assert.deepEqual(
      await store.iam.listAccessKeys(account, "bob"),
      [k1, k2].sort((a, b) => byteOrder(a.accessKeyId, b.accessKeyId)),
    );
    assert.deepEqual(await store.iam.listAccessKeys(account, "carol"), [kc]);
    assert.deepEqual(await store.iam.listAccessKeys(account, "Alice"), []);
    await unchanged();
    const k1b: IamAccessKeyRecord = { ...k1, secretAccessKey: "rotated-secret", status: "Inactive" };
    delete k1b.sessionToken;
    await store.iam.putAccessKey(k1b);
    await wrote();
    const gotK1 = await store.iam.getAccessKey(k1.accessKeyId);
    assert.equal(gotK1?.secretAccessKey, "rotated-secret");
    assert.equal(gotK1?.status, "Inactive");
    assert.equal(gotK1?.sessionToken, undefined);
    assert.equal((await store.iam.listAccessKeys(account, "bob")).length, 2);
    assert.equal(await store.iam.deleteAccessKey(k2.accessKeyId), true);
    await wrote();
    assert.equal(await store.iam.getAccessKey(k2.accessKeyId), undefined);
    assert.equal(await store.iam.deleteAccessKey(k2.accessKeyId), false);
    rev = await store.iam.revision();

    // policies
    const doc = (action: string) =>
      JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: action, Resource: "*" }] });
    const polB = { account, principalName: "bob", policyName: "b-users", document: doc("connect:*User*") };
    const polA = { account, principalName: "bob", policyName: "A-read", document: doc("connect:Describe*") };
    const polC = { account, principalName: "carol", policyName: "c-all", document: doc("connect:*") };
    for (const p of [polB, polA, polC]) {
      await store.iam.putPolicy(p);
      await wrote();
    }
    assert.deepEqual(await store.iam.listPolicies(account, "bob"), [polA, polB], "ordered by policy name");
    const polA2 = { ...polA, document: `${doc("connect:List*")}\n` };
    await store.iam.putPolicy(polA2);
    await wrote();
    assert.deepEqual(await store.iam.listPolicies(account, "bob"), [polA2, polB], "put overwrites, the document as written");
    assert.equal(await store.iam.deletePolicy(account, "bob", "b-users"), true);
    await wrote();
    assert.deepEqual(await store.iam.listPolicies(account, "bob"), [polA2]);
    assert.equal(await store.iam.deletePolicy(account, "bob", "b-users"), false);
    assert.deepEqual(await store.iam.listPolicies(account, "Alice"), []);
    rev = await store.iam.revision();
    await unchanged();

    // deleting a principal takes its keys and policies, and nobody else's
    assert.equal(await store.iam.deletePrincipal(account, "bob"), true);
    await wrote();
    assert.equal(await store.iam.getPrincipal(account, "bob"), undefined);
    assert.equal(await store.iam.getAccessKey(k1.accessKeyId), undefined);
    assert.deepEqual(await store.iam.listAccessKeys(account, "bob"), []);
    assert.deepEqual(await store.iam.listPolicies(account, "bob"), []);
    assert.deepEqual(await store.iam.listAccessKeys(account, "carol"), [kc]);
    assert.deepEqual(await store.iam.listPolicies(account, "carol"), [polC]);
    assert.equal(await store.iam.deletePrincipal(account, "bob"), false);
    // the name is free again, with no keys or policies left over
    await store.iam.putPrincipal(bob);
    assert.deepEqual(await store.iam.listAccessKeys(account, "bob"), []);
    assert.deepEqual(await store.iam.listPolicies(account, "bob"), []);
    assert.deepEqual(
      (await store.iam.listPrincipals(account)).map((p) => p.name),
      ["Alice", "bob", "carol"],
    );
  });

  test("iam revision: bumped by every write, not by reads", async () => {
    const { store } = ctx;
    const account = newScope().account;
    const p = iamPrincipal(account, "rev");
    const k = accessKey(p);
    const writes: [string, () => Promise<unknown>][] = [
      ["putPrincipal", () => store.iam.putPrincipal(p)],
      ["putPrincipal again", () => store.iam.putPrincipal(p)],
      ["putAccessKey", () => store.iam.putAccessKey(k)],
      ["putAccessKey again", () => store.iam.putAccessKey({ ...k, status: "Inactive" })],
      ["putPolicy", () => store.iam.putPolicy({ account, principalName: "rev", policyName: "p", document: "{}" })],
      ["deletePolicy", () => store.iam.deletePolicy(account, "rev", "p")],
      ["deleteAccessKey", () => store.iam.deleteAccessKey(k.accessKeyId)],
      ["deletePrincipal", () => store.iam.deletePrincipal(account, "rev")],
    ];
    let rev = await store.iam.revision();
    for (const [what, write] of writes) {
      await write();
      const next = await store.iam.revision();
      assert.ok(next > rev, `${what}: ${next} > ${rev}`);
      rev = next;
    }
    await store.iam.getPrincipal(account, "rev");
    await store.iam.listPrincipals();
    await store.iam.getAccessKey(k.accessKeyId);
    await store.iam.listAccessKeys(account, "rev");
    await store.iam.listPolicies(account, "rev");
    assert.equal(await store.iam.revision(), rev);
    // 10 concurrent writes: 10 bumps
    await Promise.all(range(1, 10).map((i) => store.iam.putPrincipal(iamPrincipal(account, `c${i}`))));
    assert.equal(await store.iam.revision(), rev + 10);
  });

  test("iam revision: a write by another process is seen here (what tells running servers to reload)", {
    skip: ctx.noSecondConnection,
  }, async () => {
    await ctx.fresh(async (own) =>
      withRemote(own, async (remote) => {
        const account = newScope().account;
        const rev0 = await own.store.iam.revision();
        const p = iamPrincipal(account, "remote-admin", { via: "other node" });
        await remote.iam.putPrincipal(p);
        const rev1 = await own.store.iam.revision();
        assert.ok(rev1 > rev0, `${rev1} > ${rev0}`);
        assert.deepEqual(await own.store.iam.getPrincipal(account, p.name), p);
        await Promise.all([
          own.store.iam.putPolicy({ account, principalName: p.name, policyName: "here", document: "{}" }),
          remote.iam.putPolicy({ account, principalName: p.name, policyName: "there", document: "{}" }),
        ]);
        assert.equal(await own.store.iam.revision(), rev1 + 2, "no bump lost between the two");
        assert.equal(await remote.iam.revision(), rev1 + 2);
        assert.equal(await remote.iam.deletePrincipal(account, p.name), true);
        assert.deepEqual(await own.store.iam.listPolicies(account, p.name), []);
        assert.ok((await own.store.iam.revision()) > rev1 + 2);
      }),
    );
  });
});
