// The architecture's one-way data flow, checked mechanically: every place under src/ has a rank
// (LAYERS) and imports only its own place and those below it; model is a leaf.
// Every .ts file under src/ is scanned for its import specifiers (static, type-only, side-effect,
// dynamic, re-exports, require). A violation names the file, the specifier and the rule broken.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const SRC = join(ROOT, "src");

/** Source text with comments removed (so a comment mentioning `from "x"` is not an import). */
function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/(^|[\s;{}(),])\/\/[^\n]*/g, "$1");
}

/** Every module specifier a TypeScript source imports or re-exports. */
function importSpecifiers(text: string): string[] {
  const code = stripComments(text);
  const found: string[] = [];
  const patterns = [
    /(?<![\w.$/"'-])(?:import|export)\b[^;"'`]*?\bfrom\s*["']([^"'\n]+)["']/g, // import … from "x", import type …, export … from "x"
    /^\s*import\s*["']([^"'\n]+)["']/gm, // import "x" (a statement of its own)
    /(?<![\w.$/"'-])import\s*\(\s*["']([^"'\n]+)["']\s*\)/g, // import("x")
    /(?<![\w.$/"'-])require\s*\(\s*["']([^"'\n]+)["']\s*\)/g, // require("x")
  ];
  for (const re of patterns) for (const m of code.matchAll(re)) found.push(m[1] as string);
  return found;
}

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...tsFiles(full));
    else if (entry.isFile() && entry.name.endsWith(".ts")) out.push(full);
  }
  return out.sort();
}

interface Edge {
  /** importing file, relative to the repo root with `/` separators, e.g. src/operations/users/rules.ts */
  from: string;
  specifier: string;
  /** for relative specifiers: the imported file, repo-relative, `.js` mapped to `.ts` */
  target?: string;
}

const posix = (p: string) => p.split(sep).join("/");

function edgesOf(file: string): Edge[] {
  const from = posix(relative(ROOT, file));
  return importSpecifiers(readFileSync(file, "utf8")).map((specifier) => {
    if (!specifier.startsWith(".")) return { from, specifier };
    const target = posix(relative(ROOT, resolve(dirname(file), specifier))).replace(/\.js$/, ".ts");
    return { from, specifier, target };
  });
}

const under = (path: string | undefined, dir: string) => path !== undefined && (path === dir || path.startsWith(`${dir}/`));

/**
 * Every place under src/, top to bottom. A file may import its own place and places below it,
 * never one above: data flows cli → root → http → protocol → invoke → operations → store, with
 * authz (read by the front), notify (subscribes to operations' events), audit, iam, common and
 * the generated model below. README's "How it is built" names the same places in the same order.
 */
const LAYERS: readonly { place: string; holds: string }[] = [
  { place: "src/cli", holds: "command line" },
  { place: "src/bulk", holds: "CSV bulk import/export, a client of the public Connect API" },
  { place: "src/index.ts", holds: "embedding API (the package's main export)" },
  { place: "src/app.ts", holds: "composition root" },
  { place: "src/admin.ts", holds: "Switchboard's own endpoints: reset, snapshot (root only, SigV4)" },
  { place: "src/config.ts", holds: "typed configuration" },
  { place: "src/snapshot", holds: "the store as one stable JSON document, and back" },
  { place: "src/seed", holds: "declarative seed files: schema check, self-check, idempotent apply" },
  { place: "src/http", holds: "node:http adapter" },
  { place: "src/protocol", holds: "the one request pipeline and its codecs" },
  { place: "src/invoke", holds: "transaction + audit around an operation" },
  { place: "src/authz", holds: "authorizer, principals, access report" },
  { place: "src/notify", holds: "old-address alerts, revert links, delivery" },
  { place: "src/operations", holds: "declared operations by family, service records" },
  { place: "src/audit", holds: "audit records, chain verification, listing" },
  { place: "src/store", holds: "Store interface and its engines" },
  { place: "src/iam", holds: "IAM policy language" },
  { place: "src/common", holds: "shared values: ARNs, errors, callers, clock" },
  { place: "src/model", holds: "generated from the Smithy model" },
];

/** The index in LAYERS of the place holding a path (undefined: not under src/, i.e. a package). */
function rankOf(path: string): number | undefined {
  const i = LAYERS.findIndex((l) => under(path, l.place));
  return i < 0 ? undefined : i;
}

const CONCRETE_STORES = ["src/store/sqlite", "src/store/postgres", "src/store/sql"];
/** The composition root: the only place outside src/store that picks a store implementation. */
const MAY_IMPORT_CONCRETE_STORES = new Set(["src/app.ts"]);
const OPERATIONS_FORBIDDEN_PACKAGES = new Set(["better-sqlite3", "pg", "node:http", "http", "node:https", "https"]);

const packageName = (spec: string) =>
  spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.startsWith("node:") ? spec : (spec.split("/")[0] ?? spec);

/** Every rule each edge breaks, as readable lines. */
function violations(edges: readonly Edge[]): string[] {
  const out: string[] = [];
  const flag = (e: Edge, rule: string) => out.push(`${e.from} imports "${e.specifier}"${e.target ? ` (${e.target})` : ""}: ${rule}`);
  for (const e of edges) {
    const t = e.target;
    const from = rankOf(e.from);
    if (from === undefined) flag(e, "the importing file is in no place of LAYERS: give its folder a place");
    if (t !== undefined) {
      const to = rankOf(t);
      if (to === undefined) flag(e, "the imported file is in no place of LAYERS");
      else if (from !== undefined && to < from) {
        flag(e, `${LAYERS[from]?.place} must not import ${LAYERS[to]?.place}, which is above it`);
      }
    }
    if (under(e.from, "src/model") && t === undefined) flag(e, "src/model is a leaf: no packages");
    if (under(e.from, "src/operations") && t === undefined && OPERATIONS_FORBIDDEN_PACKAGES.has(packageName(e.specifier))) {
      flag(e, "src/operations never touches HTTP or a database driver");
    }
    if (
      under(e.from, "src/protocol") &&
      t === undefined &&
      (packageName(e.specifier) === "better-sqlite3" || packageName(e.specifier) === "pg")
    ) {
      flag(e, "src/protocol must not import a database driver");
    }
    if (under(e.from, "src/protocol") && under(t, "src/store")) flag(e, "src/protocol never touches the store (the invoke step does)");
    const concrete = CONCRETE_STORES.find((dir) => under(t, dir));
    if (concrete && !under(e.from, "src/store") && !MAY_IMPORT_CONCRETE_STORES.has(e.from)) {
      flag(e, `only ${[...MAY_IMPORT_CONCRETE_STORES].join(" and ")} may import a concrete store (${concrete})`);
    }
  }
  return out;
}

describe("import scanner", () => {
  test("finds every import form and ignores comments", () => {
    const text = [
      'import a from "./a.js";',
      "import {",
      "  b,",
      "  type C,",
      '} from "../b.js";',
      'import type { D } from "./d.js";',
      'import "./side-effect.js";',
      'export { e } from "./e.js";',
      'export * from "./f.js";',
      'export type * from "./g.js";',
      'const h = await import("./h.js");',
      'const i = require("i-pkg");',
      '// import x from "./commented.js";',
      '/* import y from "./block.js"; */',
      'const url = "http://example.com"; // from "./trailing.js"',
    ].join("\n");
    assert.deepEqual(importSpecifiers(text).sort(), [
      "../b.js",
      "./a.js",
      "./d.js",
      "./e.js",
      "./f.js",
      "./g.js",
      "./h.js",
      "./side-effect.js",
      "i-pkg",
    ]);
  });

  test("the rules catch each kind of violation", () => {
    const bad: Edge[] = [
      { from: "src/model/x.ts", specifier: "../common/arn.js", target: "src/common/arn.ts" },
      { from: "src/model/x.ts", specifier: "node:fs" },
      { from: "src/store/sql/sql-store.ts", specifier: "../../protocol/validate.js", target: "src/protocol/validate.ts" },
      { from: "src/store/store.ts", specifier: "../operations/declare.js", target: "src/operations/declare.ts" },
      { from: "src/operations/users/x.ts", specifier: "../../protocol/front.js", target: "src/protocol/front.ts" },
      { from: "src/operations/users/x.ts", specifier: "../../notify/email-alert.js", target: "src/notify/email-alert.ts" },
      { from: "src/protocol/front.ts", specifier: "../store/store.js", target: "src/store/store.ts" },
      { from: "src/audit/record.ts", specifier: "../protocol/headers.js", target: "src/protocol/headers.ts" },
      { from: "src/authz/x.ts", specifier: "../protocol/front.js", target: "src/protocol/front.ts" },
      { from: "src/notify/x.ts", specifier: "../config.js", target: "src/config.ts" },
      { from: "src/newfolder/x.ts", specifier: "../common/arn.js", target: "src/common/arn.ts" },
      { from: "src/operations/users/x.ts", specifier: "../../http/server.js", target: "src/http/server.ts" },
      { from: "src/operations/users/x.ts", specifier: "better-sqlite3" },
      { from: "src/operations/users/x.ts", specifier: "pg" },
      { from: "src/operations/users/x.ts", specifier: "node:http" },
      { from: "src/operations/users/x.ts", specifier: "../../store/sqlite/sqlite-driver.js", target: "src/store/sqlite/sqlite-driver.ts" },
      { from: "src/protocol/x.ts", specifier: "../http/server.js", target: "src/http/server.ts" },
      { from: "src/protocol/x.ts", specifier: "../store/sql/sql-store.js", target: "src/store/sql/sql-store.ts" },
      { from: "src/protocol/x.ts", specifier: "../store/postgres/pg-driver.js", target: "src/store/postgres/pg-driver.ts" },
      { from: "src/http/server.ts", specifier: "../store/sqlite/sqlite-driver.js", target: "src/store/sqlite/sqlite-driver.ts" },
      { from: "src/common/x.ts", specifier: "../operations/declare.js", target: "src/operations/declare.ts" },
    ];
    const found = violations(bad);
    for (const e of bad)
      assert.ok(
        found.some((line) => line.startsWith(`${e.from} imports "${e.specifier}"`)),
        `not caught: ${JSON.stringify(e)}`,
      );
  });

  test("the allowed edges are allowed", () => {
    const ok: Edge[] = [
      { from: "src/operations/users/rules.ts", specifier: "../../common/text.js", target: "src/common/text.ts" },
      { from: "src/operations/declare.ts", specifier: "../store/store.js", target: "src/store/store.ts" },
      { from: "src/invoke/invoke.ts", specifier: "../store/store.js", target: "src/store/store.ts" },
      { from: "src/protocol/front.ts", specifier: "../invoke/invoke.js", target: "src/invoke/invoke.ts" },
      { from: "src/notify/email-alert.ts", specifier: "../operations/events.js", target: "src/operations/events.ts" },
      { from: "src/common/errors.ts", specifier: "../model/errors.gen.js", target: "src/model/errors.gen.ts" },
      { from: "src/app.ts", specifier: "./store/sqlite/sqlite-driver.js", target: "src/store/sqlite/sqlite-driver.ts" },
      { from: "src/store/sqlite/sqlite-driver.ts", specifier: "../sql/driver.js", target: "src/store/sql/driver.ts" },
      { from: "src/store/sql/sql-store.ts", specifier: "../../common/arn.js", target: "src/common/arn.ts" },
      { from: "src/model/index.ts", specifier: "./types.js", target: "src/model/types.ts" },
    ];
    assert.deepEqual(violations(ok), []);
  });
});

describe("src/ layering", () => {
  const files = tsFiles(SRC);
  const edges = files.flatMap(edgesOf);

  test("the scan sees the source tree", () => {
    const paths = files.map((f) => posix(relative(ROOT, f)));
    for (const expected of [
      "src/app.ts",
      "src/model/index.ts",
      "src/protocol/front.ts",
      "src/operations/users/rules.ts",
      "src/store/store.ts",
    ]) {
      assert.ok(paths.includes(expected), `${expected} not scanned`);
    }
    // Known edges, so a broken scanner cannot pass by finding nothing.
    assert.ok(edges.some((e) => e.from === "src/app.ts" && e.target === "src/store/sqlite/sqlite-driver.ts"));
    assert.ok(edges.some((e) => e.from === "src/operations/users/rules.ts" && e.target === "src/common/text.ts"));
    assert.ok(edges.some((e) => e.from === "src/model/index.ts" && e.target === "src/model/types.ts"));
  });

  test("every relative import resolves to a file in the tree", () => {
    const known = new Set(files.map((f) => posix(relative(ROOT, f))));
    const dangling = edges.filter((e) => e.target !== undefined && !known.has(e.target)).map((e) => `${e.from} imports "${e.specifier}"`);
    assert.deepEqual(dangling, []);
  });

  test("no import breaks the one-way flow http → protocol → invoke → operations → store", () => {
    assert.deepEqual(violations(edges), []);
  });

  test("every folder and file directly under src/ has a place", () => {
    const places = new Set(LAYERS.map((l) => l.place));
    const missing = readdirSync(SRC)
      .map((name) => `src/${name}`)
      .filter((p) => !places.has(p));
    assert.deepEqual(missing, []);
  });

  test("README's \"How it is built\" names every place, in the layers' order", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## How it is built"));
    let at = -1;
    for (const { place } of LAYERS) {
      const name = place.slice("src/".length);
      const i = section.search(new RegExp(`^\\s*${name.replace(".", "\\.")}/?\\s`, "m"));
      assert.ok(i >= 0, `README's "How it is built" does not name ${name}`);
      assert.ok(i > at, `README's "How it is built" names ${name} out of the layers' order`);
      at = i;
    }
  });
});
