//! The job engine: durable jobs in platform time, claimed by workers, retried with exponential
//! backoff and jitter, and run step by step when the sandbox clock is advanced.

use std::time::Duration;

use mpaas_core::Timestamp;
use mpaas_store::jobs::{self, JobRow, NewJob};
use mpaas_store::{AnyConnection, Backend};
use rand::Rng;

use crate::clock::wall_now;
use crate::{ServiceError, ServiceResult, Services};

/// How long a claimed job may run before another worker may take it over.
pub const LEASE: Duration = Duration::from_secs(60);
/// Attempts before a job is `Dead`, unless the kind says otherwise.
pub const DEFAULT_MAX_ATTEMPTS: i64 = 10;
/// Kind of the hourly clean-up job.
pub const HOUSEKEEPING: &str = "housekeeping.prune";

/// Why a job attempt failed.
#[derive(Debug)]
pub struct JobFailure(pub String);

impl From<ServiceError> for JobFailure {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::Internal(detail) | ServiceError::Unavailable(detail) => {
                JobFailure(detail)
            }
            other => JobFailure(other.to_string()),
        }
    }
}

impl From<mpaas_store::StoreError> for JobFailure {
    fn from(e: mpaas_store::StoreError) -> Self {
        JobFailure(e.to_string())
    }
}

/// Delay before retrying after `attempts` failures: min(2^attempts s, 1 h), +/-20 % jitter.
pub fn retry_delay_micros(attempts: i64) -> i64 {
    let base = 2f64.powi(attempts.clamp(0, 12) as i32).min(3600.0);
    let jitter = rand::thread_rng().gen_range(0.8..=1.2);
    (base * jitter * 1_000_000.0) as i64
}

fn lease_until() -> i64 {
    wall_now().micros() + LEASE.as_micros() as i64
}

impl Services {
    /// Enqueues a job inside the caller's transaction; returns whether it was inserted (a held
    /// dedupe key inserts nothing).
    pub(crate) async fn enqueue(
        &self,
        conn: &mut AnyConnection,
        kind: &str,
        payload: &serde_json::Value,
        run_at: Timestamp,
        dedupe_key: Option<&str>,
    ) -> ServiceResult<bool> {
        let payload = payload.to_string();
        let job = NewJob {
            kind,
            payload: &payload,
            run_at: run_at.micros(),
            dedupe_key,
            max_attempts: DEFAULT_MAX_ATTEMPTS,
        };
        let id = uuid::Uuid::now_v7().to_string();
        let inserted = jobs::enqueue(conn, &id, &job, self.clock().now().micros()).await?;
        if self.store().backend() == Backend::Postgres {
            mpaas_store::notify(conn, crate::listener::JOBS_CHANNEL).await?;
        }
        self.inner.job_signal.notify_one();
        Ok(inserted)
    }

    /// Makes sure the hourly housekeeping job exists.
    pub async fn schedule_housekeeping(&self) -> ServiceResult<()> {
        let mut tx = self.store().begin().await?;
        self.enqueue(
            &mut tx,
            HOUSEKEEPING,
            &serde_json::json!({}),
            self.clock().now(),
            Some(HOUSEKEEPING),
        )
        .await?;
        mpaas_store::commit(tx).await?;
        Ok(())
    }

    /// Claims up to `limit` due jobs (or jobs whose lease expired) for this worker. Nothing is
    /// claimed while the sandbox clock is being advanced.
    pub async fn claim_due_jobs(&self, limit: i64) -> ServiceResult<Vec<JobRow>> {
        let postgres = self.store().backend() == Backend::Postgres;
        let mut tx = self.store().begin().await?;
        if postgres && !mpaas_store::jobs::advance_not_running(&mut tx).await? {
            return Ok(Vec::new());
        }
        let claimed = jobs::claim_due(
            &mut tx,
            self.clock().now().micros(),
            wall_now().micros(),
            lease_until(),
            limit,
            postgres,
        )
        .await?;
        mpaas_store::commit(tx).await?;
        Ok(claimed)
    }

