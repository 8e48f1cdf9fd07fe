//! The network side of each number as the sandbox network holds it (10 §7.3): the line state
//! and the commands it received, in order.

use sqlx::any::AnyRow;
use sqlx::AnyConnection;
use sqlx::Row;

use crate::bulk::{select_in, write_rows};
use crate::{row_lock, Backend, StoreResult};

/// A number's line as the network holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NetworkLineRow {
    /// E.164.
    pub number: String,
    /// `Active`, `Suspended`, `Absent`.
    pub line_state: String,
    /// Bound SIM.
    pub iccid: Option<String>,
    /// Messaging enabled.
    pub message_enabled: bool,
    /// Voice enabled.
    pub voice_enabled: bool,
    /// Data enabled.
    pub data_enabled: bool,
    /// Caller name.
    pub cnam: Option<String>,
    /// Sequence number of the last command recorded.
    pub commands: i64,
    /// Platform time of the last command.
    pub updated_on: i64,
}

/// One recorded command.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NetworkCommandRow {
    /// Position among the number's commands, from 1.
    pub seq: i64,
    /// Platform time.
    pub at: i64,
    /// `ActivateLine`, `SuspendLine`, …
    pub operation: String,
    /// Parameters, human-readable.
    pub details: String,
}

const COLUMNS: &str = "number, line_state, iccid, message_enabled, voice_enabled, data_enabled, \
                       cnam, commands, updated_on";

fn map(r: AnyRow) -> NetworkLineRow {
    NetworkLineRow {
        number: r.get(0),
        line_state: r.get(1),
        iccid: r.get(2),
        message_enabled: r.get::<i64, _>(3) == 1,
        voice_enabled: r.get::<i64, _>(4) == 1,
        data_enabled: r.get::<i64, _>(5) == 1,
        cnam: r.get(6),
        commands: r.get(7),
        updated_on: r.get(8),
    }
}

/// The line of `number`, if the network ever heard of it; locked for the transaction when
/// `lock` is given.
pub async fn find(
    conn: &mut AnyConnection,
    number: &str,
    lock: Option<Backend>,
) -> StoreResult<Option<NetworkLineRow>> {
    Ok(find_many(conn, &[number], lock).await?.pop())
}

/// The lines among `numbers` that the network ever heard of, in no particular order; locked
/// for the transaction when `lock` is given.
pub async fn find_many(
    conn: &mut AnyConnection,
    numbers: &[&str],
    lock: Option<Backend>,
) -> StoreResult<Vec<NetworkLineRow>> {
    let lock = row_lock(lock);
    let statement =
        |keys: &str| format!("SELECT {COLUMNS} FROM network_lines WHERE number IN ({keys}){lock}");
    let rows = select_in(conn, numbers, statement).await?;
    Ok(rows.into_iter().map(map).collect())
}

/// Number of values in [`COLUMNS`].
const WIDTH: usize = 9;

/// Inserts or overwrites lines (one row per number in `rows`).
pub async fn save_many(conn: &mut AnyConnection, rows: &[NetworkLineRow]) -> StoreResult<()> {
    let statement = |values: &str| {
        format!(
            "INSERT INTO network_lines ({COLUMNS}) VALUES {values} \
             ON CONFLICT (number) DO UPDATE SET line_state = excluded.line_state, \
             iccid = excluded.iccid, message_enabled = excluded.message_enabled, \
             voice_enabled = excluded.voice_enabled, data_enabled = excluded.data_enabled, \
             cnam = excluded.cnam, commands = excluded.commands, updated_on = excluded.updated_on"
        )
    };
    write_rows(conn, rows, WIDTH, statement, |query, row| {
        query
            .bind(&row.number)
            .bind(&row.line_state)
            .bind(&row.iccid)
            .bind(i64::from(row.message_enabled))
            .bind(i64::from(row.voice_enabled))
            .bind(i64::from(row.data_enabled))
            .bind(&row.cnam)
            .bind(row.commands)
            .bind(row.updated_on)
    })
    .await
}

/// Records commands, each of the number it is paired with (whose line row must exist).
pub async fn append_commands(
    conn: &mut AnyConnection,
    commands: &[(&str, NetworkCommandRow)],
) -> StoreResult<()> {
    let statement = |values: &str| {
        format!(
            "INSERT INTO network_commands (number, seq, at, operation, details) VALUES {values}"
        )
    };
    write_rows(conn, commands, 5, statement, |query, (number, command)| {
        query
            .bind(*number)
            .bind(command.seq)
            .bind(command.at)
            .bind(&command.operation)
            .bind(&command.details)
    })
    .await
}

/// The last `limit` commands of `number`, oldest first.
pub async fn recent_commands(
    conn: &mut AnyConnection,
    number: &str,
    limit: i64,
) -> StoreResult<Vec<NetworkCommandRow>> {
    let rows = sqlx::query(
        "SELECT seq, at, operation, details FROM network_commands WHERE number = $1 \
         ORDER BY seq DESC LIMIT $2",
    )
    .bind(number)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    let mut out: Vec<NetworkCommandRow> = rows
        .into_iter()
        .map(|r| NetworkCommandRow {
            seq: r.get(0),
            at: r.get(1),
            operation: r.get(2),
            details: r.get(3),
        })
        .collect();
    out.reverse();
    Ok(out)
}
