#!/usr/bin/env bash
# Benchmark, not a test: `tandem serve --watch` memory on a site, for one or more tandem binaries
# one after the other: the first build's CPU (user + system, from /proc), the server's RSS once
# it has settled (30 s after `built`: a full build's files are deflated after they are served)
# and its peak RSS. Compare RSS with the size of the output (benches/build.sh prints it).
#
#   scripts/bench_serve_memory.sh SITE_ROOT BIN [BIN...]
set -euo pipefail
root=$1
shift
port=18750
for bin in "$@"; do
  port=$((port + 1))
  log=$(mktemp)
  "$bin" serve --watch --port "$port" --root "$root" >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 1200); do grep -q '^built' "$log" && break; sleep 0.5; done
  sleep "${SETTLE_SECONDS:-30}"
  read -r utime stime < <(awk '{print $14, $15}' "/proc/$pid/stat")
  tck=$(getconf CLK_TCK)
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
  hwm=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status")
  printf '%s: %s | CPU user %.2f s, sys %.2f s | RSS %d MB, peak %d MB\n' "$bin" "$(grep '^built' "$log")" \
    "$(echo "$utime / $tck" | bc -l)" "$(echo "$stime / $tck" | bc -l)" $((rss / 1024)) $((hwm / 1024))
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  rm -f "$log"
done
