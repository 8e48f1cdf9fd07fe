//! Phone numbers: one row per MSISDN per life on the platform.
//!
//! A row is *live* while its status is `Pending`, `Active`, `Parked` or `Cancelled`; `Released`
//! and `PortedOut` rows are history and invisible to the API.

use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use sqlx::Row;

use crate::bulk::{placeholders, rows_per_statement, select_in, write_rows};
use crate::{row_lock, AnyQuery, Backend, StoreResult};

/// Name of the unique index that keeps one live row per MSISDN.
pub const LIVE_UNIQUE_INDEX: &str = "phone_numbers_live_unique";

/// SQL list of the live statuses (as [`NumberRow::is_live`]).
pub const LIVE_STATUSES: &str = "('Pending', 'Active', 'Parked', 'Cancelled')";

/// A number as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NumberRow {
    /// `NID-…`.
    pub id: String,
    /// E.164.
    pub number: String,
    /// Owner distributor.
    pub distributor_id: String,
    /// Owning account.
    pub account_id: String,
    /// Assigned subscriber of the same account.
    pub subscriber_id: Option<String>,
    /// Lifecycle status.
    pub status: String,
    /// `MVNO` or `IoT`.
    pub classification: String,
    /// `p2p` or `a2p`.
    pub message_type: String,
    /// `Sms-Only`, `Data-Only`, `Sms+Data`, `Sms+Data+Voice`.
    pub product_type: String,
    /// Capability flags.
    pub message_enabled: bool,
    /// Capability flags.
    pub data_enabled: bool,
    /// Capability flags.
    pub voice_enabled: bool,
    /// `MRID-…`.
    pub message_route_id: Option<String>,
    /// `CRID-…`.
    pub voice_route_id: Option<String>,
    /// Bound SIM.
    pub iccid: Option<String>,
    /// Caller name.
    pub cnam: Option<String>,
    /// The order that created the row.
    pub order_id: String,
    /// Inventory pool (`+1` + area code + exchange) of a provisioned number.
    pub pool_prefix: Option<String>,
    /// Line of the number in its pool.
    pub pool_line: Option<i64>,
    /// ZIP code of the pool.
    pub zip_code: Option<String>,
    /// First activation (platform time).
    pub activated_on: Option<i64>,
    /// Cancellation (platform time).
    pub cancelled_on: Option<i64>,
    /// End of the reactivation window (platform time).
    pub reactivatable_until: Option<i64>,
    /// Platform time.
    pub created_on: i64,
    /// Platform time.
    pub updated_on: i64,
}

impl NumberRow {
    /// Whether the row holds its MSISDN: one of [`LIVE_STATUSES`].
    pub fn is_live(&self) -> bool {
        matches!(
            self.status.as_str(),
            "Pending" | "Active" | "Parked" | "Cancelled"
        )
    }
}

const COLUMNS: &str =
    "id, number, distributor_id, account_id, subscriber_id, status, classification, \
     message_type, product_type, message_enabled, data_enabled, voice_enabled, message_route_id, \
     voice_route_id, iccid, cnam, order_id, pool_prefix, pool_line, zip_code, activated_on, \
     cancelled_on, reactivatable_until, created_on, updated_on";

fn map(r: AnyRow) -> NumberRow {
    NumberRow {
        id: r.get(0),
        number: r.get(1),
        distributor_id: r.get(2),
        account_id: r.get(3),
        subscriber_id: r.get(4),
        status: r.get(5),
        classification: r.get(6),
        message_type: r.get(7),
        product_type: r.get(8),
        message_enabled: r.get::<i64, _>(9) == 1,
        data_enabled: r.get::<i64, _>(10) == 1,
        voice_enabled: r.get::<i64, _>(11) == 1,
        message_route_id: r.get(12),
        voice_route_id: r.get(13),
        iccid: r.get(14),
        cnam: r.get(15),
        order_id: r.get(16),
        pool_prefix: r.get(17),
        pool_line: r.get(18),
        zip_code: r.get(19),
        activated_on: r.get(20),
        cancelled_on: r.get(21),
        reactivatable_until: r.get(22),
        created_on: r.get(23),
        updated_on: r.get(24),
    }
}

/// `FOR UPDATE` on PostgreSQL; SQLite's single writer already serialises write transactions.
/// Inserts a row exactly as given.
pub async fn insert(conn: &mut AnyConnection, n: &NumberRow) -> StoreResult<()> {
    insert_many(conn, std::slice::from_ref(n)).await
}

/// Number of values in [`COLUMNS`].
const WIDTH: usize = 25;

