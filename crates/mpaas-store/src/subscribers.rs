//! Subscribers: people (or service identities) inside one account.

use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use sqlx::Row;

use crate::StoreResult;

/// Name of the unique index on lower-cased email among non-deleted subscribers.
pub const EMAIL_UNIQUE_INDEX: &str = "subscribers_email_unique";

/// A subscriber as stored, with its account's name.
#[derive(Clone, Debug)]
pub struct SubscriberRow {
    /// `TSUID-…`.
    pub id: String,
    /// Current account.
    pub account_id: String,
    /// The account's name (`CompanyName`).
    pub account_name: String,
    /// Owner distributor.
    pub distributor_id: String,
    /// Display name.
    pub name: String,
    /// Email as given.
    pub email: String,
    /// Exact role string.
    pub role: String,
    /// Platform time.
    pub created_on: i64,
}

/// Values of a new subscriber.
#[derive(Clone, Debug)]
pub struct NewSubscriber<'a> {
    /// `TSUID-…`.
    pub id: &'a str,
    /// Account.
    pub account_id: &'a str,
    /// Owner distributor (must own the account: composite foreign key).
    pub distributor_id: &'a str,
    /// Display name.
    pub name: &'a str,
    /// Email as given.
    pub email: &'a str,
    /// Exact role string.
    pub role: &'a str,
    /// argon2id PHC string.
    pub password_hash: &'a str,
}

/// Changes to apply; `None` leaves a column as it is.
#[derive(Clone, Debug, Default)]
pub struct SubscriberChanges<'a> {
    /// New name.
    pub name: Option<&'a str>,
    /// New email.
    pub email: Option<&'a str>,
    /// New role.
    pub role: Option<&'a str>,
    /// New password hash.
    pub password_hash: Option<&'a str>,
}

const SELECT: &str =
    "SELECT s.id, s.account_id, a.name, s.distributor_id, s.name, s.email, s.role, s.created_on \
     FROM subscribers s JOIN accounts a ON a.id = s.account_id";

fn map(r: AnyRow) -> SubscriberRow {
    SubscriberRow {
        id: r.get(0),
        account_id: r.get(1),
        account_name: r.get(2),
        distributor_id: r.get(3),
        name: r.get(4),
        email: r.get(5),
        role: r.get(6),
        created_on: r.get(7),
    }
}

/// Inserts a subscriber; a taken email fails with a unique violation on [`EMAIL_UNIQUE_INDEX`].
pub async fn insert(conn: &mut AnyConnection, s: &NewSubscriber<'_>, now: i64) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO subscribers (id, account_id, distributor_id, name, email, email_lower, role, password_hash, created_on, updated_on) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
    )
    .bind(s.id)
    .bind(s.account_id)
    .bind(s.distributor_id)
    .bind(s.name)
    .bind(s.email)
    .bind(s.email.to_lowercase())
    .bind(s.role)
    .bind(s.password_hash)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// A live subscriber of the distributor by id.
pub async fn find(
    conn: &mut AnyConnection,
    distributor_id: &str,
    id: &str,
) -> StoreResult<Option<SubscriberRow>> {
    let sql =
        format!("{SELECT} WHERE s.id = $1 AND s.distributor_id = $2 AND s.deleted_on IS NULL");
    Ok(sqlx::query(&sql)
        .bind(id)
        .bind(distributor_id)
        .fetch_optional(conn)
        .await?
        .map(map))
}

/// Like [`find`] but locks the row for the rest of the transaction (PostgreSQL; SQLite's single
/// writer already serialises write transactions).
pub async fn find_for_update(
    conn: &mut AnyConnection,
    distributor_id: &str,
    id: &str,
    postgres: bool,
) -> StoreResult<Option<SubscriberRow>> {
    let lock = if postgres { " FOR UPDATE OF s" } else { "" };
    let sql = format!(
        "{SELECT} WHERE s.id = $1 AND s.distributor_id = $2 AND s.deleted_on IS NULL{lock}"
    );
    Ok(sqlx::query(&sql)
        .bind(id)
        .bind(distributor_id)
        .fetch_optional(conn)
        .await?
        .map(map))
}

/// A live subscriber of the distributor by email, case-insensitively.
pub async fn find_by_email(
    conn: &mut AnyConnection,
    distributor_id: &str,
    email: &str,
) -> StoreResult<Option<SubscriberRow>> {
    let sql = format!(
        "{SELECT} WHERE s.email_lower = $1 AND s.distributor_id = $2 AND s.deleted_on IS NULL"
    );
    Ok(sqlx::query(&sql)
        .bind(email.to_lowercase())
        .bind(distributor_id)
        .fetch_optional(conn)
        .await?
        .map(map))
}

/// One page of live subscribers of the distributor, optionally of one account, plus the total.
pub async fn list(
    conn: &mut AnyConnection,
    distributor_id: &str,
    account_id: Option<&str>,
    offset: i64,
    limit: i64,
) -> StoreResult<(i64, Vec<SubscriberRow>)> {
    let filter =
        "s.distributor_id = $1 AND s.deleted_on IS NULL AND ($2 = '' OR s.account_id = $2)";
    let account = account_id.unwrap_or_default();
    let total: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM subscribers s WHERE {filter}"
    ))
    .bind(distributor_id)
    .bind(account)
    .fetch_one(&mut *conn)
    .await?;
    let sql = format!("{SELECT} WHERE {filter} ORDER BY s.id LIMIT $3 OFFSET $4");
    let rows = sqlx::query(&sql)
        .bind(distributor_id)
        .bind(account)
        .bind(limit)
        .bind(offset)
        .fetch_all(conn)
        .await?;
    Ok((total, rows.into_iter().map(map).collect()))
}

/// Applies the given changes.
pub async fn update(
    conn: &mut AnyConnection,
    id: &str,
    c: &SubscriberChanges<'_>,
    now: i64,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE subscribers SET name = COALESCE($1, name), email = COALESCE($2, email), email_lower = COALESCE($3, email_lower), \
         role = COALESCE($4, role), password_hash = COALESCE($5, password_hash), updated_on = $6 WHERE id = $7",
    )
    .bind(c.name)
    .bind(c.email)
    .bind(c.email.map(str::to_lowercase))
    .bind(c.role)
    .bind(c.password_hash)
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Moves a subscriber to another account of the same distributor.
pub async fn set_account(
    conn: &mut AnyConnection,
    id: &str,
    account_id: &str,
    now: i64,
) -> StoreResult<()> {
    sqlx::query("UPDATE subscribers SET account_id = $1, updated_on = $2 WHERE id = $3")
        .bind(account_id)
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Marks a subscriber deleted; its email becomes free.
pub async fn mark_deleted(conn: &mut AnyConnection, id: &str, now: i64) -> StoreResult<()> {
    sqlx::query("UPDATE subscribers SET deleted_on = $1, updated_on = $1 WHERE id = $2 AND deleted_on IS NULL")
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}
