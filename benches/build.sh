#!/usr/bin/env bash
# Benchmark, not a test: clean builds of the shared corpus at 1,000 and 10,000 pages, tandem beside
# Hugo in the same run (median of 3 each, or of ROUNDS). Prints wall time, pages per second, CPU
# (user + system), peak memory and the bytes of output written (the sum of the output files'
# sizes, of the last run), with the search index's share apart; then SPEC §5's floor (`cat` of the Markdown plus
# `cp -r` of tandem's output, measured in the same rounds) and each tandem's ratios to Hugo and to
# the floor.
#
#   benches/build.sh [SIZES...]        default: 1000 10000
#
# BENCH_OUT=DIR writes the outputs there instead of under BENCH_DIR. It matters on a file system
# without a journal (this project's machines' root file system is one): there ext4 skips every
# inode freed in the last minutes when it allocates one (`recently_deleted` in perf), so after a
# big delete, creating the output's 20,000 files and folders costs several times the system time,
# for every tool alike, and varies from run to run. A fresh file system with a journal gives the
# figures a user's disk gives:
#   truncate -s 16G /work/bench-fs.img && mkfs.ext4 -q /work/bench-fs.img
#   mkdir -p /mnt/bench && mount -o loop /work/bench-fs.img /mnt/bench && BENCH_OUT=/mnt/bench benches/build.sh
#
# TANDEM_BINS="before=/path/to/old after=target/release/tandem" runs each of those binaries
# instead of this tree's release build (interleaved with Hugo, so a before/after comparison
# shares one run). Needs ../shared/bench/gen_corpus.py, and installs hugo and GNU time from Debian
# when missing.
#
# ROUNDS=N runs N interleaved rounds instead of 3 (medians of N). On these machines one tandem's
# runs differ by up to 40% within a run, and all of them are slower in a run that has Hugo's
# (1.6 GB touched and freed each time) between them than in one without, so five or more rounds
# give steadier medians (odd N: with even N the lower middle one is taken), and only ratios
# within one run compare.
#
# SEARCH_SHARE=1 also runs each tandem, as the tool NAME-off, on a copy of the corpus with
# `[search] enabled = false` (hard links but for its site.toml), in the same rounds, and prints
# the search index's share of the build: (with − without) / without, of the medians.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
rounds=${ROUNDS:-3}
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "benches/build.sh: ROUNDS must be a whole number of rounds, 1 or more (got '$rounds')" >&2; exit 1; }
[ $# -gt 0 ] || sizes=(1000 10000)
gen=../shared/bench/gen_corpus.py
work=${BENCH_DIR:-/tmp/tandem-bench}
outs=${BENCH_OUT:-$work}
mkdir -p "$work" "$outs"
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
declare -A site
for tool in "${tools[@]}"; do site[$tool]=neutral; done
offs=()
if [ -n "${SEARCH_SHARE:-}" ]; then
  for tool in "${tools[@]}"; do
    bin[$tool-off]=${bin[$tool]}
    site[$tool-off]=neutral-nosearch
    offs+=("$tool-off")
  done
  tools+=("${offs[@]}")
fi
tools+=(hugo)

# run CMD... → "seconds peak_kb user_s sys_s" of one run
measure() {
  /usr/bin/time -f "%e %M %U %S" -o "$work/time.txt" "$@" >/dev/null 2>"$work/stderr.txt" || { cat "$work/stderr.txt"; exit 1; }
  cat "$work/time.txt"
}
median() { sort -n | awk '{a[NR]=$0} END {print a[int((NR+1)/2)]}'; }

rm -rf "$outs"/out-*
trap 'rm -rf "$outs"/out-*' EXIT
# The output folder's files, in bytes (their sizes; folders not counted).
output_bytes() { find "$1" -type f -printf '%s\n' | awk '{s += $1} END {print s + 0}'; }

printf "%-8s %-8s %10s %10s %14s %10s %12s %12s\n" pages tool "wall (s)" "pages/s" "CPU u+s (s)" "peak (MB)" \
  "output (MB)" "of it search"
for n in "${sizes[@]}"; do
  corpus=$work/corpus-$n
  [ -d "$corpus/neutral" ] || python3 "$gen" "$n" "$corpus" --layouts neutral,hugo --sections 20 --seed 1 >/dev/null
  if [ ${#offs[@]} -gt 0 ] && [ ! -d "$corpus/neutral-nosearch" ]; then
    rm -rf "$corpus/neutral-nosearch.tmp"
    cp -al "$corpus/neutral" "$corpus/neutral-nosearch.tmp"
    rm "$corpus/neutral-nosearch.tmp/site.toml"
    { cat "$corpus/neutral/site.toml"; printf '\n[search]\nenabled = false\n'; } > "$corpus/neutral-nosearch.tmp/site.toml"
    mv "$corpus/neutral-nosearch.tmp" "$corpus/neutral-nosearch"
  fi
  for tool in "${tools[@]}" cat cp; do : > "$work/runs-$tool.txt"; done
  # Runs alternate between the tools, so that whatever the machine and its disk are doing then
  # (other work, write-back, ext4 scanning for recently freed inodes after a delete) falls on all.
  for i in $(seq "$rounds"); do
    for tool in "${tools[@]}"; do
      # A fresh output folder each run, removed only at the end.
      out="$outs/out-$n-$tool-$i-$$"
      sync # start each run with no other run's writes still being flushed
      if [ "$tool" = hugo ]; then
        measure hugo --source "$corpus/hugo" --quiet --destination "$out" >> "$work/runs-$tool.txt"
      else
        measure "${bin[$tool]}" build --root "$corpus/${site[$tool]}" --output "$out" >> "$work/runs-$tool.txt"
      fi
      echo "$(output_bytes "$out") $( [ -d "$out/search" ] && output_bytes "$out/search" || echo 0)" > "$work/bytes-$tool.txt"
    done
    # The floor, in the same round: reading the sources, and writing the first tandem's output.
    sync
    measure find "$corpus/neutral/content" -name '*.md' -exec cat {} + >> "$work/runs-cat.txt"
    sync
    measure cp -r "$outs/out-$n-${tools[0]}-$i-$$" "$outs/out-$n-cp-$i-$$" >> "$work/runs-cp.txt"
  done
  for tool in "${tools[@]}"; do
    wall=$(cut -d' ' -f1 "$work/runs-$tool.txt" | median)
    peak=$(cut -d' ' -f2 "$work/runs-$tool.txt" | median)
    cpu=$(awk '{print $3 + $4}' "$work/runs-$tool.txt" | median)
    read -r bytes search < "$work/bytes-$tool.txt"
    printf "%-8s %-8s %10.2f %10.0f %14.2f %10.0f %12.1f %12.1f\n" "$n" "$tool" "$wall" "$(echo "$n / $wall" | bc -l)" \
      "$cpu" "$(echo "$peak / 1024" | bc -l)" "$(echo "$bytes / 1000000" | bc -l)" "$(echo "$search / 1000000" | bc -l)"
  done
  floor=$(paste -d' ' "$work/runs-cat.txt" "$work/runs-cp.txt" | awk '{print $1 + $5}' | median)
  printf "%-8s %-8s %10.2f   (per round cat + cp -r, median; cat of the Markdown %.2f s, cp -r of %s's output %.2f s)\n" "$n" floor \
    "$floor" "$(cut -d' ' -f1 "$work/runs-cat.txt" | median)" "${tools[0]}" "$(cut -d' ' -f1 "$work/runs-cp.txt" | median)"
  hugo_wall=$(cut -d' ' -f1 "$work/runs-hugo.txt" | median)
  hugo_peak=$(cut -d' ' -f2 "$work/runs-hugo.txt" | median)
  for tool in "${tools[@]}"; do
    [ "$tool" = hugo ] && continue
    wall=$(cut -d' ' -f1 "$work/runs-$tool.txt" | median)
    peak=$(cut -d' ' -f2 "$work/runs-$tool.txt" | median)
    printf "%-8s %-8s wall %.3f× Hugo's (SPEC: ≤ 0.12×), peak %.3f× Hugo's (≤ 0.15×), wall %.2f× the floor (≤ 4×)\n" \
      "$n" "$tool" "$(echo "$wall / $hugo_wall" | bc -l)" "$(echo "$peak / $hugo_peak" | bc -l)" "$(echo "$wall / $floor" | bc -l)"
  done
  for off in "${offs[@]}"; do
    on=${off%-off}
    share() { # column of runs-*.txt (awk expression) → (on − off) / off of the medians, in %
      local with without
      with=$(awk "{print $1}" "$work/runs-$on.txt" | median)
      without=$(awk "{print $1}" "$work/runs-$off.txt" | median)
      echo "($with - $without) * 100 / $without" | bc -l
    }
    printf "%-8s %-8s search index's share (with − without, of without): wall %+.1f%%, user %+.1f%%, CPU u+s %+.1f%% (SPEC: ≤ 10%% of the time)\n" \
      "$n" "$on" "$(share '$1')" "$(share '$3')" "$(share '$3 + $4')"
  done
done
