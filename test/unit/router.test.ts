// Router (src/protocol/restjson/router.ts) against the real Connect route table: literal segments
// beat labels, labels are split on raw `/` and percent-decoded afterwards, methods matter, and
// every one of the model's operations routes to itself.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { OPERATIONS } from "../../src/model/index.js";
import type { OperationDef } from "../../src/model/types.js";
import { BadLabelEncoding, Router } from "../../src/protocol/restjson/router.js";

const INSTANCE_ARN_ENCODED = "arn%3Aaws%3Aconnect%3Aus-east-1%3A000000000000%3Ainstance%2Fabc";
const INSTANCE_ARN = "arn:aws:connect:us-east-1:000000000000:instance/abc";

/** Label names of a URI template, in order. */
function labelNames(uri: string): string[] {
  return [...(uri.split("?")[0] ?? "").matchAll(/\{([^}+]+)\+?\}/g)].map((m) => m[1] as string);
}

/** Path segments of a URI template (query part dropped). */
function templateSegments(uri: string): string[] {
  return (uri.split("?")[0] ?? "").split("/").filter((s) => s !== "");
}

const isLabel = (seg: string) => seg.startsWith("{");

describe("Router: a small synthetic table", () => {
  const ops: Record<string, OperationDef> = {
    GetThing: { method: "GET", uri: "/things/{ThingId}", errors: [] },
    ListThings: { method: "GET", uri: "/things", errors: [] },
    SearchThings: { method: "GET", uri: "/things/search", errors: [] },
    DeleteThing: { method: "DELETE", uri: "/things/{ThingId}", errors: [] },
    GetPart: { method: "GET", uri: "/things/{ThingId}/parts/{PartId}", errors: [] },
    GetPartOwner: { method: "GET", uri: "/things/search/parts/{PartId}/owner", errors: [] },
  };

  test("a literal segment beats a label at the same position", () => {
    const r = new Router(ops);
    assert.deepEqual(r.match("GET", "/things/search"), { operation: "SearchThings", labels: {} });
    assert.deepEqual(r.match("GET", "/things/other"), { operation: "GetThing", labels: { ThingId: "other" } });
  });

  test("falls back to the label branch when the literal branch leads nowhere", () => {
    const r = new Router(ops);
    // `search` is a literal at depth 2, but /things/search/parts/{PartId} only exists with
    // `/owner` after it: the full path must be taken through the {ThingId} label.
    assert.deepEqual(r.match("GET", "/things/search/parts/p1"), {
      operation: "GetPart",
      labels: { ThingId: "search", PartId: "p1" },
    });
    assert.deepEqual(r.match("GET", "/things/search/parts/p1/owner"), { operation: "GetPartOwner", labels: { PartId: "p1" } });
  });

  test("the method matters", () => {
    const r = new Router(ops);
    assert.equal(r.match("GET", "/things/t1")?.operation, "GetThing");
    assert.equal(r.match("DELETE", "/things/t1")?.operation, "DeleteThing");
    assert.equal(r.match("PUT", "/things/t1"), undefined);
    assert.equal(r.match("DELETE", "/things"), undefined);
    assert.equal(r.match("get", "/things"), undefined, "methods are case-sensitive, as on the wire");
  });

  test("a trailing slash is ignored", () => {
    const r = new Router(ops);
    assert.equal(r.match("GET", "/things/")?.operation, "ListThings");
    assert.deepEqual(r.match("GET", "/things/t1/"), { operation: "GetThing", labels: { ThingId: "t1" } });
  });

  test("an empty segment does not match a label", () => {
    const r = new Router(ops);
    assert.equal(r.match("GET", "/things//parts/p1"), undefined);
    assert.equal(r.match("GET", "/things/t1/parts//"), undefined);
    assert.equal(r.match("GET", "/things//"), undefined);
  });

  test("extra or missing segments do not match", () => {
    const r = new Router(ops);
    assert.equal(r.match("GET", "/things/t1/parts"), undefined);
    assert.equal(r.match("GET", "/things/t1/parts/p1/more"), undefined);
    assert.equal(r.match("GET", "/"), undefined);
    assert.equal(r.match("GET", ""), undefined);
  });

  test("hasPath is true when some method routes the path", () => {
    const r = new Router(ops);
    assert.equal(r.hasPath("/things/t1"), true);
    assert.equal(r.hasPath("/things/search/parts/p/owner"), true);
    assert.equal(r.hasPath("/nothing/here"), false);
    assert.equal(r.hasPath("/things//parts/p1"), false);
  });

  test("label values are percent-decoded after splitting on raw slashes", () => {
    const r = new Router(ops);
    assert.deepEqual(r.match("GET", "/things/a%2Fb"), { operation: "GetThing", labels: { ThingId: "a/b" } });
    assert.deepEqual(r.match("GET", "/things/a%2Fb/parts/c%2Fd"), {
      operation: "GetPart",
      labels: { ThingId: "a/b", PartId: "c/d" },
    });
    // `+` in a path is a plus, not a space.
    assert.deepEqual(r.match("GET", "/things/a+b"), { operation: "GetThing", labels: { ThingId: "a+b" } });
  });

  test("an encoded literal is not the literal", () => {
    const r = new Router(ops);
    // %73earch decodes to "search", but literals are compared raw; it is a ThingId.
    assert.deepEqual(r.match("GET", "/things/%73earch"), { operation: "GetThing", labels: { ThingId: "search" } });
  });

  test("bad percent-encoding in a label throws BadLabelEncoding", () => {
    const r = new Router(ops);
    for (const bad of ["/things/%", "/things/%E0%A4%A", "/things/%ZZ", "/things/%C3%28"]) {
      assert.throws(() => r.match("GET", bad), BadLabelEncoding, bad);
    }
  });
});

