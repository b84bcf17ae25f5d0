#!/usr/bin/env bash
# Benchmark (not a test): the spec's bar under mixed load, p95 < 200 ms and every database query < 100 ms.
#
# Starts PostgreSQL, Redis and the packaged jar in the prod profile (scripts/lib/prod-stack.sh; build the jar
# first: ./mvnw -B package -DskipTests), seeds AGENTS active agents and RUNS finished runs of a busybox echo
# agent (needs docker; without it the run lists are empty, and the script says so), then sends a fixed-rate
# mix (RATE req/s, 150 by default, for RUN_SECONDS, 60 by default; scripts/load/FixedRate.java: latency from each request's due time) of
#   catalog reads      GET /api/agents/{id} (several agents)
#   searches           GET /api/agents with q / category / price filters and sorts (cached after the first),
#                      and the signed-in user's inactive agents (per caller: never cached, a query each time)
#   profile reads      GET /api/users/me
#   run lists          GET /api/executions (the signed-in user's runs)
# and prints the latency per kind and overall (target: p95 < 200 ms), then the slowest database statement
# during the run from the service's metrics (agentnexus.db.statements max: every statement Hibernate runs,
# timed in the service), cross-checked by PostgreSQL's own log of statements over 100 ms
# (log_min_duration_statement, on this throwaway cluster only).
#
#   flock /tmp/bench.lock scripts/benchmark-mixed.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/prod-stack.sh

AGENTS=${AGENTS:-50}
RUNS=${RUNS:-20}
RATE=${RATE:-150}
RUN_SECONDS=${RUN_SECONDS:-60}
IMAGE=agentnexus-bench/echo:1

stack_start
psql() { command psql -qtA -h 127.0.0.1 -p "$PG_PORT" -U agentnexus agentnexus "$@"; }
psql -c "ALTER SYSTEM SET log_min_duration_statement = 100" -c "SELECT pg_reload_conf()" > /dev/null
app_start
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2 / 1048576}' /proc/meminfo), $(uname -r); load: $(cut -d' ' -f1-3 /proc/loadavg)"

