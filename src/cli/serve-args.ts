// `switchboard serve` with well-formed flags, read without commander: building the program and
// running commander's parser over serve's forty-odd options was a tenth of the cold start (issue
// 11). Only the plain case is taken here — every flag known, each string flag with a value, no
// operands, no help; anything else returns undefined and goes to commander (program.ts), which
// stays the one source of usage errors, suggestions and help. The values are what commander's
// opts() would give: by camelCased flag name, strings as typed, switches true.
import { parseArgs } from "node:util";
import { camel, type FlagDef, type FlagValues, SERVE_FLAGS } from "../config.js";

const OPTIONS = Object.fromEntries(
  (Object.entries(SERVE_FLAGS) as [string, FlagDef][])
    .filter(([, def]) => def.flag !== false)
    .map(([name, def]) => [name, { type: def.type === "boolean" ? ("boolean" as const) : ("string" as const) }]),
);

/** serve's values when argv is `serve` and well-formed flags only; undefined otherwise. */
export function plainServeValues(argv: readonly string[]): FlagValues | undefined {
  if (argv[0] !== "serve") return undefined;
  let values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  try {
    // strict: an unknown flag, a missing or ambiguous value (`--data --port`), an operand all throw
    ({ values } = parseArgs({ args: argv.slice(1), options: OPTIONS, strict: true, allowPositionals: false }));
  } catch {
    return undefined;
  }
  const out: Record<string, string | boolean> = {};
  for (const [name, v] of Object.entries(values)) {
    if (typeof v === "string" || typeof v === "boolean") out[camel(name)] = v;
  }
  return out;
}
