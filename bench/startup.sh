#!/usr/bin/env bash
# Start-up: wall time of `./trailquery check` (the launcher, whole process) with and without its AOT
# cache, and of the JVM alone,
# alternating; then the Lambda handlers' cold initialisation; prints medians.
# Usage: scripts/bench startup [--runs 20]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=20
[ "${1:-}" = --runs ] && runs=$2
Q='filter eventName = "ConsoleLogin" | stats count(*) by sourceIPAddress'
JAR="$ROOT/cli/target/trailquery.jar"
TRAILQUERY_NO_DAEMON=1 "$ROOT/trailquery" check "$Q" >/dev/null 2>&1 # builds, trains the AOT cache
TRAILQUERY_NO_DAEMON=1 TRAILQUERY_NO_AOT=1 "$ROOT/trailquery" check "$Q" >/dev/null 2>&1 # CDS
t() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
"$ROOT/trailquery" check "$Q" >/dev/null 2>&1                      # starts the daemon
declare -a a b c d
for ((i = 0; i < runs; i++)); do
  d+=("$(t "$ROOT/trailquery" check "$Q")")
  a+=("$(t env TRAILQUERY_NO_DAEMON=1 "$ROOT/trailquery" check "$Q")")
  b+=("$(t env TRAILQUERY_NO_DAEMON=1 TRAILQUERY_NO_AOT=1 "$ROOT/trailquery" check "$Q")")
  c+=("$(t "$JAVA_HOME/bin/java" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:off -jar "$JAR" check "$Q")")
done
med() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "./trailquery check (client + warm daemon):          median $(med "${d[@]}") ms"
echo "./trailquery check (NO_DAEMON: JVM, AOT cache):     median $(med "${a[@]}") ms"
echo "./trailquery check (NO_DAEMON, NO_AOT: CDS only):   median $(med "${b[@]}") ms"
echo "java -jar check (no class-data sharing, C1 only):   median $(med "${c[@]}") ms"
# Lambda handlers' cold initialisation: a fresh JVM per run with the functions zip (classes, lib/)
# and the layer (java/lib/) on the class path, as Lambda's Java runtime lays them out; no network.
# Times: JVM start to main, loading the handler class, its constructor, then the SnapStart priming
# (the engine's first-request work on built-in data). Without SnapStart all of it is cold start.
echo "Lambda handlers, cold (median of $runs fresh JVMs, JIT flags as the stack sets them):"
(cd "$ROOT" && mvn -q -B -o -DskipTests -Dformat.skip -pl functions,layers/layer -am package >&2)
FN="$ROOT/bench/target/coldstart"
rm -rf "$FN" && mkdir -p "$FN/fn" "$FN/layer"
(cd "$FN/fn" && unzip -q "$ROOT/functions/target/trailquery-functions.zip")
(cd "$FN/layer" && unzip -q "$ROOT"/layers/layer/target/trailquery-layer*.zip)
LCP="$ROOT/bench/target/classes:$FN/fn:$(ls "$FN"/fn/lib/*.jar "$FN"/layer/java/lib/*.jar | paste -sd:)"
for h in api.ApiHandler fanout.WorkerHandler fanout.CoordinatorHandler ingest.IngestHandler; do
  level=4 # TrailqueryStack.JVM_SCAN; the API: JVM_API
  [ "$h" = api.ApiHandler ] && level=1
  declare -a lines=()
  for ((i = 0; i < runs; i++)); do
    lines+=("$(env AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x \
      TRAILQUERY_QUERIES_TABLE=q TRAILQUERY_TRAIL_BUCKET=b TRAILQUERY_RESULTS_BUCKET=r \
      TRAILQUERY_SUBSCRIPTIONS_TABLE=s TRAILQUERY_RESULTS_TABLE=rt \
      "$JAVA_HOME/bin/java" -XX:+TieredCompilation -XX:TieredStopAtLevel=$level -cp "$LCP" \
      dev.trailquery.bench.ColdStart "dev.trailquery.functions.$h" 2>&1 | tail -1)")
  done
  row="  $(printf '%-22s' "$h")"
  for k in jvm-to-main load construct prime total; do
    row+=" $k $(med $(printf '%s\n' "${lines[@]}" | tr ' ' '\n' | sed -n "s/^$k=//p")) ms"
  done
  echo "$row"
done
