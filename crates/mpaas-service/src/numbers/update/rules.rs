//! The field rules of `POST /v1.0/numbers/update` that need only the number as it is: the
//! capability rule with the current values as defaults (05 §1.2), the IoT rules, `NumberType`
//! and the routes an enabled capability needs.

use mpaas_core::number::{
    resolve_capabilities, CapabilityError, Classification, MessageType, ProductType,
    UNSUPPORTED_COMBINATION,
};
use mpaas_core::ValidationErrors;
use mpaas_store::numbers::NumberRow;

use super::NumberUpdateInput;
use crate::numbers::NumberChanges;

const IOT_MESSAGE_TYPE: &str =
    "Invalid MessageType for the specified Classification. IOT numbers can only use p2p MessageType.";
const IOT_VOICE: &str = "IOT numbers cannot be voice enabled.";
const NUMBER_TYPE_FIXED: &str = "NumberType cannot be changed";
const MESSAGE_ROUTE_REQUIRED: &str = "MessageRouteId is required";
const VOICE_ROUTE_REQUIRED: &str = "VoiceRouteId is required when VoiceEnabled is true";

/// Every platform number is a mobile line.
const NUMBER_TYPE: &str = "mobile";

/// The vocabulary values a number ends with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Settled {
    pub classification: Classification,
    pub message_type: MessageType,
    pub product_type: ProductType,
}

/// Decides classification, message type and capabilities, or every 400 the request earns.
pub(super) fn settle(
    current: &NumberRow,
    input: &NumberUpdateInput,
) -> Result<Settled, ValidationErrors> {
    let mut errors = ValidationErrors::default();
    let classification = input
        .classification
        .or_else(|| Classification::parse(&current.classification))
        .unwrap_or(Classification::Mvno);
    check_number_type(
        current,
        classification,
        input.number_type.as_deref(),
        &mut errors,
    );
    let message_type = input
        .message_type
        .or_else(|| MessageType::parse(&current.message_type))
        .unwrap_or(MessageType::P2p);
    let sent = (
        input.message_enabled,
        input.data_enabled,
        input.voice_enabled,
    );
    let defaults = (
        current.message_enabled,
        current.data_enabled,
        current.voice_enabled,
    );
    let product_type = match resolve_capabilities(input.product_type, sent, defaults) {
        Ok(p) => Some(p),
        Err(CapabilityError::Contradicts(message)) => {
            errors.add("ProductType", message);
            None
        }
        Err(CapabilityError::Unsupported) => {
            errors.add("MessageEnabled", UNSUPPORTED_COMBINATION);
            None
        }
    };
    if classification == Classification::Iot && message_type == MessageType::A2p {
        errors.add("MessageType", IOT_MESSAGE_TYPE);
    }
    if let Some(p) = product_type {
        check_capabilities(current, input, classification, p, &mut errors);
    }
    match product_type {
        Some(product_type) if errors.is_empty() => Ok(Settled {
            classification,
            message_type,
            product_type,
        }),
        _ => Err(errors),
    }
}

/// `NumberType` may only repeat what the number is: `mobile`, or its classification.
fn check_number_type(
    current: &NumberRow,
    settled: Classification,
    sent: Option<&str>,
    errors: &mut ValidationErrors,
) {
    let Some(sent) = sent else { return };
    let same = [
        NUMBER_TYPE,
        current.classification.as_str(),
        settled.as_str(),
    ]
    .iter()
    .any(|allowed| allowed.eq_ignore_ascii_case(sent.trim()));
    if !same {
        errors.add("NumberType", NUMBER_TYPE_FIXED);
    }
}

/// No voice on IoT; an enabled capability needs its route, sent now or already set.
fn check_capabilities(
    current: &NumberRow,
    input: &NumberUpdateInput,
    classification: Classification,
    product_type: ProductType,
    errors: &mut ValidationErrors,
) {
    let (message, _, voice) = product_type.capabilities();
    if classification == Classification::Iot && voice {
        errors.add("VoiceEnabled", IOT_VOICE);
    }
    let has_message_route = input.message_route_id.is_some() || current.message_route_id.is_some();
    if message && !has_message_route {
        errors.add("MessageRouteId", MESSAGE_ROUTE_REQUIRED);
    }
    let has_voice_route = input.voice_route_id.is_some() || current.voice_route_id.is_some();
    if voice && !has_voice_route {
        errors.add("VoiceRouteId", VOICE_ROUTE_REQUIRED);
    }
}

/// Writes the settled values and the sent `Cnam` into the row.
pub(super) fn apply(number: &mut NumberRow, settled: Settled, cnam: Option<&str>) {
    let (message, data, voice) = settled.product_type.capabilities();
    number.classification = settled.classification.as_str().to_string();
    number.message_type = settled.message_type.as_str().to_string();
    number.product_type = settled.product_type.as_str().to_string();
    number.message_enabled = message;
    number.data_enabled = data;
    number.voice_enabled = voice;
    if let Some(cnam) = cnam {
        number.cnam = Some(cnam.to_string());
    }
}

/// `Changes` of `number.updated`: every field of the update that differs.
pub(super) fn changes(old: &NumberRow, new: &NumberRow) -> NumberChanges {
    let mut changes = NumberChanges::between(old, new);
    changes.record("MessageEnabled", &old.message_enabled, &new.message_enabled);
    changes.record("DataEnabled", &old.data_enabled, &new.data_enabled);
    changes.record("VoiceEnabled", &old.voice_enabled, &new.voice_enabled);
    changes.record("ProductType", &old.product_type, &new.product_type);
    changes.record("MessageType", &old.message_type, &new.message_type);
    changes.record("Classification", &old.classification, &new.classification);
    changes.record("Cnam", &old.cnam, &new.cnam);
    changes
}

#[cfg(test)]
mod tests;
