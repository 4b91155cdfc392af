// Builds the web console into dist/console/ (run by `npm run build` after tsc): one ES module
// bundling the AWS SDK for JavaScript v3 for the browser (Connect, CloudTrail, the SigV4 signer)
// and the console's pages, one stylesheet, both named by content hash (served immutable), and
// index.html pointing at them. Prints the sizes.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const out = join(root, "dist/console");
mkdirSync(out, { recursive: true });

const result = await build({
  absWorkingDir: root,
  entryPoints: { app: "console/src/main.ts", style: "console/style.css" },
  bundle: true,
  minify: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  entryNames: "[name]-[hash]",
  outdir: out,
  metafile: true,
  logLevel: "warning",
  legalComments: "linked",
});
const outputs = Object.keys(result.metafile.outputs).map((p) => basename(p));
const js = outputs.find((n) => n.startsWith("app-") && n.endsWith(".js"));
const css = outputs.find((n) => n.startsWith("style-") && n.endsWith(".css"));
if (!js || !css) throw new Error(`console build: outputs missing (${outputs.join(", ")})`);
const html = readFileSync(join(root, "console/index.html"), "utf8").replace("STYLE_CSS", css).replace("MAIN_JS", js);
writeFileSync(join(out, "index.html"), html);
const size = (name: string) => {
  const bytes = readFileSync(join(out, name));
  return `${name} ${(bytes.length / 1024).toFixed(0)} KiB (${(gzipSync(bytes).length / 1024).toFixed(0)} KiB gzip)`;
};
process.stdout.write(`console: ${size(js)}, ${size(css)}\n`);
