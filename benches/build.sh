#!/usr/bin/env bash
# Benchmark, not a test: clean builds of the shared corpus at 1,000 and 10,000 pages, tandem beside
# Hugo in the same run (median of 3 each). Prints wall time, pages per second, peak memory and the
# bytes of output written (the sum of the output files' sizes, of the last run).
#
#   benches/build.sh [SIZES...]        default: 1000 10000
#
# Needs ../shared/bench/gen_corpus.py, and installs hugo and GNU time from Debian when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-1000 10000}")
[ $# -gt 0 ] || sizes=(1000 10000)
gen=../shared/bench/gen_corpus.py
work=${BENCH_DIR:-/tmp/tandem-bench}
missing=()
command -v hugo >/dev/null || missing+=(hugo)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
cargo build --release -q
tandem=$PWD/target/release/tandem

# run CMD... → "seconds peak_kb" of one run
measure() {
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" >/dev/null 2>"$work/stderr.txt" || { cat "$work/stderr.txt"; exit 1; }
  cat "$work/time.txt"
}
median() { sort -n | awk '{a[NR]=$0} END {print a[int((NR+1)/2)]}'; }

rm -rf "$work"/out-*
trap 'rm -rf "$work"/out-*' EXIT
# The output folder's files, in bytes (their sizes; folders not counted).
output_bytes() { find "$1" -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}'; }

printf "%-8s %-7s %10s %12s %10s %12s\n" pages tool "wall (s)" "pages/s" "peak (MB)" "output (MB)"
for n in "${sizes[@]}"; do
  corpus=$work/corpus-$n
  [ -d "$corpus/neutral" ] || python3 "$gen" "$n" "$corpus" --layouts neutral,hugo --sections 20 --seed 1 >/dev/null
  : > "$work/runs-tandem.txt"; : > "$work/runs-hugo.txt"
  # Runs alternate between the tools, so that whatever the machine and its disk are doing then
  # (other work, write-back, ext4 scanning for recently freed inodes after a delete) falls on both.
  for i in 1 2 3; do
    for tool in tandem hugo; do
      # A fresh output folder each run, removed only at the end.
      out="$work/out-$n-$tool-$i-$$"
      sync # start each run with no other run's writes still being flushed
      if [ $tool = tandem ]; then
        measure "$tandem" build --root "$corpus/neutral" --output "$out" >> "$work/runs-$tool.txt"
      else
        measure hugo --source "$corpus/hugo" --quiet --destination "$out" >> "$work/runs-$tool.txt"
      fi
      output_bytes "$out" > "$work/bytes-$tool.txt"
    done
  done
  for tool in tandem hugo; do
    wall=$(cut -d' ' -f1 "$work/runs-$tool.txt" | median)
    peak=$(cut -d' ' -f2 "$work/runs-$tool.txt" | median)
    bytes=$(cat "$work/bytes-$tool.txt")
    printf "%-8s %-7s %10.2f %12.0f %10.0f %12.1f\n" "$n" $tool "$wall" "$(echo "$n / $wall" | bc -l)" \
      "$(echo "$peak / 1024" | bc -l)" "$(echo "$bytes / 1000000" | bc -l)"
  done
done
