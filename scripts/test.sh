#!/usr/bin/env bash
# Runs every test of tandem on a fresh machine: installs what is missing, then Rust, Node and
# browser tests. This is the README's test command; .ci/run runs exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v node >/dev/null || need_apt+=(nodejs npm)
command -v python3 >/dev/null || need_apt+=(python3)
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

# Includes the short fuzzing run, tests/fuzz.rs (TANDEM_FUZZ_SECONDS per target, 12 by default;
# scripts/fuzz.sh runs a long one).
cargo test --locked

# The dev server under 50 concurrent connections while files change (scripts/load_test.py; run it
# without --short for the long version).
TANDEM_BIN="${CARGO_TARGET_DIR:-$PWD/target}/debug/tandem" python3 scripts/load_test.py --short

# Node suites skip a test when a dependency is missing; here everything is installed, so a skip
# means something is broken and fails the run.
node_suite() {
  local log
  log=$(mktemp)
  node --test --test-reporter=tap "$@" | tee "$log"
  local status=${PIPESTATUS[0]}
  if grep -qE '^# skipped [1-9]' "$log"; then
    echo "some tests were skipped:"; grep -E '# SKIP' "$log"; status=1
  fi
  rm -f "$log"
  return "$status"
}
node_suite tests/js/
# Browser tests build sites with the binary cargo test just built.
TANDEM_BIN="${CARGO_TARGET_DIR:-$PWD/target}/debug/tandem" node_suite --test-concurrency=1 tests/browser/
