//! The operator's admin API (`/admin/v1`, Extension).

use axum::extract::State;
use axum::Json;
use mpaas_core::Timestamp;
use mpaas_service::views::{DistributorView, RotatedSecretView};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::distributors::{read_new_distributor, DistributorCreateRequest};
use crate::extract::{Body, PathId, Query};
use crate::problem::{ApiError, ApiResult, Problem};
use crate::state::AppState;

/// A page of distributors.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct DistributorPage {
    /// Over all pages.
    total_distributors: i64,
    /// 1-based.
    page_number: u32,
    /// Rows per page.
    page_size: u32,
    /// This page.
    results: Vec<DistributorView>,
}

/// Rate-limit request.
#[derive(ToSchema)]
#[allow(dead_code)] // Documents the body; it is read by `Fields` to give the contract's messages.
#[serde(rename_all = "PascalCase")]
pub struct RateLimitRequest {
    /// 0 to 1,000,000 (`0` unlimited) or `null` for the platform default.
    rate_limit_per_minute: Option<i64>,
}

/// Signing-key rotation answer.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct SigningKeyRotated {
    /// When the new key took effect.
    #[schema(value_type = String)]
    rotated_on: Timestamp,
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create, list))
        .routes(routes!(get_one))
        .routes(routes!(rotate_secret))
        .routes(routes!(rate_limit))
        .routes(routes!(rotate_signing_key))
}

/// Creates a distributor (same as `/v1.0/distributor/create`).
#[utoipa::path(post, path = "/admin/v1/distributors", tag = "Admin", request_body = DistributorCreateRequest,
    responses((status = 200, body = DistributorView), (status = 400, body = Problem), (status = 401, body = Problem)),
    security(("admin" = [])))]
async fn create(State(state): State<AppState>, body: Body) -> ApiResult<Json<DistributorView>> {
    Ok(Json(
        state
            .services
            .create_distributor(read_new_distributor(body)?)
            .await?,
    ))
}

/// Lists distributors in creation order.
#[utoipa::path(get, path = "/admin/v1/distributors", tag = "Admin",
    params(("PageNumber" = Option<u32>, Query), ("PageSize" = Option<u32>, Query)),
    responses((status = 200, body = DistributorPage), (status = 400, body = Problem), (status = 401, body = Problem)),
    security(("admin" = [])))]
async fn list(State(state): State<AppState>, query: Query) -> ApiResult<Json<DistributorPage>> {
    let paging = query.paging()?;
    let page = state.services.list_distributors(paging).await?;
    Ok(Json(DistributorPage {
        total_distributors: page.total,
        page_number: paging.page_number,
        page_size: paging.page_size,
        results: page.results,
    }))
}

/// One distributor.
#[utoipa::path(get, path = "/admin/v1/distributors/{id}", tag = "Admin", params(("id" = String, Path)),
    responses((status = 200, body = DistributorView), (status = 404, body = Problem)), security(("admin" = [])))]
async fn get_one(
    State(state): State<AppState>,
    PathId(id): PathId,
) -> ApiResult<Json<DistributorView>> {
    Ok(Json(state.services.get_distributor(&id).await?))
}

/// Issues a new secret; the old one and its tokens stop working at once.
#[utoipa::path(post, path = "/admin/v1/distributors/{id}/rotate-secret", tag = "Admin", params(("id" = String, Path)),
    responses((status = 200, body = RotatedSecretView), (status = 404, body = Problem)), security(("admin" = [])))]
async fn rotate_secret(
    State(state): State<AppState>,
    PathId(id): PathId,
) -> ApiResult<Json<RotatedSecretView>> {
    Ok(Json(state.services.rotate_distributor_secret(&id).await?))
}

/// Sets the distributor's rate limit per minute.
#[utoipa::path(post, path = "/admin/v1/distributors/{id}/rate-limit", tag = "Admin", params(("id" = String, Path)),
    request_body = RateLimitRequest,
    responses((status = 200, body = DistributorView), (status = 400, body = Problem), (status = 404, body = Problem)),
    security(("admin" = [])))]
async fn rate_limit(
    State(state): State<AppState>,
    PathId(id): PathId,
    body: Body,
) -> ApiResult<Json<DistributorView>> {
    let mut f = body.fields();
    if !f.is_present("RateLimitPerMinute") {
        return Err(ApiError::field(
            "RateLimitPerMinute",
            "RateLimitPerMinute is required",
        ));
    }
    let limit = f.integer("RateLimitPerMinute", 0, 1_000_000);
    f.finish()?;
    Ok(Json(state.services.set_rate_limit(&id, limit).await?))
}

/// Replaces the token signing key: every outstanding token becomes invalid.
#[utoipa::path(post, path = "/admin/v1/signing-key/rotate", tag = "Admin",
    responses((status = 200, body = SigningKeyRotated), (status = 401, body = Problem)), security(("admin" = [])))]
async fn rotate_signing_key(State(state): State<AppState>) -> ApiResult<Json<SigningKeyRotated>> {
    Ok(Json(SigningKeyRotated {
        rotated_on: state.services.rotate_signing_key().await?,
    }))
}
