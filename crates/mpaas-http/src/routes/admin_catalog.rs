//! Catalogue seeding (Extension, admin API).

use std::collections::BTreeMap;

use axum::extract::State;
use axum::Json;
use mpaas_core::Money;
use mpaas_service::catalog::views::SeedCatalogView;
use serde_json::Value;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::extract::{Body, Fields, PathId};
use crate::problem::{ApiResult, Problem};
use crate::state::AppState;

/// Seeding request.
#[derive(ToSchema)]
#[allow(dead_code)] // Documents the body; it is read by `Fields` to give the contract's messages.
#[serde(rename_all = "PascalCase")]
pub struct SeedCatalogRequest {
    /// Cost per seed SKU (a number or numeric string); default 0.
    costs: Option<BTreeMap<String, f64>>,
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(seed_catalog))
}

/// `Costs`: SKU → money; `null` entries count as absent.
fn read_costs(f: &mut Fields) -> Vec<(String, Money)> {
    let Some(value) = f.raw("Costs").filter(|v| !v.is_null()).cloned() else {
        return Vec::new();
    };
    let Value::Object(map) = value else {
        f.error("Costs", "Costs must be an object");
        return Vec::new();
    };
    let mut costs = Vec::with_capacity(map.len());
    for (sku, cost) in map.iter().filter(|(_, v)| !v.is_null()) {
        if let Some(money) = f.money_value(&format!("Costs.{sku}"), cost) {
            costs.push((sku.clone(), money));
        }
    }
    costs
}

/// Loads the standard product catalogue into a distributor; SKUs it already has (any case) are
/// left untouched.
#[utoipa::path(post, path = "/admin/v1/distributors/{id}/seed-catalog", tag = "Admin", params(("id" = String, Path)),
    request_body = SeedCatalogRequest,
    responses((status = 200, body = SeedCatalogView), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 404, body = Problem)),
    security(("admin" = [])))]
async fn seed_catalog(
    State(state): State<AppState>,
    PathId(id): PathId,
    body: Body,
) -> ApiResult<Json<SeedCatalogView>> {
    let mut f = body.fields();
    let costs = read_costs(&mut f);
    f.finish()?;
    Ok(Json(state.services.seed_catalog(&id, &costs).await?))
}
