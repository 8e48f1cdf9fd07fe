#!/usr/bin/env bash
# HTTP load benchmark of a local mpaas server, on 127.0.0.1 only.
#
# Builds the release binary, starts it on a temporary database, creates an account and a
# subscriber through the API, then drives two bounded wrk runs:
#   1. GET /healthz                                 (no authentication, no database)
#   2. GET /v1.0/subscribers/get?SubscriberId=...   (bearer token check + one subscriber read)
# and prints requests/sec, p99 latency and the authenticated/baseline ratio.
#
# Environment (all optional):
#   BENCH_DURATION      seconds per wrk run             (default 10)
#   BENCH_THREADS       wrk threads                     (default 2)
#   BENCH_CONNECTIONS   wrk connections                 (default 32)
#   BENCH_PORT          port on 127.0.0.1               (default 18089)
#   BENCH_LOG_LEVEL     server MPAAS_LOG_LEVEL          (default warn: no per-request log lines)
#   MPAAS_BENCH_DATABASE_URL  a PostgreSQL URL such as postgres://postgres@127.0.0.1:5432/postgres;
#                       a fresh database is created next to it (and dropped afterwards) instead
#                       of the temporary SQLite file.
set -euo pipefail

cd "$(dirname "$0")/.."

duration=${BENCH_DURATION:-10}
threads=${BENCH_THREADS:-2}
connections=${BENCH_CONNECTIONS:-32}
port=${BENCH_PORT:-18089}
log_level=${BENCH_LOG_LEVEL:-warn}
base="http://127.0.0.1:${port}"

# ---- tools -----------------------------------------------------------------------------------
missing=()
for tool in curl jq wrk; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "installing ${missing[*]} from Debian's packages"
        apt-get update -qq
        apt-get install -y -qq "${missing[@]}" >/dev/null
    else
        echo "missing tools: ${missing[*]}" >&2
        echo "install them first, e.g.: sudo apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
fi

# ---- build -----------------------------------------------------------------------------------
echo "== building the release binary"
cargo build --release -p mpaas
target_dir=$(cargo metadata --format-version 1 --no-deps | jq -r .target_directory)
binary="${target_dir}/release/mpaas"

# ---- database and server ---------------------------------------------------------------------
work=$(mktemp -d)
server_pid=""
pg_admin_url=""
pg_db=""
cleanup() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    if [ -n "$pg_db" ]; then
        psql -q "$pg_admin_url" -c "DROP DATABASE IF EXISTS ${pg_db}" >/dev/null 2>&1 || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

if [ -n "${MPAAS_BENCH_DATABASE_URL:-}" ]; then
    command -v psql >/dev/null 2>&1 || { echo "psql is required for MPAAS_BENCH_DATABASE_URL" >&2; exit 1; }
    pg_admin_url=$MPAAS_BENCH_DATABASE_URL
    pg_db="mpaas_bench_$$_$(date +%s)"
    psql -q "$pg_admin_url" -c "CREATE DATABASE ${pg_db}" >/dev/null
    database_url="${pg_admin_url%/*}/${pg_db}"
    engine="PostgreSQL"
else
    database_url="sqlite://${work}/bench.db"
    engine="SQLite"
fi

echo "== starting mpaas on ${base} (${engine})"
env -u MPAAS_BOOTSTRAP_ACCOUNT_KEY -u MPAAS_BOOTSTRAP_ACCOUNT_SECRET \
    MPAAS_SANDBOX=true MPAAS_LOG_LEVEL=$log_level MPAAS_TOKEN_TTL_SECS=86400 MPAAS_DEFAULT_RATE_LIMIT=0 \
    "$binary" --listen "127.0.0.1:${port}" --database-url "$database_url" serve \
    >"${work}/stdout" 2>"${work}/stderr" &
server_pid=$!

for _ in $(seq 1 100); do
    if curl -sf "${base}/readyz" >/dev/null 2>&1 && grep -q DistributorId "${work}/stdout"; then
        break
    fi
    if ! kill -0 "$server_pid" 2>/dev/null; then
        echo "the server exited:" >&2
        cat "${work}/stderr" >&2
        exit 1
    fi
    sleep 0.1
done
credentials=$(grep -m1 DistributorId "${work}/stdout") || {
    echo "no credentials printed (is the database empty?)" >&2
    exit 1
}
account_key=$(jq -r .AccountKey <<<"$credentials")
secret=$(jq -r .Secret <<<"$credentials")

token_for() {
    curl -sf -X POST "${base}/v1.0/oauth2/tokens" -H 'Content-Type: application/json' \
        -d "$(jq -n --arg k "$account_key" --arg s "$secret" --arg e "$1" \
            '{AccountKey: $k, AccountSecret: $s, ApiEndpoint: $e}')" | jq -r .token
}

post() {
    curl -sf -X POST "${base}$1" -H "Authorization: Bearer $(token_for "$1")" \
        -H 'Content-Type: application/json' -d "$2"
}

account_id=$(post /v1.0/account/create \
    '{"AccountName": "Bench Family", "AccountAdmin": "bench.admin@example.com"}' | jq -r .AccountId)
subscriber_id=$(post /v1.0/subscribers/create "$(jq -n --arg a "$account_id" \
    '{Name: "Bench User", Email: "bench.user@example.com", Role: "Manager",
      Password: "Bench-Passw0rd!", AccountId: $a}')" | jq -r .SubscriberId)
get_token=$(token_for /v1.0/subscribers/get)
get_url="${base}/v1.0/subscribers/get?SubscriberId=${subscriber_id}"
curl -sf "$get_url" -H "Authorization: Bearer ${get_token}" | jq -e --arg s "$subscriber_id" \
    '.SubscriberId == $s' >/dev/null || { echo "subscribers/get did not answer as expected" >&2; exit 1; }
echo "   account ${account_id}, subscriber ${subscriber_id}"

# ---- load --------------------------------------------------------------------------------------
run_wrk() {
    local name=$1
    shift
    echo "== wrk ${name}: ${threads} threads, ${connections} connections, ${duration}s"
    wrk -t"$threads" -c"$connections" -d"${duration}s" --latency "$@" | tee "${work}/${name}.txt"
    if grep -q 'Non-2xx' "${work}/${name}.txt"; then
        echo "${name}: some responses were not 2xx" >&2
        exit 1
    fi
}

rps_of() { awk '/^Requests\/sec:/ {print $2}' "${work}/$1.txt"; }
p99_of() { awk '$1 == "99%" {print $2}' "${work}/$1.txt"; }

run_wrk healthz "${base}/healthz"
run_wrk subscribers_get -H "Authorization: Bearer ${get_token}" "$get_url"

base_rps=$(rps_of healthz)
auth_rps=$(rps_of subscribers_get)
echo
echo "== results (${engine}, ${threads} threads, ${connections} connections, ${duration}s each)"
printf '%-36s %12s req/s   p99 %s\n' "GET /healthz" "$base_rps" "$(p99_of healthz)"
printf '%-36s %12s req/s   p99 %s\n' "GET /v1.0/subscribers/get (auth)" "$auth_rps" "$(p99_of subscribers_get)"
awk -v a="$auth_rps" -v b="$base_rps" 'BEGIN { printf "ratio authenticated/baseline: %.2f\n", a / b }'
