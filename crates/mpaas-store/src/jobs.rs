//! Durable jobs: enqueued in the transaction of the change that needs them, claimed by workers
//! (PostgreSQL: `FOR UPDATE SKIP LOCKED`; SQLite: inside the single writer's transaction).

use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::StoreResult;

/// A job to create.
#[derive(Clone, Debug)]
pub struct NewJob<'a> {
    /// Internal kind, e.g. `event.dispatch`.
    pub kind: &'a str,
    /// JSON payload.
    pub payload: &'a str,
    /// Platform time at which it falls due.
    pub run_at: i64,
    /// Unique among unfinished jobs when given.
    pub dedupe_key: Option<&'a str>,
    /// Attempts before `Dead`.
    pub max_attempts: i64,
}

/// A job as stored.
#[derive(Clone, Debug)]
pub struct JobRow {
    /// UUIDv7 text.
    pub id: String,
    /// Internal kind.
    pub kind: String,
    /// JSON payload.
    pub payload: String,
    /// Platform time it fell due.
    pub run_at: i64,
    /// `Queued`, `Running`, `Succeeded` or `Dead`.
    pub status: String,
    /// Attempts started so far.
    pub attempts: i64,
    /// Attempts before `Dead`.
    pub max_attempts: i64,
    /// Error of the last failed attempt.
    pub last_error: Option<String>,
    /// Platform time of creation.
    pub created_on: i64,
    /// Platform time of the last change.
    pub updated_on: i64,
}

const COLUMNS: &str =
    "id, kind, payload, run_at, status, attempts, max_attempts, last_error, created_on, updated_on";

fn map(r: AnyRow) -> JobRow {
    JobRow {
        id: r.get(0),
        kind: r.get(1),
        payload: r.get(2),
        run_at: r.get(3),
        status: r.get(4),
        attempts: r.get(5),
        max_attempts: r.get(6),
        last_error: r.get(7),
        created_on: r.get(8),
        updated_on: r.get(9),
    }
}

/// Enqueues a job; with a dedupe key already held by a queued job nothing is inserted and
/// `false` is returned.
pub async fn enqueue(
    conn: &mut AnyConnection,
    id: &str,
    job: &NewJob<'_>,
    now: i64,
) -> StoreResult<bool> {
    let done = sqlx::query(
        "INSERT INTO jobs (id, kind, payload, run_at, status, attempts, max_attempts, dedupe_key, created_on, updated_on) \
         VALUES ($1, $2, $3, $4, 'Queued', 0, $5, $6, $7, $7) \
         ON CONFLICT (dedupe_key) WHERE status = 'Queued' DO NOTHING",
    )
    .bind(id)
    .bind(job.kind)
    .bind(job.payload)
    .bind(job.run_at)
    .bind(job.max_attempts)
    .bind(job.dedupe_key)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Claims up to `limit` jobs that are due at platform time `now`, or whose lease expired at wall
/// time `wall_now`, in (run_at, id) order; marks them `Running` with a lease until `lease_until`.
pub async fn claim_due(
    conn: &mut AnyConnection,
    now: i64,
    wall_now: i64,
    lease_until: i64,
    limit: i64,
    postgres: bool,
) -> StoreResult<Vec<JobRow>> {
    let lock = if postgres {
        " FOR UPDATE SKIP LOCKED"
    } else {
        ""
    };
    let sql = format!(
        "UPDATE jobs SET status = 'Running', attempts = attempts + 1, lease_until = $1, updated_on = $2 \
         WHERE id IN (SELECT id FROM jobs WHERE (status = 'Queued' AND run_at <= $2) OR (status = 'Running' AND lease_until < $3) \
         ORDER BY run_at, id LIMIT $4{lock}) RETURNING {COLUMNS}"
    );
    let rows = sqlx::query(&sql)
        .bind(lease_until)
        .bind(now)
        .bind(wall_now)
        .bind(limit)
        .fetch_all(conn)
        .await?;
    let mut jobs: Vec<JobRow> = rows.into_iter().map(map).collect();
    jobs.sort_by(|a, b| (a.run_at, &a.id).cmp(&(b.run_at, &b.id)));
    Ok(jobs)
}

/// Claims one specific queued job (the sandbox clock runs jobs one at a time, in order).
pub async fn claim_one(
    conn: &mut AnyConnection,
    id: &str,
    now: i64,
    lease_until: i64,
) -> StoreResult<Option<JobRow>> {
    let sql = format!(
        "UPDATE jobs SET status = 'Running', attempts = attempts + 1, lease_until = $1, updated_on = $2 \
         WHERE id = $3 AND status = 'Queued' RETURNING {COLUMNS}"
    );
    Ok(sqlx::query(&sql)
        .bind(lease_until)
        .bind(now)
        .bind(id)
        .fetch_optional(conn)
        .await?
        .map(map))
}

/// The first queued job due at or before `until`, in (run_at, id) order.
pub async fn next_due(conn: &mut AnyConnection, until: i64) -> StoreResult<Option<(String, i64)>> {
    let row = sqlx::query("SELECT id, run_at FROM jobs WHERE status = 'Queued' AND run_at <= $1 ORDER BY run_at, id LIMIT 1")
        .bind(until)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(|r| (r.get(0), r.get(1))))
}

