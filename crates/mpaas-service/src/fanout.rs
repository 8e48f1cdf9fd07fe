//! Fan-out (`10-platform.md` §3.1): every event written to the outbox queues an
//! `event.dispatch` job in the same transaction; the job creates, in one transaction, a
//! `Pending` delivery per matching target and queues its first attempt, due now.

use mpaas_core::Timestamp;
use mpaas_store::deliveries::{self, DeliveryRow};
use mpaas_store::events::EventRow;
use mpaas_store::jobs::{self, NewJob};
use mpaas_store::webhooks::WebhookRow;
use mpaas_store::AnyConnection;

use crate::delivery::DeliveryKind;
use crate::jobs::{JobFailure, DEFAULT_MAX_ATTEMPTS};
use crate::webhook_rules::{any_matches, TEST_EVENT};
use crate::{ServiceResult, Services};

/// Job kind of the fan-out of one event.
pub const DISPATCH_JOB: &str = "event.dispatch";

/// Queues the fan-out of a just-written event (inside the event's transaction).
pub(crate) async fn enqueue_dispatch(
    conn: &mut AnyConnection,
    event_id: &str,
    at: Timestamp,
) -> ServiceResult<()> {
    let payload = serde_json::json!({ "EventId": event_id }).to_string();
    let job = NewJob {
        kind: DISPATCH_JOB,
        payload: &payload,
        run_at: at.micros(),
        dedupe_key: None,
        max_attempts: DEFAULT_MAX_ATTEMPTS,
    };
    jobs::enqueue(conn, &uuid::Uuid::now_v7().to_string(), &job, at.micros()).await?;
    Ok(())
}

/// The endpoint's `EventTypes`.
pub(crate) fn event_types_of(webhook: &WebhookRow) -> Vec<String> {
    serde_json::from_str(&webhook.event_types).unwrap_or_default()
}

/// True when an endpoint's types and account take this event (whenever it was registered).
pub(crate) fn endpoint_matches(webhook: &WebhookRow, event: &EventRow) -> bool {
    let account_ok = match &webhook.account_id {
        Some(account) => event.account_id.as_deref() == Some(account.as_str()),
        None => true,
    };
    account_ok
        && event.event_type != TEST_EVENT
        && any_matches(&event_types_of(webhook), &event.event_type)
}

impl Services {
    /// Handler of `event.dispatch`. Idempotent: a delivery exists at most once per (target,
    /// event) and only new ones queue an attempt.
    pub(crate) async fn dispatch_event(
        &self,
        payload: serde_json::Value,
    ) -> Result<(), JobFailure> {
        let Some(id) = payload.get("EventId").and_then(|v| v.as_str()) else {
            return Err(JobFailure(format!("bad event.dispatch payload: {payload}")));
        };
        let mut tx = self.store().begin().await?;
        let Some(event) = mpaas_store::events::get(&mut tx, id).await? else {
            return Ok(()); // pruned before it was dispatched
        };
        let endpoints = mpaas_store::webhooks::enabled_for(&mut tx, &event.distributor_id).await?;
        let mut created = 0;
        // Endpoints registered after the event occurred do not receive it (replay can send it).
        for webhook in endpoints
            .iter()
            .filter(|w| w.created_on <= event.occurred_on && endpoint_matches(w, &event))
        {
            if self.start_delivery(&mut tx, webhook, &event).await? {
                created += 1;
            }
        }
        mpaas_store::commit(tx).await?;
        if created > 0 {
            tracing::debug!(event_id = %event.id, deliveries = created, "event fanned out");
        }
        Ok(())
    }

    /// Creates the `Pending` delivery of `event` to an endpoint and queues its first attempt, due
    /// now; false (and nothing queued) when that delivery already exists.
    pub(crate) async fn start_delivery(
        &self,
        conn: &mut AnyConnection,
        webhook: &WebhookRow,
        event: &EventRow,
    ) -> ServiceResult<bool> {
        let now = self.clock().now();
        let row = DeliveryRow {
            id: uuid::Uuid::now_v7().to_string(),
            distributor_id: event.distributor_id.clone(),
            target_id: webhook.id.clone(),
            event_id: event.id.clone(),
            event_type: event.event_type.clone(),
            kind: DeliveryKind::Event.as_str().to_string(),
            url: webhook.url.clone(),
            state: "Pending".into(),
            series: 1,
            attempts: 0,
            series_attempts: 0,
            next_attempt_on: Some(now.micros()),
            created_on: now.micros(),
        };
        if !deliveries::insert_if_absent(conn, &row).await? {
            return Ok(false);
        }
        self.enqueue_attempt(conn, &row.id, 1, 1, now).await?;
        Ok(true)
    }

    /// Starts a new series of the delivery of `event` to a target (creating the delivery when
    /// there is none), due now.
    pub(crate) async fn restart_delivery(
        &self,
        conn: &mut AnyConnection,
        webhook: &WebhookRow,
        event: &EventRow,
    ) -> ServiceResult<()> {
        match deliveries::find_for(conn, &webhook.id, &event.id).await? {
            None => {
                self.start_delivery(conn, webhook, event).await?;
            }
            Some(existing) => self.restart_existing(conn, &existing, &webhook.url).await?,
        }
        Ok(())
    }

    /// Starts a new series of an existing delivery to `url`, due now.
    pub(crate) async fn restart_existing(
        &self,
        conn: &mut AnyConnection,
        existing: &DeliveryRow,
        url: &str,
    ) -> ServiceResult<()> {
        let now = self.clock().now();
        let series = deliveries::restart(conn, &existing.id, url, now.micros()).await?;
        self.enqueue_attempt(conn, &existing.id, series, existing.attempts + 1, now)
            .await
    }
}
