//! Package items: a product inside a package, with its own share of the price.

use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::StoreResult;

/// A package item as stored.
#[derive(Clone, Debug)]
pub struct ItemRow {
    /// `PIID-…`.
    pub id: String,
    /// Its package.
    pub package_id: String,
    /// Its product.
    pub product_id: String,
    /// Owner of package, product and item alike.
    pub distributor_id: String,
    /// Free text (defaults to the product's type).
    pub item_type: String,
    /// Ten-thousandths.
    pub price: i64,
    /// Recurring monthly.
    pub monthly: bool,
    /// Active flag.
    pub active: bool,
}

/// Editable values of an item (an update writes the merged values back).
#[derive(Clone, Debug)]
pub struct ItemValues<'a> {
    /// Free text.
    pub item_type: &'a str,
    /// Ten-thousandths.
    pub price: i64,
    /// Recurring monthly.
    pub monthly: bool,
    /// Active flag.
    pub active: bool,
}

/// Where a new item goes.
#[derive(Clone, Copy, Debug)]
pub struct ItemKey<'a> {
    /// `PIID-…`.
    pub id: &'a str,
    /// Its package.
    pub package_id: &'a str,
    /// Its product.
    pub product_id: &'a str,
    /// Owner of both (composite foreign keys enforce it).
    pub distributor_id: &'a str,
}

const SELECT: &str =
    "SELECT id, package_id, product_id, distributor_id, item_type, price, monthly, active \
     FROM package_items";

fn map(r: AnyRow) -> ItemRow {
    ItemRow {
        id: r.get(0),
        package_id: r.get(1),
        product_id: r.get(2),
        distributor_id: r.get(3),
        item_type: r.get(4),
        price: r.get(5),
        monthly: r.get::<i64, _>(6) == 1,
        active: r.get::<i64, _>(7) == 1,
    }
}

/// Inserts an item.
pub async fn insert(
    conn: &mut AnyConnection,
    key: ItemKey<'_>,
    v: &ItemValues<'_>,
    now: i64,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO package_items (id, package_id, product_id, distributor_id, item_type, price, monthly, active, \
         created_on, updated_on) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
    )
    .bind(key.id)
    .bind(key.package_id)
    .bind(key.product_id)
    .bind(key.distributor_id)
    .bind(v.item_type)
    .bind(v.price)
    .bind(i64::from(v.monthly))
    .bind(i64::from(v.active))
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// Overwrites the editable values.
pub async fn update(
    conn: &mut AnyConnection,
    id: &str,
    v: &ItemValues<'_>,
    now: i64,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE package_items SET item_type = $1, price = $2, monthly = $3, active = $4, updated_on = $5 \
         WHERE id = $6",
    )
    .bind(v.item_type)
    .bind(v.price)
    .bind(i64::from(v.monthly))
    .bind(i64::from(v.active))
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// Removes an item for good.
pub async fn delete(conn: &mut AnyConnection, id: &str) -> StoreResult<()> {
    sqlx::query("DELETE FROM package_items WHERE id = $1")
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The item with this id owned by this distributor.
pub async fn find(
    conn: &mut AnyConnection,
    distributor_id: &str,
    id: &str,
) -> StoreResult<Option<ItemRow>> {
    let sql = format!("{SELECT} WHERE id = $1 AND distributor_id = $2");
    Ok(sqlx::query(&sql)
        .bind(id)
        .bind(distributor_id)
        .fetch_optional(conn)
        .await?
        .map(map))
}

/// Every item of a package in creation order.
pub async fn all_of(conn: &mut AnyConnection, package_id: &str) -> StoreResult<Vec<ItemRow>> {
    let sql = format!("{SELECT} WHERE package_id = $1 ORDER BY id");
    Ok(sqlx::query(&sql)
        .bind(package_id)
        .fetch_all(conn)
        .await?
        .into_iter()
        .map(map)
        .collect())
}

/// One page of a package's items in creation order, optionally only active or only inactive
/// ones, plus the total.
pub async fn list(
    conn: &mut AnyConnection,
    package_id: &str,
    active: Option<bool>,
    (offset, limit): (i64, i64),
) -> StoreResult<(i64, Vec<ItemRow>)> {
    let filter = "package_id = $1 AND ($2 < 0 OR active = $2)";
    let active = active.map_or(-1, i64::from);
    let total: i64 = sqlx::query_scalar(&format!(
        "SELECT COUNT(*) FROM package_items WHERE {filter}"
    ))
    .bind(package_id)
    .bind(active)
    .fetch_one(&mut *conn)
    .await?;
    let sql = format!("{SELECT} WHERE {filter} ORDER BY id LIMIT $3 OFFSET $4");
    let rows = sqlx::query(&sql)
        .bind(package_id)
        .bind(active)
        .bind(limit)
        .bind(offset)
        .fetch_all(conn)
        .await?;
    Ok((total, rows.into_iter().map(map).collect()))
}
