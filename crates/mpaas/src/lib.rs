//! The mpaas binary as a library: configuration, wiring and the server, so integration tests
//! can start the real application in-process on a random port.

pub mod cli;
pub mod config;
pub mod number_config;
mod sandbox_cli;
pub mod server;

pub use config::Config;
pub use server::{prepare, RunningServer};
