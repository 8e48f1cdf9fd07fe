//! Statements that carry many rows at once: bulk inserts and `IN` lists.

use sqlx::any::AnyRow;
use sqlx::AnyConnection;

use crate::{AnyQuery, StoreResult};

/// Bind values per statement: inside SQLite's limit (32,766) and PostgreSQL's (65,535).
const MAX_BINDS: usize = 30_000;

/// Upper bound on rows per statement, whatever their width: longer statements gain nothing.
const MAX_ROWS: usize = 500;

/// How many rows of `columns` values one statement may carry.
pub(crate) fn rows_per_statement(columns: usize) -> usize {
    (MAX_BINDS / columns.max(1)).clamp(1, MAX_ROWS)
}

/// `$first, $first+1, …` for `count` values.
pub(crate) fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `($1, …, $c), ($c+1, …, $2c), …` for `rows` rows of `columns` values; on SQLite
/// `(?, …, ?), …`, bound in the same order.
///
/// SQLite finds the name of a numbered parameter by a linear scan of the statement's
/// parameters, and the driver asks for every one of them, so binding a statement of `n`
/// numbered parameters costs O(n²): a quarter of the time of a bulk provisioning run went
/// there. Anonymous parameters have no name to look up.
fn value_rows(rows: usize, columns: usize, anonymous: bool) -> String {
    let row = |i: usize| {
        if anonymous {
            vec!["?"; columns].join(", ")
        } else {
            placeholders(i * columns + 1, columns)
        }
    };
    (0..rows)
        .map(|i| format!("({})", row(i)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Writes `rows` with as few statements as the bind limits allow: `statement` makes the SQL
/// around the `VALUES` list of one chunk (its only parameters), and `bind` binds one row's
/// `width` values in order.
pub(crate) async fn write_rows<T>(
    conn: &mut AnyConnection,
    rows: &[T],
    width: usize,
    statement: impl Fn(&str) -> String,
    bind: impl for<'q> Fn(AnyQuery<'q>, &'q T) -> AnyQuery<'q>,
) -> StoreResult<()> {
    let anonymous = conn.backend_name().eq_ignore_ascii_case("sqlite");
    for chunk in rows.chunks(rows_per_statement(width)) {
        let sql = statement(&value_rows(chunk.len(), width, anonymous));
        let mut query = sqlx::query(&sql);
        for row in chunk {
            query = bind(query, row);
        }
        query.execute(&mut *conn).await?;
    }
    Ok(())
}

/// The rows of the `SELECT` that `statement` makes around an `IN` list of `keys` (its only
/// parameters), run as few times as the bind limits allow.
pub(crate) async fn select_in(
    conn: &mut AnyConnection,
    keys: &[&str],
    statement: impl Fn(&str) -> String,
) -> StoreResult<Vec<AnyRow>> {
    let mut out = Vec::with_capacity(keys.len());
    for chunk in keys.chunks(rows_per_statement(1)) {
        let sql = statement(&placeholders(1, chunk.len()));
        let mut query = sqlx::query(&sql);
        for key in chunk {
            query = query.bind(*key);
        }
        out.extend(query.fetch_all(&mut *conn).await?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::{placeholders, rows_per_statement, value_rows};

    #[test]
    fn placeholders_count_from_the_first_index() {
        assert_eq!(placeholders(1, 3), "$1, $2, $3");
        assert_eq!(placeholders(4, 1), "$4");
        assert_eq!(placeholders(1, 0), "");
    }

    #[test]
    fn value_rows_number_every_value_once() {
        assert_eq!(value_rows(2, 2, false), "($1, $2), ($3, $4)");
        assert_eq!(value_rows(1, 3, false), "($1, $2, $3)");
        assert_eq!(value_rows(2, 2, true), "(?, ?), (?, ?)");
    }

    #[test]
    fn wide_rows_get_fewer_rows_per_statement() {
        assert_eq!(rows_per_statement(5), 500);
        assert_eq!(rows_per_statement(100), 300);
        assert_eq!(rows_per_statement(0), 500);
        assert!(rows_per_statement(25) * 25 <= 30_000);
    }
}
