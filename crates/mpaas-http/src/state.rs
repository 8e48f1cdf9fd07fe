//! Shared state of the HTTP layer.

use std::sync::Arc;

use metrics_exporter_prometheus::PrometheusHandle;
use mpaas_service::Services;

use crate::registry::Registry;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    /// The use cases.
    pub services: Services,
    /// Known endpoints and their access rules.
    pub registry: Arc<Registry>,
    /// Renders `/metrics`.
    pub metrics: PrometheusHandle,
    /// `MPAAS_METRICS_TOKEN`, protecting `/metrics` when set.
    pub metrics_token: Option<String>,
    /// The OpenAPI document served at `/openapi.json`.
    pub openapi: Arc<serde_json::Value>,
}
