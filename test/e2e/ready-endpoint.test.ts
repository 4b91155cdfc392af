// `serve --print-endpoint` and `--ready-file PATH`: the endpoint once requests are accepted, for
// fixtures in any language — here a pytest-style fixture through /usr/bin/python3 and boto3.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { isolatedAwsEnv } from "../helpers/aws-env.js";
import { CLI } from "../helpers/process.js";
import { assertClientsInstalled, PYTHON, parseJson, run } from "../helpers/python-clients.js";

const SCRIPT = fileURLToPath(new URL("./python/test_ready_endpoint.py", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "sb-ready-"));
after(() => rmSync(dir, { recursive: true, force: true }));

interface Seen {
  printEndpoint: { endpoint: string; created: string; listed: string[] };
  readyFile: { endpoint: string; first: unknown[]; exit: number; removed: boolean; readyMs: number };
}

test("a pytest-style boto3 fixture: --print-endpoint's first line and --ready-file serve requests at once", async () => {
  assertClientsInstalled();
  const env = { ...isolatedAwsEnv(), SWITCHBOARD_CLI: CLI, PATH: `${join(process.execPath, "..")}:${process.env.PATH ?? ""}` };
  const r = await run(PYTHON, [SCRIPT, join(dir, "endpoint")], env, 60_000);
  assert.equal(r.code, 0, r.stderr);
  const seen = parseJson(r.stdout, "test_ready_endpoint.py") as Seen;
  assert.match(seen.printEndpoint.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.deepEqual(seen.printEndpoint.listed, [seen.printEndpoint.created]);
  assert.match(seen.readyFile.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.deepEqual(seen.readyFile.first, []);
  assert.equal(seen.readyFile.exit, 0, "SIGTERM stops it cleanly");
  assert.equal(seen.readyFile.removed, true, "the ready file is removed at stop");
});
