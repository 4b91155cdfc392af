// The package's version, read from the package.json above this file (src/cli, dist/src/cli or dist/bundle).
import { readFileSync } from "node:fs";

export function packageVersion(): string {
  for (const up of ["../../package.json", "../../../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), "utf8")) as { name?: string; version?: string };
      if (pkg.name === "switchboard" && pkg.version) return pkg.version;
    } catch {
      // not there: look one level higher
    }
  }
  return "unknown";
}
