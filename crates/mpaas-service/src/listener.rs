//! PostgreSQL wake-ups across nodes: `LISTEN mpaas_jobs` wakes this node's worker when another
//! node enqueues a job; `LISTEN mpaas_clock` re-reads the platform clock when another node moves
//! it. Polling stays the fallback, so a lost notification only delays work.

use std::time::Duration;

use sqlx::postgres::PgListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::Services;

/// Channel signalled when jobs are enqueued.
pub const JOBS_CHANNEL: &str = "mpaas_jobs";
/// Channel signalled when the platform clock moves.
pub const CLOCK_CHANNEL: &str = "mpaas_clock";
/// Channel signalled when events are written.
pub const EVENTS_CHANNEL: &str = "mpaas_events";

/// Listens on the platform's channels until `shutdown` becomes `true`; reconnects on errors.
pub fn spawn_listener(
    services: Services,
    database_url: String,
    mut shutdown: watch::Receiver<bool>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        while !*shutdown.borrow() {
            let mut listener = match connect(&database_url).await {
                Ok(l) => l,
                Err(e) => {
                    tracing::warn!(error = %e, "cannot listen for notifications; retrying in 5 s");
                    tokio::select! {
                        () = tokio::time::sleep(Duration::from_secs(5)) => continue,
                        _ = shutdown.changed() => break,
                    }
                }
            };
            loop {
                tokio::select! {
                    message = listener.recv() => match message {
                        Ok(n) if n.channel() == CLOCK_CHANNEL => {
                            if let Err(e) = services.clock().refresh(services.store()).await {
                                tracing::warn!(error = %e, "could not refresh the platform clock");
                            }
                        }
                        Ok(_) => services.inner.job_signal.notify_one(),
                        Err(e) => {
                            tracing::warn!(error = %e, "notification connection lost");
                            break;
                        }
                    },
                    _ = shutdown.changed() => return,
                }
            }
        }
    })
}

async fn connect(url: &str) -> Result<PgListener, sqlx::Error> {
    let mut listener = PgListener::connect(url).await?;
    listener
        .listen_all([JOBS_CHANNEL, CLOCK_CHANNEL, EVENTS_CHANNEL])
        .await?;
    Ok(listener)
}
