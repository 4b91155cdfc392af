// The command line behaves like the tools people know: --help/-h on every command and
// subcommand (exit 0), --version, the nearest flag suggested, exit 2 for usage errors.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { runCli } from "../helpers/process.js";

const COMMANDS = [
  [],
  ["serve"],
  ["iam"],
  ...[
    "create-user",
    "delete-user",
    "list-users",
    "get-user",
    "create-access-key",
    "delete-access-key",
    "put-user-policy",
    "delete-user-policy",
    "list-user-policies",
  ].map((s) => ["iam", s]),
  ["audit"],
  ["audit", "list"],
  ["audit", "verify"],
  ["outbox"],
  ["outbox", "list"],
  ["access-report"],
  ["snapshot"],
  ["snapshot", "export"],
  ["snapshot", "import"],
];

test("every command and subcommand answers --help and -h with its usage, exit 0", async () => {
  for (const cmd of COMMANDS) {
    for (const flag of ["--help", "-h"]) {
      const r = await runCli([...cmd, flag]);
      assert.equal(r.code, 0, `${cmd.join(" ")} ${flag}: ${r.output}`);
      assert.match(r.output, new RegExp(`^Usage: switchboard${cmd.map((c) => ` ${c}`).join("")} `), cmd.join(" "));
    }
  }
});

test("--version prints package.json's version", async () => {
  const { version } = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  const r = await runCli(["--version"]);
  assert.equal(r.code, 0);
  assert.equal(r.output, `${version}\n`);
});

test("an unknown flag is a usage error (2) naming the nearest flag", async () => {
  const serve = await runCli(["serve", "--prot", "1"]);
  assert.equal(serve.code, 2);
  assert.match(serve.output, /unknown option '--prot'\n\(Did you mean --port\?\)/);
  const audit = await runCli(["audit", "list", "--evnt-name", "X"]);
  assert.equal(audit.code, 2);
  assert.match(audit.output, /Did you mean --event-name\?/);
  const cmd = await runCli(["serv"]);
  assert.equal(cmd.code, 2);
  assert.match(cmd.output, /unknown command 'serv'\n\(Did you mean serve\?\)/);
  const missing = await runCli(["iam", "get-user", "--memory"]);
  assert.equal(missing.code, 2);
  assert.match(missing.output, /missing required argument 'NAME'/);
  const bare = await runCli(["iam"]);
  assert.equal(bare.code, 2, "a missing subcommand is a usage error");
});
