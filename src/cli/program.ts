// The command line's grammar, every command and subcommand, parsed by commander: --help/-h on
// each, --version, the nearest flag suggested for an unknown one. Implementations are loaded on
// demand, so `serve` starts without loading the tools. Exit codes: 0 ok, 1 failure, 2 usage.
import { Command, Option } from "commander";
import { addServeFlags, type CommandLine, camel, configFrom, type OwnOptions, serveValues } from "../config.js";
import { packageVersion } from "./version.js";

const STORE_NOTE = "The store is selected as for `serve` (--data DIR | --memory | --database URL, or their variables).";

/** Adds a command's own options (parseArgs-shaped rows) to a commander command. */
function addOwn(cmd: Command, own: OwnOptions): Command {
  for (const [name, o] of Object.entries(own)) {
    const flags = `${o.short ? `-${o.short}, ` : ""}--${name}${o.type === "string" ? ` <${o.arg ?? "VALUE"}>` : ""}`;
    const opt = new Option(flags, o.doc ?? "");
    if (o.multiple) opt.argParser((v: string, prev: string[] | undefined) => [...(prev ?? []), v]);
    cmd.addOption(opt);
  }
  return cmd;
}

/** The CommandLine a tool receives: the configuration, its own options by flag name, its operands. */
function commandLine(cmd: Command, own: OwnOptions): CommandLine {
  const opts = cmd.opts();
  const values: CommandLine["values"] = {};
  for (const name of Object.keys(own)) values[name] = opts[camel(name)] as CommandLine["values"][string];
  return { config: configFrom(serveValues(opts), process.env), values, positionals: [...cmd.args] };
}

interface ToolSpec {
  name: string;
  summary: string;
  /** commander argument syntax, e.g. "<NAME> <POLICY_NAME>" */
  args?: string;
  own?: OwnOptions;
  after?: string;
  run: (cl: CommandLine) => Promise<void>;
}

function tool(parent: Command, spec: ToolSpec): Command {
  const cmd = parent.command(spec.name).description(spec.summary);
  if (spec.args) cmd.arguments(spec.args);
  const own = spec.own ?? {};
  addOwn(cmd, own);
  addServeFlags(cmd, "storage");
  cmd.addHelpText("after", `\n${spec.after ? `${spec.after}\n` : ""}${STORE_NOTE}`);
  cmd.action(async (...params: unknown[]) => spec.run(commandLine(params[params.length - 1] as Command, own)));
  return cmd;
}

const JSON_OPT = { json: { type: "boolean", doc: "print JSON" } } as const;
const ACCOUNT_OPT = { account: { type: "string", arg: "ID", doc: "account (default SWITCHBOARD_ACCOUNT_ID, 000000000000)" } } as const;

const iamImpl = async () => (await import("./iam.js")).iam;

/** The iam subcommands: name, operands, own options, summary. */
const IAM_SUBCOMMANDS: readonly { name: string; args?: string; own?: OwnOptions; summary: string }[] = [
  {
    name: "create-user",
    args: "<NAME>",
    own: { tag: { type: "string", multiple: true, arg: "KEY=VALUE", doc: "a tag (repeatable)" } },
    summary: "add a principal (arn:aws:iam::<account>:user/NAME)",
  },
  { name: "delete-user", args: "<NAME>", summary: "remove it with its access keys and policies" },
  { name: "list-users", own: JSON_OPT, summary: "list the principals" },
  { name: "get-user", args: "<NAME>", own: JSON_OPT, summary: "tags, access key ids, policy names (never secrets)" },
  { name: "create-access-key", args: "<NAME>", summary: "new key; prints its id and secret ONCE, as JSON" },
  { name: "delete-access-key", args: "<ACCESS_KEY_ID>", summary: "remove an access key" },
  {
    name: "put-user-policy",
    args: "<NAME> <POLICY_NAME>",
    own: { "policy-document": { type: "string", arg: "JSON|file://PATH|PATH", doc: "the policy (validated first)" } },
    summary: "add or replace an inline policy",
  },
  { name: "delete-user-policy", args: "<NAME> <POLICY_NAME>", summary: "remove an inline policy" },
  { name: "list-user-policies", args: "<NAME>", own: JSON_OPT, summary: "the names of its inline policies" },
];

