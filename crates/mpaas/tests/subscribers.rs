//! Subscribers: create (and its alias), update, get by id / email / account, transfer, delete,
//! the distributor-wide list, validation, email uniqueness, password storage and concurrency.

mod common;
#[path = "subscribers/create.rs"]
mod create;
#[path = "subscribers/credentials.rs"]
mod credentials;
#[path = "subscribers/lifecycle.rs"]
mod lifecycle;
#[path = "subscribers/reads.rs"]
mod reads;
#[path = "subscribers/support.rs"]
mod support;
#[path = "subscribers/update.rs"]
mod update;
