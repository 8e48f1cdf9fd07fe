//! The operator's admin API: distributor create, list, get, rate limit; distributor update with
//! the admin token.

mod common;
#[path = "admin/distributors.rs"]
mod distributors;
#[path = "admin/rate_limits.rs"]
mod rate_limits;
#[path = "admin/support.rs"]
mod support;
#[path = "admin/update.rs"]
mod update;