// API clients (any Connect endpoint, credentials from the SDK's chain): no store flags.
const bulkOwn = {
  instance: { type: "string", arg: "ID", doc: "the instance (required)" },
  "endpoint-url": { type: "string", arg: "URL", doc: "the Connect endpoint (default: the SDK's, i.e. AWS)" },
  region: { type: "string", arg: "R", doc: "region (default: the SDK's chain)" },
} as const satisfies OwnOptions;
const bulk = (cmd: Command, own: OwnOptions, run: (values: CommandLine["values"], args: string[]) => Promise<void>) => {
  addOwn(cmd, own);
  cmd.action(async (...params: unknown[]) => {
    const c = params[params.length - 1] as Command;
    const opts = c.opts();
    const values: CommandLine["values"] = {};
    for (const name of Object.keys(own)) values[name] = opts[camel(name)] as CommandLine["values"][string];
    await run(values, [...c.args]);
  });
};

/** The top-level commands, in the order the help lists them: each adds itself to the program. */
const COMMANDS: Readonly<Record<string, (program: Command) => void>> = {
  serve: (program) => {
    const serveCmd = program.command("serve").description("run the server until SIGTERM/SIGINT");
    addServeFlags(serveCmd);
    serveCmd.addHelpText("after", '\nEach flag can also be set by its environment variable (README.md, "Configuration").');
    serveCmd.action(async (_opts: unknown, cmd: Command) => {
      const config = configFrom(serveValues(cmd.opts()), process.env);
      await (await import("./serve.js")).serve(config);
    });
  },
  iam: (program) => {
    const iam = program.command("iam").description("manage IAM principals, access keys and policies in the server's store");
    iam.addHelpText("after", "\nA running server picks changes up within a second.");
    for (const sub of IAM_SUBCOMMANDS) {
      tool(iam, { ...sub, own: { ...ACCOUNT_OPT, ...(sub.own ?? {}) }, run: async (cl) => (await iamImpl())(sub.name, cl) });
    }
  },
  audit: (program) => {
    const audit = program.command("audit").description("list the audit trail, verify its hash chain");
    tool(audit, {
      name: "list",
      summary: "events newest first (default limit 100)",
      own: {
        since: { type: "string", arg: "TIME", doc: "inclusive; ISO 8601 (no zone = UTC) or epoch seconds" },
        until: { type: "string", arg: "TIME", doc: "exclusive" },
        "event-name": { type: "string", arg: "NAME", doc: "e.g. UpdateUserIdentityInfo" },
        principal: { type: "string", arg: "ARN", doc: "the caller's ARN" },
        "user-id": { type: "string", arg: "ID", doc: "the target user" },
        limit: { type: "string", arg: "N", doc: "at most N events (default 100)" },
        json: { type: "boolean", doc: "one CloudTrail record per line" },
      },
      run: async (cl) => (await import("./audit.js")).auditList(cl),
    });
    tool(audit, {
      name: "verify",
      summary: "check the hash chain: exit 0 when intact, 1 naming the first broken event",
      run: async (cl) => (await import("./audit.js")).auditVerify(cl),
    });
  },
  outbox: (program) => {
    const outbox = program.command("outbox").description("list notification messages and their delivery");
    tool(outbox, {
      name: "list",
      summary: "messages oldest first: status, attempts, last error (bodies never printed)",
      own: {
        status: { type: "string", arg: "pending|sent|failed", doc: "only messages in this state" },
        json: { type: "boolean", doc: "a JSON array" },
        "show-recipients": { type: "boolean", doc: "recipients unmasked" },
      },
      run: async (cl) => (await import("./outbox.js")).outboxList(cl),
    });
  },
  snapshot: (program) => {
    const snapshot = program
      .command("snapshot")
      .description("export the store as stable JSON, or import an export (replacing the store's content)");
    tool(snapshot, {
      name: "export",
      summary: "the whole store as one stable JSON document, to stdout",
      own: {
        secrets: { type: "boolean", doc: "include the access keys' secrets (without them an import restores no keys)" },
        audit: { type: "boolean", doc: "include the audit trail (its hash chain re-checked on import)" },
      },
      run: async (cl) => (await import("./snapshot.js")).snapshotExport(cl),
    });
    tool(snapshot, {
      name: "import",
      args: "[FILE]",
      summary: "replace the store's content with a snapshot (FILE, or stdin)",
      run: async (cl) => (await import("./snapshot.js")).snapshotImport(cl),
    });
  },
  "access-report": (program) => {
    tool(program, {
      name: "access-report",
      summary: "who may change whose identity info; flags access to holders of the Admin security profile",
      own: {
        instance: { type: "string", arg: "ID", doc: "one instance (default: every instance)" },
        region: { type: "string", arg: "R", doc: "default: every region of the account holding instances" },
        ...ACCOUNT_OPT,
        action: { type: "string", arg: "ACTION", doc: "a Connect action on a user (default connect:UpdateUserIdentityInfo)" },
        json: { type: "boolean", doc: "the whole report as JSON (every user listed)" },
      },
      run: async (cl) => (await import("./access-report.js")).accessReportCommand(cl),
    });
  },
  "import-users": (program) => {
    bulk(
      program
        .command("import-users")
        .argument("<FILE>")
        .description("create or update (by user login) the users of Connect's bulk-user CSV template, through the Connect API")
        .addHelpText("after", "\nExit 0 when no row failed, 1 otherwise. Works against a real Connect instance too (2 requests/s quota)."),
      {
        ...bulkOwn,
        "dry-run": { type: "boolean", doc: "validate every row and resolve every name; change nothing" },
        result: { type: "string", arg: "FILE", doc: "the per-row result CSV (default FILE.result.csv)" },
        concurrency: { type: "string", arg: "N", doc: "rows in flight at once (default 4)" },
      },
      async (values, args) => (await import("./import-users.js")).importUsersCommand(values, args),
    );
  },
  "export-users": (program) => {
    bulk(
      program.command("export-users").description("write an instance's users as Connect's bulk-user CSV template, to stdout"),
      bulkOwn,
      async (values, args) => (await import("./import-users.js")).exportUsersCommand(values, args),
    );
  },
};

