// Writes README's configuration table from SERVE_FLAGS (src/config.ts), between the
// <!-- config-table --> markers. `npm run config-table`; test/unit/config-table.test.ts fails
// when README and the definition disagree.
import { readFileSync, writeFileSync } from "node:fs";
import { configurationTable } from "../src/config.js";

export const BEGIN = "<!-- config-table: generated from SERVE_FLAGS in src/config.ts by `npm run config-table` -->";
export const END = "<!-- /config-table -->";

export function withTable(readme: string): string {
  const a = readme.indexOf(BEGIN);
  const b = readme.indexOf(END);
  if (a < 0 || b < a) throw new Error("README.md has no config-table markers");
  return `${readme.slice(0, a + BEGIN.length)}\n${configurationTable()}\n${readme.slice(b)}`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const file = new URL("../README.md", import.meta.url);
  writeFileSync(file, withTable(readFileSync(file, "utf8")));
}
