//! `POST /v1.0/distributor/create` and `/v1.0/distributor/update`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use mpaas_core::Address;
use mpaas_service::distributors::{DistributorChanges, NewDistributorInput};
use mpaas_service::views::DistributorView;
use mpaas_service::Caller;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::extract::{Body, CallerOf, Fields};
use crate::problem::{ApiError, ApiResult, Problem};
use crate::state::AppState;

/// Distributor create request.
#[derive(ToSchema)]
#[allow(dead_code)] // Documents the body; it is read by `Fields` to give the contract's messages.
#[serde(rename_all = "PascalCase")]
pub struct DistributorCreateRequest {
    /// 1 to 200 characters.
    distributor_name: String,
    /// Billing address.
    billing_address: Option<Address>,
    /// Mailing address.
    mailing_address: Option<Address>,
    /// Extension: 0 to 1,000,000 (`0` unlimited), `null` for the platform default.
    rate_limit_per_minute: Option<i64>,
}

/// Distributor update request.
#[derive(ToSchema)]
#[allow(dead_code)] // Documents the body; it is read by `Fields` to give the contract's messages.
#[serde(rename_all = "PascalCase")]
pub struct DistributorUpdateRequest {
    /// Admin token: required; distributor token: defaults to itself.
    distributor_id: Option<String>,
    /// 1 to 200 characters.
    distributor_name: Option<String>,
    /// Replaces the billing address.
    billing_address: Option<Address>,
    /// Replaces the mailing address.
    mailing_address: Option<Address>,
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create))
        .routes(routes!(update))
}

/// Reads a distributor create body (shared with the admin API).
pub(crate) fn read_new_distributor(body: Body) -> ApiResult<NewDistributorInput> {
    let mut f: Fields = body.fields();
    let input = NewDistributorInput {
        name: f
            .required_string("DistributorName", 1, 200)
            .unwrap_or_default(),
        billing: f.address("BillingAddress"),
        mailing: f.address("MailingAddress"),
        rate_limit_per_minute: f.integer("RateLimitPerMinute", 0, 1_000_000),
    };
    f.finish()?;
    Ok(input)
}

/// Creates a distributor and issues its credentials (admin token only). `Secret` is shown once.
#[utoipa::path(post, path = "/v1.0/distributor/create", tag = "Distributors", request_body = DistributorCreateRequest,
    responses((status = 200, body = DistributorView), (status = 400, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = [])))]
async fn create(
    State(state): State<AppState>,
    CallerOf(caller): CallerOf,
    body: Body,
) -> ApiResult<Json<DistributorView>> {
    if caller != Caller::Admin {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "Only the platform operator may create distributors",
        ));
    }
    let input = read_new_distributor(body)?;
    Ok(Json(state.services.create_distributor(input).await?))
}

/// Changes a distributor's name or addresses (admin: any distributor; distributor: itself).
#[utoipa::path(post, path = "/v1.0/distributor/update", tag = "Distributors", request_body = DistributorUpdateRequest,
    responses((status = 200, body = DistributorView), (status = 400, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
async fn update(
    State(state): State<AppState>,
    CallerOf(caller): CallerOf,
    body: Body,
) -> ApiResult<Json<DistributorView>> {
    let mut f = body.fields();
    let changes = DistributorChanges {
        distributor_id: f.string("DistributorId", 0, 200),
        name: f.string("DistributorName", 1, 200),
        billing: f.address("BillingAddress"),
        mailing: f.address("MailingAddress"),
    };
    f.finish()?;
    Ok(Json(
        state.services.update_distributor(&caller, changes).await?,
    ))
}
