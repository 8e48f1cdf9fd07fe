//! Deliveries (one row per target and event) and their attempts.

use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::StoreResult;

/// A delivery as stored.
#[derive(Clone, Debug)]
pub struct DeliveryRow {
    /// UUIDv7 text.
    pub id: String,
    /// Owner.
    pub distributor_id: String,
    /// `WHK-…` (later `MRID-…`, `CRID-…`).
    pub target_id: String,
    /// `EVT-…`.
    pub event_id: String,
    /// Dotted type of the event.
    pub event_type: String,
    /// `Event`, `InboundMessage`, `MessageReceipt` or `VoiceCallback`.
    pub kind: String,
    /// URL of the last attempt (or of the target at creation).
    pub url: String,
    /// `Pending`, `Succeeded`, `DeadLettered` or `Cancelled`.
    pub state: String,
    /// Attempt series (a replay starts the next one).
    pub series: i64,
    /// Attempts over every series.
    pub attempts: i64,
    /// Attempts in the current series.
    pub series_attempts: i64,
    /// When the next attempt falls due, while `Pending`.
    pub next_attempt_on: Option<i64>,
    /// Platform time.
    pub created_on: i64,
}

/// One attempt.
#[derive(Clone, Debug)]
pub struct AttemptRow {
    /// Delivery.
    pub delivery_id: String,
    /// 1-based over every series.
    pub attempt: i64,
    /// Platform time.
    pub attempted_on: i64,
    /// HTTP status, when a response came.
    pub response_status: Option<i64>,
    /// Why it failed without a response.
    pub error: Option<String>,
    /// Wall-clock duration.
    pub duration_ms: i64,
    /// First 1 KiB of the response body.
    pub response_body: Option<String>,
}

/// The outcome of an attempt to write on its delivery.
#[derive(Clone, Copy, Debug)]
pub struct AttemptUpdate<'a> {
    /// New state.
    pub state: &'a str,
    /// Next attempt, while `Pending`.
    pub next_attempt_on: Option<i64>,
    /// URL the attempt went to.
    pub url: &'a str,
    /// Platform time.
    pub now: i64,
}

const COLUMNS: &str =
    "id, distributor_id, target_id, event_id, event_type, kind, url, state, series, attempts, \
     series_attempts, next_attempt_on, created_on";

fn map(r: AnyRow) -> DeliveryRow {
    DeliveryRow {
        id: r.get(0),
        distributor_id: r.get(1),
        target_id: r.get(2),
        event_id: r.get(3),
        event_type: r.get(4),
        kind: r.get(5),
        url: r.get(6),
        state: r.get(7),
        series: r.get(8),
        attempts: r.get(9),
        series_attempts: r.get(10),
        next_attempt_on: r.get(11),
        created_on: r.get(12),
    }
}

