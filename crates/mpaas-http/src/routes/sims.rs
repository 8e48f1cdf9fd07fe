//! SIMs: clear-status, update-status, import (Extension) and one SIM's details (Extension).

use axum::extract::State;
use axum::Json;
use mpaas_core::sim_status::{SimStatus, SIM_STATUS_MESSAGE};
use mpaas_core::Iccid;
use mpaas_service::sims::details::SimDetailsView;
use mpaas_service::sims::import::{SimImportEntry, SimImportInput, SimImportView, MAX_IMPORT};
use mpaas_service::sims::status::{SimClearedView, SimStatusView};
use serde_json::{Map, Value};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::extract::{Body, DistributorCaller, Fields, Query};
use crate::problem::{ApiError, ApiResult, Problem};
use crate::state::AppState;

/// Clear-status request.
#[derive(ToSchema)]
#[allow(dead_code)] // Documents the body; it is read by `Fields` to give the contract's messages.
#[serde(rename_all = "PascalCase")]
pub struct SimClearRequest {
    /// A SIM of the caller.
    #[serde(rename = "ICCID")]
    iccid: String,
}

/// Update-status request.
#[derive(ToSchema)]
#[allow(dead_code)] // Documents the body; it is read by `Fields` to give the contract's messages.
#[serde(rename_all = "PascalCase")]
pub struct SimStatusRequest {
    /// A SIM of the caller.
    #[serde(rename = "ICCID")]
    iccid: String,
    /// `Empty`, `Assigned`, `Active`, `Suspended` or `Retired` (any case).
    status: String,
}

/// One SIM to import.
#[derive(ToSchema)]
#[allow(dead_code)] // Documents the body; it is read by `Fields` to give the contract's messages.
#[serde(rename_all = "PascalCase")]
pub struct SimImportItem {
    /// README format.
    #[serde(rename = "ICCID")]
    iccid: String,
    /// `pSIM` (default) or `eSIM`.
    #[serde(rename = "Type")]
    sim_type: Option<String>,
    /// eSIM: `LPA:1$<address>$<matching id>`; generated when absent.
    activation_code: Option<String>,
}

/// Import request.
#[derive(ToSchema)]
#[allow(dead_code)] // Documents the body; it is read by `Fields` to give the contract's messages.
#[serde(rename_all = "PascalCase")]
pub struct SimImportRequest {
    /// Stock of this account; absent: stock of the distributor.
    account_id: Option<String>,
    /// 1 to 10,000 entries.
    sims: Vec<SimImportItem>,
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(clear_status))
        .routes(routes!(update_status))
        .routes(routes!(import))
        .routes(routes!(details))
}

/// Returns a SIM to stock (`Empty`), unbinding it from a `Cancelled` number.
#[utoipa::path(post, path = "/v1.0/sims/clear-status", tag = "SIMs", request_body = SimClearRequest,
    responses((status = 200, body = SimClearedView), (status = 400, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
async fn clear_status(
    State(state): State<AppState>,
    DistributorCaller(d): DistributorCaller,
    body: Body,
) -> ApiResult<Json<SimClearedView>> {
    let mut f = body.fields();
    let iccid = required_iccid(&mut f);
    f.finish()?;
    let iccid = iccid.ok_or_else(|| ApiError::field("ICCID", "ICCID is required"))?;
    Ok(Json(state.services.clear_sim_status(&d, &iccid).await?))
}

/// Sets a SIM status by hand (bar or unbar a SIM, return one to stock, retire one).
#[utoipa::path(post, path = "/v1.0/sims/update-status", tag = "SIMs", request_body = SimStatusRequest,
    responses((status = 200, body = SimStatusView), (status = 400, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
async fn update_status(
    State(state): State<AppState>,
    DistributorCaller(d): DistributorCaller,
    body: Body,
) -> ApiResult<Json<SimStatusView>> {
    let mut f = body.fields();
    let iccid = required_iccid(&mut f);
    let status = f.required_string("Status", 0, 100).and_then(|raw| {
        let status = SimStatus::parse(&raw);
        if status.is_none() {
            f.error("Status", SIM_STATUS_MESSAGE);
        }
        status
    });
    f.finish()?;
    let (Some(iccid), Some(status)) = (iccid, status) else {
        return Err(ApiError::field("ICCID", "ICCID is required"));
    };
    Ok(Json(
        state.services.update_sim_status(&d, &iccid, status).await?,
    ))
}

/// Registers SIM stock in bulk; valid new entries are inserted, the others reported.
#[utoipa::path(post, path = "/v1.0/sims/import", tag = "SIMs", request_body = SimImportRequest,
    responses((status = 200, body = SimImportView), (status = 400, body = Problem)), security(("bearer" = [])))]
async fn import(
    State(state): State<AppState>,
    DistributorCaller(d): DistributorCaller,
    body: Body,
) -> ApiResult<Json<SimImportView>> {
    let mut f = body.fields();
    let account_id = f.string("AccountId", 1, 200);
    let sims = import_entries(&mut f);
    f.finish()?;
    let input = SimImportInput {
        account_id,
        sims: sims.unwrap_or_default(),
    };
    Ok(Json(state.services.import_sims(&d, input).await?))
}

/// Details of one SIM of the caller.
#[utoipa::path(get, path = "/v1.0/sims", tag = "SIMs", params(("ICCID" = String, Query)),
    responses((status = 200, body = SimDetailsView), (status = 400, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
async fn details(
    State(state): State<AppState>,
    DistributorCaller(d): DistributorCaller,
    query: Query,
) -> ApiResult<Json<SimDetailsView>> {
    let iccid = query
        .get("ICCID")
        .ok_or_else(|| ApiError::field("ICCID", "ICCID is required"))?;
    Ok(Json(state.services.sim_details(&d, iccid).await?))
}

/// `ICCID`: required, README format.
fn required_iccid(f: &mut Fields) -> Option<Iccid> {
    let raw = f.required_string("ICCID", 0, usize::MAX)?;
    let iccid = Iccid::parse(&raw);
    if iccid.is_none() {
        f.error("ICCID", "Invalid ICCID");
    }
    iccid
}

/// `Sims`: 1 to 10,000 entries. An entry's own faults are not errors of the request: the
/// import reports them per entry.
fn import_entries(f: &mut Fields) -> Option<Vec<SimImportEntry>> {
    let entries = match f.raw("Sims") {
        Some(Value::Array(items)) if (1..=MAX_IMPORT).contains(&items.len()) => {
            items.iter().map(import_entry).collect()
        }
        _ => {
            f.error(
                "Sims",
                format!("Sims must contain 1 to {MAX_IMPORT} entries"),
            );
            return None;
        }
    };
    Some(entries)
}

/// One entry: an object with `ICCID`, `Type`, `ActivationCode` (any case), or a plain ICCID.
fn import_entry(item: &Value) -> SimImportEntry {
    match item {
        Value::Object(map) => SimImportEntry {
            iccid: text(property(map, "ICCID")).unwrap_or_default(),
            sim_type: text(property(map, "Type")),
            activation_code: text(property(map, "ActivationCode")),
        },
        other => SimImportEntry {
            iccid: text(Some(other)).unwrap_or_default(),
            ..SimImportEntry::default()
        },
    }
}

fn property<'a>(map: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    map.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
}

/// A value as text: strings as they are, numbers in decimal, anything else as its JSON (which
/// no format rule accepts); `null` and absent are `None`.
fn text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}
