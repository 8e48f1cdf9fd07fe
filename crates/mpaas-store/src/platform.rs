//! Installation-wide rows: aggregator, keys (token signing, secret pepper, master key) and the
//! platform clock.

use sqlx::AnyConnection;
use sqlx::Row;

use crate::StoreResult;

/// The installation's keys, base64-encoded as stored.
#[derive(Clone, Debug)]
pub struct PlatformRow {
    /// `AGID-…`.
    pub aggregator_id: String,
    /// Token signing key (32 bytes).
    pub signing_key: String,
    /// Pepper of the distributor secret hash (32 bytes).
    pub pepper: String,
    /// Master key encrypting route and webhook secrets (32 bytes).
    pub master_key: String,
}

/// The persisted clock state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClockRow {
    /// Added to the wall clock when not frozen.
    pub offset_micros: i64,
    /// Frozen instant, when frozen.
    pub frozen_at: Option<i64>,
}

/// The platform row, if bootstrap has run.
pub async fn load(conn: &mut AnyConnection) -> StoreResult<Option<PlatformRow>> {
    let row = sqlx::query(
        "SELECT aggregator_id, signing_key, pepper, master_key FROM platform WHERE id = 1",
    )
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|r| PlatformRow {
        aggregator_id: r.get(0),
        signing_key: r.get(1),
        pepper: r.get(2),
        master_key: r.get(3),
    }))
}

/// Creates the platform row unless one exists (first start); returns whether it inserted.
pub async fn insert_if_absent(
    conn: &mut AnyConnection,
    row: &PlatformRow,
    now: i64,
) -> StoreResult<bool> {
    let done = sqlx::query(
        "INSERT INTO platform (id, aggregator_id, aggregator_name, signing_key, pepper, master_key, signing_key_rotated_on, created_on) \
         VALUES (1, $1, 'Aggregator', $2, $3, $4, $5, $5) ON CONFLICT (id) DO NOTHING",
    )
    .bind(&row.aggregator_id)
    .bind(&row.signing_key)
    .bind(&row.pepper)
    .bind(&row.master_key)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Replaces the token signing key.
pub async fn rotate_signing_key(conn: &mut AnyConnection, key: &str, now: i64) -> StoreResult<()> {
    sqlx::query("UPDATE platform SET signing_key = $1, signing_key_rotated_on = $2 WHERE id = 1")
        .bind(key)
        .bind(now)
        .execute(conn)
        .await?;
    Ok(())
}

/// Reads the current signing key.
pub async fn signing_key(conn: &mut AnyConnection) -> StoreResult<Option<String>> {
    let row = sqlx::query("SELECT signing_key FROM platform WHERE id = 1")
        .fetch_optional(conn)
        .await?;
    Ok(row.map(|r| r.get(0)))
}

/// Reads the clock row, if any.
pub async fn load_clock(conn: &mut AnyConnection) -> StoreResult<Option<ClockRow>> {
    let row =
        sqlx::query("SELECT offset_micros, frozen, frozen_at FROM platform_clock WHERE id = 1")
            .fetch_optional(conn)
            .await?;
    Ok(row.map(|r| {
        let frozen: i64 = r.get(1);
        ClockRow {
            offset_micros: r.get(0),
            frozen_at: if frozen == 1 { r.get(2) } else { None },
        }
    }))
}

/// Writes the clock row.
pub async fn save_clock(conn: &mut AnyConnection, clock: ClockRow) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO platform_clock (id, offset_micros, frozen, frozen_at) VALUES (1, $1, $2, $3) \
         ON CONFLICT (id) DO UPDATE SET offset_micros = $1, frozen = $2, frozen_at = $3",
    )
    .bind(clock.offset_micros)
    .bind(i64::from(clock.frozen_at.is_some()))
    .bind(clock.frozen_at)
    .execute(conn)
    .await?;
    Ok(())
}
