// The access report's two-step reasoning (one tag edit, then the action) and its Admin-grant
// check, over a real in-memory SQLite store: TagResource paths set a value the policies name,
// UntagResource paths remove a key a Deny tests, aws:RequestTag / aws:TagKeys guards close them,
// and what is reachable directly is never counted twice.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { accessReport, VIA_TAGS_NOTE } from "../../src/authz/access-report.js";
import {
  ACCOUNT,
  createInstance,
  createUser,
  EAST,
  entry,
  HELPDESK,
  NOW,
  names,
  openMemory,
  putPrincipal,
} from "../helpers/report-fixtures.js";

const TEAM_SUPPORT_ONLY = {
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Allow",
      Action: "connect:UpdateUserIdentityInfo",
      Resource: "*",
      Condition: { StringEquals: { "aws:ResourceTag/team": "support" } },
    },
    { Effect: "Allow", Action: ["connect:TagResource", "connect:UntagResource"], Resource: "*" },
  ],
};
const NO_TAGGING_SUPPORT = {
  Version: "2012-10-17",
  Statement: [
    { Effect: "Deny", Action: "connect:TagResource", Resource: "*", Condition: { StringEquals: { "aws:RequestTag/team": "support" } } },
  ],
};
const GUARD_ROLE = {
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Deny",
      Action: ["connect:TagResource", "connect:UntagResource"],
      Resource: "*",
      Condition: { "ForAnyValue:StringEquals": { "aws:TagKeys": ["role"] } },
    },
  ],
};

describe("access report: two steps", () => {
  test("TagResource to a value the Allow names; a guard on aws:RequestTag closes it", async () => {
    const store = await openMemory();
    try {
      const inst = await createInstance(store, EAST);
      await createUser(store, inst, "s1", { tags: { team: "support" } });
      await createUser(store, inst, "o1", { tags: { team: "ops" } });
      await createUser(store, inst, "bare");
      await createUser(store, inst, "boss", { tags: { team: "ops" }, admin: true });
      await putPrincipal(store, "lead", { P: TEAM_SUPPORT_ONLY });
      await putPrincipal(store, "guarded-lead", { P: TEAM_SUPPORT_ONLY, G: NO_TAGGING_SUPPORT });
      const r = await accessReport(store, { account: ACCOUNT, now: NOW });
      const lead = entry(r, "lead");
      assert.deepEqual(names(lead.canChange), ["s1"]);
      assert.equal(lead.flagged, false);
      assert.equal(lead.viaTagsCount, 3);
      assert.deepEqual(names((lead.viaTags ?? []).map((t) => t.user)), ["bare", "boss", "o1"]);
      for (const t of lead.viaTags ?? []) assert.deepEqual([t.operation, t.key, t.value], ["connect:TagResource", "team", "support"]);
      assert.equal(lead.adminViaTagsCount, 1);
      assert.equal(lead.flaggedViaTags, true);
      const guarded = entry(r, "guarded-lead");
      assert.deepEqual(names(guarded.canChange), ["s1"]);
      assert.equal(guarded.viaTagsCount, 0);
      assert.equal(guarded.flaggedViaTags, false);
      assert.ok(r.notes.includes(VIA_TAGS_NOTE));
      assert.ok(r.escalationEvaluations > 0);
    } finally {
      await store.close();
    }
  });

  test("UntagResource of the key a Deny tests; an aws:TagKeys guard closes it; direct access is not counted again", async () => {
    const store = await openMemory();
    try {
      const inst = await createInstance(store, EAST);
      await createUser(store, inst, "agent", { tags: { role: "agent" } });
      await createUser(store, inst, "boss", { tags: { role: "admin" }, admin: true });
      await createUser(store, inst, "deputy", { tags: { role: "admin" } });
      await putPrincipal(store, "helpdesk", { P: HELPDESK });
      await putPrincipal(store, "guarded", { P: HELPDESK, G: GUARD_ROLE });
      const r = await accessReport(store, { account: ACCOUNT, now: NOW });
      const helpdesk = entry(r, "helpdesk");
      assert.deepEqual(names(helpdesk.canChange), ["agent"]);
      assert.deepEqual((helpdesk.viaTags ?? []).map((t) => [t.user.username, t.operation, t.key]).sort(), [
        ["boss", "connect:UntagResource", "role"],
        ["deputy", "connect:UntagResource", "role"],
      ]);
      assert.equal(helpdesk.adminViaTagsCount, 1);
      assert.equal(helpdesk.flaggedViaTags, true);
      const guarded = entry(r, "guarded");
      assert.equal(guarded.viaTagsCount, 0);
      assert.equal(entry(r, "root").viaTagsCount, undefined, "root reaches everyone directly");
    } finally {
      await store.close();
    }
  });

  test("a principal without any tag permission gets no two-step finding", async () => {
    const store = await openMemory();
    try {
      const inst = await createInstance(store, EAST);
      await createUser(store, inst, "boss", { tags: { role: "admin" }, admin: true });
      await putPrincipal(store, "narrow", {
        P: {
          Version: "2012-10-17",
          Statement: [
            { ...HELPDESK.Statement[1], Effect: "Deny" },
            { Effect: "Allow", Action: "connect:UpdateUserIdentityInfo", Resource: "*" },
          ],
        },
      });
      const r = await accessReport(store, { account: ACCOUNT, now: NOW });
      const narrow = entry(r, "narrow");
      assert.equal(narrow.canChangeCount, 0);
      assert.equal(narrow.viaTagsCount ?? 0, 0);
    } finally {
      await store.close();
    }
  });
});

