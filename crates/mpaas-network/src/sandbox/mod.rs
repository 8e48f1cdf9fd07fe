//! The sandbox network: deterministic stand-ins for carrier services, derived from a seed.

pub mod inventory;
