//! The number lifecycle: status changes (now or scheduled), reactivation and the cancellation
//! of a scheduled order.

use axum::extract::State;
use axum::Json;
use mpaas_core::lifecycle::{StatusAction, INVALID_STATUS_CHANGE};
use mpaas_core::time::parse_vendor_date;
use mpaas_core::{Iccid, E164};
use mpaas_service::numbers::status::views::{OrderCancelView, StatusChangeView};
use mpaas_service::numbers::status::{StatusChangeInput, StatusNumber};
use serde_json::{Map, Value};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::number_fields::{area_code, number_objects, zip_code};
use crate::extract::{Body, DistributorCaller, Fields};
use crate::problem::{ApiError, ApiResult, Problem};
use crate::state::AppState;

/// Most numbers one request may name.
const MAX_NUMBERS: usize = 100;
/// `PhoneNumbers` missing, empty or too long.
const NUMBERS_COUNT: &str = "PhoneNumbers must contain 1 to 100 numbers";

/// Status change request.
#[derive(ToSchema)]
#[allow(dead_code)] // Documents the body; it is read by `Fields` to give the contract's messages.
#[serde(rename_all = "PascalCase")]
pub struct StatusChangeRequest {
    /// `activate`, `cancel`, `park`, `swap`, `swap-sim`, `replace` (any case; alias key `ChangeType`).
    status_change: String,
    /// `MM/DD/YYYY`, `M/D/YYYY` or `YYYY-MM-DD` in the business zone; default today, later = scheduled.
    effective_date: Option<String>,
    /// `[{"Number", "ICCID"}]` (plain strings accepted): 1 to 100 distinct numbers; `ICCID` for `swap-sim` only.
    phone_numbers: Vec<Value>,
    /// `swap`: each number's area code; `replace`: searched first.
    area_code: Option<String>,
    /// `swap`: preferred pool of the area; `replace`: searched as in availability.
    zip_code: Option<String>,
}

/// Reactivation request: `PhoneNumbers` or `Number`.
#[derive(ToSchema)]
#[allow(dead_code)] // Documents the body; it is read by `Fields` to give the contract's messages.
#[serde(rename_all = "PascalCase")]
pub struct ReactivateRequest {
    /// `[{"Number"}]`, 1 to 100 distinct numbers.
    phone_numbers: Option<Vec<Value>>,
    /// Single-number shorthand.
    number: Option<String>,
}

/// Order cancellation request.
#[derive(ToSchema)]
#[allow(dead_code)] // Documents the body; it is read by `Fields` to give the contract's messages.
#[serde(rename_all = "PascalCase")]
pub struct OrderCancelRequest {
    /// `JNUOID-…` of a `Scheduled` status change.
    order_id: String,
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(status))
        .routes(routes!(reactivate))
        .routes(routes!(reactivation))
        .routes(routes!(cancel_order))
}

/// Runs a lifecycle action on numbers, now or at 00:00 of a future business date.
#[utoipa::path(post, path = "/v1.0/numbers/status", tag = "Numbers", request_body = StatusChangeRequest,
    responses((status = 200, body = StatusChangeView), (status = 400, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
async fn status(
    State(state): State<AppState>,
    DistributorCaller(d): DistributorCaller,
    body: Body,
) -> ApiResult<Json<StatusChangeView>> {
    let mut f = body.fields();
    let action = status_action(&mut f);
    let effective_date = effective_date(&mut f);
    let numbers = status_numbers(&mut f, action);
    let (area_code, zip_code) = match action {
        Some(a) if a.takes_over() => (area_code(&mut f), zip_code(&mut f)),
        _ => (None, None),
    };
    f.finish()?;
    let (Some(action), Some(numbers)) = (action, numbers) else {
        return Err(ApiError::field("PhoneNumbers", NUMBERS_COUNT));
    };
    let input = StatusChangeInput {
        action,
        effective_date,
        numbers,
        area_code,
        zip_code,
    };
    Ok(Json(state.services.change_number_status(&d, input).await?))
}

/// Restores cancelled numbers within 30 days of their cancellation.
#[utoipa::path(post, path = "/v1.0/numbers/reactivate", tag = "Numbers", request_body = ReactivateRequest,
    responses((status = 200, body = StatusChangeView), (status = 400, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)), security(("bearer" = [])))]
async fn reactivate(
    State(state): State<AppState>,
    DistributorCaller(d): DistributorCaller,
    body: Body,
) -> ApiResult<Json<StatusChangeView>> {
    reactivate_numbers(state, d, body).await
}

/// Alias of `/v1.0/numbers/reactivate`.
#[utoipa::path(post, path = "/v1.0/numbers/reactivation", tag = "Numbers", request_body = ReactivateRequest,
    responses((status = 200, body = StatusChangeView), (status = 400, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)), security(("bearer" = [])))]
async fn reactivation(
    State(state): State<AppState>,
    DistributorCaller(d): DistributorCaller,
    body: Body,
) -> ApiResult<Json<StatusChangeView>> {
    reactivate_numbers(state, d, body).await
}

