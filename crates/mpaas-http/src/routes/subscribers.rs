//! Subscribers: create (and its alias), update, get/list, transfer, delete (Extension) and the
//! distributor-wide list.

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use mpaas_core::{Role, ValidationErrors};
use mpaas_service::subscribers::{
    NewSubscriberInput, SubscriberLookup, SubscriberQuery, SubscriberUpdate, TransferInput,
};
use mpaas_service::views::{SubscriberDeletedView, SubscriberView};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::extract::{Body, DistributorCaller, Fields, Query};
use crate::problem::{ApiError, ApiResult, Problem};
use crate::state::AppState;

const ROLE_MESSAGE: &str = "Invalid Role. Must be one of: Subscriber, Manager, Account Admin.";
const MAX_NUMBERS: usize = 100;

/// Subscriber create request.
#[derive(ToSchema)]
#[allow(dead_code)] // Documents the body; it is read by `Fields` to give the contract's messages.
#[serde(rename_all = "PascalCase")]
pub struct SubscriberCreateRequest {
    /// 1 to 200 characters.
    name: String,
    /// Unique platform-wide among live subscribers, case-insensitive.
    email: String,
    /// Numbers of the account to assign (at most 100).
    phone_numbers: Option<Vec<String>>,
    /// `Subscriber` (default), `Manager` or `Account Admin`.
    role: Option<String>,
    /// 8 to 128 characters; never returned.
    password: String,
    /// By the tenancy rule.
    account_id: Option<String>,
}

/// Subscriber update request: only fields sent change.
#[derive(ToSchema)]
#[allow(dead_code)] // Documents the body; it is read by `Fields` to give the contract's messages.
#[serde(rename_all = "PascalCase")]
pub struct SubscriberUpdateRequest {
    /// `TSUID-…` (`SID-…` accepted).
    subscriber_id: String,
    /// 1 to 200 characters.
    name: Option<String>,
    /// Email.
    email: Option<String>,
    /// Replaces the set of assigned numbers; `[]` unassigns all.
    phone_numbers: Option<Vec<String>>,
    /// Role.
    role: Option<String>,
    /// 8 to 128 characters.
    password: Option<String>,
    /// Must be the subscriber's current account.
    account_id: Option<String>,
}

/// Transfer request.
#[derive(ToSchema)]
#[allow(dead_code)] // Documents the body; it is read by `Fields` to give the contract's messages.
#[serde(rename_all = "PascalCase")]
pub struct SubscriberTransferRequest {
    /// Subscriber to move.
    subscriber_id: String,
    /// Its current account.
    from_account_id: String,
    /// Target account of the caller.
    to_account_id: String,
    /// Extension: message route of the target for moved numbers.
    message_route_id: Option<String>,
    /// Extension: voice route of the target for moved numbers.
    voice_route_id: Option<String>,
}

/// Delete request.
#[derive(ToSchema)]
#[allow(dead_code)] // Documents the body; it is read by `Fields` to give the contract's messages.
#[serde(rename_all = "PascalCase")]
pub struct SubscriberDeleteRequest {
    /// Subscriber to delete.
    subscriber_id: String,
}

/// An account's subscribers, paged.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct AccountSubscriberPage {
    /// The resolved account.
    account_id: String,
    /// Over all pages.
    total_subscribers: i64,
    /// 1-based.
    page_number: u32,
    /// Rows per page.
    page_size: u32,
    /// This page.
    results: Vec<SubscriberView>,
}

/// The distributor's subscribers, paged.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct DistributorSubscriberPage {
    /// The caller.
    distributor_id: String,
    /// Over all pages.
    total_subscribers: i64,
    /// 1-based.
    page_number: u32,
    /// Rows per page.
    page_size: u32,
    /// This page.
    results: Vec<SubscriberView>,
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create))
        .routes(routes!(create_alias))
        .routes(routes!(update))
        .routes(routes!(get))
        .routes(routes!(transfer))
        .routes(routes!(delete))
        .routes(routes!(list_for_distributor))
}

