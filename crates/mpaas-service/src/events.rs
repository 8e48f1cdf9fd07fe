//! Writing events to the outbox inside the caller's transaction.

use std::collections::HashMap;

use mpaas_core::ids::{DistributorId, EventId};
use mpaas_core::{Paging, Timestamp};
use mpaas_store::events::{self, EventRow};
use mpaas_store::AnyConnection;
use serde::Serialize;

use crate::tenancy::{find_account, INVALID_ACCOUNT_ID};
use crate::views::Page;
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
        self.emit_all(conn, vec![e]).await
    }

    /// Appends events in the order given, all stamped with the same platform time, with one
    /// statement per few hundred events; call inside the change's transaction.
    pub(crate) async fn emit_all<D: Serialize>(
        &self,
        conn: &mut AnyConnection,
        batch: Vec<NewEvent<'_, D>>,
    ) -> ServiceResult<()> {
        let at = self.clock().now();
        let mut listened: HashMap<String, bool> = HashMap::new();
        let mut rows = Vec::new();
        let mut dispatched = Vec::new();
        for e in batch {
            let fan_out = match listened.get(e.distributor_id) {
                Some(known) => *known,
                None => {
                    let present = self.has_listeners(conn, e.distributor_id).await?;
                    listened.insert(e.distributor_id.to_string(), present);
                    present
                }
            };
            let row = event_row(&e, at)?;
            if fan_out {
                dispatched.push(row.id.clone());
            }
            rows.push(row);
        }
        events::append_many(conn, &rows).await?;
        for id in &dispatched {
            crate::fanout::enqueue_dispatch(conn, id, at).await?;
        }
        if !dispatched.is_empty() {
            // Their dispatch jobs: wake this node now, and (on commit) every PostgreSQL node.
            if self.store().backend() == mpaas_store::Backend::Postgres {
                mpaas_store::notify(conn, crate::listener::EVENTS_CHANNEL).await?;
            }
            self.inner.job_signal.notify_one();
        }
        Ok(())
    }

    /// True when the distributor has an enabled webhook endpoint. Endpoints only receive events
    /// from their creation on, so without one there is nothing to fan out. SQLite serves one
    /// process, whose webhook changes clear the cached answer inside their transaction (the
    /// single writer keeps every other event write out until they commit); PostgreSQL nodes ask
    /// the database each time.
    pub(crate) async fn has_listeners(
        &self,
        conn: &mut AnyConnection,
        distributor: &str,
    ) -> ServiceResult<bool> {
        let cached = self.store().backend() == mpaas_store::Backend::Sqlite;
        if cached {
            if let Some(known) = self.listeners().get(distributor) {
                return Ok(*known);
            }
        }
        let present = mpaas_store::webhooks::any_enabled(conn, distributor).await?;
        if cached {
            self.listeners().insert(distributor.to_string(), present);
        }
        Ok(present)
    }

    /// Forgets the cached answer of [`Services::has_listeners`] for a distributor.
    pub(crate) fn forget_listeners(&self, distributor: &str) {
        self.listeners().remove(distributor);
    }

    fn listeners(&self) -> std::sync::MutexGuard<'_, std::collections::HashMap<String, bool>> {
        // The map stays consistent even if a holder panicked.
        self.inner
            .listeners
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Appends an event that occurred at `at` (no use case running: bootstrap).
pub(crate) async fn write_event<D: Serialize>(
    conn: &mut AnyConnection,
    e: NewEvent<'_, D>,
    at: Timestamp,
) -> ServiceResult<()> {
    let fan_out = mpaas_store::webhooks::any_enabled(conn, e.distributor_id).await?;
    append_event(conn, e, at, fan_out).await.map(|_| ())
}

/// Appends an event that occurred at `at` and, with `fan_out`, queues its fan-out to webhook
/// endpoints in the same transaction; returns the stored row.
pub(crate) async fn append_event<D: Serialize>(
    conn: &mut AnyConnection,
    e: NewEvent<'_, D>,
    at: Timestamp,
    fan_out: bool,
) -> ServiceResult<EventRow> {
    let row = event_row(&e, at)?;
    events::append(conn, &row).await?;
    if fan_out {
        crate::fanout::enqueue_dispatch(conn, &row.id, at).await?;
    }
    Ok(row)
}

