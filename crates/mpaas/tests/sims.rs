//! Number update and the SIM endpoints: `POST /v1.0/numbers/update`, clear-status,
//! update-status, import and details, with their events and tenant isolation.

mod common;
#[path = "sims/details.rs"]
mod details;
#[path = "sims/import.rs"]
mod import;
#[path = "sims/status.rs"]
mod status;
#[path = "sims/support.rs"]
mod support;
#[path = "sims/update.rs"]
mod update;
#[path = "sims/update_links.rs"]
mod update_links;
