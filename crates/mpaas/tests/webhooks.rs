//! Webhook endpoints and the delivery engine (`10-platform.md` §2, §3): the API and its errors,
//! tenant isolation, signed deliveries to a real local receiver, retries on the sandbox clock,
//! dead letters, replay, secret rotation and the SSRF guard.

#[path = "webhooks/api.rs"]
mod api;
mod common;
#[path = "webhooks/delivery.rs"]
mod delivery;
#[path = "webhooks/guard.rs"]
mod guard;
#[path = "webhooks/lifecycle.rs"]
mod lifecycle;
#[path = "webhooks/receiver.rs"]
mod receiver;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use common::{TestApp, ADMIN_TOKEN};
use hmac::{Hmac, Mac};
use receiver::Received;
use serde_json::{json, Value};
use sha2::Sha256;

/// The platform clock starts frozen here.
pub const START: &str = "2025-11-07T01:00:00Z";

/// A server whose clock is frozen at [`START`], then moved one second on so that the
/// bootstrap's own events are dispatched before a test registers endpoints.
pub async fn frozen_app() -> TestApp {
    let app = TestApp::start_with(|c| c.clock_start = Some(START.into())).await;
    advance(&app, 1).await;
    app
}

/// Moves the sandbox clock `seconds` on; every job due on the way has run when it returns.
pub async fn advance(app: &TestApp, seconds: i64) -> Value {
    app.post(
        "/sandbox/v1/clock/advance",
        ADMIN_TOKEN,
        json!({"Seconds": seconds}),
    )
    .await
    .ok()
}

/// Moves the sandbox clock to `until` (RFC 3339).
pub async fn advance_until(app: &TestApp, until: &str) -> Value {
    app.post(
        "/sandbox/v1/clock/advance",
        ADMIN_TOKEN,
        json!({"Until": until}),
    )
    .await
    .ok()
}

/// Runs every job already due (fan-out and first attempts of what was just written).
pub async fn settle(app: &TestApp) {
    advance(app, 0).await;
}

/// Registers an endpoint of the bootstrap distributor.
pub async fn create_webhook(app: &TestApp, body: Value) -> Value {
    app.call("/v1.0/webhooks", body).await.ok()
}

/// The bootstrap distributor's deliveries matching a query string.
pub async fn deliveries(app: &TestApp, query: &str) -> Value {
    app.fetch(&format!("/v1.0/webhooks/deliveries?{query}"))
        .await
        .ok()
}

/// The one delivery of `event_id` to `webhook_id`.
pub async fn delivery(app: &TestApp, webhook_id: &str, event_id: &str) -> Value {
    let page = deliveries(app, &format!("WebhookId={webhook_id}&EventId={event_id}")).await;
    assert_eq!(page["TotalDeliveries"], 1, "{page}");
    page["Results"][0].clone()
}

/// The newest event of a type of the bootstrap distributor.
pub async fn last_event(app: &TestApp, event_type: &str) -> Value {
    let page = app
        .fetch(&format!("/v1.0/events?Type={event_type}&PageSize=1000"))
        .await
        .ok();
    page["Results"]
        .as_array()
        .unwrap()
        .last()
        .cloned()
        .unwrap_or_else(|| panic!("no {event_type} event"))
}

/// Standard Webhooks signature of a request with `secret`.
pub fn signature(secret: &str, id: &str, timestamp: &str, body: &str) -> String {
    let key = STANDARD
        .decode(secret.strip_prefix("whsec_").unwrap())
        .unwrap();
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
    mac.update(format!("{id}.{timestamp}.{body}").as_bytes());
    format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
}

/// The signatures a request carries, each checked against the secrets in order.
pub fn signatures(req: &Received) -> Vec<&str> {
    req.header("webhook-signature").split(' ').collect()
}

/// True when the request's `position`-th signature was made with `secret`.
#[track_caller]
pub fn signed_with(req: &Received, position: usize, secret: &str) -> bool {
    let expected = signature(
        secret,
        req.webhook_id(),
        req.header("webhook-timestamp"),
        &req.body,
    );
    signatures(req).get(position) == Some(&expected.as_str())
}