describe("Router: real Connect routes", () => {
  const router = new Router(OPERATIONS);

  test("UpdateUserIdentityInfo: POST /users/{InstanceId}/{UserId}/identity-info", () => {
    assert.deepEqual(router.match("POST", "/users/inst-1/user-1/identity-info"), {
      operation: "UpdateUserIdentityInfo",
      labels: { InstanceId: "inst-1", UserId: "user-1" },
    });
    assert.equal(router.match("GET", "/users/inst-1/user-1/identity-info"), undefined);
    assert.equal(router.hasPath("/users/inst-1/user-1/identity-info"), true);
  });

  test("DescribeUser is /users/{InstanceId}/{UserId}; ListUsers is /users-summary/{InstanceId}", () => {
    assert.deepEqual(router.match("GET", "/users/inst-1/user-1"), {
      operation: "DescribeUser",
      labels: { InstanceId: "inst-1", UserId: "user-1" },
    });
    assert.deepEqual(router.match("GET", "/users-summary/inst-1"), { operation: "ListUsers", labels: { InstanceId: "inst-1" } });
    assert.equal(router.match("GET", "/users-summary/inst-1/user-1"), undefined);
    assert.equal(router.match("DELETE", "/users/inst-1/user-1")?.operation, "DeleteUser");
    assert.equal(router.match("PUT", "/users/inst-1")?.operation, "CreateUser");
  });

  test("PUT /instance is CreateInstance, GET /instance is ListInstances", () => {
    assert.deepEqual(router.match("PUT", "/instance"), { operation: "CreateInstance", labels: {} });
    assert.deepEqual(router.match("GET", "/instance"), { operation: "ListInstances", labels: {} });
    assert.deepEqual(router.match("GET", "/instance/"), { operation: "ListInstances", labels: {} });
    assert.deepEqual(router.match("GET", "/instance/i-1"), { operation: "DescribeInstance", labels: { InstanceId: "i-1" } });
    assert.deepEqual(router.match("DELETE", "/instance/i-1"), { operation: "DeleteInstance", labels: { InstanceId: "i-1" } });
    assert.equal(router.match("POST", "/instance"), undefined);
    assert.equal(router.hasPath("/instance"), true);
  });

  test("an encoded ARN stays one label (TagResource /tags/{resourceArn})", () => {
    assert.deepEqual(router.match("POST", `/tags/${INSTANCE_ARN_ENCODED}`), {
      operation: "TagResource",
      labels: { resourceArn: INSTANCE_ARN },
    });
    assert.deepEqual(router.match("GET", `/tags/${INSTANCE_ARN_ENCODED}`), {
      operation: "ListTagsForResource",
      labels: { resourceArn: INSTANCE_ARN },
    });
    assert.deepEqual(router.match("DELETE", `/tags/${INSTANCE_ARN_ENCODED}`), {
      operation: "UntagResource",
      labels: { resourceArn: INSTANCE_ARN },
    });
    // The same ARN unencoded is several segments and names no route.
    assert.equal(router.match("POST", `/tags/${INSTANCE_ARN}`), undefined);
  });

  test("an encoded instance ARN in the InstanceId position stays one label", () => {
    assert.deepEqual(router.match("GET", `/users/${INSTANCE_ARN_ENCODED}/user-1`), {
      operation: "DescribeUser",
      labels: { InstanceId: INSTANCE_ARN, UserId: "user-1" },
    });
    assert.deepEqual(
      router.match("POST", `/users/${INSTANCE_ARN_ENCODED}/${encodeURIComponent(`${INSTANCE_ARN}/agent/u1`)}/identity-info`),
      {
        operation: "UpdateUserIdentityInfo",
        labels: { InstanceId: INSTANCE_ARN, UserId: `${INSTANCE_ARN}/agent/u1` },
      },
    );
  });

  test("smithy label escaping: every reserved character and a non-BMP emoji round-trip", () => {
    const raw = "%20%25%3A%2F%3F%23%5B%5D%40%21%24%26%27%28%29%2A%2B%2C%3B%3D%F0%9F%98%B9";
    const m = router.match("GET", `/users/${raw}/u1`);
    assert.equal(m?.operation, "DescribeUser");
    assert.equal(m?.labels.InstanceId, " %:/?#[]@!$&'()*+,;=😹");
  });

  test("bad percent-encoding in a real label throws BadLabelEncoding", () => {
    assert.throws(() => router.match("GET", "/users/%E0%A4%A/u1"), BadLabelEncoding);
    assert.throws(() => router.match("GET", "/instance/%"), BadLabelEncoding);
  });

  test("unknown paths and methods", () => {
    assert.equal(router.match("GET", "/no-such-resource/x"), undefined);
    assert.equal(router.hasPath("/no-such-resource/x"), false);
    assert.equal(router.match("PATCH", "/instance"), undefined);
    assert.equal(router.match("GET", "/users//user-1"), undefined);
  });
});

