//! Distributors: create, update, read, list, secret rotation, rate limit.

use mpaas_core::ids::DistributorId;
use mpaas_core::{Address, Paging, Timestamp};
use mpaas_store::distributors::{self, DistributorRow, NewDistributor};
use mpaas_store::AnyConnection;

use crate::events::NewEvent;
use crate::secrets::{hash_secret, new_secret};
use crate::views::{DistributorView, Page, RotatedSecretView};
use crate::{parse_distributor_id, Caller, ServiceError, ServiceResult, Services};

/// Values of a new distributor (validated at the edge).
#[derive(Clone, Debug, Default)]
pub struct NewDistributorInput {
    /// 1 to 200 characters.
    pub name: String,
    /// Billing address.
    pub billing: Option<Address>,
    /// Mailing address.
    pub mailing: Option<Address>,
    /// Rate limit override.
    pub rate_limit_per_minute: Option<i64>,
}

/// Changes to a distributor; `None` leaves a value as it is.
#[derive(Clone, Debug, Default)]
pub struct DistributorChanges {
    /// Target; a distributor token defaults to itself.
    pub distributor_id: Option<String>,
    /// New name.
    pub name: Option<String>,
    /// Replaces the billing address.
    pub billing: Option<Address>,
    /// Replaces the mailing address.
    pub mailing: Option<Address>,
}

pub(crate) fn address_json(a: &Address) -> ServiceResult<String> {
    serde_json::to_string(a).map_err(|e| ServiceError::Internal(e.to_string()))
}

pub(crate) fn parse_address(json: &str) -> Address {
    serde_json::from_str(json).unwrap_or_default()
}

/// The wire object of a stored distributor.
pub(crate) fn distributor_view(
    row: DistributorRow,
    secret: Option<String>,
) -> ServiceResult<DistributorView> {
    Ok(DistributorView {
        distributor_id: row.id.clone(),
        distributor_name: row.name,
        account_key: row.id,
        secret,
        total_accounts: row.total_accounts,
        billing_address: parse_address(&row.billing_address),
        mailing_address: parse_address(&row.mailing_address),
        rate_limit_per_minute: row.rate_limit_per_minute,
        created_on: Timestamp::from_micros(row.created_on),
    })
}

fn not_found(id: &str) -> ServiceError {
    ServiceError::not_found("Distributor", id)
}

async fn load(conn: &mut AnyConnection, raw_id: &str) -> ServiceResult<DistributorRow> {
    let id = parse_distributor_id(raw_id).ok_or_else(|| not_found(raw_id))?;
    distributors::find(conn, id.as_str())
        .await?
        .ok_or_else(|| not_found(raw_id))
}

impl Services {
    /// Creates a distributor and its credentials (shown once in the answer).
    pub async fn create_distributor(
        &self,
        input: NewDistributorInput,
    ) -> ServiceResult<DistributorView> {
        let id = DistributorId::generate();
        let secret = new_secret();
        let hash = hash_secret(&self.keys().pepper, &secret);
        let billing = address_json(&input.billing.unwrap_or_default())?;
        let mailing = address_json(&input.mailing.unwrap_or_default())?;
        let mut tx = self.store().begin().await?;
        let row = NewDistributor {
            id: id.as_str(),
            name: &input.name,
            secret_hash: &hash,
            rate_limit_per_minute: input.rate_limit_per_minute,
            billing_address: &billing,
            mailing_address: &mailing,
            now: self.clock().now().micros(),
        };
        distributors::insert(&mut tx, &row).await?;
        let view = distributor_view(load(&mut tx, id.as_str()).await?, None)?;
        self.emit_distributor(&mut tx, "distributor.created", &view)
            .await?;
        mpaas_store::commit(tx).await?;
        Ok(DistributorView {
            secret: Some(secret),
            ..view
        })
    }

