//! Writing events to the outbox inside the caller's transaction.

use mpaas_core::ids::EventId;
use mpaas_core::Timestamp;
use mpaas_store::events::{self, EventRow};
use mpaas_store::AnyConnection;
use serde::Serialize;

use crate::{ServiceError, ServiceResult, Services};

/// An event about to be written.
pub(crate) struct NewEvent<'a, D: Serialize> {
    /// Dotted type, e.g. `account.created`.
    pub event_type: &'a str,
    /// Owner.
    pub distributor_id: &'a str,
    /// Account concerned, if any.
    pub account_id: Option<&'a str>,
    /// Resource that changed.
    pub resource_id: &'a str,
    /// Payload (secrets already masked).
    pub data: &'a D,
}

impl Services {
    /// Appends an event stamped with the platform clock; call inside the change's transaction.
    pub(crate) async fn emit<D: Serialize>(
        &self,
        conn: &mut AnyConnection,
        e: NewEvent<'_, D>,
    ) -> ServiceResult<()> {
        write_event(conn, e, self.clock().now()).await
    }
}

/// Appends an event that occurred at `at`.
pub(crate) async fn write_event<D: Serialize>(
    conn: &mut AnyConnection,
    e: NewEvent<'_, D>,
    at: Timestamp,
) -> ServiceResult<()> {
    {
        let data =
            serde_json::to_string(e.data).map_err(|err| ServiceError::Internal(err.to_string()))?;
        let row = EventRow {
            id: EventId::generate().to_string(),
            event_type: e.event_type.to_string(),
            occurred_on: at.micros(),
            distributor_id: e.distributor_id.to_string(),
            account_id: e.account_id.map(str::to_string),
            resource_id: e.resource_id.to_string(),
            data,
        };
        events::append(conn, &row).await?;
        metrics::counter!("mpaas_events_total", "type" => e.event_type.to_string()).increment(1);
        tracing::debug!(
            event_type = e.event_type,
            resource_id = e.resource_id,
            "event written"
        );
        Ok(())
    }
}
