//! Subscribers: create (and its alias), update, get by id / email / account, transfer, delete,
//! the distributor-wide list, validation, email uniqueness, password storage and concurrency;
//! with real numbers: assignment rules, delete guards and transfers that move numbers.

mod common;
#[path = "subscribers/create.rs"]
mod create;
#[path = "subscribers/credentials.rs"]
mod credentials;
#[path = "subscribers/guards.rs"]
mod guards;
#[path = "subscribers/lifecycle.rs"]
mod lifecycle;
#[path = "subscriptions/lines.rs"]
mod lines;
#[path = "subscribers/numbers.rs"]
mod numbers;
#[path = "subscribers/reads.rs"]
mod reads;
#[path = "subscribers/support.rs"]
mod support;
#[path = "subscribers/transfer_numbers.rs"]
mod transfer_numbers;
#[path = "subscribers/update.rs"]
mod update;
