//! Health, readiness, metrics and the API documentation (no authentication, no rate limit).

use std::collections::BTreeSet;
use std::sync::Mutex;

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;
use utoipa_swagger_ui::{Config, SwaggerUi};

use crate::problem::ApiError;
use crate::state::AppState;

/// Health, readiness and metrics; with `docs`, also `/openapi.json` and `/docs`.
pub fn router(docs: bool) -> Router<AppState> {
    let router = Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics));
    if !docs {
        return router;
    }
    // No online validator: Swagger UI would otherwise call validator.swagger.io (docs work offline).
    let config = Config::from("/openapi.json").validator_url("none");
    router
        .route("/openapi.json", get(openapi))
        .merge(SwaggerUi::new("/docs").config(config))
}

async fn healthz() -> Json<serde_json::Value> {
    Json(json!({"Status": "ok"}))
}

async fn readyz(State(state): State<AppState>) -> Response {
    let store = state.services.store();
    let database = match store.ping().await {
        Ok(()) => "ok".to_string(),
        Err(e) => format!("error: {e}"),
    };
    let migrations = match store.pending_migrations().await {
        Ok(pending) if pending.is_empty() => "ok".to_string(),
        Ok(_) => "pending".to_string(),
        Err(_) => "unknown".to_string(),
    };
    let ready = database == "ok" && migrations == "ok";
    let body = json!({
        "Status": if ready { "ready" } else { "not_ready" },
        "Checks": {"Database": database, "Migrations": migrations}
    });
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(body)).into_response()
}

async fn metrics(State(state): State<AppState>, headers: axum::http::HeaderMap) -> Response {
    if let Some(expected) = &state.metrics_token {
        let presented = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, t)| t.trim());
        if !presented.is_some_and(|t| mpaas_service::secrets::constant_time_eq(t, expected)) {
            return ApiError::new(StatusCode::UNAUTHORIZED, "Metrics token required")
                .with_header(header::WWW_AUTHENTICATE, "Bearer")
                .into_response();
        }
    }
    record_job_gauges(&state).await;
    let (in_use, idle) = state.services.store().pool_stats();
    metrics::gauge!("mpaas_db_pool_connections", "state" => "in_use").set(f64::from(in_use));
    metrics::gauge!("mpaas_db_pool_connections", "state" => "idle").set(f64::from(idle));
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics.render(),
    )
        .into_response()
}

/// Sets the job gauges per kind; kinds seen before but now empty drop back to zero.
async fn record_job_gauges(state: &AppState) {
    static SEEN: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());
    let gauges = match state.services.job_gauges().await {
        Ok(g) => g,
        Err(e) => return tracing::warn!(error = %e, "could not read job gauges"),
    };
    let mut seen = SEEN.lock().unwrap_or_else(|p| p.into_inner());
    for kind in seen
        .iter()
        .filter(|k| !gauges.iter().any(|(g, _, _)| g == *k))
    {
        metrics::gauge!("mpaas_jobs_pending", "kind" => kind.clone()).set(0.0);
        metrics::gauge!("mpaas_jobs_due", "kind" => kind.clone()).set(0.0);
    }
    for (kind, pending, due) in gauges {
        metrics::gauge!("mpaas_jobs_pending", "kind" => kind.clone()).set(pending as f64);
        metrics::gauge!("mpaas_jobs_due", "kind" => kind.clone()).set(due as f64);
        seen.insert(kind);
    }
}

async fn openapi(State(state): State<AppState>) -> Json<serde_json::Value> {
    Json((*state.openapi).clone())
}
