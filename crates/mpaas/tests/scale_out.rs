//! Scale-out on PostgreSQL: several processes share one database; a job is never run by two
//! workers and never lost. (SQLite runs one process, so these tests need PostgreSQL.)

mod common;

use std::time::Duration;

use common::{on_postgres, TestApp};
use mpaas::RunningServer;

const JOBS: i64 = 300;

async fn insert_jobs(app: &TestApp, count: i64) {
    let now = app.server().services.clock().now().micros();
    let mut tx = app.server().services.store().begin().await.unwrap();
    for _ in 0..count {
        sqlx::query(
            "INSERT INTO jobs (id, kind, payload, run_at, status, attempts, max_attempts, created_on, updated_on) \
             VALUES ($1, 'test.no_handler', '{}', $2, 'Queued', 0, 1, $2, $2)",
        )
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(now)
        .execute(&mut *tx)
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
}

async fn scalar(app: &TestApp, sql: &str) -> i64 {
    let mut conn = app.server().services.store().reader().await.unwrap();
    sqlx::query_scalar::<_, i64>(sql)
        .fetch_one(&mut *conn)
        .await
        .unwrap()
}

/// A `mpaas serve --role worker` process on the test database; killed when dropped.
struct WorkerProcess(std::process::Child);

impl WorkerProcess {
    fn start(database_url: &str) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_mpaas"));
        for (name, _) in std::env::vars().filter(|(n, _)| n.starts_with("MPAAS_")) {
            command.env_remove(name);
        }
        let child = command
            .args([
                "serve",
                "--role",
                "worker",
                "--listen",
                &format!("127.0.0.1:{port}"),
            ])
            .args([
                "--database-url",
                database_url,
                "--job-poll-ms",
                "50",
                "--log-level",
                "warn",
            ])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("start a worker process");
        Self(child)
    }
}

impl Drop for WorkerProcess {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn two_worker_processes_run_every_job_exactly_once() {
    if !on_postgres() {
        eprintln!(
            "scale-out needs PostgreSQL (MPAAS_TEST_DATABASE_URL); SQLite runs a single process"
        );
        return;
    }
    // This node serves the API only; two separate worker processes share the queue.
    let app = TestApp::start_with(|c| c.role = "api".into()).await;
    let workers: Vec<WorkerProcess> = (0..2)
        .map(|_| WorkerProcess::start(&app.config.database_url))
        .collect();
    insert_jobs(&app, JOBS).await;
    let unfinished = "SELECT COUNT(*) FROM jobs WHERE kind = 'test.no_handler' AND status IN ('Queued', 'Running')";
    let mut waited = 0;
    while scalar(&app, unfinished).await > 0 {
        assert!(waited < 1200, "jobs still unfinished after 120 s");
        tokio::time::sleep(Duration::from_millis(100)).await;
        waited += 1;
    }
    // max_attempts is 1: a job claimed twice would show 2 attempts.
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM jobs WHERE kind = 'test.no_handler' AND status = 'Dead'"
        )
        .await,
        JOBS
    );
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM jobs WHERE kind = 'test.no_handler' AND attempts <> 1"
        )
        .await,
        0
    );
    drop(workers);
    app.stop().await;
}

#[tokio::test]
async fn an_api_node_runs_no_jobs_and_a_worker_node_serves_no_api() {
    if !on_postgres() {
        eprintln!("scale-out needs PostgreSQL (MPAAS_TEST_DATABASE_URL)");
        return;
    }
    let app = TestApp::start_with(|c| c.role = "api".into()).await;
    insert_jobs(&app, 5).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let queued = "SELECT COUNT(*) FROM jobs WHERE kind = 'test.no_handler' AND status = 'Queued'";
    assert_eq!(scalar(&app, queued).await, 5, "an api node claims nothing");
    let mut worker_config = app.config.clone();
    worker_config.role = "worker".into();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let worker = RunningServer::start(&worker_config, listener)
        .await
        .unwrap();
    let base = format!("http://{}", worker.addr);
    let health = reqwest::get(format!("{base}/healthz")).await.unwrap();
    assert_eq!(health.status(), 200);
    let api = reqwest::get(format!("{base}/v1.0/distributor/accounts"))
        .await
        .unwrap();
    assert_eq!(api.status(), 404, "a worker node serves no API");
    worker.stop().await;
    app.stop().await;
}
