//! Numbers: availability, provisioning, orders, the inventory list and one number's details.

use axum::extract::State;
use axum::Json;
use mpaas_core::number::{
    resolve_capabilities, CapabilityError, Classification, MessageType, ProductType,
    PRODUCT_TYPE_MESSAGE,
};
use mpaas_core::{Iccid, E164};
use mpaas_service::numbers::availability::{AvailabilityInput, AvailabilityView};
use mpaas_service::numbers::orders::OrderView;
use mpaas_service::numbers::provision::{ProvisionAnswer, ProvisionInput};
use mpaas_service::numbers::reads::{InventoryQuery, NumberKey};
use mpaas_service::numbers::views::{InventoryItemView, NumberDetailsView};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::number_fields::{
    area_code, bounded, iot_rules, number_objects, zip_code, PAGE_NUMBER, PAGE_SIZE,
};
use crate::extract::{Body, DistributorCaller, Fields, Query};
use crate::problem::{ApiError, ApiResult, Problem};
use crate::state::AppState;

/// Availability request.
#[derive(ToSchema)]
#[allow(dead_code)] // Documents the body; it is read by `Fields` to give the contract's messages.
#[serde(rename_all = "PascalCase")]
pub struct AvailabilityRequest {
    /// `mobile`, `mvno` or `iot` (any case).
    number_type: String,
    /// `p2p` / `a2p`.
    message_type: Option<String>,
    /// Echoed.
    message_enabled: Option<bool>,
    /// Echoed.
    voice_enabled: Option<bool>,
    /// 3 digits; searched first.
    area_code: Option<String>,
    /// 5 digits; used when the area code is blank or has nothing available.
    zip_code: Option<String>,
    /// 1-based, default 1.
    page_number: Option<u32>,
    /// Page size 1 to 100, default 12 (`PageSize` is an alias).
    total_numbers_requested: Option<u32>,
}

/// Provisioning request: single form (`AreaCode`/`ZipCode`) or list form (`PhoneNumbers`).
#[derive(ToSchema)]
#[allow(dead_code)] // Documents the body; it is read by `Fields` to give the contract's messages.
#[serde(rename_all = "PascalCase")]
pub struct ProvisionRequest {
    /// `mvno` or `iot` (any case).
    number_type: String,
    /// `p2p` (default) or `a2p`.
    message_type: Option<String>,
    /// Capability flags (05 §1.2).
    message_enabled: Option<bool>,
    /// Capability flags (05 §1.2).
    data_enabled: Option<bool>,
    /// Capability flags (05 §1.2).
    voice_enabled: Option<bool>,
    /// `Sms-Only`, `Data-Only`, `Sms+Data`, `Sms+Data+Voice`.
    product_type: Option<String>,
    /// Message route of the account.
    message_route_id: String,
    /// Voice route of the account (required with voice).
    voice_route_id: Option<String>,
    /// Single form.
    area_code: Option<String>,
    /// Single form.
    zip_code: Option<String>,
    /// List form: `[{"Number"}]`, 1 to 100 distinct inventory numbers.
    phone_numbers: Option<Vec<serde_json::Value>>,
    /// Single form: SIM to bind (else an eSIM is issued to a line with data or voice).
    #[serde(rename = "ICCID")]
    iccid: Option<String>,
    /// Subscriber of the account.
    assigned_subscriber_id: Option<String>,
    /// Tenancy rule.
    account_id: Option<String>,
}

/// The inventory list.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "PascalCase")]
pub struct InventoryPage {
    /// The account asked for; else the only account, else the distributor.
    account_id: String,
    total_results: i64,
    page_number: u32,
    page_size: u32,
    filter: &'static str,
    phone_numbers: Vec<InventoryItemView>,
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(availability))
        .routes(routes!(provision))
        .routes(routes!(order))
        .routes(routes!(inventory))
        .routes(routes!(details))
}

/// Searches the inventory for numbers that could be provisioned; nothing is reserved.
#[utoipa::path(post, path = "/v1.0/numbers/availability", tag = "Numbers", request_body = AvailabilityRequest,
    responses((status = 200, body = AvailabilityView), (status = 400, body = Problem)), security(("bearer" = [])))]