/**
 * The whole grammar; with `only` (the first word of the command line), when it names a top-level
 * command, just that command: `serve` then starts without building the twenty-odd tools'
 * commands and their options (part of the cold start). What `only` parses, and its help, is the
 * same either way; anything else (help, a typo, no command) gets the whole program.
 */
export function buildProgram(only?: string): Command {
  const program = new Command("switchboard")
    .description("Self-hostable, wire-compatible Amazon Connect user-management API")
    .version(packageVersion(), "-V, --version")
    .helpOption("-h, --help", "show this help")
    .helpCommand("help [command]", "help for a command")
    .showHelpAfterError("(add --help for usage)")
    .exitOverride()
    .addHelpText("after", "\nExit codes: 0 ok, 1 failure, 2 usage (a bad flag, value or argument).");

  const register = only !== undefined && Object.hasOwn(COMMANDS, only) ? [COMMANDS[only] as (p: Command) => void] : Object.values(COMMANDS);
  for (const add of register) add(program);

  // Every command inherits the exit override and output settings given above.
  for (const cmd of allCommands(program)) cmd.exitOverride().showHelpAfterError("(add --help for usage)");
  return program;
}

function allCommands(cmd: Command): Command[] {
  return [cmd, ...cmd.commands.flatMap(allCommands)];
}
