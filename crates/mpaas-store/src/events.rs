//! The events outbox: written in the same transaction as the change it describes.

use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use sqlx::Row;

use crate::bulk::write_rows;
use crate::{AnyQuery, StoreResult};

/// One immutable event.
#[derive(Clone, Debug)]
pub struct EventRow {
    /// `EVT-…` (UUIDv7: outbox order).
    pub id: String,
    /// Dotted type.
    pub event_type: String,
    /// Platform time.
    pub occurred_on: i64,
    /// Owner.
    pub distributor_id: String,
    /// Account concerned, if any.
    pub account_id: Option<String>,
    /// Resource that changed.
    pub resource_id: String,
    /// Payload JSON.
    pub data: String,
}

/// Appends an event.
pub async fn append(conn: &mut AnyConnection, e: &EventRow) -> StoreResult<()> {
    append_many(conn, std::slice::from_ref(e)).await
}

/// Appends events in the order given, many per statement.
pub async fn append_many(conn: &mut AnyConnection, rows: &[EventRow]) -> StoreResult<()> {
    let statement = |values: &str| {
        format!(
            "INSERT INTO events (id, distributor_id, account_id, type, resource_id, occurred_on, \
             data) VALUES {values}"
        )
    };
    write_rows(conn, rows, 7, statement, |query, e| {
        query
            .bind(&e.id)
            .bind(&e.distributor_id)
            .bind(&e.account_id)
            .bind(&e.event_type)
            .bind(&e.resource_id)
            .bind(e.occurred_on)
            .bind(&e.data)
    })
    .await
}

fn map(r: AnyRow) -> EventRow {
    EventRow {
        id: r.get(0),
        distributor_id: r.get(1),
        account_id: r.get(2),
        event_type: r.get(3),
        resource_id: r.get(4),
        occurred_on: r.get(5),
        data: r.get(6),
    }
}

/// Events of a distributor in outbox order (used by tests and, later, the events API).
pub async fn list_for_distributor(
    conn: &mut AnyConnection,
    distributor_id: &str,
) -> StoreResult<Vec<EventRow>> {
    let rows = sqlx::query(
        "SELECT id, distributor_id, account_id, type, resource_id, occurred_on, data FROM events WHERE distributor_id = $1 ORDER BY id",
    )
    .bind(distributor_id)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(map).collect())
}

/// Deletes events that occurred before `before` (platform time); returns how many.
pub async fn prune(conn: &mut AnyConnection, before: i64) -> StoreResult<u64> {
    let done = sqlx::query("DELETE FROM events WHERE occurred_on < $1")
        .bind(before)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}

/// Filters of the events listing; every field narrows.
#[derive(Clone, Debug, Default)]
pub struct EventFilter {
    /// Exact type, or a `LIKE` pattern (already escaped with `\`).
    pub type_like: Option<String>,
    /// Exact resource id.
    pub resource_id: Option<String>,
    /// Exact account id.
    pub account_id: Option<String>,
    /// `occurred_on >= since`.
    pub since: Option<i64>,
    /// `occurred_on < until`.
    pub until: Option<i64>,
    /// Only ids greater than this one.
    pub after: Option<String>,
}

/// One page of a distributor's events in outbox order, plus the total.
pub async fn query(
    conn: &mut AnyConnection,
    distributor_id: &str,
    f: &EventFilter,
    offset: i64,
    limit: i64,
) -> StoreResult<(i64, Vec<EventRow>)> {
    let filter = "distributor_id = $1 AND ($2 = '' OR type LIKE $2 ESCAPE '\\') AND ($3 = '' OR resource_id = $3) \
         AND ($4 = '' OR account_id = $4) AND occurred_on >= $5 AND occurred_on < $6 AND ($7 = '' OR id > $7)";
    let count_sql = format!("SELECT COUNT(*) FROM events WHERE {filter}");
    let list_sql = format!(
        "SELECT id, distributor_id, account_id, type, resource_id, occurred_on, data FROM events WHERE {filter} ORDER BY id LIMIT $8 OFFSET $9"
    );
    let total: i64 = bind_filter(sqlx::query(&count_sql), distributor_id, f)
        .fetch_one(&mut *conn)
        .await?
        .get(0);
    let rows = bind_filter(sqlx::query(&list_sql), distributor_id, f)
        .bind(limit)
        .bind(offset)
        .fetch_all(conn)
        .await?;
    Ok((total, rows.into_iter().map(map).collect()))
}

/// Binds `$1`..`$7` of the listing filter.
fn bind_filter<'q>(q: AnyQuery<'q>, distributor_id: &'q str, f: &'q EventFilter) -> AnyQuery<'q> {
    let text = |v: &'q Option<String>| v.as_deref().unwrap_or_default();
    q.bind(distributor_id)
        .bind(text(&f.type_like))
        .bind(text(&f.resource_id))
        .bind(text(&f.account_id))
        .bind(f.since.unwrap_or(i64::MIN))
        .bind(f.until.unwrap_or(i64::MAX))
        .bind(text(&f.after))
}

/// One event of a distributor.
pub async fn find(
    conn: &mut AnyConnection,
    distributor_id: &str,
    id: &str,
) -> StoreResult<Option<EventRow>> {
    let row = sqlx::query(
        "SELECT id, distributor_id, account_id, type, resource_id, occurred_on, data FROM events WHERE distributor_id = $1 AND id = $2",
    )
    .bind(distributor_id)
    .bind(id)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(map))
}

/// One event by id, whoever owns it (the delivery engine).
pub async fn get(conn: &mut AnyConnection, id: &str) -> StoreResult<Option<EventRow>> {
    let row = sqlx::query("SELECT id, distributor_id, account_id, type, resource_id, occurred_on, data FROM events WHERE id = $1")
        .bind(id)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(map))
}
