//! Packages: create (with items), get, update (Extension) and the packages an account can
//! subscribe to. Package items are in [`items`].

mod items;

use axum::extract::State;
use axum::Json;
use mpaas_service::catalog::views::PackageView;
use mpaas_service::catalog::{NewItemInput, NewPackageInput, PackageUpdate};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::products::{clearable, incomplete, required_id};
use crate::extract::{Body, DistributorCaller, Fields, Query};
use crate::problem::{ApiResult, Problem};
use crate::state::AppState;

/// Most items a package may be created with.
const MAX_ITEMS: usize = 100;

/// A package item as sent inside a package create request.
#[derive(ToSchema)]
#[allow(dead_code)] // Documents the body; it is read by `Fields` to give the contract's messages.
#[serde(rename_all = "PascalCase")]
pub struct PackageItemInput {
    /// An active product of the caller.
    product_id: String,
    /// The item's share of the price: a number or numeric string (`"1.12"`).
    #[schema(value_type = f64)]
    price: String,
    /// Default `true` for an `MRC` product, `false` for `NRC`.
    monthly: Option<bool>,
    /// 1 to 50 characters; default the product's `Type`.
    #[serde(rename = "Type")]
    item_type: Option<String>,
}

/// Package create request.
#[derive(ToSchema)]
#[allow(dead_code)] // Documents the body; it is read by `Fields` to give the contract's messages.
#[serde(rename_all = "PascalCase")]
pub struct PackageCreateRequest {
    /// 1 to 100 characters.
    package_name: String,
    /// At most 500 characters.
    description: Option<String>,
    /// 1 to 50 characters, free text (`sip`, `esim` …).
    #[serde(rename = "Type")]
    package_type: String,
    /// Price of the whole package: a number or numeric string.
    #[schema(value_type = f64)]
    price: String,
    /// Default `true` (recurring monthly); `false` = one-time.
    monthly: Option<bool>,
    /// Scopes the package to one subscriber of the caller.
    subscriber_id: Option<String>,
    /// At most 100, created in the same transaction.
    package_items: Option<Vec<PackageItemInput>>,
}

/// Package update request (Extension): only fields sent change; `null` `SubscriberId` removes
/// the scope.
#[derive(ToSchema)]
#[allow(dead_code)] // Documents the body; it is read by `Fields` to give the contract's messages.
#[serde(rename_all = "PascalCase")]
pub struct PackageUpdateRequest {
    /// `PID-…` (`PKID-…` accepted).
    package_id: String,
    /// 1 to 100 characters.
    package_name: Option<String>,
    /// At most 500 characters; empty clears it.
    description: Option<String>,
    /// 1 to 50 characters.
    #[serde(rename = "Type")]
    package_type: Option<String>,
    /// A number or numeric string.
    #[schema(value_type = Option<f64>)]
    price: Option<String>,
    /// Recurring monthly.
    monthly: Option<bool>,
    /// A subscriber of the caller; `null` removes the scope.
    subscriber_id: Option<String>,
    /// `false` stops new subscriptions to it.
    active: Option<bool>,
}

/// The packages an account can subscribe to, paged, without their items.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct AccountPackagePage {
    /// The account given, or the caller's only account; else `null`.
    account_id: Option<String>,
    /// Over all pages.
    total_packages: i64,
    /// `All`, `Active` or `Inactive`.
    filter: String,
    /// 1-based.
    page_number: u32,
    /// Rows per page.
    page_size: u32,
    /// This page.
    results: Vec<PackageView>,
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create, get_one))
        .routes(routes!(update))
        .routes(routes!(list_for_account))
        .merge(items::router())
}

/// One item as sent in `PackageItems` or to `packages/items/add`.
fn read_item(f: &mut Fields) -> Option<NewItemInput> {
    let product_id = f.required_string("ProductId", 1, 200);
    let price = f.required_money("Price");
    let monthly = f.boolean("Monthly");
    let item_type = f.string("Type", 1, 50);
    Some(NewItemInput {
        product_id: product_id?,
        price: price?,
        monthly,
        item_type,
    })
}

