#!/usr/bin/env bash
# Benchmark, not a test: `tandem import mdbook` and then `tandem build` of the imported site, for
# the fixture book and for a synthetic book shaped like the interactive Rust Book (~120
# chapters, ~680 includes, ~90 quizzes). Median of 5 runs each, beside `cp -r` of the book (the
# floor of reading it and writing a copy).
#
#   benches/import.sh
set -euo pipefail
cd "$(dirname "$0")/.."
work=${BENCH_DIR:-/tmp/tandem-import-bench}
cargo build --release -q
tandem=$PWD/target/release/tandem
mkdir -p "$work"
synthetic=$work/synthetic-book
[ -d "$synthetic" ] || python3 benches/gen_mdbook.py "$synthetic" >/dev/null

# run CMD... → seconds of one run
seconds() {
  local start end
  start=$(date +%s.%N); "$@" >/dev/null 2>&1; end=$(date +%s.%N)
  echo "$end - $start" | bc
}
median() { sort -n | awk '{a[NR]=$0} END {print a[int((NR+1)/2)]}'; }

printf "%-10s %12s %12s %12s\n" book "cp -r (ms)" "import (ms)" "build (ms)"
for book in tests/fixtures/mdbook/book "$synthetic"; do
  : > "$work/cp.txt"; : > "$work/import.txt"; : > "$work/build.txt"
  for i in 1 2 3 4 5; do
    rm -rf "$work/copy" "$work/site"; sync
    seconds cp -r "$book" "$work/copy" >> "$work/cp.txt"
    sync
    # The fixture's import exits 0; a synthetic book's too (every include resolves).
    seconds "$tandem" import mdbook "$book" "$work/site" >> "$work/import.txt"
    sync
    seconds "$tandem" build --root "$work/site" >> "$work/build.txt"
  done
  ms() { median < "$1" | awk '{printf "%.0f", $1 * 1000}'; }
  printf "%-10s %12s %12s %12s\n" "$(basename "$(dirname "$book")")/$(basename "$book")" \
    "$(ms "$work/cp.txt")" "$(ms "$work/import.txt")" "$(ms "$work/build.txt")"
done
rm -rf "$work/copy" "$work/site"
