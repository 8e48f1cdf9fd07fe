//! Accounts: a family or a business under one distributor.

use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use sqlx::Row;

use crate::StoreResult;

/// An account as stored, with its live subscriber count.
#[derive(Clone, Debug)]
pub struct AccountRow {
    /// `AID-…`.
    pub id: String,
    /// Owner.
    pub distributor_id: String,
    /// Display name.
    pub name: String,
    /// Manager email (stored only).
    pub admin_email: String,
    /// Address JSON.
    pub billing_address: String,
    /// Address JSON.
    pub mailing_address: String,
    /// Platform time.
    pub created_on: i64,
    /// Non-deleted subscribers.
    pub total_subscribers: i64,
}

/// Values written on create and update.
#[derive(Clone, Debug)]
pub struct AccountValues<'a> {
    /// Display name.
    pub name: &'a str,
    /// Manager email.
    pub admin_email: &'a str,
    /// Address JSON.
    pub billing_address: &'a str,
    /// Address JSON.
    pub mailing_address: &'a str,
}

const SELECT: &str = "SELECT a.id, a.distributor_id, a.name, a.admin_email, a.billing_address, a.mailing_address, \
     a.created_on, (SELECT COUNT(*) FROM subscribers s WHERE s.account_id = a.id AND s.deleted_on IS NULL) \
     FROM accounts a";

fn map(r: AnyRow) -> AccountRow {
    AccountRow {
        id: r.get(0),
        distributor_id: r.get(1),
        name: r.get(2),
        admin_email: r.get(3),
        billing_address: r.get(4),
        mailing_address: r.get(5),
        created_on: r.get(6),
        total_subscribers: r.get(7),
    }
}

/// Inserts an account.
pub async fn insert(
    conn: &mut AnyConnection,
    id: &str,
    distributor_id: &str,
    v: &AccountValues<'_>,
    now: i64,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO accounts (id, distributor_id, name, admin_email, billing_address, mailing_address, created_on, updated_on) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
    )
    .bind(id)
    .bind(distributor_id)
    .bind(v.name)
    .bind(v.admin_email)
    .bind(v.billing_address)
    .bind(v.mailing_address)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Overwrites the editable values.
pub async fn update(
    conn: &mut AnyConnection,
    id: &str,
    v: &AccountValues<'_>,
    now: i64,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE accounts SET name = $1, admin_email = $2, billing_address = $3, mailing_address = $4, updated_on = $5 WHERE id = $6",
    )
    .bind(v.name)
    .bind(v.admin_email)
    .bind(v.billing_address)
    .bind(v.mailing_address)
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// The account with this id owned by this distributor.
pub async fn find(
    conn: &mut AnyConnection,
    distributor_id: &str,
    id: &str,
) -> StoreResult<Option<AccountRow>> {
    let sql = format!("{SELECT} WHERE a.id = $1 AND a.distributor_id = $2");
    Ok(sqlx::query(&sql)
        .bind(id)
        .bind(distributor_id)
        .fetch_optional(conn)
        .await?
        .map(map))
}

/// Up to two accounts of the distributor: enough to apply the tenancy default rule.
pub async fn first_two(
    conn: &mut AnyConnection,
    distributor_id: &str,
) -> StoreResult<Vec<AccountRow>> {
    let sql = format!("{SELECT} WHERE a.distributor_id = $1 ORDER BY a.id LIMIT 2");
    Ok(sqlx::query(&sql)
        .bind(distributor_id)
        .fetch_all(conn)
        .await?
        .into_iter()
        .map(map)
        .collect())
}

/// One page of the distributor's accounts in creation order, plus the total.
pub async fn list(
    conn: &mut AnyConnection,
    distributor_id: &str,
    offset: i64,
    limit: i64,
) -> StoreResult<(i64, Vec<AccountRow>)> {
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM accounts WHERE distributor_id = $1")
        .bind(distributor_id)
        .fetch_one(&mut *conn)
        .await?;
    let sql = format!("{SELECT} WHERE a.distributor_id = $1 ORDER BY a.id LIMIT $2 OFFSET $3");
    let rows = sqlx::query(&sql)
        .bind(distributor_id)
        .bind(limit)
        .bind(offset)
        .fetch_all(conn)
        .await?;
    Ok((total, rows.into_iter().map(map).collect()))
}
