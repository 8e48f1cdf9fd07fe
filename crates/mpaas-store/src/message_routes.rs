//! Message routes (MRID): where a number's inbound SMS/MMS and delivery receipts go.
//!
//! A deleted route keeps its row (`deleted_on`) so that it is still listed; every lookup by id
//! ignores it. Credentials are stored sealed only, and a delete erases them.

use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::StoreResult;

/// Which routes a list returns (`Filter`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RouteFilter {
    /// Live and deleted.
    #[default]
    All,
    /// Not deleted (enabled or not).
    Active,
    /// Deleted.
    Inactive,
}

impl RouteFilter {
    /// The SQL condition on `deleted_on`.
    pub(crate) fn condition(self) -> &'static str {
        match self {
            RouteFilter::All => "1 = 1",
            RouteFilter::Active => "deleted_on IS NULL",
            RouteFilter::Inactive => "deleted_on IS NOT NULL",
        }
    }
}

/// Statuses of a number that no longer hold on to its routes (`03-routes.md`, In use).
pub(crate) const RELEASED_STATUSES: &str = "('Released', 'PortedOut')";

/// The row-lock clause a read needs on this connection: PostgreSQL locks the row; SQLite's
/// single writer already serialises write transactions, and it has no such clause.
pub(crate) fn lock_clause(conn: &AnyConnection, clause: &'static str) -> &'static str {
    if conn.backend_name() == "PostgreSQL" {
        clause
    } else {
        ""
    }
}

/// A message route as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageRouteRow {
    /// `MRID-…`.
    pub id: String,
    /// Owner account.
    pub account_id: String,
    /// Owner distributor.
    pub distributor_id: String,
    /// `RouteName`.
    pub name: String,
    /// `MessageUrl`.
    pub message_url: String,
    /// `GET` or `POST`.
    pub message_url_method: String,
    /// `MessageRouteEnabled`.
    pub enabled: bool,
    /// `None`, `Basic` or `Bearer`.
    pub message_auth_type: String,
    /// Basic only.
    pub message_username: Option<String>,
    /// Sealed `MessagePasswordToken`.
    pub message_password_sealed: Option<String>,
    /// `CallbackMessageUrl`.
    pub callback_url: Option<String>,
    /// `GET` or `POST`.
    pub callback_url_method: String,
    /// `None`, `Basic` or `Bearer`.
    pub callback_auth_type: String,
    /// Basic only.
    pub callback_username: Option<String>,
    /// Sealed `CallbackMessagePasswordToken`.
    pub callback_password_sealed: Option<String>,
    /// Skip Guardian on inbound messages.
    pub inbound_bypass: bool,
    /// Skip Guardian on outbound messages.
    pub outbound_bypass: bool,
    /// Stored and returned.
    pub intelligent_route_enabled: bool,
    /// Platform time.
    pub created_on: i64,
    /// Platform time.
    pub updated_on: i64,
    /// Platform time of the delete.
    pub deleted_on: Option<i64>,
}

const COLUMNS: &str = "id, account_id, distributor_id, name, message_url, message_url_method, enabled, \
     message_auth_type, message_username, message_password_sealed, callback_url, callback_url_method, \
     callback_auth_type, callback_username, callback_password_sealed, inbound_bypass, outbound_bypass, \
     intelligent_route_enabled, created_on, updated_on, deleted_on";

fn flag(r: &AnyRow, column: &str) -> bool {
    r.get::<i64, _>(column) == 1
}

fn map(r: AnyRow) -> MessageRouteRow {
    MessageRouteRow {
        id: r.get("id"),
        account_id: r.get("account_id"),
        distributor_id: r.get("distributor_id"),
        name: r.get("name"),
        message_url: r.get("message_url"),
        message_url_method: r.get("message_url_method"),
        enabled: flag(&r, "enabled"),
        message_auth_type: r.get("message_auth_type"),
        message_username: r.get("message_username"),
        message_password_sealed: r.get("message_password_sealed"),
        callback_url: r.get("callback_url"),
        callback_url_method: r.get("callback_url_method"),
        callback_auth_type: r.get("callback_auth_type"),
        callback_username: r.get("callback_username"),
        callback_password_sealed: r.get("callback_password_sealed"),
        inbound_bypass: flag(&r, "inbound_bypass"),
        outbound_bypass: flag(&r, "outbound_bypass"),
        intelligent_route_enabled: flag(&r, "intelligent_route_enabled"),
        created_on: r.get("created_on"),
        updated_on: r.get("updated_on"),
        deleted_on: r.get("deleted_on"),
    }
}

/// Inserts a route (its `deleted_on` is ignored: a new route is live).
pub async fn insert(conn: &mut AnyConnection, m: &MessageRouteRow) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO message_routes (id, account_id, distributor_id, name, message_url, message_url_method, \
         enabled, message_auth_type, message_username, message_password_sealed, callback_url, \
         callback_url_method, callback_auth_type, callback_username, callback_password_sealed, \
         inbound_bypass, outbound_bypass, intelligent_route_enabled, created_on, updated_on) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)",
    )
    .bind(&m.id)
    .bind(&m.account_id)
    .bind(&m.distributor_id)
    .bind(&m.name)
    .bind(&m.message_url)
    .bind(&m.message_url_method)
    .bind(i64::from(m.enabled))
    .bind(&m.message_auth_type)
    .bind(&m.message_username)
    .bind(&m.message_password_sealed)
    .bind(&m.callback_url)
    .bind(&m.callback_url_method)
    .bind(&m.callback_auth_type)
    .bind(&m.callback_username)
    .bind(&m.callback_password_sealed)
    .bind(i64::from(m.inbound_bypass))
    .bind(i64::from(m.outbound_bypass))
    .bind(i64::from(m.intelligent_route_enabled))
    .bind(m.created_on)
    .bind(m.updated_on)
    .execute(conn)
    .await?;
    Ok(())
}