/// Inserts rows exactly as given, many per statement.
pub async fn insert_many(conn: &mut AnyConnection, rows: &[NumberRow]) -> StoreResult<()> {
    let statement = |values: &str| format!("INSERT INTO phone_numbers ({COLUMNS}) VALUES {values}");
    write_rows(conn, rows, WIDTH, statement, |query, n| {
        let query = query.bind(&n.id).bind(&n.number).bind(&n.distributor_id);
        bind_line(query, n)
            .bind(&n.order_id)
            .bind(&n.pool_prefix)
            .bind(n.pool_line)
            .bind(&n.zip_code)
            .bind(n.activated_on)
            .bind(n.cancelled_on)
            .bind(n.reactivatable_until)
            .bind(n.created_on)
            .bind(n.updated_on)
    })
    .await
}

/// Binds the columns from `account_id` to `cnam`, in [`COLUMNS`] order: what the line is and
/// where it belongs.
fn bind_line<'q>(query: AnyQuery<'q>, n: &'q NumberRow) -> AnyQuery<'q> {
    query
        .bind(&n.account_id)
        .bind(&n.subscriber_id)
        .bind(&n.status)
        .bind(&n.classification)
        .bind(&n.message_type)
        .bind(&n.product_type)
        .bind(i64::from(n.message_enabled))
        .bind(i64::from(n.data_enabled))
        .bind(i64::from(n.voice_enabled))
        .bind(&n.message_route_id)
        .bind(&n.voice_route_id)
        .bind(&n.iccid)
        .bind(&n.cnam)
}

/// Overwrites every mutable column of the row with the values given.
pub async fn save(conn: &mut AnyConnection, n: &NumberRow) -> StoreResult<()> {
    let query = sqlx::query(
        "UPDATE phone_numbers SET account_id = $1, subscriber_id = $2, status = $3, classification = $4, \
         message_type = $5, product_type = $6, message_enabled = $7, data_enabled = $8, voice_enabled = $9, \
         message_route_id = $10, voice_route_id = $11, iccid = $12, cnam = $13, activated_on = $14, \
         cancelled_on = $15, reactivatable_until = $16, updated_on = $17 WHERE id = $18",
    );
    bind_line(query, n)
        .bind(n.activated_on)
        .bind(n.cancelled_on)
        .bind(n.reactivatable_until)
        .bind(n.updated_on)
        .bind(&n.id)
        .execute(conn)
        .await?;
    Ok(())
}

/// A live number of the distributor by id, locked for the transaction when `lock` is given.
pub async fn find_live_by_id(
    conn: &mut AnyConnection,
    distributor_id: &str,
    id: &str,
    lock: Option<Backend>,
) -> StoreResult<Option<NumberRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM phone_numbers WHERE id = $1 AND distributor_id = $2 \
         AND status IN {LIVE_STATUSES}{}",
        row_lock(lock)
    );
    Ok(sqlx::query(&sql)
        .bind(id)
        .bind(distributor_id)
        .fetch_optional(conn)
        .await?
        .map(map))
}

/// The live numbers of the distributor among `ids`, in no particular order, locked for the
/// transaction when `lock` is given.
///
/// The statement names only the ids, and distributor and status are checked here: while a
/// bulk load grows the table faster than PostgreSQL refreshes its statistics, a statement
/// that also names the distributor gets planned as a scan of the distributor's whole index.
pub async fn find_live_by_ids(
    conn: &mut AnyConnection,
    distributor_id: &str,
    ids: &[&str],
    lock: Option<Backend>,
) -> StoreResult<Vec<NumberRow>> {
    let lock = row_lock(lock);
    let statement =
        |keys: &str| format!("SELECT {COLUMNS} FROM phone_numbers WHERE id IN ({keys}){lock}");
    let rows = select_in(conn, ids, statement).await?.into_iter().map(map);
    Ok(rows
        .filter(|n| n.distributor_id == distributor_id && n.is_live())
        .collect())
}

/// Puts the `Pending` rows among `ids` in service at `now`: `Active`, first activation date
/// kept if there is one. Returns how many rows changed.
pub async fn activate_pending(
    conn: &mut AnyConnection,
    ids: &[&str],
    now: i64,
) -> StoreResult<u64> {
    let mut changed = 0;
    for chunk in ids.chunks(rows_per_statement(1)) {
        let sql = format!(
            "UPDATE phone_numbers SET status = 'Active', activated_on = COALESCE(activated_on, $1), \
             updated_on = $1 WHERE status = 'Pending' AND id IN ({})",
            placeholders(2, chunk.len())
        );
        let mut query = sqlx::query(&sql).bind(now);
        for id in chunk {
            query = query.bind(*id);
        }
        changed += query.execute(&mut *conn).await?.rows_affected();
    }
    Ok(changed)
}

