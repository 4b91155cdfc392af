// The service record is checked by the compiler against the model, and every declared operation
// is in it. Compile-time checks are shown failing on purpose: small programs with one mistake
// each are type-checked by tsc, which must refuse each at the marked line, naming the mistake.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";
import { OPERATIONS } from "../../src/model/operations.gen.js";
import { CONNECT_OPERATIONS } from "../../src/operations/connect-service.js";
import type { ServedOperation } from "../../src/operations/declare.js";
import { NOT_SERVED } from "../../src/operations/not-served.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Each program imports the real modules and makes one mistake on the line marked `// ← …`. */
const PROGRAMS: Record<string, { source: string; error: RegExp }> = {
  "misspelt-key": {
    source: `
import type { ConnectRecord } from "../../src/operations/declare.js";
import { describeUser } from "../../src/operations/users/describe-user.js";
export const R = { DescribeUsr: describeUser } as const satisfies ConnectRecord; // ← misspelt
`,
    error: /DescribeUsr/,
  },
  "declaration-under-another-name": {
    source: `
import type { ConnectRecord } from "../../src/operations/declare.js";
import { describeUser } from "../../src/operations/users/describe-user.js";
export const R = { DeleteUser: describeUser } as const satisfies ConnectRecord; // ← wrong key
`,
    error: /"DescribeUser".*"DeleteUser"|DeleteUser/,
  },
  "operation-neither-served-nor-listed": {
    source: `
import type { ConnectDeclaration, EveryOperationDecided } from "../../src/operations/declare.js";
import type { ServedConnectOperation } from "../../src/operations/connect-service.js";
import { NOT_SERVED } from "../../src/operations/not-served.js";
declare const R: { [N in ServedConnectOperation]: ConnectDeclaration<N> };
type NS = Exclude<(typeof NOT_SERVED)[number], "ListBots">;
export const decided: EveryOperationDecided<typeof R, NS> = true; // ← ListBots undecided
`,
    error: /neitherServedNorListed[\s\S]*ListBots/,
  },
  "operation-served-and-listed": {
    source: `
import type { EveryOperationDecided, ConnectDeclaration } from "../../src/operations/declare.js";
import type { ServedConnectOperation } from "../../src/operations/connect-service.js";
import { NOT_SERVED } from "../../src/operations/not-served.js";
type Served = ServedConnectOperation | "ListBots";
declare const R: { [N in Served]: ConnectDeclaration<N> };
export const decided: EveryOperationDecided<typeof R, (typeof NOT_SERVED)[number]> = true; // ← ListBots twice
`,
    error: /servedAndListedAsNotServed[\s\S]*ListBots/,
  },
  "iam-member-the-input-lacks": {
    source: `
import { operation } from "../../src/operations/declare.js";
import { onChild } from "../../src/operations/iam-targets.js";
export const op = operation("DescribeUser", {
  iam: onChild("agent", "UserIdd"), // ← no such member
  mutates: false,
  handle: async () => ({}),
});
`,
    error: /UserIdd/,
  },
  "user-target-on-an-instance-operation": {
    source: `
import { operation } from "../../src/operations/declare.js";
import { onUser } from "../../src/operations/iam-targets.js";
export const op = operation("DescribeInstance", {
  iam: onUser(), // ← DescribeInstance has no UserId
  mutates: false,
  handle: async () => ({}),
});
`,
    error: /UserId/,
  },
  "output-of-the-wrong-shape": {
    source: `
import { operation } from "../../src/operations/declare.js";
import { onUser } from "../../src/operations/iam-targets.js";
export const op = operation("DescribeUser", {
  iam: onUser(),
  mutates: false,
  handle: async () => ({ User: { LastModifiedTime: 1714564800 } }), // ← a number where the model has a timestamp
});
`,
    error: /LastModifiedTime|Date/,
  },
  "no-iam-decision": {
    source: `
import { operation } from "../../src/operations/declare.js";
export const op = operation("DescribeUser", { mutates: false, handle: async () => ({}) }); // ← no iam
`,
    error: /iam/,
  },
};

describe("the service record, checked by the compiler", () => {
  test("each deliberate mistake fails tsc at its line, naming it", () => {
    const dir = join(ROOT, "test", `.typecheck-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    try {
      const files = Object.entries(PROGRAMS).map(([name, p]) => {
        const file = join(dir, `${name}.ts`);
        writeFileSync(file, p.source);
        return file;
      });
      let output = "";
      try {
        execFileSync(
          process.execPath,
          [
            join(ROOT, "node_modules/typescript/bin/tsc"),
            "--noEmit",
            "--strict",
            "--noUncheckedIndexedAccess",
            "--target",
            "ES2022",
            "--module",
            "NodeNext",
            "--moduleResolution",
            "NodeNext",
            "--skipLibCheck",
            "--types",
            "node",
            ...files,
          ],
          { cwd: ROOT, encoding: "utf8", stdio: "pipe" },
        );
      } catch (err) {
        output = String((err as { stdout?: string }).stdout ?? "");
      }
      assert.ok(output.length > 0, "tsc accepted every program");
      for (const [name, p] of Object.entries(PROGRAMS)) {
        const rel = relative(ROOT, join(dir, `${name}.ts`));
        const markedLine = p.source.split("\n").findIndex((l) => l.includes("// ←")) + 1;
        const errors = output.split(/\r?\n(?=\S)/).filter((e) => e.startsWith(rel));
        assert.ok(errors.length > 0, `${name}: tsc accepted it\n${output}`);
        assert.ok(
          errors.some((e) => e.startsWith(`${rel}(${markedLine},`) || p.error.test(e)),
          `${name}: no error at line ${markedLine}\n${errors.join("\n")}`,
        );
        assert.ok(
          errors.some((e) => p.error.test(e)),
          `${name}: the error does not name the mistake (${p.error})\n${errors.join("\n")}`,
        );
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the service record at run time", () => {
  test("every model operation is served or listed as not served, exactly once", () => {
    const served = Object.keys(CONNECT_OPERATIONS);
    const listed = [...NOT_SERVED] as string[];
    assert.deepEqual([...served, ...listed].sort(), Object.keys(OPERATIONS).sort());
    assert.equal(new Set([...served, ...listed]).size, served.length + listed.length);
  });

  test("every operation declared in src/operations is in a service record", async () => {
    const dir = join(ROOT, "src", "operations");
    const declared: string[] = [];
    const walk = (d: string): string[] =>
      readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
    for (const file of walk(dir).filter((f) => f.endsWith(".ts"))) {
      const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
      for (const v of Object.values(mod)) {
        if (v && typeof v === "object" && "handle" in v && "mutates" in v && "iam" in v && "name" in v && !("action" in v)) {
          declared.push(String((v as { name: string }).name));
        }
      }
    }
    assert.ok(declared.includes("UpdateUserIdentityInfo"), "the scan found no declarations");
    const records = new Set([...Object.keys(CONNECT_OPERATIONS), "LookupEvents"]);
    assert.deepEqual(
      declared.filter((n) => !records.has(n)),
      [],
    );
  });

  test("every served operation declares its IAM action(s) and whether it mutates", () => {
    for (const op of Object.values(CONNECT_OPERATIONS) as ServedOperation[]) {
      assert.ok(op.iam.length > 0, `${op.name} has no IAM target`);
      for (const { action } of op.iam) assert.match(action, /^connect:[A-Z][A-Za-z]+$/, op.name);
      assert.equal(typeof op.mutates, "boolean");
    }
  });
});
