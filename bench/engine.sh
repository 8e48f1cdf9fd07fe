#!/usr/bin/env bash
# Delivery and job engine benchmark, on 127.0.0.1 only. Every figure is reported next to a
# baseline measured in the same run.
#
#   (a) Delivery throughput. A webhook sink (crates/mpaas/examples/engine_bench/, `sink`:
#       answers 204 and checks each signature) is first loaded with wrk: POSTs of an event
#       envelope, with keep-alive and with `Connection: close` (the engine opens a fresh
#       connection per attempt, as the SSRF guard resolves the host at every attempt). Then a
#       release `mpaas serve` gets a webhook to that sink, BENCH_EVENTS account creations
#       through the API (16 at a time), and the time until the sink holds every event, signed,
#       gives delivered events/s. Last, all those events are replayed at once
#       (`POST /v1.0/webhooks/replay`), which measures the delivery engine alone.
#   (b) Job claim throughput. In process (`engine_bench jobs`, fresh database): BENCH_JOBS
#       single-row insert transactions into a scratch table, from as many writers as the
#       worker runs jobs (the baseline); then BENCH_JOBS queued jobs of a kind without a
#       handler and one attempt each, timed from their commit until the worker has claimed and
#       finished (`Dead`) every one.
#
# Environment (all optional):
#   BENCH_EVENTS        events in the burst                       (default 2000)
#   BENCH_JOBS          jobs, and baseline rows                   (default 5000)
#   BENCH_DURATION      seconds per wrk run                       (default 10)
#   BENCH_THREADS       wrk threads                               (default 2)
#   BENCH_CONNECTIONS   wrk connections                           (default 8, the engine's
#                       MPAAS_JOB_CONCURRENCY default)
#   BENCH_PORT          mpaas port on 127.0.0.1                   (default 18089)
#   BENCH_SINK_PORT     sink port on 127.0.0.1                    (default 18090)
#   MPAAS_BENCH_DATABASE_URL  a PostgreSQL URL such as postgres://postgres@127.0.0.1:5432/postgres;
#                       fresh databases are created next to it (and dropped afterwards)
#                       instead of temporary SQLite files.
set -euo pipefail

cd "$(dirname "$0")/.."

events=${BENCH_EVENTS:-2000}
jobs=${BENCH_JOBS:-5000}
duration=${BENCH_DURATION:-10}
threads=${BENCH_THREADS:-2}
connections=${BENCH_CONNECTIONS:-8}
port=${BENCH_PORT:-18089}
sink_port=${BENCH_SINK_PORT:-18090}
base="http://127.0.0.1:${port}"
sink="http://127.0.0.1:${sink_port}"

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
echo "== building the release binary and the benchmark driver"
cargo build --release -p mpaas --bin mpaas --example engine_bench
target_dir=$(cargo metadata --format-version 1 --no-deps | jq -r .target_directory)
binary="${target_dir}/release/mpaas"
driver="${target_dir}/release/examples/engine_bench"

# ---- databases, processes, cleanup -------------------------------------------------------------
work=$(mktemp -d)
server_pid=""
sink_pid=""
pg_admin_url=${MPAAS_BENCH_DATABASE_URL:-}
pg_dbs=()
cleanup() {
    for pid in "$server_pid" "$sink_pid"; do
        if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
            kill "$pid" 2>/dev/null || true
            wait "$pid" 2>/dev/null || true
        fi
    done
    for db in "${pg_dbs[@]}"; do
        psql -q "$pg_admin_url" -c "DROP DATABASE IF EXISTS ${db} WITH (FORCE)" >/dev/null 2>&1 || true
    done
    rm -rf "$work"
}
trap cleanup EXIT

if [ -n "$pg_admin_url" ]; then
    command -v psql >/dev/null 2>&1 || { echo "psql is required for MPAAS_BENCH_DATABASE_URL" >&2; exit 1; }
    engine="PostgreSQL"
else
    engine="SQLite"
fi

# new_database NAME: sets db_url to a fresh database.
new_database() {
    if [ -n "$pg_admin_url" ]; then
        local db="mpaas_bench_$1_$$"
        psql -q "$pg_admin_url" -c "CREATE DATABASE ${db}" >/dev/null
        pg_dbs+=("$db")
        db_url="${pg_admin_url%/*}/${db}"
    else
        db_url="sqlite://${work}/$1.db"
    fi
}

