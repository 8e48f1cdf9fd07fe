//! A webhook receiver in the test process for the crash test: it answers the first requests
//! with 503, then holds every further request without answering (an endpoint that hangs),
//! until it is told to recover; from then on it answers 204 at once.

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};

/// One request as received.
#[derive(Clone, Debug)]
pub struct Hit {
    pub path: String,
    pub webhook_id: String,
    pub timestamp: String,
    pub signature: String,
    pub body: String,
    /// The status answered; `None` for a request held unanswered.
    pub answered: Option<u16>,
}

struct Inner {
    hits: Vec<Hit>,
    fail_first: usize,
    recovered: bool,
}

/// The receiver; it stops with the test's runtime.
#[derive(Clone)]
pub struct Receiver {
    pub base: String,
    inner: Arc<Mutex<Inner>>,
}

async fn handle(
    State(inner): State<Arc<Mutex<Inner>>>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    let answer = {
        let mut inner = inner.lock().unwrap();
        let answer = if inner.recovered {
            Some(204)
        } else if inner.hits.len() < inner.fail_first {
            Some(503)
        } else {
            None
        };
        inner.hits.push(Hit {
            path: uri.path().to_string(),
            webhook_id: header("webhook-id"),
            timestamp: header("webhook-timestamp"),
            signature: header("webhook-signature"),
            body: String::from_utf8_lossy(&body).into_owned(),
            answered: answer,
        });
        answer
    };
    match answer {
        Some(status) => StatusCode::from_u16(status).unwrap(),
        // Held until the sender gives up or dies.
        None => std::future::pending().await,
    }
}

impl Receiver {
    /// Listens on 127.0.0.1 (an ephemeral port); fails the first `fail_first` requests with 503
    /// and holds the ones after them.
    pub async fn start(fail_first: usize) -> Self {
        let inner = Arc::new(Mutex::new(Inner {
            hits: Vec::new(),
            fail_first,
            recovered: false,
        }));
        let app = axum::Router::new()
            .fallback(handle)
            .with_state(inner.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self {
            base: format!("http://127.0.0.1:{port}"),
            inner,
        }
    }

    /// The URL of `path` on this receiver.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// From now on every request is answered 204 at once.
    pub fn recover(&self) {
        self.inner.lock().unwrap().recovered = true;
    }

    /// Every request so far.
    pub fn hits(&self) -> Vec<Hit> {
        self.inner.lock().unwrap().hits.clone()
    }

    /// (requests answered 503, requests held unanswered) so far.
    pub fn failed_and_held(&self) -> (usize, usize) {
        let hits = self.hits();
        let failed = hits.iter().filter(|h| h.answered == Some(503)).count();
        let held = hits.iter().filter(|h| h.answered.is_none()).count();
        (failed, held)
    }
}
