//! Webhook endpoints (Extension): register, list, update, delete, rotate the secret, test, the
//! deliveries listing and replay.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use mpaas_core::Timestamp;
use mpaas_service::webhook_deliveries::{DeliveryQuery, DeliveryView, ReplayInput, ReplayView};
use mpaas_service::webhooks::{
    NewWebhookInput, WebhookChanges, WebhookDeletedView, WebhookSecretView, WebhookTestView,
    WebhookView,
};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::extract::{Body, DistributorCaller, Fields, Query};
use crate::problem::{ApiResult, Problem};
use crate::state::AppState;

/// Webhook endpoint create request.
#[derive(ToSchema)]
#[allow(dead_code)] // Documents the body; it is read by `Fields` to give the contract's messages.
#[serde(rename_all = "PascalCase")]
pub struct WebhookCreateRequest {
    /// Absolute http(s) URL, at most 2,048 characters, no credentials.
    url: String,
    /// 1 to 50 types or patterns (default `["*"]`).
    event_types: Option<Vec<String>>,
    /// At most 256 characters.
    description: Option<String>,
    /// Default `true`.
    enabled: Option<bool>,
    /// Only this account's events.
    account_id: Option<String>,
}

/// Webhook endpoint update request: only fields sent change.
#[derive(ToSchema)]
#[allow(dead_code)] // Documents the body; it is read by `Fields` to give the contract's messages.
#[serde(rename_all = "PascalCase")]
pub struct WebhookUpdateRequest {
    /// `WHK-…`.
    webhook_id: String,
    /// New URL.
    url: Option<String>,
    /// New types or patterns.
    event_types: Option<Vec<String>>,
    /// New description.
    description: Option<String>,
    /// `false` cancels pending deliveries.
    enabled: Option<bool>,
    /// New account filter.
    account_id: Option<String>,
}

/// A request naming one endpoint.
#[derive(ToSchema)]
#[allow(dead_code)] // Documents the body; it is read by `Fields` to give the contract's messages.
#[serde(rename_all = "PascalCase")]
pub struct WebhookIdRequest {
    /// `WHK-…`.
    webhook_id: String,
}

/// Secret rotation request.
#[derive(ToSchema)]
#[allow(dead_code)] // Documents the body; it is read by `Fields` to give the contract's messages.
#[serde(rename_all = "PascalCase")]
pub struct WebhookRotateRequest {
    /// `WHK-…`.
    webhook_id: String,
    /// 0 to 604,800 (default 86,400): the previous secret also signs until then.
    grace_seconds: Option<i64>,
}

/// Replay request.
#[derive(ToSchema)]
#[allow(dead_code)] // Documents the body; it is read by `Fields` to give the contract's messages.
#[serde(rename_all = "PascalCase")]
pub struct WebhookReplayRequest {
    /// One event (or `Since`).
    event_id: Option<String>,
    /// RFC 3339: events that occurred from then (or `EventId`).
    since: Option<String>,
    /// RFC 3339, default now.
    until: Option<String>,
    /// Only this target.
    webhook_id: Option<String>,
    /// Only dead-lettered deliveries (default false with `EventId`, true with `Since`).
    only_failed: Option<bool>,
}

/// A page of endpoints.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct WebhookPage {
    /// Over all pages.
    total_webhooks: i64,
    /// 1-based.
    page_number: u32,
    /// Rows per page.
    page_size: u32,
    /// This page, in creation order.
    results: Vec<WebhookView>,
}

/// A page of deliveries.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct DeliveryPage {
    /// Over all pages.
    total_deliveries: i64,
    /// 1-based.
    page_number: u32,
    /// Rows per page.
    page_size: u32,
    /// This page, in creation order.
    results: Vec<DeliveryView>,
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create, list))
        .routes(routes!(update))
        .routes(routes!(delete))
        .routes(routes!(rotate_secret))
        .routes(routes!(test))
        .routes(routes!(deliveries))
        .routes(routes!(replay))
}

