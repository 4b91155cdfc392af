// Long-running commands (access-report, snapshot export/import, import-users) show one progress
// line on a terminal — redrawn with \r, erased at the end — and stay quiet when stderr is piped.
// The terminal is a real pseudo-terminal: util-linux `script` runs the CLI with stderr on a pty,
// stdout redirected to a file, so the test sees exactly what a person at a terminal would.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { type SeedDocument, type Switchboard, startSwitchboard } from "../../src/index.js";
import { isolatedAwsEnv } from "../helpers/aws-env.js";
import { CLI, runCli } from "../helpers/process.js";

const dir = mkdtempSync(join(tmpdir(), "sb-progress-"));
const data = join(dir, "data");
const INSTANCE = "7a7a7a7a-1111-4222-8333-444444444444";
const SEED: SeedDocument = {
  instances: [
    {
      alias: "progress",
      id: INSTANCE,
      users: Array.from({ length: 30 }, (_, i) => ({ username: `user${i}`, securityProfiles: [i === 0 ? "Admin" : "Agent"] })),
    },
  ],
  iam: {
    principals: ["hr-sync", "auditor", "helpdesk"].map((name) => ({
      name,
      policies: { P: { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "connect:*", Resource: "*" }] } },
    })),
  },
};
// The SDK warns on stderr that Node 20 support ends in 2027; that line is not ours.
const ENV = { ...isolatedAwsEnv(), AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" } as Record<string, string>;

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The CLI with stderr on a pseudo-terminal and stdout into `stdoutFile`; resolves with what the terminal showed. */
function onTerminal(args: string[], stdoutFile: string): Promise<{ code: number; terminal: string }> {
  const command = `${[process.execPath, CLI, ...args].map(quote).join(" ")} > ${quote(stdoutFile)}`;
  return new Promise((resolve, reject) => {
    execFile("script", ["-qec", command, "/dev/null"], { env: { ...process.env, ...ENV }, timeout: 60_000 }, (err, stdout) => {
      const code = err ? Number((err as { code?: unknown }).code) : 0;
      if (err && !Number.isInteger(code)) reject(err);
      else resolve({ code, terminal: stdout });
    });
  });
}

/** The frames drawn: every \r-started piece of the terminal's text, control sequences removed. */
const frames = (terminal: string) =>
  terminal
    .split("\r")
    .map((f) => f.replaceAll("\x1b[K", "").trim())
    .filter((f) => f !== "");

let seeded: Switchboard;
before(async () => {
  seeded = await startSwitchboard({ store: { dataDir: data }, seed: SEED });
  await seeded.stop();
});
after(() => rmSync(dir, { recursive: true, force: true }));

test("access-report: a progress line on a terminal, erased at the end; the report itself unchanged", async () => {
  const out = join(dir, "report.txt");
  const tty = await onTerminal(["access-report", "--data", data], out);
  assert.equal(tty.code, 0, tty.terminal);
  const shown = frames(tty.terminal);
  assert.ok(
    shown.some((f) => /^access report: 30 users read/.test(f)),
    `users read: ${JSON.stringify(shown)}`,
  );
  assert.ok(
    shown.some((f) => /^access report: \[#{24}\] 3\/3 principals evaluated/.test(f)),
    JSON.stringify(shown),
  );
  assert.ok(tty.terminal.endsWith("\r\x1b[K"), "the line is erased when the report is done");
  const piped = await runCli(["access-report", "--data", data], ENV);
  assert.equal(piped.code, 0);
  assert.equal(readFileSync(out, "utf8"), piped.output, "piped: the report and nothing else");
  assert.doesNotMatch(piped.output, /\r|principals evaluated/);
  assert.match(piped.output, /^FLAGGED \(4\): root, auditor, helpdesk, hr-sync$/m);
});

test("snapshot export and import: progress on a terminal, the same bytes as a piped run", async () => {
  const out = join(dir, "state.json");
  const tty = await onTerminal(["snapshot", "export", "--data", data], out);
  assert.equal(tty.code, 0, tty.terminal);
  const shown = frames(tty.terminal);
  assert.ok(
    shown.some((f) => /^snapshot export: \[#{24}\] 1\/1 instances read {2}\d+\.\d s$/.test(f)),
    JSON.stringify(shown),
  );
  assert.ok(
    shown.some((f) => /^snapshot export: \[#{24}\] 3\/3 IAM principals read/.test(f)),
    JSON.stringify(shown),
  );
  const piped = await runCli(["snapshot", "export", "--data", data], ENV);
  assert.equal(piped.code, 0);
  assert.equal(readFileSync(out, "utf8"), piped.output, "stdout is the snapshot alone, byte for byte");

  const target = join(dir, "imported");
  const imported = await onTerminal(["snapshot", "import", out, "--data", target], join(dir, "import.out"));
  assert.equal(imported.code, 0, imported.terminal);
  const importFrames = frames(imported.terminal);
  assert.ok(
    importFrames.some((f) => /^snapshot import: \[#{24}\] 1\/1 instances written/.test(f)),
    JSON.stringify(importFrames),
  );
  assert.ok(
    importFrames.some((f) => /^imported 1 instances, 30 users, 3 IAM principals/.test(f)),
    "the summary stays on screen",
  );
  const again = await runCli(["snapshot", "import", out, "--data", join(dir, "imported-piped")], ENV);
  assert.equal(again.code, 0);
  assert.match(again.output, /^imported 1 instances, 30 users, 3 IAM principals, 0 audit events\n$/, "piped: the summary only");
  const reexport = await runCli(["snapshot", "export", "--data", target], ENV);
  assert.equal(reexport.output, piped.output);
});

test("import-users: the counts on a terminal; piped, only the failed rows", async () => {
  const sb = await startSwitchboard();
  try {
    const header =
      "first name,last name,email address,password,user login,routing profile name,security_profile_name_1|security_profile_name_2,phone type (soft/desk),phone number,soft phone auto accept (yes/no),ACW timeout (seconds)";
    const rows = [
      ...Array.from({ length: 5 }, (_, i) => `F${i},L${i},u${i}@example.com,Passw0rd1,u${i},Basic Routing Profile,Agent,soft,,no,0`),
      "Bad,Profile,bp@example.com,Passw0rd1,badprofile,Basic Routing Profile,NoSuchProfile,soft,,no,0",
    ];
    const csv = join(dir, "users.csv");
    writeFileSync(csv, `${header}\n${rows.join("\n")}\n`);
    const { CreateInstanceCommand, ConnectClient } = await import("@aws-sdk/client-connect");
    const c = new ConnectClient({ endpoint: sb.endpoint, region: sb.region, credentials: sb.credentials });
    const inst = await c.send(
      new CreateInstanceCommand({
        IdentityManagementType: "CONNECT_MANAGED",
        InstanceAlias: "imp",
        InboundCallsEnabled: true,
        OutboundCallsEnabled: true,
      }),
    );
    c.destroy();
    const env = { AWS_ACCESS_KEY_ID: sb.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: sb.credentials.secretAccessKey };
    const args = ["import-users", csv, "--instance", inst.Id ?? "", "--endpoint-url", sb.endpoint, "--dry-run"];
    const tty = await new Promise<{ terminal: string }>((resolve, reject) => {
      const command = `${[process.execPath, CLI, ...args].map(quote).join(" ")} > ${quote(join(dir, "import-users.out"))}`;
      execFile("script", ["-qec", command, "/dev/null"], { env: { ...process.env, ...ENV, ...env }, timeout: 60_000 }, (err, stdout) =>
        err && !Number.isInteger(Number((err as { code?: unknown }).code)) ? reject(err) : resolve({ terminal: stdout }),
      );
    });
    const shown = frames(tty.terminal);
    assert.ok(
      shown.some((f) => /^import-users \(dry run\): \[#{24}\] 6\/6 rows \(5 created, 0 updated, 0 unchanged, 1 failed\)/.test(f)),
      JSON.stringify(shown),
    );
    assert.doesNotMatch(tty.terminal, /line \d+ /, "on a terminal the failed row is in the counts and the result file");
    const piped = await runCli(args, { ...ENV, ...env });
    assert.equal(piped.code, 1);
    const lines = piped.output.trimEnd().split("\n");
    assert.equal(lines.length, 2, piped.output);
    assert.match(lines[0] ?? "", /^line 7 badprofile: failed: .*NoSuchProfile/);
    assert.match(lines[1] ?? "", /^dry run: 6 rows in .* 5 to create, 0 to update, 0 unchanged, 1 failed/);
  } finally {
    await sb.stop();
  }
});
