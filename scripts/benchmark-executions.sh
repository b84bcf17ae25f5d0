#!/usr/bin/env bash
# Benchmark (not a test): the run path against the engine's floor, in one run on one machine.
#
#   floor     the same container (the echo agent's image, the isolation flags of runtime/IsolationProfile as
#             DockerContainerRuntime sets them) created, started, waited for, its logs read and removed by
#             direct Docker Engine API calls (curl --unix-socket): what no platform on this engine can beat;
#   platform  POST /api/executions with `Prefer: wait=60` (execution/SyncRuns: the answer comes when the run
#             has ended, SUCCEEDED) on the packaged jar in the prod profile (scripts/lib/prod-stack.sh:
#             PostgreSQL, Redis, quotas off).
#
# 1. one run at a time: the median of RUNS (10) of each;
# 2. BATCH (50) runs at once: the platform's BATCH submits sent together (each waits for its run; the
#    service runs them with its default 2 workers), against BATCH floor runs with the same parallelism (2);
#    BATCHES (3) of each, alternating, the medians compared.
# Both sides are warmed up first: the floor with WARMUP (60) runs, the platform with WARMUP_ROUNDS (12) rounds of
# BATCH runs submitted at once, as in the batch. The service is measured in its steady state, not while the JIT
# compiles its run path: code that runs once per run reaches the JIT's thresholds only after hundreds of runs, and
# until then the compiler threads take the CPU the engine needs (measured: the service's CPU for a batch of 50 fell
# from 12 s in the first round to 2-3 s by the tenth, and the ratio from 1.6x to about 1.0x). Each round prints
# its time and what the JIT compiled (jstat), and so does the measured batch.
# Prints both, and the ratios, and the CPU each process used during the batches.
# JVM_OPTS adds JVM options to the service (JVM_OPTS=@src/main/docker/jvm.options: the image's).
# Build the jar first: ./mvnw -B -o package -DskipTests.
# Run under `flock /tmp/bench.lock scripts/benchmark-executions.sh` on a shared machine.
# Needs docker, curl, node (sign-in), a JDK's jstat, Debian's busybox-static (installed if missing).
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-10}
WARMUP=${WARMUP:-60}
WARMUP_ROUNDS=${WARMUP_ROUNDS:-12}
BATCH=${BATCH:-50}
BATCHES=${BATCHES:-3}
PARALLEL=${PARALLEL:-2}
IMAGE=agentnexus-bench/echo:1
SOCKET=${DOCKER_SOCKET:-/var/run/docker.sock}
INPUT='{"n":1}'