async fn availability(
    State(state): State<AppState>,
    DistributorCaller(d): DistributorCaller,
    body: Body,
) -> ApiResult<Json<AvailabilityView>> {
    let mut f = body.fields();
    let number_type = choice(&mut f, "NumberType", &["mobile", "mvno", "iot"]);
    let message_type = message_type(&mut f);
    let message_enabled = f.boolean("MessageEnabled");
    let voice_enabled = f.boolean("VoiceEnabled");
    let iot = number_type.as_deref() == Some("iot");
    iot_rules(&mut f, iot, message_type, voice_enabled);
    let page_number = bounded(&mut f, "PageNumber", (1, i64::from(u32::MAX)), PAGE_NUMBER);
    let size_key = if f.is_present("TotalNumbersRequested") {
        "TotalNumbersRequested"
    } else {
        "PageSize"
    };
    let size = bounded(&mut f, size_key, (1, 100), PAGE_SIZE);
    let input = AvailabilityInput {
        number_type: number_type.unwrap_or_default(),
        message_enabled,
        voice_enabled,
        area_code: area_code(&mut f),
        zip_code: zip_code(&mut f),
        page_number: page_number.unwrap_or(1) as u32,
        page_size: size.unwrap_or(12) as u32,
    };
    f.finish()?;
    Ok(Json(state.services.number_availability(&d, input).await?))
}

