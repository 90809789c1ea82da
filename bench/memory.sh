#!/usr/bin/env bash
# Peak memory of `./trailquery query` over a small and a large generated data set, alternating
# runs: the whole process without the daemon (max RSS), and the daemon's peak RSS; medians, ratios.
# Usage: scripts/bench memory [--small-mb 100] [--large-mb 1000] [--runs 3] [--threads N] [--query Q]
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
declare -a rs rl ds dl cs
peak_of_daemon() { # the daemon's peak RSS (KB), from /proc
  local pid
  pid=$("$ROOT/trailquery" daemon status | sed -n 's/^daemon pid \([0-9]*\).*/\1/p' | head -1)
  sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$pid/status"
}
for ((i = 0; i < runs; i++)); do
  # Without the daemon: the whole process, as before.
  rs+=("$(TRAILQUERY_NO_DAEMON=1 /usr/bin/time -f %M "$ROOT/trailquery" query --threads "$threads" --format json "$query" "$S" 2>&1 >/dev/null | tail -1)")
  rl+=("$(TRAILQUERY_NO_DAEMON=1 /usr/bin/time -f %M "$ROOT/trailquery" query --threads "$threads" --format json "$query" "$L" 2>&1 >/dev/null | tail -1)")
  # The daemon: a fresh one per data set (its first command), then its peak; and the client's.
  "$ROOT/trailquery" daemon stop >/dev/null
  cs+=("$(/usr/bin/time -f %M "$ROOT/trailquery" query --threads "$threads" --format json "$query" "$S" 2>&1 >/dev/null | tail -1)")
  ds+=("$(peak_of_daemon)")
  "$ROOT/trailquery" daemon stop >/dev/null
  "$ROOT/trailquery" query --threads "$threads" --format json "$query" "$L" >/dev/null
  dl+=("$(peak_of_daemon)")
done
# A warm daemon: the small set after the large one, the large again: its peak stays where it was.
"$ROOT/trailquery" query --threads "$threads" --format json "$query" "$S" >/dev/null
"$ROOT/trailquery" query --threads "$threads" --format json "$query" "$L" >/dev/null
warm=$(peak_of_daemon)
med() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ms=$(med "${rs[@]}"); ml=$(med "${rl[@]}"); mds=$(med "${ds[@]}"); mdl=$(med "${dl[@]}")
echo "query: $query (threads $threads, runs $runs, load average $(cut -d' ' -f1-3 /proc/loadavg))"
echo "TRAILQUERY_NO_DAEMON=1, max RSS of the process:"
echo "  ${small} MB JSON: ${ms} KB   (runs: ${rs[*]})"
echo "  ${large} MB JSON: ${ml} KB   (runs: ${rl[*]})"
awk -v a="$ms" -v b="$ml" 'BEGIN {printf "  large/small: %.2f\n", b / a}'
echo "daemon, peak RSS (VmHWM) of a fresh daemon after its first command:"
echo "  ${small} MB JSON: ${mds} KB   (runs: ${ds[*]})"
echo "  ${large} MB JSON: ${mdl} KB   (runs: ${dl[*]})"
awk -v a="$mds" -v b="$mdl" 'BEGIN {printf "  large/small: %.2f\n", b / a}'
echo "  after 2 more commands (small, large): ${warm} KB"
echo "the client (max RSS): $(med "${cs[@]}") KB"
