//! The network side of mpaas: what the platform asks of carriers, SMSCs and switches, and the
//! sandbox that answers deterministically from a seed.
//!
//! Everything here is pure computation; adapters that talk to real networks live behind the
//! same types.

pub mod adapter;
pub mod line;
pub mod sandbox;
pub mod service;

pub use adapter::{Activation, NetworkAdapter, SandboxNetwork};
pub use line::{Capabilities, LineCommand, LineState, NetworkLine};
pub use service::NetworkService;