fn role(f: &mut Fields) -> Option<Role> {
    // Any length: a value outside the enumeration gets the enumeration's message.
    let raw = f.string("Role", 0, usize::MAX)?;
    let role = Role::parse(&raw);
    if role.is_none() {
        f.error("Role", ROLE_MESSAGE);
    }
    role
}

fn password(f: &mut Fields, required: bool) -> Option<String> {
    let value = f.raw("Password").filter(|v| !v.is_null());
    match value {
        None if required => {
            f.error("Password", "Password is required");
            None
        }
        None => None,
        // Passwords are not trimmed: white space may be part of them.
        Some(serde_json::Value::String(s)) if (8..=128).contains(&s.chars().count()) => {
            Some(s.clone())
        }
        Some(serde_json::Value::String(_)) => {
            f.error("Password", "Password must be between 8 and 128 characters");
            None
        }
        Some(_) => {
            f.error("Password", "Password must be a string");
            None
        }
    }
}

async fn create_subscriber(
    state: AppState,
    d: DistributorCaller,
    body: Body,
) -> ApiResult<Json<SubscriberView>> {
    let mut f = body.fields();
    let name = f.required_string("Name", 1, 200);
    let email = f.required_email("Email");
    let phone_numbers = f
        .phone_list("PhoneNumbers", MAX_NUMBERS)
        .unwrap_or_default();
    let role = role(&mut f).unwrap_or(Role::Subscriber);
    let password = password(&mut f, true);
    let account_id = f.string("AccountId", 0, 200);
    f.finish()?;
    let (Some(name), Some(email), Some(password)) = (name, email, password) else {
        return Err(ApiError::validation(&ValidationErrors::field(
            "Name",
            "Name is required",
        )));
    };
    let input = NewSubscriberInput {
        account_id,
        name,
        email,
        phone_numbers,
        role,
        password,
    };
    Ok(Json(state.services.create_subscriber(&d.0, input).await?))
}

/// Creates a subscriber in an account, optionally assigning numbers of that account to it.
#[utoipa::path(post, path = "/v1.0/subscribers/create", tag = "Subscribers", request_body = SubscriberCreateRequest,
    responses((status = 200, body = SubscriberView), (status = 400, body = Problem), (status = 409, body = Problem)),
    security(("bearer" = [])))]
async fn create(
    State(state): State<AppState>,
    d: DistributorCaller,
    body: Body,
) -> ApiResult<Json<SubscriberView>> {
    create_subscriber(state, d, body).await
}

/// Alias of `POST /v1.0/subscribers/create`.
#[utoipa::path(post, path = "/v1.0/subscribers", tag = "Subscribers", request_body = SubscriberCreateRequest,
    responses((status = 200, body = SubscriberView), (status = 400, body = Problem), (status = 409, body = Problem)),
    security(("bearer" = [])))]
async fn create_alias(
    State(state): State<AppState>,
    d: DistributorCaller,
    body: Body,
) -> ApiResult<Json<SubscriberView>> {
    create_subscriber(state, d, body).await
}

/// Changes a subscriber; only the fields sent change.
#[utoipa::path(post, path = "/v1.0/subscribers/update", tag = "Subscribers", request_body = SubscriberUpdateRequest,
    responses((status = 200, body = SubscriberView), (status = 400, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem)),
    security(("bearer" = [])))]
async fn update(
    State(state): State<AppState>,
    DistributorCaller(d): DistributorCaller,
    body: Body,
) -> ApiResult<Json<SubscriberView>> {
    let mut f = body.fields();
    let update = SubscriberUpdate {
        subscriber_id: f
            .required_string("SubscriberId", 1, 200)
            .unwrap_or_default(),
        account_id: f.string("AccountId", 0, 200),
        name: f.string("Name", 1, 200),
        email: f.email("Email"),
        phone_numbers: f.phone_list("PhoneNumbers", MAX_NUMBERS),
        role: role(&mut f),
        password: password(&mut f, false),
    };
    f.finish()?;
    Ok(Json(state.services.update_subscriber(&d, update).await?))
}

