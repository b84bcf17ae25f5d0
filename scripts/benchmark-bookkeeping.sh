#!/usr/bin/env bash
# Benchmark (not a test): how much PostgreSQL CPU the bookkeeping of N concurrent runs costs, without containers.
# RunBookkeepingBenchmark (tag "benchmark", left out of every normal test run) drives the real ExecutionQueue and
# LogCollector against the tests' embedded PostgreSQL 17: per run an enqueue and a claim, log lines stored in the
# collector's batches, a cancel check, a heartbeat per instance for all its runs, finish. It sweeps N for each
# design, the per-run one first, and prints PostgreSQL's cores (utime+stime of all its server processes over the
# window), statements/s, p99 latencies, the N at which PostgreSQL would need one whole core, and the ratio.
#
#   scripts/benchmark-bookkeeping.sh                      # N = 100,250,500,1000; the two designs
#   N=100,500,1000,2000 WINDOW=60s scripts/benchmark-bookkeeping.sh
#   DESIGNS='per-run=250ms/250ms,per-run-1s=5s/1s,service=5s/250ms/instance' scripts/benchmark-bookkeeping.sh
# A design is name=<cancel check interval>/<log flush interval>[/instance]. Without "instance", each run stores
# its own lines (a transaction per run and interval) and checks its own cancel flag, as the runner did before
# issue 11; with it, what the service does now: the instance's LogWriter stores all its runs' lines in one
# transaction per interval, and one query per instance asks which of its runs are cancelled (the heartbeat's
# safety net: cancels arrive by LISTEN/NOTIFY). A cancel check of 1 s or more also makes enqueue notify.
# On a shared machine: flock /tmp/bench.lock scripts/benchmark-bookkeeping.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}

N=${N:-100,250,500,1000}
DESIGNS=${DESIGNS:-per-run=250ms/250ms,service=5s/250ms/instance}
RUNS_PER_INSTANCE=${RUNS_PER_INSTANCE:-50}
LINES_PER_SECOND=${LINES_PER_SECOND:-10}
RUN_LENGTH=${RUN_LENGTH:-60s}
WARMUP=${WARMUP:-10s}
WINDOW=${WINDOW:-30s}
POOL=${POOL:-50}
SYNCHRONOUS_COMMIT=${SYNCHRONOUS_COMMIT:-on}
REPORT=target/benchmark-bookkeeping.md
LOG=target/benchmark-bookkeeping.log

mkdir -p target
rm -f "$REPORT"
echo "load before: $(cat /proc/loadavg); sweep N=$N, designs $DESIGNS (log: $LOG)"
# The embedded servers (PostgreSQL, Redis, the local chain) belong to the test JVM, which stops them at its end.
status=0
./mvnw -B -o test -Djacoco.skip=true -Dexcluded.test.groups= -Dgroups=benchmark -Dtest=RunBookkeepingBenchmark \
  -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbench.n="$N" -Dbench.designs="$DESIGNS" -Dbench.runs-per-instance="$RUNS_PER_INSTANCE" \
  -Dbench.lines-per-second="$LINES_PER_SECOND" -Dbench.run-length="$RUN_LENGTH" -Dbench.warmup="$WARMUP" \
  -Dbench.window="$WINDOW" -Dbench.pool="$POOL" -Dbench.synchronous-commit="$SYNCHRONOUS_COMMIT" \
  -Dbench.report="$PWD/$REPORT" > "$LOG" 2>&1 || status=$?
if [[ ! -s $REPORT ]]; then
  tail -50 "$LOG"
  echo "benchmark failed (exit $status): see $LOG" >&2
  exit 1
fi
cat "$REPORT"
