//! First-start and every-start bootstrap (`01-auth-tenancy.md`, Bootstrap).

use base64::Engine;
use mpaas_core::ids::{AggregatorId, DistributorId};
use mpaas_core::{Address, Timestamp};
use mpaas_store::platform::{self, PlatformRow};
use mpaas_store::{distributors, AnyConnection, Store};

use crate::distributors::distributor_view;
use crate::events::{write_event, NewEvent};
use crate::secrets::{hash_secret, is_acceptable_bootstrap_secret, new_secret, random_bytes};
use crate::{ServiceError, ServiceResult};

/// Bootstrap inputs from the configuration.
#[derive(Clone, Debug, Default)]
pub struct BootstrapSettings {
    /// `MPAAS_BOOTSTRAP_ACCOUNT_KEY`.
    pub account_key: Option<String>,
    /// `MPAAS_BOOTSTRAP_ACCOUNT_SECRET`.
    pub account_secret: Option<String>,
    /// `MPAAS_MASTER_KEY` (base64 of 32 bytes), stored at first start when not given.
    pub master_key: Option<String>,
    /// Network simulator on.
    pub sandbox: bool,
}

/// Credentials created at first start, to print once.
#[derive(Clone, Debug, serde::Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct BootstrapCredentials {
    /// `DID-…`.
    pub distributor_id: String,
    /// Same as the id.
    pub account_key: String,
    /// Shown once.
    pub secret: String,
}

/// Checks the settings before anything is written; the message names the variable.
pub fn validate_bootstrap(
    settings: &BootstrapSettings,
) -> ServiceResult<Option<(DistributorId, String)>> {
    let config = |m: &str| ServiceError::BadRequest(m.to_string());
    match (&settings.account_key, &settings.account_secret) {
        (None, None) => Ok(None),
        (Some(key), Some(secret)) => {
            let id = DistributorId::parse(key).ok_or_else(|| {
                config("MPAAS_BOOTSTRAP_ACCOUNT_KEY must be DID- followed by 1 to 100 characters [A-Za-z0-9-]")
            })?;
            if !is_acceptable_bootstrap_secret(secret) {
                return Err(config("MPAAS_BOOTSTRAP_ACCOUNT_SECRET must be 16 to 512 printable ASCII characters without spaces"));
            }
            Ok(Some((id, secret.clone())))
        }
        _ => Err(config(
            "MPAAS_BOOTSTRAP_ACCOUNT_KEY and MPAAS_BOOTSTRAP_ACCOUNT_SECRET must be set together",
        )),
    }
}

/// Runs the bootstrap rules in one transaction. Returns credentials to print when a distributor
/// was generated (sandbox, empty database, no bootstrap variables).
/// `now` is platform time: the clock is loaded before bootstrap.
pub async fn bootstrap(
    store: &Store,
    settings: &BootstrapSettings,
    now: Timestamp,
) -> ServiceResult<Option<BootstrapCredentials>> {
    let requested = validate_bootstrap(settings)?;
    let b64 = base64::engine::general_purpose::STANDARD;
    let master_key = match &settings.master_key {
        Some(k) => {
            let raw = b64.decode(k.trim()).ok().filter(|r| r.len() == 32);
            raw.ok_or_else(|| {
                ServiceError::BadRequest("MPAAS_MASTER_KEY must be base64 of 32 bytes".into())
            })?;
            k.trim().to_string()
        }
        None => b64.encode(random_bytes(32)),
    };
    let now = now.micros();
    let mut tx = store.begin().await?;
    let fresh = PlatformRow {
        aggregator_id: AggregatorId::generate().to_string(),
        signing_key: b64.encode(random_bytes(32)),
        pepper: b64.encode(random_bytes(32)),
        master_key,
    };
    let was_empty = platform::insert_if_absent(&mut tx, &fresh, now).await?;
    let row = platform::load(&mut tx)
        .await?
        .ok_or_else(|| ServiceError::Internal("platform row missing".into()))?;
    let pepper = b64
        .decode(&row.pepper)
        .map_err(|e| ServiceError::Internal(e.to_string()))?;
    let printed = match requested {
        Some((id, secret)) => {
            ensure_bootstrap_distributor(&mut tx, &pepper, &id, &secret, now).await?;
            None
        }
        None if settings.sandbox && was_empty => {
            let id = DistributorId::generate();
            let secret = new_secret();
            insert_default(&mut tx, &pepper, &id, &secret, now).await?;
            Some(BootstrapCredentials {
                distributor_id: id.to_string(),
                account_key: id.to_string(),
                secret,
            })
        }
        None => None,
    };
    mpaas_store::commit(tx).await?;
    Ok(printed)
}

async fn ensure_bootstrap_distributor(
    conn: &mut AnyConnection,
    pepper: &[u8],
    id: &DistributorId,
    secret: &str,
    now: i64,
) -> ServiceResult<()> {
    match distributors::find(conn, id.as_str()).await? {
        None => insert_default(conn, pepper, id, secret, now).await,
        Some(existing) => {
            if existing.secret_hash != hash_secret(pepper, secret) {
                tracing::warn!(
                    distributor_id = %existing.id,
                    "MPAAS_BOOTSTRAP_ACCOUNT_SECRET differs from the stored secret; the stored secret stays in force"
                );
            }
            Ok(())
        }
    }
}

async fn insert_default(
    conn: &mut AnyConnection,
    pepper: &[u8],
    id: &DistributorId,
    secret: &str,
    now: i64,
) -> ServiceResult<()> {
    let empty = serde_json::to_string(&Address::default())
        .map_err(|e| ServiceError::Internal(e.to_string()))?;
    let hash = hash_secret(pepper, secret);
    let row = distributors::NewDistributor {
        id: id.as_str(),
        name: "Default Distributor",
        secret_hash: &hash,
        rate_limit_per_minute: None,
        billing_address: &empty,
        mailing_address: &empty,
        now,
    };
    distributors::insert(conn, &row).await?;
    let created = distributors::find(conn, id.as_str())
        .await?
        .ok_or_else(|| ServiceError::Internal("distributor vanished".into()))?;
    let view = distributor_view(created, None)?;
    let event = NewEvent {
        event_type: "distributor.created",
        distributor_id: id.as_str(),
        account_id: None,
        resource_id: id.as_str(),
        data: &view,
    };
    write_event(conn, event, Timestamp::from_micros(now)).await
}
