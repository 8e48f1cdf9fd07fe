//! What the sandbox network was told about a number (`/sandbox/v1/network/policies`, 10 §7.3).

use axum::extract::State;
use axum::Json;
use mpaas_core::E164;
use mpaas_service::network::NetworkPolicyView;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::extract::{CallerOf, Query};
use crate::problem::{ApiError, ApiResult, Problem};
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(policies))
}

/// The `PhoneNumber` query parameter, required and E.164.
fn phone_number(query: &Query) -> Result<E164, ApiError> {
    let raw = query
        .raw("PhoneNumber")
        .map(str::trim_end)
        .filter(|raw| !raw.trim().is_empty())
        .ok_or_else(|| ApiError::field("PhoneNumber", "PhoneNumber is required"))?;
    // An unencoded `+` arrives as a space.
    let raw = raw
        .strip_prefix(' ')
        .map_or_else(|| raw.to_string(), |rest| format!("+{rest}"));
    E164::parse(&raw)
        .ok_or_else(|| ApiError::field("PhoneNumber", "PhoneNumber must be a valid phone number"))
}

/// The network-side state of a number and the last 50 adapter commands for it, oldest first.
#[utoipa::path(get, path = "/sandbox/v1/network/policies", tag = "Sandbox",
    params(("PhoneNumber" = String, Query)),
    responses((status = 200, body = NetworkPolicyView), (status = 400, body = Problem),
        (status = 404, body = Problem)),
    security(("bearer" = []), ("admin" = [])))]
async fn policies(
    State(state): State<AppState>,
    CallerOf(caller): CallerOf,
    query: Query,
) -> ApiResult<Json<NetworkPolicyView>> {
    let number = phone_number(&query)?;
    Ok(Json(
        state.services.network_policies(&caller, &number).await?,
    ))
}