    /// Runs one claimed job and records the outcome (success, retry with backoff, or `Dead`).
    pub async fn execute(&self, job: JobRow) -> ServiceResult<()> {
        let lag = (self.clock().now().micros() - job.run_at).max(0) as f64 / 1e6;
        metrics::histogram!("mpaas_job_lag_seconds", "kind" => job.kind.clone()).record(lag);
        let outcome = self.dispatch_job(&job).await;
        let now = self.clock().now().micros();
        let mut tx = self.store().begin().await?;
        let label = match outcome {
            Ok(()) => {
                jobs::succeed(&mut tx, &job.id, now).await?;
                "ok"
            }
            Err(JobFailure(error)) if job.attempts >= job.max_attempts => {
                tracing::error!(job_id = %job.id, kind = %job.kind, attempts = job.attempts, %error, "job is dead");
                jobs::fail(&mut tx, &job.id, &error, None, now).await?;
                "dead"
            }
            Err(JobFailure(error)) => {
                tracing::warn!(job_id = %job.id, kind = %job.kind, attempts = job.attempts, %error, "job failed; retrying");
                match jobs::fail(
                    &mut tx,
                    &job.id,
                    &error,
                    Some(now + retry_delay_micros(job.attempts)),
                    now,
                )
                .await
                {
                    // An equivalent job (same dedupe key) was queued meanwhile: it does this work.
                    Err(e) if e.is_unique_on("dedupe") => {
                        jobs::succeed(&mut tx, &job.id, now).await?
                    }
                    other => other?,
                }
                "retry"
            }
        };
        mpaas_store::commit(tx).await?;
        metrics::counter!("mpaas_job_runs_total", "kind" => job.kind.clone(), "outcome" => label)
            .increment(1);
        Ok(())
    }

    /// The handler of each job kind. Handlers are idempotent: they re-read state and do nothing
    /// when the work is already done.
    async fn dispatch_job(&self, job: &JobRow) -> Result<(), JobFailure> {
        let payload: serde_json::Value = serde_json::from_str(&job.payload)
            .map_err(|e| JobFailure(format!("payload is not JSON: {e}")))?;
        match job.kind.as_str() {
            HOUSEKEEPING => self.housekeeping().await,
            crate::fanout::DISPATCH_JOB => self.dispatch_event(payload).await,
            crate::delivery::ATTEMPT_JOB => self.run_delivery_attempt(payload).await,
            crate::numbers::ACTIVATE_JOB => self.run_activation(payload).await,
            crate::numbers::STATUS_CHANGE_JOB => self.run_status_change(payload).await,
            crate::numbers::RELEASE_JOB => self.run_release(payload).await,
            other => Err(JobFailure(format!(
                "no handler for job kind '{other}' (payload {payload})"
            ))),
        }
    }

    /// Prunes idempotency keys older than 24 h, events past retention and finished jobs older
    /// than 7 days, then schedules itself an hour later.
    async fn housekeeping(&self) -> Result<(), JobFailure> {
        const DAY: i64 = 86_400_000_000;
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        let keys = mpaas_store::idempotency::prune(&mut tx, now.micros() - DAY).await?;
        let events = mpaas_store::events::prune(
            &mut tx,
            now.micros() - self.settings().event_retention_days * DAY,
        )
        .await?;
        let finished = jobs::prune_finished(&mut tx, now.micros() - 7 * DAY).await?;
        let deliveries = mpaas_store::deliveries::prune_finished(
            &mut tx,
            now.micros() - self.settings().event_retention_days * DAY,
        )
        .await?;
        mpaas_store::commit(tx).await?;
        tracing::info!(
            idempotency_keys = keys,
            events,
            jobs = finished,
            deliveries,
            "housekeeping pruned old rows"
        );
        let mut tx = self.store().begin().await?;
        // Dedupe keys are unique among queued jobs, so the running job can queue its successor.
        self.enqueue(
            &mut tx,
            HOUSEKEEPING,
            &serde_json::json!({}),
            now.plus_seconds(3600),
            Some(HOUSEKEEPING),
        )
        .await?;
        mpaas_store::commit(tx).await?;
        Ok(())
    }
}

