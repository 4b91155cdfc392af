// README's configuration table is SERVE_FLAGS (src/config.ts) rendered: one definition for the
// parser, the variables, the embedding API's options and the documentation.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { withTable } from "../../scripts/config-table.js";
import { configFrom, loadConfig, SERVE_FLAGS } from "../../src/config.js";

test("README's configuration table equals the one generated from SERVE_FLAGS (npm run config-table)", () => {
  const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
  assert.equal(readme, withTable(readme), "README.md's table is stale: run `npm run config-table`");
});

test("every row's variable is honoured and every flag parses", () => {
  for (const [name, def] of Object.entries(SERVE_FLAGS)) {
    assert.match(def.env, /^SWITCHBOARD_[A-Z_]+$/, name);
    if (!("flag" in def)) {
      const argv = def.type === "boolean" ? [`--${name}`] : [`--${name}`, "default" in def ? def.default : "x"];
      if (name === "database") argv[1] = "postgres://h/db";
      assert.doesNotThrow(() => loadConfig(argv, {}), name);
    }
  }
});

test("embedding options (camelCased names, typed values) build the same configuration as flags", () => {
  const flags = loadConfig(["--memory", "--port", "0", "--db-pool-size", "4", "--auth", "off", "--throttle", "aws"], {});
  const options = configFrom({ memory: true, port: 0, dbPoolSize: 4, auth: "off", throttle: "aws" }, {});
  assert.deepEqual(options, flags);
  assert.throws(() => configFrom({ prot: 1 }, {}), /unknown setting 'prot'/);
  assert.throws(() => configFrom({ memory: "yes" }, {}), /memory must be a boolean/);
});
