#!/usr/bin/env bash
# Benchmark (not a test): JVM start to ready, and resident memory once idle, of the packaged jar in the prod
# profile against a migrated PostgreSQL 15 and a Redis 7 on this machine (scripts/lib/prod-stack.sh), side by side
# in one run, alternating, median of RUNS each:
#   baseline  `java -jar quarkus-run.jar`, the JVM's defaults, no AOT cache (how the jar started before issue 11)
#   service   `java @src/main/docker/jvm.options -XX:AOTCache=app.aot -jar quarkus-run.jar` (how the image starts it)
# "Ready" is the first 200 from /q/health/ready as a client polling every 10 ms sees it; "idle RSS" is the
# process's resident set IDLE_SECONDS after that.
#
# Build first, on JDK 25: ./mvnw -B verify (after the integration tests it records the AOT cache). Needs Debian's
# postgresql, redis-server, openssl and curl (installed if missing; you are root).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
IDLE_SECONDS=${IDLE_SECONDS:-10}
source scripts/lib/prod-stack.sh

[ -s target/quarkus-app/app.aot ] || { echo "no target/quarkus-app/app.aot: build with a JDK 25 (./mvnw -B verify records it)" >&2; exit 1; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
rss_mb() { awk '/VmRSS/ {printf "%d", $2 / 1024}' "/proc/$APP_PID/status"; }

stack_start
app_start > /dev/null # the first start migrates the database; every measured start finds it migrated
app_stop

declare -A ready rss
measure() { # name, JVM options...
    local name=$1; shift
    app_start "$@"
    ready[$name]+="$APP_READY_MS "
    sleep "$IDLE_SECONDS" # idle: nothing calls it
    rss[$name]+="$(rss_mb) "
    app_stop
}
for i in $(seq "$RUNS"); do
    measure baseline
    measure service @"$PWD/src/main/docker/jvm.options" -XX:AOTCache=app.aot
    echo "run $i: ready in $(awk '{print $NF}' <<< "${ready[baseline]}") ms (baseline), $(awk '{print $NF}' <<< "${ready[service]}") ms (service); load $(cut -d' ' -f1 /proc/loadavg)" >&2
done
grep -q 'AOT cache' "$STACK_DIR/app.log" && { echo "the JVM refused the AOT cache:" >&2; grep 'AOT cache' "$STACK_DIR/app.log" >&2; }

b_ready=$(tr ' ' '\n' <<< "${ready[baseline]}" | grep . | median); s_ready=$(tr ' ' '\n' <<< "${ready[service]}" | grep . | median)
b_rss=$(tr ' ' '\n' <<< "${rss[baseline]}" | grep . | median); s_rss=$(tr ' ' '\n' <<< "${rss[service]}" | grep . | median)
ratio() { awk "BEGIN {printf \"%.2f\", $1 / $2}"; }
echo
echo "| measure (median of $RUNS, $(nproc) cores, $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)) | baseline | service | service / baseline |"
echo "|---|---|---|---|"
echo "| JVM start to ready, migrated database | ${b_ready} ms | ${s_ready} ms | $(ratio "$s_ready" "$b_ready") |"
echo "| idle RSS ${IDLE_SECONDS} s after ready | ${b_rss} MB | ${s_rss} MB | $(ratio "$s_rss" "$b_rss") |"
