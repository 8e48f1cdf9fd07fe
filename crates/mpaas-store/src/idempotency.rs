//! Idempotency keys: (principal, lowercased path, key) with the first response stored.

use sqlx::AnyConnection;
use sqlx::Row;

use crate::StoreResult;

/// Identifies one key.
#[derive(Clone, Copy, Debug)]
pub struct KeyRef<'a> {
    /// Distributor id, or `admin`.
    pub principal: &'a str,
    /// Lowercased request path.
    pub path: &'a str,
    /// The `Idempotency-Key` value.
    pub key: &'a str,
}

/// What the stored row says about a new request with the key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Claim {
    /// The key is ours now: run the handler, then [`complete`] or [`release`].
    Acquired,
    /// A previous request finished: replay its answer when the body matches.
    Done {
        /// SHA-256 of the canonical body of the first request.
        body_hash: String,
        /// Its status.
        status: i64,
        /// Its body.
        body: String,
    },
    /// The first request is still running.
    InFlight,
}

/// Claims a key. `now` is platform time (24 h expiry), `wall_now` wall time (60 s lease for an
/// `InFlight` row whose node crashed). Must run in its own short transaction.
pub async fn claim(
    conn: &mut AnyConnection,
    k: KeyRef<'_>,
    body_hash: &str,
    now: i64,
    wall_now: i64,
) -> StoreResult<Claim> {
    const DAY: i64 = 86_400_000_000;
    const LEASE: i64 = 60_000_000;
    // Replace rows that expired or whose holder died, then try to insert ours.
    sqlx::query(
        "DELETE FROM idempotency_keys WHERE principal = $1 AND path = $2 AND idem_key = $3 \
         AND (created_on < $4 OR (state = 'InFlight' AND locked_at < $5))",
    )
    .bind(k.principal)
    .bind(k.path)
    .bind(k.key)
    .bind(now - DAY)
    .bind(wall_now - LEASE)
    .execute(&mut *conn)
    .await?;
    let inserted = sqlx::query(
        "INSERT INTO idempotency_keys (principal, path, idem_key, body_hash, state, created_on, locked_at) \
         VALUES ($1, $2, $3, $4, 'InFlight', $5, $6) ON CONFLICT (principal, path, idem_key) DO NOTHING",
    )
    .bind(k.principal)
    .bind(k.path)
    .bind(k.key)
    .bind(body_hash)
    .bind(now)
    .bind(wall_now)
    .execute(&mut *conn)
    .await?;
    if inserted.rows_affected() == 1 {
        return Ok(Claim::Acquired);
    }
    let row = sqlx::query(
        "SELECT state, body_hash, response_status, response_body FROM idempotency_keys WHERE principal = $1 AND path = $2 AND idem_key = $3",
    )
    .bind(k.principal)
    .bind(k.path)
    .bind(k.key)
    .fetch_one(conn)
    .await?;
    let state: String = row.get(0);
    Ok(if state == "InFlight" {
        Claim::InFlight
    } else {
        Claim::Done {
            body_hash: row.get(1),
            status: row.get(2),
            body: row.get(3),
        }
    })
}

/// Stores the answer of the request holding the key.
pub async fn complete(
    conn: &mut AnyConnection,
    k: KeyRef<'_>,
    status: i64,
    body: &str,
) -> StoreResult<()> {
    sqlx::query(
        "UPDATE idempotency_keys SET state = 'Done', response_status = $1, response_body = $2 \
         WHERE principal = $3 AND path = $4 AND idem_key = $5",
    )
    .bind(status)
    .bind(body)
    .bind(k.principal)
    .bind(k.path)
    .bind(k.key)
    .execute(conn)
    .await?;
    Ok(())
}

/// Frees the key (the request failed with a 5xx, so the client may retry).
pub async fn release(conn: &mut AnyConnection, k: KeyRef<'_>) -> StoreResult<()> {
    sqlx::query("DELETE FROM idempotency_keys WHERE principal = $1 AND path = $2 AND idem_key = $3 AND state = 'InFlight'")
        .bind(k.principal)
        .bind(k.path)
        .bind(k.key)
        .execute(conn)
        .await?;
    Ok(())
}

/// Deletes keys created before `before` (platform time); returns how many.
pub async fn prune(conn: &mut AnyConnection, before: i64) -> StoreResult<u64> {
    let done = sqlx::query("DELETE FROM idempotency_keys WHERE created_on < $1")
        .bind(before)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}
