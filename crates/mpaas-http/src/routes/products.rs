//! Products: create, get, update and the catalogue as an account sees it.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use mpaas_service::catalog::views::ProductView;
use mpaas_service::catalog::{BillingFrequency, NewProductInput, ProductUpdate};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::extract::{Body, DistributorCaller, Fields, Query};
use crate::problem::{ApiError, ApiResult, Problem};
use crate::state::AppState;

/// Product create request.
#[derive(ToSchema)]
#[allow(dead_code)] // Documents the body; it is read by `Fields` to give the contract's messages.
#[serde(rename_all = "PascalCase")]
pub struct ProductCreateRequest {
    /// 1 to 64 characters; unique in the caller's catalogue, case-insensitive.
    #[serde(rename = "SKU")]
    sku: String,
    /// 1 to 500 characters.
    description: String,
    /// 1 to 50 characters, free text (`esim`, `data`, `sms`, `voice` …).
    #[serde(rename = "Type")]
    product_type: String,
    /// At most 50 characters.
    sub_type: Option<String>,
    /// Wholesale cost: a number or numeric string, at most 4 decimal places.
    #[schema(value_type = f64)]
    cost: String,
    /// `MRC` (monthly recurring) or `NRC` (one-time), any case.
    billing_frequency: String,
}

/// Product update request: only fields sent change; `null` clears `SubType`.
#[derive(ToSchema)]
#[allow(dead_code)] // Documents the body; it is read by `Fields` to give the contract's messages.
#[serde(rename_all = "PascalCase")]
pub struct ProductUpdateRequest {
    /// `PRID-…`.
    product_id: String,
    /// 1 to 64 characters.
    #[serde(rename = "SKU")]
    sku: Option<String>,
    /// 1 to 500 characters.
    description: Option<String>,
    /// 1 to 50 characters.
    #[serde(rename = "Type")]
    product_type: Option<String>,
    /// At most 50 characters; `null` clears it.
    sub_type: Option<String>,
    /// A number or numeric string.
    #[schema(value_type = Option<f64>)]
    cost: Option<String>,
    /// `MRC` or `NRC`.
    billing_frequency: Option<String>,
    /// Extension: `false` retires the product.
    active: Option<bool>,
}

/// The catalogue as an account sees it, paged.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct AccountProductPage {
    /// The account given, or the caller's only account; else `null`.
    account_id: Option<String>,
    /// Over all pages.
    total_products: i64,
    /// `All`, `Active` or `Inactive`.
    filter: String,
    /// 1-based.
    page_number: u32,
    /// Rows per page.
    page_size: u32,
    /// This page.
    results: Vec<ProductView>,
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create, get_one))
        .routes(routes!(update))
        .routes(routes!(list_for_account))
}

/// A required query id: `<Field> is required` when absent.
pub(super) fn required_id<'q>(query: &'q Query, name: &str) -> ApiResult<&'q str> {
    query
        .get(name)
        .ok_or_else(|| ApiError::field(name, format!("{name} is required")))
}

/// A value where `null` (or an empty string) clears: `Some(None)`; absent: `None`.
pub(super) fn clearable(f: &mut Fields, name: &str, max: usize) -> Option<Option<String>> {
    if f.raw(name).is_some_and(serde_json::Value::is_null) {
        return Some(None);
    }
    f.string(name, 0, max)
        .map(|s| Some(s).filter(|s| !s.is_empty()))
}

/// The answer when every required reader gave a value or recorded an error, so `finish` has
/// already answered; kept so that no input can panic.
pub(super) fn incomplete() -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "Invalid request")
}

fn billing_frequency(f: &mut Fields, required: bool) -> Option<BillingFrequency> {
    let name = "BillingFrequency";
    if required && f.raw(name).is_none_or(serde_json::Value::is_null) {
        f.error(name, format!("{name} is required"));
        return None;
    }
    // Any length: a value outside the enumeration gets the enumeration's message.
    let raw = f.string(name, 0, usize::MAX)?;
    let parsed = BillingFrequency::parse(&raw);
    if parsed.is_none() {
        f.error(name, BillingFrequency::INVALID);
    }
    parsed
}

