//! Phone numbers: lookups shared by every use case that names a number, and the number events.

use mpaas_core::ids::{DistributorId, NumberId};
use mpaas_store::numbers::{self, NumberRow};
use mpaas_store::AnyConnection;
use serde::Serialize;
use serde_json::{Map, Value};

mod activate;
mod allocate;
pub mod availability;
pub mod orders;
mod port_out;
pub mod provision;
pub mod reads;
pub mod search;
mod settings;
pub mod status;
pub mod update;
pub mod views;

pub use activate::ACTIVATE_JOB;
pub(crate) use port_out::refuse_open_port_out;
pub use status::{RELEASE_JOB, STATUS_CHANGE_JOB};

pub use settings::{parse_fees, valid_iccid_prefix, NumberSettings, FEE_ACTIONS};

use crate::events::NewEvent;
use crate::{ServiceError, ServiceResult, Services};

/// 404 for a number named by id.
pub(crate) fn not_found_by_id(raw: &str) -> ServiceError {
    ServiceError::not_found("Phone number", raw)
}

/// 404 for a number named by E.164 (N404 of 05).
pub(crate) fn not_in_inventory(number: &str) -> ServiceError {
    ServiceError::NotFound(format!(
        "Phone number '{number}' was not found in your inventory."
    ))
}

/// A live number of the caller by a client-given id, locked for the transaction.
pub(crate) async fn lock_by_id(
    services: &Services,
    conn: &mut AnyConnection,
    distributor: &DistributorId,
    raw: &str,
) -> ServiceResult<NumberRow> {
    let id = NumberId::parse(raw).ok_or_else(|| not_found_by_id(raw))?;
    let lock = Some(services.store().backend());
    numbers::find_live_by_id(conn, distributor.as_str(), id.as_str(), lock)
        .await?
        .ok_or_else(|| not_found_by_id(raw))
}

/// A live number of the caller by E.164, locked for the transaction.
pub(crate) async fn lock_by_number(
    services: &Services,
    conn: &mut AnyConnection,
    distributor: &DistributorId,
    number: &str,
) -> ServiceResult<NumberRow> {
    let lock = Some(services.store().backend());
    numbers::find_live_by_number(conn, distributor.as_str(), number, lock)
        .await?
        .ok_or_else(|| not_in_inventory(number))
}

/// `Changes` of a `number.updated` event: `{Field: [old, new]}`.
#[derive(Debug, Default)]
pub(crate) struct NumberChanges(Map<String, Value>);

impl NumberChanges {
    /// Records a change when the values differ.
    pub(crate) fn record<T: Serialize + PartialEq>(&mut self, field: &str, old: &T, new: &T) {
        if old != new {
            let pair = serde_json::json!([old, new]);
            self.0.insert(field.to_string(), pair);
        }
    }

    /// Assignment and SIM changes between two versions of a row.
    pub(crate) fn between(old: &NumberRow, new: &NumberRow) -> Self {
        let mut changes = Self::default();
        changes.record(
            "AssignedSubscriberId",
            &old.subscriber_id,
            &new.subscriber_id,
        );
        changes.record("AccountId", &old.account_id, &new.account_id);
        changes.record(
            "MessageRouteId",
            &old.message_route_id,
            &new.message_route_id,
        );
        changes.record("VoiceRouteId", &old.voice_route_id, &new.voice_route_id);
        changes.record("Iccid", &old.iccid, &new.iccid);
        changes
    }

    /// Nothing changed.
    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[derive(Serialize)]
#[serde(rename_all = "PascalCase")]
struct NumberUpdatedData<'a> {
    number: &'a str,
    order_id: Option<&'a str>,
    changes: &'a Map<String, Value>,
}

impl Services {
    /// Writes `number.updated` unless nothing changed.
    pub(crate) async fn emit_number_updated(
        &self,
        conn: &mut AnyConnection,
        row: &NumberRow,
        order_id: Option<&str>,
        changes: &NumberChanges,
    ) -> ServiceResult<()> {
        if changes.is_empty() {
            return Ok(());
        }
        let data = NumberUpdatedData {
            number: &row.number,
            order_id,
            changes: &changes.0,
        };
        let event = NewEvent {
            event_type: "number.updated",
            distributor_id: &row.distributor_id,
            account_id: Some(&row.account_id),
            resource_id: &row.id,
            data: &data,
        };
        self.emit(conn, event).await
    }
}

impl Services {
    /// A live message route of the account, by the id as sent.
    pub(crate) async fn live_message_route_of(
        &self,
        conn: &mut AnyConnection,
        distributor: &DistributorId,
        account_id: &str,
        raw: &str,
    ) -> ServiceResult<String> {
        let route = crate::routes::live_message_route(conn, distributor, account_id, raw).await?;
        Ok(route.id)
    }

    /// A live voice route of the account, by the id as sent.
    pub(crate) async fn live_voice_route_of(
        &self,
        conn: &mut AnyConnection,
        distributor: &DistributorId,
        account_id: &str,
        raw: &str,
    ) -> ServiceResult<String> {
        let route = crate::routes::live_voice_route(conn, distributor, account_id, raw).await?;
        Ok(route.id)
    }
}
