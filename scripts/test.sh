#!/usr/bin/env bash
# The whole suite: what `npm test` runs, on a fresh machine, nothing to install by hand.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-test-deps.sh

npm run build                       # tsc to dist/, and the runtime bundle the e2e tests spawn (dist/bundle/main.js)
npx tsc -p tsconfig.test.json       # type-check the tests and tools too
npx tsc -p tsconfig.console.json    # and the console (browser code)
npx biome check src scripts test bench console

bash scripts/ensure-postgres.sh

shopt -s nullglob
files=(test/unit/*.test.ts test/store-contract/*.test.ts test/e2e/*.test.ts test/e2e-postgres/*.test.ts)
# test/e2e-postgres/ reruns the HTTP suite (SDK v3, boto3, CLI, hand-made requests) against a
# PostgreSQL-backed server; one runner for both passes, so its closing totals cover everything.
exec node --import tsx --test --test-reporter=spec "${files[@]}"
