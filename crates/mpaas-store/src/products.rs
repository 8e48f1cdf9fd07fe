//! Products: the distributor's catalogue of billable units. Products are never deleted.
//!
//! `sku_lower` is always computed by the database's own `lower()`, never in Rust: the schema
//! checks `sku_lower = lower(sku)`, and engines disagree with Rust (and with each other) on the
//! case of non-ASCII letters.

use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

use crate::StoreResult;

/// Name of the unique index on a distributor's lower-cased SKUs.
pub const SKU_UNIQUE_INDEX: &str = "products_sku_unique";
/// The column that index covers; SQLite names columns, not the index, in its message.
pub const SKU_UNIQUE_COLUMN: &str = "sku_lower";

/// A product as stored.
#[derive(Clone, Debug)]
pub struct ProductRow {
    /// `PRID-…`.
    pub id: String,
    /// Owner.
    pub distributor_id: String,
    /// SKU as given.
    pub sku: String,
    /// 1 to 500 characters.
    pub description: String,
    /// Free text (`esim`, `data` …).
    pub product_type: String,
    /// Optional refinement of the type.
    pub sub_type: Option<String>,
    /// Ten-thousandths.
    pub cost: i64,
    /// `MRC` or `NRC`.
    pub billing_frequency: String,
    /// Can be added to packages.
    pub active: bool,
    /// Platform time.
    pub created_on: i64,
}

/// Every editable value of a product (an update writes the merged values back).
#[derive(Clone, Debug)]
pub struct ProductValues<'a> {
    /// SKU as given.
    pub sku: &'a str,
    /// 1 to 500 characters.
    pub description: &'a str,
    /// Free text.
    pub product_type: &'a str,
    /// Optional refinement of the type.
    pub sub_type: Option<&'a str>,
    /// Ten-thousandths.
    pub cost: i64,
    /// `MRC` or `NRC`.
    pub billing_frequency: &'a str,
    /// Can be added to packages.
    pub active: bool,
}

const SELECT: &str = "SELECT id, distributor_id, sku, description, product_type, sub_type, cost, \
     billing_frequency, active, created_on FROM products";

fn map(r: AnyRow) -> ProductRow {
    ProductRow {
        id: r.get(0),
        distributor_id: r.get(1),
        sku: r.get(2),
        description: r.get(3),
        product_type: r.get(4),
        sub_type: r.get(5),
        cost: r.get(6),
        billing_frequency: r.get(7),
        active: r.get::<i64, _>(8) == 1,
        created_on: r.get(9),
    }
}

/// Inserts a product; a SKU the distributor already has (any case) fails with a unique violation
/// on [`SKU_UNIQUE_INDEX`].
pub async fn insert(
    conn: &mut AnyConnection,
    (id, distributor_id): (&str, &str),
    v: &ProductValues<'_>,
    now: i64,
) -> StoreResult<()> {
    insert_sql(conn, (id, distributor_id), v, now, "").await?;
    Ok(())
}

/// Inserts a product unless the distributor already has its SKU (any case); true when inserted.
/// Concurrent seeding of the same distributor cannot fail on the unique index this way.
pub async fn insert_if_absent(
    conn: &mut AnyConnection,
    (id, distributor_id): (&str, &str),
    v: &ProductValues<'_>,
    now: i64,
) -> StoreResult<bool> {
    let conflict = " ON CONFLICT (distributor_id, sku_lower) DO NOTHING";
    Ok(insert_sql(conn, (id, distributor_id), v, now, conflict).await? == 1)
}

async fn insert_sql(
    conn: &mut AnyConnection,
    (id, distributor_id): (&str, &str),
    v: &ProductValues<'_>,
    now: i64,
    suffix: &str,
) -> StoreResult<u64> {
    let sql = format!(
        "INSERT INTO products (id, distributor_id, sku, sku_lower, description, product_type, sub_type, cost, \
         billing_frequency, active, created_on, updated_on) \
         VALUES ($1, $2, $3, lower($3), $4, $5, $6, $7, $8, $9, $10, $10){suffix}"
    );
    let done = sqlx::query(&sql)
        .bind(id)
        .bind(distributor_id)
        .bind(v.sku)
        .bind(v.description)
        .bind(v.product_type)
        .bind(v.sub_type)
        .bind(v.cost)
        .bind(v.billing_frequency)
        .bind(i64::from(v.active))
        .bind(now)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}

/// Overwrites the editable values.
pub async fn update(
    conn: &mut AnyConnection,
    id: &str,
    v: &ProductValues<'_>,
    now: i64,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE products SET sku = $1, sku_lower = lower($1), description = $2, product_type = $3, sub_type = $4, \
         cost = $5, billing_frequency = $6, active = $7, updated_on = $8 WHERE id = $9",
    )
    .bind(v.sku)
    .bind(v.description)
    .bind(v.product_type)
    .bind(v.sub_type)
    .bind(v.cost)
    .bind(v.billing_frequency)
    .bind(i64::from(v.active))
    .bind(now)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// The product with this id owned by this distributor.
pub async fn find(
    conn: &mut AnyConnection,
    distributor_id: &str,
    id: &str,
) -> StoreResult<Option<ProductRow>> {
    let sql = format!("{SELECT} WHERE id = $1 AND distributor_id = $2");
    Ok(sqlx::query(&sql)
        .bind(id)
        .bind(distributor_id)
        .fetch_optional(conn)
        .await?
        .map(map))
}

/// The distributor's product with this SKU, compared case-insensitively.
pub async fn find_by_sku(
    conn: &mut AnyConnection,
    distributor_id: &str,
    sku: &str,
) -> StoreResult<Option<ProductRow>> {
    let sql = format!("{SELECT} WHERE distributor_id = $1 AND sku_lower = lower($2)");
    Ok(sqlx::query(&sql)
        .bind(distributor_id)
        .bind(sku)
        .fetch_optional(conn)
        .await?
        .map(map))
}

/// One page of the distributor's products in creation order, optionally only active or only
/// inactive ones, plus the total.
pub async fn list(
    conn: &mut AnyConnection,
    distributor_id: &str,
    active: Option<bool>,
    (offset, limit): (i64, i64),
) -> StoreResult<(i64, Vec<ProductRow>)> {
    let filter = "distributor_id = $1 AND ($2 < 0 OR active = $2)";
    let active = active.map_or(-1, i64::from);
    let total: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM products WHERE {filter}"))
        .bind(distributor_id)
        .bind(active)
        .fetch_one(&mut *conn)
        .await?;
    let sql = format!("{SELECT} WHERE {filter} ORDER BY id LIMIT $3 OFFSET $4");
    let rows = sqlx::query(&sql)
        .bind(distributor_id)
        .bind(active)
        .bind(limit)
        .bind(offset)
        .fetch_all(conn)
        .await?;
    Ok((total, rows.into_iter().map(map).collect()))
}
