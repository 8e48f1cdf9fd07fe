//! Sandbox switches of network services (`/sandbox/v1/network/services`): take a service such
//! as number swapping down to see the contract's 503, then bring it back. Global, like the
//! clock.

use axum::extract::State;
use axum::Json;
use mpaas_network::NetworkService;
use mpaas_service::network::{NetworkServiceView, NetworkServicesView};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::extract::Body;
use crate::problem::{ApiResult, Problem};
use crate::state::AppState;

/// Switch request.
#[derive(ToSchema)]
#[allow(dead_code)] // Documents the body; it is read by `Fields` to give the contract's messages.
#[serde(rename_all = "PascalCase")]
pub struct ServiceSwitchRequest {
    /// `NumberSwap`.
    service: String,
    /// `false` takes the service down, `true` brings it back.
    up: bool,
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(services))
        .routes(routes!(set_status))
}

/// Every network service and whether it is up.
#[utoipa::path(get, path = "/sandbox/v1/network/services", tag = "Sandbox",
    responses((status = 200, body = NetworkServicesView)),
    security(("bearer" = []), ("admin" = [])))]
async fn services(State(state): State<AppState>) -> ApiResult<Json<NetworkServicesView>> {
    Ok(Json(state.services.network_services().await?))
}

/// Takes a network service down or brings it back; kept until changed (every service starts up).
#[utoipa::path(post, path = "/sandbox/v1/network/services/status", tag = "Sandbox",
    request_body = ServiceSwitchRequest,
    responses((status = 200, body = NetworkServiceView), (status = 400, body = Problem)),
    security(("bearer" = []), ("admin" = [])))]
async fn set_status(
    State(state): State<AppState>,
    body: Body,
) -> ApiResult<Json<NetworkServiceView>> {
    let mut f = body.fields();
    let service = f.required_string("Service", 1, 64).and_then(|raw| {
        let parsed = NetworkService::parse(&raw);
        if parsed.is_none() {
            f.error("Service", service_choices());
        }
        parsed
    });
    let up = f.boolean("Up");
    if up.is_none() && !f.has_error("Up") {
        f.error("Up", "Up is required");
    }
    f.finish()?;
    // `finish` refused the request unless both are present.
    let (service, up) = (
        service.unwrap_or(NetworkService::NumberSwap),
        up.unwrap_or(true),
    );
    Ok(Json(state.services.set_network_service(service, up).await?))
}

/// `Service must be one of: NumberSwap`.
fn service_choices() -> String {
    let names: Vec<&str> = NetworkService::ALL.iter().map(|s| s.as_str()).collect();
    format!("Service must be one of: {}", names.join(", "))
}
