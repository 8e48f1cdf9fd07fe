//! Message routes (MRID): create, get, update, delete and the account's list.

pub(super) mod fields;

use axum::extract::State;
use axum::Json;
use mpaas_service::routes::{
    MessageRouteDeletedView, MessageRouteInput, MessageRouteListItem, MessageRouteView,
};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use self::fields::{credentials, flag, free_text, route_name};
use crate::extract::{Body, DistributorCaller, Fields, Query};
use crate::problem::{ApiError, ApiResult, Problem};
use crate::state::AppState;

const ID: &str = "MessageRouteId";

/// Message route create request.
#[derive(ToSchema)]
#[allow(dead_code)] // Documents the body; it is read by `Fields` to give the contract's messages.
#[serde(rename_all = "PascalCase")]
pub struct MessageRouteCreateRequest {
    /// 1 to 100 characters; not unique.
    route_name: String,
    /// Absolute http(s) URL for inbound messages.
    message_url: String,
    /// `GET` or `POST` (default).
    message_url_method: Option<String>,
    /// Default `true`.
    message_route_enabled: Option<bool>,
    /// `None` (default), `Basic` or `Bearer`.
    message_authentication_type: Option<String>,
    /// Basic: 1 to 256 characters.
    message_username: Option<String>,
    /// Basic and Bearer: 1 to 4096 characters; write-only.
    message_password_token: Option<String>,
    /// Absolute http(s) URL for delivery receipts.
    callback_message_url: Option<String>,
    /// `GET` or `POST` (default).
    callback_message_url_method: Option<String>,
    /// `None` (default), `Basic` or `Bearer`.
    callback_message_authentication_type: Option<String>,
    /// Basic: 1 to 256 characters.
    callback_message_username: Option<String>,
    /// Basic and Bearer: 1 to 4096 characters; write-only.
    callback_message_password_token: Option<String>,
    /// Skip Guardian filtering on inbound messages (default `false`).
    inbound_bypass: Option<bool>,
    /// Skip Guardian filtering on outbound messages (default `false`).
    outbound_bypass: Option<bool>,
    /// Default `true`.
    intelligent_route_enabled: Option<bool>,
    /// By the tenancy rule.
    account_id: Option<String>,
}

/// Message route update request: absent properties keep their value, `null` clears an optional
/// one (or returns it to its default).
#[derive(ToSchema)]
#[allow(dead_code)] // Documents the body; it is read by `Fields` to give the contract's messages.
#[serde(rename_all = "PascalCase")]
pub struct MessageRouteUpdateRequest {
    /// `MRID-…` of a live route.
    message_route_id: String,
    /// Must be the route's own account when given.
    account_id: Option<String>,
    /// 1 to 100 characters.
    route_name: Option<String>,
    /// Absolute http(s) URL.
    message_url: Option<String>,
    /// `GET` or `POST`.
    message_url_method: Option<String>,
    /// Enable or disable.
    message_route_enabled: Option<bool>,
    /// `None`, `Basic` or `Bearer`.
    message_authentication_type: Option<String>,
    /// Basic only.
    message_username: Option<String>,
    /// Write-only.
    message_password_token: Option<String>,
    /// Absolute http(s) URL.
    callback_message_url: Option<String>,
    /// `GET` or `POST`.
    callback_message_url_method: Option<String>,
    /// `None`, `Basic` or `Bearer`.
    callback_message_authentication_type: Option<String>,
    /// Basic only.
    callback_message_username: Option<String>,
    /// Write-only.
    callback_message_password_token: Option<String>,
    /// Skip Guardian filtering on inbound messages.
    inbound_bypass: Option<bool>,
    /// Skip Guardian filtering on outbound messages.
    outbound_bypass: Option<bool>,
    /// Stored and returned.
    intelligent_route_enabled: Option<bool>,
}

/// Message route delete request.
#[derive(ToSchema)]
#[allow(dead_code)] // Documents the body; it is read by `Fields` to give the contract's messages.
pub struct MessageRouteDeleteRequest {
    /// `MRID-…` (`MRID` accepted as the key).
    #[serde(rename = "MessageRouteId")]
    message_route_id: String,
}

/// An account's message routes, paged.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct MessageRoutePage {
    /// The resolved account (vendor spelling).
    #[serde(rename = "AccountID")]
    account_id: String,
    /// Over all pages, under the filter.
    total_routes: i64,
    /// 1-based.
    page_number: u32,
    /// Rows per page.
    page_size: u32,
    /// This page.
    results: Vec<MessageRouteListItem>,
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create, get))
        .routes(routes!(update))
        .routes(routes!(delete))
        .routes(routes!(list))
}

