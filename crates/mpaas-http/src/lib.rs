//! The HTTP edge of mpaas: thin axum routers per vendor section, the contract's error shape,
//! tolerant extractors, middleware, and the OpenAPI document generated from the handlers.

pub mod extract;
mod metrics_setup;
mod middleware;
pub mod openapi;
pub mod problem;
pub mod registry;
mod routes;
mod state;

use std::sync::Arc;

use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::IntoResponse;
use axum::Router;
use mpaas_service::Services;
use tower::util::{MapRequest, MapRequestLayer};
use tower::Layer;
use tower_http::catch_panic::CatchPanicLayer;

pub use metrics_setup::metrics_handle;
pub use problem::{ApiError, Problem};
pub use registry::Registry;
pub use state::AppState;

/// Options of the HTTP layer.
#[derive(Clone, Debug, Default)]
pub struct HttpOptions {
    /// Serve `/sandbox/v1` (network simulator on).
    pub sandbox: bool,
    /// `MPAAS_METRICS_TOKEN`.
    pub metrics_token: Option<String>,
    /// Serve the API (`false` for `--role worker`: health, readiness and metrics only).
    pub serve_api: bool,
}

/// The registry of every known API endpoint (for token scopes, also used by the CLI).
pub fn registry(sandbox: bool) -> Registry {
    let (_, api) = routes::api_router(sandbox).split_for_parts();
    openapi::registry_of(&api)
}

/// The OpenAPI document, as served at `/openapi.json` and printed by `mpaas openapi`.
pub fn openapi_document(sandbox: bool) -> serde_json::Value {
    let (_, api) = routes::api_router(sandbox).split_for_parts();
    openapi::finish(api)
}

/// The application service: case-insensitive API paths in front of the router.
pub type App = MapRequest<Router, fn(Request) -> Request>;

/// The complete application: routes, middleware and fallbacks.
pub fn app(services: Services, options: &HttpOptions) -> App {
    let (api_router, api) = routes::api_router(options.sandbox).split_for_parts();
    let registry = Arc::new(openapi::registry_of(&api));
    let state = AppState {
        services,
        registry,
        metrics: metrics_handle(),
        metrics_token: options.metrics_token.clone(),
        openapi: Arc::new(openapi::finish(api)),
    };
    let api_router = if options.serve_api {
        api_router
    } else {
        Router::new()
    };
    let router = api_router
        .layer(from_fn_with_state(state.clone(), middleware::guard))
        .merge(routes::operations_router(options.serve_api))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(from_fn(middleware::observe))
        .with_state(state);
    MapRequestLayer::new(middleware::normalize_path as fn(Request) -> Request).layer(router)
}

async fn not_found() -> impl IntoResponse {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "The requested resource was not found.",
    )
}

async fn method_not_allowed() -> impl IntoResponse {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "The HTTP method is not allowed on this endpoint.",
    )
}

fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> axum::response::Response {
    tracing::error!("a request handler panicked");
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "An unexpected error occurred",
    )
    .into_response()
}
