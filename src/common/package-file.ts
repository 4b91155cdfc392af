// Files shipped with the package (package.json, schema/…), found from any build: src/ (tsx),
// dist/src/ (tsc) or dist/bundle/ (esbuild), by walking up to the package's own package.json.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

let root: URL | undefined;

function packageRoot(): URL {
  if (root) return root;
  for (let dir = new URL("./", import.meta.url); ; dir = new URL("../", dir)) {
    const pkg = new URL("package.json", dir);
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, "utf8")) as { name?: string }).name === "switchboard") {
      root = dir;
      return dir;
    }
    if (fileURLToPath(dir) === "/") throw new Error("switchboard's package.json not found above this module");
  }
}

/** The text of a file of the package, by its path from the package root (e.g. "schema/seed.schema.json"). */
export const packageFileText = (path: string): string => readFileSync(new URL(path, packageRoot()), "utf8");
