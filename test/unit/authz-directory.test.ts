// PrincipalDirectory: the snapshot of principals, Active keys and compiled policies; the root
// credential in front; reloads when store.iam.revision() moves (checked at most once per
// interval, at once — rate-limited — for an unknown key).
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";
import { PrincipalDirectory } from "../../src/authz/principal-directory.js";
import { type CredentialRecord, claimedAccessKeyId } from "../../src/protocol/auth.js";
import { SqlStore } from "../../src/store/sql/sql-store.js";
import { SqliteDriver } from "../../src/store/sqlite/sqlite-driver.js";
import type { IamRepo, Store } from "../../src/store/store.js";

const ACCOUNT = "000000000000";
const ROOT: CredentialRecord = {
  accessKeyId: "test",
  secretAccessKey: "test",
  account: ACCOUNT,
  principalArn: `arn:aws:iam::${ACCOUNT}:root`,
  kind: "root",
};
const ALLOW_ALL = JSON.stringify({ Version: "2012-10-17", Statement: { Effect: "Allow", Action: "connect:*", Resource: "*" } });

let store: Store;
let clock = 0;
const now = () => clock;

async function addPrincipal(name: string, keys: string[], policies: Record<string, string> = {}, tags: Record<string, string> = {}) {
  await store.iam.putPrincipal({ account: ACCOUNT, name, arn: `arn:aws:iam::${ACCOUNT}:user/${name}`, tags, createdTime: 1 });
  for (const k of keys) {
    await store.iam.putAccessKey({
      accessKeyId: k,
      secretAccessKey: `secret-${k}`,
      account: ACCOUNT,
      principalName: name,
      status: "Active",
      createdTime: 1,
    });
  }
  for (const [policyName, document] of Object.entries(policies)) {
    await store.iam.putPolicy({ account: ACCOUNT, principalName: name, policyName, document });
  }
}

before(async () => {
  store = await SqlStore.open(new SqliteDriver({ file: ":memory:", durability: "normal" }));
});
after(() => store.close());
beforeEach(async () => {
  for (const p of await store.iam.listPrincipals()) await store.iam.deletePrincipal(p.account, p.name);
  clock = 1_000_000;
});

