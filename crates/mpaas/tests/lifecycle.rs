//! The number lifecycle (05 §1.3, §2.3, §2.7, §2.8): park, activate, cancel, swap, replace and
//! swap-sim, now or scheduled; reactivation; release after aging; order cancellation; number
//! swapping down on the network.

#[path = "lifecycle/cancel.rs"]
mod cancel;
mod common;
#[path = "lifecycle/network_down.rs"]
mod network_down;
#[path = "lifecycle/park_activate.rs"]
mod park_activate;
#[path = "lifecycle/requests.rs"]
mod requests;
#[path = "lifecycle/scheduled.rs"]
mod scheduled;
#[path = "lifecycle/support.rs"]
mod support;
#[path = "lifecycle/swap_sim.rs"]
mod swap_sim;
#[path = "lifecycle/takeover.rs"]
mod takeover;
