//! Webhook endpoints of a distributor. Deleted endpoints keep their row (`deleted_on`) so their
//! deliveries stay listable; every lookup here ignores them.

use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::StoreResult;

/// A webhook endpoint as stored.
#[derive(Clone, Debug)]
pub struct WebhookRow {
    /// `WHK-…`.
    pub id: String,
    /// Owner.
    pub distributor_id: String,
    /// Only this account's events, when set.
    pub account_id: Option<String>,
    /// Absolute http(s) URL.
    pub url: String,
    /// JSON array of types or patterns.
    pub event_types: String,
    /// Free text.
    pub description: Option<String>,
    /// Receives deliveries.
    pub enabled: bool,
    /// Sealed signing secret.
    pub secret: String,
    /// Sealed previous secret, during a rotation grace.
    pub previous_secret: Option<String>,
    /// End of the rotation grace, platform time.
    pub previous_secret_expires_on: Option<i64>,
    /// Platform time.
    pub created_on: i64,
    /// Platform time.
    pub updated_on: i64,
}

const COLUMNS: &str =
    "id, distributor_id, account_id, url, event_types, description, enabled, secret, \
     previous_secret, previous_secret_expires_on, created_on, updated_on";

fn map(r: AnyRow) -> WebhookRow {
    WebhookRow {
        id: r.get(0),
        distributor_id: r.get(1),
        account_id: r.get(2),
        url: r.get(3),
        event_types: r.get(4),
        description: r.get(5),
        enabled: r.get::<i64, _>(6) == 1,
        secret: r.get(7),
        previous_secret: r.get(8),
        previous_secret_expires_on: r.get(9),
        created_on: r.get(10),
        updated_on: r.get(11),
    }
}

/// Inserts an endpoint.
pub async fn insert(conn: &mut AnyConnection, w: &WebhookRow) -> StoreResult<()> {
    sqlx::query(&format!(
        "INSERT INTO webhooks ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
    ))
    .bind(&w.id)
    .bind(&w.distributor_id)
    .bind(&w.account_id)
    .bind(&w.url)
    .bind(&w.event_types)
    .bind(&w.description)
    .bind(i64::from(w.enabled))
    .bind(&w.secret)
    .bind(&w.previous_secret)
    .bind(w.previous_secret_expires_on)
    .bind(w.created_on)
    .bind(w.updated_on)
    .execute(conn)
    .await?;
    Ok(())
}

/// Overwrites the editable values and the secrets of a live endpoint.
pub async fn update(conn: &mut AnyConnection, w: &WebhookRow) -> StoreResult<()> {
    sqlx::query(
        "UPDATE webhooks SET account_id = $1, url = $2, event_types = $3, description = $4, enabled = $5, \
         secret = $6, previous_secret = $7, previous_secret_expires_on = $8, updated_on = $9 \
         WHERE id = $10 AND deleted_on IS NULL",
    )
    .bind(&w.account_id)
    .bind(&w.url)
    .bind(&w.event_types)
    .bind(&w.description)
    .bind(i64::from(w.enabled))
    .bind(&w.secret)
    .bind(&w.previous_secret)
    .bind(w.previous_secret_expires_on)
    .bind(w.updated_on)
    .bind(&w.id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Marks an endpoint deleted.
pub async fn delete(conn: &mut AnyConnection, id: &str, now: i64) -> StoreResult<()> {
    sqlx::query("UPDATE webhooks SET deleted_on = $1, enabled = 0, updated_on = $1 WHERE id = $2 AND deleted_on IS NULL")
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// A live endpoint of the distributor.
pub async fn find(
    conn: &mut AnyConnection,
    distributor_id: &str,
    id: &str,
) -> StoreResult<Option<WebhookRow>> {
    let sql = format!("SELECT {COLUMNS} FROM webhooks WHERE id = $1 AND distributor_id = $2 AND deleted_on IS NULL");
    Ok(sqlx::query(&sql)
        .bind(id)
        .bind(distributor_id)
        .fetch_optional(conn)
        .await?
        .map(map))
}

/// A live endpoint by id alone (the delivery engine, which already knows the owner).
pub async fn find_live(conn: &mut AnyConnection, id: &str) -> StoreResult<Option<WebhookRow>> {
    let sql = format!("SELECT {COLUMNS} FROM webhooks WHERE id = $1 AND deleted_on IS NULL");
    Ok(sqlx::query(&sql)
        .bind(id)
        .fetch_optional(conn)
        .await?
        .map(map))
}

/// Live endpoints of the distributor.
pub async fn count_live(conn: &mut AnyConnection, distributor_id: &str) -> StoreResult<i64> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM webhooks WHERE distributor_id = $1 AND deleted_on IS NULL",
    )
    .bind(distributor_id)
    .fetch_one(conn)
    .await?)
}

/// One page of the distributor's live endpoints in creation order, plus the total.
pub async fn list(
    conn: &mut AnyConnection,
    distributor_id: &str,
    offset: i64,
    limit: i64,
) -> StoreResult<(i64, Vec<WebhookRow>)> {
    let total = count_live(&mut *conn, distributor_id).await?;
    let sql = format!(
        "SELECT {COLUMNS} FROM webhooks WHERE distributor_id = $1 AND deleted_on IS NULL ORDER BY id LIMIT $2 OFFSET $3"
    );
    let rows = sqlx::query(&sql)
        .bind(distributor_id)
        .bind(limit)
        .bind(offset)
        .fetch_all(conn)
        .await?;
    Ok((total, rows.into_iter().map(map).collect()))
}

/// True when the distributor has at least one enabled live endpoint.
pub async fn any_enabled(conn: &mut AnyConnection, distributor_id: &str) -> StoreResult<bool> {
    let found: Option<i64> = sqlx::query_scalar(
        "SELECT 1 FROM webhooks WHERE distributor_id = $1 AND enabled = 1 AND deleted_on IS NULL LIMIT 1",
    )
    .bind(distributor_id)
    .fetch_optional(conn)
    .await?;
    Ok(found.is_some())
}

/// Enabled live endpoints of the distributor (fan-out and replay).
pub async fn enabled_for(
    conn: &mut AnyConnection,
    distributor_id: &str,
) -> StoreResult<Vec<WebhookRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM webhooks WHERE distributor_id = $1 AND enabled = 1 AND deleted_on IS NULL ORDER BY id"
    );
    Ok(sqlx::query(&sql)
        .bind(distributor_id)
        .fetch_all(conn)
        .await?
        .into_iter()
        .map(map)
        .collect())
}

/// Takes the distributor's row lock until the end of the transaction, so that concurrent
/// registrations on PostgreSQL count the endpoint limit one after the other (SQLite has a single
/// writer already).
pub async fn lock_distributor(conn: &mut AnyConnection, distributor_id: &str) -> StoreResult<()> {
    sqlx::query("UPDATE distributors SET updated_on = updated_on WHERE id = $1")
        .bind(distributor_id)
        .execute(conn)
        .await?;
    Ok(())
}
