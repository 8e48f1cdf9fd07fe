//! The sandbox inventory pools (Extension, sandbox only).

use axum::extract::State;
use axum::Json;
use mpaas_network::sandbox::inventory::PoolFilter;
use mpaas_service::numbers::availability::PoolView;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::extract::Query;
use crate::problem::{ApiError, ApiResult, Problem};
use crate::state::AppState;

/// Pools, paged.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct PoolPage {
    results: Vec<PoolView>,
    total_results: i64,
    page_number: u32,
    page_size: u32,
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(pools))
}

fn digits(
    query: &Query,
    name: &str,
    len: usize,
    message: &str,
) -> Result<Option<String>, ApiError> {
    match query.get(name) {
        None => Ok(None),
        Some(v) if v.len() == len && v.bytes().all(|b| b.is_ascii_digit()) => {
            Ok(Some(v.to_string()))
        }
        Some(_) => Err(ApiError::field(name, message)),
    }
}

/// The sandbox inventory pools in pool order, with their size and availability.
#[utoipa::path(get, path = "/sandbox/v1/inventory/pools", tag = "Sandbox",
    params(("AreaCode" = Option<String>, Query), ("ZipCode" = Option<String>, Query), ("State" = Option<String>, Query),
        ("PageNumber" = Option<u32>, Query), ("PageSize" = Option<u32>, Query)),
    responses((status = 200, body = PoolPage), (status = 400, body = Problem)),
    security(("bearer" = []), ("admin" = [])))]
async fn pools(State(state): State<AppState>, query: Query) -> ApiResult<Json<PoolPage>> {
    let paging = query.paging()?;
    let area = digits(
        &query,
        "AreaCode",
        3,
        "Area code must be a valid 3-digit code",
    )?;
    let zip = digits(
        &query,
        "ZipCode",
        5,
        "Zip code must be a valid 5-digit code",
    )?;
    let us_state = match query.get("State") {
        Some(s) if s.len() == 2 && s.bytes().all(|b| b.is_ascii_alphabetic()) => {
            Some(s.to_ascii_uppercase())
        }
        Some(_) => return Err(ApiError::field("State", "State must be a two-letter code")),
        None => None,
    };
    let filter = PoolFilter {
        area_code: area.as_deref().and_then(|a| a.parse().ok()),
        zip_code: zip.as_deref(),
        state: us_state.as_deref(),
    };
    let page = state.services.inventory_pools(filter, paging).await?;
    Ok(Json(PoolPage {
        results: page.results,
        total_results: page.total,
        page_number: paging.page_number,
        page_size: paging.page_size,
    }))
}