describe("Router: the whole model", () => {
  const router = new Router(OPERATIONS);
  const entries = Object.entries(OPERATIONS);

  test("the model has all 282 operations", () => {
    assert.equal(entries.length, 282);
  });

  test("every operation routes to itself with its labels filled", () => {
    const wrong: string[] = [];
    for (const [name, op] of entries) {
      const names = labelNames(op.uri);
      const path = (op.uri.split("?")[0] ?? "").replace(/\{([^}+]+)\+?\}/g, (_all, label: string) => `v-${label}%2Fx`);
      const m = router.match(op.method, path);
      const expectedLabels = Object.fromEntries(names.map((l) => [l, `v-${l}/x`]));
      if (m?.operation !== name) wrong.push(`${name}: ${op.method} ${path} → ${m?.operation ?? "no match"}`);
      else if (!sameLabels(m.labels, expectedLabels)) {
        wrong.push(`${name}: labels ${JSON.stringify(m.labels)}, expected ${JSON.stringify(expectedLabels)}`);
      }
    }
    assert.deepEqual(wrong, []);
  });

  test("every operation also routes with a trailing slash", () => {
    const wrong: string[] = [];
    for (const [name, op] of entries) {
      const path = `${(op.uri.split("?")[0] ?? "").replace(/\{([^}+]+)\+?\}/g, "x")}/`;
      if (router.match(op.method, path)?.operation !== name) wrong.push(name);
    }
    assert.deepEqual(wrong, []);
  });

  test("a label filled with any literal of the table picks the most specific route", () => {
    // Reference semantics: among the templates of the method that match segment by segment,
    // the one with a literal at the first position where they differ wins.
    const templates = entries.map(([name, op]) => ({ name, method: op.method, segs: templateSegments(op.uri) }));
    const literals = new Set(templates.flatMap((t) => t.segs.filter((s) => !isLabel(s))));
    const reference = (method: string, segs: string[]): string | undefined => {
      const candidates = templates.filter(
        (t) =>
          t.method === method && t.segs.length === segs.length && t.segs.every((s, i) => (isLabel(s) ? segs[i] !== "" : s === segs[i])),
      );
      candidates.sort((a, b) => {
        for (let i = 0; i < a.segs.length; i++) {
          const la = !isLabel(a.segs[i] as string);
          const lb = !isLabel(b.segs[i] as string);
          if (la !== lb) return la ? -1 : 1;
        }
        return 0;
      });
      return candidates[0]?.name;
    };
    const wrong: string[] = [];
    let checked = 0;
    for (const t of templates) {
      t.segs.forEach((seg, li) => {
        if (!isLabel(seg)) return;
        for (const lit of literals) {
          const segs = t.segs.map((s, i) => (i === li ? lit : isLabel(s) ? "x1" : s));
          const got = router.match(t.method, `/${segs.join("/")}`)?.operation;
          const expected = reference(t.method, segs);
          checked++;
          if (got !== expected) wrong.push(`${t.method} /${segs.join("/")}: ${got} (expected ${expected})`);
        }
      });
    }
    assert.ok(checked > 1000, `only ${checked} paths checked`);
    assert.deepEqual(wrong.slice(0, 20), []);
  });
});

function sameLabels(a: Record<string, string>, b: Record<string, string>): boolean {
  const ka = Object.keys(a).sort();
  const kb = Object.keys(b).sort();
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a[k] === b[k]);
}
