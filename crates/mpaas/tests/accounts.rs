//! Accounts: create, update, get, the distributor's account list, the `AccountId` tenancy rule,
//! addresses, trimming, live subscriber counts and events.

mod common;
#[path = "accounts/create.rs"]
mod create;
#[path = "accounts/list.rs"]
mod list;
#[path = "accounts/support.rs"]
mod support;
#[path = "accounts/tenancy.rs"]
mod tenancy;
#[path = "accounts/update.rs"]
mod update;
