//! The HTTP side of an attempt: one shared client behind the SSRF guard, per-target limits on
//! attempts in flight, and the outcome of a request.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::header::RETRY_AFTER;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::target::OutgoingRequest;
use crate::clock::wall_now;
use crate::ssrf::{self, GuardedResolver};
use crate::{ServiceError, ServiceResult, Settings};

/// Bytes of a response body kept with the attempt.
const BODY_KEPT: usize = 1024;

/// What came of one HTTP attempt.
#[derive(Clone, Debug)]
pub(crate) enum Outcome {
    /// A response (any status).
    Status {
        status: u16,
        body: String,
        retry_after: Option<i64>,
    },
    /// No answer within the timeout.
    Timeout,
    /// No answer (connection refused, DNS failure, TLS...).
    Failed(String),
    /// Refused by the SSRF guard.
    Blocked,
}

impl Outcome {
    pub(super) fn succeeded(&self) -> bool {
        matches!(self, Outcome::Status { status, .. } if (200..300).contains(status))
    }

    /// The `outcome` label of `mpaas_webhook_attempts_total`.
    pub(super) fn label(&self) -> String {
        match self {
            Outcome::Status { status, .. } => format!("{}xx", status / 100),
            Outcome::Timeout => "timeout".into(),
            Outcome::Failed(_) => "error".into(),
            Outcome::Blocked => "ssrf".into(),
        }
    }
}

/// The HTTP client and the per-target concurrency limits.
pub struct DeliveryEngine {
    client: reqwest::Client,
    allow_private: bool,
    pub(super) timeout_secs: u64,
    max_in_flight: usize,
    in_flight: Mutex<HashMap<String, Arc<Semaphore>>>,
}

impl DeliveryEngine {
    /// The engine for these settings.
    pub fn new(settings: &Settings) -> ServiceResult<Self> {
        Self::with_limits(
            settings.allow_private_webhooks,
            settings.webhook_timeout_secs,
            settings.webhook_max_in_flight,
        )
    }

    /// A client that follows no redirect, uses no proxy (it would bypass the guard), keeps no idle
    /// connection (the host is resolved again at every attempt) and resolves through the guard.
    pub fn with_limits(
        allow_private: bool,
        timeout_secs: u64,
        max_in_flight: usize,
    ) -> ServiceResult<Self> {
        let timeout_secs = timeout_secs.max(1);
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .pool_max_idle_per_host(0)
            .timeout(Duration::from_secs(timeout_secs))
            .user_agent(concat!("mpaas/", env!("CARGO_PKG_VERSION")))
            .dns_resolver(Arc::new(GuardedResolver { allow_private }))
            .build()
            .map_err(|e| ServiceError::Internal(format!("cannot build the webhook client: {e}")))?;
        Ok(Self {
            client,
            allow_private,
            timeout_secs,
            max_in_flight: max_in_flight.max(1),
            in_flight: Mutex::default(),
        })
    }

    /// Waits for a slot among the attempts in flight to `target_id` in this process.
    pub(super) async fn permit(&self, target_id: &str) -> Option<OwnedSemaphorePermit> {
        let semaphore = {
            let mut map = self.in_flight.lock().unwrap_or_else(|p| p.into_inner());
            map.entry(target_id.to_string())
                .or_insert_with(|| Arc::new(Semaphore::new(self.max_in_flight)))
                .clone()
        };
        semaphore.acquire_owned().await.ok()
    }

    /// Sends one request; returns the outcome and the wall-clock duration in milliseconds.
    pub(super) async fn send(&self, request: OutgoingRequest) -> (Outcome, i64) {
        if !self.allow_private && ssrf::literal_is_refused(&request.url) {
            return (Outcome::Blocked, 0);
        }
        let started = Instant::now();
        let mut builder = self
            .client
            .request(request.method, request.url)
            .body(request.body);
        for (name, value) in request.headers {
            builder = builder.header(name, value);
        }
        let outcome = match builder.send().await {
            Ok(response) => read_response(response).await,
            Err(e) if ssrf::caused_by_guard(&e) => Outcome::Blocked,
            Err(e) if e.is_timeout() => Outcome::Timeout,
            Err(e) => Outcome::Failed(describe(&e)),
        };
        (
            outcome,
            i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX),
        )
    }
}

