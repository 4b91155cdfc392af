// Bundles the command line into dist/bundle/ (run by `npm run build` after tsc): main.js and the
// chunks it loads on demand (one per tool, so `serve` loads none of them). Cold start matters
// here (issue 11: ≤ 1.5× a bare node:http server), so what `serve` needs from node_modules is in
// the bundle too: commander is bundled (resolving a bare specifier through node_modules and
// parsing a CommonJS package for its exports cost more than running it), and so is
// better-sqlite3's JavaScript (its native addon stays where npm built it, found by
// src/store/sqlite/sqlite-driver.ts; bundled, the ~13 files of its lib/ cost no module
// resolution, and no translation from CommonJS: about 5 ms of a cold start, Dec 2026). Left
// outside: what only some commands or flags load (pg, nodemailer, the AWS SDK, yaml, ajv), so
// they stay the installed copies npm resolved.
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");

const BUNDLE_EXTERNAL = ["pg", "nodemailer", "@aws-sdk/*", "yaml", "ajv", "ajv/*"];

await build({
  absWorkingDir: root,
  entryPoints: ["src/cli/main.ts"],
  bundle: true,
  splitting: true,
  platform: "node",
  format: "esm",
  target: "node20",
  external: BUNDLE_EXTERNAL,
  // Whitespace only: V8 scans every byte of what `serve` loads before it runs (about 5 % of the
  // instructions Switchboard adds to a cold start). Names stay, so stack traces still name functions.
  minifyWhitespace: true,
  // A bundled CommonJS package (commander) calls require() for node's own modules; an ES module
  // has no require of its own, so each chunk gets one.
  banner: {
    js: "import { createRequire as __switchboardRequire } from 'node:module'; const require = __switchboardRequire(import.meta.url);",
  },
  outdir: join(root, "dist/bundle"),
  logLevel: "warning",
});

// Node looks for the package.json nearest to each module it loads to learn that `.js` means an ES
// module; one right here ends that walk up the tree at the first step, for every chunk (about
// 12M of the instructions to a first answer, callgrind). Nothing but the module type in it.
writeFileSync(join(root, "dist/bundle/package.json"), `${JSON.stringify({ type: "module" })}\n`);
