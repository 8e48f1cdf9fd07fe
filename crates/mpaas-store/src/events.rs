//! The events outbox: written in the same transaction as the change it describes.

use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use sqlx::Row;

use crate::StoreResult;

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
    sqlx::query(
        "INSERT INTO events (id, distributor_id, account_id, type, resource_id, occurred_on, data) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(&e.id)
    .bind(&e.distributor_id)
    .bind(&e.account_id)
    .bind(&e.event_type)
    .bind(&e.resource_id)
    .bind(e.occurred_on)
    .bind(&e.data)
    .execute(conn)
    .await?;
    Ok(())
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
