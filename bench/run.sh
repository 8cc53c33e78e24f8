#!/bin/sh
# Runs the benchmarks (all, or those named: ./bench/run.sh LatencyBenchmark SyncthingBenchmark) and prints the machine, the BENCH
# figures and the total runtime. The full log is kept in app/target/bench-run.log. See docs/benchmarks.md.
set -eu
cd "$(dirname "$0")/../app"
log=target/bench-run.log
mkdir -p target
echo "machine: $(nproc) cores, $(free -m | awk '/^Mem:/ {print $2}') MB RAM, $(java -version 2>&1 | head -1)"
echo "load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
start=$(date +%s)
set -- ${1:+"-Dit.test=$(echo "$*" | tr ' ' ',')"}
status=0
mvn -B -Pbench verify "$@" > "$log" 2>&1 || status=$?
grep -E '^BENCH |Tests run:|FAIL' "$log" || true
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "total: $(( $(date +%s) - start )) s (mvn exit $status; log in app/$log)"
exit $status
