//! The webhook sink: answers 204, checks each `webhook-signature`, counts.

use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::Json;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;

#[derive(Default)]
struct Sink {
    requests: AtomicU64,
    verified: AtomicU64,
    ids: Mutex<HashSet<String>>,
    key: Mutex<Vec<u8>>,
}

/// Serves on `listen` until killed.
pub async fn run(listen: &str) -> anyhow::Result<()> {
    let state = Arc::new(Sink::default());
    // Until the real secret arrives the sink still computes an HMAC per request, so the
    // baseline pays the same work as a delivery.
    *state.key.lock().unwrap() = vec![7; 32];
    let app = axum::Router::new()
        .route("/stats", get(stats))
        .route("/reset", post(reset))
        .route("/secret", post(set_secret))
        .fallback(receive)
        .with_state(state);
    let listener = tokio::net::TcpListener::bind(listen).await?;
    axum::serve(listener, app).await?;
    Ok(())
}

async fn receive(State(sink): State<Arc<Sink>>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    };
    let (id, timestamp) = (header("webhook-id"), header("webhook-timestamp"));
    let key = sink.key.lock().unwrap().clone();
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).expect("any key length");
    mac.update(format!("{id}.{timestamp}.").as_bytes());
    mac.update(&body);
    let expected = format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()));
    if header("webhook-signature")
        .split(' ')
        .any(|s| s == expected)
    {
        sink.verified.fetch_add(1, Ordering::Relaxed);
    }
    sink.ids.lock().unwrap().insert(id.to_string());
    sink.requests.fetch_add(1, Ordering::Relaxed);
    StatusCode::NO_CONTENT
}

async fn stats(State(sink): State<Arc<Sink>>) -> Json<Value> {
    Json(json!({
        "Requests": sink.requests.load(Ordering::Relaxed),
        "Verified": sink.verified.load(Ordering::Relaxed),
        "Distinct": sink.ids.lock().unwrap().len(),
    }))
}

async fn reset(State(sink): State<Arc<Sink>>) -> StatusCode {
    sink.requests.store(0, Ordering::Relaxed);
    sink.verified.store(0, Ordering::Relaxed);
    sink.ids.lock().unwrap().clear();
    StatusCode::NO_CONTENT
}

async fn set_secret(State(sink): State<Arc<Sink>>, body: String) -> StatusCode {
    match body
        .trim()
        .strip_prefix("whsec_")
        .and_then(|s| STANDARD.decode(s).ok())
    {
        Some(key) => {
            *sink.key.lock().unwrap() = key;
            StatusCode::NO_CONTENT
        }
        None => StatusCode::BAD_REQUEST,
    }
}