fn webhook_id(f: &mut Fields) -> String {
    f.required_string("WebhookId", 1, 200).unwrap_or_default()
}

/// The body of a request that names one endpoint and nothing else.
fn only_webhook_id(body: Body) -> ApiResult<String> {
    let mut f = body.fields();
    let id = webhook_id(&mut f);
    f.finish()?;
    Ok(id)
}

/// The settings a create and an update read alike, after `Url`, with the same limits.
fn endpoint_settings(f: &mut Fields, url: Option<String>) -> WebhookChanges {
    WebhookChanges {
        url,
        event_types: f.string_list("EventTypes", usize::MAX),
        description: f.string("Description", 0, 256),
        enabled: f.boolean("Enabled"),
        account_id: f.string("AccountId", 0, 200),
    }
}

fn timestamp(f: &mut Fields, name: &str) -> Option<Timestamp> {
    let raw = f.string(name, 0, 100)?;
    let parsed = Timestamp::parse_rfc3339(&raw);
    if parsed.is_none() {
        f.error(name, format!("{name} must be an RFC 3339 timestamp"));
    }
    parsed
}

/// Registers a webhook endpoint; the answer shows the signing secret, once.
#[utoipa::path(post, path = "/v1.0/webhooks", tag = "Webhooks", request_body = WebhookCreateRequest,
    responses((status = 200, body = WebhookView), (status = 400, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
async fn create(
    State(state): State<AppState>,
    DistributorCaller(d): DistributorCaller,
    body: Body,
) -> ApiResult<Json<WebhookView>> {
    let mut f = body.fields();
    let url = f.required_string("Url", 0, usize::MAX).unwrap_or_default();
    let WebhookChanges {
        event_types,
        description,
        enabled,
        account_id,
        ..
    } = endpoint_settings(&mut f, None);
    f.finish()?;
    let input = NewWebhookInput {
        url,
        event_types,
        description,
        enabled,
        account_id,
    };
    Ok(Json(state.services.create_webhook(&d, input).await?))
}

/// The caller's endpoints, or one by `WebhookId`; `Secret` is always masked.
#[utoipa::path(get, path = "/v1.0/webhooks", tag = "Webhooks",
    params(("WebhookId" = Option<String>, Query), ("PageNumber" = Option<u32>, Query), ("PageSize" = Option<u32>, Query)),
    responses((status = 200, body = WebhookPage), (status = 404, body = Problem)), security(("bearer" = [])))]
async fn list(
    State(state): State<AppState>,
    DistributorCaller(d): DistributorCaller,
    query: Query,
) -> ApiResult<Response> {
    if let Some(id) = query.get("WebhookId") {
        return Ok(Json(state.services.get_webhook(&d, id).await?).into_response());
    }
    let paging = query.paging()?;
    let page = state.services.list_webhooks(&d, paging).await?;
    let body = WebhookPage {
        total_webhooks: page.total,
        page_number: paging.page_number,
        page_size: paging.page_size,
        results: page.results,
    };
    Ok(Json(body).into_response())
}

/// Changes the fields sent; disabling cancels pending deliveries.
#[utoipa::path(post, path = "/v1.0/webhooks/update", tag = "Webhooks", request_body = WebhookUpdateRequest,
    responses((status = 200, body = WebhookView), (status = 400, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
async fn update(
    State(state): State<AppState>,
    DistributorCaller(d): DistributorCaller,
    body: Body,
) -> ApiResult<Json<WebhookView>> {
    let mut f = body.fields();
    let id = webhook_id(&mut f);
    let url = if f.raw("Url").is_some_and(|v| !v.is_null()) {
        f.required_string("Url", 0, usize::MAX)
    } else {
        None
    };
    let changes = endpoint_settings(&mut f, url);
    f.finish()?;
    Ok(Json(state.services.update_webhook(&d, &id, changes).await?))
}

/// Deletes an endpoint; its pending deliveries are cancelled.
#[utoipa::path(post, path = "/v1.0/webhooks/delete", tag = "Webhooks", request_body = WebhookIdRequest,
    responses((status = 200, body = WebhookDeletedView), (status = 404, body = Problem)), security(("bearer" = [])))]