/// Overwrites every editable value of a live route.
pub async fn update(conn: &mut AnyConnection, m: &MessageRouteRow) -> StoreResult<()> {
    sqlx::query(
        "UPDATE message_routes SET name = $1, message_url = $2, message_url_method = $3, enabled = $4, \
         message_auth_type = $5, message_username = $6, message_password_sealed = $7, callback_url = $8, \
         callback_url_method = $9, callback_auth_type = $10, callback_username = $11, \
         callback_password_sealed = $12, inbound_bypass = $13, outbound_bypass = $14, \
         intelligent_route_enabled = $15, updated_on = $16 WHERE id = $17 AND deleted_on IS NULL",
    )
    .bind(&m.name)
    .bind(&m.message_url)
    .bind(&m.message_url_method)
    .bind(i64::from(m.enabled))
    .bind(&m.message_auth_type)
    .bind(&m.message_username)
    .bind(&m.message_password_sealed)
    .bind(&m.callback_url)
    .bind(&m.callback_url_method)
    .bind(&m.callback_auth_type)
    .bind(&m.callback_username)
    .bind(&m.callback_password_sealed)
    .bind(i64::from(m.inbound_bypass))
    .bind(i64::from(m.outbound_bypass))
    .bind(i64::from(m.intelligent_route_enabled))
    .bind(m.updated_on)
    .bind(&m.id)
    .execute(conn)
    .await?;
    Ok(())
}

async fn find_live(
    conn: &mut AnyConnection,
    distributor_id: &str,
    id: &str,
    lock: &'static str,
) -> StoreResult<Option<MessageRouteRow>> {
    let lock = lock_clause(conn, lock);
    let sql = format!(
        "SELECT {COLUMNS} FROM message_routes \
         WHERE id = $1 AND distributor_id = $2 AND deleted_on IS NULL{lock}"
    );
    Ok(sqlx::query(&sql)
        .bind(id)
        .bind(distributor_id)
        .fetch_optional(conn)
        .await?
        .map(map))
}

/// A live route of the distributor.
pub async fn find(
    conn: &mut AnyConnection,
    distributor_id: &str,
    id: &str,
) -> StoreResult<Option<MessageRouteRow>> {
    find_live(conn, distributor_id, id, "").await
}

/// Like [`find`], and on PostgreSQL locks the row for the rest of the transaction, so that a
/// delete and a concurrent use of the route are serialised.
pub async fn find_for_update(
    conn: &mut AnyConnection,
    distributor_id: &str,
    id: &str,
) -> StoreResult<Option<MessageRouteRow>> {
    find_live(conn, distributor_id, id, " FOR UPDATE").await
}

/// Like [`find`], and on PostgreSQL holds a share lock until the end of the transaction: a
/// number that starts to reference the route either waits for a concurrent delete (and then
/// sees the route gone) or makes that delete wait and find the route in use.
pub async fn find_for_share(
    conn: &mut AnyConnection,
    distributor_id: &str,
    id: &str,
) -> StoreResult<Option<MessageRouteRow>> {
    find_live(conn, distributor_id, id, " FOR SHARE").await
}

/// One page of an account's routes in creation order, plus the total under the filter.
pub async fn list(
    conn: &mut AnyConnection,
    distributor_id: &str,
    account_id: &str,
    filter: RouteFilter,
    offset: i64,
    limit: i64,
) -> StoreResult<(i64, Vec<MessageRouteRow>)> {
    let condition = format!(
        "distributor_id = $1 AND account_id = $2 AND {}",
        filter.condition()
    );
    let total: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM message_routes WHERE {condition}"
    ))
    .bind(distributor_id)
    .bind(account_id)
    .fetch_one(&mut *conn)
    .await?;
    let sql = format!(
        "SELECT {COLUMNS} FROM message_routes WHERE {condition} ORDER BY id LIMIT $3 OFFSET $4"
    );
    let rows = sqlx::query(&sql)
        .bind(distributor_id)
        .bind(account_id)
        .bind(limit)
        .bind(offset)
        .fetch_all(conn)
        .await?;
    Ok((total, rows.into_iter().map(map).collect()))
}

/// True while a number in a status other than `Released` or `PortedOut` references the route.
pub async fn in_use(conn: &mut AnyConnection, id: &str) -> StoreResult<bool> {
    let sql = format!(
        "SELECT COUNT(*) FROM (SELECT 1 FROM phone_numbers WHERE message_route_id = $1 \
         AND status NOT IN {RELEASED_STATUSES} LIMIT 1) used"
    );
    let count: i64 = sqlx::query_scalar(&sql).bind(id).fetch_one(conn).await?;
    Ok(count > 0)
}

/// Marks a live route deleted and erases its credentials (the schema allows no credentials
/// without a sealed secret, so both auth types go back to `None`).
pub async fn mark_deleted(conn: &mut AnyConnection, id: &str, now: i64) -> StoreResult<()> {
    sqlx::query(
        "UPDATE message_routes SET deleted_on = $1, updated_on = $1, message_auth_type = 'None', \
         message_username = NULL, message_password_sealed = NULL, callback_auth_type = 'None', \
         callback_username = NULL, callback_password_sealed = NULL \
         WHERE id = $2 AND deleted_on IS NULL",
    )
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}
