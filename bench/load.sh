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
. bench/lib.sh

duration=${BENCH_DURATION:-10}
threads=${BENCH_THREADS:-2}
connections=${BENCH_CONNECTIONS:-32}
port=${BENCH_PORT:-18089}
log_level=${BENCH_LOG_LEVEL:-warn}
base="http://127.0.0.1:${port}"

# ---- build, database, server ------------------------------------------------------------------
bench_require_tools curl jq wrk
echo "== building the release binary"
bench_build -p mpaas
bench_prepare
bench_new_database load
bench_start_server "$port" "$db_url" "$log_level"

# ---- an account and a subscriber ----------------------------------------------------------------
account_id=$(bench_post /v1.0/account/create \
    '{"AccountName": "Bench Family", "AccountAdmin": "bench.admin@example.com"}' | jq -r .AccountId)
subscriber_id=$(bench_post /v1.0/subscribers/create "$(jq -n --arg a "$account_id" \
    '{Name: "Bench User", Email: "bench.user@example.com", Role: "Manager",
      Password: "Bench-Passw0rd!", AccountId: $a}')" | jq -r .SubscriberId)
get_token=$(bench_token_for /v1.0/subscribers/get)
get_url="${base}/v1.0/subscribers/get?SubscriberId=${subscriber_id}"
curl -sf "$get_url" -H "Authorization: Bearer ${get_token}" | jq -e --arg s "$subscriber_id" \
    '.SubscriberId == $s' >/dev/null || { echo "subscribers/get did not answer as expected" >&2; exit 1; }
echo "   account ${account_id}, subscriber ${subscriber_id}"

# ---- load --------------------------------------------------------------------------------------
p99_of() { awk '$1 == "99%" {print $2}' "${work}/$1.txt"; }

bench_wrk healthz --latency "${base}/healthz"
bench_wrk subscribers_get --latency -H "Authorization: Bearer ${get_token}" "$get_url"

base_rps=$(bench_rps healthz)
auth_rps=$(bench_rps subscribers_get)
echo
echo "== results (${engine}, ${threads} threads, ${connections} connections, ${duration}s each)"
printf '%-36s %12s req/s   p99 %s\n' "GET /healthz" "$base_rps" "$(p99_of healthz)"
printf '%-36s %12s req/s   p99 %s\n' "GET /v1.0/subscribers/get (auth)" "$auth_rps" "$(p99_of subscribers_get)"
awk -v a="$auth_rps" -v b="$base_rps" 'BEGIN { printf "ratio authenticated/baseline: %.2f\n", a / b }'