/// A job as the admin API shows it.
#[derive(Clone, Debug, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct JobView {
    /// Job id.
    pub job_id: String,
    /// Internal kind.
    pub kind: String,
    /// `Queued`, `Running`, `Succeeded` or `Dead`.
    pub status: String,
    /// When it falls (or fell) due, platform time.
    #[schema(value_type = String)]
    pub run_at: Timestamp,
    /// Attempts started.
    pub attempts: i64,
    /// Attempts before `Dead`.
    pub max_attempts: i64,
    /// Error of the last failed attempt.
    pub last_error: Option<String>,
    /// Creation, platform time.
    #[schema(value_type = String)]
    pub created_on: Timestamp,
    /// Last change, platform time.
    #[schema(value_type = String)]
    pub updated_on: Timestamp,
}

/// Job statuses the admin API filters on.
pub const JOB_STATUSES: [&str; 4] = ["Queued", "Running", "Succeeded", "Dead"];

fn job_view(row: JobRow) -> JobView {
    JobView {
        job_id: row.id,
        kind: row.kind,
        status: row.status,
        run_at: Timestamp::from_micros(row.run_at),
        attempts: row.attempts,
        max_attempts: row.max_attempts,
        last_error: row.last_error,
        created_on: Timestamp::from_micros(row.created_on),
        updated_on: Timestamp::from_micros(row.updated_on),
    }
}

impl Services {
    /// Jobs with a status (operator view), most recently changed first.
    pub async fn list_jobs(
        &self,
        status: &str,
        paging: mpaas_core::Paging,
    ) -> ServiceResult<crate::views::Page<JobView>> {
        let status = JOB_STATUSES
            .iter()
            .find(|s| s.eq_ignore_ascii_case(status))
            .ok_or_else(|| {
                ServiceError::field(
                    "Status",
                    format!(
                        "Invalid Status. Must be one of: {}.",
                        JOB_STATUSES.join(", ")
                    ),
                )
            })?;
        let mut conn = self.store().reader().await?;
        let (total, rows) = jobs::list(&mut conn, status, paging.offset(), paging.limit()).await?;
        Ok(crate::views::Page {
            total,
            results: rows.into_iter().map(job_view).collect(),
        })
    }

    /// Puts a dead job back in the queue, due now, with a fresh attempt budget.
    pub async fn retry_job(&self, id: &str) -> ServiceResult<JobView> {
        let not_found = || ServiceError::not_found("Job", id);
        let mut tx = self.store().begin().await?;
        let job = jobs::find(&mut tx, id.trim())
            .await?
            .ok_or_else(not_found)?;
        if !jobs::retry_dead(&mut tx, &job.id, self.clock().now().micros()).await? {
            return Err(ServiceError::Unprocessable(
                "Only dead jobs can be retried".into(),
            ));
        }
        let view = jobs::find(&mut tx, &job.id)
            .await?
            .map(job_view)
            .ok_or_else(not_found)?;
        mpaas_store::commit(tx).await?;
        self.inner.job_signal.notify_one();
        Ok(view)
    }
}

impl Services {
    /// Unfinished and due jobs per kind, for the `mpaas_jobs_pending` / `mpaas_jobs_due` gauges.
    pub async fn job_gauges(&self) -> ServiceResult<Vec<(String, i64, i64)>> {
        let mut conn = self.store().reader().await?;
        Ok(jobs::gauges(&mut conn, self.clock().now().micros()).await?)
    }
}