/// The route properties of a create (`creating`) or update body.
fn route_input(f: &mut Fields, creating: bool) -> MessageRouteInput {
    MessageRouteInput {
        route_name: route_name(f, creating),
        message_url: free_text(f, "MessageUrl"),
        message_url_method: free_text(f, "MessageUrlMethod"),
        enabled: flag(f, "MessageRouteEnabled"),
        message: credentials(
            f,
            (
                "MessageAuthenticationType",
                "MessageUsername",
                "MessagePasswordToken",
            ),
        ),
        callback_url: free_text(f, "CallbackMessageUrl"),
        callback_url_method: free_text(f, "CallbackMessageUrlMethod"),
        callback: credentials(
            f,
            (
                "CallbackMessageAuthenticationType",
                "CallbackMessageUsername",
                "CallbackMessagePasswordToken",
            ),
        ),
        inbound_bypass: flag(f, "InboundBypass"),
        outbound_bypass: flag(f, "OutboundBypass"),
        intelligent_route_enabled: flag(f, "IntelligentRouteEnabled"),
    }
}

/// A required route id property (any length: a malformed id is a 404, not a 400).
fn route_id(f: &mut Fields, key: &str) -> String {
    f.required_string(key, 0, usize::MAX).unwrap_or_default()
}

/// Creates a message route in an account.
#[utoipa::path(post, path = "/v1.0/message/routes", tag = "Message routes", request_body = MessageRouteCreateRequest,
    responses((status = 200, body = MessageRouteView), (status = 400, body = Problem)), security(("bearer" = [])))]
async fn create(
    State(state): State<AppState>,
    DistributorCaller(d): DistributorCaller,
    body: Body,
) -> ApiResult<Json<MessageRouteView>> {
    let mut f = body.fields();
    let input = route_input(&mut f, true);
    let account_id = f.string("AccountId", 0, usize::MAX);
    f.finish()?;
    let services = &state.services;
    Ok(Json(
        services
            .create_message_route(&d, account_id.as_deref(), input)
            .await?,
    ))
}

/// One live message route.
#[utoipa::path(get, path = "/v1.0/message/routes", tag = "Message routes", params(("MessageRouteId" = String, Query)),
    responses((status = 200, body = MessageRouteView), (status = 400, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
async fn get(
    State(state): State<AppState>,
    DistributorCaller(d): DistributorCaller,
    query: Query,
) -> ApiResult<Json<MessageRouteView>> {
    let id = query
        .get(ID)
        .ok_or_else(|| ApiError::field(ID, "MessageRouteId is required"))?;
    Ok(Json(state.services.get_message_route(&d, id).await?))
}

/// Changes a message route; applies at once to every number using it.
#[utoipa::path(post, path = "/v1.0/message/routes/update", tag = "Message routes", request_body = MessageRouteUpdateRequest,
    responses((status = 200, body = MessageRouteView), (status = 400, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
async fn update(
    State(state): State<AppState>,
    DistributorCaller(d): DistributorCaller,
    body: Body,
) -> ApiResult<Json<MessageRouteView>> {
    let mut f = body.fields();
    let id = route_id(&mut f, ID);
    let account_id = f.string("AccountId", 0, usize::MAX);
    let input = route_input(&mut f, false);
    f.finish()?;
    let target = (id.as_str(), account_id.as_deref());
    Ok(Json(
        state
            .services
            .update_message_route(&d, target, input)
            .await?,
    ))
}

/// Deletes a message route that no number uses.
#[utoipa::path(post, path = "/v1.0/message/routes/delete", tag = "Message routes", request_body = MessageRouteDeleteRequest,
    responses((status = 200, body = MessageRouteDeletedView), (status = 400, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
async fn delete(
    State(state): State<AppState>,
    DistributorCaller(d): DistributorCaller,
    body: Body,
) -> ApiResult<Json<MessageRouteDeletedView>> {
    let mut f = body.fields();
    // `MRID` is the vendor's alias key; a non-null `MessageRouteId` wins.
    let sent = |name: &str| f.raw(name).is_some_and(|v| !v.is_null());
    let key = if sent(ID) || !sent("MRID") {
        ID
    } else {
        "MRID"
    };
    let id = route_id(&mut f, key);
    f.finish()?;
    Ok(Json(state.services.delete_message_route(&d, &id).await?))
}

/// All message routes of an account, deleted ones included unless filtered out.
#[utoipa::path(get, path = "/v1.0/account/message/routes", tag = "Message routes",
    params(("AccountId" = Option<String>, Query), ("Filter" = Option<String>, Query, description = "All (default), Active or Inactive"),
        ("PageNumber" = Option<u32>, Query), ("PageSize" = Option<u32>, Query)),
    responses((status = 200, body = MessageRoutePage), (status = 400, body = Problem)), security(("bearer" = [])))]
async fn list(
    State(state): State<AppState>,
    DistributorCaller(d): DistributorCaller,
    query: Query,
) -> ApiResult<Json<MessageRoutePage>> {
    let paging = query.paging()?;
    let selection = (query.get("AccountId"), query.get("Filter"));
    let list = state
        .services
        .list_message_routes(&d, selection, paging)
        .await?;
    Ok(Json(MessageRoutePage {
        account_id: list.account_id,
        total_routes: list.page.total,
        page_number: paging.page_number,
        page_size: paging.page_size,
        results: list.page.results,
    }))
}