/// Allocates and activates numbers for an account (single or list form).
#[utoipa::path(post, path = "/v1.0/numbers/provision", tag = "Numbers", request_body = ProvisionRequest,
    responses((status = 200, body = ProvisionAnswer), (status = 400, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
async fn provision(
    State(state): State<AppState>,
    DistributorCaller(d): DistributorCaller,
    body: Body,
) -> ApiResult<Json<ProvisionAnswer>> {
    let mut f = body.fields();
    let number_type = choice(&mut f, "NumberType", &["mvno", "iot"]);
    let classification = number_type.as_deref().and_then(Classification::parse);
    let message_type = message_type(&mut f).unwrap_or(MessageType::P2p);
    let product_type = capabilities(&mut f);
    let voice = product_type.is_some_and(|p| p.capabilities().2);
    iot_rules(
        &mut f,
        classification == Some(Classification::Iot),
        Some(message_type),
        Some(voice),
    );
    let message_route_id = f.required_string("MessageRouteId", 1, 200);
    let voice_route_id = optional_text(&mut f, "VoiceRouteId");
    if voice && voice_route_id.is_none() && !f.has_error("VoiceRouteId") {
        f.error(
            "VoiceRouteId",
            "VoiceRouteId is required when VoiceEnabled is true",
        );
    }
    let phone_numbers = number_objects(&mut f, "PhoneNumbers");
    let iccid = optional_text(&mut f, "ICCID");
    if phone_numbers.is_some() && iccid.is_some() {
        f.error(
            "ICCID",
            "ICCID can only be given when provisioning a single number",
        );
    }
    let iccid = iccid.and_then(|raw| valid_iccid(&mut f, &raw));
    let (area_code, zip_code) = match phone_numbers {
        Some(_) => (None, None),
        None => (area_code(&mut f), zip_code(&mut f)),
    };
    let input = ProvisionInput {
        number_type: number_type.unwrap_or_default(),
        classification: classification.unwrap_or(Classification::Mvno),
        message_type,
        product_type: product_type.unwrap_or(ProductType::SmsData),
        message_route_id: message_route_id.unwrap_or_default(),
        voice_route_id,
        area_code,
        zip_code,
        phone_numbers,
        iccid,
        assigned_subscriber_id: optional_text(&mut f, "AssignedSubscriberId"),
        account_id: optional_text(&mut f, "AccountId"),
    };
    f.finish()?;
    Ok(Json(state.services.provision_numbers(&d, input).await?))
}

/// Any order of the caller.
#[utoipa::path(get, path = "/v1.0/numbers/order", tag = "Numbers", params(("OrderId" = String, Query)),
    responses((status = 200, body = OrderView), (status = 400, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
async fn order(
    State(state): State<AppState>,
    DistributorCaller(d): DistributorCaller,
    query: Query,
) -> ApiResult<Json<OrderView>> {
    let id = query
        .get("OrderId")
        .ok_or_else(|| ApiError::field("OrderId", "OrderId is required"))?;
    Ok(Json(state.services.get_order(&d, id).await?))
}

/// The caller's live numbers, in creation order.
#[utoipa::path(get, path = "/v1.0/numbers/inventory", tag = "Numbers",
    params(("Filter" = Option<String>, Query), ("PageNumber" = Option<u32>, Query), ("PageSize" = Option<u32>, Query),
        ("AccountId" = Option<String>, Query), ("Status" = Option<String>, Query), ("SubscriberId" = Option<String>, Query)),
    responses((status = 200, body = InventoryPage), (status = 400, body = Problem)), security(("bearer" = [])))]
async fn inventory(
    State(state): State<AppState>,
    DistributorCaller(d): DistributorCaller,
    query: Query,
) -> ApiResult<Json<InventoryPage>> {
    let (filter, paging) = (query.filter()?, query.paging()?);
    let request = InventoryQuery {
        filter,
        account_id: query.get("AccountId").map(str::to_string),
        status: query.get("Status").map(str::to_string),
        subscriber_id: query.get("SubscriberId").map(str::to_string),
    };
    let (account_id, page) = state.services.number_inventory(&d, request, paging).await?;
    Ok(Json(InventoryPage {
        account_id,
        total_results: page.total,
        page_number: paging.page_number,
        page_size: paging.page_size,
        filter: filter.as_str(),
        phone_numbers: page.results,
    }))
}

/// Details of one live number, by `PhoneNumber` (send `+` as `%2B`) or `PhoneNumberId`.
#[utoipa::path(get, path = "/v1.0/numbers", tag = "Numbers",
    params(("PhoneNumber" = Option<String>, Query), ("PhoneNumberId" = Option<String>, Query)),
    responses((status = 200, body = NumberDetailsView), (status = 400, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
async fn details(
    State(state): State<AppState>,
    DistributorCaller(d): DistributorCaller,
    query: Query,
) -> ApiResult<Json<NumberDetailsView>> {
    let key = match (query.raw("PhoneNumber"), query.get("PhoneNumberId")) {
        (Some(raw), _) if !raw.trim().is_empty() => {
            // An unencoded `+` arrives as a space.
            let raw = raw.trim_end();
            let raw = raw
                .strip_prefix(' ')
                .map_or_else(|| raw.to_string(), |r| format!("+{r}"));
            let number = E164::parse(&raw).ok_or_else(|| {
                ApiError::field("PhoneNumber", "PhoneNumber must be a valid phone number")
            })?;
            NumberKey::Number(number.as_str().to_string())
        }
        (_, Some(id)) => NumberKey::Id(id.to_string()),
        _ => return Err(ApiError::field("PhoneNumber", "PhoneNumber is required")),
    };
    Ok(Json(state.services.number_details(&d, key).await?))
}

/// A required value among `allowed` (any case), answered lowercase.
fn choice(f: &mut Fields, name: &str, allowed: &[&str]) -> Option<String> {
    let message = format!("Invalid {name}. Must be one of: {}.", allowed.join(", "));
    match f.string(name, 0, 100) {
        Some(v) if allowed.iter().any(|a| a.eq_ignore_ascii_case(&v)) => {
            Some(v.to_ascii_lowercase())
        }
        Some(_) => {
            f.error(name, message);
            None
        }
        None => {
            if !f.has_error(name) {
                f.error(name, message);
            }
            None
        }
    }
}

/// An optional id or code; `""` counts as absent, like `null`.
fn optional_text(f: &mut Fields, name: &str) -> Option<String> {
    f.string(name, 0, 200).filter(|s| !s.is_empty())
}

fn message_type(f: &mut Fields) -> Option<MessageType> {
    let raw = f.string("MessageType", 0, 20)?;
    let parsed = MessageType::parse(&raw);
    if parsed.is_none() {
        f.error(
            "MessageType",
            "Invalid MessageType. Must be one of: p2p, a2p.",
        );
    }
    parsed
}

/// Rule 05 §1.2 on provisioning (defaults: messaging and data, no voice).
fn capabilities(f: &mut Fields) -> Option<ProductType> {
    let product_type = match f.string("ProductType", 0, 50) {
        Some(raw) => match ProductType::parse(&raw) {
            Some(p) => Some(p),
            None => {
                f.error("ProductType", PRODUCT_TYPE_MESSAGE);
                return None;
            }
        },
        None => None,
    };
    let sent = (
        f.boolean("MessageEnabled"),
        f.boolean("DataEnabled"),
        f.boolean("VoiceEnabled"),
    );
    match resolve_capabilities(product_type, sent, (true, true, false)) {
        Ok(p) => Some(p),
        Err(CapabilityError::Contradicts(message)) => {
            f.error("ProductType", message);
            None
        }
        Err(CapabilityError::Unsupported) => {
            f.error(
                "MessageEnabled",
                mpaas_core::number::UNSUPPORTED_COMBINATION,
            );
            None
        }
    }
}

fn valid_iccid(f: &mut Fields, raw: &str) -> Option<Iccid> {
    let iccid = Iccid::parse(raw);
    if iccid.is_none() {
        f.error("ICCID", "Invalid ICCID");
    }
    iccid
}
