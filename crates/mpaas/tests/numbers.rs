//! Numbers: availability, provisioning (single and list forms, synchronous and asynchronous
//! activation), orders, the inventory list, number details, eSIM QR images, concurrent
//! allocation, events and the sandbox inventory pools.

#[path = "numbers/availability.rs"]
mod availability;
mod common;
#[path = "numbers/concurrency.rs"]
mod concurrency;
#[path = "numbers/details.rs"]
mod details;
#[path = "numbers/events.rs"]
mod events;
#[path = "numbers/inventory.rs"]
mod inventory;
#[path = "numbers/list_form.rs"]
mod list_form;
#[path = "numbers/orders.rs"]
mod orders;
#[path = "numbers/pools.rs"]
mod pools;
#[path = "numbers/provision.rs"]
mod provision;
#[path = "numbers/provision_errors.rs"]
mod provision_errors;
#[path = "numbers/qr.rs"]
mod qr;
#[path = "numbers/support.rs"]
mod support;
