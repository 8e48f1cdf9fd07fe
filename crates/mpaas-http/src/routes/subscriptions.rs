//! Subscriptions: create, get (by id or per subscriber), cancel, and the distributor's and
//! account's lists.

use axum::extract::State;
use axum::Json;
use mpaas_service::catalog::views::PackageView;
use mpaas_service::subscriptions::{NewSubscriptionInput, SubscriptionType, SubscriptionView};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::extract::{Body, DistributorCaller, Query};
use crate::problem::{ApiError, ApiResult, Problem};
use crate::state::AppState;

const TYPE_MESSAGE: &str = "Invalid Type. Must be one of: Mvno, Iot.";

/// Subscription create request.
#[derive(ToSchema)]
#[allow(dead_code)] // Documents the body; it is read by `Fields` to give the contract's messages.
#[serde(rename_all = "PascalCase")]
pub struct SubscriptionCreateRequest {
    /// Subscriber of the caller (`TSUID-`, `SID-` accepted).
    subscriber_id: String,
    /// Number id (`NID-`, `TNID-` accepted); required unless `PhoneNumber` is given.
    #[serde(rename = "TNID")]
    tnid: Option<String>,
    /// Extension: the number in E.164 instead of `TNID`.
    phone_number: Option<String>,
    /// Active package of the caller (`PID-`, `PKID-` accepted).
    package_id: String,
    /// SIM of the number, or one to bind.
    #[serde(rename = "ICCID")]
    iccid: Option<String>,
    /// `Mvno` / `Iot`, any case; default the number's classification.
    #[serde(rename = "Type")]
    subscription_type: Option<String>,
    /// Must be the subscriber's account when given.
    account_id: Option<String>,
}

/// Cancel request.
#[derive(ToSchema)]
#[allow(dead_code)] // Documents the body; it is read by `Fields` to give the contract's messages.
#[serde(rename_all = "PascalCase")]
pub struct SubscriptionDeleteRequest {
    /// `SUB-…`.
    subscription_id: String,
}

/// A subscriber's subscriptions, paged.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct SubscriberSubscriptionsPage {
    subscriber_id: String,
    total_subscriptions: i64,
    filter: &'static str,
    page_number: u32,
    page_size: u32,
    results: Vec<SubscriptionView>,
}

/// Answer of `GET /v1.0/subscriptions`: one object by `SubscriptionId`, a page by `SubscriberId`.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum SubscriptionsAnswer {
    /// By `SubscriptionId`.
    One(SubscriptionView),
    /// By `SubscriberId`.
    OfSubscriber(SubscriberSubscriptionsPage),
}

/// The caller's subscriptions, paged.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct DistributorSubscriptionsPage {
    distributor_id: String,
    total_subscriptions: i64,
    filter: &'static str,
    page_number: u32,
    page_size: u32,
    results: Vec<SubscriptionView>,
}

/// One account's subscriptions, paged.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct AccountSubscriptionsPage {
    account_id: String,
    total_subscriptions: i64,
    filter: &'static str,
    page_number: u32,
    page_size: u32,
    results: Vec<SubscriptionView>,
}

/// A package with the subscriptions that use it.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct PackageSubscriptionsPage {
    #[serde(flatten)]
    package: PackageView,
    subscriptions: Vec<SubscriptionView>,
    total_subscriptions: i64,
    filter: &'static str,
    page_number: u32,
    page_size: u32,
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create, query))
        .routes(routes!(package_subscriptions))
        .routes(routes!(cancel))
        .routes(routes!(distributor_list))
        .routes(routes!(account_list))
}

