//! The delivery engine (`10-platform.md` §3): one `delivery.attempt` job per attempt. The job
//! re-reads its delivery, sends one HTTP request through the SSRF guard, records the attempt and
//! either finishes the delivery or schedules the next attempt as a new job in platform time.
//! Delivery retries are scheduled attempts, not job retries: the job succeeds once the attempt
//! is recorded.

use mpaas_core::Timestamp;
use mpaas_store::deliveries::{self, AttemptRow, AttemptUpdate, DeliveryRow};
use mpaas_store::events::EventRow;
use mpaas_store::AnyConnection;
use rand::Rng;
use serde::{Deserialize, Serialize};

use crate::clock::wall_now;
use crate::jobs::JobFailure;
use crate::ssrf;
use crate::{ServiceError, ServiceResult, Services};

mod http;
mod target;

pub use http::DeliveryEngine;
use http::Outcome;
pub use target::DeliveryKind;
use target::DeliveryTarget;

/// Job kind of one delivery attempt.
pub const ATTEMPT_JOB: &str = "delivery.attempt";
/// Attempts in one series before a delivery is dead-lettered.
pub const MAX_ATTEMPTS: i64 = 8;
/// Delay after failed attempt 1..7 of a series, in seconds (before jitter).
pub const RETRY_SCHEDULE_SECS: [i64; 7] = [5, 300, 1_800, 7_200, 18_000, 36_000, 36_000];
/// Longest `Retry-After` honoured, in seconds.
const MAX_RETRY_AFTER_SECS: i64 = 36_000;

/// Payload of a `delivery.attempt` job.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct AttemptJob {
    pub delivery_id: String,
    pub series: i64,
    pub attempt: i64,
}

/// Delay before the attempt that follows failed attempt `series_attempt` (1-based), with +/-20 %
/// jitter; a longer `retry_after` (seconds) is honoured up to 10 h. `None` after the last one.
pub fn retry_delay_micros(series_attempt: i64, retry_after: Option<i64>) -> Option<i64> {
    let index = usize::try_from(series_attempt.checked_sub(1)?).ok()?;
    let base = *RETRY_SCHEDULE_SECS.get(index)? as f64;
    let jittered = (base * rand::thread_rng().gen_range(0.8..=1.2) * 1e6) as i64;
    let asked = retry_after.map_or(0, |s| s.clamp(0, MAX_RETRY_AFTER_SECS) * 1_000_000);
    Some(jittered.max(asked))
}

impl Services {
    /// The delivery engine.
    pub(crate) fn delivery_engine(&self) -> &DeliveryEngine {
        &self.inner.delivery
    }

    /// Queues attempt `attempt` of `series` of a delivery, due at `run_at`.
    pub(crate) async fn enqueue_attempt(
        &self,
        conn: &mut AnyConnection,
        delivery_id: &str,
        series: i64,
        attempt: i64,
        run_at: Timestamp,
    ) -> ServiceResult<()> {
        let job = AttemptJob {
            delivery_id: delivery_id.to_string(),
            series,
            attempt,
        };
        let payload =
            serde_json::to_value(&job).map_err(|e| ServiceError::Internal(e.to_string()))?;
        let dedupe = format!("{ATTEMPT_JOB}:{delivery_id}:{series}:{attempt}");
        self.enqueue(conn, ATTEMPT_JOB, &payload, run_at, Some(&dedupe))
            .await?;
        Ok(())
    }

    /// Handler of `delivery.attempt`.
    pub(crate) async fn run_delivery_attempt(
        &self,
        payload: serde_json::Value,
    ) -> Result<(), JobFailure> {
        let job: AttemptJob = serde_json::from_value(payload)
            .map_err(|e| JobFailure(format!("bad delivery.attempt payload: {e}")))?;
        let Some((delivery, target, event)) = self.load_attempt(&job).await? else {
            return Ok(());
        };
        let Some(_permit) = self.delivery_engine().permit(&delivery.target_id).await else {
            return Err(JobFailure("delivery slots are closed".into()));
        };
        let attempted_on = self.clock().now();
        let url = target.url().to_string();
        let request = target.request(&event, wall_now().unix_seconds())?;
        let (outcome, duration_ms) = self.delivery_engine().send(request).await;
        self.record_outcome(&delivery, &job, &url, attempted_on, outcome, duration_ms)
            .await?;
        Ok(())
    }