async fn reactivate_numbers(
    state: AppState,
    d: mpaas_core::ids::DistributorId,
    body: Body,
) -> ApiResult<Json<StatusChangeView>> {
    let mut f = body.fields();
    let list = match number_objects(&mut f, "PhoneNumbers") {
        Some(list) => list,
        None => match f.phone("Number") {
            Some(number) => vec![number],
            None => {
                if !f.has_error("Number") {
                    f.error("PhoneNumbers", NUMBERS_COUNT);
                }
                Vec::new()
            }
        },
    };
    f.finish()?;
    Ok(Json(state.services.reactivate_numbers(&d, &list).await?))
}

/// Cancels a `Scheduled` status change (Extension).
#[utoipa::path(post, path = "/v1.0/numbers/order/cancel", tag = "Numbers", request_body = OrderCancelRequest,
    responses((status = 200, body = OrderCancelView), (status = 400, body = Problem), (status = 404, body = Problem),
        (status = 422, body = Problem)), security(("bearer" = [])))]
async fn cancel_order(
    State(state): State<AppState>,
    DistributorCaller(d): DistributorCaller,
    body: Body,
) -> ApiResult<Json<OrderCancelView>> {
    let mut f = body.fields();
    let order_id = f.required_string("OrderId", 1, 200);
    f.finish()?;
    let order_id = order_id.unwrap_or_default();
    Ok(Json(state.services.cancel_order(&d, &order_id).await?))
}

/// `StatusChange` (alias key `ChangeType`), any case; the error is always on `StatusChange`.
fn status_action(f: &mut Fields) -> Option<StatusAction> {
    let key = if f.raw("StatusChange").is_some_and(|v| !v.is_null()) {
        "StatusChange"
    } else {
        "ChangeType"
    };
    let parsed = match f.raw(key) {
        Some(Value::String(raw)) => StatusAction::parse(raw),
        _ => None,
    };
    if parsed.is_none() {
        f.error("StatusChange", INVALID_STATUS_CHANGE);
    }
    parsed
}

/// `EffectiveDate`: absent, `null` or blank is today.
fn effective_date(f: &mut Fields) -> Option<chrono::NaiveDate> {
    let raw = match f.raw("EffectiveDate")? {
        Value::Null => return None,
        Value::String(s) if s.trim().is_empty() => return None,
        Value::String(s) => parse_vendor_date(s),
        _ => None,
    };
    if raw.is_none() {
        f.error("EffectiveDate", "EffectiveDate must be a valid date");
    }
    raw
}

/// `PhoneNumbers`: 1 to 100 distinct numbers as `{Number, ICCID}` objects or plain strings.
fn status_numbers(f: &mut Fields, action: Option<StatusAction>) -> Option<Vec<StatusNumber>> {
    let items = match f.raw("PhoneNumbers") {
        Some(Value::Array(items)) if (1..=MAX_NUMBERS).contains(&items.len()) => items.clone(),
        _ => {
            f.error("PhoneNumbers", NUMBERS_COUNT);
            return None;
        }
    };
    let mut out: Vec<StatusNumber> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let path = format!("PhoneNumbers[{i}]");
        let (number, iccid) = match item {
            Value::String(s) => (Some(s.as_str()), None),
            Value::Object(map) => (text_of(map, "Number"), text_of(map, "ICCID")),
            _ => (None, None),
        };
        let number = status_number(f, &path, number, &out);
        let iccid = status_iccid(f, &path, iccid, action);
        if let Some(number) = number {
            out.push(StatusNumber { number, iccid });
        }
    }
    Some(out)
}

/// A property of an item object, any case; blank is absent.
fn text_of<'a>(map: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    map.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .and_then(|(_, v)| v.as_str())
        .filter(|s| !s.trim().is_empty())
}

fn status_number(
    f: &mut Fields,
    path: &str,
    raw: Option<&str>,
    seen: &[StatusNumber],
) -> Option<E164> {
    let field = format!("{path}.Number");
    match raw.map(E164::parse) {
        Some(Some(n)) if seen.iter().any(|s| s.number == n) => {
            f.error(&field, "Duplicate phone number in request");
            None
        }
        Some(Some(n)) => Some(n),
        Some(None) => {
            f.error(&field, format!("{field} must be a valid phone number"));
            None
        }
        None => {
            f.error(&field, format!("{field} is required"));
            None
        }
    }
}

fn status_iccid(
    f: &mut Fields,
    path: &str,
    raw: Option<&str>,
    action: Option<StatusAction>,
) -> Option<Iccid> {
    let raw = raw?;
    let field = format!("{path}.ICCID");
    if action.is_some_and(|a| a != StatusAction::SwapSim) {
        f.error(&field, "ICCID is only allowed for swap-sim");
        return None;
    }
    let iccid = Iccid::parse(raw);
    if iccid.is_none() {
        f.error(&field, "Invalid ICCID");
    }
    iccid
}
