// `serve` without commander (src/cli/serve-args.ts): for a plain command line, the same
// configuration commander's parse gives; for anything else, nothing (commander then answers).
import assert from "node:assert/strict";
import { test } from "node:test";
import { plainServeValues } from "../../src/cli/serve-args.js";
import { configFrom, type FlagDef, loadConfig, SERVE_FLAGS } from "../../src/config.js";

const ENV = { SWITCHBOARD_PORT: "4700", SWITCHBOARD_LOG_LEVEL: "warn" };

test("plain serve command lines: the configuration commander gives", () => {
  const lines: string[][] = [
    [],
    ["--port", "0", "--data", "/tmp/sb-x", "--log-level", "info", "--durability", "normal"],
    ["--port=0", "--memory", "--print-endpoint", "--auth", "off", "--throttle", "aws"],
    ["--host", "0.0.0.0", "--port", "1", "--port", "2", "--memory"],
    ["--data", "/tmp/a b", "--ready-file", "/tmp/r"],
  ];
  for (const argv of lines) {
    const values = plainServeValues(["serve", ...argv]);
    assert.ok(values, argv.join(" "));
    assert.deepEqual(configFrom(values, ENV), loadConfig(argv, ENV), argv.join(" "));
  }
});

test("every serve flag is read as commander reads it", () => {
  for (const [name, def] of Object.entries(SERVE_FLAGS) as [string, FlagDef][]) {
    if (def.flag === false) continue;
    const argv = def.type === "boolean" ? [`--${name}`] : [`--${name}`, def.default ?? "x"];
    const values = plainServeValues(["serve", ...argv]);
    assert.ok(values, name);
    let viaCommander: unknown;
    let fast: unknown;
    try {
      viaCommander = loadConfig(argv, {});
    } catch (err) {
      viaCommander = (err as Error).message;
    }
    try {
      fast = configFrom(values, {});
    } catch (err) {
      fast = (err as Error).message;
    }
    assert.deepEqual(fast, viaCommander, name);
  }
});

test("anything but a plain serve command line is left to commander", () => {
  for (const argv of [
    [],
    ["help"],
    ["iam", "list-users"],
    ["serve", "--help"],
    ["serve", "-h"],
    ["serve", "--prot", "1"],
    ["serve", "--port"],
    ["serve", "--data", "--port", "1"],
    ["serve", "extra"],
    ["serve", "--", "--port", "1"],
    ["serve", "--print-endpoint=yes"],
    ["serve", "-V"],
  ]) {
    assert.equal(plainServeValues(argv), undefined, argv.join(" "));
  }
});
