# Sourced by the benchmarks: a throwaway production-like stack on this machine.
#
#   source scripts/lib/prod-stack.sh
#   stack_start               PostgreSQL 15 and Redis 7 (Debian's packages, installed if missing) on free ports in a
#                             temp dir, JWT keys, and every variable the prod profile needs (quotas off, anvil's dev
#                             account #0 as admin); stack_stop runs on EXIT
#   app_start [JVM options]   the packaged jar (./mvnw package first; APP_DIR, default target/quarkus-app) in the
#                             prod profile; waits for readiness and sets APP_URL, APP_PID and APP_READY_MS (JVM
#                             launch to ready, as a client sees it); APP_CPUS (e.g. 0) pins it to those CPUs
#   app_stop
#
# Nothing on the chain is exercised: the chain and bundler URLs point at a closed port (the service starts and
# serves without them; their health checks are wellness, not readiness).

STACK_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
ADMIN_KEY=0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80

stack_free_port() {
    local port
    while :; do
        port=$(( 20000 + RANDOM % 20000 ))
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
    done
}

stack_install() {
    local missing=()
    [ -x /usr/lib/postgresql/15/bin/postgres ] || missing+=(postgresql)
    command -v redis-server >/dev/null || missing+=(redis-server)
    command -v openssl >/dev/null || missing+=(openssl)
    command -v curl >/dev/null || missing+=(curl)
    [ $# -gt 0 ] && missing+=("$@")
    if [ ${#missing[@]} -gt 0 ]; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
    fi
    # Debian starts a cluster of its own on install; ours are separate, on their own ports.
}

stack_start() {
    stack_install
    if [ -z "${JAVA_HOME:-}" ]; then
        for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
            [ -x "$candidate/bin/java" ] && "$candidate/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])' \
                && { export JAVA_HOME=$candidate; break; }
        done
    fi
    STACK_DIR=$(mktemp -d /tmp/agentnexus-stack.XXXXXX)
    chmod 755 "$STACK_DIR"
    trap stack_stop EXIT

    PG_PORT=$(stack_free_port)
    local pg=/usr/lib/postgresql/15/bin
    install -d -o postgres -g postgres "$STACK_DIR/pg" "$STACK_DIR/pgrun"
    runuser -u postgres -- "$pg/initdb" -D "$STACK_DIR/pg" -U agentnexus --auth=trust -E UTF8 > "$STACK_DIR/initdb.log"
    runuser -u postgres -- "$pg/pg_ctl" -D "$STACK_DIR/pg" -l "$STACK_DIR/pgrun/postgres.log" -w \
        -o "-p $PG_PORT -k $STACK_DIR/pgrun -c listen_addresses=127.0.0.1 -c max_connections=200" start > /dev/null
    runuser -u postgres -- "$pg/createdb" -h 127.0.0.1 -p "$PG_PORT" -U agentnexus agentnexus

    REDIS_PORT=$(stack_free_port)
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
        --pidfile "$STACK_DIR/redis.pid" --logfile "$STACK_DIR/redis.log"

    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$STACK_DIR/jwt-private.pem" 2>/dev/null
    openssl pkey -in "$STACK_DIR/jwt-private.pem" -pubout -out "$STACK_DIR/jwt-public.pem"

    APP_PORT=${APP_PORT:-$(stack_free_port)}
    APP_URL=http://localhost:$APP_PORT
    export QUARKUS_HTTP_PORT=$APP_PORT
    export QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:$PG_PORT/agentnexus
    export QUARKUS_DATASOURCE_USERNAME=agentnexus QUARKUS_DATASOURCE_PASSWORD=unused
    export QUARKUS_REDIS_HOSTS=redis://127.0.0.1:$REDIS_PORT
    export SMALLRYE_JWT_SIGN_KEY_LOCATION=$STACK_DIR/jwt-private.pem
    export MP_JWT_VERIFY_PUBLICKEY_LOCATION=$STACK_DIR/jwt-public.pem
    export AGENTNEXUS_AUTH_DOMAIN=localhost:$APP_PORT AGENTNEXUS_AUTH_URI=$APP_URL AGENTNEXUS_CHAIN_ID=31337
    export AGENTNEXUS_AUTH_ADMIN_ADDRESSES=0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266
    local closed=http://127.0.0.1:$(stack_free_port)
    export AGENTNEXUS_CHAIN_RPC_URL=$closed AGENTNEXUS_WALLET_BUNDLER_URL=$closed
    export AGENTNEXUS_CHAIN_ESCROW_ADDRESS=0x0000000000000000000000000000000000000e5c
    export AGENTNEXUS_CHAIN_ENTITLEMENTS_ADDRESS=0x0000000000000000000000000000000000000e17
    export AGENTNEXUS_WALLET_FACTORY=0x0000000000000000000000000000000000000fac
    export AGENTNEXUS_WALLET_PAYMASTER_ADDRESS=0x0000000000000000000000000000000000000a11
    export AGENTNEXUS_CHAIN_OPERATOR_KEY=0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d
    export AGENTNEXUS_RATE_LIMIT_ENABLED=false
    export APP_URL PG_PORT REDIS_PORT STACK_DIR
}

app_start() {
    local app=${APP_DIR:-$STACK_ROOT/target/quarkus-app}
    [ -f "$app/quarkus-run.jar" ] || { echo "no $app/quarkus-run.jar: run ./mvnw -B package -DskipTests first" >&2; return 1; }
    local started=$(date +%s%N)
    # From its directory: the JVM's AOT cache (app.aot) names the class path as it was recorded.
    local pin=()
    [ -z "${APP_CPUS:-}" ] || pin=(taskset -c "$APP_CPUS")
    (cd "$app" && exec "${pin[@]}" "$JAVA_HOME/bin/java" "$@" -jar quarkus-run.jar) > "$STACK_DIR/app.log" 2>&1 &
    APP_PID=$!
    # Every 10 ms without starting a process (see app_ready): the wait is a read that times out on an empty FIFO.
    local tick
    [ -p "$STACK_DIR/tick" ] || mkfifo "$STACK_DIR/tick"
    exec {tick}<>"$STACK_DIR/tick"
    until app_ready; do
        if ! kill -0 "$APP_PID" 2>/dev/null; then
            echo "the service did not start; its log:" >&2
            tail -40 "$STACK_DIR/app.log" >&2
            exec {tick}>&-
            return 1
        fi
        read -r -t 0.01 -u "$tick" _ || :
    done
    exec {tick}>&-
    APP_READY_MS=$(( ($(date +%s%N) - started) / 1000000 ))
    export APP_PID APP_READY_MS
}

# One look at /q/health/ready: true on a 200. Bash's own socket, not a curl: a curl and a sleep every 10 ms took
# ~8 ms of CPU per look, ~0.8 s of the two cores' time during a 2 s start, and slowed what they measured.
app_ready() {
    local fd status
    { exec {fd}<>"/dev/tcp/127.0.0.1/$APP_PORT"; } 2>/dev/null || return 1
    printf 'GET /q/health/ready HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' >&"$fd"
    read -r -t 10 _ status _ <&"$fd" || status=
    exec {fd}>&-
    [ "$status" = 200 ]
}

app_stop() {
    if [ -n "${APP_PID:-}" ] && kill -0 "$APP_PID" 2>/dev/null; then
        kill "$APP_PID"
        wait "$APP_PID" 2>/dev/null || true
    fi
    APP_PID=
}

stack_stop() {
    app_stop
    [ -n "${STACK_DIR:-}" ] || return 0
    [ -f "$STACK_DIR/redis.pid" ] && kill "$(cat "$STACK_DIR/redis.pid")" 2>/dev/null
    [ -f "$STACK_DIR/pg/postmaster.pid" ] && runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_ctl \
        -D "$STACK_DIR/pg" -m immediate stop > /dev/null 2>&1
    rm -rf "$STACK_DIR"
    STACK_DIR=
}
