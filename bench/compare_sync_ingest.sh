#!/bin/bash
# Runs two builds of onecard_sync_ingest_bench alternately on the same machine, so that both see the
# same conditions (docs/performance.md compares commits this way). With PRELOAD_BASE set (a library
# path, e.g. /usr/lib/x86_64-linux-gnu/libjemalloc.so.2) each round also runs the base build with it
# preloaded. Prints each run's figures after a header naming the build, the time and the load.
#
#   bench/compare_sync_ingest.sh BASE_BENCH NOW_BENCH [ROUNDS] [-- BENCH ARGS...]
set -euo pipefail
if [[ $# -lt 2 ]]; then
  echo "usage: $0 BASE_BENCH NOW_BENCH [ROUNDS] [-- BENCH ARGS...]" >&2
  exit 2
fi
base=$1 now=$2
shift 2
rounds=3
if [[ $# -gt 0 && $1 != -- ]]; then rounds=$1; shift; fi
[[ $# -gt 0 && $1 == -- ]] && shift
args=("$@")
[[ ${#args[@]} -eq 0 ]] && args=(--terminals 8 --events 25000 --idle 0)

header() { echo "=== round $1 $2 $(date -u +%H:%M:%S) load $(cut -d' ' -f1 /proc/loadavg)"; }
for round in $(seq 1 "$rounds"); do
  header "$round" base
  "$base" "${args[@]}" 2>&1 | tail -5
  if [[ -n ${PRELOAD_BASE:-} ]]; then
    header "$round" "base+preload"
    LD_PRELOAD=$PRELOAD_BASE "$base" "${args[@]}" 2>&1 | tail -5
  fi
  header "$round" now
  "$now" "${args[@]}" 2>&1 | tail -5
done
