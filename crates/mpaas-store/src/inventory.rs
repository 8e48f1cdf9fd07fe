//! Allocation state of the inventory pools (`inventory_pools`): every line below `next_line` is
//! taken, and `taken` counts the pool's numbers held by a row other than `Released`.

use std::collections::HashMap;

use sqlx::AnyConnection;
use sqlx::Row;

use crate::{Backend, StoreResult};

/// A pool's allocation state.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PoolState {
    /// Lowest line that may be free.
    pub next_line: i64,
    /// Numbers of the pool held by a row other than `Released`.
    pub taken: i64,
}

/// States of every pool touched so far, by prefix (`+1` + area code + exchange).
pub async fn all_states(conn: &mut AnyConnection) -> StoreResult<HashMap<String, PoolState>> {
    let rows = sqlx::query("SELECT prefix, next_line, taken FROM inventory_pools")
        .fetch_all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let state = PoolState {
                next_line: r.get(1),
                taken: r.get(2),
            };
            (r.get(0), state)
        })
        .collect())
}

/// The state of one pool, created when missing and locked for the transaction (PostgreSQL);
/// allocations in a pool are serialised by this lock.
pub async fn lock(
    conn: &mut AnyConnection,
    prefix: &str,
    backend: Backend,
) -> StoreResult<PoolState> {
    sqlx::query(
        "INSERT INTO inventory_pools (prefix, next_line, taken) VALUES ($1, 0, 0) \
         ON CONFLICT (prefix) DO NOTHING",
    )
    .bind(prefix)
    .execute(&mut *conn)
    .await?;
    let lock = backend.row_lock();
    let sql = format!("SELECT next_line, taken FROM inventory_pools WHERE prefix = $1{lock}");
    let r = sqlx::query(&sql).bind(prefix).fetch_one(conn).await?;
    Ok(PoolState {
        next_line: r.get(0),
        taken: r.get(1),
    })
}

/// Writes a pool's state.
pub async fn save(conn: &mut AnyConnection, prefix: &str, state: PoolState) -> StoreResult<()> {
    sqlx::query("UPDATE inventory_pools SET next_line = $1, taken = $2 WHERE prefix = $3")
        .bind(state.next_line)
        .bind(state.taken)
        .bind(prefix)
        .execute(conn)
        .await?;
    Ok(())
}

/// Taken lines of a pool at or above `from_line`, ascending.
pub async fn taken_lines_from(
    conn: &mut AnyConnection,
    prefix: &str,
    from_line: i64,
) -> StoreResult<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT DISTINCT pool_line FROM phone_numbers WHERE pool_prefix = $1 AND pool_line >= $2 \
         AND status <> 'Released' ORDER BY pool_line",
    )
    .bind(prefix)
    .bind(from_line)
    .fetch_all(conn)
    .await?)
}

/// Next value of a platform counter (1 for a new counter).
pub async fn next_counter(conn: &mut AnyConnection, name: &str) -> StoreResult<i64> {
    reserve_counter(conn, name, 1).await
}

/// Takes the next `count` values of a platform counter (which starts at 1) and returns the
/// first of them.
pub async fn reserve_counter(conn: &mut AnyConnection, name: &str, count: i64) -> StoreResult<i64> {
    let last: i64 = sqlx::query_scalar(
        "INSERT INTO counters (name, value) VALUES ($1, $2) \
         ON CONFLICT (name) DO UPDATE SET value = counters.value + $2 RETURNING value",
    )
    .bind(name)
    .bind(count)
    .fetch_one(conn)
    .await?;
    Ok(last - count + 1)
}