fn read_new_product(body: Body) -> ApiResult<NewProductInput> {
    let mut f = body.fields();
    let sku = f.required_string("SKU", 1, 64);
    let description = f.required_string("Description", 1, 500);
    let product_type = f.required_string("Type", 1, 50);
    let sub_type = f.string("SubType", 0, 50);
    let cost = f.required_money("Cost");
    let frequency = billing_frequency(&mut f, true);
    f.finish()?;
    match (sku, description, product_type, cost, frequency) {
        (Some(sku), Some(description), Some(product_type), Some(cost), Some(frequency)) => {
            Ok(NewProductInput {
                sku,
                description,
                product_type,
                sub_type,
                cost,
                billing_frequency: frequency,
            })
        }
        _ => Err(incomplete()),
    }
}

/// Creates a product in the caller's catalogue.
#[utoipa::path(post, path = "/v1.0/products", tag = "Products", request_body = ProductCreateRequest,
    responses((status = 200, body = ProductView), (status = 400, body = Problem), (status = 409, body = Problem)),
    security(("bearer" = [])))]
async fn create(
    State(state): State<AppState>,
    DistributorCaller(d): DistributorCaller,
    body: Body,
) -> ApiResult<Json<ProductView>> {
    let input = read_new_product(body)?;
    Ok(Json(state.services.create_product(&d, input).await?))
}

/// One product of the caller.
#[utoipa::path(get, path = "/v1.0/products", tag = "Products", params(("ProductId" = String, Query)),
    responses((status = 200, body = ProductView), (status = 400, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
async fn get_one(
    State(state): State<AppState>,
    DistributorCaller(d): DistributorCaller,
    query: Query,
) -> ApiResult<Json<ProductView>> {
    let id = required_id(&query, "ProductId")?;
    Ok(Json(state.services.get_product(&d, id).await?))
}

/// Changes a product; only fields sent change. Package items keep their own prices.
#[utoipa::path(post, path = "/v1.0/products/update", tag = "Products", request_body = ProductUpdateRequest,
    responses((status = 200, body = ProductView), (status = 400, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem)),
    security(("bearer" = [])))]
async fn update(
    State(state): State<AppState>,
    DistributorCaller(d): DistributorCaller,
    body: Body,
) -> ApiResult<Json<ProductView>> {
    let mut f = body.fields();
    let update = ProductUpdate {
        product_id: f.required_string("ProductId", 1, 200).unwrap_or_default(),
        sku: f.string("SKU", 1, 64),
        description: f.string("Description", 1, 500),
        product_type: f.string("Type", 1, 50),
        sub_type: clearable(&mut f, "SubType", 50),
        cost: f.money("Cost"),
        billing_frequency: billing_frequency(&mut f, false),
        active: f.boolean("Active"),
    };
    f.finish()?;
    Ok(Json(state.services.update_product(&d, update).await?))
}

/// The caller's products as an account sees them, in creation order.
#[utoipa::path(get, path = "/v1.0/account/products", tag = "Products",
    params(("AccountId" = Option<String>, Query), ("Filter" = Option<String>, Query),
        ("PageNumber" = Option<u32>, Query), ("PageSize" = Option<u32>, Query)),
    responses((status = 200, body = AccountProductPage), (status = 400, body = Problem)),
    security(("bearer" = [])))]
async fn list_for_account(
    State(state): State<AppState>,
    DistributorCaller(d): DistributorCaller,
    query: Query,
) -> ApiResult<Json<AccountProductPage>> {
    let paging = query.paging()?;
    let filter = query.filter()?;
    let catalog = state
        .services
        .list_account_products(&d, query.get("AccountId"), filter, paging)
        .await?;
    Ok(Json(AccountProductPage {
        account_id: catalog.account_id,
        total_products: catalog.page.total,
        filter: filter.as_str().to_string(),
        page_number: paging.page_number,
        page_size: paging.page_size,
        results: catalog.page.results,
    }))
}