fn read_new_package(body: Body) -> ApiResult<NewPackageInput> {
    let mut f = body.fields();
    let name = f.required_string("PackageName", 1, 100);
    let description = f.string("Description", 0, 500);
    let package_type = f.required_string("Type", 1, 50);
    let price = f.required_money("Price");
    let monthly = f.boolean("Monthly");
    let subscriber_id = f.string("SubscriberId", 0, 200).filter(|s| !s.is_empty());
    let items = f.objects("PackageItems", MAX_ITEMS, read_item);
    f.finish()?;
    let items: Option<Vec<NewItemInput>> = items.unwrap_or_default().into_iter().collect();
    match (name, package_type, price, items) {
        (Some(name), Some(package_type), Some(price), Some(items)) => Ok(NewPackageInput {
            name,
            description,
            package_type,
            price,
            monthly,
            subscriber_id,
            items,
        }),
        _ => Err(incomplete()),
    }
}

/// Creates a package, optionally with its items, in one transaction.
#[utoipa::path(post, path = "/v1.0/packages", tag = "Packages", request_body = PackageCreateRequest,
    responses((status = 200, body = PackageView), (status = 400, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem)),
    security(("bearer" = [])))]
async fn create(
    State(state): State<AppState>,
    DistributorCaller(d): DistributorCaller,
    body: Body,
) -> ApiResult<Json<PackageView>> {
    let input = read_new_package(body)?;
    Ok(Json(state.services.create_package(&d, input).await?))
}

/// One package of the caller with all its items.
#[utoipa::path(get, path = "/v1.0/packages", tag = "Packages", params(("PackageId" = String, Query)),
    responses((status = 200, body = PackageView), (status = 400, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
async fn get_one(
    State(state): State<AppState>,
    DistributorCaller(d): DistributorCaller,
    query: Query,
) -> ApiResult<Json<PackageView>> {
    let id = required_id(&query, "PackageId")?;
    Ok(Json(state.services.get_package(&d, id).await?))
}

/// Changes a package's own fields (items have their own endpoints); only fields sent change.
#[utoipa::path(post, path = "/v1.0/packages/update", tag = "Packages", request_body = PackageUpdateRequest,
    responses((status = 200, body = PackageView), (status = 400, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
async fn update(
    State(state): State<AppState>,
    DistributorCaller(d): DistributorCaller,
    body: Body,
) -> ApiResult<Json<PackageView>> {
    let mut f = body.fields();
    let update = PackageUpdate {
        package_id: f.required_string("PackageId", 1, 200).unwrap_or_default(),
        name: f.string("PackageName", 1, 100),
        description: f.string("Description", 0, 500),
        package_type: f.string("Type", 1, 50),
        price: f.money("Price"),
        monthly: f.boolean("Monthly"),
        subscriber_id: clearable(&mut f, "SubscriberId", 200),
        active: f.boolean("Active"),
    };
    f.finish()?;
    Ok(Json(state.services.update_package(&d, update).await?))
}

/// The packages an account can subscribe to, in creation order; packages scoped to subscribers
/// of other accounts are left out when an account is given or resolved.
#[utoipa::path(get, path = "/v1.0/account/packages", tag = "Packages",
    params(("AccountId" = Option<String>, Query), ("Filter" = Option<String>, Query),
        ("PageNumber" = Option<u32>, Query), ("PageSize" = Option<u32>, Query)),
    responses((status = 200, body = AccountPackagePage), (status = 400, body = Problem)),
    security(("bearer" = [])))]
async fn list_for_account(
    State(state): State<AppState>,
    DistributorCaller(d): DistributorCaller,
    query: Query,
) -> ApiResult<Json<AccountPackagePage>> {
    let paging = query.paging()?;
    let filter = query.filter()?;
    let catalog = state
        .services
        .list_account_packages(&d, query.get("AccountId"), filter, paging)
        .await?;
    Ok(Json(AccountPackagePage {
        account_id: catalog.account_id,
        total_packages: catalog.page.total,
        filter: filter.as_str().to_string(),
        page_number: paging.page_number,
        page_size: paging.page_size,
        results: catalog.page.results,
    }))
}
