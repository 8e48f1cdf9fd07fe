//! Middleware: path normalisation, request ids, logs and metrics, authentication, rate limits
//! and idempotency.

mod guard;
mod idempotency;
mod request;

pub use guard::guard;
pub use request::{normalize_path, observe};
