//! The worker loop: wakes on a signal (jobs enqueued in this process) or every poll interval,
//! claims what is due and runs up to `concurrency` jobs at once.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{watch, Semaphore};
use tokio::task::JoinHandle;

use crate::Services;

/// Worker settings.
#[derive(Clone, Copy, Debug)]
pub struct WorkerOptions {
    /// Jobs run at once (`MPAAS_JOB_CONCURRENCY`).
    pub concurrency: usize,
    /// Poll interval (`MPAAS_JOB_POLL_MS`).
    pub poll: Duration,
}

/// Starts the worker; it stops when `shutdown` becomes `true`, after its running jobs finish.
pub fn spawn_worker(
    services: Services,
    options: WorkerOptions,
    mut shutdown: watch::Receiver<bool>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let permits = Arc::new(Semaphore::new(options.concurrency.max(1)));
        loop {
            tokio::select! {
                () = services.inner.job_signal.notified() => {}
                () = tokio::time::sleep(options.poll) => {}
                _ = shutdown.changed() => break,
            }
            if *shutdown.borrow() {
                break;
            }
            if let Err(e) = services.clock().refresh(services.store()).await {
                tracing::warn!(error = %e, "could not refresh the platform clock");
            }
            tick(&services, &permits).await;
        }
        // Wait for running jobs: every permit back means nothing runs.
        let _ = permits
            .acquire_many(options.concurrency.max(1) as u32)
            .await;
    })
}

async fn tick(services: &Services, permits: &Arc<Semaphore>) {
    loop {
        let free = permits.available_permits();
        if free == 0 {
            return;
        }
        let guard = services.inner.advance_lock.clone().read_owned().await;
        let jobs = match services.claim_due_jobs(free as i64).await {
            Ok(jobs) => jobs,
            Err(e) => {
                tracing::warn!(error = %e, "could not claim jobs");
                return;
            }
        };
        if jobs.is_empty() {
            return;
        }
        // A full batch may have left due jobs behind: each job of it wakes the loop when it
        // finishes, to claim again at once rather than at the next poll.
        let more_may_be_due = jobs.len() >= free;
        let guard = Arc::new(guard);
        for job in jobs {
            let Ok(permit) = permits.clone().acquire_owned().await else {
                return;
            };
            let (services, guard) = (services.clone(), guard.clone());
            tokio::spawn(async move {
                let id = job.id.clone();
                if let Err(e) = services.execute(job).await {
                    tracing::error!(job_id = %id, error = %e, "could not record a job outcome");
                }
                drop((permit, guard));
                if more_may_be_due {
                    services.inner.job_signal.notify_one();
                }
            });
        }
    }
}
