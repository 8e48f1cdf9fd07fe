//! Path normalisation (case-insensitive API paths), request ids, access logs and HTTP metrics.

use std::time::Instant;

use axum::extract::{MatchedPath, OriginalUri, Request};
use axum::http::{HeaderValue, Uri};
use axum::middleware::Next;
use axum::response::Response;

use crate::problem::REQUEST_ID;

const API_PREFIXES: [&str; 3] = ["/v1.0/", "/admin/v1/", "/sandbox/v1/"];

/// Lowercases API paths, collapses `//` and drops a trailing `/`, so routing is
/// case-insensitive (`/v1.0/OAuth2/tokens` == `/v1.0/oauth2/tokens`). Other paths are untouched.
pub fn normalize_path(mut req: Request) -> Request {
    let path = req.uri().path();
    let lower = path.to_ascii_lowercase();
    let is_api = API_PREFIXES
        .iter()
        .any(|p| lower.starts_with(p) || lower == p.trim_end_matches('/'));
    if !is_api {
        return req;
    }
    let normalized = mpaas_service::scope::normalize_path(&lower);
    if normalized == path {
        return req;
    }
    let rebuilt = match req.uri().query() {
        Some(q) => format!("{normalized}?{q}"),
        None => normalized,
    };
    // Handlers that quote a path segment back (`PathId`) read it from the original URI.
    let original = OriginalUri(req.uri().clone());
    req.extensions_mut().insert(original);
    if let Ok(uri) = rebuilt.parse::<Uri>() {
        let mut parts = req.uri().clone().into_parts();
        parts.path_and_query = uri.into_parts().path_and_query;
        if let Ok(uri) = Uri::from_parts(parts) {
            *req.uri_mut() = uri;
        }
    }
    req
}

fn request_id_of(req: &Request) -> String {
    req.headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            (1..=128).contains(&v.len())
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        })
        .map(str::to_string)
        .unwrap_or_else(|| uuid::Uuid::now_v7().hyphenated().to_string())
}

/// Gives every request an id (`X-Request-Id`, echoed in `TraceId`), logs it and records the
/// request count and latency by route template and status.
pub async fn observe(req: Request, next: Next) -> Response {
    let started = Instant::now();
    let id = request_id_of(&req);
    let method = req.method().to_string();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_string(), |m| m.as_str().to_string());
    let quiet = matches!(route.as_str(), "/healthz" | "/readyz" | "/metrics");
    let mut response = REQUEST_ID.scope(id.clone(), next.run(req)).await;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", value);
    }
    let status = response.status().as_u16();
    let elapsed = started.elapsed();
    metrics::counter!("mpaas_http_requests_total", "method" => method.clone(), "route" => route.clone(), "status" => status.to_string())
        .increment(1);
    metrics::histogram!("mpaas_http_request_duration_seconds", "method" => method.clone(), "route" => route.clone())
        .record(elapsed.as_secs_f64());
    let duration_ms = elapsed.as_secs_f64() * 1000.0;
    if quiet {
        tracing::debug!(request_id = %id, %method, %route, status, duration_ms, "request served");
    } else {
        tracing::info!(request_id = %id, %method, %route, status, duration_ms, "request served");
    }
    response
}
