//! Orders (provision, status change, update, port-in, port-out), their items and status history.

use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use sqlx::Row;

use crate::bulk::write_rows;
use crate::StoreResult;

/// An order as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderRow {
    /// `JNUOID-…`.
    pub id: String,
    /// Owner.
    pub distributor_id: String,
    /// Account concerned.
    pub account_id: Option<String>,
    /// `Provision`, `StatusChange`, `Update`, `PortIn`, `PortOut`.
    pub order_type: String,
    /// Current status (vocabulary of the type).
    pub status: String,
    /// First failure, or empty.
    pub status_message: String,
    /// Action of a status change (`park`, `swap` …).
    pub change_type: Option<String>,
    /// Business date `YYYY-MM-DD` of a status change.
    pub effective_date: Option<String>,
    /// Request values a deferred run needs (JSON).
    pub details: String,
    /// Platform time.
    pub created_on: i64,
    /// Platform time.
    pub updated_on: i64,
}

/// One number of an order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OrderItemRow {
    /// 0-based position in the request.
    pub position: i64,
    /// E.164.
    pub number: String,
    /// Status (same words as orders).
    pub status: String,
    /// The number row concerned or created.
    pub phone_number_id: Option<String>,
    /// New number of a swap/replace.
    pub new_number: Option<String>,
    /// SIM of a swap-sim, or bound by the order.
    pub iccid: Option<String>,
    /// Fee in ten-thousandths.
    pub fee: i64,
    /// Failure text, or empty.
    pub message: String,
}

/// One status an order went through.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryRow {
    /// Status reached.
    pub status: String,
    /// Platform time.
    pub at: i64,
    /// Why, or empty.
    pub message: String,
}

const ORDER_COLUMNS: &str = "id, distributor_id, account_id, order_type, status, status_message, \
     change_type, effective_date, details, created_on, updated_on";

fn map_order(r: AnyRow) -> OrderRow {
    OrderRow {
        id: r.get(0),
        distributor_id: r.get(1),
        account_id: r.get(2),
        order_type: r.get(3),
        status: r.get(4),
        status_message: r.get(5),
        change_type: r.get(6),
        effective_date: r.get(7),
        details: r.get(8),
        created_on: r.get(9),
        updated_on: r.get(10),
    }
}

/// Inserts an order and its first history entry.
pub async fn insert(conn: &mut AnyConnection, o: &OrderRow) -> StoreResult<()> {
    let sql = format!(
        "INSERT INTO orders ({ORDER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
    );
    sqlx::query(&sql)
        .bind(&o.id)
        .bind(&o.distributor_id)
        .bind(&o.account_id)
        .bind(&o.order_type)
        .bind(&o.status)
        .bind(&o.status_message)
        .bind(&o.change_type)
        .bind(&o.effective_date)
        .bind(&o.details)
        .bind(o.created_on)
        .bind(o.updated_on)
        .execute(&mut *conn)
        .await?;
    append_history(conn, &o.id, &o.status, o.created_on, &o.status_message).await
}

/// Moves an order to `status` and records it in the history.
pub async fn set_status(
    conn: &mut AnyConnection,
    id: &str,
    status: &str,
    message: &str,
    now: i64,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE orders SET status = $1, status_message = $2, updated_on = $3 WHERE id = $4",
    )
    .bind(status)
    .bind(message)
    .bind(now)
    .bind(id)
    .execute(&mut *conn)
    .await?;
    append_history(conn, id, status, now, message).await
}

async fn append_history(
    conn: &mut AnyConnection,
    id: &str,
    status: &str,
    at: i64,
    message: &str,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO order_history (order_id, seq, status, at, message) VALUES ($1, \
         (SELECT COALESCE(MAX(seq), 0) + 1 FROM order_history WHERE order_id = $1), $2, $3, $4)",
    )
    .bind(id)
    .bind(status)
    .bind(at)
    .bind(message)
    .execute(conn)
    .await?;
    Ok(())
}

