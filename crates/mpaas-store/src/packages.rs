//! Packages and their items. Packages are never deleted; items are (for good).

use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::StoreResult;

pub mod items;

/// A package as stored.
#[derive(Clone, Debug)]
pub struct PackageRow {
    /// `PID-…`.
    pub id: String,
    /// Owner.
    pub distributor_id: String,
    /// 1 to 100 characters.
    pub name: String,
    /// At most 500 characters.
    pub description: Option<String>,
    /// Free text (`sip`, `esim` …).
    pub package_type: String,
    /// Ten-thousandths.
    pub price: i64,
    /// Recurring monthly (else one-time).
    pub monthly: bool,
    /// Open to new subscriptions.
    pub active: bool,
    /// The one subscriber it is scoped to, if any.
    pub subscriber_id: Option<String>,
    /// Platform time.
    pub created_on: i64,
}

/// Every editable value of a package (an update writes the merged values back).
#[derive(Clone, Debug)]
pub struct PackageValues<'a> {
    /// 1 to 100 characters.
    pub name: &'a str,
    /// At most 500 characters.
    pub description: Option<&'a str>,
    /// Free text.
    pub package_type: &'a str,
    /// Ten-thousandths.
    pub price: i64,
    /// Recurring monthly.
    pub monthly: bool,
    /// Open to new subscriptions.
    pub active: bool,
    /// Scope.
    pub subscriber_id: Option<&'a str>,
}

/// Narrowing of a package listing.
#[derive(Clone, Copy, Debug, Default)]
pub struct PackageFilter<'a> {
    /// Only active (`Some(true)`) or only inactive (`Some(false)`) packages.
    pub active: Option<bool>,
    /// Leave out packages scoped to subscribers outside this account.
    pub account_id: Option<&'a str>,
}

const SELECT: &str =
    "SELECT p.id, p.distributor_id, p.name, p.description, p.package_type, p.price, \
     p.monthly, p.active, p.subscriber_id, p.created_on FROM packages p";

fn map(r: AnyRow) -> PackageRow {
    PackageRow {
        id: r.get(0),
        distributor_id: r.get(1),
        name: r.get(2),
        description: r.get(3),
        package_type: r.get(4),
        price: r.get(5),
        monthly: r.get::<i64, _>(6) == 1,
        active: r.get::<i64, _>(7) == 1,
        subscriber_id: r.get(8),
        created_on: r.get(9),
    }
}

/// Inserts a package.
pub async fn insert(
    conn: &mut AnyConnection,
    (id, distributor_id): (&str, &str),
    v: &PackageValues<'_>,
    now: i64,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO packages (id, distributor_id, name, description, package_type, price, monthly, active, \
         subscriber_id, created_on, updated_on) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
    )
    .bind(id)
    .bind(distributor_id)
    .bind(v.name)
    .bind(v.description)
    .bind(v.package_type)
    .bind(v.price)
    .bind(i64::from(v.monthly))
    .bind(i64::from(v.active))
    .bind(v.subscriber_id)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Overwrites the editable values.
pub async fn update(
    conn: &mut AnyConnection,
    id: &str,
    v: &PackageValues<'_>,
    now: i64,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE packages SET name = $1, description = $2, package_type = $3, price = $4, monthly = $5, \
         active = $6, subscriber_id = $7, updated_on = $8 WHERE id = $9",
    )
    .bind(v.name)
    .bind(v.description)
    .bind(v.package_type)
    .bind(v.price)
    .bind(i64::from(v.monthly))
    .bind(i64::from(v.active))
    .bind(v.subscriber_id)
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// The package with this id owned by this distributor.
pub async fn find(
    conn: &mut AnyConnection,
    distributor_id: &str,
    id: &str,
) -> StoreResult<Option<PackageRow>> {
    let sql = format!("{SELECT} WHERE p.id = $1 AND p.distributor_id = $2");
    Ok(sqlx::query(&sql)
        .bind(id)
        .bind(distributor_id)
        .fetch_optional(conn)
        .await?
        .map(map))
}

/// One page of the distributor's packages in creation order, narrowed by `f`, plus the total.
pub async fn list(
    conn: &mut AnyConnection,
    distributor_id: &str,
    f: PackageFilter<'_>,
    (offset, limit): (i64, i64),
) -> StoreResult<(i64, Vec<PackageRow>)> {
    let filter = "p.distributor_id = $1 AND ($2 < 0 OR p.active = $2) AND ($3 = '' OR p.subscriber_id IS NULL \
         OR p.subscriber_id IN (SELECT s.id FROM subscribers s WHERE s.account_id = $3))";
    let active = f.active.map_or(-1, i64::from);
    let account = f.account_id.unwrap_or_default();
    let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM packages p WHERE {filter}"))
        .bind(distributor_id)
        .bind(active)
        .bind(account)
        .fetch_one(&mut *conn)
        .await?;
    let sql = format!("{SELECT} WHERE {filter} ORDER BY p.id LIMIT $4 OFFSET $5");
    let rows = sqlx::query(&sql)
        .bind(distributor_id)
        .bind(active)
        .bind(account)
        .bind(limit)
        .bind(offset)
        .fetch_all(conn)
        .await?;
    Ok((total, rows.into_iter().map(map).collect()))
}