source scripts/lib/prod-stack.sh
[ -x /bin/busybox ] || stack_install busybox-static
command -v node > /dev/null || { echo "node is needed (scripts/sign-in.sh)" >&2; exit 1; }

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
field() { node -e "process.stdout.write(String(JSON.parse(require('fs').readFileSync(0, 'utf8'))$1))"; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
ratio() { awk "BEGIN {printf \"%.2f\", $1 / $2}"; }

context=$(mktemp -d)
cp /bin/busybox "$context/busybox"
cat > "$context/Dockerfile" <<'DOCKERFILE'
FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
ENTRYPOINT ["/bin/sh", "-c", "read -r line; echo \"{\\\"echo\\\": $INPUT}\""]
DOCKERFILE
docker build -q -t "$IMAGE" "$context" > /dev/null
rm -rf "$context"

# --- The floor: one container through the Engine API, as the platform asks for it --------------------
engine() { curl -fsS --unix-socket "$SOCKET" -H 'Content-Type: application/json' "$@"; }
# IsolationProfile.PLATFORM as DockerContainerRuntime.create sets it. The input is in INPUT only: no stdin is
# attached (the agent's read sees EOF), so the floor is the five calls and nothing more.
create_body=$(cat <<JSON
{"Image": "$IMAGE", "User": "65534:65534", "Env": ["INPUT=$(printf '%s' "$INPUT" | sed 's/"/\\"/g')"],
 "Labels": {"agentnexus.benchmark": "floor"}, "NetworkDisabled": true,
 "AttachStdout": true, "AttachStderr": true,
 "HostConfig": {"NetworkMode": "none", "ReadonlyRootfs": true,
   "Tmpfs": {"/tmp": "rw,noexec,nosuid,size=67108864,uid=65534,gid=65534"},
   "CapDrop": ["ALL"], "SecurityOpt": ["no-new-privileges"], "PidsLimit": 64,
   "Memory": 536870912, "MemorySwap": 536870912, "NanoCpus": 500000000}}
JSON
)
floor_run() {
    local id
    id=$(engine -d "$create_body" http://engine/containers/create | sed -E 's/.*"Id":"([0-9a-f]+)".*/\1/')
    engine -X POST "http://engine/containers/$id/start"
    engine -X POST -o /dev/null "http://engine/containers/$id/wait"
    engine -o /dev/null "http://engine/containers/$id/logs?stdout=1&stderr=1"
    engine -X DELETE "http://engine/containers/$id?force=1&v=1"
}
export -f floor_run engine
export SOCKET INPUT create_body

# --- The platform ---------------------------------------------------------------------------------------
stack_start
# shellcheck disable=SC2086 # JVM_OPTS: extra JVM options, split on spaces (e.g. JVM_OPTS=@src/main/docker/jvm.options)
app_start ${JVM_OPTS:-}
token=$(scripts/sign-in.sh "$ADMIN_KEY" "$APP_URL" 2>/dev/null)
auth=(-H "Authorization: Bearer $token" -H 'Content-Type: application/json')
agent=$(curl -fsS "${auth[@]}" -d "{\"name\":\"Benchmark echo\",\"description\":\"Echoes its input, for the benchmark.\",
  \"category\":\"UTILITY\",\"price\":\"0\",\"dockerImage\":\"$IMAGE\",\"inputSchema\":{\"type\":\"object\"},
  \"outputSchema\":{\"type\":\"object\"}}" "$APP_URL/api/agents" | field .id)
platform_run() { # prints the final status
    curl -fsS -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -H 'Prefer: wait=60' \
        -d "{\"agentId\":\"$AGENT\",\"input\":$INPUT}" "$APP_URL/api/executions" \
        | grep -o '"status":"[A-Z_]*"' | head -1 | cut -d'"' -f4
}
export -f platform_run
export TOKEN=$token AGENT=$agent APP_URL
expect_succeeded() { local bad; bad=$(grep -vc '^SUCCEEDED$' || true); [ "$bad" = 0 ] || { echo "$bad runs did not succeed" >&2; exit 1; }; }

# What the service's JIT has done so far: methods compiled and seconds spent compiling (jstat -compiler).
jit() { "$JAVA_HOME/bin/jstat" -compiler "$APP_PID" | awk 'NR == 2 {print $1, $4}'; }
jit_since() { local now; now=$(jit); awk -v a="$1" -v b="$now" 'BEGIN {split(a, x, " "); split(b, y, " ");
    printf "%d methods, %.1f s", y[1] - x[1], y[2] - x[2]}'; }

echo "warming up: the floor $WARMUP runs, $PARALLEL at a time; the platform $WARMUP_ROUNDS rounds of $BATCH at once..."
seq "$WARMUP" | xargs -P "$PARALLEL" -I{} bash -c floor_run
for round in $(seq "$WARMUP_ROUNDS"); do
    before=$(jit) start=$(now_ms)
    seq "$BATCH" | xargs -P "$BATCH" -I{} bash -c platform_run | expect_succeeded
    echo "  round $round: $(( $(now_ms) - start )) ms; JIT compiled $(jit_since "$before")"
done
seq "$PARALLEL" | xargs -P "$PARALLEL" -I{} bash -c platform_run | expect_succeeded

echo "one run at a time, $RUNS of each (interleaved)..."
floor=() platform=()
for _ in $(seq "$RUNS"); do
    start=$(now_ms); floor_run; floor+=($(( $(now_ms) - start )))
    start=$(now_ms); status=$(platform_run); platform+=($(( $(now_ms) - start )))
    [ "$status" = SUCCEEDED ] || { echo "a run ended $status" >&2; exit 1; }
done

# CPU time (ms) used so far by the processes whose command line matches $1.
cpu_ms() { pgrep -f "$1" | while read -r pid; do awk '{print $14 + $15}' "/proc/$pid/stat" 2> /dev/null; done \
    | awk -v hz="$(getconf CLK_TCK)" '{s += $1} END {printf "%d", 1000 * s / hz}'; }
engine_ms() { echo $(( $(cpu_ms dockerd) + $(cpu_ms containerd) )); }

# BATCHES pairs, alternating, so that the machine's drift between two batches (the engine's own batch time varies by
# ~10 % from one to the next here) weighs on both sides alike; the medians are compared. CPU: the sum over all.
echo "$BATCH at once, parallelism $PARALLEL, $BATCHES times each (alternating)..."
floor_batches=() platform_batches=() floor_engine=0 platform_engine=0 service_cpu=0 db_cpu=0
jit_before=$(jit)
for _ in $(seq "$BATCHES"); do
    engine_before=$(engine_ms) start=$(now_ms)
    seq "$BATCH" | xargs -P "$PARALLEL" -I{} bash -c floor_run
    floor_batches+=($(( $(now_ms) - start )))
    floor_engine=$(( floor_engine + $(engine_ms) - engine_before ))
    engine_before=$(engine_ms) service_before=$(cpu_ms quarkus-run.jar) db_before=$(cpu_ms "postgres") start=$(now_ms)
    seq "$BATCH" | xargs -P "$BATCH" -I{} bash -c platform_run | expect_succeeded
    platform_batches+=($(( $(now_ms) - start )))
    platform_engine=$(( platform_engine + $(engine_ms) - engine_before ))
    service_cpu=$(( service_cpu + $(cpu_ms quarkus-run.jar) - service_before ))
    db_cpu=$(( db_cpu + $(cpu_ms "postgres") - db_before ))
done
batch_jit=$(jit_since "$jit_before")
floor_batch=$(printf '%s\n' "${floor_batches[@]}" | median)
platform_batch=$(printf '%s\n' "${platform_batches[@]}" | median)

# Where the platform's time went: the mean of each phase over every run above (agentnexus.executions.phase).
phases=$(curl -fsS "$APP_URL/q/metrics" | awk '
    /^agentnexus_executions_phase_seconds_sum/ { match($0, /phase="[a-z]+"/); p = substr($0, RSTART + 7, RLENGTH - 8); sum[p] = $NF }
    /^agentnexus_executions_phase_seconds_count/ { match($0, /phase="[a-z]+"/); p = substr($0, RSTART + 7, RLENGTH - 8); n[p] = $NF }
    END { split("queue image create start run collect remove", order, " ");
          for (i = 1; i <= 7; i++) if (n[order[i]] > 0) printf "%s %.0f ms, ", order[i], 1000 * sum[order[i]] / n[order[i]] }')

floor_median=$(printf '%s\n' "${floor[@]}" | median)
platform_median=$(printf '%s\n' "${platform[@]}" | median)
echo
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(docker version -f 'Docker {{.Server.Version}}'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "| measure | engine floor | platform | ratio |"
echo "|---|---|---|---|"
echo "| one run: create → removed / POST → SUCCEEDED (Prefer: wait=60), median of $RUNS | ${floor_median} ms | ${platform_median} ms | $(ratio "$platform_median" "$floor_median")× |"
echo "| $BATCH runs at once, parallelism $PARALLEL, all finished, median of $BATCHES | ${floor_batch} ms | ${platform_batch} ms | $(ratio "$platform_batch" "$floor_batch")× |"
echo "floor runs: ${floor[*]}"
echo "platform runs: ${platform[*]}"
echo "floor batches: ${floor_batches[*]}; platform batches: ${platform_batches[*]}"
echo "CPU during the batches, per batch: engine (dockerd + containerd) $(( floor_engine / BATCHES )) ms for the floor," \
    "$(( platform_engine / BATCHES )) ms for the platform; the service $(( service_cpu / BATCHES )) ms, PostgreSQL" \
    "$(( db_cpu / BATCHES )) ms ($(( (service_cpu + db_cpu) / BATCHES / BATCH )) ms a run); the service's JIT compiled $batch_jit in all"
[ -z "$phases" ] || echo "platform phases, mean of all runs: ${phases%, }"