field() { node -e "process.stdout.write(String(JSON.parse(require('fs').readFileSync(0, 'utf8'))$1))"; }
token=$(scripts/sign-in.sh "$ADMIN_KEY" "$APP_URL" 2>/dev/null)
auth=(-H "Authorization: Bearer $token" -H 'Content-Type: application/json')
categories=(TRADING ANALYTICS DEFI NFT SOCIAL UTILITY)
ids=()
for i in $(seq "$AGENTS"); do
    status=ACTIVE
    [ $(( i % 10 )) -eq 0 ] && status=INACTIVE
    ids+=("$(curl -fsS "${auth[@]}" -d "{\"name\":\"Benchmark agent $i\",\"description\":\"Agent number $i of the mixed benchmark.\",
      \"category\":\"${categories[$(( i % ${#categories[@]} ))]}\",\"price\":\"$(( i * 1000 ))\",\"status\":\"$status\",
      \"dockerImage\":\"agentnexus-bench/echo:$i\",\"inputSchema\":{\"type\":\"object\"},\"outputSchema\":{\"type\":\"object\"}}" \
      "$APP_URL/api/agents" | field .id)")
done
echo "seeded $AGENTS agents ($(( AGENTS / 10 )) inactive)"

runs="none (no docker)"
if docker info > /dev/null 2>&1; then
    context=$(mktemp -d)
    cp /bin/busybox "$context/busybox"
    printf '%s\n' 'FROM scratch' 'COPY busybox /bin/busybox' 'RUN ["/bin/busybox", "--install", "-s", "/bin"]' \
        'ENTRYPOINT ["/bin/sh", "-c", "read -r line; echo \"{\\\"echo\\\": $INPUT}\""]' > "$context/Dockerfile"
    docker build -q -t "$IMAGE" "$context" > /dev/null
    rm -rf "$context"
    echo_agent=$(curl -fsS "${auth[@]}" -d "{\"name\":\"Benchmark echo\",\"description\":\"Echoes its input.\",
      \"category\":\"UTILITY\",\"price\":\"0\",\"dockerImage\":\"$IMAGE\",\"inputSchema\":{\"type\":\"object\"},
      \"outputSchema\":{\"type\":\"object\"}}" "$APP_URL/api/agents" | field .id)
    submitted=()
    for i in $(seq "$RUNS"); do
        submitted+=("$(curl -fsS "${auth[@]}" -d "{\"agentId\":\"$echo_agent\",\"input\":{\"n\":$i}}" \
            "$APP_URL/api/executions" | field .id)")
    done
    for run in "${submitted[@]}"; do
        for _ in $(seq 600); do
            [[ "$(curl -fsS "${auth[@]}" "$APP_URL/api/executions/$run" | field .status)" =~ ^(SUCCEEDED|FAILED|TIMED_OUT|CANCELLED)$ ]] && break
            sleep 0.1
        done
    done
    runs="$RUNS finished runs"
fi
echo "run list: $runs"

bearer="Authorization: Bearer $token"
targets=(
    "agent=$APP_URL/api/agents/${ids[0]}" "agent=$APP_URL/api/agents/${ids[1]}"
    "agent=$APP_URL/api/agents/${ids[2]}" "agent=$APP_URL/api/agents/${ids[3]}"
    "search-q=$APP_URL/api/agents?q=agent%201&sort=price_asc"
    "search-category=$APP_URL/api/agents?category=DEFI&sort=popular"
    "search-price=$APP_URL/api/agents?minPrice=5000&maxPrice=30000&sort=price_desc&size=50"
    "search-own-inactive=$APP_URL/api/agents?status=inactive|$bearer"
    "profile=$APP_URL/api/users/me|$bearer" "profile=$APP_URL/api/users/me|$bearer"
    "runs=$APP_URL/api/executions|$bearer" "runs=$APP_URL/api/executions|$bearer"
)
for t in "${targets[@]}"; do
    url=${t#*=}; url=${url%%|*}
    curl -fsS -o /dev/null -H "$bearer" "$url" || { echo "not answering: $url" >&2; exit 1; }
done
metric() { curl -fsS "$APP_URL/q/metrics" | awk -v name="$1" '$1 == name {print $2}'; }
before_count=$(metric agentnexus_db_statements_seconds_count)
pg_log=$STACK_DIR/pgrun/postgres.log
[ -f "$pg_log" ] || pg_log=$STACK_DIR/postgres.log
log_lines_before=$(wc -l < "$pg_log")

echo "fixed rate: $RATE req/s for $RUN_SECONDS s over ${#targets[@]} targets..."
result=$(WARMUP=10 "$JAVA_HOME/bin/java" scripts/load/FixedRate.java "$RATE" "$RUN_SECONDS" "${targets[@]}")
echo "$result"
p95=$(echo "$result" | awk '$1 == "all" {print $5}')
errors=$(echo "$result" | awk '$1 == "all" {print $3}')
slowest=$(metric agentnexus_db_statements_seconds_max)
statements=$(awk "BEGIN {printf \"%d\", $(metric agentnexus_db_statements_seconds_count) - ${before_count:-0}}")
slow_logged=$(tail -n +"$(( log_lines_before + 1 ))" "$pg_log" | grep -c 'duration:' || true)

echo
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| measure (mixed load, $RATE req/s for $RUN_SECONDS s; run lists: $runs) | result | target |"
echo "|---|---|---|"
echo "| p95 of all requests | ${p95} ms ($errors errors) | < 200 ms |"
echo "| slowest database statement (agentnexus.db.statements max, last 2 min) | $(awk "BEGIN {printf \"%.1f\", ${slowest:-0} * 1000}") ms ($statements statements during the run) | < 100 ms |"
echo "| statements over 100 ms in PostgreSQL's log during the run | $slow_logged | 0 |"
