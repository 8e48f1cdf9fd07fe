//! Wiring: open the store, migrate, bootstrap, load the clock, build the services and serve.

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::Context;
use mpaas_core::Timestamp;
use mpaas_service::listener::spawn_listener;
use mpaas_service::worker::{spawn_worker, WorkerOptions};
use mpaas_service::{
    bootstrap, BootstrapCredentials, BootstrapSettings, Clock, Services, Settings,
};
use mpaas_store::{Store, StoreOptions};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::Config;

/// A prepared platform: services over a migrated, bootstrapped store.
pub struct Prepared {
    /// The use cases.
    pub services: Services,
    /// Credentials generated at first start (sandbox), to print once.
    pub credentials: Option<BootstrapCredentials>,
}

/// `MPAAS_PUBLIC_BASE_URL`, else `http://` + the listen address.
pub fn public_base_url(config: &Config) -> String {
    config
        .public_base_url
        .clone()
        .unwrap_or_else(|| format!("http://{}", config.listen))
}

/// Opens the store, migrates (when allowed), bootstraps and builds the services.
pub async fn prepare(config: &Config, migrate: bool) -> anyhow::Result<Prepared> {
    config.validate()?;
    let store = Store::connect(&StoreOptions {
        url: config.database_url.clone(),
        max_connections: config.db_max_connections,
    })
    .await
    .context("cannot open the database")?;
    if migrate {
        store.migrate().await.context("cannot apply migrations")?;
    } else {
        let pending = store.pending_migrations().await?;
        anyhow::ensure!(
            pending.is_empty(),
            "database has pending migrations {pending:?}: run `mpaas migrate`"
        );
    }
    let bootstrap_settings = BootstrapSettings {
        account_key: config.bootstrap_account_key.clone(),
        account_secret: config.bootstrap_account_secret.clone(),
        master_key: config.master_key.clone(),
        sandbox: config.sandbox,
    };
    let start = config
        .clock_start
        .as_deref()
        .and_then(Timestamp::parse_rfc3339);
    let clock = Clock::load(&store, config.sandbox, start)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let credentials = bootstrap(&store, &bootstrap_settings, clock.now())
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let settings = Settings {
        token_ttl_secs: config.token_ttl_secs,
        admin_token: config.admin_token.clone(),
        default_rate_limit: config.default_rate_limit,
        sandbox: config.sandbox,
        event_retention_days: config.event_retention_days,
        allow_private_webhooks: config.allow_private_webhooks.unwrap_or(config.sandbox),
        webhook_timeout_secs: config.webhook_timeout_secs,
        webhook_max_in_flight: config.webhook_max_in_flight,
        numbers: config.numbers.settings(&public_base_url(config))?,
    };
    let catalog = mpaas_http::registry(config.sandbox).catalog();
    let services = Services::new(store, clock, settings, catalog)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(Prepared {
        services,
        credentials,
    })
}

/// A server running in the background (tests, embedding).
pub struct RunningServer {
    /// Bound address.
    pub addr: SocketAddr,
    /// The use cases behind it.
    pub services: Services,
    /// Credentials generated at first start, if any.
    pub credentials: Option<BootstrapCredentials>,
    shutdown: watch::Sender<bool>,
    task: JoinHandle<std::io::Result<()>>,
    background: Vec<JoinHandle<()>>,
}

impl RunningServer {
    /// Prepares the platform and serves on `listener` until [`RunningServer::stop`].
    pub async fn start(config: &Config, listener: TcpListener) -> anyhow::Result<Self> {
        let addr = listener.local_addr()?;
        // QR image URLs need an address clients can reach: the bound one unless configured.
        let mut config = config.clone();
        config.listen = if addr.ip().is_unspecified() {
            format!("localhost:{}", addr.port())
        } else {
            addr.to_string()
        };
        let config = &config;
        let prepared = prepare(config, config.auto_migrate).await?;
        let (shutdown, rx) = watch::channel(false);
        let worker = start_worker(config, &prepared.services, rx.clone()).await?;
        let listener_task = (prepared.services.store().backend() == mpaas_store::Backend::Postgres)
            .then(|| {
                spawn_listener(
                    prepared.services.clone(),
                    config.database_url.clone(),
                    rx.clone(),
                )
            });
        let app = build_app(config, prepared.services.clone());
        let mut http_rx = rx;
        let task = tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = http_rx.wait_for(|stop| *stop).await;
                })
                .await
        });
        Ok(Self {
            addr,
            services: prepared.services,
            credentials: prepared.credentials,
            shutdown,
            task,
            background: worker.into_iter().chain(listener_task).collect(),
        })
    }

    /// Stops accepting connections, finishes in-flight requests and jobs, closes the store.
    pub async fn stop(mut self) {
        let _ = self.shutdown.send(true);
        let _ = (&mut self.task).await;
        for task in self.background.drain(..) {
            let _ = task.await;
        }
        self.services.store().close().await;
    }
}

/// Starts the job worker when the role runs jobs (`all`, `worker`).
async fn start_worker(
    config: &Config,
    services: &Services,
    shutdown: watch::Receiver<bool>,
) -> anyhow::Result<Option<JoinHandle<()>>> {
    if config.role == "api" {
        return Ok(None);
    }
    services
        .schedule_housekeeping()
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let options = WorkerOptions {
        concurrency: config.job_concurrency,
        poll: Duration::from_millis(config.job_poll_ms),
    };
    Ok(Some(spawn_worker(services.clone(), options, shutdown)))
}

type MakeService = axum::routing::IntoMakeService<mpaas_http::App>;

fn build_app(config: &Config, services: Services) -> MakeService {
    let options = mpaas_http::HttpOptions {
        sandbox: config.sandbox,
        metrics_token: config.metrics_token.clone(),
        serve_api: config.role != "worker",
    };
    let app = mpaas_http::app(services, &options);
    axum::ServiceExt::<axum::extract::Request>::into_make_service(app)
}

/// `mpaas serve`: runs until SIGTERM or SIGINT, then shuts down gracefully.
pub async fn serve(config: &Config) -> anyhow::Result<()> {
    let listener = TcpListener::bind(&config.listen)
        .await
        .with_context(|| format!("cannot listen on {}", config.listen))?;
    let server = RunningServer::start(config, listener).await?;
    if let Some(credentials) = &server.credentials {
        // The one line on stdout: shown once, never again.
        println!("{}", serde_json::to_string(credentials)?);
    }
    tracing::info!(listen = %server.addr, role = %config.role, sandbox = config.sandbox, "mpaas is serving");
    shutdown_signal().await;
    server.stop().await;
    tracing::info!("mpaas stopped");
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutdown requested; finishing in-flight requests and jobs");
}