/// Inserts or replaces an item.
pub async fn put_item(
    conn: &mut AnyConnection,
    order_id: &str,
    item: &OrderItemRow,
) -> StoreResult<()> {
    put_items(conn, order_id, std::slice::from_ref(item)).await
}

/// Inserts or replaces items, many per statement.
pub async fn put_items(
    conn: &mut AnyConnection,
    order_id: &str,
    items: &[OrderItemRow],
) -> StoreResult<()> {
    let statement = |values: &str| {
        format!(
            "INSERT INTO order_items (order_id, position, number, status, phone_number_id, \
             new_number, iccid, fee, message) VALUES {values} ON CONFLICT (order_id, position) \
             DO UPDATE SET number = excluded.number, status = excluded.status, \
             phone_number_id = excluded.phone_number_id, new_number = excluded.new_number, \
             iccid = excluded.iccid, fee = excluded.fee, message = excluded.message"
        )
    };
    let order_id = order_id.to_string();
    write_rows(conn, items, 9, statement, |query, item| {
        query
            .bind(order_id.clone())
            .bind(item.position)
            .bind(&item.number)
            .bind(&item.status)
            .bind(&item.phone_number_id)
            .bind(&item.new_number)
            .bind(&item.iccid)
            .bind(item.fee)
            .bind(&item.message)
    })
    .await
}

/// An order of the distributor (id compared as stored: canonical lowercase).
pub async fn find(
    conn: &mut AnyConnection,
    distributor_id: &str,
    id: &str,
) -> StoreResult<Option<OrderRow>> {
    let sql = format!("SELECT {ORDER_COLUMNS} FROM orders WHERE id = $1 AND distributor_id = $2");
    Ok(sqlx::query(&sql)
        .bind(id)
        .bind(distributor_id)
        .fetch_optional(conn)
        .await?
        .map(map_order))
}

/// An order of any owner (job handlers).
pub async fn find_any(conn: &mut AnyConnection, id: &str) -> StoreResult<Option<OrderRow>> {
    let sql = format!("SELECT {ORDER_COLUMNS} FROM orders WHERE id = $1");
    Ok(sqlx::query(&sql)
        .bind(id)
        .fetch_optional(conn)
        .await?
        .map(map_order))
}

/// The items of an order in request order.
pub async fn items(conn: &mut AnyConnection, order_id: &str) -> StoreResult<Vec<OrderItemRow>> {
    let rows = sqlx::query(
        "SELECT position, number, status, phone_number_id, new_number, iccid, fee, message \
         FROM order_items WHERE order_id = $1 ORDER BY position",
    )
    .bind(order_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| OrderItemRow {
            position: r.get(0),
            number: r.get(1),
            status: r.get(2),
            phone_number_id: r.get(3),
            new_number: r.get(4),
            iccid: r.get(5),
            fee: r.get(6),
            message: r.get(7),
        })
        .collect())
}

/// The status history of an order, oldest first.
pub async fn history(conn: &mut AnyConnection, order_id: &str) -> StoreResult<Vec<HistoryRow>> {
    let rows = sqlx::query(
        "SELECT status, at, message FROM order_history WHERE order_id = $1 ORDER BY seq",
    )
    .bind(order_id)
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| HistoryRow {
            status: r.get(0),
            at: r.get(1),
            message: r.get(2),
        })
        .collect())
}

/// True when a `PortOut` order in `Pending` or `Approved` concerns the number (by row id, or by
/// E.164 for items that name only the number).
pub async fn has_open_port_out(
    conn: &mut AnyConnection,
    number_id: &str,
    number: &str,
) -> StoreResult<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM orders o JOIN order_items i ON i.order_id = o.id \
         WHERE o.order_type = 'PortOut' AND o.status IN ('Pending', 'Approved') \
         AND (i.phone_number_id = $1 OR (i.phone_number_id IS NULL AND i.number = $2))",
    )
    .bind(number_id)
    .bind(number)
    .fetch_one(conn)
    .await?;
    Ok(n > 0)
}
