//! A real HTTP receiver in the test process: records every request and answers from a
//! programmable plan (e.g. fail twice, then succeed).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

/// One request as received.
#[derive(Clone, Debug)]
pub struct Received {
    pub path: String,
    pub headers: HeaderMap,
    pub body: String,
    pub json: Value,
}

impl Received {
    /// A header as text (empty when absent).
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }

    /// `webhook-id`.
    pub fn webhook_id(&self) -> &str {
        self.header("webhook-id")
    }
}

#[derive(Default)]
struct Inner {
    requests: Vec<Received>,
    plan: VecDeque<(u16, Option<String>)>,
    default_status: u16,
}

/// The receiver; stops with the test's runtime.
#[derive(Clone)]
pub struct Receiver {
    pub base: String,
    pub port: u16,
    inner: Arc<Mutex<Inner>>,
}

async fn record(
    State(inner): State<Arc<Mutex<Inner>>>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let body = String::from_utf8_lossy(&body).into_owned();
    let json = serde_json::from_str(&body).unwrap_or(Value::Null);
    let mut inner = inner.lock().unwrap();
    inner.requests.push(Received {
        path: uri.path().to_string(),
        headers,
        body,
        json,
    });
    let (status, retry_after) = inner
        .plan
        .pop_front()
        .unwrap_or((inner.default_status, None));
    let status = StatusCode::from_u16(status).unwrap();
    let mut response = (status, "receiver says hello").into_response();
    if let Some(secs) = retry_after {
        response
            .headers_mut()
            .insert("retry-after", secs.parse().unwrap());
    }
    if status.is_redirection() {
        response
            .headers_mut()
            .insert("location", "/moved".parse().unwrap());
    }
    response
}

impl Receiver {
    /// Listens on 127.0.0.1 (an ephemeral port) and answers 204 by default.
    pub async fn start() -> Self {
        let inner = Arc::new(Mutex::new(Inner {
            default_status: 204,
            ..Default::default()
        }));
        let app = axum::Router::new()
            .fallback(record)
            .with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self {
            base: format!("http://127.0.0.1:{port}"),
            port,
            inner,
        }
    }

    /// The URL of `path` on this receiver.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Answers the next requests with these statuses (and `Retry-After`), then the default.
    pub fn plan(&self, answers: &[(u16, Option<&str>)]) {
        let mut inner = self.inner.lock().unwrap();
        inner
            .plan
            .extend(answers.iter().map(|(s, r)| (*s, r.map(str::to_string))));
    }

    /// The status answered once the plan is used up.
    pub fn answer(&self, status: u16) {
        self.inner.lock().unwrap().default_status = status;
    }

    /// Every request so far.
    pub fn requests(&self) -> Vec<Received> {
        self.inner.lock().unwrap().requests.clone()
    }

    /// Requests that carried this `webhook-id`.
    pub fn of_event(&self, event_id: &str) -> Vec<Received> {
        self.requests()
            .into_iter()
            .filter(|r| r.webhook_id() == event_id)
            .collect()
    }
}