describe("PrincipalDirectory", () => {
  test("answers the root credential first, then the store's Active keys, with compiled policies", async () => {
    await addPrincipal("helpdesk", ["AKIAHELPDESK00000001"], { HelpDesk: ALLOW_ALL }, { team: "support" });
    await store.iam.putAccessKey({
      accessKeyId: "AKIAINACTIVE00000001",
      secretAccessKey: "s",
      account: ACCOUNT,
      principalName: "helpdesk",
      status: "Inactive",
      createdTime: 1,
    });
    const d = await PrincipalDirectory.load(store.iam, { bootstrap: [ROOT], now });
    assert.equal(d.lookup("test"), ROOT);
    const rec = d.lookup("AKIAHELPDESK00000001");
    assert.deepEqual(rec, {
      accessKeyId: "AKIAHELPDESK00000001",
      secretAccessKey: "secret-AKIAHELPDESK00000001",
      account: ACCOUNT,
      principalArn: `arn:aws:iam::${ACCOUNT}:user/helpdesk`,
      kind: "user",
      userName: "helpdesk",
    });
    assert.equal(d.lookup("AKIAINACTIVE00000001"), undefined, "Inactive keys do not authenticate");
    const p = d.principal(`arn:aws:iam::${ACCOUNT}:user/helpdesk`);
    assert.equal(p?.name, "helpdesk");
    assert.deepEqual(p?.tags, { team: "support" });
    assert.deepEqual(p?.facts, {
      arn: `arn:aws:iam::${ACCOUNT}:user/helpdesk`,
      account: ACCOUNT,
      userName: "helpdesk",
      tags: { team: "support" },
    });
    assert.deepEqual(
      d.policiesOf(`arn:aws:iam::${ACCOUNT}:user/helpdesk`).map((x) => x.id),
      ["helpdesk/inline/HelpDesk"],
    );
    assert.equal(p?.usesResourceTags, false);
    assert.deepEqual(d.policiesOf("arn:aws:iam::000000000000:user/nobody"), []);
  });

  test("refresh() reloads only when the revision moved", async () => {
    const d = await PrincipalDirectory.load(store.iam, { bootstrap: [ROOT], now });
    assert.equal(await d.refresh(), false);
    await addPrincipal("late", ["AKIALATE000000000001"]);
    assert.equal(d.lookup("AKIALATE000000000001"), undefined, "not before a refresh");
    assert.equal(await d.refresh(), true);
    assert.equal(d.lookup("AKIALATE000000000001")?.userName, "late");
    assert.equal(d.revision, await store.iam.revision());
    assert.equal(await d.refresh(), false);
    await store.iam.deleteAccessKey("AKIALATE000000000001");
    assert.equal(await d.refresh(), true);
    assert.equal(d.lookup("AKIALATE000000000001"), undefined, "a deleted key stops working");
  });

  test("prepare(): nothing to do for the root key and for known keys between checks; a check once the interval passed", async () => {
    await addPrincipal("known", ["AKIAKNOWN00000000001"]);
    const d = await PrincipalDirectory.load(store.iam, { bootstrap: [ROOT], now, checkIntervalMs: 1000 });
    assert.equal(d.prepare("test"), undefined);
    assert.equal(d.prepare("AKIAKNOWN00000000001"), undefined);
    await store.iam.putPolicy({ account: ACCOUNT, principalName: "known", policyName: "P", document: ALLOW_ALL });
    clock += 999;
    assert.equal(d.prepare("AKIAKNOWN00000000001"), undefined, "within the interval");
    assert.equal(d.policiesOf(`arn:aws:iam::${ACCOUNT}:user/known`).length, 0);
    clock += 1;
    const p = d.prepare("AKIAKNOWN00000000001");
    assert.ok(p, "the interval passed: a revision check");
    assert.equal(d.prepare("AKIAKNOWN00000000001"), p, "concurrent requests share the check");
    assert.equal(await p, true);
    assert.equal(d.policiesOf(`arn:aws:iam::${ACCOUNT}:user/known`).length, 1, "the new policy is in force");
    assert.equal(d.prepare("test"), undefined, "the root key never waits");
  });

  test("prepare(): an unknown key forces a check at once, rate-limited", async () => {
    const d = await PrincipalDirectory.load(store.iam, { bootstrap: [ROOT], now, checkIntervalMs: 1000, forcedIntervalMs: 200 });
    await addPrincipal("fresh", ["AKIAFRESH00000000001"]);
    const p = d.prepare("AKIAFRESH00000000001");
    assert.ok(p, "unknown key: check now");
    await p;
    assert.equal(d.lookup("AKIAFRESH00000000001")?.userName, "fresh", "works on its first use");
    clock += 10;
    assert.equal(d.prepare("AKIANOSUCHKEY0000001"), undefined, "a flood of unknown keys is rate-limited");
    clock += 180;
    assert.equal(d.prepare("AKIANOSUCHKEY0000002"), undefined, "still within 200 ms of the forced check");
    clock += 10;
    const again = d.prepare("AKIANOSUCHKEY0000003");
    assert.ok(again);
    assert.equal(await again, false, "nothing changed");
  });

  test("a stored policy that no longer parses denies that principal everything (fail closed)", async () => {
    await addPrincipal("broken", ["AKIABROKEN0000000001"], {
      Good: ALLOW_ALL,
      Bad: JSON.stringify({ Version: "2012-10-17", Statement: { Effect: "Deny", Action: "connect:*", Resource: "not-an-arn" } }),
    });
    const logged: string[] = [];
    const d = await PrincipalDirectory.load(store.iam, {
      now,
      logger: { enabled: () => true, log: (_l, msg, f) => logged.push(`${msg} ${JSON.stringify(f)}`) },
    });
    assert.deepEqual(d.policiesOf(`arn:aws:iam::${ACCOUNT}:user/broken`), []);
    assert.equal(logged.length, 1);
    assert.match(logged[0] as string, /stored IAM policy is invalid.*"policy":"Bad"/);
    assert.ok(!(logged[0] as string).includes("secret-"), "no secret in the log");
  });

  test("a store failure during a refresh keeps the previous snapshot and is logged", async () => {
    await addPrincipal("steady", ["AKIASTEADY0000000001"]);
    let fail = false;
    const flaky: IamRepo = new Proxy(store.iam, {
      get(target, prop, receiver) {
        if (prop === "revision" && fail) return async () => Promise.reject(new Error("database gone"));
        const v = Reflect.get(target, prop, receiver);
        return typeof v === "function" ? v.bind(target) : v;
      },
    });
    const logged: string[] = [];
    const d = await PrincipalDirectory.load(flaky, { now, logger: { enabled: () => true, log: (_l, msg) => logged.push(msg) } });
    fail = true;
    assert.equal(await d.refresh(), false);
    assert.equal(d.lookup("AKIASTEADY0000000001")?.userName, "steady");
    assert.deepEqual(logged, ["could not reload IAM principals; keeping the previous ones"]);
  });
});

describe("claimedAccessKeyId", () => {
  test("from the Authorization header, a presigned query, or nothing", () => {
    assert.equal(
      claimedAccessKeyId(
        "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20240101/us-east-1/connect/aws4_request, SignedHeaders=host, Signature=abc",
        "",
      ),
      "AKIAEXAMPLE",
    );
    assert.equal(claimedAccessKeyId(undefined, "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAQ%2F20240101%2Fus-east-1"), "AKIAQ");
    assert.equal(claimedAccessKeyId(undefined, "X-Amz-Credential=AKIAQ/20240101/us-east-1"), "AKIAQ");
    assert.equal(claimedAccessKeyId(undefined, ""), "");
    assert.equal(claimedAccessKeyId("Bearer x", ""), "");
    assert.equal(claimedAccessKeyId("AWS4-HMAC-SHA256 Credential=/2024", ""), "");
  });
});
