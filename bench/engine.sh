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
. bench/lib.sh

events=${BENCH_EVENTS:-2000}
jobs=${BENCH_JOBS:-5000}
duration=${BENCH_DURATION:-10}
threads=${BENCH_THREADS:-2}
connections=${BENCH_CONNECTIONS:-8}
port=${BENCH_PORT:-18089}
sink_port=${BENCH_SINK_PORT:-18090}
base="http://127.0.0.1:${port}"
sink="http://127.0.0.1:${sink_port}"

# ---- build, databases, processes ---------------------------------------------------------------
bench_require_tools curl jq wrk
echo "== building the release binary and the benchmark driver"
bench_build -p mpaas --bin mpaas --example engine_bench
driver="${target_dir}/release/examples/engine_bench"
bench_prepare

# ---- (a) baseline: the sink under wrk ------------------------------------------------------------
echo "== starting the sink on ${sink}"
"$driver" sink --listen "127.0.0.1:${sink_port}" >"${work}/sink.log" 2>&1 &
sink_pid=$!
bench_pids+=("$sink_pid")
bench_wait_for "${sink}/stats" "$sink_pid" "${work}/sink.log"

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

bench_wrk sink_keepalive -s "${work}/post.lua" "${sink}/hook"
bench_wrk sink_close -s "${work}/post.lua" -H 'Connection: close' "${sink}/hook"

# ---- (a) deliveries ----------------------------------------------------------------------------
bench_new_database deliveries
bench_start_server "$port" "$db_url" warn

echo "== ${events} events through the API, then replayed"
"$driver" deliveries --base "$base" --sink "$sink" --events "$events" \
    --key "$account_key" --secret "$secret" | tee "${work}/deliveries.json"
bench_stop_server

# ---- (b) jobs ------------------------------------------------------------------------------------
echo "== ${jobs} jobs against ${jobs} plain inserts (in process)"
bench_new_database jobs
env -u MPAAS_CLOCK_START -u MPAAS_ROLE "$driver" jobs --database-url "$db_url" \
    --jobs "$jobs" --job-poll-ms 50 | tee "${work}/jobs.json"

# ---- results -------------------------------------------------------------------------------------
keepalive=$(bench_rps sink_keepalive)
close=$(bench_rps sink_close)
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
