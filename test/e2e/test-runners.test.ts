// README's "In your tests" examples, run as written under the runners they are for — Node's test
// runner, Jest (ES modules behind --experimental-vm-modules) and Vitest — in a scratch project
// that depends on this checkout the way `npm install ../switchboard` does (a symlink in
// node_modules), with README's seed file as its test/seed.yaml. Each example's second test passes
// only if reset() undid the first one's change, so a broken reset fails here too.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { PYTHON } from "../helpers/python-clients.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const MODULES = join(ROOT, "node_modules");

interface Example {
  name: string;
  path: string;
  code: string;
}

/** `<!-- example: NAME PATH … -->` followed by a fenced block: README's runnable examples. */
function readmeExamples(): Map<string, Example> {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const found = new Map<string, Example>();
  for (const m of readme.matchAll(/<!-- example: (\S+) (\S+)[^\n]*-->\n```\w*\n([\s\S]*?)\n```/g)) {
    const [, name, path, code] = m as unknown as [string, string, string, string];
    found.set(name, { name, path, code: `${code}\n` });
  }
  return found;
}

function run(args: string[], cwd: string, env: Record<string, string> = {}): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    // NODE_TEST_CONTEXT tells a child `node --test` it runs under this runner (it then skips its files).
    const { NODE_TEST_CONTEXT: _, ...inherited } = process.env;
    const child = spawn(process.execPath, args, {
      cwd,
      env: { ...inherited, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", NO_COLOR: "1", CI: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => {
      output += d.toString();
    });
    child.stderr.on("data", (d) => {
      output += d.toString();
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

const examples = readmeExamples();
const scratch = mkdtempSync(join(tmpdir(), "sb-runners-"));

/** A project of its own per runner: package.json, node_modules links, the seed and the example. */
function project(example: string, ...more: string[]): string {
  const dir = join(scratch, example);
  mkdirSync(join(dir, "node_modules", "@aws-sdk"), { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: `example-${example}`, private: true, type: "module" }));
  symlinkSync(ROOT, join(dir, "node_modules", "switchboard"), "dir");
  symlinkSync(join(MODULES, "@aws-sdk", "client-connect"), join(dir, "node_modules", "@aws-sdk", "client-connect"), "dir");
  symlinkSync(join(MODULES, "vitest"), join(dir, "node_modules", "vitest"), "dir");
  // What npm links for the package's "bin" (`npx --no switchboard` finds it there).
  mkdirSync(join(dir, "node_modules", ".bin"));
  symlinkSync(join(ROOT, "dist", "bundle", "main.js"), join(dir, "node_modules", ".bin", "switchboard"));
  const files = ["seed", example, ...more].map((name) => {
    const found = examples.get(name);
    assert.ok(found, `README has the ${name} example`);
    return found;
  });
  for (const file of files) {
    mkdirSync(dirname(join(dir, file.path)), { recursive: true });
    writeFileSync(join(dir, file.path), file.code);
  }
  return dir;
}

before(() => {
  assert.deepEqual([...examples.keys()].sort(), ["jest", "node-test", "pytest-conftest", "pytest-test", "seed", "vitest"]);
});
after(() => rmSync(scratch, { recursive: true, force: true }));

test("README's node:test example passes under node --test", async () => {
  const dir = project("node-test");
  const r = await run(["--test", "--test-reporter=tap", examples.get("node-test")?.path ?? ""], dir);
  assert.equal(r.code, 0, r.output);
  assert.match(r.output, /^# pass 2$/m, r.output);
  assert.match(r.output, /^# fail 0$/m);
});

test("README's Jest example passes under Jest", async () => {
  const dir = project("jest");
  const r = await run([join(MODULES, "jest", "bin", "jest.js"), "--ci", "--rootDir", dir], dir, {
    NODE_OPTIONS: "--experimental-vm-modules",
  });
  assert.equal(r.code, 0, r.output);
  assert.match(r.output, /Tests:\s+2 passed, 2 total/, r.output);
});

test("README's Vitest example passes under Vitest", async () => {
  const dir = project("vitest");
  const r = await run([join(MODULES, "vitest", "vitest.mjs"), "run", "--root", dir], dir);
  assert.equal(r.code, 0, r.output);
  assert.match(r.output, /Tests\s+2 passed \(2\)/, r.output);
});

test("README's pytest fixture passes under pytest (/usr/bin/python3, boto3) and leaves no server behind", async () => {
  const dir = project("pytest-conftest", "pytest-test");
  const r = await new Promise<{ code: number | null; output: string }>((resolve) => {
    const { NODE_TEST_CONTEXT: _, ...inherited } = process.env;
    const child = spawn(PYTHON, ["-m", "pytest", "-q", "-p", "no:cacheprovider"], {
      cwd: dir,
      // The bin's `#!/usr/bin/env node`: this Node first on PATH, as in a project's shell.
      env: { ...inherited, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ""}`, AWS_CONFIG_FILE: "/dev/null" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => {
      output += d.toString();
    });
    child.stderr.on("data", (d) => {
      output += d.toString();
    });
    child.on("exit", (code) => resolve({ code, output }));
  });
  assert.equal(r.code, 0, r.output);
  assert.match(r.output, /\b1 passed\b/, r.output);
  // proc.terminate() reached the server itself: nothing of this project's still runs.
  await new Promise((res) => setTimeout(res, 500));
  const { execFileSync } = await import("node:child_process");
  const left = execFileSync("ps", ["-eo", "args"], { encoding: "utf8" })
    .split("\n")
    .filter((l) => l.includes(join(dir, "node_modules")) || (l.includes("switchboard serve") && l.includes("test/seed.yaml")));
  assert.deepEqual(left, []);
});
