//! Advancing the sandbox clock: every job due up to the target runs, one at a time in
//! (run_at, id) order, with the clock set to each job's time first, before the call returns.

use mpaas_core::Timestamp;
use mpaas_store::{jobs, Backend};

use crate::clock::wall_now;
use crate::{ServiceError, ServiceResult, Services};

/// What an advance did.
#[derive(Clone, Copy, Debug)]
pub struct AdvanceReport {
    /// Platform time before.
    pub previous: Timestamp,
    /// Platform time after (the target).
    pub now: Timestamp,
    /// Jobs run on the way.
    pub jobs_run: u64,
    /// Jobs still queued.
    pub pending_jobs: i64,
    /// When the next queued job falls due.
    pub next_job_at: Option<Timestamp>,
}

/// The clock and the queue, as the sandbox clock endpoints show them.
#[derive(Clone, Copy, Debug)]
pub struct ClockStatus {
    /// Platform time.
    pub now: Timestamp,
    /// Frozen or following the wall clock.
    pub frozen: bool,
    /// Platform time minus wall time, in whole seconds.
    pub offset_seconds: i64,
    /// Jobs queued or running.
    pub pending_jobs: i64,
    /// When the next queued job falls due.
    pub next_job_at: Option<Timestamp>,
}

/// Where an advance goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClockTarget {
    /// This many seconds past the clock (0 runs the jobs due now).
    By(i64),
    /// This instant.
    Until(Timestamp),
}

impl Services {
    /// Moves the sandbox clock forward to `target`, running due jobs on the way.
    pub async fn advance_clock(&self, target: ClockTarget) -> ServiceResult<AdvanceReport> {
        if !self.settings().sandbox {
            return Err(ServiceError::Unprocessable(
                "The platform clock can only be moved in the sandbox".into(),
            ));
        }
        // Waits for running jobs of this process and keeps its workers from claiming.
        let _exclusive = self.inner.advance_lock.write().await;
        let pg_lock = match self.store().backend() {
            Backend::Postgres => Some(self.store().advisory_lock(jobs::ADVANCE_LOCK_KEY).await?),
            Backend::Sqlite => None,
        };
        let result = self.run_until(target).await;
        if let Some(lock) = pg_lock {
            lock.release().await?;
        }
        let (previous, jobs_run) = result?;
        let status = self.clock_status().await?;
        Ok(AdvanceReport {
            previous,
            now: status.now,
            jobs_run,
            pending_jobs: status.pending_jobs,
            next_job_at: status.next_job_at,
        })
    }

    async fn run_until(&self, target: ClockTarget) -> ServiceResult<(Timestamp, u64)> {
        self.clock().refresh(self.store()).await?;
        let previous = self.clock().now();
        // A relative advance counts from the clock as it is once the lock is held: a running
        // clock has moved on since the request arrived.
        let target = match target {
            ClockTarget::By(seconds) => previous.plus_seconds(seconds),
            ClockTarget::Until(at) => at,
        };
        if target < previous {
            return Err(ServiceError::Unprocessable(
                "The platform clock cannot move backwards".into(),
            ));
        }
        let mut ran = 0;
        loop {
            let next = {
                let mut conn = self.store().reader().await?;
                jobs::next_due(&mut conn, target.micros()).await?
            };
            let Some((id, run_at)) = next else { break };
            let run_at = Timestamp::from_micros(run_at);
            if run_at > self.clock().now() {
                self.clock().set(self.store(), run_at).await?;
            }
            let lease = wall_now().micros() + crate::jobs::LEASE.as_micros() as i64;
            let claimed = {
                let mut tx = self.store().begin().await?;
                let job = jobs::claim_one(&mut tx, &id, self.clock().now().micros(), lease).await?;
                mpaas_store::commit(tx).await?;
                job
            };
            if let Some(job) = claimed {
                self.execute(job).await?;
                ran += 1;
            }
        }
        if target > self.clock().now() {
            self.clock().set(self.store(), target).await?;
        }
        Ok((previous, ran))
    }

    /// The clock and queue summary.
    pub async fn clock_status(&self) -> ServiceResult<ClockStatus> {
        let (pending, next) = {
            let mut conn = self.store().reader().await?;
            jobs::pending(&mut conn).await?
        };
        let now = self.clock().now();
        Ok(ClockStatus {
            now,
            frozen: self.clock().is_frozen(),
            offset_seconds: (now.micros() - wall_now().micros()) / 1_000_000,
            pending_jobs: pending,
            next_job_at: next.map(Timestamp::from_micros),
        })
    }

    /// Freezes the clock at the current instant, or resumes from it.
    pub async fn freeze_clock(&self, frozen: bool) -> ServiceResult<ClockStatus> {
        if !self.settings().sandbox {
            return Err(ServiceError::Unprocessable(
                "The platform clock can only be moved in the sandbox".into(),
            ));
        }
        self.clock().freeze(self.store(), frozen).await?;
        self.clock_status().await
    }
}
