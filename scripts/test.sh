#!/usr/bin/env bash
# Runs every test of tandem on a fresh machine: installs what is missing, then Rust, Node and
# browser tests. This is the README's test command; .ci/run runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v node >/dev/null || need_apt+=(nodejs npm)
if [ -f package.json ]; then
  command -v chromium >/dev/null || need_apt+=(chromium)
  command -v java >/dev/null || need_apt+=(default-jre-headless)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "installing: ${need_apt[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
if [ -f package-lock.json ] && ! [ -d node_modules ] ; then
  npm ci --no-audit --no-fund --silent
fi

cargo test --locked
node --test tests/js/
if [ -d tests/browser ]; then
  # Browser tests build sites with the binary cargo test just built.
  TANDEM_BIN="$PWD/target/debug/tandem" node --test --test-concurrency=1 tests/browser/
fi
