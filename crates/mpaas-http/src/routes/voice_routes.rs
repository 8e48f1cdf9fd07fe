//! Voice routes (CRID): create, get, update, delete and the account's list.

mod docs;

use axum::extract::State;
use axum::Json;
use mpaas_service::routes::{
    TrunkInput, VoiceRouteDeletedView, VoiceRouteInput, VoiceRouteListItem, VoiceRouteView,
};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use self::docs::{VoiceRouteCreateRequest, VoiceRouteDeleteRequest, VoiceRouteUpdateRequest};
use super::message_routes::fields::{
    addresses, credentials, flag, free_text, integer, route_name, spelling, string_or_integer, text,
};
use crate::extract::{Body, DistributorCaller, Fields, Query};
use crate::problem::{ApiError, ApiResult, Problem};
use crate::state::AppState;

const ID: &str = "CallRouteId";

/// An account's voice routes, paged.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct VoiceRoutePage {
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
    results: Vec<VoiceRouteListItem>,
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create, get))
        .routes(routes!(update))
        .routes(routes!(delete))
        .routes(routes!(list))
}

/// Trunk `n`'s properties (`Trunk{n}Priortiy` wins over `Trunk{n}Priority`).
fn trunk(f: &mut Fields, n: u8) -> TrunkInput {
    let vendor = format!("Trunk{n}Priortiy");
    let correct = format!("Trunk{n}Priority");
    let priority = spelling(f, &vendor, &correct).to_string();
    TrunkInput {
        ip: free_text(f, &format!("TrunkIp{n}")),
        port: string_or_integer(f, &format!("TrunkPort{n}")),
        transport: free_text(f, &format!("TrunkTransport{n}")),
        uri: text(f, &format!("TrunkUri{n}"), 1, 255),
        enabled: flag(f, &format!("TrunkEnabled{n}")),
        priority: integer(f, &priority, 0, 65535),
        weight: integer(f, &format!("Trunk{n}Weight"), 0, 65535),
    }
}

/// The route properties of a create (`creating`) or update body.
fn route_input(f: &mut Fields, creating: bool) -> VoiceRouteInput {
    let auth_type = spelling(f, "VoiceAuthenticationType", "VocieAuthenticationType");
    VoiceRouteInput {
        route_name: route_name(f, creating),
        route_type: free_text(f, "RouteType"),
        voice_url: free_text(f, "VoiceUrl"),
        voice_url_method: free_text(f, "VoiceUrlMethod"),
        voice: credentials(f, (auth_type, "VoiceUsername", "VoicePasswordToken")),
        callback_url: free_text(f, "CallbackVoiceUrl"),
        callback_url_method: free_text(f, "CallbackVoiceUrlMethod"),
        trunks: [trunk(f, 1), trunk(f, 2)],
        header_manipulation: text(f, "HeaderManipulation", 1, 64),
        enable_sip_refer: flag(f, "EnableSipRefer"),
        transfer_caller_id: free_text(f, "TransferCallerId"),
        symmetric_rtp: flag(f, "SymmetricRtp"),
        enable_trp_secure_trunk: flag(f, "EnableTrpSecureTrunk"),
        enable_pstn_transfer: flag(f, "EnablePstnTransfer"),
        cnam_lookup: flag(f, "CnamLookup"),
        ip_whitelist: addresses(f, "IpWhitelist"),
        termination_uri_subdomain: free_text(f, "TerminationUriSubdomain"),
        enable_call_streaming: flag(f, "EnableCallStreaming"),
        wss_uri: free_text(f, "WssUri"),
        intelligent_route_enabled: flag(f, "IntelligentRouteEnabled"),
        route_enabled: flag(f, "RouteEnabled"),
    }
}

/// The required `CallRouteId` (any length: a malformed id is a 404, not a 400).
fn route_id(f: &mut Fields) -> String {
    f.required_string(ID, 0, usize::MAX).unwrap_or_default()
}