/// Status, `Retry-After` (on 429 and 503) and the first 1 KiB of the body.
async fn read_response(mut response: reqwest::Response) -> Outcome {
    let status = response.status().as_u16();
    let retry_after = match status {
        429 | 503 => response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(parse_retry_after),
        _ => None,
    };
    let mut body = Vec::new();
    // A body that stalls or breaks after the status line does not change the outcome.
    while body.len() < BODY_KEPT {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                body.extend_from_slice(&chunk[..chunk.len().min(BODY_KEPT - body.len())])
            }
            _ => break,
        }
    }
    Outcome::Status {
        status,
        body: String::from_utf8_lossy(&body).replace('\0', ""),
        retry_after,
    }
}

/// `Retry-After` as seconds from now: delta-seconds or an HTTP date (wall clock).
fn parse_retry_after(raw: &str) -> Option<i64> {
    let raw = raw.trim();
    if let Ok(secs) = raw.parse::<i64>() {
        return Some(secs);
    }
    let at = chrono::DateTime::parse_from_rfc2822(raw).ok()?;
    Some(at.timestamp() - wall_now().unix_seconds())
}

/// The error and its causes, without the URL (it may carry tokens in its query).
fn describe(e: &reqwest::Error) -> String {
    let mut text = String::from("request failed");
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text.chars().take(500).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn attempts_in_flight_are_limited_per_target() {
        let engine = DeliveryEngine::with_limits(false, 10, 2).unwrap();
        let first = engine.permit("WHK-a").await.unwrap();
        let _second = engine.permit("WHK-a").await.unwrap();
        let third = tokio::time::timeout(Duration::from_millis(50), engine.permit("WHK-a")).await;
        assert!(third.is_err(), "a third attempt to the same target waits");
        let other = tokio::time::timeout(Duration::from_millis(50), engine.permit("WHK-b")).await;
        assert!(other.is_ok(), "another target does not wait");
        drop(first);
        let freed = tokio::time::timeout(Duration::from_millis(500), engine.permit("WHK-a")).await;
        assert!(freed.is_ok(), "a finished attempt frees its slot");
    }

    #[tokio::test]
    async fn literal_private_addresses_are_blocked_before_any_connection() {
        let engine = DeliveryEngine::with_limits(false, 10, 2).unwrap();
        let request = |url: &str| OutgoingRequest {
            method: reqwest::Method::POST,
            url: url.parse().unwrap(),
            headers: Vec::new(),
            body: Vec::new(),
        };
        for url in [
            "http://127.0.0.1:9/x",
            "http://[::ffff:10.0.0.1]/",
            "http://localhost:9/x",
        ] {
            let (outcome, _) = engine.send(request(url)).await;
            assert!(matches!(outcome, Outcome::Blocked), "{url}: {outcome:?}");
        }
    }

    #[test]
    fn retry_after_is_seconds_or_an_http_date() {
        assert_eq!(parse_retry_after(" 120 "), Some(120));
        assert!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT").unwrap() < 0);
        assert_eq!(parse_retry_after("soon"), None);
    }

    #[test]
    fn outcomes_are_labelled_by_status_class() {
        let status = |s| Outcome::Status {
            status: s,
            body: String::new(),
            retry_after: None,
        };
        assert!(status(204).succeeded());
        assert!(!status(301).succeeded());
        assert_eq!(status(503).label(), "5xx");
        assert_eq!(status(404).label(), "4xx");
        assert_eq!(Outcome::Timeout.label(), "timeout");
        assert_eq!(Outcome::Blocked.label(), "ssrf");
        assert_eq!(Outcome::Failed("x".into()).label(), "error");
    }
}