/// Inserts a `Pending` delivery unless the (target, event) pair has one; true when inserted.
pub async fn insert_if_absent(conn: &mut AnyConnection, d: &DeliveryRow) -> StoreResult<bool> {
    let done = sqlx::query(
        "INSERT INTO deliveries (id, distributor_id, target_id, event_id, event_type, kind, url, state, series, attempts, \
         series_attempts, next_attempt_on, created_on, updated_on) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, 'Pending', 1, 0, 0, $8, $9, $9) ON CONFLICT (target_id, event_id) DO NOTHING",
    )
    .bind(&d.id)
    .bind(&d.distributor_id)
    .bind(&d.target_id)
    .bind(&d.event_id)
    .bind(&d.event_type)
    .bind(&d.kind)
    .bind(&d.url)
    .bind(d.next_attempt_on)
    .bind(d.created_on)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// One delivery.
pub async fn find(conn: &mut AnyConnection, id: &str) -> StoreResult<Option<DeliveryRow>> {
    let sql = format!("SELECT {COLUMNS} FROM deliveries WHERE id = $1");
    Ok(sqlx::query(&sql)
        .bind(id)
        .fetch_optional(conn)
        .await?
        .map(map))
}

/// The delivery of an event to a target.
pub async fn find_for(
    conn: &mut AnyConnection,
    target_id: &str,
    event_id: &str,
) -> StoreResult<Option<DeliveryRow>> {
    let sql = format!("SELECT {COLUMNS} FROM deliveries WHERE target_id = $1 AND event_id = $2");
    Ok(sqlx::query(&sql)
        .bind(target_id)
        .bind(event_id)
        .fetch_optional(conn)
        .await?
        .map(map))
}

/// Every delivery of an event.
pub async fn of_event(conn: &mut AnyConnection, event_id: &str) -> StoreResult<Vec<DeliveryRow>> {
    let sql = format!("SELECT {COLUMNS} FROM deliveries WHERE event_id = $1 ORDER BY id");
    Ok(sqlx::query(&sql)
        .bind(event_id)
        .fetch_all(conn)
        .await?
        .into_iter()
        .map(map)
        .collect())
}

/// Dead-lettered deliveries of the distributor whose event occurred in `[since, until)`,
/// optionally of one target.
pub async fn dead_lettered_between(
    conn: &mut AnyConnection,
    distributor_id: &str,
    since: i64,
    until: i64,
    target_id: Option<&str>,
) -> StoreResult<Vec<DeliveryRow>> {
    let columns = COLUMNS
        .split(", ")
        .map(|c| format!("d.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT {columns} FROM deliveries d JOIN events e ON e.id = d.event_id \
         WHERE d.distributor_id = $1 AND d.state = 'DeadLettered' AND e.occurred_on >= $2 AND e.occurred_on < $3 \
         AND ($4 = '' OR d.target_id = $4) ORDER BY d.event_id, d.id"
    );
    let rows = sqlx::query(&sql)
        .bind(distributor_id)
        .bind(since)
        .bind(until)
        .bind(target_id.unwrap_or_default())
        .fetch_all(conn)
        .await?;
    Ok(rows.into_iter().map(map).collect())
}

/// Starts a new `Pending` series on an existing delivery, due at `now`; returns the new series.
pub async fn restart(conn: &mut AnyConnection, id: &str, url: &str, now: i64) -> StoreResult<i64> {
    let series: i64 = sqlx::query_scalar(
        "UPDATE deliveries SET state = 'Pending', series = series + 1, series_attempts = 0, next_attempt_on = $1, \
         url = $2, updated_on = $1 WHERE id = $3 RETURNING series",
    )
    .bind(now)
    .bind(url)
    .bind(id)
    .fetch_one(conn)
    .await?;
    Ok(series)
}

/// Records an attempt and its outcome, provided the delivery is still at `series` with
/// `attempts_before` attempts (else another run got there first and nothing is written). A
/// delivery that left `Pending` meanwhile (cancelled) keeps its state. Returns the state after.
pub async fn record_attempt(
    conn: &mut AnyConnection,
    series: i64,
    attempts_before: i64,
    attempt: &AttemptRow,
    update: AttemptUpdate<'_>,
) -> StoreResult<Option<String>> {
    let state: Option<String> = sqlx::query_scalar(
        "UPDATE deliveries SET state = CASE WHEN state = 'Pending' THEN $1 ELSE state END, \
         next_attempt_on = CASE WHEN state = 'Pending' THEN $2 ELSE NULL END, url = $3, updated_on = $4, \
         attempts = attempts + 1, series_attempts = series_attempts + 1 \
         WHERE id = $5 AND series = $6 AND attempts = $7 RETURNING state",
    )
    .bind(update.state)
    .bind(update.next_attempt_on)
    .bind(update.url)
    .bind(update.now)
    .bind(&attempt.delivery_id)
    .bind(series)
    .bind(attempts_before)
    .fetch_optional(&mut *conn)
    .await?;
    if state.is_none() {
        return Ok(None);
    }
    sqlx::query(
        "INSERT INTO delivery_attempts (delivery_id, attempt, attempted_on, response_status, error, duration_ms, response_body) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&attempt.delivery_id)
    .bind(attempt.attempt)
    .bind(attempt.attempted_on)
    .bind(attempt.response_status)
    .bind(&attempt.error)
    .bind(attempt.duration_ms)
    .bind(&attempt.response_body)
    .execute(conn)
    .await?;
    Ok(state)
}

/// Moves a `Pending` delivery to a final state without an attempt (target gone or disabled).
pub async fn finish_pending(
    conn: &mut AnyConnection,
    id: &str,
    state: &str,
    now: i64,
) -> StoreResult<()> {
    sqlx::query("UPDATE deliveries SET state = $1, next_attempt_on = NULL, updated_on = $2 WHERE id = $3 AND state = 'Pending'")
        .bind(state)
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Cancels every `Pending` delivery of a target; returns how many.
pub async fn cancel_pending(
    conn: &mut AnyConnection,
    target_id: &str,
    now: i64,
) -> StoreResult<u64> {
    let done = sqlx::query(
        "UPDATE deliveries SET state = 'Cancelled', next_attempt_on = NULL, updated_on = $1 WHERE target_id = $2 AND state = 'Pending'",
    )
    .bind(now)
    .bind(target_id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// Filters of the deliveries listing; every field narrows.
#[derive(Clone, Debug, Default)]
pub struct DeliveryFilter {
    /// Exact target id.
    pub target_id: Option<String>,
    /// Exact event id.
    pub event_id: Option<String>,
    /// Exact state.
    pub state: Option<String>,
}

/// One page of the distributor's deliveries in creation order, plus the total.
pub async fn query(
    conn: &mut AnyConnection,
    distributor_id: &str,
    f: &DeliveryFilter,
    offset: i64,
    limit: i64,
) -> StoreResult<(i64, Vec<DeliveryRow>)> {
    let filter = "distributor_id = $1 AND ($2 = '' OR target_id = $2) AND ($3 = '' OR event_id = $3) AND ($4 = '' OR state = $4)";
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM deliveries WHERE {filter}"))
        .bind(distributor_id)
        .bind(text(&f.target_id))
        .bind(text(&f.event_id))
        .bind(text(&f.state))
        .fetch_one(&mut *conn)
        .await?;
    let sql =
        format!("SELECT {COLUMNS} FROM deliveries WHERE {filter} ORDER BY id LIMIT $5 OFFSET $6");
    let rows = sqlx::query(&sql)
        .bind(distributor_id)
        .bind(text(&f.target_id))
        .bind(text(&f.event_id))
        .bind(text(&f.state))
        .bind(limit)
        .bind(offset)
        .fetch_all(conn)
        .await?;
    Ok((total, rows.into_iter().map(map).collect()))
}

/// The attempts of these deliveries, by delivery then attempt number.
pub async fn attempts_of(
    conn: &mut AnyConnection,
    delivery_ids: &[String],
) -> StoreResult<Vec<AttemptRow>> {
    if delivery_ids.is_empty() {
        return Ok(Vec::new());
    }
    let placeholders: Vec<String> = (1..=delivery_ids.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT delivery_id, attempt, attempted_on, response_status, error, duration_ms, response_body \
         FROM delivery_attempts WHERE delivery_id IN ({}) ORDER BY delivery_id, attempt",
        placeholders.join(", ")
    );
    let mut q = sqlx::query(&sql);
    for id in delivery_ids {
        q = q.bind(id);
    }
    let rows = q.fetch_all(conn).await?;
    Ok(rows
        .into_iter()
        .map(|r| AttemptRow {
            delivery_id: r.get(0),
            attempt: r.get(1),
            attempted_on: r.get(2),
            response_status: r.get(3),
            error: r.get(4),
            duration_ms: r.get(5),
            response_body: r.get(6),
        })
        .collect())
}

/// Deletes finished deliveries (and their attempts) created before `before`; returns how many.
pub async fn prune_finished(conn: &mut AnyConnection, before: i64) -> StoreResult<u64> {
    let done = sqlx::query("DELETE FROM deliveries WHERE state <> 'Pending' AND created_on < $1")
        .bind(before)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}
