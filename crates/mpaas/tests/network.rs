//! The network adapter's line commands (10 §6) as the sandbox records them, read through
//! `GET /sandbox/v1/network/policies` (10 §7.3).

mod common;
#[path = "network/lines.rs"]
mod lines;
#[path = "network/policies.rs"]
mod policies;
#[path = "network/support.rs"]
mod support;
