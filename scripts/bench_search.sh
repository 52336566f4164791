#!/usr/bin/env bash
# Benchmark, not a test: what full-text search costs on the shared 10,000-page corpus, beside
# Pagefind run on the same output.
#
#   scripts/bench_search.sh BEFORE_BIN [RUNS]
#
# BEFORE_BIN is a release tandem built from the commit before the search index (for the build
# time before/after); RUNS clean builds of each (default 3) run interleaved, since these machines
# are shared and noisy: compare medians and ratios, not single runs. Then: the index's size on
# disk, Pagefind 1.6.0 indexing the same output (npm's `pagefind`, installed in /tmp/pf, outside
# the repo: it is a peer to measure, never a dependency of the site), and the bytes a browser
# fetches per query for both (scripts/bench_search.mjs, Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
before=${1:?usage: scripts/bench_search.sh BEFORE_BIN [RUNS]}
runs=${2:-3}
pages=${PAGES:-10000}
work=${BENCH_DIR:-/tmp/tandem-bench}
corpus=$work/corpus-$pages
mkdir -p "$work"
[ -d "$corpus/neutral" ] || python3 ../shared/bench/gen_corpus.py "$pages" "$corpus" --layouts neutral --sections 20 --seed 1 >/dev/null
[ -x /usr/bin/time ] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; }
pagefind=/tmp/pf/node_modules/.bin/pagefind
[ -x "$pagefind" ] || (mkdir -p /tmp/pf && cd /tmp/pf && npm install --no-audit --no-fund --silent pagefind@1.6.0)
cargo build --release -q
after=$PWD/target/release/tandem

median() { sort -n | awk '{a[NR]=$0} END {print a[int((NR+1)/2)]}'; }
rm -rf "$work"/search-out-*
: > "$work/runs-before.txt"; : > "$work/runs-after.txt"
for i in $(seq "$runs"); do
  for tool in before after; do
    bin=$before; [ $tool = after ] && bin=$after
    out=$work/search-out-$tool-$i
    sync
    /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" "$bin" build --root "$corpus/neutral" --output "$out" >/dev/null
    cat "$work/time.txt" >> "$work/runs-$tool.txt"
    [ "$i" = "$runs" ] || rm -rf "$out"
  done
done
echo "clean build of $pages pages, median of $runs (wall s, CPU s = user + sys, peak MB):"
for tool in before after; do
  wall=$(awk '{print $1}' "$work/runs-$tool.txt" | median)
  cpu=$(awk '{print $2 + $3}' "$work/runs-$tool.txt" | median)
  peak=$(awk '{print int($4 / 1024)}' "$work/runs-$tool.txt" | median)
  echo "  $tool: wall $wall  cpu $cpu  peak $peak"
done
out=$work/search-out-after-$runs
echo "tandem index: $(du -sb "$out/search" | cut -f1) bytes in $(find "$out/search" -type f | wc -l) files" \
  "($(du -sb "$out/search/s" | cut -f1) in shards, $(du -sb "$out/search/f" | cut -f1) in fragments)"
/usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" "$pagefind" --site "$out" --output-subdir pagefind --silent
read -r wall user sys peak < "$work/time.txt"
echo "Pagefind: wall $wall s, cpu $(echo "$user + $sys" | bc) s, peak $((peak / 1024)) MB;" \
  "index $(du -sb "$out/pagefind" | cut -f1) bytes in $(find "$out/pagefind" -type f | wc -l) files"
node scripts/bench_search.mjs "$out" before related xylophone
rm -rf "$work"/search-out-*
