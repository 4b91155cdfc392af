// `--faults FILE`: the fault rules in force from start-up, checked completely before the server
// listens; any problem stops the start (exit 2) with one line per problem naming the file.
import { readFileSync } from "node:fs";
import { ConfigError } from "../../common/errors.js";
import type { Faults } from "./faults.js";
import { FaultRuleError } from "./rules.js";

export function loadFaultsFile(faults: Faults, file: string): number {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new ConfigError(`faults file ${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? "error"})`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`faults file ${file}: not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  try {
    return faults.replace(doc).length;
  } catch (err) {
    if (err instanceof FaultRuleError) throw new ConfigError(err.problems.map((p) => `faults file ${file}: ${p}`).join("\n"));
    throw err;
  }
}
