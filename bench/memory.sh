#!/usr/bin/env bash
# Peak memory (max RSS) of `./trailquery query` over a small and a large generated data set,
# alternating runs; prints medians and the ratio. Usage: scripts/bench memory [--small-mb 100]
# [--large-mb 1000] [--runs 3] [--threads N] [--query Q]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
small=100 large=1000 runs=3 threads=2 query='stats count(*) by eventSource, eventName'
while [ $# -gt 0 ]; do
  case $1 in
    --small-mb) small=$2; shift 2 ;;
    --large-mb) large=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --query) query=$2; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
CP="$ROOT/bench/target/classes:$(cat "$ROOT/bench/target/classpath.txt")"
dir_for() { # MB of JSON -> generated directory (1.3 KB per event, ~21.7 events per file)
  local events=$(( $1 * 1000000 / 1306 )) files=$(( $1 * 1000000 / 1306 * 10 / 217 ))
  "$JAVA_HOME/bin/java" -Dtrailquery.home="$ROOT" -cp "$CP" dev.trailquery.bench.Bench \
    --events "$events" --files "$files" --generate-only >&2
  echo "$ROOT/bench/target/data/e$events-f$files-s42"
}
S=$(dir_for "$small"); L=$(dir_for "$large")
declare -a rs rl
for ((i = 0; i < runs; i++)); do
  rs+=("$(/usr/bin/time -f %M "$ROOT/trailquery" query --threads "$threads" --format json "$query" "$S" 2>&1 >/dev/null | tail -1)")
  rl+=("$(/usr/bin/time -f %M "$ROOT/trailquery" query --threads "$threads" --format json "$query" "$L" 2>&1 >/dev/null | tail -1)")
done
med() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ms=$(med "${rs[@]}"); ml=$(med "${rl[@]}")
echo "query: $query (threads $threads, runs $runs)"
echo "max RSS ${small} MB JSON: ${ms} KB   (runs: ${rs[*]})"
echo "max RSS ${large} MB JSON: ${ml} KB   (runs: ${rl[*]})"
awk -v a="$ms" -v b="$ml" 'BEGIN {printf "large/small: %.2f\n", b / a}'
