#!/usr/bin/env node
// `switchboard <command> …`: the process entry. The grammar is in program.ts; each command's
// implementation lives in its own module. Exit codes: 0 ok, 1 failure, 2 usage.
import { ConfigError, configFrom, isCommanderError } from "../config.js";
import { plainServeValues } from "./serve-args.js";

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  // The common start, `serve` with plain flags, needs no command-line grammar (cold start).
  const serveValues = plainServeValues(argv);
  if (serveValues) {
    await (await import("./serve.js")).serve(configFrom(serveValues, process.env));
    return;
  }
  // No command: the overview, as `switchboard help` does. Only the command asked for is built.
  const { buildProgram } = await import("./program.js");
  await buildProgram(argv[0]).parseAsync(argv.length === 0 ? ["help"] : argv, { from: "user" });
}

main().catch((err: unknown) => {
  if (isCommanderError(err)) {
    // commander has printed the help, the version or the usage error already; help asked for
    // exits 0, help shown for a missing subcommand (like any usage error) exits 2.
    process.exit(err.exitCode === 0 ? 0 : 2);
  }
  // An invalid seed file or snapshot is invalid input, like a bad flag (seed/document.ts, loaded only with --seed).
  if (err instanceof Error && (err.name === "SeedError" || err.name === "SnapshotError")) {
    process.stderr.write(`switchboard: ${err.message}\n`);
    process.exit(2);
  }
  if (err instanceof ConfigError) {
    process.stderr.write(`switchboard: ${err.message}\n(add --help for usage)\n`);
    process.exit(2);
  }
  process.stderr.write(`switchboard: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
