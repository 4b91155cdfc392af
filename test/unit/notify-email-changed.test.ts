// The old-address alert: what the message says (masked), what it never says, and its link.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, test } from "node:test";
import { mustAlertOldAddress } from "../../src/notify/email-alert.js";
import { changedLines, EMAIL_CHANGED_SUBJECT, type EmailChangedFacts, emailChangedMessage } from "../../src/notify/email-changed.js";
import { hashRevertToken, newRevertToken, REVERT_PATH, revertUrl, TOKEN_FORMAT } from "../../src/notify/revert-token.js";

const facts = (over: Partial<EmailChangedFacts> = {}): EmailChangedFacts => ({
  before: { firstName: "Jane", lastName: "Doe", email: "jane.doe@example.com", mobile: "+14155550100" },
  after: { firstName: "Jane", lastName: "Doe", email: "attacker@evil.example.org", mobile: "+14155550199" },
  username: "jdoe",
  userId: "user-1",
  instanceId: "inst-1",
  principalArn: "arn:aws:iam::000000000000:user/helpdesk",
  sourceIp: "203.0.113.7",
  time: Date.UTC(2024, 4, 6, 7, 8, 9),
  revertUrl: "https://switchboard.example.com/_switchboard/revert/TOKEN",
  expiresTime: Date.UTC(2024, 4, 7, 7, 8, 9),
  ...over,
});

describe("emailChangedMessage", () => {
  test("goes to the old address with the fixed subject", () => {
    const m = emailChangedMessage(facts());
    assert.equal(m.recipient, "jane.doe@example.com");
    assert.equal(m.subject, EMAIL_CHANGED_SUBJECT);
    assert.equal(m.subject, "Your Amazon Connect e-mail address was changed");
  });

  test("says what changed (masked), by whom, when, from where, and gives the link with its expiry", () => {
    const { body } = emailChangedMessage(facts());
    assert.match(body, /E-mail: j\*\*\*@example\.com -> a\*\*\*@evil\.example\.org/);
    assert.match(body, /Mobile: \+\*\*\* -> \+\*\*\*/);
    assert.doesNotMatch(body, /First name|Last name/, "unchanged members are not listed");
    assert.ok(body.includes("arn:aws:iam::000000000000:user/helpdesk"));
    assert.ok(body.includes("2024-05-06T07:08:09Z"));
    assert.ok(body.includes("203.0.113.7"));
    assert.ok(body.includes("https://switchboard.example.com/_switchboard/revert/TOKEN"));
    assert.ok(body.includes("2024-05-07T07:08:09Z"), "the link's expiry");
    assert.ok(body.includes('"jdoe"'));
  });

  test("never spells out the new address (nor the other values)", () => {
    const { body, subject } = emailChangedMessage(facts());
    for (const secret of ["attacker@evil.example.org", "attacker", "jane.doe@", "+14155550199", "+14155550100"]) {
      assert.ok(!body.includes(secret), `body contains ${secret}`);
      assert.ok(!subject.includes(secret), `subject contains ${secret}`);
    }
  });

  test("a removed e-mail reads (none); unknown IP reads (unknown)", () => {
    const { body } = emailChangedMessage(facts({ after: { firstName: "Jane", lastName: "Doe" }, sourceIp: "" }));
    assert.match(body, /E-mail: j\*\*\*@example\.com -> \(none\)/);
    assert.match(body, /From IP: +\(unknown\)/);
  });

  test("refuses to compose without an old address", () => {
    assert.throws(() => emailChangedMessage(facts({ before: { firstName: "Jane" } })), /no e-mail address/);
  });

  test("changedLines lists exactly the changed members", () => {
    assert.deepEqual(changedLines({ firstName: "A", email: "a@x.io" }, { firstName: "B", email: "a@x.io", secondaryEmail: "s@y.io" }), [
      "  First name: A*** -> B***",
      "  Secondary e-mail: (none) -> s***@y.io",
    ]);
    assert.deepEqual(changedLines({ email: "a@x.io" }, { email: "a@x.io" }), []);
  });
});

describe("when an alert is due", () => {
  test("only when the primary e-mail changes and there was one", () => {
    assert.equal(mustAlertOldAddress({ email: "a@x.io" }, { email: "b@x.io" }), true);
    assert.equal(mustAlertOldAddress({ email: "a@x.io" }, {}), true, "removing the address is a change too");
    assert.equal(mustAlertOldAddress({ email: "a@x.io" }, { email: "a@x.io", firstName: "New" }), false);
    assert.equal(mustAlertOldAddress({}, { email: "b@x.io" }), false);
    assert.equal(mustAlertOldAddress({ email: "" }, { email: "b@x.io" }), false);
    assert.equal(
      mustAlertOldAddress({ email: "a@x.io", secondaryEmail: "s@x.io" }, { email: "a@x.io" }),
      false,
      "SecondaryEmail is not the primary",
    );
  });
});

describe("revert tokens", () => {
  test("32 random bytes in base64url; only the SHA-256 is kept", () => {
    const a = newRevertToken();
    const b = newRevertToken();
    assert.match(a.token, TOKEN_FORMAT);
    assert.equal(Buffer.from(a.token, "base64url").length, 32);
    assert.notEqual(a.token, b.token);
    assert.equal(a.tokenHash, createHash("sha256").update(a.token).digest("hex"));
    assert.equal(hashRevertToken(a.token), a.tokenHash);
    assert.ok(!a.tokenHash.includes(a.token));
  });

  test("links are <public url>/_switchboard/revert/<token>", () => {
    assert.equal(REVERT_PATH, "/_switchboard/revert/");
    assert.equal(revertUrl("http://127.0.0.1:4599", "abc"), "http://127.0.0.1:4599/_switchboard/revert/abc");
    assert.equal(revertUrl("https://sb.example.com/base/", "abc"), "https://sb.example.com/base/_switchboard/revert/abc");
  });
});