/// The stored form of an event that occurred at `at` (counted and traced here, as every
/// event passes through).
fn event_row<D: Serialize>(e: &NewEvent<'_, D>, at: Timestamp) -> ServiceResult<EventRow> {
    let data =
        serde_json::to_string(e.data).map_err(|err| ServiceError::Internal(err.to_string()))?;
    metrics::counter!("mpaas_events_total", "type" => e.event_type.to_string()).increment(1);
    tracing::debug!(
        event_type = e.event_type,
        resource_id = e.resource_id,
        "event written"
    );
    Ok(EventRow {
        id: EventId::generate().to_string(),
        event_type: e.event_type.to_string(),
        occurred_on: at.micros(),
        distributor_id: e.distributor_id.to_string(),
        account_id: e.account_id.map(str::to_string),
        resource_id: e.resource_id.to_string(),
        data,
    })
}

/// The event envelope (`10-platform.md` §1.2).
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct EventEnvelope {
    /// `EVT-…`; also the `webhook-id` of every delivery of it.
    pub event_id: String,
    /// Dotted type.
    #[serde(rename = "Type")]
    pub event_type: String,
    /// Platform time.
    #[schema(value_type = String)]
    pub occurred_on: Timestamp,
    /// Owner.
    pub distributor_id: String,
    /// Account concerned, when there is one.
    pub account_id: Option<String>,
    /// Resource that changed.
    pub resource_id: String,
    /// Type-specific payload.
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
}

/// Filters of `GET /v1.0/events` as given by the client.
#[derive(Clone, Debug, Default)]
pub struct EventQuery {
    /// Exact type or pattern with `*` as a whole segment.
    pub event_type: Option<String>,
    /// Exact resource id.
    pub resource_id: Option<String>,
    /// Account (no tenancy default).
    pub account_id: Option<String>,
    /// `OccurredOn >= Since`.
    pub since: Option<Timestamp>,
    /// `OccurredOn < Until`.
    pub until: Option<Timestamp>,
    /// `EVT-` id: only later events.
    pub after: Option<String>,
}

/// True for a type pattern: dotted segments of `[a-z0-9_]` or a whole-segment `*`.
pub fn is_type_pattern(pattern: &str) -> bool {
    !pattern.is_empty()
        && pattern.split('.').all(|s| {
            s == "*"
                || (!s.is_empty()
                    && s.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'))
        })
}

/// The SQL `LIKE` form of a type pattern (`_` and `%` escaped, `*` -> `%`).
fn type_like(pattern: &str) -> String {
    pattern
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
        .replace('*', "%")
}

pub(crate) fn envelope(row: EventRow) -> EventEnvelope {
    EventEnvelope {
        event_id: row.id,
        event_type: row.event_type,
        occurred_on: Timestamp::from_micros(row.occurred_on),
        distributor_id: row.distributor_id,
        account_id: row.account_id,
        resource_id: row.resource_id,
        data: serde_json::from_str(&row.data).unwrap_or(serde_json::Value::Null),
    }
}

impl Services {
    /// One event of the caller.
    pub async fn get_event(
        &self,
        distributor: &DistributorId,
        raw_id: &str,
    ) -> ServiceResult<EventEnvelope> {
        let not_found =
            || ServiceError::NotFound(format!("Event with ID '{raw_id}' was not found."));
        let id = EventId::parse(raw_id).ok_or_else(not_found)?;
        let mut conn = self.store().reader().await?;
        events::find(&mut conn, distributor.as_str(), id.as_str())
            .await?
            .map(envelope)
            .ok_or_else(not_found)
    }

    /// The caller's events, oldest first.
    pub async fn list_events(
        &self,
        distributor: &DistributorId,
        q: EventQuery,
        paging: Paging,
    ) -> ServiceResult<Page<EventEnvelope>> {
        let type_like = match q.event_type {
            Some(t) if !is_type_pattern(&t) => {
                return Err(ServiceError::field("Type", "Invalid Type pattern"))
            }
            Some(t) => Some(type_like(&t)),
            None => None,
        };
        let mut conn = self.store().reader().await?;
        let account_id = match q.account_id {
            Some(raw) => Some(
                find_account(&mut conn, distributor, &raw)
                    .await?
                    .ok_or_else(|| ServiceError::field("AccountId", INVALID_ACCOUNT_ID))?
                    .id,
            ),
            None => None,
        };
        let after = match q.after {
            Some(raw) => Some(
                EventId::parse(&raw)
                    .ok_or_else(|| ServiceError::field("After", "After must be an EVT- id"))?
                    .to_string(),
            ),
            None => None,
        };
        let filter = events::EventFilter {
            type_like,
            resource_id: q.resource_id,
            account_id,
            since: q.since.map(Timestamp::micros),
            until: q.until.map(Timestamp::micros),
            after,
        };
        let (total, rows) = events::query(
            &mut conn,
            distributor.as_str(),
            &filter,
            paging.offset(),
            paging.limit(),
        )
        .await?;
        Ok(Page {
            total,
            results: rows.into_iter().map(envelope).collect(),
        })
    }
}
