#!/usr/bin/env bash
# Benchmark (not a test): how close the cached catalog reads come to the process's ceiling.
#
# Starts PostgreSQL, Redis and the packaged jar in the prod profile (scripts/lib/prod-stack.sh; build the jar
# first: ./mvnw -B package -DskipTests), seeds AGENTS active agents as the admin, warms up, then with wrk
# (CONNECTIONS connections, DURATION each, one after the other in the same process) measures side by side
#   /q/health/live            the baseline: the most this process answers per second
#   GET /api/agents/{id}      a cached read of one agent
#   GET /api/agents?size=20   a cached page of the catalog
# and prints req/s and the ratio to the ceiling; then the p50/p95/p99/max latency of the cached read at half
# its measured maximum, at a fixed rate (scripts/load/FixedRate.java, latency from each request's due time).
#
# SPLIT=1 gives the service CPU 0 and the load generators CPU 1, so that they do not take each other's CPU (the
# service then sees one CPU, as in a 1-CPU container); PostgreSQL and Redis stay unpinned (idle on cached reads).
# JVM_OPTS adds JVM options to the service (e.g. JVM_OPTS="-Xlog:gc:file=/tmp/gc.log" to see its pauses).
#
#   flock /tmp/bench.lock scripts/benchmark-catalog.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/prod-stack.sh

AGENTS=${AGENTS:-50}
DURATION=${DURATION:-20s}
CONNECTIONS=${CONNECTIONS:-16}
FIXED_SECONDS=${FIXED_SECONDS:-30}
load=()
if [ "${SPLIT:-0}" = 1 ]; then
    export APP_CPUS=0
    load=(taskset -c 1)
fi

command -v wrk > /dev/null || stack_install wrk
stack_start
# shellcheck disable=SC2086 # JVM_OPTS: extra JVM options, split on spaces (e.g. JVM_OPTS="-Xlog:gc:file=/tmp/gc.log")
app_start ${JVM_OPTS:-}
echo "machine: $(nproc) cores${APP_CPUS:+ (the service on CPU $APP_CPUS, the load on CPU 1)}, $(awk '/MemTotal/ {printf "%.0f GB", $2 / 1048576}' /proc/meminfo), $(uname -r); load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "service ready in ${APP_READY_MS} ms at $APP_URL"

token=$(scripts/sign-in.sh "$ADMIN_KEY" "$APP_URL" 2>/dev/null)
auth=(-H "Authorization: Bearer $token" -H 'Content-Type: application/json')
categories=(TRADING ANALYTICS DEFI NFT SOCIAL UTILITY)
id=
for i in $(seq "$AGENTS"); do
    category=${categories[$(( i % ${#categories[@]} ))]}
    created=$(curl -fsS "${auth[@]}" -d "{\"name\":\"Benchmark agent $i\",\"description\":\"Agent number $i of the catalog benchmark.\",
      \"category\":\"$category\",\"price\":\"$(( i * 1000 ))\",\"dockerImage\":\"agentnexus-bench/echo:$i\",
      \"inputSchema\":{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\"}}},
      \"outputSchema\":{\"type\":\"object\"}}" "$APP_URL/api/agents")
    [ -n "$id" ] || id=$(node -e 'process.stdout.write(JSON.parse(process.argv[1]).id)' "$created")
done
echo "seeded $AGENTS agents"

health=$APP_URL/q/health/live
agent=$APP_URL/api/agents/$id
page="$APP_URL/api/agents?size=20"
for url in "$health" "$agent" "$page"; do curl -fsS -o /dev/null "$url"; done
echo "the read's headers: $(curl -fsS -D - -o /dev/null "$agent" | grep -iv '^x-request-id\|^$' | tr -d '\r' | paste -sd ' ')"

rps() { "${load[@]}" wrk -t2 -c"$CONNECTIONS" -d"$1" --latency "$2" | awk '/Requests\/sec/ {printf "%.0f", $2}'; }
echo "warming up..."
for url in "$health" "$agent" "$page"; do rps 10s "$url" > /dev/null; done

echo "measuring, wrk -c$CONNECTIONS -d$DURATION each..."
health_rps=$(rps "$DURATION" "$health")
agent_rps=$(rps "$DURATION" "$agent")
page_rps=$(rps "$DURATION" "$page")
ratio() { awk "BEGIN {printf \"%.0f %%\", 100 * $1 / $2}"; }

half=$(( agent_rps / 2 ))
# The same rate on /q/health/live first: what the machine and the process allow (scheduling, the hypervisor's
# steal, the generator's own stalls), side by side with the read.
cpu_steal_and_total() { awk '/^cpu / {print $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9}' /proc/stat; } # in ticks
fixed_rate() { # label url: prints FixedRate's table and the CPU steal while it ran (%)
    local steal_before steal_after
    steal_before=$(cpu_steal_and_total)
    WARMUP=5 "${load[@]}" "$JAVA_HOME/bin/java" scripts/load/FixedRate.java "$half" "$FIXED_SECONDS" "$1=$2"
    steal_after=$(cpu_steal_and_total)
    awk -v a="$steal_before" -v b="$steal_after" 'BEGIN {split(a, x, " "); split(b, y, " ");
        printf "CPU steal meanwhile: %.1f %%\n", 100 * (y[1] - x[1]) / (y[2] - x[2])}'
}
echo "fixed rate: GET /q/health/live, then GET /api/agents/{id}, at $half req/s (half the read's maximum), ${FIXED_SECONDS} s each..."
fixed_health=$(fixed_rate health "$health")
echo "$fixed_health"
fixed=$(fixed_rate agent "$agent")
echo "$fixed"
p99=$(echo "$fixed" | awk '$1 == "agent" {print $6}')
p99_health=$(echo "$fixed_health" | awk '$1 == "health" {print $6}')

echo
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| measure | req/s | vs /q/health/live |"
echo "|---|---|---|"
echo "| \`GET /q/health/live\` (the ceiling) | $health_rps | 100 % |"
echo "| \`GET /api/agents/{id}\` (cached) | $agent_rps | $(ratio "$agent_rps" "$health_rps") |"
echo "| \`GET /api/agents?size=20\` (cached) | $page_rps | $(ratio "$page_rps" "$health_rps") |"
echo "| p99 at $half req/s (fixed rate): \`GET /api/agents/{id}\` / \`/q/health/live\` | ${p99} / ${p99_health} ms | |"
