//! What the platform asks of the network. Each installation runs one adapter: the sandbox, or
//! an integration with a real carrier behind the same trait.

use std::sync::Arc;

use crate::line::{LineCommand, NetworkLine};
use crate::sandbox::inventory::{Inventory, InventoryError};
use crate::service::NetworkService;

/// How the network confirms a number activation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Activation {
    /// Within the request.
    Immediate,
    /// Later: the platform records the order as `Pending` and the job engine completes it.
    Deferred,
}

/// The network as the platform's use cases see it.
pub trait NetworkAdapter: Send + Sync + std::fmt::Debug {
    /// The numbers this network can allocate (search, locate).
    fn inventory(&self) -> &Inventory;

    /// How activations are confirmed.
    fn activation(&self) -> Activation;

    /// Carries out a line command on `line`, the network-side state of one number as the
    /// platform last recorded it, and leaves there what the network holds afterwards.
    ///
    /// The state travels in and out rather than living in the adapter so that the platform can
    /// load it, and record the command with the result, inside the transaction of the use
    /// case that issued the command: the record and the change that caused it commit or roll
    /// back together.
    fn execute(&self, line: &mut NetworkLine, command: &LineCommand);

    /// Whether the network offers `service` now. `switch` is the state an operator last set
    /// for it in the sandbox (`None`: never set); an integration with a real carrier asks
    /// the carrier instead.
    fn service_up(&self, service: NetworkService, switch: Option<bool>) -> bool;
}

/// The sandbox network: deterministic inventory from a seed, activations confirmed at once or
/// (for tests of asynchronous carriers) through the job engine.
#[derive(Debug)]
pub struct SandboxNetwork {
    inventory: Arc<Inventory>,
    activation: Activation,
}

impl SandboxNetwork {
    /// The sandbox of `seed` with `numbers_per_zip` numbers per pool.
    pub fn new(
        seed: &[u8],
        numbers_per_zip: u32,
        activation: Activation,
    ) -> Result<Self, InventoryError> {
        Ok(Self {
            inventory: Inventory::shared(seed, numbers_per_zip)?,
            activation,
        })
    }
}

impl NetworkAdapter for SandboxNetwork {
    fn inventory(&self) -> &Inventory {
        &self.inventory
    }

    fn activation(&self) -> Activation {
        self.activation
    }

    /// The simulated network accepts every command at once.
    fn execute(&self, line: &mut NetworkLine, command: &LineCommand) {
        line.apply(command);
    }

    /// The simulated network offers every service unless switched off.
    fn service_up(&self, _service: NetworkService, switch: Option<bool>) -> bool {
        switch.unwrap_or(true)
    }
}