async fn delete(
    State(state): State<AppState>,
    DistributorCaller(d): DistributorCaller,
    body: Body,
) -> ApiResult<Json<WebhookDeletedView>> {
    let id = only_webhook_id(body)?;
    Ok(Json(state.services.delete_webhook(&d, &id).await?))
}

/// New signing secret; during the grace both secrets sign (new first).
#[utoipa::path(post, path = "/v1.0/webhooks/rotate-secret", tag = "Webhooks", request_body = WebhookRotateRequest,
    responses((status = 200, body = WebhookSecretView), (status = 400, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
async fn rotate_secret(
    State(state): State<AppState>,
    DistributorCaller(d): DistributorCaller,
    body: Body,
) -> ApiResult<Json<WebhookSecretView>> {
    let mut f = body.fields();
    let id = webhook_id(&mut f);
    let grace = f.integer(
        "GraceSeconds",
        0,
        mpaas_service::webhooks::MAX_GRACE_SECONDS,
    );
    f.finish()?;
    Ok(Json(
        state
            .services
            .rotate_webhook_secret(&d, &id, grace.unwrap_or(86_400))
            .await?,
    ))
}

/// Sends a `webhook.test` event to this endpoint only.
#[utoipa::path(post, path = "/v1.0/webhooks/test", tag = "Webhooks", request_body = WebhookIdRequest,
    responses((status = 200, body = WebhookTestView), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
async fn test(
    State(state): State<AppState>,
    DistributorCaller(d): DistributorCaller,
    body: Body,
) -> ApiResult<Json<WebhookTestView>> {
    let id = only_webhook_id(body)?;
    Ok(Json(state.services.test_webhook(&d, &id).await?))
}

/// Deliveries (one per target and event) with their attempts, in creation order.
#[utoipa::path(get, path = "/v1.0/webhooks/deliveries", tag = "Webhooks",
    params(("WebhookId" = Option<String>, Query, description = "WHK-, or a route id MRID-/CRID-"), ("EventId" = Option<String>, Query),
        ("State" = Option<String>, Query, description = "Pending, Succeeded, DeadLettered or Cancelled"),
        ("PageNumber" = Option<u32>, Query), ("PageSize" = Option<u32>, Query)),
    responses((status = 200, body = DeliveryPage), (status = 400, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
async fn deliveries(
    State(state): State<AppState>,
    DistributorCaller(d): DistributorCaller,
    query: Query,
) -> ApiResult<Json<DeliveryPage>> {
    let paging = query.paging()?;
    let q = DeliveryQuery {
        webhook_id: query.get("WebhookId").map(str::to_string),
        event_id: query.get("EventId").map(str::to_string),
        state: query.get("State").map(str::to_string),
    };
    let page = state.services.list_deliveries(&d, q, paging).await?;
    Ok(Json(DeliveryPage {
        total_deliveries: page.total,
        page_number: paging.page_number,
        page_size: paging.page_size,
        results: page.results,
    }))
}

/// Re-sends events: a new attempt series with the same `webhook-id`.
#[utoipa::path(post, path = "/v1.0/webhooks/replay", tag = "Webhooks", request_body = WebhookReplayRequest,
    responses((status = 200, body = ReplayView), (status = 400, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
async fn replay(
    State(state): State<AppState>,
    DistributorCaller(d): DistributorCaller,
    body: Body,
) -> ApiResult<Json<ReplayView>> {
    let mut f = body.fields();
    let input = ReplayInput {
        event_id: f.string("EventId", 0, 200).filter(|s| !s.is_empty()),
        since: timestamp(&mut f, "Since"),
        until: timestamp(&mut f, "Until"),
        webhook_id: f.string("WebhookId", 0, 200).filter(|s| !s.is_empty()),
        only_failed: f.boolean("OnlyFailed"),
    };
    f.finish()?;
    Ok(Json(state.services.replay_deliveries(&d, input).await?))
}
