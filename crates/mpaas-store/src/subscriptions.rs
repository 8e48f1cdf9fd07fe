//! Subscriptions: a package tied to a subscriber's number. At most one active subscription per
//! number (partial unique index [`ONE_ACTIVE_INDEX`]).

use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use sqlx::Row;

use crate::bulk::placeholders;
use crate::{Backend, StoreResult};

/// Name of the partial unique index that allows one active subscription per number.
pub const ONE_ACTIVE_INDEX: &str = "subscriptions_one_active_per_number";

/// A subscription as stored, with its number's E.164.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubscriptionRow {
    /// `SUB-…`.
    pub id: String,
    /// Owner distributor.
    pub distributor_id: String,
    /// The subscriber's account.
    pub account_id: String,
    /// `TSUID-…`.
    pub subscriber_id: String,
    /// `NID-…`.
    pub number_id: String,
    /// E.164 of the number.
    pub phone_number: String,
    /// SIM of the number when the subscription was made or last changed.
    pub iccid: Option<String>,
    /// `PID-…`.
    pub package_id: String,
    /// `Mvno` or `Iot`.
    pub subscription_type: String,
    /// Not ended.
    pub active: bool,
    /// Platform time.
    pub started_on: i64,
    /// Platform time.
    pub ended_on: Option<i64>,
    /// `Cancelled`, `NumberCancelled`, `NumberPortedOut`.
    pub end_reason: Option<String>,
}

/// Values of a new, active subscription.
#[derive(Clone, Debug)]
pub struct NewSubscription<'a> {
    /// `SUB-…`.
    pub id: &'a str,
    /// Owner distributor.
    pub distributor_id: &'a str,
    /// The subscriber's account.
    pub account_id: &'a str,
    /// `TSUID-…`.
    pub subscriber_id: &'a str,
    /// `NID-…`.
    pub number_id: &'a str,
    /// Bound SIM.
    pub iccid: Option<&'a str>,
    /// `PID-…`.
    pub package_id: &'a str,
    /// `Mvno` or `Iot`.
    pub subscription_type: &'a str,
}

/// Which subscriptions a list is about.
#[derive(Clone, Copy, Debug)]
pub enum Scope<'a> {
    /// Every subscription of the distributor.
    Distributor,
    /// One account.
    Account(&'a str),
    /// One subscriber.
    Subscriber(&'a str),
    /// One package.
    Package(&'a str),
}

/// What a subscription needs to know about a package.
#[derive(Clone, Debug)]
pub struct PackageFacts {
    /// `PID-…`.
    pub id: String,
    /// Open to new subscriptions.
    pub active: bool,
    /// Scope to one subscriber.
    pub subscriber_id: Option<String>,
}

const SELECT: &str =
    "SELECT s.id, s.distributor_id, s.account_id, s.subscriber_id, s.number_id, n.number, \
     s.iccid, s.package_id, s.subscription_type, s.active, s.started_on, s.ended_on, s.end_reason \
     FROM subscriptions s JOIN phone_numbers n ON n.id = s.number_id";

fn map(r: AnyRow) -> SubscriptionRow {
    SubscriptionRow {
        id: r.get(0),
        distributor_id: r.get(1),
        account_id: r.get(2),
        subscriber_id: r.get(3),
        number_id: r.get(4),
        phone_number: r.get(5),
        iccid: r.get(6),
        package_id: r.get(7),
        subscription_type: r.get(8),
        active: r.get::<i64, _>(9) == 1,
        started_on: r.get(10),
        ended_on: r.get(11),
        end_reason: r.get(12),
    }
}

/// Inserts an active subscription; a second active one on the number fails with a unique
/// violation on [`ONE_ACTIVE_INDEX`].
pub async fn insert(
    conn: &mut AnyConnection,
    s: &NewSubscription<'_>,
    now: i64,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO subscriptions (id, distributor_id, account_id, subscriber_id, number_id, iccid, \
         package_id, subscription_type, active, started_on) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9)",
    )
    .bind(s.id)
    .bind(s.distributor_id)
    .bind(s.account_id)
    .bind(s.subscriber_id)
    .bind(s.number_id)
    .bind(s.iccid)
    .bind(s.package_id)
    .bind(s.subscription_type)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// A subscription of the distributor by id, locked when `lock` is PostgreSQL.
pub async fn find(
    conn: &mut AnyConnection,
    distributor_id: &str,
    id: &str,
    lock: Option<Backend>,
) -> StoreResult<Option<SubscriptionRow>> {
    let lock = match lock {
        Some(Backend::Postgres) => " FOR UPDATE OF s",
        _ => "",
    };
    let sql = format!("{SELECT} WHERE s.id = $1 AND s.distributor_id = $2{lock}");
    Ok(sqlx::query(&sql)
        .bind(id)
        .bind(distributor_id)
        .fetch_optional(conn)
        .await?
        .map(map))
}

/// The active subscription on a number row, if any.
pub async fn active_for_number(
    conn: &mut AnyConnection,
    number_id: &str,
) -> StoreResult<Option<SubscriptionRow>> {
    let sql = format!("{SELECT} WHERE s.number_id = $1 AND s.active = 1");
    Ok(sqlx::query(&sql)
        .bind(number_id)
        .fetch_optional(conn)
        .await?
        .map(map))
}

/// Active subscriptions of the given subscribers, ordered by subscriber then creation.
pub async fn active_of_subscribers(
    conn: &mut AnyConnection,
    subscriber_ids: &[&str],
) -> StoreResult<Vec<SubscriptionRow>> {
    if subscriber_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "{SELECT} WHERE s.subscriber_id IN ({}) AND s.active = 1 ORDER BY s.subscriber_id, s.id",
        placeholders(1, subscriber_ids.len())
    );
    let mut query = sqlx::query(&sql);
    for id in subscriber_ids {
        query = query.bind(*id);
    }
    Ok(query.fetch_all(conn).await?.into_iter().map(map).collect())
}

