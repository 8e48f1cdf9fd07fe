//! Field readers shared by the number endpoints: area code, ZIP code, the IoT rules, bounded
//! integers and lists of `{Number}` objects.

use mpaas_core::number::MessageType;
use mpaas_core::E164;
use serde_json::Value;

use crate::extract::Fields;

/// `PageNumber` out of range.
pub const PAGE_NUMBER: &str = "PageNumber must be 1 or greater";
/// Availability page size out of range.
pub const PAGE_SIZE: &str = "TotalNumbersRequested must be between 1 and 100";
/// Most numbers one request may name.
const MAX_NUMBERS: usize = 100;

/// A string or number property as text (`"201"` and `201` alike); blank is absent.
fn digits_text(f: &mut Fields, name: &str) -> Option<String> {
    match f.raw(name)? {
        Value::Number(n) => Some(n.to_string()),
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Null => None,
        _ => Some(String::new()),
    }
}

/// `AreaCode`: 3 digits.
pub fn area_code(f: &mut Fields) -> Option<u16> {
    let raw = digits_text(f, "AreaCode")?;
    let valid = raw.len() == 3 && raw.bytes().all(|b| b.is_ascii_digit());
    match raw.parse::<u16>() {
        Ok(code) if valid => Some(code),
        _ => {
            f.error("AreaCode", "Area code must be a valid 3-digit code");
            None
        }
    }
}

/// `ZipCode`: 5 digits.
pub fn zip_code(f: &mut Fields) -> Option<String> {
    let raw = digits_text(f, "ZipCode")?;
    if raw.len() == 5 && raw.bytes().all(|b| b.is_ascii_digit()) {
        Some(raw)
    } else {
        f.error("ZipCode", "Zip code must be a valid 5-digit code");
        None
    }
}

/// IoT lines: `p2p` only, never voice.
pub fn iot_rules(
    f: &mut Fields,
    iot: bool,
    message_type: Option<MessageType>,
    voice: Option<bool>,
) {
    if !iot {
        return;
    }
    if message_type == Some(MessageType::A2p) {
        f.error(
            "NumberType",
            "Invalid NumberType and MessageType combination. IOT numbers can only be provisioned with p2p MessageType.",
        );
    }
    if voice == Some(true) {
        f.error("VoiceEnabled", "IOT numbers cannot be voice enabled.");
    }
}

/// An integer (JSON number or numeric string) within `bounds`, else `message` on the field.
pub fn bounded(f: &mut Fields, name: &str, bounds: (i64, i64), message: &str) -> Option<i64> {
    let value = match f.raw(name)? {
        Value::Null => return None,
        Value::Number(n) => n.as_i64(),
        Value::String(s) if s.trim().is_empty() => return None,
        Value::String(s) => s.trim().parse::<i64>().ok(),
        _ => None,
    };
    match value {
        Some(n) if (bounds.0..=bounds.1).contains(&n) => Some(n),
        _ => {
            f.error(name, message);
            None
        }
    }
}

/// A list of `{"Number"}` objects (plain strings accepted): 1 to 100 distinct valid numbers.
/// `None` when absent or `null`.
pub fn number_objects(f: &mut Fields, name: &str) -> Option<Vec<E164>> {
    let Value::Array(items) = f.raw(name)?.clone() else {
        if f.raw(name).is_some_and(|v| !v.is_null()) {
            f.error(name, format!("{name} must be an array"));
        }
        return None;
    };
    if items.is_empty() || items.len() > MAX_NUMBERS {
        f.error(
            name,
            format!("{name} must contain 1 to {MAX_NUMBERS} numbers"),
        );
        return Some(Vec::new());
    }
    let mut out: Vec<E164> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let path = format!("{name}[{i}].Number");
        let raw = match item {
            Value::String(s) => Some(s.as_str()),
            Value::Object(map) => map
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("Number"))
                .and_then(|(_, v)| v.as_str()),
            _ => None,
        };
        match raw.map(E164::parse) {
            Some(Some(n)) if out.contains(&n) => {
                f.error(&path, "Duplicate phone number in request")
            }
            Some(Some(n)) => out.push(n),
            Some(None) => f.error(&path, format!("{path} must be a valid phone number")),
            None => f.error(&path, format!("{path} is required")),
        }
    }
    Some(out)
}
