#!/usr/bin/env bash
# Number provisioning benchmark, in process on 127.0.0.1 (crates/mpaas/examples/provision_bench).
# Every figure is reported next to a baseline measured in the same run on the same database:
#
#   - plain single-row insert transactions into a scratch table, one writer and BENCH_CLIENTS
#     writers (the baseline of provisioning throughput);
#   - single-form provisions (`POST /v1.0/numbers/provision`, first available number, an eSIM
#     each), one client, then BENCH_CLIENTS clients;
#   - BENCH_BULK numbers in list-form requests of 100 from BENCH_CLIENTS clients, timed until the
#     job engine has activated every one;
#   - availability search latency next to `/healthz` round trips.
#
# Environment (all optional):
#   BENCH_SEQUENTIAL    single-form provisions, one client      (default 1000)
#   BENCH_CONCURRENT    single-form provisions, many clients    (default 2000)
#   BENCH_CLIENTS       concurrent clients                      (default 32)
#   BENCH_BULK          list-form numbers                       (default 100000)
#   BENCH_SEARCHES      availability searches timed             (default 500)
#   MPAAS_BENCH_DATABASE_URL  a PostgreSQL URL such as postgres://postgres@127.0.0.1:5432/postgres;
#                       a fresh database is created next to it (and dropped afterwards) instead
#                       of a temporary SQLite file.
set -euo pipefail

cd "$(dirname "$0")/.."
. bench/lib.sh

bench_require_tools jq
echo "== building the benchmark driver (release)"
bench_build -p mpaas --example provision_bench
driver="${target_dir}/release/examples/provision_bench"
bench_prepare
bench_new_database provision

echo "== provisioning on ${engine}"
env -u MPAAS_CLOCK_START -u MPAAS_ROLE -u MPAAS_BOOTSTRAP_ACCOUNT_KEY -u MPAAS_BOOTSTRAP_ACCOUNT_SECRET \
    MPAAS_LOG_LEVEL=warn "$driver" --database-url "$db_url" --job-poll-ms 50 \
    --sequential "${BENCH_SEQUENTIAL:-1000}" --concurrent "${BENCH_CONCURRENT:-2000}" \
    --clients "${BENCH_CLIENTS:-32}" --bulk "${BENCH_BULK:-100000}" \
    --searches "${BENCH_SEARCHES:-500}" | tee "${work}/provision.json"

r="${work}/provision.json"
echo
echo "== results (${engine})"
printf '%-56s %10.0f /s\n' "insert transactions, 1 writer (baseline)" "$(jq .InsertsPerSecondSequential "$r")"
printf '%-56s %10.0f /s   %.3f x inserts\n' "single-form provisions, 1 client" \
    "$(jq .SingleFormSequentialPerSecond "$r")" "$(jq .SingleFormSequentialRatio "$r")"
printf '%-56s %10.0f /s\n' "insert transactions, $(jq .Clients "$r") writers (baseline)" "$(jq .InsertsPerSecondConcurrent "$r")"
printf '%-56s %10.0f /s   %.3f x inserts\n' "single-form provisions, $(jq .Clients "$r") clients" \
    "$(jq .SingleFormConcurrentPerSecond "$r")" "$(jq .SingleFormConcurrentRatio "$r")"
printf '%-56s %10.0f /s   %.3f x inserts (%s numbers in %.1f s)\n' "list-form numbers until active, $(jq .Clients "$r") clients" \
    "$(jq .BulkPerSecond "$r")" "$(jq .BulkRatio "$r")" "$(jq .BulkNumbers "$r")" "$(jq .BulkSeconds "$r")"
printf '%-56s %10.0f us   p99 %.0f us, %.1f x /healthz (%.0f us)\n' "availability search latency, mean" \
    "$(jq .AvailabilityMeanMicros "$r")" "$(jq .AvailabilityP99Micros "$r")" \
    "$(jq .AvailabilityRatio "$r")" "$(jq .HealthzMeanMicros "$r")"