wait_for() { # URL PID LOG
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

# ---- (a) baseline: the sink under wrk ------------------------------------------------------------
echo "== starting the sink on ${sink}"
"$driver" sink --listen "127.0.0.1:${sink_port}" >"${work}/sink.log" 2>&1 &
sink_pid=$!
wait_for "${sink}/stats" "$sink_pid" "${work}/sink.log"

# A representative account.created envelope and webhook headers.
body='{"EventId":"EVT-019acf2e-1f53-7a31-9d0e-5c1b8e2f4a77","Type":"account.created","OccurredOn":"2026-11-29T14:01:41.261672+00:00","DistributorId":"DID-01a2279c-7f23-7494-88f1-f3ee99e26a37","AccountId":"AID-01a2279c-8e8d-7494-844e-a0bf5385c58a","ResourceId":"AID-01a2279c-8e8d-7494-844e-a0bf5385c58a","Data":{"AccountId":"AID-01a2279c-8e8d-7494-844e-a0bf5385c58a","AccountName":"Bench 1","TotalSubscribers":0,"BillingAddress":{"Street1":null,"Street2":null,"City":null,"State":null,"Zip":null,"Country":null},"MailingAddress":{"Street1":null,"Street2":null,"City":null,"State":null,"Zip":null,"Country":null},"AccountAdmin":"bench.1@example.com","DistributorId":"DID-01a2279c-7f23-7494-88f1-f3ee99e26a37","CreatedOn":"2026-11-29T14:01:41.261672+00:00"}}'
cat >"${work}/post.lua" <<EOF
wrk.method = "POST"
wrk.body = [[${body}]]
wrk.headers["Content-Type"] = "application/json"
wrk.headers["webhook-id"] = "EVT-019acf2e-1f53-7a31-9d0e-5c1b8e2f4a77"
wrk.headers["webhook-timestamp"] = "1795960901"
wrk.headers["webhook-signature"] = "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NoWUaCHpM="
EOF

run_wrk() {
    local name=$1
    shift
    echo "== wrk ${name}: ${threads} threads, ${connections} connections, ${duration}s"
    wrk -t"$threads" -c"$connections" -d"${duration}s" -s "${work}/post.lua" "$@" "${sink}/hook" |
        tee "${work}/${name}.txt"
    if grep -q 'Non-2xx' "${work}/${name}.txt"; then
        echo "${name}: some responses were not 2xx" >&2
        exit 1
    fi
}
rps_of() { awk '/^Requests\/sec:/ {print $2}' "${work}/$1.txt"; }

run_wrk sink_keepalive
run_wrk sink_close -H 'Connection: close'

# ---- (a) deliveries ----------------------------------------------------------------------------
new_database deliveries
echo "== starting mpaas on ${base} (${engine})"
env -u MPAAS_BOOTSTRAP_ACCOUNT_KEY -u MPAAS_BOOTSTRAP_ACCOUNT_SECRET -u MPAAS_CLOCK_START \
    MPAAS_SANDBOX=true MPAAS_LOG_LEVEL=warn MPAAS_TOKEN_TTL_SECS=86400 MPAAS_DEFAULT_RATE_LIMIT=0 \
    "$binary" --listen "127.0.0.1:${port}" --database-url "$db_url" serve \
    >"${work}/stdout" 2>"${work}/stderr" &
server_pid=$!
wait_for "${base}/readyz" "$server_pid" "${work}/stderr"
for _ in $(seq 1 50); do
    grep -q DistributorId "${work}/stdout" && break
    sleep 0.1
done
credentials=$(grep -m1 DistributorId "${work}/stdout") || {
    echo "no credentials printed (is the database empty?)" >&2
    exit 1
}

echo "== ${events} events through the API, then replayed"
"$driver" deliveries --base "$base" --sink "$sink" --events "$events" \
    --key "$(jq -r .AccountKey <<<"$credentials")" --secret "$(jq -r .Secret <<<"$credentials")" |
    tee "${work}/deliveries.json"
kill "$server_pid"
wait "$server_pid" 2>/dev/null || true
server_pid=""

# ---- (b) jobs ------------------------------------------------------------------------------------
echo "== ${jobs} jobs against ${jobs} plain inserts (in process)"
new_database jobs
env -u MPAAS_CLOCK_START -u MPAAS_ROLE "$driver" jobs --database-url "$db_url" \
    --jobs "$jobs" --job-poll-ms 50 | tee "${work}/jobs.json"

# ---- results -------------------------------------------------------------------------------------
keepalive=$(rps_of sink_keepalive)
close=$(rps_of sink_close)
d="${work}/deliveries.json"
j="${work}/jobs.json"
echo
echo "== results (${engine})"
printf '%-52s %10.0f /s\n' "sink under wrk, keep-alive (baseline)" "$keepalive"
printf '%-52s %10.0f /s\n' "sink under wrk, Connection: close (baseline)" "$close"
printf '%-52s %10.0f /s\n' "account creations through the API" "$(jq .CreatedPerSecond "$d")"
for key in DeliveredPerSecond ReplayedPerSecond; do
    rate=$(jq ".${key}" "$d")
    label="events delivered, signed ($([ "$key" = DeliveredPerSecond ] && echo "burst via the API" || echo "replay"))"
    awk -v r="$rate" -v c="$close" -v k="$keepalive" -v l="$label" \
        'BEGIN { printf "%-52s %10.0f /s   %.3f x close, %.3f x keep-alive\n", l, r, r / c, r / k }'
done
printf '%-52s %10.0f /s\n' "single-row insert transactions (baseline)" "$(jq .InsertsPerSecond "$j")"
awk -v r="$(jq .JobsPerSecond "$j")" -v x="$(jq .Ratio "$j")" \
    'BEGIN { printf "%-52s %10.0f /s   %.3f x inserts\n", "jobs claimed and finished by the worker", r, x }'
