//! SIMs (pSIM and eSIM). The binding to a number lives on the number row (`phone_numbers.iccid`,
//! unique), so a SIM is bound to at most one number by construction.

use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use sqlx::Row;

use crate::bulk::{placeholders, rows_per_statement, select_in, write_rows};
use crate::{row_lock, Backend, StoreResult};

/// A SIM as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SimRow {
    /// ICCID (unique platform-wide).
    pub iccid: String,
    /// Owner distributor.
    pub distributor_id: String,
    /// Stock of one account, or of every account of the distributor when `None`.
    pub account_id: Option<String>,
    /// `pSIM` or `eSIM`.
    pub sim_type: String,
    /// `Empty`, `Assigned`, `Active`, `Suspended`, `Retired`.
    pub status: String,
    /// Suspended by hand: stays barred when its number is activated.
    pub barred: bool,
    /// eSIM activation code (`LPA:1$…`).
    pub activation_code: Option<String>,
    /// SHA-256 (hex) of the QR URL token.
    pub qr_token_hash: Option<String>,
    /// Platform time.
    pub created_on: i64,
    /// Platform time.
    pub updated_on: i64,
}

const COLUMNS: &str =
    "iccid, distributor_id, account_id, sim_type, status, barred, activation_code, \
     qr_token_hash, created_on, updated_on";

fn map(r: AnyRow) -> SimRow {
    SimRow {
        iccid: r.get(0),
        distributor_id: r.get(1),
        account_id: r.get(2),
        sim_type: r.get(3),
        status: r.get(4),
        barred: r.get::<i64, _>(5) == 1,
        activation_code: r.get(6),
        qr_token_hash: r.get(7),
        created_on: r.get(8),
        updated_on: r.get(9),
    }
}

/// Inserts a SIM exactly as given.
pub async fn insert(conn: &mut AnyConnection, s: &SimRow) -> StoreResult<()> {
    insert_many(conn, std::slice::from_ref(s)).await
}

/// Overwrites the mutable columns (owner account, status, bar, QR token).
pub async fn save(conn: &mut AnyConnection, s: &SimRow) -> StoreResult<()> {
    sqlx::query(
        "UPDATE sims SET account_id = $1, status = $2, barred = $3, qr_token_hash = $4, updated_on = $5 \
         WHERE iccid = $6",
    )
    .bind(&s.account_id)
    .bind(&s.status)
    .bind(i64::from(s.barred))
    .bind(&s.qr_token_hash)
    .bind(s.updated_on)
    .bind(&s.iccid)
    .execute(conn)
    .await?;
    Ok(())
}

/// A SIM of any owner by ICCID (a SIM of another distributor counts as in use, so callers need
/// to see it), locked for the transaction when `lock` is given.
pub async fn find(
    conn: &mut AnyConnection,
    iccid: &str,
    lock: Option<Backend>,
) -> StoreResult<Option<SimRow>> {
    let lock = row_lock(lock);
    let sql = format!("SELECT {COLUMNS} FROM sims WHERE iccid = $1{lock}");
    Ok(sqlx::query(&sql)
        .bind(iccid)
        .fetch_optional(conn)
        .await?
        .map(map))
}

/// The eSIM whose QR token hashes to `hash`.
pub async fn find_by_qr_hash(conn: &mut AnyConnection, hash: &str) -> StoreResult<Option<SimRow>> {
    let sql = format!("SELECT {COLUMNS} FROM sims WHERE qr_token_hash = $1");
    Ok(sqlx::query(&sql)
        .bind(hash)
        .fetch_optional(conn)
        .await?
        .map(map))
}

/// The number id a SIM is bound to, if any.
pub async fn bound_number(conn: &mut AnyConnection, iccid: &str) -> StoreResult<Option<String>> {
    Ok(
        sqlx::query_scalar("SELECT id FROM phone_numbers WHERE iccid = $1")
            .bind(iccid)
            .fetch_optional(conn)
            .await?,
    )
}

/// Number of values in [`COLUMNS`].
const WIDTH: usize = 10;

/// The SIMs of any owner among `iccids`, locked for the transaction when `lock` is given.
pub async fn find_many(
    conn: &mut AnyConnection,
    iccids: &[&str],
    lock: Option<Backend>,
) -> StoreResult<Vec<SimRow>> {
    let lock = row_lock(lock);
    let statement =
        |keys: &str| format!("SELECT {COLUMNS} FROM sims WHERE iccid IN ({keys}){lock}");
    let rows = select_in(conn, iccids, statement).await?;
    Ok(rows.into_iter().map(map).collect())
}

/// The activation codes among `codes` that a SIM already holds.
pub async fn taken_activation_codes(
    conn: &mut AnyConnection,
    codes: &[&str],
) -> StoreResult<Vec<String>> {
    let statement =
        |keys: &str| format!("SELECT activation_code FROM sims WHERE activation_code IN ({keys})");
    let rows = select_in(conn, codes, statement).await?;
    Ok(rows.into_iter().map(|r| r.get(0)).collect())
}

/// Inserts many SIMs exactly as given, many rows per statement.
pub async fn insert_many(conn: &mut AnyConnection, rows: &[SimRow]) -> StoreResult<()> {
    let statement = |values: &str| format!("INSERT INTO sims ({COLUMNS}) VALUES {values}");
    write_rows(conn, rows, WIDTH, statement, |query, s| {
        query
            .bind(&s.iccid)
            .bind(&s.distributor_id)
            .bind(&s.account_id)
            .bind(&s.sim_type)
            .bind(&s.status)
            .bind(i64::from(s.barred))
            .bind(&s.activation_code)
            .bind(&s.qr_token_hash)
            .bind(s.created_on)
            .bind(s.updated_on)
    })
    .await
}

/// Sets the status of every SIM among `iccids` at `now`.
pub async fn set_status_many(
    conn: &mut AnyConnection,
    iccids: &[&str],
    status: &str,
    now: i64,
) -> StoreResult<()> {
    for chunk in iccids.chunks(rows_per_statement(1)) {
        let sql = format!(
            "UPDATE sims SET status = $1, updated_on = $2 WHERE iccid IN ({})",
            placeholders(3, chunk.len())
        );
        let mut query = sqlx::query(&sql).bind(status).bind(now);
        for iccid in chunk {
            query = query.bind(*iccid);
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}
