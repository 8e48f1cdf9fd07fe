//! Request extractors that give the contract's tolerance (case-insensitive keys) and its error
//! shapes (problem+json) instead of axum's defaults.

mod body;
mod caller;
mod path;
mod query;

pub use body::{Body, Fields, MAX_BODY_BYTES};
pub use caller::{CallerOf, DistributorCaller};
pub use path::PathId;
pub use query::Query;