    /// The delivery, its target and its event when attempt `job` is still to be made. A delivery
    /// whose target is gone or disabled, or whose event was pruned, is cancelled.
    async fn load_attempt(
        &self,
        job: &AttemptJob,
    ) -> ServiceResult<Option<(DeliveryRow, DeliveryTarget, EventRow)>> {
        let mut conn = self.store().reader().await?;
        let Some(delivery) = deliveries::find(&mut conn, &job.delivery_id).await? else {
            return Ok(None);
        };
        if delivery.state != "Pending"
            || delivery.series != job.series
            || delivery.attempts + 1 != job.attempt
        {
            return Ok(None);
        }
        let target = DeliveryTarget::load(self, &mut conn, &delivery).await?;
        let event = mpaas_store::events::get(&mut conn, &delivery.event_id).await?;
        drop(conn);
        match (target, event) {
            (Some(target), Some(event)) => Ok(Some((delivery, target, event))),
            _ => {
                let mut tx = self.store().begin().await?;
                deliveries::finish_pending(
                    &mut tx,
                    &delivery.id,
                    "Cancelled",
                    self.clock().now().micros(),
                )
                .await?;
                mpaas_store::commit(tx).await?;
                tracing::info!(delivery_id = %delivery.id, target_id = %delivery.target_id, "delivery cancelled: target or event gone");
                Ok(None)
            }
        }
    }

    /// Records the attempt, then finishes the delivery or schedules the next attempt.
    async fn record_outcome(
        &self,
        delivery: &DeliveryRow,
        job: &AttemptJob,
        url: &str,
        attempted_on: Timestamp,
        outcome: Outcome,
        duration_ms: i64,
    ) -> ServiceResult<()> {
        let now = self.clock().now();
        let retry_after = match &outcome {
            Outcome::Status { retry_after, .. } => *retry_after,
            _ => None,
        };
        let next = match &outcome {
            o if o.succeeded() => None,
            Outcome::Blocked => None,
            _ => retry_delay_micros(delivery.series_attempts + 1, retry_after)
                .map(|d| now.micros() + d),
        };
        let state = match (&outcome, next) {
            (o, _) if o.succeeded() => "Succeeded",
            (_, Some(_)) => "Pending",
            (_, None) => "DeadLettered",
        };
        let (response_status, error, response_body) = match &outcome {
            Outcome::Status { status, body, .. } => {
                (Some(i64::from(*status)), None, Some(body.clone()))
            }
            Outcome::Timeout => (
                None,
                Some(format!(
                    "timed out after {} s",
                    self.delivery_engine().timeout_secs
                )),
                None,
            ),
            Outcome::Failed(e) => (None, Some(e.clone()), None),
            Outcome::Blocked => (None, Some(ssrf::BLOCKED.to_string()), None),
        };
        let attempt = AttemptRow {
            delivery_id: delivery.id.clone(),
            attempt: job.attempt,
            attempted_on: attempted_on.micros(),
            response_status,
            error,
            duration_ms,
            response_body,
        };
        let update = AttemptUpdate {
            state,
            next_attempt_on: next,
            url,
            now: now.micros(),
        };
        let mut tx = self.store().begin().await?;
        let after = deliveries::record_attempt(
            &mut tx,
            delivery.series,
            delivery.attempts,
            &attempt,
            update,
        )
        .await?;
        if let (Some("Pending"), Some(at)) = (after.as_deref(), next) {
            self.enqueue_attempt(
                &mut tx,
                &delivery.id,
                delivery.series,
                job.attempt + 1,
                Timestamp::from_micros(at),
            )
            .await?;
        }
        mpaas_store::commit(tx).await?;
        let Some(after) = after else {
            return Ok(());
        };
        metrics::counter!("mpaas_webhook_attempts_total", "kind" => delivery.kind.clone(), "outcome" => outcome.label())
            .increment(1);
        tracing::info!(
            delivery_id = %delivery.id, target_id = %delivery.target_id, event_id = %delivery.event_id,
            attempt = job.attempt, outcome = %outcome.label(), duration_ms, state = %after,
            "webhook attempt recorded"
        );
        if after == "DeadLettered" {
            metrics::counter!("mpaas_webhook_dead_letters_total", "kind" => delivery.kind.clone())
                .increment(1);
            tracing::warn!(delivery_id = %delivery.id, target_id = %delivery.target_id, "delivery dead-lettered");
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_delays_follow_the_schedule_with_jitter() {
        for (i, base) in RETRY_SCHEDULE_SECS.iter().enumerate() {
            for _ in 0..50 {
                let d = retry_delay_micros(i as i64 + 1, None).unwrap();
                assert!(
                    d >= base * 800_000 && d <= base * 1_200_000,
                    "attempt {} delay {d}",
                    i + 1
                );
            }
        }
        assert_eq!(
            retry_delay_micros(MAX_ATTEMPTS, None),
            None,
            "attempt 8 is the last"
        );
        assert_eq!(retry_delay_micros(0, None), None);
    }

    #[test]
    fn a_longer_retry_after_is_honoured_up_to_ten_hours() {
        assert_eq!(retry_delay_micros(1, Some(600)), Some(600_000_000));
        assert!(
            retry_delay_micros(2, Some(1)).unwrap() >= 240_000_000,
            "a shorter one is ignored"
        );
        assert_eq!(retry_delay_micros(1, Some(999_999)), Some(36_000_000_000));
    }
}
