//! Job claim throughput against plain single-row insert transactions, in process.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::ensure;
use serde_json::{json, Value};

/// Arguments of `jobs`: the server's own settings plus the size of the run.
#[derive(clap::Args)]
pub struct JobsArgs {
    #[command(flatten)]
    config: mpaas::Config,
    /// Jobs to queue, and rows to insert for the baseline.
    #[arg(long, default_value_t = 5000)]
    jobs: usize,
    /// Give up after this many seconds.
    #[arg(long, default_value_t = 300)]
    timeout_secs: u64,
}

const BENCH_KIND: &str = "bench.no_handler";

/// Runs the baseline, then the jobs; returns the figures.
pub async fn run(mut args: JobsArgs) -> anyhow::Result<Value> {
    // The timing below reads the platform clock, so it must follow the wall clock.
    args.config.clock_start = None;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let server = mpaas::RunningServer::start(&args.config, listener).await?;
    let store = server.services.store().clone();
    let n = args.jobs;

    // Baseline: single-row insert transactions, as many writers at once as the worker runs jobs.
    let mut tx = store.begin().await?;
    sqlx::query("CREATE TABLE bench_scratch (id TEXT PRIMARY KEY, payload TEXT NOT NULL, created_on BIGINT NOT NULL)")
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..args.config.job_concurrency.max(1) {
        let (store, next) = (store.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            while next.fetch_add(1, Ordering::Relaxed) < n {
                let mut tx = store.begin().await?;
                sqlx::query(
                    "INSERT INTO bench_scratch (id, payload, created_on) VALUES ($1, '{}', $2)",
                )
                .bind(uuid::Uuid::now_v7().to_string())
                .bind(0_i64)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
            }
            anyhow::Ok(())
        }));
    }
    for task in tasks {
        task.await??;
    }
    let inserts_per_sec = n as f64 / started.elapsed().as_secs_f64();

    // Queue n jobs of a kind without a handler and one attempt each: every one ends `Dead`
    // after one claim and one outcome write, the same path as any job.
    let now = server.services.clock().now().micros();
    let enqueue_started = Instant::now();
    let mut tx = store.begin().await?;
    for _ in 0..n {
        sqlx::query(
            "INSERT INTO jobs (id, kind, payload, run_at, status, attempts, max_attempts, created_on, updated_on) \
             VALUES ($1, $2, '{}', $3, 'Queued', 0, 1, $3, $3)",
        )
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(BENCH_KIND)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    let committed_at = server.services.clock().now().micros();
    let enqueue_secs = enqueue_started.elapsed().as_secs_f64();
    let unfinished = format!(
        "SELECT COUNT(*) FROM jobs WHERE kind = '{BENCH_KIND}' AND status IN ('Queued', 'Running')"
    );
    let started = Instant::now();
    loop {
        let left: i64 = sqlx::query_scalar(&unfinished)
            .fetch_one(&mut *store.reader().await?)
            .await?;
        if left == 0 {
            break;
        }
        ensure!(
            started.elapsed() < Duration::from_secs(args.timeout_secs),
            "{left} jobs left after {} s",
            args.timeout_secs
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let check = format!("SELECT COUNT(*), MAX(finished_on) FROM jobs WHERE kind = '{BENCH_KIND}' AND status = 'Dead' AND attempts = 1");
    let row: (i64, Option<i64>) = sqlx::query_as(&check)
        .fetch_one(&mut *store.reader().await?)
        .await?;
    ensure!(row.0 == n as i64, "{} of {n} jobs ran exactly once", row.0);
    // Platform clock (wall clock here): from the commit to the last outcome written.
    let jobs_secs = (row.1.unwrap_or(committed_at) - committed_at).max(1) as f64 / 1e6;
    let jobs_per_sec = n as f64 / jobs_secs;
    server.stop().await;

    Ok(json!({
        "Backend": if args.config.database_url.starts_with("postgres") { "PostgreSQL" } else { "SQLite" },
        "Jobs": n,
        "Concurrency": args.config.job_concurrency,
        "InsertsPerSecond": inserts_per_sec,
        "JobsPerSecond": jobs_per_sec,
        "Ratio": jobs_per_sec / inserts_per_sec,
        "EnqueuedPerSecondInOneTransaction": n as f64 / enqueue_secs,
    }))
}
