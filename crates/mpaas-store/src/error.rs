//! Storage errors, classified once so use cases can map constraint violations to the contract.

/// What went wrong in storage.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique constraint or index was violated; carries the database's message so callers can
    /// tell which one (index names are stable: they come from our migrations).
    #[error("unique constraint violated: {0}")]
    Unique(String),
    /// A foreign-key or check constraint rejected the row: an invariant the code should have
    /// prevented, so it is reported as a conflict rather than a crash.
    #[error("constraint violated: {0}")]
    Constraint(String),
    /// The database cannot be reached or timed out.
    #[error("storage unavailable: {0}")]
    Unavailable(String),
    /// Anything else (a bug or data corruption).
    #[error("storage error: {0}")]
    Other(String),
}

impl StoreError {
    /// True when a unique violation mentions `needle` (an index or column name).
    pub fn is_unique_on(&self, needle: &str) -> bool {
        matches!(self, StoreError::Unique(msg) if msg.contains(needle))
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(err: sqlx::Error) -> Self {
        match &err {
            sqlx::Error::Database(db) => {
                let msg = db.message().to_string();
                let constraint = db.constraint().unwrap_or_default();
                let full = format!("{msg} {constraint}");
                if db.is_unique_violation() || msg.contains("UNIQUE constraint failed") {
                    StoreError::Unique(full)
                } else if db.is_foreign_key_violation()
                    || db.is_check_violation()
                    || msg.contains("constraint failed")
                {
                    StoreError::Constraint(full)
                } else if msg.contains("database is locked") || msg.contains("busy") {
                    StoreError::Unavailable(full)
                } else {
                    StoreError::Other(full)
                }
            }
            sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::Io(_)
            | sqlx::Error::Tls(_) => StoreError::Unavailable(err.to_string()),
            _ => StoreError::Other(err.to_string()),
        }
    }
}

impl From<sqlx::migrate::MigrateError> for StoreError {
    fn from(err: sqlx::migrate::MigrateError) -> Self {
        StoreError::Other(format!("migration failed: {err}"))
    }
}
