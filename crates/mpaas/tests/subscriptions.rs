//! Subscriptions: create with its ordered checks, the SIM rules, reads and lists, cancel and
//! reuse, concurrency and tenant isolation.

#[path = "subscriptions/cancel.rs"]
mod cancel;
#[path = "subscriptions/checks.rs"]
mod checks;
mod common;
#[path = "subscriptions/concurrency.rs"]
mod concurrency;
#[path = "subscriptions/create.rs"]
mod create;
#[path = "subscriptions/lines.rs"]
mod lines;
#[path = "subscriptions/number_checks.rs"]
mod number_checks;
#[path = "subscriptions/reads.rs"]
mod reads;
#[path = "subscriptions/sims.rs"]
mod sims;
#[path = "subscriptions/support.rs"]
mod support;
#[path = "subscriptions/tenancy.rs"]
mod tenancy;
