//! Per-distributor request counters in fixed 60-second windows, in the database so a limit holds
//! across nodes.

use sqlx::AnyConnection;

use crate::StoreResult;

/// Counts one request in the window starting at `window_start` (Unix seconds); returns the
/// count including this request. Older windows of the distributor are dropped on the way.
pub async fn hit(
    conn: &mut AnyConnection,
    distributor_id: &str,
    window_start: i64,
) -> StoreResult<i64> {
    let count: i64 = sqlx::query_scalar(
        "INSERT INTO rate_limit_windows (distributor_id, window_start, request_count) VALUES ($1, $2, 1) \
         ON CONFLICT (distributor_id, window_start) DO UPDATE SET request_count = rate_limit_windows.request_count + 1 \
         RETURNING request_count",
    )
    .bind(distributor_id)
    .bind(window_start)
    .fetch_one(&mut *conn)
    .await?;
    if count == 1 {
        sqlx::query(
            "DELETE FROM rate_limit_windows WHERE distributor_id = $1 AND window_start < $2",
        )
        .bind(distributor_id)
        .bind(window_start)
        .execute(conn)
        .await?;
    }
    Ok(count)
}
