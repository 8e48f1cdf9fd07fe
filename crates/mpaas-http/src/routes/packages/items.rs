//! Package items: add, update, delete and the items of one package.

use axum::extract::State;
use axum::Json;
use mpaas_service::catalog::views::{PackageItemDeletedView, PackageItemView};
use mpaas_service::catalog::ItemUpdate;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::read_item;
use crate::extract::{Body, DistributorCaller, Query};
use crate::problem::{ApiResult, Problem};
use crate::routes::products::{incomplete, required_id};
use crate::state::AppState;

/// Item add request.
#[derive(ToSchema)]
#[allow(dead_code)] // Documents the body; it is read by `Fields` to give the contract's messages.
#[serde(rename_all = "PascalCase")]
pub struct PackageItemAddRequest {
    /// A package of the caller (`PKID-…` accepted).
    package_id: String,
    /// An active product of the caller; the same product may appear in several items.
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

/// Item update request: only fields sent change; the product cannot change.
#[derive(ToSchema)]
#[allow(dead_code)] // Documents the body; it is read by `Fields` to give the contract's messages.
#[serde(rename_all = "PascalCase")]
pub struct PackageItemUpdateRequest {
    /// `PIID-…`.
    package_item_id: String,
    /// A number or numeric string.
    #[schema(value_type = Option<f64>)]
    price: Option<String>,
    /// Recurring monthly.
    monthly: Option<bool>,
    /// 1 to 50 characters.
    #[serde(rename = "Type")]
    item_type: Option<String>,
    /// Extension: active flag.
    active: Option<bool>,
}

/// Item delete request.
#[derive(ToSchema)]
#[allow(dead_code)] // Documents the body; it is read by `Fields` to give the contract's messages.
#[serde(rename_all = "PascalCase")]
pub struct PackageItemDeleteRequest {
    /// `PIID-…`.
    package_item_id: String,
}

/// The items of one package, paged.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct PackageItemPage {
    /// `PID-…`.
    package_id: String,
    /// The package's name.
    package_name: String,
    /// Over all pages.
    total_package_items: i64,
    /// `All`, `Active` or `Inactive`.
    filter: String,
    /// 1-based.
    page_number: u32,
    /// Rows per page.
    page_size: u32,
    /// This page.
    results: Vec<PackageItemView>,
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(add))
        .routes(routes!(update))
        .routes(routes!(delete))
        .routes(routes!(list))
}

/// Adds a product to a package of the caller.
#[utoipa::path(post, path = "/v1.0/packages/items/add", tag = "Packages", request_body = PackageItemAddRequest,
    responses((status = 200, body = PackageItemView), (status = 400, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem)),
    security(("bearer" = [])))]
async fn add(
    State(state): State<AppState>,
    DistributorCaller(d): DistributorCaller,
    body: Body,
) -> ApiResult<Json<PackageItemView>> {
    let mut f = body.fields();
    let package_id = f.required_string("PackageId", 1, 200);
    let item = read_item(&mut f);
    f.finish()?;
    let (Some(package_id), Some(item)) = (package_id, item) else {
        return Err(incomplete());
    };
    let view = state
        .services
        .add_package_item(&d, &package_id, item)
        .await?;
    Ok(Json(view))
}

/// Changes an item's `Price`, `Monthly`, `Type` or `Active`; its product cannot change.
#[utoipa::path(post, path = "/v1.0/packages/items/update", tag = "Packages", request_body = PackageItemUpdateRequest,
    responses((status = 200, body = PackageItemView), (status = 400, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
async fn update(
    State(state): State<AppState>,
    DistributorCaller(d): DistributorCaller,
    body: Body,
) -> ApiResult<Json<PackageItemView>> {
    let mut f = body.fields();
    let update = ItemUpdate {
        package_item_id: f
            .required_string("PackageItemId", 1, 200)
            .unwrap_or_default(),
        product_id: f.string("ProductId", 0, 200),
        price: f.money("Price"),
        monthly: f.boolean("Monthly"),
        item_type: f.string("Type", 1, 50),
        active: f.boolean("Active"),
    };
    f.finish()?;
    Ok(Json(state.services.update_package_item(&d, update).await?))
}

/// Removes an item from its package for good.
#[utoipa::path(post, path = "/v1.0/packages/items/delete", tag = "Packages", request_body = PackageItemDeleteRequest,
    responses((status = 200, body = PackageItemDeletedView), (status = 400, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
async fn delete(
    State(state): State<AppState>,
    DistributorCaller(d): DistributorCaller,
    body: Body,
) -> ApiResult<Json<PackageItemDeletedView>> {
    let mut f = body.fields();
    let id = f
        .required_string("PackageItemId", 1, 200)
        .unwrap_or_default();
    f.finish()?;
    Ok(Json(state.services.delete_package_item(&d, &id).await?))
}

/// The items of one package of the caller, in creation order.
#[utoipa::path(get, path = "/v1.0/packages/items", tag = "Packages",
    params(("PackageId" = String, Query), ("Filter" = Option<String>, Query),
        ("PageNumber" = Option<u32>, Query), ("PageSize" = Option<u32>, Query)),
    responses((status = 200, body = PackageItemPage), (status = 400, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
async fn list(
    State(state): State<AppState>,
    DistributorCaller(d): DistributorCaller,
    query: Query,
) -> ApiResult<Json<PackageItemPage>> {
    let id = required_id(&query, "PackageId")?;
    let paging = query.paging()?;
    let filter = query.filter()?;
    let items = state
        .services
        .list_package_items(&d, id, filter, paging)
        .await?;
    Ok(Json(PackageItemPage {
        package_id: items.package_id,
        package_name: items.package_name,
        total_package_items: items.page.total,
        filter: filter.as_str().to_string(),
        page_number: paging.page_number,
        page_size: paging.page_size,
        results: items.page.results,
    }))
}
