// Connect's bulk-user template: the exact header, the SAML variant, `|` lists, hierarchy paths,
// our optional columns, per-row errors, and the export format reading back as the same users.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { formatTemplate, parseTemplate, STANDARD_COLUMNS, TemplateError, type UserSpec } from "../../src/bulk/template.js";

const HEADER =
  "first name,last name,email address,password,user login,routing profile name,security_profile_name_1|security_profile_name_2,phone type (soft/desk),phone number,soft phone auto accept (yes/no),ACW timeout (seconds)";
const SAML_HEADER =
  "first name,last name,user login,routing profile name,security_profile_name_1|security_profile_name_2,phone type (soft/desk),phone number,soft phone auto accept (yes/no),ACW timeout (seconds)";

describe("parseTemplate", () => {
  test("the header is Connect's template, exactly", () => {
    assert.equal(STANDARD_COLUMNS.join(","), HEADER);
  });

  test("a standard row: `|` security profiles, soft phone, defaults", () => {
    const t = parseTemplate(
      `${HEADER}\nJane,Doe,jane@example.com,Passw0rd!,jdoe,Basic Routing Profile,Agent| CallCenterManager ,soft,,yes,30\n`,
    );
    assert.equal(t.variant, "standard");
    assert.deepEqual(t.optional, []);
    const row = t.rows[0];
    assert.equal(row?.line, 2);
    assert.deepEqual(row?.spec, {
      login: "jdoe",
      firstName: "Jane",
      lastName: "Doe",
      email: "jane@example.com",
      password: "Passw0rd!",
      routingProfileName: "Basic Routing Profile",
      securityProfileNames: ["Agent", "CallCenterManager"],
      phoneType: "SOFT_PHONE",
      phoneNumber: "",
      autoAccept: true,
      acwTimeout: 30,
    });
  });

  test("quoted cells: commas in names, a desk phone", () => {
    const t = parseTemplate(
      `${HEADER}\r\n"Anne, Jr.","O""Neil",a@example.com,,aoneil,"Basic Routing Profile","Admin|Agent",desk,+12065550100,no,\r\n`,
    );
    const s = t.rows[0]?.spec;
    assert.equal(s?.firstName, "Anne, Jr.");
    assert.equal(s?.lastName, 'O"Neil');
    assert.equal(s?.phoneType, "DESK_PHONE");
    assert.equal(s?.phoneNumber, "+12065550100");
    assert.equal(s?.acwTimeout, 0);
    assert.deepEqual(s?.securityProfileNames, ["Admin", "Agent"]);
  });

  test("the SAML variant has no email address and password", () => {
    const t = parseTemplate(`${SAML_HEADER}\nSam,L,sam,Basic Routing Profile,Agent,soft,,no,0\n`);
    assert.equal(t.variant, "saml");
    assert.equal(t.rows[0]?.spec?.email, "");
    assert.equal(t.rows[0]?.spec?.password, "");
    assert.equal(t.rows[0]?.spec?.login, "sam");
  });

  test("optional columns: user hierarchy paths, secondary email, mobile, tags", () => {
    const t = parseTemplate(
      `${HEADER},user hierarchy,secondary email,mobile,tags\nA,B,a@x.com,,ab,P,Agent,soft,,no,0," North / Seattle /Team 1",b@x.com,+12065550101,team=blue|role=agent\nC,D,,,cd,P,Agent,soft,,no,0,,,,\n`,
    );
    assert.deepEqual(t.optional, ["user hierarchy", "secondary email", "mobile", "tags"]);
    assert.deepEqual(t.rows[0]?.spec?.hierarchyPath, ["North", "Seattle", "Team 1"]);
    assert.equal(t.rows[0]?.spec?.secondaryEmail, "b@x.com");
    assert.equal(t.rows[0]?.spec?.mobile, "+12065550101");
    assert.deepEqual(t.rows[0]?.spec?.tags, { team: "blue", role: "agent" });
    // present but empty: no group, cleared, no tags to set
    assert.deepEqual(t.rows[1]?.spec?.hierarchyPath, []);
    assert.equal(t.rows[1]?.spec?.secondaryEmail, "");
    assert.deepEqual(t.rows[1]?.spec?.tags, {});
  });

  test("a bad row lists everything wrong with it; the other rows stand", () => {
    const t = parseTemplate(
      `${HEADER}\n,Doe,x@y.z,,,P,,fax,,maybe,-1\nok,Fine,,,good,P,Agent,soft,,no,0\nDup,Dup,,,GOOD,P,Agent,soft,,no,0\nShort,Row\n`,
    );
    const [bad, good, dup, short] = t.rows;
    assert.deepEqual(bad?.errors, [
      "user login is empty",
      "first name is empty",
      "no security profile",
      "phone type (soft/desk): 'fax' is neither soft nor desk",
      "soft phone auto accept (yes/no): 'maybe' is neither yes nor no",
      "ACW timeout (seconds): '-1' is not a whole number of seconds",
    ]);
    assert.ok(good?.spec);
    assert.deepEqual(dup?.errors, ["user login 'GOOD' is also on line 3"]);
    assert.equal(short?.line, 5);
    assert.ok(short?.errors?.[0]?.startsWith("2 fields where the header has 11"));
  });

  test("line numbers count quoted line breaks and skipped blank lines", () => {
    const t = parseTemplate(`${HEADER}\n\n"Multi\nline",B,,,ml,P,Agent,soft,,no,0\n\nX,Y,,,xy,P,Agent,soft,,no,0\n`);
    assert.deepEqual(
      t.rows.map((r) => r.line),
      [3, 6],
    );
  });

  test("a header that is not the template is refused as a whole", () => {
    assert.throws(() => parseTemplate("name,email\nx,y\n"), TemplateError);
    assert.throws(() => parseTemplate(`${HEADER},favourite colour\n`), /unknown column 'favourite colour'/);
    assert.throws(() => parseTemplate(""), /empty/);
  });

  test("the export format reads back as the same users", () => {
    const specs: UserSpec[] = [
      {
        login: "a,b",
        firstName: 'Q"uote',
        lastName: "L",
        email: "a@b.c",
        password: "",
        routingProfileName: "Basic Routing Profile",
        securityProfileNames: ["Admin", "Agent"],
        phoneType: "DESK_PHONE",
        phoneNumber: "+12065550100",
        autoAccept: false,
        acwTimeout: 15,
        hierarchyPath: ["North", "Seattle"],
        secondaryEmail: "",
        mobile: "+12065550102",
        tags: { role: "admin" },
      },
    ];
    for (const variant of ["standard", "saml"] as const) {
      const back = parseTemplate(formatTemplate(specs, variant));
      assert.equal(back.variant, variant);
      assert.deepEqual(back.rows[0]?.spec, variant === "standard" ? specs[0] : { ...specs[0], email: "" });
    }
  });
});
