//! The deliveries listing and replay (`10-platform.md` §2).

use std::collections::HashMap;

use mpaas_core::ids::{DistributorId, EventId, MessageRouteId, VoiceRouteId, WebhookId};
use mpaas_core::{Paging, Timestamp};
use mpaas_store::deliveries::{self, AttemptRow, DeliveryFilter, DeliveryRow};
use mpaas_store::events::{self, EventFilter, EventRow};
use mpaas_store::webhooks::{self, WebhookRow};
use mpaas_store::AnyConnection;
use serde::Serialize;
use utoipa::ToSchema;

use crate::fanout::endpoint_matches;
use crate::views::Page;
use crate::{ServiceError, ServiceResult, Services};

/// Delivery states, as filtered on.
pub const DELIVERY_STATES: [&str; 4] = ["Pending", "Succeeded", "DeadLettered", "Cancelled"];
/// Most events one replay may cover.
pub const MAX_REPLAY_EVENTS: i64 = 10_000;

/// One attempt of a delivery.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct AttemptView {
    /// 1-based, over every series.
    pub attempt: i64,
    /// Platform time.
    #[schema(value_type = String)]
    pub attempted_on: Timestamp,
    /// HTTP status, when a response came.
    pub response_status: Option<i64>,
    /// Why there was no response (`blocked by SSRF guard`, a timeout...).
    pub error: Option<String>,
    /// Wall-clock duration.
    pub duration_ms: i64,
}

/// One delivery: a target and an event.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct DeliveryView {
    /// `WHK-…`, or the route id of a route webhook.
    pub webhook_id: String,
    /// `EVT-…` (the `webhook-id` header).
    pub event_id: String,
    /// Dotted type.
    pub event_type: String,
    /// `Event`, `InboundMessage`, `MessageReceipt` or `VoiceCallback`.
    pub kind: String,
    /// URL of the last attempt.
    pub url: String,
    /// `Pending`, `Succeeded`, `DeadLettered` or `Cancelled`.
    pub state: String,
    /// Attempts, oldest first.
    pub attempts: Vec<AttemptView>,
    /// When the next attempt falls due, while `Pending`.
    #[schema(value_type = Option<String>)]
    pub next_attempt_on: Option<Timestamp>,
    /// Creation time.
    #[schema(value_type = String)]
    pub created_on: Timestamp,
}

/// Answer of a replay.
#[derive(Clone, Debug, Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct ReplayView {
    /// Deliveries started.
    pub replayed: i64,
}

/// Filters of `GET /v1.0/webhooks/deliveries` as given by the client.
#[derive(Clone, Debug, Default)]
pub struct DeliveryQuery {
    /// `WHK-`, `MRID-` or `CRID-`.
    pub webhook_id: Option<String>,
    /// `EVT-…`.
    pub event_id: Option<String>,
    /// A delivery state (any case).
    pub state: Option<String>,
}

/// A replay request as given by the client.
#[derive(Clone, Debug, Default)]
pub struct ReplayInput {
    /// One event...
    pub event_id: Option<String>,
    /// ...or the events that occurred from then...
    pub since: Option<Timestamp>,
    /// ...until then (default now).
    pub until: Option<Timestamp>,
    /// Only this target.
    pub webhook_id: Option<String>,
    /// Only dead-lettered deliveries (default: false with `EventId`, true with `Since`).
    pub only_failed: Option<bool>,
}

fn attempt_view(a: AttemptRow) -> AttemptView {
    AttemptView {
        attempt: a.attempt,
        attempted_on: Timestamp::from_micros(a.attempted_on),
        response_status: a.response_status,
        error: a.error,
        duration_ms: a.duration_ms,
    }
}

fn delivery_view(d: DeliveryRow, attempts: Vec<AttemptView>) -> DeliveryView {
    DeliveryView {
        webhook_id: d.target_id,
        event_id: d.event_id,
        event_type: d.event_type,
        kind: d.kind,
        url: d.url,
        state: d.state,
        attempts,
        next_attempt_on: d.next_attempt_on.map(Timestamp::from_micros),
        created_on: Timestamp::from_micros(d.created_on),
    }
}

impl Services {
    /// The caller's deliveries in creation order, with their attempts.
    pub async fn list_deliveries(
        &self,
        distributor: &DistributorId,
        q: DeliveryQuery,
        paging: Paging,
    ) -> ServiceResult<Page<DeliveryView>> {
        let state = match q.state {
            Some(raw) => Some(
                DELIVERY_STATES
                    .iter()
                    .find(|s| s.eq_ignore_ascii_case(&raw))
                    .ok_or_else(|| {
                        ServiceError::field(
                            "State",
                            format!(
                                "Invalid State. Must be one of: {}.",
                                DELIVERY_STATES.join(", ")
                            ),
                        )
                    })?,
            ),
            None => None,
        };
        let mut conn = self.store().reader().await?;
        let target_id = match q.webhook_id {
            Some(raw) => Some(self.target_id(&mut conn, distributor, &raw).await?),
            None => None,
        };
        // A malformed event id matches nothing.
        let event_id = q
            .event_id
            .map(|raw| EventId::parse(&raw).map_or(raw, |id| id.to_string()));
        let filter = DeliveryFilter {
            target_id,
            event_id,
            state: state.map(|s| s.to_string()),
        };
        let (total, rows) = deliveries::query(
            &mut conn,
            distributor.as_str(),
            &filter,
            paging.offset(),
            paging.limit(),
        )
        .await?;
        let ids: Vec<String> = rows.iter().map(|d| d.id.clone()).collect();
        let mut attempts: HashMap<String, Vec<AttemptView>> = HashMap::new();
        for a in deliveries::attempts_of(&mut conn, &ids).await? {
            attempts
                .entry(a.delivery_id.clone())
                .or_default()
                .push(attempt_view(a));
        }
        let results = rows
            .into_iter()
            .map(|d| {
                let mine = attempts.remove(&d.id).unwrap_or_default();
                delivery_view(d, mine)
            })
            .collect();
        Ok(Page { total, results })
    }