describe("access report: who can grant Admin", () => {
  const grantPolicy = (denyAdminProfile: boolean) => ({
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Action: "connect:UpdateUserSecurityProfiles", Resource: "*" },
      ...(denyAdminProfile
        ? [
            {
              Effect: "Deny",
              Action: "connect:UpdateUserSecurityProfiles",
              Resource: "arn:aws:connect:*:*:instance/*/security-profile/*",
              Condition: { StringEquals: { "aws:ResourceTag/grants": "admin" } },
            },
          ]
        : []),
    ],
  });

  test("UpdateUserSecurityProfiles on the user and on the Admin profile is flagged; a Deny on the profile clears it", async () => {
    const store = await openMemory();
    try {
      const inst = await createInstance(store, EAST);
      await createUser(store, inst, "agent");
      await createUser(store, inst, "boss", { admin: true });
      await store.tags.put(EAST, `arn:aws:connect:${EAST.region}:${ACCOUNT}:instance/${inst.id}/security-profile/${inst.adminProfile}`, {
        grants: "admin",
      });
      await putPrincipal(store, "granter", { P: grantPolicy(false) });
      await putPrincipal(store, "careful", { P: grantPolicy(true) });
      await putPrincipal(store, "reader", {
        P: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "connect:Describe*", Resource: "*" }] },
      });
      const r = await accessReport(store, { account: ACCOUNT, now: NOW });
      const granter = entry(r, "granter");
      assert.equal(granter.grantsAdmin, true);
      assert.deepEqual(names(granter.canGrantAdmin ?? []), ["agent", "boss"]);
      assert.equal(granter.canChangeCount, 0, "it may not change emails: only the grant path flags it");
      const careful = entry(r, "careful");
      assert.equal(careful.grantsAdmin, false);
      assert.equal(careful.canGrantAdminCount, 0);
      assert.equal(entry(r, "reader").grantsAdmin ?? false, false);
      assert.equal(entry(r, "root").grantsAdmin, true);
      assert.ok(r.notes.some((n) => n.startsWith("grants Admin:")));
    } finally {
      await store.close();
    }
  });

  test("--action connect:UpdateUserSecurityProfiles reports who may change a user's profiles at all", async () => {
    const store = await openMemory();
    try {
      const inst = await createInstance(store, EAST);
      await createUser(store, inst, "agent");
      await putPrincipal(store, "granter", { P: grantPolicy(false) });
      const r = await accessReport(store, { account: ACCOUNT, now: NOW, action: "connect:UpdateUserSecurityProfiles" });
      assert.equal(r.action, "connect:UpdateUserSecurityProfiles");
      assert.deepEqual(names(entry(r, "granter").canChange), ["agent"]);
    } finally {
      await store.close();
    }
  });
});
