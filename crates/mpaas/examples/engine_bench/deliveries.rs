//! Delivered events per second against a running server: a burst of account creations through
//! the API, then a replay of all of them.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, ensure, Context};
use serde_json::{json, Value};

/// Arguments of `deliveries`.
#[derive(clap::Args)]
pub struct DeliveriesArgs {
    /// Base URL of the running server.
    #[arg(long)]
    base: String,
    /// Base URL of the sink.
    #[arg(long)]
    sink: String,
    /// Distributor key.
    #[arg(long)]
    key: String,
    /// Distributor secret.
    #[arg(long)]
    secret: String,
    /// Events (account creations) in the burst.
    #[arg(long, default_value_t = 2000)]
    events: usize,
    /// Account creations in flight at once.
    #[arg(long, default_value_t = 16)]
    concurrency: usize,
    /// Give up after this many seconds per phase.
    #[arg(long, default_value_t = 300)]
    timeout_secs: u64,
}

struct Api {
    client: reqwest::Client,
    args: DeliveriesArgs,
}

impl Api {
    async fn post(&self, path: &str, token: Option<&str>, body: &Value) -> anyhow::Result<Value> {
        let mut request = self
            .client
            .post(format!("{}{path}", self.args.base))
            .json(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request
            .send()
            .await
            .with_context(|| format!("POST {path}"))?;
        let status = response.status();
        let answer: Value = response.json().await.unwrap_or(Value::Null);
        ensure!(status.is_success(), "POST {path}: {status} {answer}");
        Ok(answer)
    }

    async fn token(&self, path: &str) -> anyhow::Result<String> {
        let body = json!({"AccountKey": self.args.key, "AccountSecret": self.args.secret, "ApiEndpoint": path});
        let answer = self.post("/v1.0/oauth2/tokens", None, &body).await?;
        Ok(answer["token"].as_str().context("no token")?.to_string())
    }

    async fn sink_stats(&self) -> anyhow::Result<(u64, u64, u64)> {
        let stats: Value = self
            .client
            .get(format!("{}/stats", self.args.sink))
            .send()
            .await?
            .json()
            .await?;
        let n = |k: &str| stats[k].as_u64().unwrap_or_default();
        Ok((n("Requests"), n("Verified"), n("Distinct")))
    }

    async fn sink_reset(&self) -> anyhow::Result<()> {
        self.client
            .post(format!("{}/reset", self.args.sink))
            .send()
            .await?
            .error_for_status()?;
        Ok(())
    }

    /// Waits until `enough` holds for the sink's (requests, verified, distinct).
    async fn wait_for_sink(
        &self,
        enough: impl Fn((u64, u64, u64)) -> bool,
    ) -> anyhow::Result<(u64, u64, u64)> {
        let started = Instant::now();
        loop {
            let stats = self.sink_stats().await?;
            if enough(stats) {
                return Ok(stats);
            }
            if started.elapsed() > Duration::from_secs(self.args.timeout_secs) {
                bail!("the sink has {stats:?} after {} s", self.args.timeout_secs);
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// Runs both phases; returns the figures.
pub async fn run(args: DeliveriesArgs) -> anyhow::Result<Value> {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()?;
    let api = Arc::new(Api { client, args });
    let n = api.args.events;
    let webhook =
        json!({"Url": format!("{}/hook", api.args.sink), "EventTypes": ["account.created"]});
    let webhook = api
        .post(
            "/v1.0/webhooks",
            Some(&api.token("/v1.0/webhooks").await?),
            &webhook,
        )
        .await?;
    let secret = webhook["Secret"].as_str().context("no secret")?.to_string();
    api.client
        .post(format!("{}/secret", api.args.sink))
        .body(secret)
        .send()
        .await?
        .error_for_status()?;
    api.sink_reset().await?;

    // Phase 1: account creations through the API, delivered as they come.
    let token = Arc::new(api.token("/v1.0/account/create").await?);
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..api.args.concurrency.max(1) {
        let (api, token, next) = (api.clone(), token.clone(), next.clone());
        tasks.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= n {
                    return anyhow::Ok(());
                }
                let body = json!({"AccountName": format!("Bench {i}"), "AccountAdmin": format!("bench.{i}@example.com")});
                api.post("/v1.0/account/create", Some(&token), &body).await?;
            }
        }));
    }
    for task in tasks {
        task.await??;
    }
    let created = started.elapsed().as_secs_f64();
    let (requests, verified, _) = api
        .wait_for_sink(|(_, _, distinct)| distinct >= n as u64)
        .await?;
    let delivered = started.elapsed().as_secs_f64();
    ensure!(
        verified == requests,
        "{verified} of {requests} requests carried a valid signature"
    );

    // Phase 2: every event replayed at once: deliveries only, no API traffic meanwhile.
    api.sink_reset().await?;
    let replay = json!({"Since": "2000-01-01T00:00:00Z", "WebhookId": webhook["WebhookId"], "OnlyFailed": false});
    let replay_started = Instant::now();
    let replayed = api
        .post(
            "/v1.0/webhooks/replay",
            Some(&api.token("/v1.0/webhooks/replay").await?),
            &replay,
        )
        .await?;
    ensure!(replayed["Replayed"] == n, "replayed {replayed}");
    let (replay_requests, replay_verified, _) = api
        .wait_for_sink(|(requests, _, _)| requests >= n as u64)
        .await?;
    let replay_secs = replay_started.elapsed().as_secs_f64();
    ensure!(
        replay_verified == replay_requests,
        "replay: {replay_verified} of {replay_requests} signatures valid"
    );

    Ok(json!({
        "Events": n,
        "CreateSeconds": created,
        "CreatedPerSecond": n as f64 / created,
        "DeliveredSeconds": delivered,
        "DeliveredPerSecond": n as f64 / delivered,
        "RequestsAtSink": requests,
        "ReplaySeconds": replay_secs,
        "ReplayedPerSecond": n as f64 / replay_secs,
    }))
}
