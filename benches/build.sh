#!/usr/bin/env bash
# Benchmark, not a test: clean builds of the shared corpus at 1,000 and 10,000 pages, tandem beside
# Hugo in the same run (median of 3 each). Prints wall time, pages per second, CPU (user + system),
# peak memory and the bytes of output written (the sum of the output files' sizes, of the last
# run), with the search index's share apart.
#
#   benches/build.sh [SIZES...]        default: 1000 10000
#
# TANDEM_BINS="before=/path/to/old after=target/release/tandem" runs each of those binaries
# instead of this tree's release build (interleaved with Hugo, so a before/after comparison
# shares one run). Needs ../shared/bench/gen_corpus.py, and installs hugo and GNU time from Debian
# when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ $# -gt 0 ] || sizes=(1000 10000)
gen=../shared/bench/gen_corpus.py
work=${BENCH_DIR:-/tmp/tandem-bench}
mkdir -p "$work"
missing=()
command -v hugo >/dev/null || missing+=(hugo)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
declare -A bin
tools=()
if [ -n "${TANDEM_BINS:-}" ]; then
  for pair in $TANDEM_BINS; do
    name=${pair%%=*}
    bin[$name]=$(realpath "${pair#*=}")
    tools+=("$name")
  done
else
  cargo build --release -q
  bin[tandem]=$PWD/target/release/tandem
  tools=(tandem)
fi
tools+=(hugo)

# run CMD... → "seconds peak_kb user_s sys_s" of one run
measure() {
  /usr/bin/time -f "%e %M %U %S" -o "$work/time.txt" "$@" >/dev/null 2>"$work/stderr.txt" || { cat "$work/stderr.txt"; exit 1; }
  cat "$work/time.txt"
}
median() { sort -n | awk '{a[NR]=$0} END {print a[int((NR+1)/2)]}'; }

rm -rf "$work"/out-*
trap 'rm -rf "$work"/out-*' EXIT
# The output folder's files, in bytes (their sizes; folders not counted).
output_bytes() { find "$1" -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}'; }

printf "%-8s %-8s %10s %10s %14s %10s %12s %12s\n" pages tool "wall (s)" "pages/s" "CPU u+s (s)" "peak (MB)" \
  "output (MB)" "of it search"
for n in "${sizes[@]}"; do
  corpus=$work/corpus-$n
  [ -d "$corpus/neutral" ] || python3 "$gen" "$n" "$corpus" --layouts neutral,hugo --sections 20 --seed 1 >/dev/null
  for tool in "${tools[@]}"; do : > "$work/runs-$tool.txt"; done
  # Runs alternate between the tools, so that whatever the machine and its disk are doing then
  # (other work, write-back, ext4 scanning for recently freed inodes after a delete) falls on all.
  for i in 1 2 3; do
    for tool in "${tools[@]}"; do
      # A fresh output folder each run, removed only at the end.
      out="$work/out-$n-$tool-$i-$$"
      sync # start each run with no other run's writes still being flushed
      if [ "$tool" = hugo ]; then
        measure hugo --source "$corpus/hugo" --quiet --destination "$out" >> "$work/runs-$tool.txt"
      else
        measure "${bin[$tool]}" build --root "$corpus/neutral" --output "$out" >> "$work/runs-$tool.txt"
      fi
      echo "$(output_bytes "$out") $( [ -d "$out/search" ] && output_bytes "$out/search" || echo 0)" > "$work/bytes-$tool.txt"
    done
  done
  for tool in "${tools[@]}"; do
    wall=$(cut -d' ' -f1 "$work/runs-$tool.txt" | median)
    peak=$(cut -d' ' -f2 "$work/runs-$tool.txt" | median)
    cpu=$(awk '{print $3 + $4}' "$work/runs-$tool.txt" | median)
    read -r bytes search < "$work/bytes-$tool.txt"
    printf "%-8s %-8s %10.2f %10.0f %14.2f %10.0f %12.1f %12.1f\n" "$n" "$tool" "$wall" "$(echo "$n / $wall" | bc -l)" \
      "$cpu" "$(echo "$peak / 1024" | bc -l)" "$(echo "$bytes / 1000000" | bc -l)" "$(echo "$search / 1000000" | bc -l)"
  done
done