/// The live row of an MSISDN if the distributor owns it, locked when `lock` is given.
pub async fn find_live_by_number(
    conn: &mut AnyConnection,
    distributor_id: &str,
    number: &str,
    lock: Option<Backend>,
) -> StoreResult<Option<NumberRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM phone_numbers WHERE number = $1 AND distributor_id = $2 \
         AND status IN {LIVE_STATUSES}{}",
        row_lock(lock)
    );
    Ok(sqlx::query(&sql)
        .bind(number)
        .bind(distributor_id)
        .fetch_optional(conn)
        .await?
        .map(map))
}

/// Live numbers assigned to a subscriber, in number order, locked when `lock` is given.
pub async fn assigned_to(
    conn: &mut AnyConnection,
    subscriber_id: &str,
    lock: Option<Backend>,
) -> StoreResult<Vec<NumberRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM phone_numbers WHERE subscriber_id = $1 AND status IN {LIVE_STATUSES} \
         ORDER BY number{}",
        row_lock(lock)
    );
    Ok(sqlx::query(&sql)
        .bind(subscriber_id)
        .fetch_all(conn)
        .await?
        .into_iter()
        .map(map)
        .collect())
}

/// `(subscriber id, E.164)` of every live number assigned to one of `subscriber_ids`, ordered
/// by subscriber then number.
pub async fn numbers_of_subscribers(
    conn: &mut AnyConnection,
    subscriber_ids: &[&str],
) -> StoreResult<Vec<(String, String)>> {
    if subscriber_ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT subscriber_id, number FROM phone_numbers WHERE subscriber_id IN ({}) \
         AND status IN {LIVE_STATUSES} ORDER BY subscriber_id, number",
        placeholders(1, subscriber_ids.len())
    );
    let mut query = sqlx::query(&sql);
    for id in subscriber_ids {
        query = query.bind(*id);
    }
    Ok(query
        .fetch_all(conn)
        .await?
        .into_iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect())
}

/// Which numbers an inventory page lists.
#[derive(Clone, Debug, Default)]
pub struct NumberFilter<'a> {
    /// One account.
    pub account_id: Option<&'a str>,
    /// Statuses wanted (live statuses only).
    pub statuses: &'a [&'a str],
    /// One assigned subscriber.
    pub subscriber_id: Option<&'a str>,
}

/// One page of the distributor's numbers in creation order, plus the total.
pub async fn list(
    conn: &mut AnyConnection,
    distributor_id: &str,
    filter: &NumberFilter<'_>,
    (offset, limit): (i64, i64),
) -> StoreResult<(i64, Vec<NumberRow>)> {
    let mut values: Vec<&str> = vec![distributor_id];
    let mut sql = String::from(" FROM phone_numbers WHERE distributor_id = $1");
    sql.push_str(&format!(
        " AND status IN ({})",
        placeholders(2, filter.statuses.len())
    ));
    values.extend(filter.statuses.iter().copied());
    if let Some(account) = filter.account_id {
        values.push(account);
        sql.push_str(&format!(" AND account_id = ${}", values.len()));
    }
    if let Some(subscriber) = filter.subscriber_id {
        values.push(subscriber);
        sql.push_str(&format!(" AND subscriber_id = ${}", values.len()));
    }
    let count_sql = format!("SELECT COUNT(*){sql}");
    let mut count = sqlx::query_scalar(&count_sql);
    for v in &values {
        count = count.bind(*v);
    }
    let total: i64 = count.fetch_one(&mut *conn).await?;
    let page_sql = format!(
        "SELECT {COLUMNS}{sql} ORDER BY id LIMIT ${} OFFSET ${}",
        values.len() + 1,
        values.len() + 2
    );
    let mut page = sqlx::query(&page_sql);
    for v in &values {
        page = page.bind(*v);
    }
    let rows = page.bind(limit).bind(offset).fetch_all(conn).await?;
    Ok((total, rows.into_iter().map(map).collect()))
}

/// The two kinds of route a number references.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RouteKind {
    /// `message_routes`.
    Message,
    /// `voice_routes`.
    Voice,
}

/// Up to two non-deleted routes of an account (enough to tell "exactly one").
pub async fn live_route_ids(
    conn: &mut AnyConnection,
    kind: RouteKind,
    account_id: &str,
) -> StoreResult<Vec<String>> {
    let table = match kind {
        RouteKind::Message => "message_routes",
        RouteKind::Voice => "voice_routes",
    };
    let sql = format!(
        "SELECT id FROM {table} WHERE account_id = $1 AND deleted_on IS NULL ORDER BY id LIMIT 2"
    );
    Ok(sqlx::query_scalar(&sql)
        .bind(account_id)
        .fetch_all(conn)
        .await?)
}