    /// A target id of the caller: a live endpoint, or a route id (routes come with section 03).
    async fn target_id(
        &self,
        conn: &mut AnyConnection,
        distributor: &DistributorId,
        raw: &str,
    ) -> ServiceResult<String> {
        if WebhookId::parse(raw).is_some() {
            return Ok(self.find_webhook(conn, distributor, raw).await?.id);
        }
        MessageRouteId::parse(raw)
            .map(|id| id.to_string())
            .or_else(|| VoiceRouteId::parse(raw).map(|id| id.to_string()))
            .ok_or_else(|| ServiceError::not_found("Webhook", raw))
    }

    /// Starts new delivery series for events (`{"Replayed": n}`).
    pub async fn replay_deliveries(
        &self,
        distributor: &DistributorId,
        input: ReplayInput,
    ) -> ServiceResult<ReplayView> {
        let mut tx = self.store().begin().await?;
        let only = match &input.webhook_id {
            Some(raw) => {
                let webhook = self.find_webhook(&mut tx, distributor, raw).await?;
                if !webhook.enabled {
                    return Err(ServiceError::Unprocessable("Webhook is disabled".into()));
                }
                Some(webhook)
            }
            None => None,
        };
        let endpoints = match &only {
            Some(webhook) => vec![webhook.clone()],
            None => webhooks::enabled_for(&mut tx, distributor.as_str()).await?,
        };
        let replayed = if let Some(raw) = &input.event_id {
            let not_found =
                || ServiceError::NotFound(format!("Event with ID '{raw}' was not found."));
            let id = EventId::parse(raw).ok_or_else(not_found)?;
            let event = events::find(&mut tx, distributor.as_str(), id.as_str())
                .await?
                .ok_or_else(not_found)?;
            self.replay_event(
                &mut tx,
                &event,
                &endpoints,
                input.only_failed.unwrap_or(false),
            )
            .await?
        } else if let Some(since) = input.since {
            let until = input.until.unwrap_or_else(|| self.clock().now());
            let filter = EventFilter {
                since: Some(since.micros()),
                until: Some(until.micros()),
                ..Default::default()
            };
            let (total, events) = events::query(
                &mut tx,
                distributor.as_str(),
                &filter,
                0,
                MAX_REPLAY_EVENTS + 1,
            )
            .await?;
            if total > MAX_REPLAY_EVENTS {
                return Err(ServiceError::Unprocessable(format!(
                    "Replay covers more than {MAX_REPLAY_EVENTS} events; narrow Since/Until"
                )));
            }
            if input.only_failed.unwrap_or(true) {
                let only_id = only.as_ref().map(|w| w.id.as_str());
                let dead = deliveries::dead_lettered_between(
                    &mut tx,
                    distributor.as_str(),
                    since.micros(),
                    until.micros(),
                    only_id,
                )
                .await?;
                let mut n = 0;
                for delivery in &dead {
                    if let Some(webhook) = endpoints.iter().find(|w| w.id == delivery.target_id) {
                        self.restart_existing(&mut tx, delivery, &webhook.url)
                            .await?;
                        n += 1;
                    }
                }
                n
            } else {
                let mut n = 0;
                for event in &events {
                    n += self.replay_event(&mut tx, event, &endpoints, false).await?;
                }
                n
            }
        } else {
            return Err(ServiceError::BadRequest(
                "EventId or Since is required".into(),
            ));
        };
        mpaas_store::commit(tx).await?;
        tracing::info!(distributor_id = %distributor, replayed, "deliveries replayed");
        Ok(ReplayView { replayed })
    }

    /// Replays one event to the endpoints that match it now or already had a delivery of it
    /// (the test event's endpoint); with `only_failed`, only where that delivery is dead-lettered.
    async fn replay_event(
        &self,
        conn: &mut AnyConnection,
        event: &EventRow,
        endpoints: &[WebhookRow],
        only_failed: bool,
    ) -> ServiceResult<i64> {
        let existing = deliveries::of_event(conn, &event.id).await?;
        let mut n = 0;
        for webhook in endpoints {
            let prior = existing.iter().find(|d| d.target_id == webhook.id);
            if prior.is_none() && !endpoint_matches(webhook, event) {
                continue;
            }
            if only_failed && prior.is_none_or(|d| d.state != "DeadLettered") {
                continue;
            }
            self.restart_delivery(conn, webhook, event).await?;
            n += 1;
        }
        Ok(n)
    }
}
