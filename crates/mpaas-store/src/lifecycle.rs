//! Queries of the number lifecycle (05 §1.3, §2.7, §2.8): scheduled status
//! changes, subscriptions that follow a number, and savepoints so that one item of a scheduled
//! order can fail without undoing the others.

use sqlx::AnyConnection;

use crate::{Backend, StoreResult};

/// Name of the partial unique index that allows one `Scheduled` item per number.
pub const ONE_SCHEDULED_INDEX: &str = "order_items_one_scheduled";

/// True when a status change is scheduled for `number`.
pub async fn has_scheduled_change(conn: &mut AnyConnection, number: &str) -> StoreResult<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM order_items WHERE number = $1 AND status = 'Scheduled'",
    )
    .bind(number)
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}

/// Locks an order row for the transaction (PostgreSQL; SQLite's single writer already
/// serialises write transactions), so a cancellation and the scheduled run never interleave.
pub async fn lock_order(conn: &mut AnyConnection, id: &str, backend: Backend) -> StoreResult<()> {
    if backend == Backend::Postgres {
        sqlx::query("SELECT id FROM orders WHERE id = $1 FOR UPDATE")
            .bind(id)
            .fetch_optional(conn)
            .await?;
    }
    Ok(())
}

/// Moves every item of an order in status `from` to `to` (an order cancelled or started).
pub async fn set_items_status(
    conn: &mut AnyConnection,
    order_id: &str,
    from: &str,
    to: &str,
) -> StoreResult<()> {
    sqlx::query("UPDATE order_items SET status = $1 WHERE order_id = $2 AND status = $3")
        .bind(to)
        .bind(order_id)
        .bind(from)
        .execute(conn)
        .await?;
    Ok(())
}

/// Re-points the active subscription of a number row to the row that took over.
pub async fn move_active_subscription(
    conn: &mut AnyConnection,
    from_number_id: &str,
    to_number_id: &str,
) -> StoreResult<()> {
    sqlx::query("UPDATE subscriptions SET number_id = $1 WHERE number_id = $2 AND active = 1")
        .bind(to_number_id)
        .bind(from_number_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// A savepoint inside the current transaction (same syntax on SQLite and PostgreSQL).
pub async fn savepoint(conn: &mut AnyConnection, name: &str) -> StoreResult<()> {
    sqlx::query(&format!("SAVEPOINT {}", savepoint_name(name)))
        .execute(conn)
        .await?;
    Ok(())
}

/// Undoes everything since the savepoint (and clears an aborted PostgreSQL transaction).
pub async fn rollback_to_savepoint(conn: &mut AnyConnection, name: &str) -> StoreResult<()> {
    sqlx::query(&format!("ROLLBACK TO SAVEPOINT {}", savepoint_name(name)))
        .execute(&mut *conn)
        .await?;
    release_savepoint(conn, name).await
}

/// Keeps everything since the savepoint.
pub async fn release_savepoint(conn: &mut AnyConnection, name: &str) -> StoreResult<()> {
    sqlx::query(&format!("RELEASE SAVEPOINT {}", savepoint_name(name)))
        .execute(conn)
        .await?;
    Ok(())
}

/// Savepoint names are identifiers, not parameters: keep letters, digits and `_` only.
fn savepoint_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    format!("sp_{cleaned}")
}

#[cfg(test)]
mod tests {
    use super::savepoint_name;

    #[test]
    fn savepoint_names_are_plain_identifiers() {
        assert_eq!(savepoint_name("item"), "sp_item");
        assert_eq!(savepoint_name("a; DROP TABLE x"), "sp_aDROPTABLEx");
        assert_eq!(savepoint_name(&savepoint_name("item")), "sp_sp_item");
    }
}
