// The architecture's one-way data flow, checked mechanically:
//   http → protocol → operations → store;  model is a leaf;  common is shared by all.
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

const CONCRETE_STORES = ["src/store/sqlite", "src/store/postgres", "src/store/sql"];
/** The composition root and the process entry: the only places that pick a store implementation. */
const MAY_IMPORT_CONCRETE_STORES = new Set(["src/app.ts"]);
/**
 * Operations may use these protocol modules, and only these. src/protocol/validate.ts is a pure
 * helper (codePointLength: lengths in Unicode scalar values, as Smithy counts them) that the
 * identity rules reuse so both layers count the same way.
 */
const OPERATIONS_MAY_IMPORT_FROM_PROTOCOL = new Set(["src/protocol/validate.ts"]);
const OPERATIONS_FORBIDDEN_PACKAGES = new Set(["better-sqlite3", "pg", "node:http", "http", "node:https", "https"]);

const packageName = (spec: string) =>
  spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.startsWith("node:") ? spec : (spec.split("/")[0] ?? spec);

/** Every rule each edge breaks, as readable lines. */
function violations(edges: readonly Edge[]): string[] {
  const out: string[] = [];
  const flag = (e: Edge, rule: string) => out.push(`${e.from} imports "${e.specifier}"${e.target ? ` (${e.target})` : ""}: ${rule}`);
  for (const e of edges) {
    const t = e.target;
    if (under(e.from, "src/model")) {
      if (t === undefined) flag(e, "src/model is a leaf: no packages");
      else if (!under(t, "src/model")) flag(e, "src/model is a leaf: it imports nothing outside src/model");
    }
    if (under(e.from, "src/store")) {
      for (const layer of ["src/protocol", "src/operations", "src/http", "src/model"]) {
        if (under(t, layer)) flag(e, `src/store must not import ${layer}`);
      }
    }
    if (under(e.from, "src/operations")) {
      if (under(t, "src/http")) flag(e, "src/operations must not import src/http");
      if (under(t, "src/protocol") && !OPERATIONS_MAY_IMPORT_FROM_PROTOCOL.has(t as string)) {
        flag(e, "src/operations must not import src/protocol (only the listed pure helpers)");
      }
      if (t === undefined && OPERATIONS_FORBIDDEN_PACKAGES.has(packageName(e.specifier))) {
        flag(e, "src/operations never touches HTTP or a database driver");
      }
    }
    if (under(e.from, "src/protocol")) {
      if (under(t, "src/http")) flag(e, "src/protocol must not import src/http");
      if (t === undefined && (packageName(e.specifier) === "better-sqlite3" || packageName(e.specifier) === "pg")) {
        flag(e, "src/protocol must not import a database driver");
      }
    }
    if (under(e.from, "src/common")) {
      // common is shared by every layer, so it may depend on none of them.
      for (const layer of ["src/http", "src/protocol", "src/operations", "src/store", "src/model"]) {
        if (under(t, layer)) flag(e, `src/common is shared and must not import ${layer}`);
      }
    }
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
      { from: "src/store/store.ts", specifier: "../model/types.js", target: "src/model/types.ts" },
      { from: "src/operations/users/x.ts", specifier: "../../protocol/pipeline.js", target: "src/protocol/pipeline.ts" },
      { from: "src/operations/users/x.ts", specifier: "../../http/server.js", target: "src/http/server.ts" },
      { from: "src/operations/users/x.ts", specifier: "better-sqlite3" },
      { from: "src/operations/users/x.ts", specifier: "pg" },
      { from: "src/operations/users/x.ts", specifier: "node:http" },
      { from: "src/operations/users/x.ts", specifier: "../../store/sqlite/sqlite-driver.js", target: "src/store/sqlite/sqlite-driver.ts" },
      { from: "src/protocol/x.ts", specifier: "../http/server.js", target: "src/http/server.ts" },
      { from: "src/protocol/x.ts", specifier: "../store/sql/sql-store.js", target: "src/store/sql/sql-store.ts" },
      { from: "src/protocol/x.ts", specifier: "../store/postgres/pg-driver.js", target: "src/store/postgres/pg-driver.ts" },
      { from: "src/http/server.ts", specifier: "../store/sqlite/sqlite-driver.js", target: "src/store/sqlite/sqlite-driver.ts" },
      { from: "src/common/x.ts", specifier: "../operations/types.js", target: "src/operations/types.ts" },
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
      { from: "src/operations/users/rules.ts", specifier: "../../protocol/validate.js", target: "src/protocol/validate.ts" },
      { from: "src/operations/types.ts", specifier: "../store/store.js", target: "src/store/store.ts" },
      { from: "src/protocol/pipeline.ts", specifier: "../store/store.js", target: "src/store/store.ts" },
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
      "src/protocol/pipeline.ts",
      "src/operations/users/rules.ts",
      "src/store/store.ts",
    ]) {
      assert.ok(paths.includes(expected), `${expected} not scanned`);
    }
    // Known edges, so a broken scanner cannot pass by finding nothing.
    assert.ok(edges.some((e) => e.from === "src/app.ts" && e.target === "src/store/sqlite/sqlite-driver.ts"));
    assert.ok(edges.some((e) => e.from === "src/operations/users/rules.ts" && e.target === "src/protocol/validate.ts"));
    assert.ok(edges.some((e) => e.from === "src/model/index.ts" && e.target === "src/model/types.ts"));
  });

  test("every relative import resolves to a file in the tree", () => {
    const known = new Set(files.map((f) => posix(relative(ROOT, f))));
    const dangling = edges.filter((e) => e.target !== undefined && !known.has(e.target)).map((e) => `${e.from} imports "${e.specifier}"`);
    assert.deepEqual(dangling, []);
  });

  test("no import breaks the one-way flow http → protocol → operations → store", () => {
    assert.deepEqual(violations(edges), []);
  });
});
