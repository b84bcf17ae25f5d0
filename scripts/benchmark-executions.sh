#!/usr/bin/env bash
# Benchmark (not a test): on one machine, in one run, compares
#   1. POST /api/executions → SUCCEEDED for the echo agent, against a bare `docker run --rm` of the same
#      image with the same isolation flags (median of RUNS each), and
#   2. the throughput of 50 executions queued at once.
#
# Start the service first, with the quotas off (the polling below is far above 100 requests/15 min):
#   AGENTNEXUS_RATE_LIMIT_ENABLED=false ./mvnw quarkus:dev
# then: scripts/benchmark-executions.sh [BASE_URL]. Needs docker, curl, node and Debian's busybox-static.
set -euo pipefail
cd "$(dirname "$0")/.."

BASE=${1:-http://localhost:8080}
RUNS=${RUNS:-10}
BATCH=${BATCH:-50}
IMAGE=agentnexus-bench/echo:1
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
field() { node -e "process.stdout.write(String(JSON.parse(require('fs').readFileSync(0, 'utf8'))$1))"; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

context=$(mktemp -d)
cp /bin/busybox "$context/busybox"
cat > "$context/Dockerfile" <<'DOCKERFILE'
FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
ENTRYPOINT ["/bin/sh", "-c", "read -r line; echo \"{\\\"echo\\\": $INPUT}\""]
DOCKERFILE
docker build -q -t "$IMAGE" "$context" > /dev/null

token=$(scripts/sign-in.sh 2>/dev/null)
auth=(-H "Authorization: Bearer $token" -H 'Content-Type: application/json')
agent=$(curl -fsS "${auth[@]}" -d "{\"name\":\"Benchmark echo\",\"description\":\"Echoes its input, for the benchmark.\",
  \"category\":\"UTILITY\",\"price\":\"0\",\"dockerImage\":\"$IMAGE\",\"inputSchema\":{\"type\":\"object\"},
  \"outputSchema\":{\"type\":\"object\"}}" "$BASE/api/agents" | field .id)

submit() { curl -fsS "${auth[@]}" -d "{\"agentId\":\"$agent\",\"input\":{\"n\":$1}}" "$BASE/api/executions" | field .id; }
status() { curl -fsS "${auth[@]}" "$BASE/api/executions/$1" | field .status; }

echo "bare docker run --rm ($RUNS runs)..."
bare=()
for i in $(seq "$RUNS"); do
    start=$(now_ms)
    echo '{}' | docker run -i --rm --network none --read-only --tmpfs /tmp:size=64m,uid=65534,gid=65534 \
        --user 65534:65534 --cap-drop ALL --security-opt no-new-privileges --pids-limit 64 \
        --memory 512m --memory-swap 512m --cpus 0.5 -e INPUT='{"n":1}' "$IMAGE" > /dev/null
    bare+=($(( $(now_ms) - start )))
done

echo "POST → SUCCEEDED ($RUNS runs)..."
platform=()
for i in $(seq "$RUNS"); do
    start=$(now_ms)
    id=$(submit "$i")
    while [ "$(status "$id")" != SUCCEEDED ]; do sleep 0.02; done
    platform+=($(( $(now_ms) - start )))
done

echo "$BATCH executions queued at once..."
start=$(now_ms)
ids=()
for i in $(seq "$BATCH"); do ids+=("$(submit "$i")"); done
for id in "${ids[@]}"; do
    until [[ "$(status "$id")" =~ ^(SUCCEEDED|FAILED|TIMED_OUT|CANCELLED)$ ]]; do sleep 0.1; done
done
elapsed=$(( $(now_ms) - start ))

bare_median=$(printf '%s\n' "${bare[@]}" | median)
platform_median=$(printf '%s\n' "${platform[@]}" | median)
echo
echo "| measure | result |"
echo "|---|---|"
echo "| bare \`docker run --rm\`, median of $RUNS | ${bare_median} ms |"
echo "| POST → SUCCEEDED, median of $RUNS | ${platform_median} ms |"
echo "| $BATCH queued executions, all finished | ${elapsed} ms ($(awk "BEGIN {printf \"%.2f\", $BATCH * 1000 / $elapsed}") executions/s) |"
