//! Connection pools and migrations.
//!
//! SQLite allows one writer at a time, and a deferred transaction that upgrades from read to
//! write fails at once with `SQLITE_BUSY` instead of waiting. So on SQLite every write
//! transaction goes through a one-connection writer pool (writers queue at the pool) while
//! reads use a separate pool (WAL lets them run beside the writer). On PostgreSQL both are the
//! same pool.

use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Executor};

use crate::{StoreError, StoreResult};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// Which engine a [`Store`] talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite (single process).
    Sqlite,
    /// PostgreSQL (any number of processes).
    Postgres,
}

impl Backend {
    /// ` FOR UPDATE` on PostgreSQL; nothing on SQLite, whose single writer already serializes
    /// every write transaction.
    pub(crate) fn row_lock(self) -> &'static str {
        match self {
            Backend::Postgres => " FOR UPDATE",
            Backend::Sqlite => "",
        }
    }
}

/// [`Backend::row_lock`] when a lock is asked for.
pub(crate) fn row_lock(lock: Option<Backend>) -> &'static str {
    lock.map_or("", Backend::row_lock)
}

/// How to open the database.
#[derive(Clone, Debug)]
pub struct StoreOptions {
    /// `sqlite://…` or `postgres://…`.
    pub url: String,
    /// Pool size per process.
    pub max_connections: u32,
}

/// Handle to the database: a pool for writes and a pool for reads.
#[derive(Clone, Debug)]
pub struct Store {
    write: AnyPool,
    read: AnyPool,
    backend: Backend,
}

impl Store {
    /// Opens the pools (creating the SQLite file when missing). Does not migrate.
    pub async fn connect(options: &StoreOptions) -> StoreResult<Self> {
        sqlx::any::install_default_drivers();
        let backend = backend_of(&options.url)?;
        let store = match backend {
            Backend::Sqlite => {
                let url = sqlite_url(&options.url);
                let write = sqlite_pool(&url, 1).await?;
                let read = sqlite_pool(&url, options.max_connections.max(2)).await?;
                Store {
                    write,
                    read,
                    backend,
                }
            }
            Backend::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(options.max_connections.max(2))
                    .acquire_timeout(Duration::from_secs(10))
                    .connect(&options.url)
                    .await?;
                Store {
                    write: pool.clone(),
                    read: pool,
                    backend,
                }
            }
        };
        Ok(store)
    }

    /// The engine in use.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Starts a write transaction (on SQLite it queues for the single writer).
    pub async fn begin(&self) -> StoreResult<sqlx::Transaction<'static, sqlx::Any>> {
        Ok(self.write.begin().await?)
    }

    /// A connection for reads outside a transaction.
    pub async fn reader(&self) -> StoreResult<sqlx::pool::PoolConnection<sqlx::Any>> {
        Ok(self.read.acquire().await?)
    }

    /// Applies pending migrations (under an advisory lock on PostgreSQL).
    pub async fn migrate(&self) -> StoreResult<()> {
        self.migrator().run(&self.write).await?;
        Ok(())
    }

    /// Versions of embedded migrations not yet applied.
    pub async fn pending_migrations(&self) -> StoreResult<Vec<i64>> {
        let mut conn = self.read.acquire().await?;
        let applied: Vec<i64> = match sqlx::query_scalar::<_, i64>(
            "SELECT version FROM _sqlx_migrations WHERE success = TRUE",
        )
        .fetch_all(&mut *conn)
        .await
        {
            Ok(rows) => rows,
            Err(sqlx::Error::Database(_)) => Vec::new(),
            Err(err) => return Err(err.into()),
        };
        Ok(self
            .migrator()
            .iter()
            .map(|m| m.version)
            .filter(|v| !applied.contains(v))
            .collect())
    }

    /// True when the database answers a trivial query.
    pub async fn ping(&self) -> StoreResult<()> {
        let mut conn = self.read.acquire().await?;
        conn.execute("SELECT 1").await?;
        Ok(())
    }

    /// Connections in use and idle, for the pool gauge.
    pub fn pool_stats(&self) -> (u32, u32) {
        let size = self.read.size()
            + if self.backend == Backend::Sqlite {
                self.write.size()
            } else {
                0
            };
        let idle = self.read.num_idle() as u32
            + if self.backend == Backend::Sqlite {
                self.write.num_idle() as u32
            } else {
                0
            };
        (size.saturating_sub(idle), idle)
    }

    /// PostgreSQL: takes a session-level advisory lock on a dedicated connection, waiting for it.
    /// The connection is closed when the guard goes, which releases the lock even on error paths.
    pub async fn advisory_lock(&self, key: i64) -> StoreResult<AdvisoryLock> {
        let mut conn = self.write.acquire().await?;
        conn.close_on_drop();
        sqlx::query("SELECT pg_advisory_lock($1)")
            .bind(key)
            .execute(&mut *conn)
            .await?;
        Ok(AdvisoryLock { _conn: conn })
    }

    /// Closes every connection.
    pub async fn close(&self) {
        self.write.close().await;
        self.read.close().await;
    }

    fn migrator(&self) -> &'static Migrator {
        match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        }
    }
}

/// A held PostgreSQL advisory lock (see [`Store::advisory_lock`]).
pub struct AdvisoryLock {
    _conn: sqlx::pool::PoolConnection<sqlx::Any>,
}

impl AdvisoryLock {
    /// Releases the lock (by closing its connection).
    pub async fn release(self) -> StoreResult<()> {
        drop(self);
        Ok(())
    }
}

fn backend_of(url: &str) -> StoreResult<Backend> {
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("sqlite:") {
        Ok(Backend::Sqlite)
    } else if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
        Ok(Backend::Postgres)
    } else {
        Err(StoreError::Other(format!(
            "unsupported database URL scheme (expected sqlite:// or postgres://): {}",
            url.split(':').next().unwrap_or_default()
        )))
    }
}

/// Adds `mode=rwc` so a missing database file is created.
fn sqlite_url(url: &str) -> String {
    if url.contains("mode=") {
        url.to_string()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    }
}

async fn sqlite_pool(url: &str, size: u32) -> StoreResult<AnyPool> {
    let options = AnyConnectOptions::from_str(url)?;
    let pool = AnyPoolOptions::new()
        .max_connections(size)
        .acquire_timeout(Duration::from_secs(30))
        .after_connect(|conn, _meta| {
            Box::pin(async move {
                // WAL lets readers run beside the writer; NORMAL sync is durable across process
                // crashes in WAL mode; foreign keys are off by default in SQLite.
                conn.execute("PRAGMA journal_mode = WAL").await?;
                conn.execute("PRAGMA busy_timeout = 10000").await?;
                conn.execute("PRAGMA synchronous = NORMAL").await?;
                conn.execute("PRAGMA foreign_keys = ON").await?;
                Ok(())
            })
        })
        .connect_with(options)
        .await?;
    Ok(pool)
}

/// PostgreSQL: signals `channel` to every listening node when the transaction commits.
pub async fn notify(conn: &mut sqlx::AnyConnection, channel: &str) -> StoreResult<()> {
    sqlx::query("SELECT pg_notify($1, '')")
        .bind(channel)
        .execute(conn)
        .await?;
    Ok(())
}
