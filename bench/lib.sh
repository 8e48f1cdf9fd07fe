# Setup shared by the benchmarks in this folder (load.sh, engine.sh), which source it from the
# repository root after `set -euo pipefail`. Everything runs on 127.0.0.1.
#
#   bench_require_tools TOOL...     install missing tools from Debian's packages (as root), or stop
#   bench_build CARGO_ARGS...       `cargo build --release CARGO_ARGS`; sets target_dir and binary
#   bench_prepare                   temporary directory `work`, cleanup on exit, and `engine`:
#                                   PostgreSQL when MPAAS_BENCH_DATABASE_URL is set, else SQLite
#   bench_new_database NAME         sets db_url to a fresh database, dropped on exit
#   bench_wait_for URL PID LOG      wait until URL answers; stop if the process PID exits
#   bench_start_server PORT DB_URL LOG_LEVEL
#                                   start `mpaas serve` (sandbox, no rate limit, day-long tokens);
#                                   sets server_pid, account_key and secret (its first credentials)
#   bench_stop_server
#   bench_token_for ENDPOINT        a bearer token for ENDPOINT, minted with the credentials
#   bench_post ENDPOINT JSON        POST JSON to ENDPOINT with its own token
#   bench_wrk NAME WRK_ARGS...      wrk with BENCH_THREADS/CONNECTIONS/DURATION (`threads`,
#                                   `connections`, `duration`), output kept as ${work}/NAME.txt;
#                                   stops on any non-2xx answer
#   bench_rps NAME                  requests/s of the wrk run NAME

bench_require_tools() {
    local missing=() tool
    for tool in "$@"; do
        command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "installing ${missing[*]} from Debian's packages"
        apt-get update -qq
        apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        echo "missing tools: ${missing[*]}" >&2
        echo "install them first, e.g.: sudo apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
}

bench_build() {
    cargo build --release "$@"
    target_dir=$(cargo metadata --format-version 1 --no-deps | jq -r .target_directory)
    binary="${target_dir}/release/mpaas"
}

# Background processes other than the server, stopped on exit.
bench_pids=()
server_pid=""
pg_admin_url=${MPAAS_BENCH_DATABASE_URL:-}
pg_dbs=()

bench_stop_process() {
    if [ -n "$1" ] && kill -0 "$1" 2>/dev/null; then
        kill "$1" 2>/dev/null || true
        wait "$1" 2>/dev/null || true
    fi
}

bench_cleanup() {
    local pid db
    for pid in "$server_pid" "${bench_pids[@]}"; do
        bench_stop_process "$pid"
    done
    for db in "${pg_dbs[@]}"; do
        psql -q "$pg_admin_url" -c "DROP DATABASE IF EXISTS ${db} WITH (FORCE)" >/dev/null 2>&1 || true
    done
    rm -rf "$work"
}

bench_prepare() {
    work=$(mktemp -d)
    trap bench_cleanup EXIT
    if [ -n "$pg_admin_url" ]; then
        command -v psql >/dev/null 2>&1 || { echo "psql is required for MPAAS_BENCH_DATABASE_URL" >&2; exit 1; }
        engine="PostgreSQL"
    else
        engine="SQLite"
    fi
}

bench_new_database() {
    if [ -n "$pg_admin_url" ]; then
        local db="mpaas_bench_$1_$$"
        psql -q "$pg_admin_url" -c "CREATE DATABASE ${db}" >/dev/null
        pg_dbs+=("$db")
        db_url="${pg_admin_url%/*}/${db}"
    else
        db_url="sqlite://${work}/$1.db"
    fi
}

bench_wait_for() {
    for _ in $(seq 1 200); do
        curl -sf "$1" >/dev/null 2>&1 && return 0
        if ! kill -0 "$2" 2>/dev/null; then
            echo "process exited:" >&2
            cat "$3" >&2
            exit 1
        fi
        sleep 0.1
    done
    echo "$1 did not answer" >&2
    exit 1
}

bench_start_server() {
    local port=$1 database_url=$2 log_level=$3 credentials
    echo "== starting mpaas on http://127.0.0.1:${port} (${engine})"
    env -u MPAAS_BOOTSTRAP_ACCOUNT_KEY -u MPAAS_BOOTSTRAP_ACCOUNT_SECRET -u MPAAS_CLOCK_START \
        MPAAS_SANDBOX=true MPAAS_LOG_LEVEL="$log_level" MPAAS_TOKEN_TTL_SECS=86400 MPAAS_DEFAULT_RATE_LIMIT=0 \
        "$binary" --listen "127.0.0.1:${port}" --database-url "$database_url" serve \
        >"${work}/stdout" 2>"${work}/stderr" &
    server_pid=$!
    bench_wait_for "http://127.0.0.1:${port}/readyz" "$server_pid" "${work}/stderr"
    for _ in $(seq 1 50); do
        grep -q DistributorId "${work}/stdout" && break
        sleep 0.1
    done
    credentials=$(grep -m1 DistributorId "${work}/stdout") || {
        echo "no credentials printed (is the database empty?)" >&2
        exit 1
    }
    account_key=$(jq -r .AccountKey <<<"$credentials")
    secret=$(jq -r .Secret <<<"$credentials")
    server_base="http://127.0.0.1:${port}"
}

bench_stop_server() {
    bench_stop_process "$server_pid"
    server_pid=""
}

bench_token_for() {
    curl -sf -X POST "${server_base}/v1.0/oauth2/tokens" -H 'Content-Type: application/json' \
        -d "$(jq -n --arg k "$account_key" --arg s "$secret" --arg e "$1" \
            '{AccountKey: $k, AccountSecret: $s, ApiEndpoint: $e}')" | jq -r .token
}

bench_post() {
    curl -sf -X POST "${server_base}$1" -H "Authorization: Bearer $(bench_token_for "$1")" \
        -H 'Content-Type: application/json' -d "$2"
}

bench_wrk() {
    local name=$1
    shift
    echo "== wrk ${name}: ${threads} threads, ${connections} connections, ${duration}s"
    wrk -t"$threads" -c"$connections" -d"${duration}s" "$@" | tee "${work}/${name}.txt"
    if grep -q 'Non-2xx' "${work}/${name}.txt"; then
        echo "${name}: some responses were not 2xx" >&2
        exit 1
    fi
}

bench_rps() { awk '/^Requests\/sec:/ {print $2}' "${work}/$1.txt"; }