/// Creates a voice route in an account.
#[utoipa::path(post, path = "/v1.0/voice/routes", tag = "Voice routes", request_body = VoiceRouteCreateRequest,
    responses((status = 200, body = VoiceRouteView), (status = 400, body = Problem), (status = 409, body = Problem)),
    security(("bearer" = [])))]
async fn create(
    State(state): State<AppState>,
    DistributorCaller(d): DistributorCaller,
    body: Body,
) -> ApiResult<Json<VoiceRouteView>> {
    let mut f = body.fields();
    let input = route_input(&mut f, true);
    let account_id = f.string("AccountId", 0, usize::MAX);
    f.finish()?;
    let services = &state.services;
    Ok(Json(
        services
            .create_voice_route(&d, account_id.as_deref(), input)
            .await?,
    ))
}

/// One live voice route.
#[utoipa::path(get, path = "/v1.0/voice/routes", tag = "Voice routes", params(("CallRouteId" = String, Query)),
    responses((status = 200, body = VoiceRouteView), (status = 400, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
async fn get(
    State(state): State<AppState>,
    DistributorCaller(d): DistributorCaller,
    query: Query,
) -> ApiResult<Json<VoiceRouteView>> {
    let id = query
        .get(ID)
        .ok_or_else(|| ApiError::field(ID, "CallRouteId is required"))?;
    Ok(Json(state.services.get_voice_route(&d, id).await?))
}

/// Changes a voice route; applies at once to every number using it.
#[utoipa::path(post, path = "/v1.0/voice/routes/update", tag = "Voice routes", request_body = VoiceRouteUpdateRequest,
    responses((status = 200, body = VoiceRouteView), (status = 400, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem)),
    security(("bearer" = [])))]
async fn update(
    State(state): State<AppState>,
    DistributorCaller(d): DistributorCaller,
    body: Body,
) -> ApiResult<Json<VoiceRouteView>> {
    let mut f = body.fields();
    let id = route_id(&mut f);
    let account_id = f.string("AccountId", 0, usize::MAX);
    let input = route_input(&mut f, false);
    f.finish()?;
    let target = (id.as_str(), account_id.as_deref());
    Ok(Json(
        state.services.update_voice_route(&d, target, input).await?,
    ))
}

/// Deletes a voice route that no number uses; its termination subdomain is freed.
#[utoipa::path(post, path = "/v1.0/voice/routes/delete", tag = "Voice routes", request_body = VoiceRouteDeleteRequest,
    responses((status = 200, body = VoiceRouteDeletedView), (status = 400, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
async fn delete(
    State(state): State<AppState>,
    DistributorCaller(d): DistributorCaller,
    body: Body,
) -> ApiResult<Json<VoiceRouteDeletedView>> {
    let mut f = body.fields();
    let id = route_id(&mut f);
    f.finish()?;
    Ok(Json(state.services.delete_voice_route(&d, &id).await?))
}

/// All voice routes of an account, deleted ones included unless filtered out.
#[utoipa::path(get, path = "/v1.0/account/voice/routes", tag = "Voice routes",
    params(("AccountId" = Option<String>, Query), ("Filter" = Option<String>, Query, description = "All (default), Active or Inactive"),
        ("PageNumber" = Option<u32>, Query), ("PageSize" = Option<u32>, Query)),
    responses((status = 200, body = VoiceRoutePage), (status = 400, body = Problem)), security(("bearer" = [])))]
async fn list(
    State(state): State<AppState>,
    DistributorCaller(d): DistributorCaller,
    query: Query,
) -> ApiResult<Json<VoiceRoutePage>> {
    let paging = query.paging()?;
    let selection = (query.get("AccountId"), query.get("Filter"));
    let list = state
        .services
        .list_voice_routes(&d, selection, paging)
        .await?;
    Ok(Json(VoiceRoutePage {
        account_id: list.account_id,
        total_routes: list.page.total,
        page_number: paging.page_number,
        page_size: paging.page_size,
        results: list.page.results,
    }))
}
