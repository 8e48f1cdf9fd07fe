//! `Idempotency-Key` on POST: the first answer is stored and replayed for the same body.

use axum::body::Body as AxumBody;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use mpaas_service::idempotency::{is_valid_key, IdempotencyClaim, IdempotencyKey};
use mpaas_service::Caller;
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::extract::MAX_BODY_BYTES;
use crate::problem::ApiError;
use crate::state::AppState;

/// Runs the request under its idempotency key.
pub async fn run(
    state: &AppState,
    caller: &Caller,
    path: &str,
    req: Request,
    next: Next,
) -> Response {
    match run_inner(state, caller, path, req, next).await {
        Ok(response) | Err(response) => response,
    }
}

async fn run_inner(
    state: &AppState,
    caller: &Caller,
    path: &str,
    req: Request,
    next: Next,
) -> Result<Response, Response> {
    let raw_key = req
        .headers()
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    if !is_valid_key(&raw_key) {
        return Err(
            ApiError::new(StatusCode::BAD_REQUEST, "Invalid Idempotency-Key").into_response(),
        );
    }
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_BODY_BYTES)
        .await
        .map_err(|_| {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("The request body is larger than {MAX_BODY_BYTES} bytes."),
            )
            .into_response()
        })?;
    let key = IdempotencyKey {
        principal: caller.principal(),
        path: path.to_string(),
        key: raw_key,
    };
    let hash = body_hash(&bytes);
    let services = &state.services;
    let fail = |e| ApiError::from(e).into_response();
    match services
        .claim_idempotency_key(&key, &hash)
        .await
        .map_err(fail)?
    {
        IdempotencyClaim::InFlight => Err(conflict(
            "A request with this Idempotency-Key is still in progress",
        )),
        IdempotencyClaim::Done { body_hash, .. } if body_hash != hash => Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Idempotency-Key was already used with a different request body",
        )
        .into_response()),
        IdempotencyClaim::Done { status, body, .. } => Ok(replay(status, body)),
        IdempotencyClaim::Acquired => {
            let response = next
                .run(Request::from_parts(parts, AxumBody::from(bytes)))
                .await;
            Ok(remember(state, &key, response).await)
        }
    }
}

fn conflict(msg: &str) -> Response {
    ApiError::new(StatusCode::CONFLICT, msg).into_response()
}

/// SHA-256 of the body re-serialised with sorted keys (whitespace and key order do not matter);
/// a body that is not JSON hashes as raw bytes.
fn body_hash(bytes: &[u8]) -> String {
    let canonical = match serde_json::from_slice::<Value>(bytes) {
        Ok(v) => canonical_json(&v),
        Err(_) => String::from_utf8_lossy(bytes).into_owned(),
    };
    hex::encode(Sha256::digest(canonical.as_bytes()))
}

fn canonical_json(v: &Value) -> String {
    match v {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let inner: Vec<String> = keys
                .iter()
                .map(|k| {
                    format!(
                        "{}:{}",
                        Value::String((*k).clone()),
                        canonical_json(&map[k.as_str()])
                    )
                })
                .collect();
            format!("{{{}}}", inner.join(","))
        }
        Value::Array(items) => format!(
            "[{}]",
            items
                .iter()
                .map(canonical_json)
                .collect::<Vec<_>>()
                .join(",")
        ),
        other => other.to_string(),
    }
}

async fn remember(state: &AppState, key: &IdempotencyKey, response: Response) -> Response {
    let status = response.status();
    if status.is_server_error() {
        if let Err(e) = state.services.release_idempotency_key(key).await {
            tracing::warn!(error = %e, "could not release idempotency key");
        }
        return response;
    }
    let (parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return ApiError::from(mpaas_service::ServiceError::Internal(
            "response body unreadable".into(),
        ))
        .into_response();
    };
    let text = String::from_utf8_lossy(&bytes).into_owned();
    if let Err(e) = state
        .services
        .complete_idempotency_key(key, status.as_u16(), &text)
        .await
    {
        tracing::warn!(error = %e, "could not store idempotent response");
    }
    Response::from_parts(parts, AxumBody::from(bytes))
}

fn replay(status: i64, body: String) -> Response {
    let status = u16::try_from(status)
        .ok()
        .and_then(|s| StatusCode::from_u16(s).ok())
        .unwrap_or(StatusCode::OK);
    let content_type = if status.is_success() {
        "application/json"
    } else {
        "application/problem+json"
    };
    let mut response = (status, body).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
        .headers_mut()
        .insert("idempotent-replayed", HeaderValue::from_static("true"));
    response
}

#[cfg(test)]
mod tests {
    use super::body_hash;

    #[test]
    fn hash_ignores_whitespace_and_key_order() {
        assert_eq!(
            body_hash(br#"{"b":1,"a":{"y":2,"x":[1,2]}}"#),
            body_hash(b"{ \"a\": {\"x\":[1, 2],\"y\":2}, \"b\":1 }")
        );
        assert_ne!(body_hash(br#"{"a":1}"#), body_hash(br#"{"a":2}"#));
    }
}
