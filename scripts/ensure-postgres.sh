#!/usr/bin/env bash
# The PostgreSQL tests use this machine's server at 127.0.0.1:5432 (trust auth, database `test`).
# Start it when it is installed but not answering.
set -euo pipefail
if pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then exit 0; fi
if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do
    pg_isready -h 127.0.0.1 -p 5432 -q && exit 0
    sleep 1
  done
fi
echo "ensure-postgres: PostgreSQL is not answering on 127.0.0.1:5432" >&2
exit 1
