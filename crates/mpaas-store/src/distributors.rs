//! Distributors: API credentials holders.

use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use sqlx::Row;

use crate::StoreResult;

/// A distributor as stored, with its account count computed at read time.
#[derive(Clone, Debug)]
pub struct DistributorRow {
    /// `DID-…`, also the `AccountKey`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// HMAC-SHA-256(pepper, secret), hex.
    pub secret_hash: String,
    /// Incremented by every rotation; tokens carry it as `sv`.
    pub secret_version: i64,
    /// `None` = platform default, `0` = unlimited.
    pub rate_limit_per_minute: Option<i64>,
    /// Address JSON.
    pub billing_address: String,
    /// Address JSON.
    pub mailing_address: String,
    /// Platform time.
    pub created_on: i64,
    /// Accounts of this distributor.
    pub total_accounts: i64,
}

/// Values of a new distributor.
#[derive(Clone, Debug)]
pub struct NewDistributor<'a> {
    /// Id (= key).
    pub id: &'a str,
    /// Display name.
    pub name: &'a str,
    /// Secret hash, hex.
    pub secret_hash: &'a str,
    /// Rate limit override.
    pub rate_limit_per_minute: Option<i64>,
    /// Address JSON.
    pub billing_address: &'a str,
    /// Address JSON.
    pub mailing_address: &'a str,
    /// Platform time.
    pub now: i64,
}

const SELECT: &str =
    "SELECT d.id, d.name, d.secret_hash, d.secret_version, d.rate_limit_per_minute, \
     d.billing_address, d.mailing_address, d.created_on, \
     (SELECT COUNT(*) FROM accounts a WHERE a.distributor_id = d.id) AS total_accounts \
     FROM distributors d";

fn map(r: AnyRow) -> DistributorRow {
    DistributorRow {
        id: r.get(0),
        name: r.get(1),
        secret_hash: r.get(2),
        secret_version: r.get(3),
        rate_limit_per_minute: r.get(4),
        billing_address: r.get(5),
        mailing_address: r.get(6),
        created_on: r.get(7),
        total_accounts: r.get(8),
    }
}

/// Inserts a distributor.
pub async fn insert(conn: &mut AnyConnection, d: &NewDistributor<'_>) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO distributors (id, id_lower, name, secret_hash, secret_version, rate_limit_per_minute, \
         billing_address, mailing_address, created_on, updated_on) VALUES ($1, $2, $3, $4, 1, $5, $6, $7, $8, $8)",
    )
    .bind(d.id)
    .bind(d.id.to_ascii_lowercase())
    .bind(d.name)
    .bind(d.secret_hash)
    .bind(d.rate_limit_per_minute)
    .bind(d.billing_address)
    .bind(d.mailing_address)
    .bind(d.now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Finds a distributor by id or key, case-insensitively.
pub async fn find(conn: &mut AnyConnection, id: &str) -> StoreResult<Option<DistributorRow>> {
    let sql = format!("{SELECT} WHERE d.id_lower = $1");
    let row = sqlx::query(&sql)
        .bind(id.to_ascii_lowercase())
        .fetch_optional(conn)
        .await?;
    Ok(row.map(map))
}

/// The secret version only (token checks).
pub async fn secret_version(conn: &mut AnyConnection, id: &str) -> StoreResult<Option<i64>> {
    let row = sqlx::query("SELECT secret_version FROM distributors WHERE id_lower = $1")
        .bind(id.to_ascii_lowercase())
        .fetch_optional(conn)
        .await?;
    Ok(row.map(|r| r.get(0)))
}

/// One page of distributors in creation order, plus the total.
pub async fn list(
    conn: &mut AnyConnection,
    offset: i64,
    limit: i64,
) -> StoreResult<(i64, Vec<DistributorRow>)> {
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM distributors")
        .fetch_one(&mut *conn)
        .await?;
    let sql = format!("{SELECT} ORDER BY d.created_on, d.id LIMIT $1 OFFSET $2");
    let rows = sqlx::query(&sql)
        .bind(limit)
        .bind(offset)
        .fetch_all(conn)
        .await?;
    Ok((total, rows.into_iter().map(map).collect()))
}

/// Changes name and addresses (already merged by the caller).
pub async fn update_profile(
    conn: &mut AnyConnection,
    id: &str,
    name: &str,
    billing: &str,
    mailing: &str,
    now: i64,
) -> StoreResult<()> {
    sqlx::query("UPDATE distributors SET name = $1, billing_address = $2, mailing_address = $3, updated_on = $4 WHERE id = $5")
        .bind(name)
        .bind(billing)
        .bind(mailing)
        .bind(now)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Stores a new secret hash and bumps the version; returns the new version.
pub async fn rotate_secret(
    conn: &mut AnyConnection,
    id: &str,
    secret_hash: &str,
    now: i64,
) -> StoreResult<i64> {
    let version: i64 = sqlx::query_scalar(
        "UPDATE distributors SET secret_hash = $1, secret_version = secret_version + 1, updated_on = $2 \
         WHERE id = $3 RETURNING secret_version",
    )
    .bind(secret_hash)
    .bind(now)
    .bind(id)
    .fetch_one(conn)
    .await?;
    Ok(version)
}

/// Sets the rate limit override.
pub async fn set_rate_limit(
    conn: &mut AnyConnection,
    id: &str,
    limit: Option<i64>,
    now: i64,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE distributors SET rate_limit_per_minute = $1, updated_on = $2 WHERE id = $3",
    )
    .bind(limit)
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}
