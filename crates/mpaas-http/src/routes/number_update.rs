//! `POST /v1.0/numbers/update`: changes one number at once; only the fields sent change.

use axum::extract::State;
use axum::Json;
use mpaas_core::number::{Classification, MessageType, ProductType, PRODUCT_TYPE_MESSAGE};
use mpaas_core::{Iccid, E164};
use mpaas_service::numbers::update::{Assignment, NumberUpdateInput, NumberUpdateView};
use serde_json::Value;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::extract::{Body, DistributorCaller, Fields};
use crate::problem::{ApiError, ApiResult, Problem};
use crate::state::AppState;

const CNAM_LENGTH: &str = "Cnam must be 1 to 15 characters";
const CNAM_CHARACTERS: &str = "Cnam must contain only printable ASCII characters";
const CNAM_MAX: usize = 15;

/// Number update request: only the fields sent change.
#[derive(ToSchema)]
#[allow(dead_code)] // Documents the body; it is read by `Fields` to give the contract's messages.
#[serde(rename_all = "PascalCase")]
pub struct NumberUpdateRequest {
    /// The caller's number (E.164).
    number: String,
    /// Capability flag (05 §1.2; current values are the defaults).
    message_enabled: Option<bool>,
    /// Capability flag.
    voice_enabled: Option<bool>,
    /// Capability flag (Extension).
    data_enabled: Option<bool>,
    /// `Sms-Only`, `Data-Only`, `Sms+Data`, `Sms+Data+Voice` (Extension).
    product_type: Option<String>,
    /// `p2p` / `a2p`.
    message_type: Option<String>,
    /// `MVNO` / `IoT` (any case).
    classification: Option<String>,
    /// Message route of the number's account.
    message_route_id: Option<String>,
    /// Voice route of the number's account.
    voice_route_id: Option<String>,
    /// Subscriber of the number's account; `""` unassigns.
    assigned_subscriber_id: Option<String>,
    /// SIM to bind; the current one is retired.
    iccid: Option<String>,
    /// Caller name: 1 to 15 printable ASCII characters.
    cnam: Option<String>,
    /// Cannot change: `mobile` or the number's classification only.
    number_type: Option<String>,
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(update))
}

/// Changes one `Active` or `Parked` number; recorded as an `Update` order.
#[utoipa::path(post, path = "/v1.0/numbers/update", tag = "Numbers", request_body = NumberUpdateRequest,
    responses((status = 200, body = NumberUpdateView), (status = 400, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
async fn update(
    State(state): State<AppState>,
    DistributorCaller(d): DistributorCaller,
    body: Body,
) -> ApiResult<Json<NumberUpdateView>> {
    let mut f = body.fields();
    let input = read_input(&mut f);
    f.finish()?;
    // Without a valid `Number`, `finish` has already answered.
    let input = input.ok_or_else(|| ApiError::field("Number", "Number is required"))?;
    Ok(Json(state.services.update_number(&d, input).await?))
}

/// Reads every field (so that all errors are reported together); `None` without a valid
/// `Number`.
fn read_input(f: &mut Fields) -> Option<NumberUpdateInput> {
    let number = number(f);
    // Fields are read in the order written; `Number` is settled last, after every other read.
    Some(NumberUpdateInput {
        product_type: parsed(f, "ProductType", ProductType::parse, PRODUCT_TYPE_MESSAGE),
        message_enabled: f.boolean("MessageEnabled"),
        data_enabled: f.boolean("DataEnabled"),
        voice_enabled: f.boolean("VoiceEnabled"),
        message_type: parsed(
            f,
            "MessageType",
            MessageType::parse,
            "Invalid MessageType. Must be one of: p2p, a2p.",
        ),
        classification: parsed(
            f,
            "Classification",
            Classification::parse,
            "Invalid Classification. Must be one of: MVNO, IoT.",
        ),
        message_route_id: f.string("MessageRouteId", 1, 200),
        voice_route_id: f.string("VoiceRouteId", 1, 200),
        assigned_subscriber: assignment(f),
        iccid: iccid(f),
        cnam: cnam(f),
        number_type: f.string("NumberType", 0, 100),
        number: number?,
    })
}

/// `Number`: required, a valid phone number.
fn number(f: &mut Fields) -> Option<E164> {
    let raw = f.required_string("Number", 1, 100)?;
    let number = E164::parse(&raw);
    if number.is_none() {
        f.error("Number", "Number must be a valid phone number");
    }
    number
}

/// A vocabulary value (any case), or `message` on the field.
fn parsed<T>(f: &mut Fields, name: &str, parse: fn(&str) -> Option<T>, message: &str) -> Option<T> {
    let raw = f.string(name, 0, 100)?;
    let value = parse(&raw);
    if value.is_none() {
        f.error(name, message);
    }
    value
}

/// `AssignedSubscriberId`: an id, or `""` to unassign.
fn assignment(f: &mut Fields) -> Option<Assignment> {
    match f.raw("AssignedSubscriberId")? {
        Value::String(s) if s.trim().is_empty() => Some(Assignment::Unassign),
        _ => f.string("AssignedSubscriberId", 1, 200).map(Assignment::To),
    }
}

/// `Iccid` (any case, so `ICCID` too): the README format.
fn iccid(f: &mut Fields) -> Option<Iccid> {
    let raw = f.string("Iccid", 0, usize::MAX)?;
    let iccid = Iccid::parse(&raw);
    if iccid.is_none() {
        f.error("ICCID", "Invalid ICCID");
    }
    iccid
}

/// `Cnam`: 1 to 15 printable ASCII characters after trimming.
fn cnam(f: &mut Fields) -> Option<String> {
    let raw = match f.raw("Cnam")? {
        Value::Null => return None,
        Value::String(s) => s.trim().to_string(),
        _ => {
            f.error("Cnam", "Cnam must be a string");
            return None;
        }
    };
    if raw.is_empty() || raw.chars().count() > CNAM_MAX {
        f.error("Cnam", CNAM_LENGTH);
        return None;
    }
    if !raw.bytes().all(|b| (b' '..=b'~').contains(&b)) {
        f.error("Cnam", CNAM_CHARACTERS);
        return None;
    }
    Some(raw)
}
