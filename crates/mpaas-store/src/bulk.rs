//! SQL text for statements that carry many rows at once: bulk inserts and `IN` lists.

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

/// `($1, …, $c), ($c+1, …, $2c), …` for `rows` rows of `columns` values.
pub(crate) fn value_rows(rows: usize, columns: usize) -> String {
    (0..rows)
        .map(|i| format!("({})", placeholders(i * columns + 1, columns)))
        .collect::<Vec<_>>()
        .join(", ")
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
        assert_eq!(value_rows(2, 2), "($1, $2), ($3, $4)");
        assert_eq!(value_rows(1, 3), "($1, $2, $3)");
    }

    #[test]
    fn wide_rows_get_fewer_rows_per_statement() {
        assert_eq!(rows_per_statement(5), 500);
        assert_eq!(rows_per_statement(100), 300);
        assert_eq!(rows_per_statement(0), 500);
        assert!(rows_per_statement(25) * 25 <= 30_000);
    }
}
