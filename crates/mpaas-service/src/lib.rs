//! Use cases of mpaas. Each opens one transaction, changes state, writes its events to the
//! outbox in the same transaction and commits. HTTP handlers, the CLI and (later) jobs call
//! these; nothing else writes to the store.

pub mod accounts;
pub mod advance;
mod auth;
mod bootstrap;
pub mod catalog;
pub mod clock;
pub mod delivery;
pub mod distributors;
mod error;
pub mod esim;
pub mod events;
mod fanout;
pub mod idempotency;
pub mod jobs;
pub mod listener;
pub mod network;
pub mod numbers;
pub mod routes;
pub mod scope;
pub mod sealing;
pub mod secrets;
pub mod sims;
pub mod ssrf;
pub mod subscribers;
pub mod subscriptions;
mod tenancy;
pub mod tokens;
pub mod views;
pub mod webhook_deliveries;
pub mod webhook_rules;
pub mod webhooks;
pub mod worker;

use std::sync::Arc;

use base64::Engine;
use mpaas_core::ids::{AggregatorId, DistributorId};
use mpaas_store::Store;

pub use auth::{Caller, RateStatus, TokenGrant};
pub use bootstrap::{bootstrap, BootstrapCredentials, BootstrapSettings};
pub use clock::Clock;
pub use error::{AuthFailure, ServiceError, ServiceResult};
pub use scope::EndpointCatalog;

/// Settings the use cases need.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Distributor token lifetime.
    pub token_ttl_secs: i64,
    /// `MPAAS_ADMIN_TOKEN`, if the admin API is enabled.
    pub admin_token: Option<String>,
    /// Platform default rate limit per minute (`0` = unlimited).
    pub default_rate_limit: i64,
    /// Network simulator on.
    pub sandbox: bool,
    /// Days of platform time events are kept.
    pub event_retention_days: i64,
    /// Lift the SSRF address check on webhook targets.
    pub allow_private_webhooks: bool,
    /// Timeout of one delivery attempt, in seconds.
    pub webhook_timeout_secs: u64,
    /// Attempts in flight per delivery target (within one process).
    pub webhook_max_in_flight: usize,
    /// Numbers, SIMs and the sandbox inventory.
    pub numbers: numbers::NumberSettings,
}

/// Installation keys loaded at start.
#[derive(Clone)]
pub struct Keys {
    /// Pepper of the distributor secret hash.
    pub pepper: Vec<u8>,
    /// Master key for secrets at rest.
    pub master_key: Vec<u8>,
    /// The aggregator.
    pub aggregator_id: AggregatorId,
}

/// Handle to every use case; cheap to clone.
#[derive(Clone)]
pub struct Services {
    inner: Arc<Inner>,
}

struct Inner {
    job_signal: tokio::sync::Notify,
    advance_lock: Arc<tokio::sync::RwLock<()>>,
    store: Store,
    clock: Clock,
    settings: Settings,
    keys: Keys,
    tokens: tokens::TokenKeys,
    catalog: EndpointCatalog,
    delivery: delivery::DeliveryEngine,
    network: Arc<dyn mpaas_network::NetworkAdapter>,
    /// Distributor → has an enabled webhook endpoint (SQLite only; see `has_listeners`).
    listeners: std::sync::Mutex<std::collections::HashMap<String, bool>>,
}

impl Services {
    /// Wires the use cases over an opened, migrated and bootstrapped store.
    pub async fn new(
        store: Store,
        clock: Clock,
        settings: Settings,
        catalog: EndpointCatalog,
    ) -> ServiceResult<Self> {
        let row = {
            let mut conn = store.reader().await?;
            mpaas_store::platform::load(&mut conn)
                .await?
                .ok_or_else(|| ServiceError::Internal("platform not bootstrapped".into()))?
        };
        let decode = |s: &str| {
            base64::engine::general_purpose::STANDARD
                .decode(s)
                .map_err(|e| ServiceError::Internal(e.to_string()))
        };
        let keys = Keys {
            pepper: decode(&row.pepper)?,
            master_key: decode(&row.master_key)?,
            aggregator_id: AggregatorId::from_stored(row.aggregator_id),
        };
        let tokens = tokens::TokenKeys::new(&decode(&row.signing_key)?);
        let delivery = delivery::DeliveryEngine::new(&settings)?;
        let network = sandbox_network(&settings.numbers)?;
        Ok(Self {
            inner: Arc::new(Inner {
                job_signal: tokio::sync::Notify::new(),
                advance_lock: Arc::default(),
                store,
                clock,
                settings,
                keys,
                tokens,
                catalog,
                delivery,
                network,
                listeners: Default::default(),
            }),
        })
    }

    /// The store (for health checks and tests).
    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// The platform clock.
    pub fn clock(&self) -> &Clock {
        &self.inner.clock
    }

    /// The settings in force.
    pub fn settings(&self) -> &Settings {
        &self.inner.settings
    }

    /// The known endpoints (token scopes).
    pub fn catalog(&self) -> &EndpointCatalog {
        &self.inner.catalog
    }

    /// The network adapter.
    pub fn network(&self) -> &dyn mpaas_network::NetworkAdapter {
        self.inner.network.as_ref()
    }

    /// The number inventory of the network.
    pub(crate) fn inventory(&self) -> &mpaas_network::sandbox::inventory::Inventory {
        self.network().inventory()
    }

    fn keys(&self) -> &Keys {
        &self.inner.keys
    }

    fn token_keys(&self) -> &tokens::TokenKeys {
        &self.inner.tokens
    }
}

/// The network simulator: the only adapter of this version (a carrier integration implements
/// the same trait).
fn sandbox_network(
    numbers: &numbers::NumberSettings,
) -> ServiceResult<Arc<dyn mpaas_network::NetworkAdapter>> {
    let activation = if numbers.async_activation {
        mpaas_network::Activation::Deferred
    } else {
        mpaas_network::Activation::Immediate
    };
    let network = mpaas_network::SandboxNetwork::new(
        numbers.seed.as_bytes(),
        numbers.numbers_per_zip,
        activation,
    )
    .map_err(|e| ServiceError::Internal(format!("sandbox inventory: {e}")))?;
    Ok(Arc::new(network))
}

/// Parses a distributor id given by a client; malformed ids are simply unknown.
pub(crate) fn parse_distributor_id(raw: &str) -> Option<DistributorId> {
    DistributorId::parse(raw)
}