    /// Changes name or addresses. A distributor may only change itself (others are 404).
    pub async fn update_distributor(
        &self,
        caller: &Caller,
        changes: DistributorChanges,
    ) -> ServiceResult<DistributorView> {
        let target = match (caller, &changes.distributor_id) {
            (Caller::Admin, Some(id)) => id.clone(),
            (Caller::Admin, None) => {
                return Err(ServiceError::field(
                    "DistributorId",
                    "DistributorId is required",
                ))
            }
            (Caller::Distributor(own), Some(id))
                if parse_distributor_id(id).is_some_and(|p| p.lookup_key() == own.lookup_key()) =>
            {
                id.clone()
            }
            (Caller::Distributor(_), Some(id)) => return Err(not_found(id)),
            (Caller::Distributor(own), None) => own.to_string(),
        };
        let mut tx = self.store().begin().await?;
        let current = load(&mut tx, &target).await?;
        let name = changes.name.unwrap_or_else(|| current.name.clone());
        let billing = changes
            .billing
            .map(|a| address_json(&a))
            .transpose()?
            .unwrap_or_else(|| current.billing_address.clone());
        let mailing = changes
            .mailing
            .map(|a| address_json(&a))
            .transpose()?
            .unwrap_or_else(|| current.mailing_address.clone());
        let now = self.clock().now().micros();
        distributors::update_profile(&mut tx, &current.id, &name, &billing, &mailing, now).await?;
        let view = distributor_view(load(&mut tx, &current.id).await?, None)?;
        self.emit_distributor(&mut tx, "distributor.updated", &view)
            .await?;
        mpaas_store::commit(tx).await?;
        Ok(view)
    }

    /// One distributor.
    pub async fn get_distributor(&self, raw_id: &str) -> ServiceResult<DistributorView> {
        let mut conn = self.store().reader().await?;
        distributor_view(load(&mut conn, raw_id).await?, None)
    }

    /// A page of distributors in creation order.
    pub async fn list_distributors(&self, paging: Paging) -> ServiceResult<Page<DistributorView>> {
        let mut conn = self.store().reader().await?;
        let (total, rows) = distributors::list(&mut conn, paging.offset(), paging.limit()).await?;
        let results = rows
            .into_iter()
            .map(|r| distributor_view(r, None))
            .collect::<ServiceResult<_>>()?;
        Ok(Page { total, results })
    }

    /// Issues a new secret; the old one and every token minted with it stop working at once.
    pub async fn rotate_distributor_secret(
        &self,
        raw_id: &str,
    ) -> ServiceResult<RotatedSecretView> {
        let secret = new_secret();
        let hash = hash_secret(&self.keys().pepper, &secret);
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        let current = load(&mut tx, raw_id).await?;
        distributors::rotate_secret(&mut tx, &current.id, &hash, now.micros()).await?;
        let view = RotatedSecretView {
            distributor_id: current.id.clone(),
            account_key: current.id.clone(),
            secret: "********".into(),
            rotated_on: now,
        };
        let event = NewEvent {
            event_type: "distributor.secret_rotated",
            distributor_id: &current.id,
            account_id: None,
            resource_id: &current.id,
            data: &serde_json::json!({"DistributorId": view.distributor_id, "AccountKey": view.account_key, "RotatedOn": now}),
        };
        self.emit(&mut tx, event).await?;
        mpaas_store::commit(tx).await?;
        self.token_keys().forget(&current.id.to_ascii_lowercase());
        Ok(RotatedSecretView { secret, ..view })
    }

    /// Sets (or with `None` resets to the platform default) the rate limit per minute.
    pub async fn set_rate_limit(
        &self,
        raw_id: &str,
        limit: Option<i64>,
    ) -> ServiceResult<DistributorView> {
        let mut tx = self.store().begin().await?;
        let current = load(&mut tx, raw_id).await?;
        distributors::set_rate_limit(&mut tx, &current.id, limit, self.clock().now().micros())
            .await?;
        let view = distributor_view(load(&mut tx, &current.id).await?, None)?;
        self.emit_distributor(&mut tx, "distributor.rate_limit_changed", &view)
            .await?;
        mpaas_store::commit(tx).await?;
        self.token_keys().forget(&current.id.to_ascii_lowercase());
        Ok(view)
    }

    async fn emit_distributor(
        &self,
        conn: &mut AnyConnection,
        event_type: &str,
        view: &DistributorView,
    ) -> ServiceResult<()> {
        let event = NewEvent {
            event_type,
            distributor_id: &view.distributor_id,
            account_id: None,
            resource_id: &view.distributor_id,
            data: view,
        };
        self.emit(conn, event).await
    }
}