fn scope_clause(scope: Scope<'_>) -> (&'static str, Option<&str>) {
    match scope {
        Scope::Distributor => ("", None),
        Scope::Account(id) => (" AND s.account_id = $2", Some(id)),
        Scope::Subscriber(id) => (" AND s.subscriber_id = $2", Some(id)),
        Scope::Package(id) => (" AND s.package_id = $2", Some(id)),
    }
}

/// One page of subscriptions in creation order, plus the total; `active` filters on the flag.
pub async fn list(
    conn: &mut AnyConnection,
    distributor_id: &str,
    scope: Scope<'_>,
    active: Option<bool>,
    (offset, limit): (i64, i64),
) -> StoreResult<(i64, Vec<SubscriptionRow>)> {
    let (clause, value) = scope_clause(scope);
    let filter = match active {
        Some(true) => " AND s.active = 1",
        Some(false) => " AND s.active = 0",
        None => "",
    };
    let first_free = if value.is_some() { 3 } else { 2 };
    let where_sql = format!("WHERE s.distributor_id = $1{clause}{filter}");
    let count_sql = format!("SELECT COUNT(*) FROM subscriptions s {where_sql}");
    let mut count = sqlx::query_scalar(&count_sql).bind(distributor_id);
    if let Some(v) = value {
        count = count.bind(v);
    }
    let total: i64 = count.fetch_one(&mut *conn).await?;
    let page_sql = format!(
        "{SELECT} {where_sql} ORDER BY s.id LIMIT ${first_free} OFFSET ${}",
        first_free + 1
    );
    let mut page = sqlx::query(&page_sql).bind(distributor_id);
    if let Some(v) = value {
        page = page.bind(v);
    }
    let rows = page.bind(limit).bind(offset).fetch_all(conn).await?;
    Ok((total, rows.into_iter().map(map).collect()))
}

/// Ends an active subscription.
pub async fn end(conn: &mut AnyConnection, id: &str, reason: &str, now: i64) -> StoreResult<()> {
    sqlx::query(
        "UPDATE subscriptions SET active = 0, ended_on = $1, end_reason = $2 WHERE id = $3 AND active = 1",
    )
    .bind(now)
    .bind(reason)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// True when the subscriber has at least one active subscription.
pub async fn subscriber_has_active(
    conn: &mut AnyConnection,
    subscriber_id: &str,
) -> StoreResult<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM subscriptions WHERE subscriber_id = $1 AND active = 1",
    )
    .bind(subscriber_id)
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}

/// Every subscription of the subscriber follows it to `account_id` (transfer).
pub async fn move_subscriber(
    conn: &mut AnyConnection,
    subscriber_id: &str,
    account_id: &str,
) -> StoreResult<()> {
    sqlx::query("UPDATE subscriptions SET account_id = $1 WHERE subscriber_id = $2")
        .bind(account_id)
        .bind(subscriber_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// A package of the distributor as far as subscribing to it is concerned.
pub async fn package_facts(
    conn: &mut AnyConnection,
    distributor_id: &str,
    package_id: &str,
) -> StoreResult<Option<PackageFacts>> {
    let row = sqlx::query(
        "SELECT id, active, subscriber_id FROM packages WHERE id = $1 AND distributor_id = $2",
    )
    .bind(package_id)
    .bind(distributor_id)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| PackageFacts {
        id: r.get(0),
        active: r.get::<i64, _>(1) == 1,
        subscriber_id: r.get(2),
    }))
}

/// Records the SIM now serving an active subscription's number (SIM replaced).
pub async fn set_iccid(conn: &mut AnyConnection, id: &str, iccid: Option<&str>) -> StoreResult<()> {
    sqlx::query("UPDATE subscriptions SET iccid = $1 WHERE id = $2 AND active = 1")
        .bind(iccid)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}