/// One subscriber by `SubscriberId` or `Email`, or the subscribers of an account (paged).
#[utoipa::path(get, path = "/v1.0/subscribers/get", tag = "Subscribers",
    params(("SubscriberId" = Option<String>, Query), ("Email" = Option<String>, Query), ("AccountId" = Option<String>, Query),
        ("PageNumber" = Option<u32>, Query), ("PageSize" = Option<u32>, Query)),
    responses((status = 200, body = SubscriberView), (status = 200, body = AccountSubscriberPage),
        (status = 400, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
async fn get(
    State(state): State<AppState>,
    DistributorCaller(d): DistributorCaller,
    query: Query,
) -> ApiResult<Response> {
    let paging = query.paging()?;
    let q = SubscriberQuery {
        subscriber_id: query.get("SubscriberId").map(str::to_string),
        email: query.get("Email").map(str::to_string),
        account_id: query.get("AccountId").map(str::to_string),
    };
    Ok(
        match state.services.find_subscribers(&d, q, paging).await? {
            SubscriberLookup::One(view) => Json(view).into_response(),
            SubscriberLookup::List { account_id, page } => Json(AccountSubscriberPage {
                account_id,
                total_subscribers: page.total,
                page_number: paging.page_number,
                page_size: paging.page_size,
                results: page.results,
            })
            .into_response(),
        },
    )
}

/// Moves a subscriber, with its numbers and subscriptions, to another account of the caller.
#[utoipa::path(post, path = "/v1.0/subscribers/transfer", tag = "Subscribers", request_body = SubscriberTransferRequest,
    responses((status = 200, body = SubscriberView), (status = 400, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem)),
    security(("bearer" = [])))]
async fn transfer(
    State(state): State<AppState>,
    DistributorCaller(d): DistributorCaller,
    body: Body,
) -> ApiResult<Json<SubscriberView>> {
    let mut f = body.fields();
    let input = TransferInput {
        subscriber_id: f
            .required_string("SubscriberId", 1, 200)
            .unwrap_or_default(),
        from_account_id: f
            .required_string("FromAccountId", 1, 200)
            .unwrap_or_default(),
        to_account_id: f.required_string("ToAccountId", 1, 200).unwrap_or_default(),
        message_route_id: f.string("MessageRouteId", 0, 200),
        voice_route_id: f.string("VoiceRouteId", 0, 200),
    };
    f.finish()?;
    Ok(Json(state.services.transfer_subscriber(&d, input).await?))
}

/// Deletes a subscriber that holds no active subscription and no number (Extension).
#[utoipa::path(post, path = "/v1.0/subscribers/delete", tag = "Subscribers", request_body = SubscriberDeleteRequest,
    responses((status = 200, body = SubscriberDeletedView), (status = 404, body = Problem), (status = 409, body = Problem)),
    security(("bearer" = [])))]
async fn delete(
    State(state): State<AppState>,
    DistributorCaller(d): DistributorCaller,
    body: Body,
) -> ApiResult<Json<SubscriberDeletedView>> {
    let mut f = body.fields();
    let id = f
        .required_string("SubscriberId", 1, 200)
        .unwrap_or_default();
    f.finish()?;
    Ok(Json(state.services.delete_subscriber(&d, &id).await?))
}

/// All subscribers of the caller across its accounts, paged; `AccountId` narrows (Extension).
#[utoipa::path(get, path = "/v1.0/distributor/subscribers", tag = "Subscribers",
    params(("AccountId" = Option<String>, Query), ("PageNumber" = Option<u32>, Query), ("PageSize" = Option<u32>, Query)),
    responses((status = 200, body = DistributorSubscriberPage), (status = 400, body = Problem)),
    security(("bearer" = [])))]
async fn list_for_distributor(
    State(state): State<AppState>,
    DistributorCaller(d): DistributorCaller,
    query: Query,
) -> ApiResult<Json<DistributorSubscriberPage>> {
    let paging = query.paging()?;
    let page = state
        .services
        .list_distributor_subscribers(&d, query.get("AccountId"), paging)
        .await?;
    Ok(Json(DistributorSubscriberPage {
        distributor_id: d.to_string(),
        total_subscribers: page.total,
        page_number: paging.page_number,
        page_size: paging.page_size,
        results: page.results,
    }))
}
