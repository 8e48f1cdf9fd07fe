//! Storage for mpaas on SQLite (embedded default) and PostgreSQL, through sqlx's `Any` driver
//! with SQL that both engines accept. Repository functions take a `&mut AnyConnection` so that a
//! use case can run several of them inside one transaction.

pub mod accounts;
mod bulk;
mod db;
pub mod deliveries;
pub mod distributors;
mod error;
pub mod events;
pub mod idempotency;
pub mod inventory;
pub mod jobs;
pub mod lifecycle;
pub mod message_routes;
pub mod network;
pub mod network_services;
pub mod numbers;
pub mod orders;
pub mod packages;
pub mod platform;
pub mod products;
pub mod rate_limits;
pub mod sims;
pub mod subscribers;
pub mod subscriptions;
pub mod voice_routes;
pub mod webhooks;

use db::row_lock;
pub use db::{notify, AdvisoryLock, Backend, Store, StoreOptions};
pub use error::StoreError;
pub use sqlx::AnyConnection;
pub use sqlx::{Any, Transaction};

/// A statement with its arguments, as the `bind_*` helpers pass it along.
pub(crate) type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>;

/// Result of a storage call.
pub type StoreResult<T> = Result<T, StoreError>;

/// Commits a transaction, classifying the error like every other storage call.
pub async fn commit(tx: Transaction<'static, Any>) -> StoreResult<()> {
    tx.commit().await.map_err(StoreError::from)
}
