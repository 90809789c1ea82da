#!/usr/bin/env bash
# Start-up: wall time of `./trailquery check` (the launcher, whole process) and of the JVM alone,
# alternating; prints medians. Usage: scripts/bench startup [--runs 20]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
runs=20
[ "${1:-}" = --runs ] && runs=$2
Q='filter eventName = "ConsoleLogin" | stats count(*) by sourceIPAddress'
JAR="$ROOT/cli/target/trailquery.jar" JSA="$ROOT/cli/target/trailquery.jsa"
"$ROOT/trailquery" check "$Q" >/dev/null 2>&1 # builds, writes the CDS archive
t() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
declare -a a b c
for ((i = 0; i < runs; i++)); do
  a+=("$(t "$ROOT/trailquery" check "$Q")")
  b+=("$(t "$JAVA_HOME/bin/java" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:SharedArchiveFile="$JSA" -Xlog:cds=off -jar "$JAR" check "$Q")")
  c+=("$(t "$JAVA_HOME/bin/java" -XX:+UseSerialGC -Xshare:off -jar "$JAR" check "$Q")")
done
med() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "./trailquery check (launcher + JVM, CDS):   median $(med "${a[@]}") ms"
echo "java -jar check (CDS archive, C1 only):     median $(med "${b[@]}") ms"
echo "java -jar check (no class-data sharing):    median $(med "${c[@]}") ms"
