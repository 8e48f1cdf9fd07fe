//! Accounts: create, update, get (Extension) and the distributor's account list.

use axum::extract::State;
use axum::Json;
use mpaas_core::Address;
use mpaas_service::accounts::{AccountChanges, NewAccountInput};
use mpaas_service::views::AccountView;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::extract::{Body, DistributorCaller, Query};
use crate::problem::{ApiResult, Problem};
use crate::state::AppState;

/// Account create request.
#[derive(ToSchema)]
#[allow(dead_code)] // Documents the body; it is read by `Fields` to give the contract's messages.
#[serde(rename_all = "PascalCase")]
pub struct AccountCreateRequest {
    /// 1 to 200 characters; not unique.
    account_name: String,
    /// Email of the account's manager (stored only).
    account_admin: String,
    /// Billing address.
    billing_address: Option<Address>,
    /// Mailing address; leave out when equal to billing.
    mailing_address: Option<Address>,
}

/// Account update request: only fields sent change.
#[derive(ToSchema)]
#[allow(dead_code)] // Documents the body; it is read by `Fields` to give the contract's messages.
#[serde(rename_all = "PascalCase")]
pub struct AccountUpdateRequest {
    /// By the tenancy rule.
    account_id: Option<String>,
    /// 1 to 200 characters.
    account_name: Option<String>,
    /// Email.
    account_admin: Option<String>,
    /// Replaces the stored billing address.
    billing_address: Option<Address>,
    /// Replaces the stored mailing address.
    mailing_address: Option<Address>,
}

/// The distributor's accounts, paged.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct AccountPage {
    /// The caller.
    distributor_id: String,
    /// Over all pages.
    total_accounts: i64,
    /// 1-based.
    page_number: u32,
    /// Rows per page.
    page_size: u32,
    /// This page.
    results: Vec<AccountView>,
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create))
        .routes(routes!(update))
        .routes(routes!(get_one))
        .routes(routes!(list))
}

/// Creates an account (a family or a business) under the calling distributor.
#[utoipa::path(post, path = "/v1.0/account/create", tag = "Accounts", request_body = AccountCreateRequest,
    responses((status = 200, body = AccountView), (status = 400, body = Problem)), security(("bearer" = [])))]
async fn create(
    State(state): State<AppState>,
    DistributorCaller(d): DistributorCaller,
    body: Body,
) -> ApiResult<Json<AccountView>> {
    let mut f = body.fields();
    let name = f.required_string("AccountName", 1, 200);
    let admin = f.required_email("AccountAdmin");
    let input = NewAccountInput {
        name: name.unwrap_or_default(),
        admin_email: admin.map(|e| e.as_str().to_string()).unwrap_or_default(),
        billing: f.address("BillingAddress"),
        mailing: f.address("MailingAddress"),
    };
    f.finish()?;
    Ok(Json(state.services.create_account(&d, input).await?))
}

/// Changes name, admin email or addresses of one account; only fields sent change.
#[utoipa::path(post, path = "/v1.0/account/update", tag = "Accounts", request_body = AccountUpdateRequest,
    responses((status = 200, body = AccountView), (status = 400, body = Problem)), security(("bearer" = [])))]
async fn update(
    State(state): State<AppState>,
    DistributorCaller(d): DistributorCaller,
    body: Body,
) -> ApiResult<Json<AccountView>> {
    let mut f = body.fields();
    let changes = AccountChanges {
        account_id: f.string("AccountId", 0, 200),
        name: f.string("AccountName", 1, 200),
        admin_email: f.email("AccountAdmin").map(|e| e.as_str().to_string()),
        billing: f.address("BillingAddress"),
        mailing: f.address("MailingAddress"),
    };
    f.finish()?;
    Ok(Json(state.services.update_account(&d, changes).await?))
}

/// One account (Extension).
#[utoipa::path(get, path = "/v1.0/account", tag = "Accounts", params(("AccountId" = Option<String>, Query)),
    responses((status = 200, body = AccountView), (status = 400, body = Problem)), security(("bearer" = [])))]
async fn get_one(
    State(state): State<AppState>,
    DistributorCaller(d): DistributorCaller,
    query: Query,
) -> ApiResult<Json<AccountView>> {
    Ok(Json(
        state
            .services
            .get_account(&d, query.get("AccountId"))
            .await?,
    ))
}

/// All accounts of the calling distributor, paged, in creation order.
#[utoipa::path(get, path = "/v1.0/distributor/accounts", tag = "Accounts",
    params(("PageNumber" = Option<u32>, Query), ("PageSize" = Option<u32>, Query)),
    responses((status = 200, body = AccountPage), (status = 400, body = Problem)), security(("bearer" = [])))]
async fn list(
    State(state): State<AppState>,
    DistributorCaller(d): DistributorCaller,
    query: Query,
) -> ApiResult<Json<AccountPage>> {
    let paging = query.paging()?;
    let page = state.services.list_accounts(&d, paging).await?;
    Ok(Json(AccountPage {
        distributor_id: d.to_string(),
        total_accounts: page.total,
        page_number: paging.page_number,
        page_size: paging.page_size,
        results: page.results,
    }))
}