/// Ties a package to a subscriber's number (and optionally its SIM).
#[utoipa::path(post, path = "/v1.0/subscriptions", tag = "Subscriptions", request_body = SubscriptionCreateRequest,
    responses((status = 200, body = SubscriptionView), (status = 400, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
async fn create(
    State(state): State<AppState>,
    DistributorCaller(d): DistributorCaller,
    body: Body,
) -> ApiResult<Json<SubscriptionView>> {
    let mut f = body.fields();
    let subscriber_id = f.required_string("SubscriberId", 1, 200);
    let tnid = f.string("TNID", 1, 200);
    let phone_number = f.phone("PhoneNumber");
    if tnid.is_none() && f.raw("PhoneNumber").is_none_or(|v| v.is_null()) {
        f.error("TNID", "TNID is required");
    }
    let package_id = f.required_string("PackageId", 1, 200);
    let raw_type = f.string("Type", 1, 50);
    let subscription_type = raw_type.as_deref().and_then(SubscriptionType::parse);
    if raw_type.is_some() && subscription_type.is_none() {
        f.error("Type", TYPE_MESSAGE);
    }
    let input = NewSubscriptionInput {
        subscriber_id: subscriber_id.unwrap_or_default(),
        tnid,
        phone_number,
        package_id: package_id.unwrap_or_default(),
        iccid: f.string("ICCID", 0, 64),
        subscription_type,
        account_id: f.string("AccountId", 0, 200),
    };
    f.finish()?;
    Ok(Json(state.services.create_subscription(&d, input).await?))
}

/// One subscription by `SubscriptionId`, or all of a subscriber's by `SubscriberId`.
#[utoipa::path(get, path = "/v1.0/subscriptions", tag = "Subscriptions",
    params(("SubscriptionId" = Option<String>, Query), ("SubscriberId" = Option<String>, Query),
        ("Filter" = Option<String>, Query), ("PageNumber" = Option<u32>, Query), ("PageSize" = Option<u32>, Query)),
    responses((status = 200, body = SubscriptionsAnswer), (status = 400, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
async fn query(
    State(state): State<AppState>,
    DistributorCaller(d): DistributorCaller,
    query: Query,
) -> ApiResult<Json<SubscriptionsAnswer>> {
    if let Some(id) = query.get("SubscriptionId") {
        let view = state.services.get_subscription(&d, id).await?;
        return Ok(Json(SubscriptionsAnswer::One(view)));
    }
    let Some(subscriber) = query.get("SubscriberId") else {
        return Err(ApiError::field(
            "SubscriptionId",
            "SubscriptionId or SubscriberId is required",
        ));
    };
    let (filter, paging) = (query.filter()?, query.paging()?);
    let (subscriber_id, page) = state
        .services
        .list_subscriber_subscriptions(&d, subscriber, filter, paging)
        .await?;
    Ok(Json(SubscriptionsAnswer::OfSubscriber(
        SubscriberSubscriptionsPage {
            subscriber_id,
            total_subscriptions: page.total,
            filter: filter.as_str(),
            page_number: paging.page_number,
            page_size: paging.page_size,
            results: page.results,
        },
    )))
}

/// Cancels a subscription; one already ended is answered unchanged.
#[utoipa::path(post, path = "/v1.0/subscriptions/delete", tag = "Subscriptions",
    request_body = SubscriptionDeleteRequest,
    responses((status = 200, body = SubscriptionView), (status = 400, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
async fn cancel(
    State(state): State<AppState>,
    DistributorCaller(d): DistributorCaller,
    body: Body,
) -> ApiResult<Json<SubscriptionView>> {
    let mut f = body.fields();
    let id = f.required_string("SubscriptionId", 1, 200);
    f.finish()?;
    let id = id.unwrap_or_default();
    Ok(Json(state.services.cancel_subscription(&d, &id).await?))
}

/// All subscriptions of the caller, paged, in creation order.
#[utoipa::path(get, path = "/v1.0/distributor/subscriptions", tag = "Subscriptions",
    params(("Filter" = Option<String>, Query), ("PageNumber" = Option<u32>, Query), ("PageSize" = Option<u32>, Query)),
    responses((status = 200, body = DistributorSubscriptionsPage), (status = 400, body = Problem)),
    security(("bearer" = [])))]
async fn distributor_list(
    State(state): State<AppState>,
    DistributorCaller(d): DistributorCaller,
    query: Query,
) -> ApiResult<Json<DistributorSubscriptionsPage>> {
    let (filter, paging) = (query.filter()?, query.paging()?);
    let page = state
        .services
        .list_distributor_subscriptions(&d, filter, paging)
        .await?;
    Ok(Json(DistributorSubscriptionsPage {
        distributor_id: d.to_string(),
        total_subscriptions: page.total,
        filter: filter.as_str(),
        page_number: paging.page_number,
        page_size: paging.page_size,
        results: page.results,
    }))
}

/// The subscriptions of one account (tenancy rule), paged.
#[utoipa::path(get, path = "/v1.0/account/subscriptions", tag = "Subscriptions",
    params(("AccountId" = Option<String>, Query), ("Filter" = Option<String>, Query),
        ("PageNumber" = Option<u32>, Query), ("PageSize" = Option<u32>, Query)),
    responses((status = 200, body = AccountSubscriptionsPage), (status = 400, body = Problem)),
    security(("bearer" = [])))]
async fn account_list(
    State(state): State<AppState>,
    DistributorCaller(d): DistributorCaller,
    query: Query,
) -> ApiResult<Json<AccountSubscriptionsPage>> {
    let (filter, paging) = (query.filter()?, query.paging()?);
    let (account_id, page) = state
        .services
        .list_account_subscriptions(&d, query.get("AccountId"), filter, paging)
        .await?;
    Ok(Json(AccountSubscriptionsPage {
        account_id,
        total_subscriptions: page.total,
        filter: filter.as_str(),
        page_number: paging.page_number,
        page_size: paging.page_size,
        results: page.results,
    }))
}

/// A package (without items) with the subscriptions that use it, paged.
#[utoipa::path(get, path = "/v1.0/packages/subscriptions", tag = "Packages",
    params(("PackageId" = String, Query), ("Filter" = Option<String>, Query),
        ("PageNumber" = Option<u32>, Query), ("PageSize" = Option<u32>, Query)),
    responses((status = 200, body = PackageSubscriptionsPage), (status = 400, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
async fn package_subscriptions(
    State(state): State<AppState>,
    DistributorCaller(d): DistributorCaller,
    query: Query,
) -> ApiResult<Json<PackageSubscriptionsPage>> {
    let id = query
        .get("PackageId")
        .ok_or_else(|| ApiError::field("PackageId", "PackageId is required"))?;
    let (filter, paging) = (query.filter()?, query.paging()?);
    let (package, page) = state
        .services
        .package_subscriptions(&d, id, filter, paging)
        .await?;
    Ok(Json(PackageSubscriptionsPage {
        package,
        subscriptions: page.results,
        total_subscriptions: page.total,
        filter: filter.as_str(),
        page_number: paging.page_number,
        page_size: paging.page_size,
    }))
}