/// Marks a running job done.
pub async fn succeed(conn: &mut AnyConnection, id: &str, now: i64) -> StoreResult<()> {
    sqlx::query(
        "UPDATE jobs SET status = 'Succeeded', lease_until = NULL, finished_on = $1, updated_on = $1 WHERE id = $2 AND status = 'Running'",
    )
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Records a failure: queued again at `retry_at`, or `Dead` when `retry_at` is `None`.
pub async fn fail(
    conn: &mut AnyConnection,
    id: &str,
    error: &str,
    retry_at: Option<i64>,
    now: i64,
) -> StoreResult<()> {
    let query = match retry_at {
        Some(at) => sqlx::query(
            "UPDATE jobs SET status = 'Queued', run_at = $1, lease_until = NULL, last_error = $2, updated_on = $3 WHERE id = $4",
        )
        .bind(at),
        None => sqlx::query(
            "UPDATE jobs SET status = 'Dead', lease_until = NULL, last_error = $1, updated_on = $2, finished_on = $2 WHERE id = $3",
        ),
    };
    query.bind(error).bind(now).bind(id).execute(conn).await?;
    Ok(())
}

/// Queued jobs: how many, and when the next falls due.
pub async fn pending(conn: &mut AnyConnection) -> StoreResult<(i64, Option<i64>)> {
    let row =
        sqlx::query("SELECT COUNT(*), MIN(run_at) FROM jobs WHERE status IN ('Queued', 'Running')")
            .fetch_one(conn)
            .await?;
    Ok((row.get(0), row.get(1)))
}

/// Unfinished jobs per kind, and how many of them are due at `now` (metrics gauges).
pub async fn gauges(conn: &mut AnyConnection, now: i64) -> StoreResult<Vec<(String, i64, i64)>> {
    let rows = sqlx::query(
        "SELECT kind, COUNT(*), SUM(CASE WHEN run_at <= $1 THEN 1 ELSE 0 END) FROM jobs WHERE status IN ('Queued', 'Running') GROUP BY kind",
    )
    .bind(now)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| (r.get(0), r.get(1), r.get::<Option<i64>, _>(2).unwrap_or(0)))
        .collect())
}

/// A page of jobs with the given status, newest first, plus the total.
pub async fn list(
    conn: &mut AnyConnection,
    status: &str,
    offset: i64,
    limit: i64,
) -> StoreResult<(i64, Vec<JobRow>)> {
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE status = $1")
        .bind(status)
        .fetch_one(&mut *conn)
        .await?;
    let sql = format!("SELECT {COLUMNS} FROM jobs WHERE status = $1 ORDER BY updated_on DESC, id DESC LIMIT $2 OFFSET $3");
    let rows = sqlx::query(&sql)
        .bind(status)
        .bind(limit)
        .bind(offset)
        .fetch_all(conn)
        .await?;
    Ok((total, rows.into_iter().map(map).collect()))
}

/// One job.
pub async fn find(conn: &mut AnyConnection, id: &str) -> StoreResult<Option<JobRow>> {
    let sql = format!("SELECT {COLUMNS} FROM jobs WHERE id = $1");
    Ok(sqlx::query(&sql)
        .bind(id)
        .fetch_optional(conn)
        .await?
        .map(map))
}

/// Puts a dead job back in the queue with a fresh attempt budget.
pub async fn retry_dead(conn: &mut AnyConnection, id: &str, now: i64) -> StoreResult<bool> {
    let done = sqlx::query(
        "UPDATE jobs SET status = 'Queued', attempts = 0, run_at = $1, finished_on = NULL, updated_on = $1 WHERE id = $2 AND status = 'Dead'",
    )
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Deletes finished jobs last changed before `before`; returns how many.
pub async fn prune_finished(conn: &mut AnyConnection, before: i64) -> StoreResult<u64> {
    let done =
        sqlx::query("DELETE FROM jobs WHERE status IN ('Succeeded', 'Dead') AND updated_on < $1")
            .bind(before)
            .execute(conn)
            .await?;
    Ok(done.rows_affected())
}

/// Advisory lock key held (exclusively) while the sandbox clock is advanced on PostgreSQL.
pub const ADVANCE_LOCK_KEY: i64 = 0x6d70_6161_735f_636c;

/// PostgreSQL: false while another node advances the clock (claims must pause). Takes a shared
/// transaction-level advisory lock, released at the end of the caller's transaction.
pub async fn advance_not_running(conn: &mut AnyConnection) -> StoreResult<bool> {
    let ok: bool = sqlx::query_scalar("SELECT pg_try_advisory_xact_lock_shared($1)")
        .bind(ADVANCE_LOCK_KEY)
        .fetch_one(conn)
        .await?;
    Ok(ok)
}
