#!/usr/bin/env node
// `switchboard <command> …`: the process entry. Each command lives in its own module.
import { ConfigError } from "../config.js";
import { SERVE_USAGE, serve } from "./serve.js";

type Command = (argv: string[]) => Promise<void>;

/** Commands are loaded on demand, so `serve` starts without loading the tools. */
const COMMANDS: Record<string, () => Promise<Command>> = {
  serve: async () => serve,
  outbox: async () => (await import("./outbox.js")).outbox,
  audit: async () => (await import("./audit.js")).audit,
  iam: async () => (await import("./iam.js")).iam,
  "access-report": async () => (await import("./access-report.js")).accessReportCommand,
  "import-users": async () => (await import("./import-users.js")).importUsersCommand,
  "export-users": async () => (await import("./import-users.js")).exportUsersCommand,
};

const USAGE = `Usage: switchboard <command> [options]

Commands:
  serve            run the server (see below)
  outbox           list notification messages and their delivery ('switchboard outbox help')
  audit            list the audit trail, verify its hash chain ('switchboard audit help')
  iam              manage IAM principals, access keys and policies ('switchboard iam help')
  access-report    who may change whose identity info; flags access to Admin users ('switchboard access-report --help')
  import-users     create or update users from Connect's bulk CSV template ('switchboard import-users --help')
  export-users     write an instance's users as that template

${SERVE_USAGE}`;

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  if (command === undefined || command === "help" || command === "--help" || command === "-h") {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const load = COMMANDS[command];
  if (!load) throw new ConfigError(`unknown command '${command}'`);
  await (await load())(rest);
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`switchboard: ${err.message}\n(run 'switchboard help' for usage)\n`);
    process.exit(2);
  }
  process.stderr.write(`switchboard: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
